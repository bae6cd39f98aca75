"""Scenarios: a deployment plus CRM data, a seed, a cycle count and a timeline placed on cycles.

A ``Setup`` is what the item-level model runs: the policies with their user lists, the original
CRM records, and the timeline events keyed by the cycle they precede. The fast path builds
smaller setups from the same pieces.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError
from kb_lint.expr.values import Version
from kb_lint.limits import MAX_CYCLES, MAX_RECORDS_PER_USER, MAX_USER_ITEMS
from kb_lint.model.deployment import BUILT_IN, Deployment, Policy, read_deployment
from kb_lint.model.fields import Vocabulary
from kb_lint.model.identity import normalise_crm_user
from kb_lint.model.timeline import ITEM_TYPES, Event
from kb_lint.simulate.meetings import MEETING_ATTENDEES, options_of
from kb_lint.simulate.world import MODELLED_SYSTEMS

# CRM records per CRM user when a scenario gives no ``crm`` (SPEC's minimal form).
DEFAULT_RECORDS = {"contacts": 10, "leads": 2, "appointments": 5, "tasks": 3}
DEFAULT_CYCLES = 5
# Pack KB519's fields, which M13 reads: a user whose address book already holds the contacts of
# the CRM user, and an instance whose CRM holds a contact twice.
ADDRESS_BOOK, HAS_CRM_CONTACTS = "address_book", "has-crm-contacts"
CRM_DUPLICATE_CONTACTS = "crm_duplicate_contacts"
CONTACT_FIELDS = frozenset({("user", ADDRESS_BOOK), ("instance", CRM_DUPLICATE_CONTACTS)})
# The first release that refuses a CRM id registered to another user (KB 1270, M14).
CRM_ID_CHECK = Version("2.4.39.24181")
# The supported maxima (kb_lint.limits; ``kb-lint simulate --no-limits`` lifts them): beyond them
# a run takes minutes to hours, so a typo such as ``cycles: 1000000000`` is refused, not run.


@dataclass(frozen=True)
class PolicySpec:
    """One sync policy as the model runs it; ``index`` is its place in the file (A3)."""

    index: int
    instance: str
    name: str
    enabled: bool
    email_system: str
    category: str
    folder_root: str
    sync_all_items: bool
    data_types: tuple[str, ...]
    users: tuple[tuple[str, str], ...]  # (email, crm_user), normalised
    exclusive: bool = True  # its instance's force user exclusivity switch
    instance_kind: str = "on-premise"
    # the pack fields of the policy and its instance (read by M15), by name
    settings: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Contacts:
    """What M13 starts from: ``known`` (mailbox, CRM user) pairs whose mailbox already holds a
    contact of its user's own for each person among the CRM user's contacts; ``doubled`` the
    CRM users whose last contact record stands for the same person as their first."""

    known: tuple[tuple[str, str], ...] = ()
    doubled: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.known or self.doubled)


NO_CONTACTS = Contacts()


@dataclass(frozen=True)
class Meeting:
    """M16's meeting: the mailbox it is in, the category its user gives it, and who it is with
    besides the user (pack KB1507's ``meeting_attendees``)."""

    email: str
    category: str
    attendees: str


@dataclass
class Setup:
    """Everything one run of the model needs."""

    instances: tuple[str, ...]
    policies: tuple[PolicySpec, ...]
    records: dict[tuple[str, str], int]  # original CRM records per (CRM user, data type)
    user_items: dict[str, int]  # items each mailbox's user created, per data type (M10)
    schedule: dict[int, tuple[Event, ...]]
    seed: int
    cycles: int
    mailboxes: tuple[str, ...]  # every email, in order of first appearance
    contacts: Contacts = field(default_factory=Contacts)  # held twice: M13
    # on-premise instance -> it refuses a CRM id registered to another mailbox (M14)
    crm_id_check: dict[str, bool] = field(default_factory=dict)
    meetings: tuple[Meeting, ...] = ()  # M16


@dataclass(frozen=True)
class Scenario:
    deployment: Deployment
    setup: Setup


def read_scenario(
    path: str | Path,
    cycles: int | None = None,
    seed: int | None = None,
    limits: bool = True,
    vocabulary: Vocabulary = BUILT_IN,
) -> Scenario:
    """Load a scenario (or plain deployment) file; ``cycles`` and ``seed`` override the file's.
    With ``limits``, a file asking for more than the supported cycles or records per user is an
    input error. ``vocabulary`` holds the fields the loaded packs declare."""
    return scenario_of(read_deployment(path, vocabulary), cycles, seed, limits)


def scenario_of(
    dep: Deployment, cycles: int | None = None, seed: int | None = None, limits: bool = True
) -> Scenario:
    data = dep.data or {}
    schedule = schedule_events(dep.timeline)
    last = max(schedule, default=0)
    if limits:
        _check_limits(dep, cycles)
    if cycles is None:
        cycles = data.get("cycles", max(DEFAULT_CYCLES, last + 2))
    policies = tuple(
        PolicySpec(
            index=p.index,
            instance=p.instance,
            name=p.name,
            enabled=p.enabled,
            email_system=p.email_system,
            category=p.category,
            folder_root=p.folder_root,
            sync_all_items=p.sync_all_items,
            data_types=p.data_types if p.email_system in MODELLED_SYSTEMS else (),  # M17
            users=tuple(
                (dep.bindings.email[row], dep.bindings.crm_user[row])
                for row in dep.bindings.ranges[p.index]
            ),
            exclusive=p.exclusive,
            instance_kind=p.instance_kind,
            settings=p.settings,
        )
        for p in dep.policies
    )
    records = crm_records(dep)
    contacts = contacts_of(dep, records)
    for user in contacts.doubled:
        records[user, "contacts"] += 1
    return Scenario(
        dep,
        Setup(
            instances=tuple(i.name for i in dep.instances),
            policies=policies,
            records=records,
            user_items=dict((data.get("mailbox") or {}).get("user_items", {})),
            schedule=schedule,
            seed=data.get("seed", 0) if seed is None else seed,
            cycles=cycles,
            mailboxes=mailbox_order(policies, dep.timeline),
            contacts=contacts,
            crm_id_check=crm_id_check(dep),
            meetings=meetings_of(dep),
        ),
    )


def crm_id_check(dep: Deployment) -> dict[str, bool]:
    """Each Riva On-Premise instance (pack KB1270's A4): whether its release refuses a CRM id
    registered to another mailbox, from 2.4.39.24181 and when unknown (KB1270's A3), or
    syncs its new mailbox as a new user (M14)."""
    return {
        i.name: version is None or version >= CRM_ID_CHECK
        for i in dep.instances
        if i.kind == "on-premise"
        for version in [i.settings.get("riva_version")]
    }


def meetings_of(dep: Deployment) -> tuple[Meeting, ...]:
    """M16's meetings, from pack KB1507's fields (none when the pack is not loaded): one per
    mailbox, in the category of the policy of its row (``meeting_rows``)."""
    attendees = dep.bindings.extra.get(MEETING_ATTENDEES, ())
    return tuple(
        Meeting(email, dep.policies[dep.bindings.policy[row]].category, attendees[row])
        for email, row in meeting_rows(dep).items()
    )


def unmodelled_policies(dep: Deployment) -> list[Policy]:
    """The policies of an email system the model has no mailbox for (M17)."""
    return [p for p in dep.policies if p.email_system not in MODELLED_SYSTEMS]


def meeting_rows(dep: Deployment) -> dict[str, int]:
    """Each mailbox's binding whose meeting M16 runs: the first that gives
    ``meeting_attendees`` in a policy of a modelled email system (M17) that syncs appointments
    and gives the three Attendee Syncing options."""
    rows: dict[str, int] = {}
    for row, given in enumerate(dep.bindings.extra.get(MEETING_ATTENDEES, ())):
        policy = dep.policies[dep.bindings.policy[row]]
        if (
            given is not None
            and policy.email_system in MODELLED_SYSTEMS
            and "appointments" in policy.data_types
            and options_of(policy.settings) is not None
        ):
            rows.setdefault(dep.bindings.email[row], row)
    return rows


def contacts_of(dep: Deployment, records: dict[tuple[str, str], int]) -> Contacts:
    """M13's starting point, from pack KB519's fields (none when the pack is not loaded): the
    bindings whose user's address book has the CRM contacts, and the CRM users of the policies
    of an instance whose CRM holds duplicate contacts (those with a contact to duplicate)."""
    books = dep.bindings.extra.get(ADDRESS_BOOK, ())
    rows = range(len(dep.bindings))
    known = (
        (dep.bindings.email[row], dep.bindings.crm_user[row])
        for row in rows
        if books and books[row] == HAS_CRM_CONTACTS
    )
    doubled = (
        dep.bindings.crm_user[row]
        for row in rows
        if dep.policies[dep.bindings.policy[row]].settings.get(CRM_DUPLICATE_CONTACTS)
        and records.get((dep.bindings.crm_user[row], "contacts"), 0) > 0
    )
    return Contacts(tuple(dict.fromkeys(known)), tuple(dict.fromkeys(doubled)))


def _check_limits(dep: Deployment, cycles: int | None) -> None:
    """The file's ``cycles``, timeline cycles, ``records_per_user`` and ``user_items`` within the
    maxima (the
    command line's ``--cycles`` is checked where it is given)."""
    data = dep.data or {}
    asked: list[tuple[tuple[str | int, ...], int, int, str]] = []
    if cycles is None and "cycles" in data:
        asked.append((("cycles",), data["cycles"], MAX_CYCLES, "cycles"))
    for event in dep.timeline if cycles is None and "cycles" not in data else ():
        if event.cycle is not None:
            asked.append(((*event.pointer, "cycle"), event.cycle, MAX_CYCLES - 2, "cycle"))
    per_user = ((data.get("crm") or {}).get("records_per_user")) or {}
    for kind, count in per_user.items():
        pointer = ("crm", "records_per_user", kind)
        asked.append((pointer, count, MAX_RECORDS_PER_USER, f"{kind} per user"))
    for kind, count in (((data.get("mailbox") or {}).get("user_items")) or {}).items():
        asked.append((("mailbox", "user_items", kind), count, MAX_USER_ITEMS, f"{kind} user items"))
    for pointer, value, most, what in asked:
        if value > most:
            raise InputError(
                dep.path,
                *dep.document.locate(pointer),
                f"{what} {value:,} is more than the supported {most:,} "
                "(kb-lint simulate --no-limits lifts the limit)",
            )


def schedule_events(timeline: list[Event]) -> dict[int, tuple[Event, ...]]:
    """Events by the cycle they come before.

    ``cycle: N`` places an event before cycle N (0 and 1 both mean before the first cycle). A
    dated event comes one cycle after the event before it, or in the same cycle when it has the
    same date; the first one comes before cycle 2, so the deployment syncs once as written.
    """
    schedule: dict[int, list[Event]] = {}
    slot, date = 1, None
    for event in timeline:
        if event.cycle is not None:
            slot = max(event.cycle, 1)
        elif event.at is None or event.at != date:
            slot += 1
        date = event.at
        schedule.setdefault(slot, []).append(event)
    return {cycle: tuple(events) for cycle, events in schedule.items()}


def mailbox_order(policies: tuple[PolicySpec, ...], timeline: list[Event]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for policy in policies:
        for email, _ in policy.users:
            seen.setdefault(email)
    for event in timeline:
        if event.email is not None:
            seen.setdefault(event.email)
    return tuple(seen)


def crm_users(dep: Deployment) -> list[str]:
    """Every CRM user the deployment or its timeline names, in order of first appearance."""
    seen = dict.fromkeys(dep.bindings.crm_user)
    for event in dep.timeline:
        if event.crm_user is not None:
            seen.setdefault(event.crm_user)
    return list(seen)


def crm_records(dep: Deployment) -> dict[tuple[str, str], int]:
    """How many original CRM records each CRM user has of each type: ``records_per_user`` for
    every CRM user the deployment names, plus the explicit records."""
    crm: dict[str, Any] = (dep.data or {}).get("crm") or {"records_per_user": DEFAULT_RECORDS}
    per_user = crm.get("records_per_user") or {}
    records = {
        (user, kind): per_user[kind]
        for user in crm_users(dep)
        for kind in ITEM_TYPES
        if per_user.get(kind)
    }
    ids: dict[str, int] = {}
    for i, raw in enumerate(crm.get("records", [])):
        if "id" in raw:
            if raw["id"] in ids:
                line, col = dep.document.locate(("crm", "records", i, "id"))
                first = ids[raw["id"]] + 1
                message = f"CRM record id '{raw['id']}' is used twice (first in record {first})"
                raise InputError(dep.path, line, col, message)
            ids[raw["id"]] = i
        key = (normalise_crm_user(raw["crm_user"]), raw["type"])
        records[key] = records.get(key, 0) + 1
    return records


def scenario_from_data(
    data: dict[str, Any], name: str = "generated", vocabulary: Vocabulary = BUILT_IN
) -> Scenario:
    """A scenario from data in the file format (a generated deployment, say), read through the
    same loader and schema as a file would be; ``vocabulary`` as for ``read_scenario`` (a
    deployment checked against packs must be read with their fields)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (re.sub(r"[^\w.-]+", "-", name) + ".json")
        path.write_text(json.dumps(data), encoding="utf-8")
        return read_scenario(path, vocabulary=vocabulary)
