"""A group rule's finding sits at the members that break it, not at a member that keeps to it."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine.run import check_deployment
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of

ROOT = Path(__file__).resolve().parents[2]
USER = "{email: ann@acme.example, crm_user: ann@acme.example}"


def deployment(tmp_path: Path, policies_on_prem: int) -> Path:
    onprem = "".join(
        f"      - {{name: P{n}, category: C{n}, users: [{USER}]}}\n"
        for n in range(policies_on_prem)
    )
    path = tmp_path / "estate.yaml"
    path.write_text(
        "instances:\n"
        "  - name: onprem\n    kind: on-premise\n    force_user_exclusivity: false\n"
        f"    policies:\n{onprem}"
        "  - name: cloud\n    kind: cloud\n    policies:\n"
        f"      - {{name: Trial, users: [{USER}]}}\n"
    )
    return path


def findings(path: Path) -> list:
    packs = [p for p in load_packs(ROOT / "rules") if p.id == "KB105"]
    dep = read_deployment(path, vocabulary_of(packs))
    return [f for f in check_deployment(dep, packs) if f.rule == "KB105-001"]


def test_the_finding_sits_at_the_member_whose_instance_is_the_odd_one_out(tmp_path):
    [finding] = findings(deployment(tmp_path, 3))
    assert finding.location.line == 12  # the cloud binding, not the first on-premise one
    assert [r.note for r in finding.related] == ["onprem / P0"]


def test_a_tie_keeps_the_finding_at_the_first_member(tmp_path):
    [finding] = findings(deployment(tmp_path, 1))
    assert finding.location.line == 6  # P0, the first member
    assert [r.note for r in finding.related] == ["cloud / Trial"]
