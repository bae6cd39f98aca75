"""Citations: the link from a rule to the article text it encodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb_lint.findings import Location


@dataclass(frozen=True)
class Citation:
    """Rule ``rule`` cites ``section`` (a heading anchor) of article ``article``.

    ``item`` narrows it to the n-th (1-based) list item of that section; ``fingerprint`` is the
    hash of the cited text when the rule was last confirmed, for staleness checks.
    """

    rule: str
    article: int
    section: str
    location: Location
    item: int | None = None
    fingerprint: str | None = None

    @property
    def words(self) -> str:
        """The place in words, as findings and ``kb-lint explain`` say it: ``KB 105 §
        best-practice item 2``."""
        return f"KB {self.article} § {self.section}" + (f" item {self.item}" if self.item else "")


def places(pointer: tuple[str | int, ...], cites: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    """A ``cites`` of one place or of a list of places (a rule's, a procedure step's): each
    place, with where it is written."""
    if isinstance(cites, list):
        return [((*pointer, i), spec) for i, spec in enumerate(cites)]
    return [(pointer, cites)]
