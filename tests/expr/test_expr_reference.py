"""The expression language's reference is generated from the parser and the function table:
every operator, function and grammar rule there is, and nothing else."""

from __future__ import annotations

import pytest

from kb_lint.errors import InputError
from kb_lint.expr import FUNCTIONS, compile_expr
from kb_lint.expr.parser import ENUM_EQUALITY, ENUM_MEMBERSHIP, GRAMMAR
from kb_lint.expr.reference import FILTER, FILTER_EXAMPLE, MEANINGS, operators, render
from kb_lint.expr.shapes import enum, literal_error
from kb_lint.expr.values import BINARY, LEVELS
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.scopes import expression_reference

# One expression per rule of the grammar, each of which the parser must accept.
WRITTEN = {
    "expression": "1 if true else 2",
    "disjunction": "false or true",
    "conjunction": "true and not false",
    "comparison": '"a" not in ["b"]',
    "sum": "1 + 2 - 3",
    "product": "2 * 3 / 4",
    "unary": "-1",
    "postfix": 'm["a"][0] == 1',
    "primary": 'len([1, "x"]) == (2)',
}


def test_every_operator_of_the_parser_has_its_meaning():
    listed = {op for op, _ in operators()}
    assert set(LEVELS) <= listed and set(BINARY) <= listed
    assert set(MEANINGS) | {"- (prefix)"} == listed


def test_every_function_and_rule_of_the_grammar_is_in_the_reference():
    text = render()
    for function in FUNCTIONS.values():
        assert f"`{function.signature}`" in text
        assert f'"{function.name}"' in GRAMMAR
    for rule in WRITTEN:
        assert f"\n{rule:<11} = " in f"\n{GRAMMAR}"
        compile_expr(WRITTEN[rule], names=["m"])


def test_the_operators_come_from_the_loosest_to_the_tightest():
    ordered = [op for op, _ in operators() if op in LEVELS]
    assert [LEVELS[op] for op in ordered] == sorted(LEVELS[op] for op in ordered)


def test_the_names_in_scope_come_from_the_vocabulary():
    text = expression_reference(Vocabulary.of((), ()))
    assert "### check rule over policies" in text
    assert "| `force_user_exclusivity` | a boolean |" in text


def test_explain_expressions_lists_the_fields_the_packs_add(kb_lint):
    proc = kb_lint("explain", "expressions", "--rules", "rules")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# The expression language")
    assert "| `history_days` | a number |" in proc.stdout  # declared by KB1508


def test_each_name_lists_the_keys_of_its_record_once():
    """A procedure step's ``event`` is "an event: at, cycle, …", its keys listed once."""
    page = expression_reference(Vocabulary.of((), ()))
    rows = [line for line in page.splitlines() if line.startswith("| `event` |")]
    assert rows
    for row in rows:
        assert row.count("an event") == 1 and row.count(" at, cycle,") == 1, row


def test_the_enum_check_is_in_the_reference_as_the_parser_makes_it():
    text = render()
    for op in (*ENUM_EQUALITY, *ENUM_MEMBERSHIP):
        assert f"`{op}`" in text.split("## Values")[1].split("## Operators")[0]
    error = literal_error(enum("plan", ("trial", "paid")), "trail")
    assert f'as `plan == "trail"` is: `{error}`' in text
    shapes = {"plan": enum("plan", ("trial", "paid"))}
    assert compile_expr('plan != "paid"', names=["plan"], shapes=shapes)
    with pytest.raises(InputError) as refused:
        compile_expr('plan == "trail"', names=["plan"], shapes=shapes)
    assert refused.value.message == error


def test_the_names_list_each_enum_fields_values_and_every_action(kb_lint):
    proc = kb_lint("explain", "expressions", "--rules", "rules")
    assert proc.returncode == 0, proc.stderr
    assert "| `instance_kind` | a string: one of cloud, on-premise |" in proc.stdout
    assert "| `data_types` | a list of strings, each one of contacts, leads, " in proc.stdout
    [action] = [line for line in proc.stdout.splitlines() if line.startswith("| `action` |")][:1]
    assert "add-user" in action and "change-history-filter" in action  # built-in; KB1508's


def test_the_reference_lists_the_filter_with_an_example_that_runs():
    """The grammar's filter rule and its line among the operators, whose example keeps the
    earlier Clears of the removed user's mailbox only."""
    text = render()
    assert '| "[" NAME "in" sum "if" disjunction "]"' in GRAMMAR
    assert f"| `{FILTER}` |" in text and f"`{FILTER_EXAMPLE}`" in text
    clear = {"action": "reinitialize-user", "reinit_type": "clear"}
    earlier = [{**clear, "email": "bob@x"}, {**clear, "email": "ann@x", "reinit_type": "full"}]
    kept = compile_expr(FILTER_EXAMPLE, names=["removed"])
    assert kept({"removed": {"email": "bob@x", "earlier": earlier}}) == earlier[:1]
    assert kept({"removed": {"email": "ann@x", "earlier": earlier}}) == []
