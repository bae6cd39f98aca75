"""The law: compiled evaluation agrees with a reference evaluation of the tree; and the keys
an expression reads."""

from __future__ import annotations

import functools
import operator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb_lint.errors import InputError
from kb_lint.expr import compile_expr

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
