"""An ``integer`` outcome holds whole numbers (trial 7 #2), on pack KB908 (``tests/packs``): an
example's expected fraction is an error at its place, and a cell that computes a fraction is an
error at the expression naming the values it read; 3.0 from ``/`` is 3, shown as 3."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KB908 = ROOT / "tests" / "packs" / "kb-908-bounds"
TEXT = (KB908 / "pack.yaml").read_text("utf-8")
ROW_1 = "        then: {days_read: 15, history: truncated}\n"
EXAMPLE = "outcome: {history: truncated, days_read: 15}"


def _rules(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    folder = tmp_path / "rules"
    shutil.copytree(KB908, folder / "kb-908")
    assert TEXT.count(old) == 1, old
    text = TEXT.replace(old, new)
    (folder / "kb-908" / "pack.yaml").write_text(text, "utf-8")
    return folder, text


def _place(text: str, needle: str) -> str:
    at = text.index(needle)
    return f"pack.yaml:{text[:at].count(chr(10)) + 1}:{at - text.rfind(chr(10), 0, at)}: "


def test_an_example_expecting_a_fraction_of_an_integer_outcome_is_an_error_at_it(kb_lint, tmp_path):
    folder, text = _rules(tmp_path, EXAMPLE, EXAMPLE.replace("15}", "15.5}"))
    proc = kb_lint("rules", "check", "--rules", folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert (
        _place(text, "15.5}") + "KB-RULES-010 error outcome 'days_read' is an integer, not 15.5"
        in out
    )


def _cell(expr: str) -> tuple[str, str]:
    return ROW_1, ROW_1.replace("days_read: 15,", f'days_read: "{expr}",') + (
        "        says: {days_read: part of what the policy asks}\n"
    )


def test_a_cell_computing_a_fraction_of_an_integer_outcome_is_an_error_naming_the_subject(
    kb_lint, tmp_path
):
    folder, text = _rules(tmp_path, *_cell("filter_days / 4"))  # 30 days: 7.5
    example = folder / "kb-908" / "examples" / "trial-30-days.yaml"
    proc = kb_lint("check", "--rules", folder, example)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert (
        _place(text, '"filter_days / 4') + "outcome days_read is an integer, but the expression "
        "gave 7.5 for the subject with filter_days=30: round it with ceil(), floor() or round()"
    ) in out
    assert "judging riva-cloud / Sales" in out


def test_a_whole_quotient_is_the_integer_and_shown_as_one(kb_lint, tmp_path):
    folder, _ = _rules(tmp_path, *_cell("filter_days / 2"))  # 30 days: 15.0, read as 15
    example = folder / "kb-908" / "examples" / "trial-30-days.yaml"
    proc = kb_lint("check", "--rules", folder, example, "--color", "never")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "days read: 15;" in proc.stdout or "days read: 15\n" in proc.stdout, proc.stdout
    rounded, _ = _rules(tmp_path / "ceil", *_cell("ceil(filter_days / 4)"))  # 7.5 -> 8
    proc = kb_lint("check", "--rules", rounded, rounded / "kb-908/examples/trial-30-days.yaml")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "days read: 8" in proc.stdout, proc.stdout
