"""Claims over computed cells are judged on made-up subjects that a deployment could be (trial 7
#6-#8), on pack KB908 (``tests/packs``): a subject respects each number field's ``minimum`` and
``maximum`` and counts for the row its inputs reach; a cell that fails on one is "not provable",
naming the claim and the subject, never an exit-2 stop or a counterexample; a claim that covers
no case names the values tried."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KB908 = ROOT / "tests" / "packs" / "kb-908-bounds"
TEXT = (KB908 / "pack.yaml").read_text("utf-8")
ROW_2 = "      - when: {billing: trial, longer: false}\n        then: {days_read: filter_days,"
MINIMUM = "      minimum: 0\n"


def _rules(tmp_path: Path, *changes: tuple[str, str]) -> tuple[Path, str]:
    folder = tmp_path / "rules"
    shutil.copytree(KB908, folder / "kb-908")
    text = TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (folder / "kb-908" / "pack.yaml").write_text(text, "utf-8")
    return folder, text


def _row_2(cell: str) -> tuple[str, str]:
    return ROW_2, ROW_2.replace("days_read: filter_days,", f'days_read: "{cell}",')


def _claim_findings(kb_lint, folder: Path) -> tuple[int, list[dict]]:
    proc = kb_lint("rules", "check", "--rules", folder, "--format", "json")
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    found = json.loads(proc.stdout)["findings"]
    return proc.returncode, [f for f in found if f["rule"] == "KB-RULES-018"]


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_subject_below_a_field_s_minimum_is_never_a_counterexample(kb_lint, tmp_path):
    """0 days would break C1 (at most 15), but the field's minimum is 1: no deployment has it."""
    folder, _ = _rules(
        tmp_path, (MINIMUM, "      minimum: 1\n"), _row_2("15 if filter_days >= 1 else 99")
    )
    assert _claim_findings(kb_lint, folder) == (0, [])
    folder, _ = _rules(tmp_path / "zero", _row_2("15 if filter_days >= 1 else 99"))
    code, found = _claim_findings(kb_lint, folder)  # with minimum 0 the break is real
    assert code == 1 and len(found) == 1 and "days_read: 99" in found[0]["message"], found


def test_a_cell_that_fails_on_a_subject_reaching_the_row_makes_the_claim_not_provable(
    kb_lint, tmp_path
):
    """15 / 0 divides by zero: with minimum 1 no subject holds 0 and the claim is proved; with
    minimum 0 one does, and C1 (and C4) is not provable there, at the claim, naming the subject."""
    folder, _ = _rules(tmp_path, (MINIMUM, "      minimum: 1\n"), _row_2("ceil(15 / filter_days)"))
    assert _claim_findings(kb_lint, folder) == (0, [])
    folder, text = _rules(tmp_path / "zero", _row_2("ceil(15 / filter_days)"))
    code, found = _claim_findings(kb_lint, folder)
    assert code == 1 and len(found) == 2, found  # C1 and C4 cover row 2
    assert "claim C4 " in found[1]["message"]
    message = found[0]["message"]
    assert message.startswith(
        "claim C1 (article § history-filters, item 1) cannot be proved on row 2 of "
        "'history-read': for the made-up subject (billing=trial, filter_days=0), which reaches "
        "the row, "
    ), message
    assert message.endswith("division by zero"), message
    assert found[0]["line"] == _line(text, "  - id: C1\n")
    assert [r["note"] for r in found[0]["related"]] == ["row 2"]


def _claim_c5(where: str, holds: str) -> tuple[str, str]:
    claim = (
        "  - id: C5\n    says: A trial asking for 30 days reads 15.\n"
        '    cites: {section: history-filters, item: 1, fingerprint: "sha256:a92332f0f196ab3a"}\n'
        f"    table: history-read\n    given: {{billing: trial}}\n    where: {where}\n"
        f"    holds: {{days_read: {holds}}}\n\ntables:\n"
    )
    return "\ntables:\n", "\n" + claim


def test_the_article_s_concrete_case_is_a_claim_its_where_s_numbers_join_the_pool(
    kb_lint, tmp_path
):
    """30 days is not in the pool (0, 1, 16, 100), but the claim's where names it."""
    folder, _ = _rules(tmp_path, _claim_c5("filter_days == 30", "15"))
    assert _claim_findings(kb_lint, folder) == (0, [])
    folder, _ = _rules(tmp_path / "broken", _claim_c5("filter_days == 30", "14"))
    code, found = _claim_findings(kb_lint, folder)
    assert code == 1 and len(found) == 1, found
    assert "breaks claim C5" in found[0]["message"]
    assert "days_read: 15, the article says 14" in found[0]["message"]


def test_a_claim_that_covers_no_case_names_the_values_tried(kb_lint, tmp_path):
    folder, text = _rules(tmp_path, _claim_c5("filter_days * 2 == 61", "15"))
    code, found = _claim_findings(kb_lint, folder)
    assert code == 1 and len(found) == 1, found
    assert found[0]["message"] == (
        "claim C5 (article § history-filters, item 1) covers no case of table 'history-read': "
        "no made-up subjects matched its given and its where (every combination of billing: "
        "trial, paid; filter_days: 0, 1, 2, 16, 61, 100); a case none of them holds is an "
        "example's outcome"
    )
    assert found[0]["line"] == _line(text, "  - id: C5\n")
