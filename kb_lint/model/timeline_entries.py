"""A deployment file's timeline: each entry checked against the file's instances and policies
(by the names the timeline gives them, as ``rename-policy`` changes them), its fields against
what its action reads, and made an ``Event``; then the order of the events is checked."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kb_lint.errors import InputError, did_you_mean
from kb_lint.load import Document, Pointer
from kb_lint.model.fields import Vocabulary, defaults_from
from kb_lint.model.identity import normalise_crm_user, normalise_email
from kb_lint.model.records import placer, record_of
from kb_lint.model.timeline import (
    EVENT_FIELDS,
    Event,
    check_order,
    check_required,
    expand_what,
    number_batches,
)


def build_timeline(
    doc: Document,
    entries: list[dict[str, Any]],
    policies: dict[str, list[str]],
    vocabulary: Vocabulary,
) -> list[Event]:
    """The events of the file's ``timeline`` ``entries``; ``policies``: the names of each
    instance's policies, by the instance's name. An entry that names what is not there, or
    gives what its action does not read, is an ``InputError`` at it."""
    extra = {n: f for n, f in vocabulary.event_fields().items() if n not in EVENT_FIELDS}
    own = vocabulary.by_scope["event"]  # an event's own fields take their default; a setting
    # an action changes is there only when the event gives it (else the setting stays as it was)
    users = {f.name for f in vocabulary.added("user")} - set(own)
    settings = {n for a in vocabulary.actions.values() for n in a.sets} - set(own)
    computed = [f for f in own.values() if f.default_from is not None]
    readers = vocabulary.event_readers()
    removing = {a.name for a in vocabulary.actions.values() if a.removes == "policy"}
    names = PolicyNames(doc, policies, removing)
    events = []
    for k, entry in enumerate(entries):
        check_required(doc, k, entry, vocabulary)
        pointer: Pointer = ("timeline", k)
        vocabulary.refine("event", entry, placer(doc, pointer, "event"))
        _read_by_the_action(doc, pointer, entry, users, settings, vocabulary)
        _read_by_its_actions(doc, pointer, entry, readers)
        # an event field's computed default reads the event's own keys (``at``, ``email`` ...)
        place = placer(doc, pointer, "event", "action")
        filled = defaults_from(computed, entry, record_of(vocabulary, "event", entry), place)
        vocabulary.refine("event", entry, place, filled)
        instance = entry.get("instance")
        policy = entry.get("policy")
        if instance is not None:
            _known(doc, (*pointer, "instance"), instance, policies, "instance")
            if policy is not None:
                policy = names.resolve(pointer, instance, policy, entry)
        email = entry.get("email")
        crm_user = entry.get("crm_user")
        for name, given in (("email", email), ("crm_user", crm_user)):
            if given is not None and not given.strip():
                where = (*pointer, name)
                raise InputError(doc.path_of(where), *doc.locate(where), f"{name} is empty")
        events.append(
            Event(
                index=k,
                action=entry["action"],
                pointer=pointer,
                at=entry.get("at"),
                cycle=entry.get("cycle"),
                instance=instance,
                policy=policy,
                email=normalise_email(email) if email is not None else None,
                crm_user=normalise_crm_user(crm_user) if crm_user is not None else None,
                what=expand_what(entry.get("what", "all"))
                if entry["action"] == "remove-riva-data"
                else frozenset(),
                settings={
                    n: f.value(entry.get(n, f.default))
                    for n, f in extra.items()
                    if n in entry or n in own
                },
            )
        )
    check_order(doc, events)
    return number_batches(events)


class PolicyNames:
    """The names the timeline gives the policies of each instance, as ``rename-policy`` events
    change them and events of an action that ``removes`` the policy end them. An entry names a
    policy by its name at that point; the model knows it by its name in the file's policies
    throughout (``resolve``). No two policies of an instance have one name at once; a name a
    policy gave up (or a removed policy had) may be given again by a rename."""

    def __init__(
        self, doc: Document, policies: dict[str, list[str]], removing: Collection[str] = ()
    ) -> None:
        self.doc = doc
        self.removing = removing  # the actions whose events remove the policy they name
        # instance -> a name whose policy an event removed -> that event's action and line
        self.removed: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in policies}
        # instance -> current name -> the policy's name in the file
        self.current = {name: {p: p for p in own} for name, own in policies.items()}
        # instance -> a name given up -> the policy's name since, and the line of the rename
        self.former: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in policies}

    def resolve(self, pointer: Pointer, instance: str, name: str, entry: dict[str, Any]) -> str:
        """The file's name of the policy ``name`` means at ``entry`` (at ``pointer``); a
        ``rename-policy`` entry gives it its ``new_name``."""
        where = (*pointer, "policy")
        current = self.current[instance]
        if name not in current:
            if name in self.removed[instance]:
                action, line = self.removed[instance][name]
                message = (
                    f"policy '{name}' of {instance} was removed on line {line} ({action}): no "
                    "event can name it after"
                )
            elif name in self.former[instance]:
                new, line = self.former[instance][name]
                message = (
                    f"policy '{name}' of {instance} was renamed on line {line}: it is called "
                    f"'{new}' here"
                )
            else:
                message = f"unknown policy of {instance} '{name}'{did_you_mean(name, current)}"
            raise InputError(self.doc.path_of(where), *self.doc.locate(where), message)
        known = current[name]
        if entry["action"] == "rename-policy":
            self._rename(pointer, instance, name, entry["new_name"])
        elif entry["action"] in self.removing:
            del current[name]
            self.removed[instance][name] = (entry["action"], self.doc.locate(pointer)[0])
        return known

    def _rename(self, pointer: Pointer, instance: str, name: str, new: str) -> None:
        where = (*pointer, "new_name")
        if new in self.current[instance]:
            message = f"'{new}' is already the name of a policy of {instance}"
            raise InputError(self.doc.path_of(where), *self.doc.locate(where), message)
        if not new.strip():
            raise InputError(self.doc.path_of(where), *self.doc.locate(where), "new_name is empty")
        line = self.doc.locate(pointer)[0]
        self.current[instance][new] = self.current[instance].pop(name)
        former = self.former[instance]
        for given_up, (now, at) in list(former.items()):  # what it was called: now ``new``
            if now == name:
                former[given_up] = (new, at)
        former[name] = (new, line)
        former.pop(new, None)


def _read_by_the_action(
    doc: Document,
    pointer: Pointer,
    entry: dict[str, Any],
    users: set[str],
    settings: set[str],
    vocabulary: Vocabulary,
) -> None:
    """A user field on an event other than ``add-user``, or a setting another action ``sets``,
    would change nothing: an error at its key. So would an event of an action that ``sets``
    fields giving none of them: an error at the event."""
    action = entry["action"]
    declared = vocabulary.actions.get(action)
    sets = set(declared.sets) if declared is not None else set()
    if declared is not None and sets and not sets & entry.keys():
        named = ", ".join(declared.sets)
        message = f"{action} sets {named} but this event gives none of them"
        raise InputError(doc.path_of(pointer), *doc.locate(pointer), message)
    for name in sorted(entry.keys() & (users | settings) - sets):
        if name in users and action == "add-user":
            continue
        if name in users:
            reason = "a user field: only an add-user event gives it, for the user it adds"
        else:
            setters = sorted(a.name for a in vocabulary.actions.values() if name in a.sets)
            reason = f"a setting only {' and '.join(setters)} events change"
        where = (*pointer, name)
        message = f"'{name}' is {reason} ({action} does not read it)"
        raise InputError(doc.path_of(where), *doc.locate_key(where), message)


def _read_by_its_actions(
    doc: Document, pointer: Pointer, entry: dict[str, Any], readers: dict[str, tuple[str, ...]]
) -> None:
    """An event field that actions ``need`` (``new_name``, a pack's ``reinit_type``) is read
    by those actions only: on another action's event it would change nothing, an error at its
    key naming the actions that read it (and the field of this action it may misspell)."""
    action = entry["action"]
    for name in sorted(n for n in entry.keys() & readers.keys() if action not in readers[n]):
        own = [n for n, read_by in readers.items() if action in read_by]
        hint = did_you_mean(name, own)
        message = (
            f"'{name}' is read by {' and '.join(readers[name])} only ({action} does not read "
            f"it): leave it out{hint}"
        )
        where = (*pointer, name)
        raise InputError(doc.path_of(where), *doc.locate_key(where), message)


def _known(doc: Document, pointer: Pointer, name: str, names: dict[str, Any], what: str) -> None:
    if name not in names:
        line, col = doc.locate(pointer)
        message = f"unknown {what} '{name}'{did_you_mean(name, names)}"
        raise InputError(doc.path_of(pointer), line, col, message)
