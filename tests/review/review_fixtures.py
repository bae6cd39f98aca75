"""Fixture packs for the rule-pack checks: ``packs/valid`` passes them all, and each other
folder breaks it in one way, marking each broken line with a ``# broken`` comment."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKS = Path(__file__).resolve().parent / "packs"


def broken_lines(folder: str) -> list[int]:
    """The 1-based lines marked ``# broken`` in the fixture's pack file."""
    text = (PACKS / folder / "kb-990" / "pack.yaml").read_text("utf-8")
    return [n for n, line in enumerate(text.splitlines(), 1) if "# broken" in line]
