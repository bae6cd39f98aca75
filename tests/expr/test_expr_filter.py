"""Filters, ``[e in items if condition]``: the elements a condition keeps, in order, with the
element named in the condition and every other name as outside; checked when the pack loads
as every name and key is."""

from __future__ import annotations

import pytest
from expr_env import error_of, ev
from hypothesis import given
from hypothesis import strategies as st

from kb_lint.errors import InputError
from kb_lint.expr import compile_expr
from kb_lint.expr.prefix import Log, Prefix
from kb_lint.expr.shapes import STRING, ListOf, Record, enum

EVENT = Record(
    "event",
    {
        "action": enum("action", ("remove-user", "reinitialize-user")),
        "reinit_type": enum("reinit_type", ("full", "resync", "clear")),
        "email": STRING,
    },
)
SHAPES = {"removed": Record("event", {**EVENT.fields, "earlier": ListOf(EVENT)})}
CLEARS_OF_THIS_USER = (
    '[e in removed.earlier if e.action == "reinitialize-user" and e.reinit_type == "clear" '
    "and e.email == removed.email]"
)

VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["a", "b"]))
RECORDS = st.lists(st.fixed_dictionaries({"f": VALUES, "g": VALUES}), max_size=10)
# Each condition beside the Python that keeps the same elements (truth as ``if`` takes it).
CONDITIONS = {
    "e.f == v": lambda r, v: r["f"] == v and type(r["f"]) is type(v),
    "e.f != e.g": lambda r, v: not (r["f"] == r["g"] and type(r["f"]) is type(r["g"])),
    "e.f": lambda r, v: bool(r["f"]),
    "not e.g or e.f == v": lambda r, v: not r["g"] or (r["f"] == v and type(r["f"]) is type(v)),
    "true": lambda r, v: True,
    "false": lambda r, v: False,
}


@given(RECORDS, VALUES, st.sampled_from(sorted(CONDITIONS)))
def test_a_filter_keeps_what_a_list_comprehension_keeps(records, v, condition):
    """The law: a filter equals Python's ``[r for r in xs if cond(r)]``, over a plain list and
    over a prefix of a log (``earlier``) alike, and every aggregate reads it as that list."""
    kept = [r for r in records if CONDITIONS[condition](r, v)]
    log = Log(["f", "g"])
    for record in records:
        log.append(record)
    for xs in (records, Prefix(log, len(records))):
        env = {"xs": xs, "v": v}
        assert compile_expr(f"[e in xs if {condition}]")(env) == kept
        assert compile_expr(f"len([e in xs if {condition}])")(env) == len(kept)
        assert compile_expr(f"[e in xs if {condition}].g")(env) == [r["g"] for r in kept]
        for aggregate in ("count({}.f, v)", "any({})", "distinct({}.f)", "v in {}.g"):
            filtered = compile_expr(aggregate.format(f"[e in xs if {condition}]"))(env)
            assert filtered == compile_expr(aggregate.format("k"))({"k": kept, "v": v})


@given(RECORDS)
def test_a_filter_that_keeps_everything_is_as_long_as_its_list(records):
    assert compile_expr("len([e in xs if true]) == len(xs)")({"xs": records}) is True


def test_the_trial_s_clear_of_this_user_not_another_s():
    """Trial 12 P5: Bob's mailbox was cleared, Ann's never; Ann's removal reads no clear of
    hers, though the instance's earlier events hold one."""
    earlier = [
        {"action": "reinitialize-user", "reinit_type": "clear", "email": "bob@x"},
        {"action": "reinitialize-user", "reinit_type": "full", "email": "ann@x"},
        {"action": "remove-user", "reinit_type": None, "email": "bob@x"},
    ]
    count = compile_expr(f"len({CLEARS_OF_THIS_USER})", shapes=SHAPES)
    assert count({"removed": {"email": "ann@x", "earlier": earlier}}) == 0
    assert count({"removed": {"email": "bob@x", "earlier": earlier}}) == 1


def test_the_filter_reads_outer_names_and_the_element_s_keys_only_through_it():
    expr = compile_expr(CLEARS_OF_THIS_USER, shapes=SHAPES)
    assert expr.names == {"removed"}  # the element's name is no free name
    assert expr.paths == (("removed", "earlier"), ("removed", "email"))
    assert expr.keys == {"earlier", "action", "reinit_type", "email"}
    assert str(expr.shape) == "a list of events"


@pytest.mark.parametrize(
    ("source", "at", "says"),
    [
        (
            CLEARS_OF_THIS_USER.replace("e.email ==", "e.emial =="),
            "emial",
            "unknown key 'emial' of event (did you mean 'email'?)",
        ),
        (
            CLEARS_OF_THIS_USER.replace('"clear"', '"clean"'),
            '"clean"',
            "'clean' is not a value of reinit_type (full, resync, clear); did you mean 'clear'?",
        ),
        (
            CLEARS_OF_THIS_USER.replace("e.email", "ev.email"),
            "ev.email",
            "unknown name 'ev' (did you mean 'e'?)",
        ),
        ("[removed in removed.earlier if true]", "removed in", "'removed' is a name in scope"),
        ("[e in removed.email if true]", "removed.email", "a filter needs a list, got a string"),
        (
            "[e in removed.earlier if len([f in removed.earlier if f.email]) > 0]",
            "[f in",
            "a filter's condition cannot hold another filter",
        ),
        (
            "[e in removed.earlier if e.email else null]",
            "else",
            "a filter has no 'else'; put a conditional list element in parentheses",
        ),
        ("[e in removed.earlier == 1 if true]", "==", "expected 'if' and the filter's condition"),
        ("[e in removed.earlier if true", "", "expected ']' after the filter's condition"),
    ],
)
def test_a_filter_s_mistakes_are_errors_at_their_place_when_it_compiles(source, at, says):
    """Written at column 11 of line 4 of a pack: the error is at the character of ``at``."""
    with pytest.raises(InputError) as caught:
        compile_expr(source, path="pack.yaml", line=4, column=11, shapes=SHAPES)
    error = caught.value
    column = 11 + (source.index(at) if at else len(source))
    assert ((error.line, error.column), says in error.message) == ((4, column), True), str(error)


def test_a_filter_over_what_is_no_list_at_run_time_is_an_error_at_the_list():
    assert error_of("[e in s if e]") == "<expr>:1:7: a filter needs a list, got a string"
    assert error_of("[e in items if e > s]") == (
        "<expr>:1:18: '>' compares two numbers, two strings or two versions, not an int and "
        "a string"
    )


def test_a_list_literal_that_only_looks_like_a_filter_stays_one():
    """A filter needs its 'if' outside brackets before the list's first ','."""
    assert ev("[n in items, n in [n]]") == [True, True]
    assert ev("[n in items]") == [True]
    assert ev("[n in [x in items if x > 1] , 1]") == [True, 1]
    assert ev("[(n in items if n else false)]") == [True]
    assert ev("[x in items if x > n - 2]") == [2, 3]  # outer n beside the element x
