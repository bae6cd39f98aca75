"""Citations: the link from a rule to the article text it encodes."""

from __future__ import annotations

from dataclasses import dataclass

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
