"""Claims that state a bound, not a value (pack KB908 in ``tests/packs``): ``holds`` compares an
outcome with ``==``, ``!=``, ``in`` / ``not in`` a list, and ``<``, ``<=``, ``>``, ``>=`` for an
integer; ``rules check`` proves each over every row the claim covers, and a row that breaks one
is named at the claim's failing comparison; a comparison the outcome cannot take is an error at
its place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KB908 = ROOT / "tests" / "packs" / "kb-908-bounds"
TEXT = (KB908 / "pack.yaml").read_text("utf-8")


def rules(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """KB908 alone in a rules folder, ``old`` replaced by ``new`` in its pack.yaml."""
    folder = tmp_path / "rules"
    shutil.copytree(KB908, folder / "kb-908")
    assert not old or TEXT.count(old) == 1, old
    (folder / "kb-908" / "pack.yaml").write_text(TEXT.replace(old, new), "utf-8")
    return folder


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def broken_claims(kb_lint, folder: Path) -> list[dict]:
    proc = kb_lint("rules", "check", "--rules", folder, "--format", "json")
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "KB-RULES-018"]


def test_every_comparison_holds_on_the_pack_as_shipped(kb_lint, tmp_path):
    proc = kb_lint("rules", "check", "--rules", rules(tmp_path))
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (1 file).\n"), proc.stderr


ROW_1 = "        then: {days_read: 15, history: truncated}\n"


@pytest.mark.parametrize(
    ("row", "claim", "said"),
    [
        # <= and >= : 20 days is more than a trial reads
        ("{days_read: 20, history: truncated}", "C1", "days_read: 20, the article says <= 15"),
        ("{days_read: -1, history: truncated}", "C1", "days_read: -1, the article says >= 0"),
        # in: a trial asking for more is truncated
        (
            "{days_read: 15, history: full}",
            "C3",
            "history: 'full', the article says in ['truncated']",
        ),
        # < against an expression over the subject: the policy asks 16 days, reads 16
        (
            "{days_read: filter_days, history: truncated}",
            "C3",
            "days_read: 16, the article says < 16",
        ),
    ],
)
def test_a_row_that_breaks_a_bound_is_named_at_the_claim_s_comparison(
    kb_lint, tmp_path, row, claim, said
):
    text = TEXT.replace(ROW_1, f"        then: {row}\n")
    if "filter_days" in row:  # an expression the claim's `says` words must describe
        text = text.replace(
            f"        then: {row}\n", f"        then: {row}\n        says: {{days_read: all}}\n"
        )
    found = broken_claims(kb_lint, _written(tmp_path, text))
    mine = [f for f in found if f"breaks claim {claim} " in f["message"]]
    assert mine, found
    finding = mine[0]
    assert said in finding["message"]
    assert "row 1 of 'history-read'" in finding["message"]
    start = TEXT.index(f"  - id: {claim}\n")
    holds = start + TEXT[start:].index("    holds:")
    assert finding["line"] == TEXT[:holds].count("\n") + 1, finding
    assert [r["note"] for r in finding["related"]] == ["row 1"]
    assert finding["related"][0]["line"] == line_of(
        TEXT, "      - when: {billing: trial, longer: true}"
    )


def _written(tmp_path: Path, text: str) -> Path:
    folder = rules(tmp_path)
    (folder / "kb-908" / "pack.yaml").write_text(text, "utf-8")
    return folder


def test_not_equal_and_not_in_are_checked_against_every_row_the_claim_covers(kb_lint, tmp_path):
    """C2 (paid: never truncated) covers row 3; C4 (15 days or fewer, any plan: not truncated)
    covers rows 2 and 3."""
    row_3 = (
        "        then: {days_read: filter_days, history: full}\n"
        "        says: {days_read: the days the policy asks for}\n        cites: {item: 2"
    )
    assert TEXT.count(row_3) == 1
    text = TEXT.replace(row_3, row_3.replace("history: full", "history: truncated"))
    found = broken_claims(kb_lint, _written(tmp_path, text))
    messages = [f["message"] for f in found]
    assert any(
        "row 3 of 'history-read'" in m
        and "breaks claim C2" in m
        and "history: 'truncated', the article says != 'truncated'" in m
        for m in messages
    ), messages
    assert any(
        "row 3 of 'history-read'" in m
        and "breaks claim C4" in m
        and "history: 'truncated', the article says not in ['truncated']" in m
        for m in messages
    ), messages
    assert len(found) == 2, messages


@pytest.mark.parametrize(
    ("old", "new", "needle", "problem"),
    [
        (
            'holds: {history: {"!=": truncated}',
            'holds: {history: {"<": truncated}',
            '"<": truncated',
            "'<' compares numbers; outcome 'history' is enum: use ==, !=, in or not in",
        ),
        (
            'holds: {days_read: {"<=": 15, ">=": 0}}',
            'holds: {days_read: {"=<": 15, ">=": 0}}',
            '"=<": 15',
            "'=<' is not a comparison: write a value, or a mapping of ==, !=, in, not in, <, <=, "
            ">, >=, contains, not contains to values (did you mean",
        ),
        (
            "holds: {history: {not in: [truncated]}}",
            "holds: {history: {not in: []}}",
            "[]}}",
            "'not in' takes a list of values of 'history', not []",
        ),
        (
            "holds: {history: {not in: [truncated]}}",
            "holds: {history: {}}",
            "{}}",
            "'history' compares with nothing",
        ),
        (
            "holds: {history: {in: [truncated]}",
            "holds: {history: {in: [truncate]}",
            "truncate]",
            "'truncate' is not a value of history (full, truncated); did you mean 'truncated'?",
        ),
    ],
)
def test_a_comparison_the_outcome_cannot_take_is_an_error_at_its_place(
    kb_lint, tmp_path, old, new, needle, problem
):
    folder = rules(tmp_path, old, new)
    proc = kb_lint("rules", "check", "--rules", folder)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    text = TEXT.replace(old, new)
    at = text.index(needle)
    line = text[:at].count("\n") + 1
    column = at - text.rfind("\n", 0, at)
    assert f"pack.yaml:{line}:{column}: " in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert problem in proc.stdout + proc.stderr
