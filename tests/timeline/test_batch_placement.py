"""A finding a batch of timeline events creates (the events of one date, which Riva sees
together) sits at the batch's event that touched its mailbox (``kb_lint.engine.plan``), and a
rule whose groups span mailboxes (KB961, ``key: [instance]``) is judged beside the ordinary
ones."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import RulePack
from kb_lint.simulate import scenario_from_data
from tests.conftest import ROOT

KB105 = [p for p in load_packs(ROOT / "rules") if p.id == "KB105"]
KB961 = load_packs(Path(__file__).parent / "packs")


def _user(name: str) -> dict[str, str]:
    return {"email": f"{name}@acme.example", "crm_user": f"{name}@acme.example"}


def _findings(packs: list[RulePack]) -> tuple[list[Finding], list[tuple[int, int]]]:
    """Ann, on onprem's Sales, is added to Riva Cloud (an overlap), then Dan to onprem, the
    same day; onprem has two licences. The findings, and where the two events are written."""
    sales = {"name": "Sales", "users": [_user("ann"), _user("bob")]}
    data = {
        "instances": [
            {"name": "onprem", "kind": "on-premise", "license_count": 2, "policies": [sales]},
            {"name": "cloud", "kind": "cloud", "policies": [{"name": "Sales"}]},
        ],
        "timeline": [
            {"at": "2026-12-01", "action": "add-user", "instance": i, "policy": "Sales", **u}
            for i, u in (("cloud", _user("ann")), ("onprem", _user("dan")))
        ],
    }
    dep = scenario_from_data(data, "<plan>", vocabulary_of(KB105 + KB961)).deployment
    events = [dep.document.locate(e.pointer) for e in dep.timeline]
    return check_deployment(dep, packs), events


def _at(finding: Finding) -> tuple[int, int]:
    return finding.location.line, finding.location.column


def test_an_overlap_sits_at_the_event_that_touched_its_mailbox():
    found, (ann, dan) = _findings(KB105)
    [overlap] = [f for f in found if f.rule == "KB105-001"]
    assert _at(overlap) == ann != dan


def test_a_group_that_spans_mailboxes_is_judged_beside_the_ordinary_rules():
    """With KB961 loaded too, Dan's add puts onprem over its licences (at that add, the
    event it holds from), and Ann's overlap stays at her own add."""
    found, (ann, dan) = _findings(KB105 + KB961)
    [licences] = [f for f in found if f.rule == "KB961-001"]
    assert licences.message == "onprem has more users than licences, from add-user on 2026-12-01"
    assert _at(licences) == dan
    [overlap] = [f for f in found if f.rule == "KB105-001"]
    assert _at(overlap) == ann
