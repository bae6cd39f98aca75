"""Syntax errors, limits, and the file positions every error carries."""

from __future__ import annotations

import pytest
from expr_env import BINDINGS, ev

from kb_lint.errors import InputError
from kb_lint.expr import MAX_DEPTH, MAX_LENGTH, compile_expr

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
