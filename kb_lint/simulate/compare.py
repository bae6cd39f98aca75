"""Rules against the model: what the findings predict for each mailbox, beside what it shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kb_lint.engine.outcome import merge
from kb_lint.findings import Finding
from kb_lint.pack.model import OutcomeField

Outcome = dict[str, Any]


def with_defaults(outcome: Outcome, fields: dict[str, OutcomeField]) -> Outcome:
    """Every outcome field, the pack's default where ``outcome`` says nothing."""
    return {name: outcome.get(name, spec.default) for name, spec in fields.items()}


def predictions(
    findings: Iterable[Finding], fields: dict[str, OutcomeField]
) -> dict[str, Outcome | None]:
    """Each mailbox the findings are about: the merge of their outcomes, with defaults.

    ``None`` when a finding about the mailbox predicts nothing (the rule says the outcome
    cannot be predicted). Mailboxes no finding is about are left out: they get the defaults.
    """
    found: dict[str, list[Finding]] = {}
    for finding in findings:
        email = (finding.subject or {}).get("email")
        if email is not None:
            found.setdefault(email, []).append(finding)
    return {
        email: None
        if any(f.outcome is None for f in group)
        else with_defaults(merge([f.outcome for f in group if f.outcome], fields), fields)
        for email, group in found.items()
    }


def differences(predicted: Outcome, simulated: Outcome) -> list[str]:
    """The fields where the rules and the model disagree, as ``name: rules X, model Y``."""
    return [
        f"{name}: rules {want!r}, model {simulated.get(name)!r}"
        for name, want in predicted.items()
        if _canonical(simulated.get(name)) != _canonical(want)
    ]


def _canonical(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value
