"""Drafts: findings that still point into the data, located in one batch at the end."""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.load import Document, Pointer
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Rule


@dataclass
class Draft:
    rule: Rule
    message: str
    pointer: Pointer
    related: list[tuple[Pointer, str]] = field(default_factory=list)
    subject: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    fix: str | None = None
    why: str | None = None
    because: tuple[str, ...] = ()
    severity: str | None = None  # the rule's unless the judge lowers it for this finding


class Misjudged(InputError):
    """An expression of a rule that failed on one subject of the deployment: the expression's
    error (at its place in the pack), the rule, and the subject it was judging."""

    def __init__(self, error: InputError, pointer: Pointer, label: str, rule: str) -> None:
        super().__init__(error.path, error.line, error.column, error.message)
        self.pointer = pointer
        self.label = label
        self.rule = rule


def at_event(draft: Draft, event: Event, label: str) -> Draft:
    """``draft``, found in the state a timeline ``event`` made, placed at the event: its message
    says which event and when, and its own place (``label``) is related."""
    related = [(draft.pointer, label), *draft.related]
    return replace(
        draft,
        message=f"{draft.message}, from {event.action} {event.when}",
        pointer=event.pointer,
        related=[(p, note) for p, note in related if p != event.pointer],
    )


def causes(
    events: list[Event],
    apply: Callable[[Event], None],
    judged: Callable[[], set[Hashable]] | None,
    before: set[Hashable],
    changing: Container[int] | None = None,
) -> dict[Hashable, Event]:
    """Apply a batch's ``events`` one by one (``apply``); with ``judged`` (the keys of the
    findings on the state as it stands), the event each finding holds from to the end of the
    batch, the one that caused it: judged after each of the ``changing`` events (by index; all
    by default) but the last, which the caller judges after (a finding that holds only then is
    the last one's). ``before``: the keys before the batch. Cost: one judgment per changing
    event of the batch."""
    marked = [e.index for e in events if changing is None or e.index in changing]
    caused: dict[Hashable, Event] = {}
    held = before
    for event in events:
        apply(event)
        if judged is None or event.index not in marked or event.index == marked[-1]:
            continue
        now = judged()
        caused = {key: cause for key, cause in caused.items() if key in now}
        caused |= dict.fromkeys(now - held, event)
        held = now
    return caused


def locate(
    drafts: list[Draft], doc: Document, predicts: Mapping[str, tuple[str, ...]] | None = None
) -> list[Finding]:
    """Turn drafts into findings, resolving every pointer with one pass over the file; each
    with the outcome fields its rule predicts, from ``predicts`` (by rule id)."""
    pointers = {d.pointer for d in drafts} | {p for d in drafts for p, _ in d.related}
    where = doc.locate_many(pointers)

    rules = {id(d.rule): d.rule for d in drafts}
    cites = {key: _citation(rule) for key, rule in rules.items()}  # once per rule

    def at(pointer: Pointer, note: str = "") -> Location:
        line, column = where[pointer]
        return Location(doc.path_of(pointer), line, column, note)

    return [
        Finding(
            rule=d.rule.id,
            severity=d.severity or d.rule.severity,
            message=d.message,
            location=at(d.pointer),
            related=tuple(at(p, note) for p, note in d.related),
            subject=d.subject,
            outcome=d.outcome,
            fix=d.fix,
            cites=cites[id(d.rule)],
            why=d.why,
            because=d.because,
            predicts=(predicts or {}).get(d.rule.id),
        )
        for d in drafts
    ]


def _citation(rule: Rule) -> str:
    """Every place the rule cites: ``KB 105 § best-practice item 2; KB 105 § background``."""
    return "; ".join(c.words for c in rule.cites)
