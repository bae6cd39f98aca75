"""The model's assumptions are stated in ``kb_lint.simulate``'s docstring and, for readers of
the site and of ``kb-lint explain simulator``, in docs/simulator.md's table: the two keep the
same numbers in the same order, and each assumption cites the same articles and names the same
pack outcomes in both."""

from __future__ import annotations

import re

import kb_lint.simulate
from kb_lint.pack import load_packs
from tests.conftest import ROOT

DOCSTRING = dict(
    re.findall(r"^(M\d+)\s+(.*?)(?=^M\d+\s|\Z)", kb_lint.simulate.__doc__ or "", re.S | re.M)
)
TABLE = dict(
    re.findall(r"^\| (M\d+) \| (.*) \|$", (ROOT / "docs" / "simulator.md").read_text("utf-8"), re.M)
)
OUTCOMES = {name for pack in load_packs(ROOT / "rules") for name in pack.outcomes}


def _cited(text: str) -> set[str]:
    return set(re.findall(r"KB ?(\d+)", text))


def _outcomes(text: str) -> set[str]:
    """The pack outcomes named: as code, or by a name with an underscore."""
    named = re.findall(r"`+([a-z_]+)`+", text) + re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    return {word for word in named if word in OUTCOMES}


def test_the_docstring_and_the_guide_number_the_same_assumptions():
    assert list(DOCSTRING) == list(TABLE)
    assert list(DOCSTRING) == [f"M{n}" for n in range(1, len(DOCSTRING) + 1)]


def test_each_assumption_cites_the_same_articles_and_outcomes_in_both():
    for number, stated in DOCSTRING.items():
        shown = TABLE[number]
        assert _cited(stated) == _cited(shown), number
        assert _outcomes(stated) == _outcomes(shown), number
