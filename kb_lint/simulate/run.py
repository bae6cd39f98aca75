"""The item-level run: cycles of every instance syncing every mailbox it is assigned.

Each cycle first applies the timeline events scheduled before it, then lets the instances sync
in an order the seed shuffles (Riva instances run independently of each other), each instance
going through its mailboxes in the order they first appear in the deployment.

``weights`` let one simulated mailbox (and CRM user) stand for several identical ones: the fast
path simulates one representative per class and counts it as many times as the class is large.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from kb_lint.limits import MAX_COUNT, MAX_WORLD
from kb_lint.model.timeline import Event
from kb_lint.simulate.config import Assignment, Configuration
from kb_lint.simulate.meetings import MEETING_CYCLE, Meetings
from kb_lint.simulate.scenario import Meeting, Setup
from kb_lint.simulate.sync import Sink, World
from kb_lint.simulate.world import Container, Mailbox, category_containers, folder_container

Outcome = dict[str, Any]
RENAME_MASTER_FOLDER = "rename-master-folder"  # the action of pack KB1668 the model runs (M12)
# The settings Riva fixes at a policy's first save, by the pack action that changes them: the
# setting, and the instance kinds whose Riva Manager refuses the change (M12, M15).
LOCKED = {
    RENAME_MASTER_FOLDER: ("folder_root", frozenset({"cloud", "on-premise"})),  # KB 1668
    "change-sync-category": ("category", frozenset({"cloud"})),  # KB 1508
    "change-contact-folder-option": ("separate_contact_folder", frozenset({"cloud"})),  # KB 1508
}


class WorldTooLarge(Exception):
    """The run grew past a bound of ``kb_lint.limits``; ``cycle`` is the cycle that did it."""

    def __init__(self, cycle: int, what: str, hint: str) -> None:
        super().__init__(f"cycle {cycle}: {what} ({hint}, or kb-lint simulate --no-limits)")
        self.cycle = cycle


@dataclass(frozen=True)
class CycleStats:
    cycle: int
    mailbox_items: int
    crm_records: int
    crm_duplicates: int
    mailbox_copies_max: int
    errors: int
    leftovers: int
    item_syncs: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class Result:
    """What a simulation shows: one row per cycle, and each mailbox's outcome at the end.

    A mailbox's outcome uses the rule pack's outcome names: ``sync_errors`` (errors in the last
    cycle), ``mailbox_copies`` (most copies of one original CRM record outside Lost & Found),
    ``crm_duplicates`` (records of a subject the CRM already held were created from the
    mailbox), ``lost_and_found``,
    ``dormant`` and ``leftovers`` (the kinds of containers no syncing policy uses).
    """

    originals: int
    cycles: list[CycleStats]
    mailboxes: dict[str, Outcome]

    def final(self) -> dict[str, int]:
        last = self.cycles[-1] if self.cycles else None
        return {
            "crm_records": last.crm_records if last else self.originals,
            "crm_duplicates": last.crm_duplicates if last else 0,
            "mailbox_copies_max": last.mailbox_copies_max if last else 0,
            "errors_total": sum(c.errors for c in self.cycles),
            "errors_last_cycle": last.errors if last else 0,
            "leftovers": last.leftovers if last else 0,
        }

    @property
    def item_syncs(self) -> int:
        return sum(c.item_syncs for c in self.cycles)


class Model(Protocol):
    """What the cycles run on: every record and item (``kb_lint.simulate.sync.World``), or
    classes of identical ones, counted (``kb_lint.simulate.counting.Counts``)."""

    HELD: str  # what ``size`` counts
    HINT: str  # what to do about a run that holds too many
    cycle: int
    mailboxes: dict[str, Mailbox]
    duplicates: dict[str, int]  # CRM user -> records of a subject already held
    duplicated: set[str]  # mailboxes duplicates were created from
    meetings: Meetings  # M16

    @property
    def size(self) -> int: ...

    def note(self, event: str, why: str, instance: str, policy: str, box: Mailbox, kind: str,
             item: int | None = None, record: int | None = None, count: int = 1,
             **more: Any) -> None: ...  # fmt: skip

    def sync(
        self, config: Configuration, instance: str, box: Mailbox, assignments: list[Assignment]
    ) -> None: ...

    def remove_riva_data(self, box: Mailbox, what: frozenset[str], instance: str) -> None: ...

    def record_counts(self) -> Iterable[tuple[str, int]]:
        """(CRM user, records) for each CRM user and data type."""
        ...

    def items_in(self, email: str) -> int: ...

    def copies_max(self, email: str) -> int: ...

    def lost_and_found(self, email: str) -> bool: ...

    def readdress(self, old: str, new: str) -> None:
        """M14: the items and containers of mailbox ``old`` are now ``new``'s; no instance
        holds a mapping of them there, so each syncs ``new`` as a new user."""
        ...

    def contact_duplicates(self, email: str) -> list[str]: ...

    def meet(self, meetings: tuple[Meeting, ...]) -> None: ...


def run_items(
    setup: Setup,
    weights: Mapping[str, int] | None = None,
    crm_weights: Mapping[str, int] | None = None,
    sink: Sink | None = None,
    limit: int | None = MAX_WORLD,
) -> Result:
    """Simulate ``setup`` item by item; ``weights`` count a mailbox (CRM user) that many times;
    ``sink`` receives every item-level event, with the ``weight`` of its mailbox. A run holding
    more than ``limit`` records and items after a cycle, or with a measure past ``MAX_COUNT``,
    raises ``WorldTooLarge`` (``limit=None``: neither)."""
    return run_cycles(World, setup, weights, crm_weights, sink, limit)


def run_cycles(
    model: Callable[..., Model],
    setup: Setup,
    weights: Mapping[str, int] | None,
    crm_weights: Mapping[str, int] | None,
    sink: Sink | None,
    limit: int | None,
) -> Result:
    """The cycles of ``setup`` on the world ``model`` makes (``run_items``)."""
    weigh = _weigher(weights)
    if sink is not None:
        sink = _weighed(sink, weigh)
    world = model(setup.records, setup.mailboxes, setup.user_items, sink, setup.contacts)
    refused: set[str] = set()  # mailboxes whose policy's master folder rename was refused (M12)
    ids = CrmIds(setup.crm_id_check)  # M14
    config = Configuration(setup.instances, setup.policies)
    weigh_user = _weigher(crm_weights)
    originals = sum(weigh_user(user) * n for (user, _), n in setup.records.items())
    rng = random.Random(setup.seed)
    order = list(setup.instances)
    cycles = []
    for cycle in range(1, setup.cycles + 1):
        world.cycle = cycle
        events = setup.schedule.get(cycle, ())
        for event in events:
            if event.action == "remove-riva-data":
                box = world.mailboxes[event.email or ""]
                world.remove_riva_data(box, event.what, event.instance or "")
            elif locked(config, event):
                refused |= refused_change(config, event)
            elif event.action == "add-user":
                ids.readd(world, config, event)
            config.apply(event)
        if events:
            config.refresh()
        if cycle == MEETING_CYCLE:
            world.meet(setup.meetings)
        for box in world.mailboxes.values():
            box.errors = box.item_syncs = 0
        if sink is not None:
            _skipped(world, config)
        rng.shuffle(order)
        for instance in order:
            for email, assignments in config.assignments[instance].items():
                syncing = ids.check(world, instance, world.mailboxes[email], assignments)
                if syncing:
                    world.sync(config, instance, world.mailboxes[email], syncing)
        cycles.append(_measure(cycle, world, config, weigh, weigh_user))
        if limit is not None:
            bound(cycles[-1], world.size, limit, world.HELD, world.HINT)
    changes = any(locked(config, e) for es in setup.schedule.values() for e in es)
    outcomes = _outcomes(world, config, refused if changes else None, bool(setup.contacts), ids)
    for meeting in setup.meetings:
        outcomes[meeting.email] |= world.meetings.outcome(meeting.email)
    return Result(originals, cycles, outcomes)


def bound(stats: CycleStats, size: int, limit: int, held: str, hint: str) -> None:
    """Raise ``WorldTooLarge`` when the run holds more than ``limit`` objects (``size`` of
    ``held``) or a measure of the cycle passes ``MAX_COUNT``."""
    if size > limit:
        raise WorldTooLarge(
            stats.cycle,
            f"the model holds {size:,} {held}, more than the supported {limit:,}",
            hint,
        )
    measure, count = max(stats.as_dict().items(), key=lambda pair: pair[1])
    if count > MAX_COUNT:
        raise WorldTooLarge(
            stats.cycle,
            f"{measure} reaches about 10^{math.log10(count):.0f}, more than the supported "
            f"10^{math.log10(MAX_COUNT):.0f}",
            "fewer cycles",
        )


Weigh = Callable[[str], int]


def _weighed(sink: Sink, weigh: Weigh) -> Sink:
    def send(event: dict[str, Any]) -> None:
        event["weight"] = weigh(event["mailbox"])
        sink(event)

    return send


def _skipped(world: Model, config: Configuration) -> None:
    """A ``skipped`` event for each data type an enabled policy assigns a mailbox but an
    earlier policy took (force user exclusivity, M6)."""
    estate = config.estate
    for policy in config.policies:
        if not estate.enabled[policy.index]:
            continue
        for email, crm_user in estate.users[policy.index]:
            if not estate.account(policy.instance, email):
                continue
            taken = {
                kind
                for a in config.assignments[policy.instance].get(email, ())
                if a.policy.index == policy.index and a.crm_user == crm_user
                for kind in a.types
            }
            for kind in policy.data_types:
                if kind not in taken:
                    world.note(
                        "skipped",
                        "M6",
                        policy.instance,
                        policy.name,
                        world.mailboxes[email],
                        kind,
                        crm_user=crm_user,
                    )


def _weigher(weights: Mapping[str, int] | None) -> Weigh:
    if weights is None:
        return lambda _: 1
    return lambda key: weights.get(key, 1)


def _measure(
    cycle: int, world: Model, config: Configuration, weigh: Weigh, weigh_user: Weigh
) -> CycleStats:
    items = errors = leftovers = syncs = copies = 0
    for email, box in world.mailboxes.items():
        w = weigh(email)
        items += w * world.items_in(email)
        errors += w * box.errors
        syncs += w * box.item_syncs
        leftovers += w * len(_leftovers(box, config))
        copies = max(copies, world.copies_max(email))
    records = sum(weigh_user(user) * n for user, n in world.record_counts())
    duplicates = sum(weigh_user(user) * n for user, n in world.duplicates.items())
    return CycleStats(cycle, items, records, duplicates, copies, errors, leftovers, syncs)


def _leftovers(box: Mailbox, config: Configuration) -> list[Container]:
    """Riva-generated containers in the mailbox that no policy syncing it uses."""
    if not box.containers:
        return []
    used: set[Container] = set()
    for per_email in config.assignments.values():
        for a in per_email.get(box.email, ()):
            used.add(folder_container(a.policy.folder_root))
            used.update(category_containers(a.policy.email_system, a.policy.category, a.types))
    return [c for c in box.containers if c not in used]


def locked(config: Configuration, event: Event) -> bool:
    """The event changes a setting Riva fixes at the first save, on an instance whose Riva
    Manager refuses it (``LOCKED``: M12, M15)."""
    if event.action not in LOCKED:
        return False
    index = config.estate.policy_index(event.instance or "", event.policy or "")
    return index is not None and config.policies[index].instance_kind in LOCKED[event.action][1]


def refused_change(config: Configuration, event: Event) -> set[str]:
    """A change Riva refuses (M12, M15): every policy of a scenario has been saved, so a change
    of a setting fixed at the first save to another value leaves it as it is. The mailboxes
    the policy assigns."""
    index = config.estate.policy_index(event.instance or "", event.policy or "")
    if index is None:
        return set()
    policy = config.policies[index]
    name = LOCKED[event.action][0]
    current = policy.settings[name] if name in policy.settings else getattr(policy, name, None)
    if event.settings.get(name) == current:
        return set()
    return {email for email, _ in config.estate.users[index]}


def _outcomes(
    world: Model, config: Configuration, refused: set[str] | None, contacts: bool, ids: CrmIds
) -> dict[str, Outcome]:
    """Each mailbox's outcome; ``change_refused`` (M12, M15) in a scenario that changes a
    setting fixed at the first save (``refused``: the mailboxes whose policy's change Riva
    refused); with ``contacts``
    (a scenario with contacts held twice, M13) ``duplicate_contacts`` and, when there are
    some, their ``certainty`` (an enum without a default: absent when there are none);
    ``rename_result`` in a run where a CRM user came back under another address (M14). A
    mailbox with a meeting adds pack KB1507's outcomes (M16, ``run_cycles``)."""
    dormant = config.dormant()
    return {
        email: {
            "sync_errors": box.errors > 0,
            "mailbox_copies": world.copies_max(email),
            "crm_duplicates": email in world.duplicated,
            "lost_and_found": world.lost_and_found(email),
            "dormant": email in dormant,
            "leftovers": sorted({c.kind for c in _leftovers(box, config)}),
        }
        | ({"change_refused": email in refused} if refused is not None else {})
        | _contacts(world, email, contacts)
        | ({"rename_result": ids.result.get(email, "none")} if ids.result else {})
        for email, box in world.mailboxes.items()
    }


def _contacts(world: Model, email: str, shown: bool) -> Outcome:
    """M13's outcome of a mailbox, when ``shown``: the model sees every duplicate it makes, so
    its certainty is ``certain`` (pack KB519's ``possible`` is about a file that does not say
    what an address book holds)."""
    if not shown:
        return {}
    sources = world.contact_duplicates(email)
    return {"duplicate_contacts": sources} | ({"certainty": "certain"} if sources else {})


class CrmIds:
    """M14 (KB 1270): the mailbox each Riva On-Premise instance registered each CRM user to,
    at its first sync of them. ``check``: whether the instance refuses a CRM id registered to
    another mailbox (its release, ``Setup.crm_id_check``); ``result``: each mailbox a CRM
    user came back under, and what the instance made of it."""

    def __init__(self, check: dict[str, bool]) -> None:
        self.refuses = check
        self.registered: dict[tuple[str, str], str] = {}  # (instance, CRM user) -> mailbox
        self.refused: set[tuple[str, str, str]] = set()  # (instance, mailbox, CRM user)
        self.result: dict[str, str] = {}  # mailbox -> rename_result (pack KB1270)

    def readd(self, world: Model, config: Configuration, event: Event) -> None:
        """An add-user of a CRM user the instance registered to another mailbox, which no
        policy of the instance assigns it any longer (it was removed): the user's address
        changed (pack KB1270's A2), and the mailbox keeps its items. From 2.4.39.24181 the
        instance refuses the new address; before, it syncs it as a new user."""
        instance, email, crm_user = event.instance or "", event.email or "", event.crm_user or ""
        old = self.registered.get((instance, crm_user))
        if instance not in self.refuses or old is None or old == email:
            return
        estate = config.estate
        if any(
            (old, crm_user) in estate.users[p.index]
            for p in config.policies
            if p.instance == instance
        ):
            return
        world.readdress(old, email)
        if self.refuses[instance]:
            self.refused.add((instance, email, crm_user))
            self.result[email] = "crm_id_conflict"
        else:
            self.registered[instance, crm_user] = email
            self.result[email] = "first_sync_duplicates"

    def check(
        self, world: Model, instance: str, box: Mailbox, assignments: list[Assignment]
    ) -> list[Assignment]:
        """The assignments the instance syncs: one whose CRM id it refuses is one error per
        sync, and nothing synced for it; the others register their CRM user to the mailbox."""
        if instance not in self.refuses:
            return assignments
        syncing = []
        for a in assignments:
            if (instance, box.email, a.crm_user) in self.refused:
                box.errors += 1
                world.note(
                    "error", "M14", instance, a.policy.name, box, "users", crm_user=a.crm_user
                )
            else:
                self.registered.setdefault((instance, a.crm_user), box.email)
                syncing.append(a)
        return syncing
