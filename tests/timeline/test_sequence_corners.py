"""Sequence patterns at corners no shipped pack reaches, through a pack of the tests' own
(``sequence-pack/pack.yaml``, KB995): a step whose ``where`` also compares two earlier steps
(only its own equalities key the partial matches), an absent step that comes last, and the
bound on partial matches alive."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.engine import check_deployment, sequence
from kb_lint.errors import InputError
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

HERE = Path(__file__).parent / "sequence-pack"
PACK = load_pack(HERE / "pack.yaml")


def _findings() -> list[Finding]:
    dep = read_deployment(HERE / "moves.yaml", vocabulary_of([PACK]))
    return check_deployment(dep, [PACK])


def test_an_equality_between_two_earlier_steps_is_no_key_of_the_later_one():
    """KB995-001's third step compares added and removed too; the clear-user event names no
    instance, so keying it on that equality would lose Ann's match."""
    found = [f for f in _findings() if f.rule == "KB995-001"]
    assert [(f.location.line, f.message, f.subject["events"]) for f in found] == [
        (15, "ann@x.example moved from Old to New on onprem, then cleared", [1, 3, 4])
    ]


def test_an_absent_last_step_forbids_its_event_until_the_timeline_ends():
    """Bob is removed and never added back; Ann is added back, so her removal is no finding."""
    found = [f for f in _findings() if f.rule == "KB995-002"]
    assert [(f.location.line, f.message) for f in found] == [
        (13, "bob@x.example was removed from Old and not added back")
    ]


def test_partial_matches_alive_are_bounded_at_max_partial(monkeypatch):
    """Two removals wait for KB995-002's absent step to end: two matches alive are within a
    bound of two, and more than a bound of one is refused, naming the rule."""
    monkeypatch.setattr(sequence, "MAX_PARTIAL", 2)
    assert {f.rule for f in _findings()} == {"KB995-001", "KB995-002"}
    monkeypatch.setattr(sequence, "MAX_PARTIAL", 1)
    with pytest.raises(InputError, match=r"KB995-002: the timeline of .* more than 1 ways"):
        _findings()
