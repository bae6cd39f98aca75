"""Waivers: accepted findings, each with a reason. Expired and unused waivers are findings too."""

from __future__ import annotations

import datetime as dt
import json

from kb_lint.config import Waiver, matches
from kb_lint.findings import Finding, Location

EXPIRED = "KB-WAIVER-001"
UNUSED = "KB-WAIVER-002"


def apply_waivers(
    findings: list[Finding], waivers: tuple[Waiver, ...], today: dt.date | None = None
) -> list[Finding]:
    """Drop the findings a live waiver covers; expired waivers and waivers that match nothing
    are findings themselves."""
    today = today or dt.date.today()
    kept: list[Finding] = []
    used: set[Waiver] = set()
    for finding in findings:
        waiver = next((w for w in waivers if _covers(w, finding)), None)
        if waiver is None or waiver.expired(today):
            kept.append(finding)
        if waiver is not None:
            used.add(waiver)
    for waiver in waivers:
        where = Location(waiver.source or "kb-lint.toml", waiver.line)
        if waiver.expired(today):
            kept.append(
                Finding(
                    EXPIRED,
                    "warning",
                    f"waiver for {_waived(waiver)} expired on {waiver.expires} ({waiver.reason})"
                    + (f"; owner {waiver.owner}" if waiver.owner else ""),
                    where,
                )
            )
        elif waiver not in used:
            kept.append(
                Finding(
                    UNUSED,
                    "warning",
                    f"waiver for {_waived(waiver)} suppresses nothing ({waiver.reason})",
                    where,
                )
            )
    return kept


def _waived(waiver: Waiver) -> str:
    """What ``waiver`` is for: its rule, and the subject and path glob it names."""
    subject = f" of {waiver.subject}" if waiver.subject is not None else ""
    path = f" in {waiver.path}" if waiver.path != "*" else ""
    return f"{waiver.rule}{subject}{path}"


def _covers(waiver: Waiver, finding: Finding) -> bool:
    if not finding.rule.startswith(waiver.rule):
        return False
    if not matches(finding.location.path, waiver.path, waiver.root):
        return False
    if waiver.subject is None:
        return True
    subject = json.dumps(finding.subject or {}, sort_keys=True).lower()
    return waiver.subject.lower() in subject or waiver.subject.lower() in finding.message.lower()
