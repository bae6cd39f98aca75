"""The functions of the expression language, and what it refuses to reach."""

from __future__ import annotations

from typing import Any

import pytest
from expr_env import error_of, ev

from kb_lint.errors import InputError
from kb_lint.expr import FUNCTIONS, compile_expr
from kb_lint.expr.reference import render

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
        ("ceil(750 / 250)", 3),
        ("ceil(800 / 250)", 4),
        ("ceil(-2.5)", -2),
        ("ceil(n)", 3),
        ("floor(3.9)", 3),
        ("floor(-3.1)", -4),
        ("round(2.5)", 3),
        ("round(-2.5)", -3),
        ("round(2.49)", 2),
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
        ("version('2.10') > version('2.9')", True),
        ("version('2.4') == version('2.4.0')", True),
        ("max([version('2.4.51'), version('2.4.9')]) == version('2.4.51')", True),
        ("days('2024-02-28', '2024-03-01')", 2),
        ("compact([1, null, 2, null])", [1, 2]),
        ("max(compact([null]))", None),
        ("days('2024-03-01', '2024-02-28')", -2),
    ],
)
def test_functions(source: str, expected: Any) -> None:
    value = ev(source)
    assert value == expected
    assert type(value) is type(expected)


def test_every_function_is_tested_and_listed_in_the_reference() -> None:
    tested = {p.split("(")[0] for p, _ in _parameters(test_functions)}
    assert tested == set(FUNCTIONS)
    reference = render()  # the language's reference, generated from the function table
    for function in FUNCTIONS.values():
        assert f"| `{function.signature}` | {function.summary.replace('``', '`')} |" in reference


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
        ("ceil(nothing)", "<expr>:1:6: ceil() needs a number, got null"),
        ("floor('3')", "<expr>:1:7: floor() needs a number, got a string"),
        ("round(true)", "<expr>:1:7: round() needs a number, got a bool"),
        ("ceil(1e308 * 10)", "<expr>:1:6: ceil() needs a finite number, got inf"),
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
        ("compact(s)", "<expr>:1:9: compact() needs a list, got a string"),
        ("days(s, '2024-01-01')", '<expr>:1:6: days() needs a date (YYYY-MM-DD), got "Hello"'),
        ("days('2024-01-01', 1)", "<expr>:1:20: days() needs a string, got an int"),
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


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("version('2.x')", "'2.x' is not a version"),
        ("version('2.4') < '2.5'", "write version('2.4') to compare versions"),
    ],
)
def test_versions_refuse_what_is_not_one(source: str, message: str) -> None:
    assert message in error_of(source)
