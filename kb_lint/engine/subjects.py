"""Which findings are about the same subject, for ``supersedes:``.

A finding's subject names up to four kinds of thing (its facets): mailboxes (its ``email``, and
each of its ``bindings``' emails), policies (its ``instance`` and ``policy``, and each binding's),
instances (those of its policies, and its ``instance``), and timeline events (its ``events``).
Two findings are about the same subject when they name one thing in common and differ on no
facet both name: two subjects of one mailbox in one policy are; a removal of Pilot on
onprem-east (events 3-4) and a removal of Beta on onprem-west (event 5) are not, nor are two
findings that name nothing in common (an instance's and another instance's policy's). A
superseding finding drops the superseded rule's findings on its subject only.

Cost: each superseding finding's facets are indexed once by value; each finding of a
superseded rule is compared with those that share a value with it, not with every finding.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from kb_lint.engine.draft import Draft

Facets = dict[str, frozenset[Hashable]]


def facets(subject: Mapping[str, Any] | None) -> Facets:
    """The mailboxes, policies, instances and events ``subject`` names (a facet it names
    nothing of is left out)."""
    subject = subject or {}
    rows = [subject, *(b for b in subject.get("bindings") or () if isinstance(b, Mapping))]
    policies = {(r["instance"], r["policy"]) for r in rows if r.get("instance") and r.get("policy")}
    found = {
        "mailboxes": {r["email"] for r in rows if r.get("email")},
        "policies": policies,
        "instances": {r["instance"] for r in rows if r.get("instance")},
        "events": set(subject.get("events") or ()),
    }
    return {name: frozenset(values) for name, values in found.items() if values}


def same_subject(a: Facets, b: Facets) -> bool:
    """``a`` and ``b`` name one thing in common and differ on no facet both name."""
    shared = a.keys() & b.keys()
    return bool(shared) and all(a[name] & b[name] for name in shared)


def kept(drafts: list[Draft]) -> list[Draft]:
    """The drafts no other rule ``supersedes`` on the same subject."""
    index: dict[str, dict[tuple[str, Hashable], list[Facets]]] = {}
    for draft in drafts:
        if draft.rule.supersedes:
            mine = facets(draft.subject)
            for old in draft.rule.supersedes:
                by_value = index.setdefault(old, {})
                for name, value in _values(mine):
                    by_value.setdefault((name, value), []).append(mine)
    if not index:
        return drafts
    return [d for d in drafts if not _superseded(d, index.get(d.rule.id))]


def _superseded(draft: Draft, by_value: dict[tuple[str, Hashable], list[Facets]] | None) -> bool:
    if not by_value:
        return False
    mine = facets(draft.subject)
    return any(
        same_subject(mine, other) for key in _values(mine) for other in by_value.get(key, ())
    )


def _values(found: Facets) -> Iterable[tuple[str, Hashable]]:
    return ((name, value) for name, values in found.items() for value in values)
