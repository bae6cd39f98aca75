"""The rule-pack expression language: values, operators, functions, errors, safety, and a law."""

from __future__ import annotations

import functools
import operator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb_lint.expr
from kb_lint.errors import InputError
from kb_lint.expr import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, Expr, compile_expr

BINDINGS = [
    {
        "instance": "cloud-1",
        "category": "Riva",
        "sync_all_items": False,
        "data_types": ["contacts", "tasks"],
    },
    {"instance": "onprem-1", "category": "Riva", "sync_all_items": True, "data_types": ["tasks"]},
    {
        "instance": "onprem-2",
        "category": "CRM",
        "sync_all_items": False,
        "data_types": ["tasks", "leads"],
    },
]
ENV = {
    "policy": {"enabled": True, "sync_all_items": False},
    "bindings": BINDINGS,
    "instance": {"kind": "cloud"},
    "email": "A@B.com",
    "step": {"action": "remove-user"},
    "n": 3,
    "s": "Hello",
    "nothing": None,
    "items": [1, 2, 3],
    "nested": {"a": {"b": [10, 20]}},
}


def ev(source: str, env: dict[str, Any] | None = None) -> Any:
    return compile_expr(source)(ENV if env is None else env)


def error_of(source: str, env: dict[str, Any] | None = None, **where: Any) -> str:
    """The ``path:line:col: message`` of the InputError that compiling or evaluating raises."""
    with pytest.raises(InputError) as caught:
        compile_expr(source, **where)(ENV if env is None else env)
    return str(caught.value)


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
        ("'a' < 1", "<expr>:1:5: '<' compares two numbers or two strings, not a string and an int"),
        ("null >= 1", "<expr>:1:6: '>=' compares two numbers or two strings, not null and an int"),
        (
            "true > false",
            "<expr>:1:6: '>' compares two numbers or two strings, not a bool and a bool",
        ),
        ("[1] < [2]", "<expr>:1:5: '<' compares two numbers or two strings, not a list and a list"),
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


# -- functions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("len('abc')", 3),
        ("len(items)", 3),
        ("len(policy)", 2),
        ("len(bindings)", 3),
        ("count([1, 2, 1, true], 1)", 2),
        ("count(bindings.category, 'Riva')", 2),
        ("distinct([3, 1, 3, 2, 1])", [3, 1, 2]),
        ("distinct([1, true, 1.0, 'a', null, null])", [1, True, "a", None]),
        (
            "distinct([[1], [1], [2], policy, policy])",
            [[1], [2], {"enabled": True, "sync_all_items": False}],
        ),
        ("any([])", False),
        ("any([0, null, 'x'])", True),
        ("all([])", True),
        ("all([1, true, 'x'])", True),
        ("all([1, ''])", False),
        ("min([3, 1.5, 2])", 1.5),
        ("max(['b', 'c', 'a'])", "c"),
        ("min([])", None),
        ("max([])", None),
        ("sum([1, 2, 3.5])", 6.5),
        ("sum([])", 0),
        ("lower('AbC')", "abc"),
        ("upper('AbC')", "ABC"),
        ("trim('  a b \\n')", "a b"),
        ("union([[1, 2], [2, 3], [1]])", [1, 2, 3]),
        ("union([])", []),
        ("union(bindings.data_types)", ["contacts", "tasks", "leads"]),
        ("intersect([[3, 2, 1, 2], [1, 2], [2, 1, 9]])", [2, 1]),
        ("intersect([])", []),
        ("intersect([[1, 2], []])", []),
        ("intersect(bindings.data_types)", ["tasks"]),
        ("flatten([[1], [], [2, [3]]])", [1, 2, [3]]),
        ("sorted([3, 1, 2.5])", [1, 2.5, 3]),
        ("sorted(bindings.category)", ["CRM", "Riva", "Riva"]),
        ("startswith(s, 'He')", True),
        ("endswith(s, 'lo')", True),
        ("endswith(s, 'He')", False),
        ("contains(items, 2)", True),
        ("contains(s, 'll')", True),
        ("contains(policy, 'enabled')", True),
    ],
)
def test_functions(source: str, expected: Any) -> None:
    value = ev(source)
    assert value == expected
    assert type(value) is type(expected)


def test_every_function_is_tested_and_listed_in_the_module_docstring() -> None:
    tested = {p.split("(")[0] for p, _ in _parameters(test_functions)}
    assert tested == set(FUNCTIONS)
    doc = kb_lint.expr.__doc__ or ""
    for function in FUNCTIONS.values():
        assert f"- ``{function.signature}``: {function.summary}\n" in doc


def _parameters(test: Any) -> list[tuple[str, Any]]:
    (mark,) = [m for m in test.pytestmark if m.name == "parametrize"]
    return mark.args[1]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("len(n)", "<expr>:1:5: len() needs a string, list or mapping, got an int"),
        ("lower(nothing)", "<expr>:1:7: lower() needs a string, got null"),
        ("upper(1)", "<expr>:1:7: upper() needs a string, got an int"),
        ("trim([])", "<expr>:1:6: trim() needs a string, got a list"),
        ("startswith(s, 1)", "<expr>:1:15: startswith() needs a string, got an int"),
        ("endswith(1, s)", "<expr>:1:10: endswith() needs a string, got an int"),
        (
            "contains(1, 1)",
            "<expr>:1:10: cannot look for a value in an int: it must be a list, string or mapping",
        ),
        (
            "contains(s, 1)",
            "<expr>:1:13: cannot look for an int in a string: the substring must be a string",
        ),
        ("any(s)", "<expr>:1:5: any() needs a list, got a string"),
        ("all(null)", "<expr>:1:5: all() needs a list, got null"),
        ("count(s, 'l')", "<expr>:1:7: count() needs a list, got a string"),
        ("distinct(policy)", "<expr>:1:10: distinct() needs a list, got a mapping"),
        ("sum([1, 'a'])", "<expr>:1:5: sum() needs numbers, got a list holding a string"),
        ("sum([true])", "<expr>:1:5: sum() needs numbers, got a list holding a bool"),
        (
            "min([1, 'a'])",
            "<expr>:1:5: min() needs all numbers or all strings, got number and string",
        ),
        ("sorted([null])", "<expr>:1:8: sorted() needs all numbers or all strings, got null"),
        (
            "flatten([[1], 2])",
            "<expr>:1:9: flatten() needs a list of lists, got a list holding an int",
        ),
        ("union(items)", "<expr>:1:7: union() needs a list of lists, got a list holding an int"),
        ("intersect(1)", "<expr>:1:11: intersect() needs a list, got an int"),
    ],
)
def test_function_type_errors_point_at_the_argument(source: str, message: str) -> None:
    assert error_of(source) == message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("len()", "<expr>:1:1: len(value) takes 1 argument, got 0"),
        ("len(items, 1)", "<expr>:1:1: len(value) takes 1 argument, got 2"),
        ("count(items)", "<expr>:1:1: count(list, value) takes 2 arguments, got 1"),
        ("1 + lenght(items)", "<expr>:1:5: unknown function 'lenght' (did you mean 'len'?)"),
        ("distinc(items)", "<expr>:1:1: unknown function 'distinc' (did you mean 'distinct'?)"),
    ],
)
def test_function_arity_and_names_are_checked_when_compiling(source: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        compile_expr(source)
    assert str(caught.value) == message


def test_calling_a_name_says_it_is_not_a_function() -> None:
    with pytest.raises(InputError, match="'policy' is a name, not a function"):
        compile_expr("policy(1)", names=["policy"])


# -- safety -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "__import__",
        "().__class__",
        "a.__class__",
        "a.__class__.__bases__",
        "a['__class__']",
        "[].__class__",
        "''.join(['a'])",
        "a._private",
        "_hidden",
        "open('/etc/passwd')",
        "eval('1')",
        "exec('x = 1')",
        "compile('1', 'f', 'eval')",
        "getattr(a, 'b')",
        "globals()",
        "type(a)",
        "lambda: 1",
        "import os",
        "a.b()",
        "(len)(a)",
        "x := 1",
        "[x for x in a]",
        "{'k': 1}",
        "a; b",
        "a ** 2",
        "a // 2",
        "f'{a}'",
        "a is null",
        "len",
    ],
)
def test_escapes_to_python_are_refused(source: str) -> None:
    """Nothing reaches Python internals: each input is an InputError, or a value that is data."""
    env = {"a": {"b": 1, "__class__": "data, not a class"}, "x": 1}
    try:
        value = compile_expr(source, names=["a", "x"])(env)
    except InputError as error:
        assert error.line == 1 and error.column >= 1
    else:
        assert source == "a['__class__']" and value == "data, not a class"


def test_function_names_are_not_values() -> None:
    with pytest.raises(InputError, match="unknown name 'len'"):
        compile_expr("len", names=["a"])


# -- syntax errors, limits, positions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "<expr>:1:1: empty expression"),
        ("   ", "<expr>:1:1: empty expression"),
        ("'abc", "<expr>:1:1: unterminated string: no closing ' on this line"),
        ('"ab\nc"', '<expr>:1:1: unterminated string: no closing " on this line'),
        ('"a\\qb"', "<expr>:1:3: unknown escape '\\q'; use '\\\\' for a backslash"),
        ("a = 1", "<expr>:1:3: unexpected character '='; use '==' to compare"),
        ("!a", "<expr>:1:1: unexpected character '!'; use 'not' or '!='"),
        ("a && b", "<expr>:1:3: unexpected character '&'; use 'and'"),
        ("a || b", "<expr>:1:3: unexpected character '|'; use 'or'"),
        ("12abc", "<expr>:1:1: malformed number '12a'"),
        ("1.2.3", "<expr>:1:1: malformed number '1.2.'"),
        ("a b", "<expr>:1:3: expected an operator or the end of the expression, found 'b'"),
        (
            "a is null",
            "<expr>:1:3: expected an operator or the end of the expression, found 'is'; "
            "write '==' or '!='",
        ),
        ("(a", "<expr>:1:3: expected ')', found the end of the expression"),
        ("[1, 2", "<expr>:1:6: expected ',' or ']', found the end of the expression"),
        ("[1, ]", "<expr>:1:5: expected a value, found ']'"),
        ("len(a b)", "<expr>:1:7: expected ',' or ')', found 'b'"),
        ("a[1", "<expr>:1:4: expected ']', found the end of the expression"),
        ("a.1", "<expr>:1:3: expected a key after '.', found '1'"),
        ("a if b", "<expr>:1:7: expected 'else', found the end of the expression"),
        ("and a", "<expr>:1:1: expected a value, found 'and'"),
        ("a and", "<expr>:1:6: expected a value, found the end of the expression"),
        ("1 +", "<expr>:1:4: expected a value, found the end of the expression"),
        ("\u0663 + 1", "<expr>:1:1: unexpected character '\u0663'"),
        ("caf\u00e9", "<expr>:1:4: unexpected character '\u00e9'"),
        ("1 == not a", "<expr>:1:6: expected a value, found 'not'"),
        ("-not a", "<expr>:1:2: expected a value, found 'not'"),
        ("a not b", "<expr>:1:3: expected an operator or the end of the expression, found 'not'"),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        compile_expr(source)
    assert str(caught.value) == message


def test_a_non_string_source_is_an_input_error() -> None:
    with pytest.raises(InputError, match="expected an expression, got an int"):
        compile_expr(5)  # type: ignore[arg-type]


def test_source_length_is_limited() -> None:
    compile_expr("1" + " " * (MAX_LENGTH - 1))
    with pytest.raises(InputError, match=f"4001 characters long; the limit is {MAX_LENGTH}"):
        compile_expr("1" + " " * MAX_LENGTH)


@pytest.mark.parametrize(
    "source",
    [
        "(" * 1500 + "1" + ")" * 1500,
        "[" * 2000 + "]" * 2000,
        "not " * 900 + "true",
        "-" * 3000 + "1",
        " + ".join(["1"] * 1000),
        ".".join(["a"] * 1000),
        "len(" * 800 + ")" * 800,
        " else ".join(["1 if true"] * 200) + " else 0",
    ],
)
def test_pathological_nesting_is_refused_cleanly(source: str) -> None:
    with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} levels deep"):
        compile_expr(source)


def test_nesting_up_to_the_limit_compiles_and_evaluates() -> None:
    depth = MAX_DEPTH - 1
    assert ev("lower(" * depth + "'X'" + ")" * depth) == "x"
    assert ev("(" * depth + "1" + ")" * depth) == 1
    with pytest.raises(InputError, match="nested more than"):
        compile_expr("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH)


def test_moderate_nesting_is_fine() -> None:
    assert ev("(" * 30 + "1" + ")" * 30) == 1
    assert ev(" + ".join(["1"] * 60)) == 60
    assert ev(" and ".join(["true"] * 300)) is True


def test_errors_carry_the_file_position_of_the_expression() -> None:
    with pytest.raises(InputError) as caught:
        compile_expr(
            "policy.enabled and lower(email) = 'x'",
            path="rules/kb-105/pack.yaml",
            line=40,
            column=15,
        )
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        "rules/kb-105/pack.yaml",
        40,
        47,
    )
    assert str(caught.value).startswith("rules/kb-105/pack.yaml:40:47: unexpected character '='")


def test_multi_line_expressions_map_to_the_line_and_column_in_the_file() -> None:
    """A YAML block scalar: every line of the text starts at the block's indentation column."""
    source = "len(bindings) > 1\nand (\n  lower(email) ==\n    trim(n)\n)\n"
    expr = compile_expr(
        source, path="pack.yaml", line=20, column=9, names=["bindings", "email", "n"]
    )
    with pytest.raises(InputError) as caught:
        expr({"bindings": [1, 2], "email": "x", "n": 5})
    assert str(caught.value) == "pack.yaml:23:18: trim() needs a string, got an int"
    with pytest.raises(InputError) as caught:
        compile_expr(
            source.replace("email", "emial"),
            path="pack.yaml",
            line=20,
            column=9,
            names=["bindings", "email", "n"],
        )
    assert str(caught.value) == ("pack.yaml:22:17: unknown name 'emial' (did you mean 'email'?)")
    with pytest.raises(InputError) as caught:
        compile_expr("a and\n\n  (b", path="p.yaml", line=3, column=5)
    assert str(caught.value) == "p.yaml:5:9: expected ')', found the end of the expression"


def test_a_compiled_expression_is_reusable_and_independent_of_earlier_environments() -> None:
    expr = compile_expr("len(distinct(bindings.category))", names=["bindings"])
    assert [expr({"bindings": BINDINGS[:k]}) for k in range(4)] == [0, 1, 1, 2]


# -- the law: compiled evaluation agrees with a reference evaluation of the tree ------------------
#
# Trees are tuples: ("lit", value, rendering) | ("var", name) | ("neg", t) | ("not", t)
# | ("bin", symbol, left, right) | ("and"|"or", left, right) | ("if", cond, then, else)
# | ("call", function, args...) | ("list", items...)

VARIABLES = {"int": ["n", "m"], "str": ["s"], "bool": ["flag"]}
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
PRECEDENCE = {
    "if": 0,
    "or": 1,
    "and": 2,
    "not": 3,
    "cmp": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "neg": 7,
    "atom": 8,
}
COMPARISON = ("==", "!=", "<", "<=", ">", ">=")


def _string_literal(value: str, quote: str) -> str:
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return quote + escaped.replace("\n", "\\n").replace("\t", "\\t") + quote


def _leaf(kind: str) -> st.SearchStrategy[tuple[Any, ...]]:
    variables = st.sampled_from(VARIABLES[kind]).map(lambda name: ("var", name))
    if kind == "int":
        literal = st.integers(-1000, 1000).map(lambda v: ("lit", v, str(v)))
    elif kind == "bool":
        literal = st.booleans().map(lambda v: ("lit", v, "true" if v else "false"))
    else:
        literal = st.builds(
            lambda v, q: ("lit", v, _string_literal(v, q)), TEXT, st.sampled_from("'\"")
        )
    return st.one_of(literal, variables)


@functools.cache
def trees(kind: str, depth: int) -> st.SearchStrategy[tuple[Any, ...]]:
    """Well-typed trees of ``kind`` (int, bool or str) at most ``depth`` operators deep."""
    if depth == 0:
        return _leaf(kind)
    ints, strs, bools = trees("int", depth - 1), trees("str", depth - 1), trees("bool", depth - 1)
    branches = {
        "int": [
            st.tuples(st.just("neg"), ints),
            st.tuples(st.just("bin"), st.sampled_from("+-*/"), ints, ints),
            st.tuples(st.just("call"), st.just("len"), strs),
            st.tuples(
                st.just("call"),
                st.sampled_from(["min", "max", "sum"]),
                st.lists(ints, min_size=1, max_size=3).map(lambda xs: ("list", *xs)),
            ),
            st.tuples(st.just("if"), bools, ints, ints),
        ],
        "str": [
            st.tuples(st.just("bin"), st.just("+"), strs, strs),
            st.tuples(st.just("call"), st.sampled_from(["lower", "upper", "trim"]), strs),
            st.tuples(st.just("if"), bools, strs, strs),
        ],
        "bool": [
            st.tuples(st.just("not"), bools),
            st.tuples(st.sampled_from(["and", "or"]), bools, bools),
            st.tuples(st.just("bin"), st.sampled_from(COMPARISON), ints, ints),
            st.tuples(st.just("bin"), st.sampled_from(COMPARISON), strs, strs),
            st.tuples(st.just("bin"), st.sampled_from(["==", "!="]), bools, bools),
            st.tuples(st.just("bin"), st.sampled_from(["in", "not in"]), strs, strs),
            st.tuples(
                st.just("bin"),
                st.just("in"),
                ints,
                st.lists(ints, max_size=3).map(lambda xs: ("list", *xs)),
            ),
            st.tuples(
                st.just("call"), st.sampled_from(["startswith", "endswith", "contains"]), strs, strs
            ),
            st.tuples(st.just("if"), bools, bools, bools),
        ],
    }[kind]
    return st.one_of(_leaf(kind), *branches)


def render(tree: tuple[Any, ...]) -> tuple[str, int]:
    """Source text with only the parentheses precedence needs, and its precedence level."""
    kind = tree[0]

    def wrapped(child: tuple[Any, ...], least: int) -> str:
        text, level = render(child)
        return f"({text})" if level < least else text

    if kind == "lit":
        return tree[2], PRECEDENCE["neg"] if tree[2].startswith("-") else PRECEDENCE["atom"]
    if kind == "var":
        return tree[1], PRECEDENCE["atom"]
    if kind == "neg":
        return "-" + wrapped(tree[1], PRECEDENCE["neg"]), PRECEDENCE["neg"]
    if kind == "not":
        return "not " + wrapped(tree[1], PRECEDENCE["not"]), PRECEDENCE["not"]
    if kind in ("and", "or"):
        level = PRECEDENCE[kind]
        return f"{wrapped(tree[1], level)} {kind} {wrapped(tree[2], level + 1)}", level
    if kind == "bin":
        symbol = tree[1]
        level = PRECEDENCE["cmp"] if symbol in (*COMPARISON, "in", "not in") else PRECEDENCE[symbol]
        left_least = level + 1 if level == PRECEDENCE["cmp"] else level
        return f"{wrapped(tree[2], left_least)} {symbol} {wrapped(tree[3], level + 1)}", level
    if kind == "if":
        cond, then, otherwise = tree[1:]
        return f"{wrapped(then, 1)} if {wrapped(cond, 1)} else {wrapped(otherwise, 0)}", 0
    if kind == "call":
        return f"{tree[1]}({', '.join(render(arg)[0] for arg in tree[2:])})", PRECEDENCE["atom"]
    assert kind == "list"
    return f"[{', '.join(render(item)[0] for item in tree[1:])}]", PRECEDENCE["atom"]


REFERENCE_BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}
REFERENCE_CALLS = {
    "len": len,
    "min": min,
    "max": max,
    "sum": sum,
    "lower": str.lower,
    "upper": str.upper,
    "trim": str.strip,
    "startswith": str.startswith,
    "endswith": str.endswith,
    "contains": lambda haystack, needle: needle in haystack,
}


def reference(tree: tuple[Any, ...], env: dict[str, Any]) -> Any:
    """Python's own semantics on the tree; raises ZeroDivisionError for ``x / 0``."""
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "var":
        return env[tree[1]]
    if kind == "neg":
        return -reference(tree[1], env)
    if kind == "not":
        return not reference(tree[1], env)
    if kind == "and":
        return reference(tree[1], env) and reference(tree[2], env)
    if kind == "or":
        return reference(tree[1], env) or reference(tree[2], env)
    if kind == "if":
        return reference(tree[2] if reference(tree[1], env) else tree[3], env)
    if kind == "bin":
        return REFERENCE_BINARY[tree[1]](reference(tree[2], env), reference(tree[3], env))
    if kind == "call":
        return REFERENCE_CALLS[tree[1]](*(reference(arg, env) for arg in tree[2:]))
    assert kind == "list"
    return [reference(item, env) for item in tree[1:]]


ENVIRONMENTS = st.fixed_dictionaries(
    {"n": st.integers(-50, 50), "m": st.integers(-3, 3), "s": TEXT, "flag": st.booleans()}
)


@settings(max_examples=200, deadline=None)
@given(
    tree=st.sampled_from(["int", "str", "bool"]).flatmap(lambda kind: trees(kind, 3)),
    env=ENVIRONMENTS,
)
def test_compiled_evaluation_equals_reference_evaluation_of_the_rendered_tree(
    tree: tuple[Any, ...], env: dict[str, Any]
) -> None:
    """Law: for every well-typed tree t, compile_expr(render(t))(env) == reference(t, env), and
    evaluation raises InputError("division by zero") exactly when the reference divides by zero."""
    source, _ = render(tree)
    expr = compile_expr(source, names=env)
    try:
        expected = reference(tree, env)
    except ZeroDivisionError:
        with pytest.raises(InputError, match="division by zero"):
            expr(env)
        return
    actual = expr(env)
    assert actual == expected
    assert type(actual) is type(expected)


@pytest.mark.parametrize(
    ("source", "keys"),
    [
        ("len(distinct(bindings.category))", {"category"}),
        ('bindings[0]["folder_root"] == bindings[-1].category', {"folder_root", "category"}),
        ("bindings.data_types[0]", {"data_types"}),
        ("len(bindings) + 1", set()),
        ("true", set()),
        # a whole record, or a computed key, could read anything
        ("len(distinct(bindings))", None),
        ("bindings[0] == bindings[1]", None),
        ("count(bindings, bindings[0])", None),
        ('"category" in bindings[0]', None),
        ("bindings[0][key]", None),
    ],
)
def test_keys_name_every_key_an_expression_can_read(source, keys):
    found = compile_expr(source).keys
    assert (set(found) if found is not None else None) == keys
