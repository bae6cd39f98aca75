"""``kb-lint explain RULE``: every rule kb-lint reports, as plain text for a terminal."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("rule", "head", "fragment"),
    [
        ("KB105-001", "KB105-001: ", "deployment rule (exclusivity), pack KB105"),
        ("kb105-010", "KB105-010: ", "Cites: KB 105 § best-practice"),
        ("KB-STYLE-002", "KB-STYLE-002: a-an", "article rule (indefinite-article)"),
        ("KB-RULES-017", "KB-RULES-017: table-too-large", "Fix: Split the table"),
        ("KB-WAIVER-001", "KB-WAIVER-001: Expired waiver", "expires"),
    ],
)
def test_every_kind_of_rule_is_explained_in_plain_text(kb_lint, rule, head, fragment):
    proc = kb_lint("explain", rule)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(head)
    assert fragment in proc.stdout
    assert "**" not in proc.stdout and "{#" not in proc.stdout and "`" not in proc.stdout


def test_a_prefix_lists_every_rule_it_starts(kb_lint):
    proc = kb_lint("explain", "KB105")
    assert proc.returncode == 0
    ids = [line.split(":")[0] for line in proc.stdout.splitlines() if line.startswith("KB105-")]
    assert "KB105-001" in ids and "KB105-010" in ids and ids == sorted(ids)


def test_an_unknown_rule_is_a_usage_error_with_a_hint(kb_lint):
    proc = kb_lint("explain", "KB105-0001")
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("kb-lint: no rule KB105-0001 (did you mean")


def test_every_finding_has_the_related_key_of_the_json_contract(kb_lint):
    proc = kb_lint("check", ROOT / "examples" / "deployment.yaml", "--format", "json")
    findings = json.loads(proc.stdout)["findings"]
    procedural = [f for f in findings if f["rule"] == "KB105-010"]
    assert procedural and all(f["related"] == [] for f in procedural)
    assert all("related" in f for f in findings)
