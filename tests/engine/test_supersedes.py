"""``supersedes:`` drops the superseded rule's findings on the superseding finding's subject
only (``kb_lint.engine.subjects``). Laws (Hypothesis, bounded):

1. A finding on a subject the superseding rule never names (no mailbox, policy, instance or
   event in common with any of its findings) survives.
2. A finding with the very subject of a superseding finding is dropped.
3. Findings of rules no one supersedes survive, in their order; "same subject" is symmetric.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kb_lint.engine.draft import Draft
from kb_lint.engine.subjects import facets, kept, same_subject

SETTINGS = {"deadline": None, "derandomize": True, "max_examples": 200}
NEW = SimpleNamespace(id="KB1-002", supersedes=("KB1-001",))
OLD = SimpleNamespace(id="KB1-001", supersedes=())
OTHER = SimpleNamespace(id="KB2-001", supersedes=())


def _maybe(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.sampled_from(values))


@st.composite
def subjects(draw: st.DrawFn) -> dict[str, Any]:
    """A subject of any kind a finding has: a mailbox, a policy or an instance, with or without
    timeline events and the bindings of a group."""
    subject = {
        "email": draw(_maybe(["ann@x.example", "bob@x.example"])),
        "instance": draw(_maybe(["east", "west"])),
        "policy": draw(_maybe(["Pilot", "Beta"])),
        "events": draw(st.lists(st.integers(1, 4), max_size=2, unique=True)),
    }
    if draw(st.booleans()):
        binding = st.fixed_dictionaries(
            {"instance": st.sampled_from(["east", "west"]), "policy": st.just("Pilot")}
        )
        subject["bindings"] = draw(st.lists(binding, min_size=1, max_size=2))
    return subject


def _draft(rule: SimpleNamespace, subject: dict[str, Any]) -> Draft:
    return Draft(rule=rule, message="", pointer=(), subject=subject)  # type: ignore[arg-type]


def _apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """``a`` and ``b`` name nothing in common, whatever the facet."""
    fa, fb = facets(a), facets(b)
    return not any(fa[name] & fb[name] for name in fa.keys() & fb.keys())


@settings(**SETTINGS)
@given(st.lists(subjects(), max_size=3), st.lists(subjects(), max_size=4), subjects())
def test_a_finding_on_a_subject_the_superseding_rule_never_names_survives(new, old, other):
    drafts = [*map(lambda s: _draft(NEW, s), new), *(_draft(OLD, s) for s in old)]
    drafts.append(_draft(OTHER, other))
    left = kept(drafts)
    for draft in drafts:
        if draft.rule is OLD and all(_apart(draft.subject, s) for s in new):
            assert draft in left
        if draft.rule is OLD and draft.subject in new and facets(draft.subject):
            assert draft not in left
    assert [d for d in left if d.rule is not OLD] == [d for d in drafts if d.rule is not OLD]


@settings(**SETTINGS)
@given(subjects(), subjects())
def test_same_subject_is_symmetric(a, b):
    assert same_subject(facets(a), facets(b)) == same_subject(facets(b), facets(a))


def test_trial_9_p4_a_removal_of_another_policy_keeps_its_finding():
    """Trial 9 P4: the sequence's finding on Pilot of east (events 3-4) drops the procedure's
    finding on that removal (event 4) only, not the one on Beta of west (event 5); a policy
    finding names no mailbox, and two of them were one "mailbox" (None) before."""
    east = {"email": None, "events": [3, 4], "instance": "east", "policy": "Pilot"}
    on_east = {"email": None, "instance": "east", "policy": "Pilot", "events": [4]}
    on_west = {"email": None, "instance": "west", "policy": "Beta", "events": [5]}
    drafts = [_draft(NEW, east), _draft(OLD, on_east), _draft(OLD, on_west)]
    assert [d.subject for d in kept(drafts)] == [east, on_west]
