"""Timeline events: the planned changes of a deployment (a migration runbook, say)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kb_lint.errors import InputError, did_you_mean
from kb_lint.load import Document, Pointer
from kb_lint.model.fields import BUILTIN_ACTIONS, Vocabulary

# What each `what` word of a remove-riva-data event removes.
ITEM_TYPES = ("contacts", "leads", "appointments", "tasks")
WHAT = {
    "all": (*ITEM_TYPES, "address-books", "sub-calendar", "folders", "categories"),
    "items": ITEM_TYPES,
    "address-books": ("contacts", "leads", "address-books"),
    "sub-calendar": ("appointments", "tasks", "sub-calendar"),
}


def expand_what(what: str | list[str]) -> frozenset[str]:
    """The set of things a ``what`` value removes, with ``all``/``items``/... expanded."""
    words = [what] if isinstance(what, str) else what
    return frozenset(part for word in words for part in (*WHAT.get(word, ()), word))


EVENT_FIELDS = ("action", "at", "cycle", "instance", "policy", "email", "crm_user", "what")


@dataclass(frozen=True)
class Event:
    """One planned change. ``email`` and ``crm_user`` are normalised; ``what`` is expanded."""

    index: int
    action: str
    pointer: Pointer
    at: str | None = None
    cycle: int | None = None
    instance: str | None = None
    policy: str | None = None
    email: str | None = None
    crm_user: str | None = None
    what: frozenset[str] = frozenset()
    settings: Mapping[str, Any] = field(default_factory=dict)  # fields packs declare
    batch: int = 0  # the number of its batch, from 1 (``number_batches``)

    @property
    def when(self) -> str:
        """When the event happens, in words: "on 2026-12-01" for a date, "before cycle 3" for
        a cycle, its place in the timeline when it gives neither."""
        if self.at is not None:
            return f"on {self.at}"
        if self.cycle is not None:
            return f"before cycle {self.cycle}"
        return f"at timeline entry {self.index + 1}"

    def env(self) -> dict[str, Any]:
        """The event as expressions see it (``event.action``, ``event.what``, ``event.when``
        ...)."""
        env = {name: getattr(self, name) for name in EVENT_FIELDS} | {"what": sorted(self.what)}
        return env | dict(self.settings) | {"when": self.when, "batch": self.batch}


def number_batches(events: list[Event]) -> list[Event]:
    """Each event with the number of its batch, from 1: the events Riva sees together before it
    syncs again are those of one date (``at``) or one cycle, in a row; an event that gives
    neither is a batch of its own."""
    numbered: list[Event] = []
    batch = 0
    for event in events:
        time = _time(event)
        if not numbered or time is None or time != _time(numbered[-1]):
            batch += 1
        numbered.append(replace(event, batch=batch))
    return numbered


def _time(event: Event) -> tuple[str, Any] | None:
    if event.at is not None:
        return ("at", event.at)
    if event.cycle is not None:
        return ("cycle", event.cycle)
    return None


# The lists of assignments a sequence step sees of the estate just before its event, which its
# ``each`` may name (``kb_lint.pack.scopes.STATE``): one element is one mailbox's assignment.
ESTATE_LISTS = ("bindings", "synced", "everywhere")


def members(
    each: str | None, event: Event, env: dict[str, Any]
) -> list[tuple[Event, dict[str, Any]]]:
    """The event once per element of its list field ``each`` (a sequence or procedure step's
    ``each``): the element under the field's name in ``env``, the event placed at the element.
    An element of the estate the event sees (``ESTATE_LISTS``: an assignment, which the event
    does not write) leaves the event where it is and makes it about the element's mailbox.
    Without ``each``, the event as it is."""
    if each is None:
        return [(event, env)]
    if each in ESTATE_LISTS:
        return [
            (replace(event, email=b["email"], crm_user=b["crm_user"]), {**env, each: b})
            for b in env.get(each) or ()
        ]
    return [
        (replace(event, pointer=(*event.pointer, each, j)), {**env, each: element})
        for j, element in enumerate(env.get(each) or ())
    ]


# The event fields that say which instance, policy or mailbox an event acts on: an action reads
# those it ``needs`` (``what``: remove-riva-data's, optional, all by default); ``new_name`` is
# rename-policy's, refused elsewhere with its own message.
NAMING = ("instance", "policy", "email", "crm_user", "what")
OPTIONAL = {"remove-riva-data": ("what",)}


def check_required(
    doc: Document, index: int, entry: dict[str, Any], vocabulary: Vocabulary
) -> None:
    """The event gives every field its action needs, and no naming field (``NAMING``) it does
    not read: an instance action's ``email`` would be accepted and change nothing."""
    pointer: Pointer = ("timeline", index)
    action = entry["action"]
    needs = BUILTIN_ACTIONS.get(action) or vocabulary.actions[action].needs
    missing = [f for f in needs if f not in entry]
    if missing:
        line, col = doc.locate(pointer)
        message = (
            f"{action} needs {', '.join(missing)}: give {'it' if len(missing) == 1 else 'them'}"
        )
        if action not in BUILTIN_ACTIONS:
            at = vocabulary.actions[action].location
            message += f" (the action's needs, {at.path}:{at.line})"
        raise InputError(doc.path_of(pointer), line, col, message)
    read = {*needs, *OPTIONAL.get(action, ())}
    for name in (n for n in NAMING if n in entry and n not in read):
        where = (*pointer, name)
        own = "leave it out"
        if action not in BUILTIN_ACTIONS:
            at = vocabulary.actions[action].location
            own += f", or list it in the action's needs ({at.path}:{at.line}) to read it"
        message = (
            f"'{name}' is not read by {action}, whose events give {', '.join(needs) or 'nothing'}"
            f": {own}"
        )
        raise InputError(doc.path_of(where), *doc.locate_key(where), message)


def check_order(doc: Document, events: list[Event]) -> None:
    """Dates and cycles must not go backwards: the timeline is read in order. A timeline gives
    dates or cycles, not both: the checker reads events in file order and the simulator places
    them on cycles, and a mix of the two has no order both agree on."""
    dated = next((e for e in events if e.at is not None), None)
    cycled = next((e for e in events if e.cycle is not None), None)
    if dated is not None and cycled is not None:
        later, key, other = (
            (cycled, "cycle", "a date") if cycled.index > dated.index else (dated, "at", "a cycle")
        )
        line, col = doc.locate((*later.pointer, key))
        first = doc.locate((*(dated if later is cycled else cycled).pointer,))[0]
        raise InputError(
            doc.path,
            line,
            col,
            f"timeline mixes dates and cycles (line {first} gives {other}): give every "
            "event a date, or every event a cycle",
        )
    for key in ("at", "cycle"):
        last = None
        for event in events:
            value = getattr(event, key)
            if value is None:
                continue
            if last is not None and value < last:
                line, col = doc.locate((*event.pointer, key))
                raise InputError(
                    doc.path_of(event.pointer),
                    line,
                    col,
                    f"timeline goes back in time: {value} after {last}",
                )
            last = value


# The events that act on a mailbox the deployment must already have: without it, they change
# nothing, which is a typo far more often than a plan.
ON_A_USER = ("remove-user", "delete-account", "remove-riva-data")


Holders = Callable[[set[str]], Iterable[tuple[str, str, str, str]]]


def check_mailboxes(
    doc: Document, events: list[Event], holders: Holders, assigned: Collection[str] = ()
) -> None:
    """Each ``remove-user`` names an assignment its policy holds at that point of the timeline
    (in the file, or added by an earlier ``add-user`` and not yet removed), and so does each
    event of a pack's action in ``assigned`` (its ``assigned_user``: the policy and mailbox,
    whatever the CRM user); each ``delete-account`` a mailbox its instance has had; each
    ``remove-riva-data`` a mailbox the deployment has had. ``holders(emails)``: the (instance,
    policy, email, crm_user) assignments of the file for those mailboxes (and, for a hint, for
    all when given none)."""
    named = {e.email for e in events if e.action in ON_A_USER or e.action in assigned}
    if not named:
        return
    held = set(holders(named))
    had = {(instance, email) for instance, _, email, _ in held}
    mailboxes = {email for _, email in had}
    for event in events:
        email, instance = event.email or "", event.instance or ""
        user = (instance, event.policy or "", email, event.crm_user or "")
        if event.action == "add-user":
            held.add(user)
            had.add((instance, email))
            mailboxes.add(email)
        elif event.action == "remove-user" and user in held:
            held.discard(user)
        elif event.action == "remove-user":
            message = f"{email} ↔ {user[3]} is not a user of {instance} / {user[1]} now"
            _no_such(doc, event, message, {a[2] for a in holders(set())} | {a[2] for a in held})
        elif event.action in assigned and not any(a[:3] == user[:3] for a in held):
            message = f"{email} is not a user of {instance} / {user[1]} now"
            _no_such(doc, event, message, {a[2] for a in holders(set())} | {a[2] for a in held})
        elif event.action == "delete-account" and (instance, email) not in had:
            everyone = {a[2] for a in holders(set()) if a[0] == instance}
            _no_such(doc, event, f"{instance} has no account for {email}", everyone)
        elif event.action == "remove-riva-data" and email not in mailboxes:
            everyone = {a[2] for a in holders(set())} | mailboxes
            _no_such(doc, event, f"no instance syncs or synced {email}", everyone)


def _no_such(doc: Document, event: Event, message: str, known: set[str]) -> None:
    where = (*event.pointer, "email")
    hint = did_you_mean(event.email or "", sorted(known))
    raise InputError(doc.path_of(where), *doc.locate(where), f"{event.action}: {message}{hint}")
