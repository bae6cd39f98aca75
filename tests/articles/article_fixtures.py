"""Paths the article tests share (conftest.py holds the pytest fixtures)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent.parent
ARTICLE = ROOT / "docs" / "articles" / "kb-105-do-not-run-riva-twice.md"
SLIPS = FIXTURES / "kb-105-with-seed-slips.md"
