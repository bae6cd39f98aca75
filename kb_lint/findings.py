"""Findings: what every checker produces and every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a file, with an optional note saying what is there."""

    path: str
    line: int = 1
    column: int = 1
    note: str = ""


@dataclass
class Finding:
    """One violation of one rule at one place.

    ``related`` holds every other location involved (each binding of an overlap);
    ``subject`` and ``outcome`` are the JSON contract's objects; ``fix`` names the remedy;
    ``why`` says in words what decided the outcome (the table row it matched, the step left
    out) and ``because`` lists the ids of what it rests on (``table/row``, article items,
    assumptions).
    """

    rule: str
    severity: str
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    subject: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    fix: str | None = None
    cites: str | None = None
    help_uri: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    why: str | None = None
    because: tuple[str, ...] = ()
    # the outcome fields the rule predicts, which the text reports show (None: every field of
    # ``outcome``); the JSON report keeps the whole ``outcome``
    predicts: tuple[str, ...] | None = None

    def sort_key(self) -> tuple:
        """Findings sort by place and rule; a stable sort keeps a rule's own order at one place
        (the steps of a procedure, in order)."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule)


@dataclass(frozen=True)
class Summary:
    files: int
    findings: int
    errors: int
    warnings: int
    infos: int = 0

    @classmethod
    def of(cls, findings: list[Finding], files: int) -> Summary:
        count = {s: 0 for s in SEVERITIES}
        for f in findings:
            count[f.severity] += 1
        return cls(files, len(findings), count["error"], count["warning"], count["info"])


@dataclass(frozen=True)
class NotLoaded:
    """The rule packs of a review that did not load, by file (their errors are said apart), and
    what of theirs was not run (``examples were``): each report's summary counts and names
    them, so that none reads as a review of every pack given."""

    files: tuple[str, ...] = ()
    what: str = ""

    def words(self) -> str:
        """``1 pack did not load (FILE; its error above): its WHAT not run``; empty when every
        pack loaded."""
        if not self.files:
            return ""
        named = ", ".join(self.files)
        if len(self.files) == 1:
            return f"1 pack did not load ({named}; its error above): its {self.what} not run"
        return (
            f"{len(self.files)} packs did not load ({named}; their errors above): their "
            f"{self.what} not run"
        )

    def summary(self) -> dict[str, Any]:
        """The JSON summary's count and list of them."""
        return {"packs_not_loaded": len(self.files), "packs_not_loaded_files": list(self.files)}


@dataclass(frozen=True)
class RuleInfo:
    """What a reporter needs to describe a rule (SARIF ``tool.driver.rules``)."""

    id: str
    title: str
    severity: str
    summary: str = ""
    help_uri: str | None = None
