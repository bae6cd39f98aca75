"""The item-level trace: one plain record per thing the model did to an item, and why.

Every record has ``cycle``, ``event``, ``why`` (the model assumption that decided it),
``instance``, ``policy``, ``mailbox``, ``type`` (a data type, or ``folders``), ``item`` (the
mailbox item's id) and ``record`` (the CRM record's id), ``count`` and ``weight``. ``weight``:
how many identical mailboxes the event stands for (the fast path simulates one of each class; 1
on the item-level path, where the two paths give the same records). ``count``: how many
identical items (records, for ``copied``, ``created`` and ``duplicated``) it stands for: 1 but
on the counting path (``kb_lint.simulate.counting``), which writes one event per class of
identical items and step, with ``item`` and ``record`` null and no ``duplicate_of`` (classes
have no ids), so that a run of billions of records has a trace of hundreds of lines; an
event's items are ``count`` times ``weight``. Events:

- ``copied`` (M5): an instance wrote a copy of a CRM record into the mailbox;
- ``created`` (M4, M16): sync all items sent a mailbox item to the CRM as a new record
  (``owner``: the instance that wrote the item, empty for the user's own), or a meeting went
  up under its category (M16); or (M16, type ``contacts``, ``person``) Riva created a contact
  for a person of a meeting;
- ``duplicated`` (M4): the same, for something the CRM already held (``duplicate_of``: the
  record it repeats);
- ``error`` (M2, M3): a foreign item in the instance's namespace (``owner``: the instance that
  wrote it), or another instance's folder root (``folder``);
- ``skipped`` (M6, M16): a data type a policy assigns but an earlier policy took, or a meeting
  Must Match keeps from the CRM;
- ``cleaned`` (M2, M7): an item moved to Lost & Found, or deleted by ``remove-riva-data``
  (``to``: ``lost-and-found`` or ``deleted``).

The sink writes or keeps each record as it comes: a trace to a file is streamed, its memory
bounded by one record. Cost: one dict per event, nothing when no trace is asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from kb_lint.simulate.sync import Sink

EVENTS = ("copied", "created", "duplicated", "error", "skipped", "cleaned")


@dataclass(frozen=True)
class TraceFilter:
    """Which events to keep: of these mailboxes (all when empty), within these cycles."""

    mailboxes: frozenset[str] = frozenset()
    first: int = 0
    last: int | None = None

    def keeps(self, event: dict[str, Any]) -> bool:
        cycle = event["cycle"]
        if cycle < self.first or (self.last is not None and cycle > self.last):
            return False
        return not self.mailboxes or event["mailbox"] in self.mailboxes


def cycles_of(text: str) -> tuple[int, int | None]:
    """``N`` or ``A-B`` (``A-`` for A on) as the first and last cycle; ValueError otherwise."""
    first, dash, last = text.partition("-")
    if not first.strip().isdigit() or (last.strip() and not last.strip().isdigit()):
        raise ValueError(f"'{text}' is not a cycle (N) or a range (A-B)")
    start = int(first)
    end = None if dash and not last.strip() else int(last) if dash else start
    if end is not None and end < start:
        raise ValueError(f"'{text}' ends before it starts")
    return start, end


def writer(stream: TextIO, keep: TraceFilter) -> Sink:
    """A sink writing each kept event to ``stream`` as one line of JSON."""

    def write(event: dict[str, Any]) -> None:
        if keep.keeps(event):
            stream.write(json.dumps(event, ensure_ascii=False) + "\n")

    return write


def collector(keep: TraceFilter) -> tuple[list[dict[str, Any]], Sink]:
    """A list and a sink appending each kept event to it."""
    events: list[dict[str, Any]] = []

    def add(event: dict[str, Any]) -> None:
        if keep.keeps(event):
            events.append(event)

    return events, add
