"""Plans checked at every step: the exclusivity rules judged on the state after each event.

The rule: an overlap (or any other exclusivity finding) that a timeline event creates is a
finding at that event, whatever the state before it looked like: adding a user to a second
instance, moving a user between two On-Premise instances, adding the user back to Riva Cloud
after a migration, enabling a policy that still holds a user another instance syncs.

The algorithm replays the timeline on the configuration as the simulator does (``M7``):
``disable-policy`` and ``enable-policy`` flip a policy, ``add-user`` and ``remove-user`` edit
its assignments (``add-user`` re-creates a deleted account), ``delete-account`` stops the
instance syncing the mailbox; ``remove-riva-data`` changes no configuration. After each event
that changes it, the exclusivity rules run on the mailboxes the event touches, before and after;
each finding that is new after it is reported at the event, with the bindings as related
locations and the outcome the rule predicts for the new state. The initial state stays the
engine's ordinary check.

Cost: one pass over the assignments to keep those of the mailboxes the timeline names or that a
policy it switches assigns; then, per configuration event, one pass over those, and the rules
over the touched mailboxes' rows only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kb_lint.engine import exclusivity
from kb_lint.engine.draft import Draft
from kb_lint.load import Pointer
from kb_lint.model.deployment import Bindings, Deployment, Policy
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Rule, RulePack

CONFIGURING = ("disable-policy", "enable-policy", "add-user", "remove-user", "delete-account")


@dataclass(frozen=True)
class Row:
    """One assignment in the replayed plan, with where it is written (a user entry of the
    file, or the ``add-user`` event that made it)."""

    policy: int
    email: str
    crm_user: str
    pointer: Pointer
    user: tuple[tuple[str, Any], ...] = ()  # the user fields packs declare, by name


class PlanState:
    """The configuration as the timeline has changed it so far."""

    def __init__(self, dep: Deployment) -> None:
        self.dep = dep
        self.policies = list(dep.policies)
        columns = dep.bindings
        switched = {
            policy.index
            for e in dep.timeline
            if e.action in ("disable-policy", "enable-policy")
            and (policy := dep.policy_named(e.instance or "", e.policy or "")) is not None
        }
        named = {e.email for e in dep.timeline if e.email is not None}
        for index in switched:
            named.update(columns.email[row] for row in dep.bindings.ranges[index])
        self.rows = [  # only the mailboxes an event can touch
            Row(
                columns.policy[row],
                columns.email[row],
                columns.crm_user[row],
                dep.pointer_of(row),
                tuple((name, values[row]) for name, values in columns.extra.items()),
            )
            for row in range(len(columns))
            if columns.email[row] in named
        ]
        # a user an event adds has the defaults of the user fields packs declare
        self.defaults = tuple((f.name, f.default) for f in dep.vocabulary.added("user"))
        self.deleted: set[tuple[str, str]] = set()  # (instance, email)

    def touched(self, event: Event) -> set[str]:
        """The mailboxes whose findings the event can change."""
        if event.action in ("disable-policy", "enable-policy"):
            index = self._policy(event).index
            return {r.email for r in self.rows if r.policy == index}
        return {event.email or ""}

    def apply(self, event: Event) -> None:
        action, instance, email = event.action, event.instance or "", event.email or ""
        if action in ("disable-policy", "enable-policy"):
            policy = self._policy(event)
            self.policies[policy.index] = replace(policy, enabled=action == "enable-policy")
        elif action == "delete-account":
            self.deleted.add((instance, email))
        elif action == "add-user":
            index = self._policy(event).index
            key = (email, event.crm_user or "")
            if not any((r.email, r.crm_user) == key and r.policy == index for r in self.rows):
                self.rows.append(Row(index, *key, event.pointer, self.defaults))
            self.deleted.discard((instance, email))
        elif action == "remove-user":
            index = self._policy(event).index
            key = (email, event.crm_user or "")
            self.rows = [
                r for r in self.rows if not (r.policy == index and (r.email, r.crm_user) == key)
            ]

    def deployment(self, emails: set[str]) -> Deployment:
        """The state, restricted to the assignments of ``emails`` that still sync (the
        instance's account for the mailbox exists)."""
        kept = [
            r
            for r in sorted(self.rows, key=lambda r: r.policy)
            if r.email in emails and (self.policies[r.policy].instance, r.email) not in self.deleted
        ]
        columns = Bindings()
        for r in kept:
            columns.policy.append(r.policy)
            columns.email.append(r.email)
            columns.crm_user.append(r.crm_user)
            columns.user_index.append(len(columns.user_index))
            for name, value in r.user:
                columns.extra.setdefault(name, []).append(value)
        dep = self.dep
        return _Planned(
            dep.document, dep.instances, self.policies, columns, [], dep.data, dep.vocabulary, kept
        )

    def _policy(self, event: Event) -> Policy:
        found = self.dep.policy_named(event.instance or "", event.policy or "")
        assert found is not None  # the loader checked every event's instance and policy
        return self.policies[found.index]


@dataclass
class _Planned(Deployment):
    """A replayed state: each binding points where its assignment is written."""

    rows: list[Row] = field(default_factory=list)

    def pointer_of(self, row: int) -> Pointer:
        return self.rows[row].pointer


def check(rules: list[tuple[Rule, RulePack]], dep: Deployment) -> Iterator[Draft]:
    """Every exclusivity finding a timeline event creates, at that event."""
    if not rules or not any(e.action in CONFIGURING for e in dep.timeline):
        return
    state = PlanState(dep)
    for event in dep.timeline:
        if event.action not in CONFIGURING:
            continue
        emails = state.touched(event)
        before = {_key(d) for d in _findings(rules, state.deployment(emails))}
        state.apply(event)
        for draft in _findings(rules, state.deployment(emails)):
            if _key(draft) not in before:
                yield _at_event(draft, event)


def _findings(rules: list[tuple[Rule, RulePack]], dep: Deployment) -> Iterator[Draft]:
    for rule, pack in rules:
        yield from exclusivity.check(rule, pack, dep)


def _key(draft: Draft) -> tuple[str, str]:
    return draft.rule.id, json.dumps(draft.subject, sort_keys=True, default=str)


def _at_event(draft: Draft, event: Event) -> Draft:
    when = (
        f"on {event.at}"
        if event.at is not None
        else f"before cycle {event.cycle}"
        if event.cycle is not None
        else f"(timeline entry {event.index + 1})"
    )
    first = (draft.subject or {}).get("bindings", [{}])[0]
    label = f"{first.get('instance')} / {first.get('policy')}"
    related = [(draft.pointer, label), *draft.related]
    related = [(p, note) for p, note in related if p != event.pointer]
    return replace(
        draft,
        message=f"{draft.message}, from {event.action} {when}",
        pointer=event.pointer,
        related=related,
    )
