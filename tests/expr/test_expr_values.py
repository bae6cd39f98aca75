"""Values, names, lookups and operators of the rule-pack expression language."""

from __future__ import annotations

from typing import Any

import pytest
from expr_env import error_of, ev

from kb_lint.errors import InputError
from kb_lint.expr import Expr, compile_expr

# -- the examples rule writers use ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("policy.enabled and not policy.sync_all_items", True),
        ("len(distinct(bindings.category)) == 1", False),
        (
            '"one" if len(distinct(bindings.category)) == 1 else ("distinct" if '
            'len(distinct(bindings.category)) == len(bindings) else "shared")',
            "shared",
        ),
        ("any(bindings.sync_all_items)", True),
        ('instance.kind == "cloud" and lower(email) in ["a@b.com"]', True),
        ("len(intersect(bindings.data_types)) > 0", True),
        ('step.action not in ["add-user"]', True),
    ],
)
def test_the_documented_examples_evaluate(source: str, expected: Any) -> None:
    assert ev(source) == expected


# -- literals and names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("42", 42),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("'single'", "single"),
        ('"double"', "double"),
        (r'"a\"b\\c\nd\te"', 'a"b\\c\nd\te'),
        (r"'it\'s'", "it's"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[1, 'a', [true, null]]", [1, "a", [True, None]]),
        ("[]", []),
    ],
)
def test_literals(source: str, expected: Any) -> None:
    value = ev(source)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("word", "fix"), [("True", "true"), ("False", "false"), ("None", "null")])
def test_capitalised_constants_are_refused_with_the_lower_case_spelling(
    word: str, fix: str
) -> None:
    assert error_of(f"x == {word}") == f"<expr>:1:6: '{word}': write '{fix}'"


def test_free_names_are_recorded_and_looked_up_in_the_environment() -> None:
    expr = compile_expr("lower(email) in names and policy.enabled and len(names) > n")
    assert isinstance(expr, Expr)
    assert expr.names == frozenset({"email", "names", "policy", "n"})
    assert expr.source == "lower(email) in names and policy.enabled and len(names) > n"
    assert expr({"email": "X", "names": ["x"], "policy": {"enabled": True}, "n": 0}) is True


def test_unknown_name_with_allowed_names_is_a_compile_error_with_a_suggestion() -> None:
    with pytest.raises(InputError) as caught:
        compile_expr("len(bindngs) > 1", path="pack.yaml", line=7, column=12, names=["bindings"])
    assert str(caught.value) == "pack.yaml:7:16: unknown name 'bindngs' (did you mean 'bindings'?)"


def test_unknown_name_with_nothing_close_lists_the_known_names() -> None:
    message = error_of("zzz", names=["source", "target"])
    assert message == "<expr>:1:1: unknown name 'zzz' (known: source, target)"


def test_a_name_missing_from_the_environment_is_reported_at_evaluation() -> None:
    assert error_of("1 + polcy", env={"policy": 1}) == (
        "<expr>:1:5: 'polcy' is not defined here (did you mean 'policy'?)"
    )


# -- lookup and indexing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("policy.enabled", True),
        ("policy.missing", None),
        ("bindings.category", ["Riva", "Riva", "CRM"]),
        ("bindings.data_types", [["contacts", "tasks"], ["tasks"], ["tasks", "leads"]]),
        ("bindings.missing", [None, None, None]),
        ("nothing.anything.at_all", None),
        ("nested.a.b[1]", 20),
        ("nested['a']['b'][-1]", 10 + 10),
        ("items[0]", 1),
        ("items[-3]", 1),
        ("items[3]", None),
        ("items[-4]", None),
        ("nested['zzz']", None),
        ("nothing[0]", None),
        ("bindings[1].instance", "onprem-1"),
        ("policy.in", None),
    ],
)
def test_lookup_projection_and_indexing(source: str, expected: Any) -> None:
    assert ev(source) == expected


def test_dot_is_key_lookup_never_python_attribute_access() -> None:
    assert ev("policy.get") is None
    assert ev("policy.keys") is None
    assert ev("bindings.append") == [None, None, None]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("s.upper", "<expr>:1:3: cannot look up 'upper' in a string"),
        ("n.real", "<expr>:1:3: cannot look up 'real' in an int"),
        ("items.x", "<expr>:1:7: cannot look up 'x' in an int"),
        ("items['a']", "<expr>:1:6: a list index must be an int, not a string"),
        ("items[true]", "<expr>:1:6: a list index must be an int, not a bool"),
        ("items[1.0]", "<expr>:1:6: a list index must be an int, not a float"),
        ("policy[1]", "<expr>:1:7: a mapping key must be a string, not an int"),
        ("s[0]", "<expr>:1:2: cannot index a string: only lists and mappings can be indexed"),
    ],
)
def test_lookup_and_index_type_errors(source: str, message: str) -> None:
    assert error_of(source) == message


# -- operators ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true and false", False),
        ("true and 'x'", True),
        ("1 and 2 and 3", True),
        ("0 or ''", False),
        ("null or [] or 'x'", True),
        ("not 0", True),
        ("not not 'x'", True),
        ("not [1]", False),
        ("1 == 1.0", True),
        ("true == 1", False),
        ("false == 0", False),
        ("null == null", True),
        ("null == false", False),
        ("[1, [2, 'x']] == [1, [2, 'x']]", True),
        ("[1] == [true]", False),
        ("policy == policy", True),
        ("'a' != 'b'", True),
        ("1 < 2", True),
        ("2 <= 2", True),
        ("'b' > 'a'", True),
        ("2.5 >= 3", False),
        ("2 in [1, 2]", True),
        ("true in [1]", False),
        ("[1] in [[1], [2]]", True),
        ("'ell' in s", True),
        ("'enabled' in policy", True),
        ("'x' not in policy", True),
        ("3 not in items", False),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("7 / 2", 3.5),
        ("4 / 2", 2.0),
        ("-n * 2", -6),
        ("- -n", 3),
        ("'a' + 'b'", "ab"),
        ("[1] + [2, 3]", [1, 2, 3]),
        ("1 + 0.5", 1.5),
        ("'x' if true else 'y'", "x"),
        ("'x' if 0 else 'y'", "y"),
        ("1 if false else 2 if false else 3", 3),
        ("not 1 == 2", True),
        ("true or false and false", True),
        ("(true or false) and false", False),
        ("1 + 2 == 3 and 'a' < 'b'", True),
    ],
)
def test_operators(source: str, expected: Any) -> None:
    value = ev(source)
    assert value == expected
    assert type(value) is type(expected)


def test_conditional_evaluates_only_the_chosen_branch() -> None:
    assert ev("1 if true else 1 / 0") == 1
    assert ev("false and 1 / 0") is False
    assert ev("true or lower(1)") is True


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "'a' < 1",
            "<expr>:1:5: '<' compares two numbers, two strings or two versions, "
            "not a string and an int",
        ),
        (
            "null >= 1",
            "<expr>:1:6: '>=' compares two numbers, two strings or two versions, "
            "not null and an int",
        ),
        (
            "true > false",
            "<expr>:1:6: '>' compares two numbers, two strings or two versions, "
            "not a bool and a bool",
        ),
        (
            "[1] < [2]",
            "<expr>:1:5: '<' compares two numbers, two strings or two versions, "
            "not a list and a list",
        ),
        (
            "'a' + 1",
            "<expr>:1:5: '+' needs two numbers, two strings or two lists, got a string and an int",
        ),
        (
            "true + 1",
            "<expr>:1:6: '+' needs two numbers, two strings or two lists, got a bool and an int",
        ),
        ("'a' - 'b'", "<expr>:1:5: '-' needs two numbers, got a string and a string"),
        ("s * 2", "<expr>:1:3: '*' needs two numbers, got a string and an int"),
        ("n / 0", "<expr>:1:3: division by zero"),
        ("-'a'", "<expr>:1:1: '-' needs a number, got a string"),
        ("-true", "<expr>:1:1: '-' needs a number, got a bool"),
        (
            "1 in 2",
            "<expr>:1:3: cannot look for a value in an int: it must be a list, string or mapping",
        ),
        (
            "1 in s",
            "<expr>:1:3: cannot look for an int in a string: the substring must be a string",
        ),
        (
            "[1] not in policy",
            "<expr>:1:5: cannot look for a list in a mapping: the key must be a string",
        ),
        (
            "1 in null",
            "<expr>:1:3: cannot look for a value in null: it must be a list, string or mapping",
        ),
    ],
)
def test_operator_type_errors_name_the_types_at_the_operator(source: str, message: str) -> None:
    assert error_of(source) == message


def test_huge_numbers_are_refused_not_crashed() -> None:
    assert error_of("1" * 400 + " * 1.5") == "<expr>:1:402: the number is too large"


def test_comparisons_do_not_chain() -> None:
    assert error_of("1 < n < 5") == (
        "<expr>:1:7: comparisons do not chain; write 'a < b and b < c' instead of 'a < b < c'"
    )
    assert error_of("n == 1 in items").startswith("<expr>:1:8: comparisons do not chain")
    assert ev("(1 < n) == true") is True
