"""A step reads the events before its own, of its instance, as ``<as>.earlier`` (a check rule
over events as ``earlier``, a procedure's change as ``change.earlier``): F4 of the KB 651 trial,
"the third user removed since the licence count was last cleared", through a pack of the tests'
own (``earlier-pack/pack.yaml``, KB996)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb_lint.engine import check_deployment
from kb_lint.engine.state import PlanState
from kb_lint.errors import InputError
from kb_lint.expr import compile_expr
from kb_lint.expr.prefix import Log, Prefix
from kb_lint.expr.values import Indexed
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

HERE = Path(__file__).parent / "earlier-pack"
PACK = load_pack(HERE / "pack.yaml")


def _found(path: Path) -> list[tuple[str, int, str]]:
    """Each finding's rule, its timeline entry (counted from 1) and its message."""
    dep = read_deployment(path, vocabulary_of([PACK]))
    first = dep.document.locate(("timeline", 0))[0]
    return [(f.rule, f.location.line - first + 1, f.message) for f in check_deployment(dep, [PACK])]


def test_a_step_counts_the_events_before_it_of_its_instance():
    """Bob, Cy and Ann are removed from cloud after its count is cleared (Eve's removal from
    spare between them is another instance's): Ann's is the third, counted as the removals
    before her less those before the clearing; she is named by two earlier events of cloud;
    the first clearing follows a removal, and the users were not noted before it."""
    assert _found(HERE / "removals.yaml") == [
        ("KB996-003", 2, "KB996-P1 step 1 comes after clear-licences of cloud"),
        (
            "KB996-001",
            7,
            "ann@x.example is the third user removed from cloud since its licence count was "
            "cleared at timeline entry 2 (3 removals of 5 events of cloud before it)",
        ),
        (
            "KB996-002",
            7,
            "ann@x.example removed from cloud again (2 earlier events of cloud name them, of the "
            "3 mailboxes they name)",
        ),
    ]


def test_each_event_s_earlier_is_a_view_of_one_log_not_a_copy():
    """One replay keeps one log per instance; an event's ``earlier`` is a prefix of it (its
    length then), which later events do not lengthen."""
    dep = read_deployment(HERE / "removals.yaml", vocabulary_of([PACK]))
    state = PlanState(dep, earlier=True)
    seen = []
    for event in dep.timeline:
        seen.append(state.seen(event, with_state=False)["earlier"])
        state.apply(event)
    assert all(isinstance(p, Prefix) for p in seen)
    assert [len(p) for p in seen] == [0, 1, 2, 3, 4, 0, 5, 6, 7, 8]
    cloud = {id(p.log) for p, e in zip(seen, dep.timeline, strict=True) if e.instance == "cloud"}
    assert len(cloud) == 1
    assert [e["action"] for e in seen[2]] == ["remove-user", "clear-licences"]


@pytest.mark.parametrize(
    ("changes", "where", "says"),
    [
        (  # no timeline event in scope: a check rule over policies
            [
                ("    over: events\n", "    over: policies\n"),
                ("{email} removed from {instance} again", "{policy} removed"),
                (
                    '    where: action == "remove-user"\n    when: email in earlier.email',
                    "    when: len(earlier) > 1",
                ),
            ],
            (59, 32),
            "unknown name 'earlier'",
        ),
        (  # an event that names no instance has no earlier events of one
            [
                (
                    "      - {as: cleared, action: clear-licences}",
                    "      - {as: cleared, action: remove-riva-data}",
                )
            ],
            (43, 27),
            "unknown key 'earlier' of event",
        ),
        (
            [("removed.earlier.action", "removed.earlier.actoin")],
            (42, 37),
            "unknown key 'actoin' of event (did you mean 'action'?)",
        ),
        (
            [("    licences: {type", "    earlier: {type")],
            (7, 14),
            "'earlier' is a name a sequence step gives its event",
        ),
    ],
)
def test_reading_earlier_where_no_event_has_it_is_an_error_at_its_place(
    tmp_path, changes, where, says
):
    text = (HERE / "pack.yaml").read_text("utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "pack.yaml").write_text(text, "utf-8")
    (tmp_path / "removals.yaml").write_text((HERE / "removals.yaml").read_text("utf-8"))
    with pytest.raises(InputError) as caught:
        load_pack(tmp_path / "pack.yaml")
    error = getattr(caught.value, "errors", [caught.value])[0]
    assert ((error.line, error.column), says in error.message) == (where, True), error.message


VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["a", "b"]))
AGGREGATES = [
    "len(p)",
    "len(p.f)",
    "count(p.f, v)",
    "v in p.f",
    "v not in p.f",
    "any(p.f)",
    "distinct(p.f)",
    "len(distinct(p.f))",
    "p.f",
    "p[-1].f if len(p) else null",
    "p.f == q",
]


@given(st.lists(VALUES, max_size=12), st.integers(0, 12), VALUES)
def test_a_prefix_reads_as_the_list_of_its_records(values, stop, v):
    """The law: every aggregate over a prefix of a log equals the same aggregate over a copy
    of the prefix as a plain list, whatever the records hold (nulls, booleans beside numbers)."""
    log = Log(["f"])
    for value in values:
        log.append({"f": value})
    stop = min(stop, len(values))
    prefix = Prefix(log, stop)
    copied = [{"f": value} for value in values[:stop]]
    for source in AGGREGATES:
        expr = compile_expr(source)
        view = expr({"p": prefix, "v": v, "q": [r["f"] for r in copied]})
        plain = expr({"p": copied, "v": v, "q": [r["f"] for r in copied]})
        assert (list(view) if isinstance(view, Indexed) else view) == plain, source
