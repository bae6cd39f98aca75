"""Paths the article tests share (conftest.py holds the pytest fixtures)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent.parent
ARTICLE = ROOT / "docs" / "articles" / "kb-105-do-not-run-riva-twice.md"
SLIPS = FIXTURES / "kb-105-with-seed-slips.md"


def packed(findings: list) -> list:
    """``findings`` without the notes that no rule pack cites the article (KB-TRACE-002,
    information): the fixtures copy article 105, which the fixtures' own rules folder (it packs
    article 950 only) does not cite; ``test_cli`` shows the notes themselves."""
    return [
        f
        for f in findings
        if not (f.rule == "KB-TRACE-002" and f.severity == "info" and "no rule pack" in f.message)
    ]
