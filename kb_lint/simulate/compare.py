"""Rules against the model: what the findings predict for each mailbox, beside what it shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kb_lint.engine.outcome import merge
from kb_lint.findings import Finding
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import OutcomeField, RulePack, sorted_list
from kb_lint.simulate.measures import measured_by_model

Outcome = dict[str, Any]


def with_defaults(outcome: Outcome, fields: dict[str, OutcomeField]) -> Outcome:
    """Every outcome field, the pack's default where ``outcome`` says nothing."""
    return {name: outcome.get(name, spec.default) for name, spec in fields.items()}


def measured(pack: RulePack, shown: Outcome, own: bool) -> dict[str, OutcomeField]:
    """The outcomes of ``pack`` that its model measures, as a case compares them: every one in
    a case of the pack's own (its grid, its procedures; one the model does not show is the
    pack's default, ``as_shown``); elsewhere those the model shows, since an outcome is shown
    only where its mechanism is in the scenario (M12's change_refused, M13's
    duplicate_contacts)."""
    return {n: pack.outcomes[n] for n in measured_by_model(pack) if own or n in shown}


def as_shown(simulated: Outcome, fields: dict[str, OutcomeField]) -> Outcome:
    """The model's outcome with every field of ``fields`` it does not show at the default: a
    scenario without a mechanism (no rename, M12; no contacts held twice, M13) makes none of
    its outcome."""
    return with_defaults({}, fields) | simulated


def predictions(
    findings: Iterable[Finding], fields: dict[str, OutcomeField], dep: Deployment | None = None
) -> dict[str, Outcome | None]:
    """Each mailbox the findings are about: the merge of their outcomes, with defaults.

    ``None`` when a finding about the mailbox predicts nothing (the rule says the outcome
    cannot be predicted). Mailboxes no finding is about are left out: they get the defaults.
    With ``dep``, a sequence finding whose last event names a policy and no mailbox (a master
    folder rename) is about every mailbox the policy assigns in the file.
    """
    found: dict[str, list[Finding]] = {}
    for finding in findings:
        for email in mailboxes_of(finding, dep):
            found.setdefault(email, []).append(finding)
    return {
        email: None
        if any(f.outcome is None for f in group)
        else with_defaults(merge([f.outcome for f in group if f.outcome], fields), fields)
        for email, group in found.items()
    }


def mailboxes_of(finding: Finding, dep: Deployment | None) -> list[str]:
    """The mailboxes a finding is about: its own, or those of the policy its last event
    names (with ``dep``: a master folder rename is about every mailbox the policy assigns)."""
    subject = finding.subject or {}
    if subject.get("email") is not None:
        return [subject["email"]]
    events = subject.get("events")
    if dep is None or not events:
        return []
    event = dep.timeline[events[-1] - 1]
    policy = dep.policy_named(event.instance or "", event.policy or "")
    if policy is None:
        return []
    return list(dict.fromkeys(dep.bindings.email[row] for row in dep.bindings.ranges[policy.index]))


def differences(predicted: Outcome, simulated: Outcome) -> list[str]:
    """The fields where the rules and the model disagree, as ``name: rules X, model Y``."""
    return [
        f"{name}: rules {want!r}, model {simulated.get(name)!r}"
        for name, want in predicted.items()
        if sorted_list(simulated.get(name)) != sorted_list(want)
    ]
