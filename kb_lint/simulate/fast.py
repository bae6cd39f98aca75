"""The fast path: simulate one representative of each class of identical users, and scale.

Mailboxes and CRM users only meet through bindings (a mailbox syncs a CRM user's records), so
the deployment falls apart into independent components: mailboxes and CRM users linked by
bindings and timeline events. Two components with the same shape (the same policies, in the
same order, the same events on the same cycles, the same number of CRM records of each type)
behave identically: the instance order of a cycle is the same for everyone, and nothing in the
model looks at a name. So the fast path runs the item-level model on one representative per
shape, weighted by how many components share it. It is exact, not an estimate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from kb_lint.limits import MAX_WORLD
from kb_lint.model.timeline import Event
from kb_lint.simulate.run import Result, run_items
from kb_lint.simulate.scenario import Contacts, Meeting, Setup
from kb_lint.simulate.sync import Sink

Node = tuple[str, str]  # ("email", address) or ("crm", user)


@dataclass
class Component:
    emails: list[str] = field(default_factory=list)  # in order of first appearance
    users: list[str] = field(default_factory=list)
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (policy, email, crm_user)
    events: list[tuple[int, Event]] = field(default_factory=list)  # (cycle, event)
    records: dict[tuple[str, str], int] = field(default_factory=dict)  # (crm_user, type) -> n
    contacts: Contacts = field(default_factory=Contacts)  # its part of M13's contacts held twice
    meetings: list[Meeting] = field(default_factory=list)  # its mailboxes' meetings (M16)

    def signature(self) -> tuple:
        email = {e: i for i, e in enumerate(self.emails)}
        user = {u: i for i, u in enumerate(self.users)}
        return (
            tuple((p, email[e], user[u]) for p, e, u in self.rows),
            tuple(
                (
                    cycle,
                    ev.action,
                    ev.instance,
                    ev.policy,
                    email.get(ev.email or ""),
                    user.get(ev.crm_user or ""),
                    tuple(sorted(ev.what)),
                )
                for cycle, ev in self.events
            ),
            tuple(sorted((user[u], kind, n) for (u, kind), n in self.records.items())),
            tuple(sorted((email[e], user[u]) for e, u in self.contacts.known)),
            tuple(sorted(user[u] for u in self.contacts.doubled)),
            tuple((email[m.email], m.category, m.attendees) for m in self.meetings),
        )


class _Components:
    """Union-find over mailboxes and CRM users."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        parent = self.parent.setdefault(node, node)
        while parent != node:
            grand = self.parent[parent]
            self.parent[node] = grand
            node, parent = parent, grand
        return node

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def components(setup: Setup) -> list[Component]:
    """The independent parts of a setup, in order of first appearance."""
    uf = _Components()
    for policy in setup.policies:
        for email, crm_user in policy.users:
            uf.union(("email", email), ("crm", crm_user))
    events = [(cycle, ev) for cycle in sorted(setup.schedule) for ev in setup.schedule[cycle]]
    for _, ev in events:
        if ev.email is not None and ev.crm_user is not None:
            uf.union(("email", ev.email), ("crm", ev.crm_user))
        elif ev.email is not None:
            uf.find(("email", ev.email))
    for user, _ in setup.records:
        uf.find(("crm", user))
    parts: dict[Node, Component] = {}

    def part(node: Node) -> Component:
        root = uf.find(node)
        found = parts.get(root)
        if found is None:
            found = parts[root] = Component()
        members = found.emails if node[0] == "email" else found.users
        if node[1] not in members:
            members.append(node[1])
        return found

    for policy in setup.policies:
        for email, crm_user in policy.users:
            comp = part(("email", email))
            part(("crm", crm_user))
            comp.rows.append((policy.index, email, crm_user))
    for cycle, ev in events:
        if ev.email is not None:
            comp = part(("email", ev.email))
            if ev.crm_user is not None:
                part(("crm", ev.crm_user))
            comp.events.append((cycle, ev))
    for (user, kind), count in setup.records.items():
        part(("crm", user)).records[user, kind] = count
    for comp in parts.values():
        comp.contacts = _contacts(setup.contacts, set(comp.emails), set(comp.users))
    for meeting in setup.meetings:
        part(("email", meeting.email)).meetings.append(meeting)
    return list(parts.values())


def _contacts(contacts: Contacts, emails: set[str], users: set[str]) -> Contacts:
    """The part of ``contacts`` about these mailboxes and CRM users."""
    return Contacts(
        tuple((e, u) for e, u in contacts.known if e in emails),
        tuple(u for u in contacts.doubled if u in users),
    )


def run_fast(
    setup: Setup,
    sink: Sink | None = None,
    limit: int | None = MAX_WORLD,
    run: Callable[..., Result] = run_items,
) -> Result:
    """The same ``Result`` as ``run_items(setup)``, from one representative per class; the
    ``sink`` gets the representatives' events, each with its class's size as ``weight``.
    ``run``: what runs the representatives (``run_items``, or the counting path's runner)."""
    classes: dict[tuple, list[Component]] = {}
    for comp in components(setup):
        classes.setdefault(comp.signature(), []).append(comp)
    representatives = [members[0] for members in classes.values()]
    weights = {e: len(m) for m in classes.values() for e in m[0].emails}
    crm_weights = {u: len(m) for m in classes.values() for u in m[0].users}
    result = run(_restrict(setup, representatives), weights, crm_weights, sink, limit)
    mailboxes = {}
    for members in classes.values():
        shown = [result.mailboxes[e] for e in members[0].emails]
        for member in members:
            mailboxes.update(zip(member.emails, shown, strict=True))
    ordered = {e: mailboxes[e] for e in setup.mailboxes}
    return Result(result.originals, result.cycles, ordered)


def _restrict(setup: Setup, keep: list[Component]) -> Setup:
    """The setup with only the users, events and records of the kept components."""
    rows = {(p, e, u) for comp in keep for p, e, u in comp.rows}
    kept_events = {ev.index for comp in keep for _, ev in comp.events}
    emails = {e for comp in keep for e in comp.emails}
    users = {u for comp in keep for u in comp.users}
    schedule = {}
    for cycle, events in setup.schedule.items():
        chosen = tuple(ev for ev in events if ev.email is None or ev.index in kept_events)
        if chosen:
            schedule[cycle] = chosen
    return replace(
        setup,
        policies=tuple(
            replace(p, users=tuple(u for u in p.users if (p.index, *u) in rows))
            for p in setup.policies
        ),
        records={key: n for key, n in setup.records.items() if key[0] in users},
        schedule=schedule,
        mailboxes=tuple(e for e in setup.mailboxes if e in emails),
        contacts=_contacts(setup.contacts, emails, users),
        meetings=tuple(m for m in setup.meetings if m.email in emails),
    )
