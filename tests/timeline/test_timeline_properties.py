"""Properties of timelines (Hypothesis, bounded): a plan's verdicts are the verdicts on the states
it produces, and the article's order is what decides a procedure's verdict.

1. Every exclusivity finding on the state a plan ends in (its timeline replayed on the estate)
   is a finding on the plan: reported for the initial state or at the event that made it.
2. Reordering the bullets of one article step (which the article does not order) never changes
   a verdict, with or without a step left out.
3. Swapping two steps the article orders (of different article steps) always changes the
   verdict of a migration done by the book: it gets a procedure finding.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, note, settings
from hypothesis import strategies as st

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import scenario_from_data
from kb_lint.simulate.moves import end_state
from kb_lint.strategies import migrations, plans, to_yaml
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)
EXCLUSIVITY = {r.id for p in PACKS for r in p.rules if r.kind == "exclusivity"}
[KB105] = [p for p in PACKS if p.id == "KB105"]
SETTINGS = {"deadline": None, "derandomize": True, "max_examples": 40}


def _check(data: dict[str, Any]) -> list[Finding]:
    return check_deployment(scenario_from_data(data, "<plan>", VOCABULARY).deployment, PACKS)


def _key(finding: Finding) -> tuple[str, str, str]:
    subject = finding.subject or {}
    return finding.rule, subject.get("email", ""), subject.get("crm_user", "")


@settings(**SETTINGS)
@given(plans())
def test_every_finding_on_the_state_a_plan_ends_in_is_a_finding_on_the_plan(data):
    note(to_yaml(data))
    at_end = {_key(f) for f in _check(end_state(data, VOCABULARY)) if f.rule in EXCLUSIVITY}
    on_plan = {_key(f) for f in _check(data) if f.rule in EXCLUSIVITY}
    assert at_end <= on_plan


def _steps(system: str) -> list[list[tuple[str, str, tuple[str, ...]]]]:
    """The pack's procedure for ``system``, as article steps of (id, action, covers) bullets."""
    procedure = KB105.procedures["KB105-P1" if system == "exchange" else "KB105-P2"]
    items: list[list[tuple[str, str, tuple[str, ...]]]] = []
    last = object()
    for step in procedure.steps:
        entry = (step.id, step.action, tuple(sorted(step.covers)))
        if step.item is not None and step.item == last:
            items[-1].append(entry)
        else:
            items.append([entry])
        last = step.item
    return items


def _verdicts(findings: list[Finding]) -> list[tuple]:
    """What a verdict is: each finding's rule, severity, subject step and outcome."""
    return sorted(
        (
            f.rule,
            f.severity,
            json.dumps((f.subject or {}).get("step"), sort_keys=True),
            json.dumps(f.outcome, sort_keys=True, default=str),
        )
        for f in findings
    )


def _run(migration, order: list[tuple[str, str, tuple[str, ...]]]) -> list[Finding]:
    data = migration.scenario((n, action, covers) for n, (_, action, covers) in enumerate(order))
    note(to_yaml(data))
    return _check(data)


@settings(**SETTINGS)
@given(migrations(), st.randoms(use_true_random=False), st.integers(-1, 8))
def test_reordering_the_bullets_of_one_step_never_changes_a_verdict(migration, rng, skipped):
    items = _steps(migration.source["email_system"])
    bullets = next(item for item in items if len(item) > 1)
    shuffled = list(bullets)
    rng.shuffle(shuffled)
    flat = [entry for item in items for entry in item]
    left_out = flat[skipped][0] if 0 <= skipped < len(flat) - 1 else None

    def order(bullet_order: list) -> list:
        steps = [e for item in items for e in (bullet_order if item is bullets else item)]
        return [e for e in steps if e[0] != left_out]

    assert _verdicts(_run(migration, order(bullets))) == _verdicts(_run(migration, order(shuffled)))


@settings(**SETTINGS)
@given(migrations(), st.data())
def test_swapping_two_steps_the_article_orders_always_changes_the_verdict(migration, data):
    items = _steps(migration.source["email_system"])
    flat = [(n, entry) for n, item in enumerate(items) for entry in item]
    assert not [f for f in _run(migration, [e for _, e in flat]) if f.rule == "KB105-010"]
    i = data.draw(st.integers(0, len(flat) - 2))
    j = data.draw(st.integers(i + 1, len(flat) - 1).filter(lambda j: flat[j][0] != flat[i][0]))
    order = [e for _, e in flat]
    order[i], order[j] = order[j], order[i]
    note(f"swapped {order[j][0]} and {order[i][0]}")
    assert [f for f in _run(migration, order) if f.rule == "KB105-010"]
