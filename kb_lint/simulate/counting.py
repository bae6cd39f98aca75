"""The counting path: the model run on classes of identical records and items, each counted.

What it computes: the ``Result`` of the item-level path (every cycle's measures, every
mailbox's outcome), exactly, for runs whose CRM outgrows what can be held record by record:
"sync all items" in one of three instances doubles the CRM every cycle, so 30 cycles make
billions of records.

Algorithm. The model never decides on an item by its identity, only by its state: its data
type, category, owner (the instance that wrote it, or the user), the writers (M6) whose hidden
id it carries and whether it sits in Lost & Found (M1, M2, M4, M7). So a mailbox's items are
held as counts per ``ItemClass``. A CRM record matters only through its CRM user and data type,
whether it is an original (M9 counts copies of those), and, per mailbox and writer, the state
of the live item the writer's hidden id maps it to (M5: a writer with no live item for a
record writes a copy). So the records are held as counts per (CRM user, type, original, slots),
a slot being ((mailbox, writer), item class) for each live mapping. One sync goes through the
classes as the item-level path goes through the items (``kb_lint.simulate.sync``, whose
container steps it shares): each decision applies to every item of a class alike; when a class
changes (sent up, so it carries one more hidden id; moved to Lost & Found; deleted) every slot
naming it follows, and a slot on an item no longer live is dropped. Classes that become equal
merge; none splits, so every measure is a sum of exact integer counts. Identical users are
folded first, as on the fast path (``kb_lint.simulate.fast``).

Cost: the classes depend on the configuration, not on the cycles: item classes are bounded by
types x categories x owners x subsets of the writers syncing a mailbox, record classes by the
slots those classes can fill. The bundled three-instance example holds a few dozen; 30 cycles
take milliseconds, each sync costing time linear in the classes of the mailbox (times the
record classes of its CRM users when a class changes). Bounds (``kb_lint.limits``):
``MAX_CLASSES`` classes held, ``MAX_COUNT`` per measure.

The trace (``kb_lint.simulate.trace``) gets one event per class and step, with the ``count`` of
items (records) it stands for; ``item`` and ``record`` are null, as classes have no ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from kb_lint.limits import MAX_CLASSES
from kb_lint.simulate.config import Assignment, Configuration
from kb_lint.simulate.fast import run_fast
from kb_lint.simulate.meetings import Meetings
from kb_lint.simulate.run import Result, run_cycles
from kb_lint.simulate.scenario import NO_CONTACTS, Contacts, Meeting, Setup
from kb_lint.simulate.sync import (
    APPOINTMENTS,
    CONTACTS,
    Sink,
    World,
    by_type,
    duplicate_sources,
    marked_by,
    meeting_sent,
    place,
    remove_containers,
)
from kb_lint.simulate.world import USER, Mailbox


@dataclass(frozen=True, slots=True)
class ItemClass:
    """What identical mailbox items share: type, category, owner (``USER`` for the user's
    own), the writers whose hidden id they carry, Lost & Found, and for the user's own whether
    they stand for a person the CRM holds (M13) or are a meeting, and with whom (M16)."""

    type: str
    category: str
    owner: str
    hidden: frozenset[str]
    lost: bool = False
    known: bool = False
    attendees: str = ""


Slot = tuple[tuple[str, str], ItemClass]  # ((mailbox, writer), the live item's class)
RecordClass = tuple[bool, frozenset[Slot]]  # (original, slots)


class Counts:
    """The CRM and every mailbox as counts per class. ``mailboxes`` hold each mailbox's
    containers, errors and first syncs; ``items[email]`` its items, ``records[user, type]``
    the CRM user's records."""

    note = World.note
    # What ``size`` counts (bounded by kb_lint.limits.MAX_CLASSES), and what to do past it.
    HELD = "classes of CRM records and mailbox items"
    HINT = "fewer cycles"

    def __init__(
        self,
        records: dict[tuple[str, str], int],
        mailboxes: tuple[str, ...],
        user_items: dict[str, int],
        sink: Sink | None,
        contacts: Contacts = NO_CONTACTS,
    ) -> None:
        self.sink = sink
        self.cycle = 0
        self.records: dict[tuple[str, str], dict[RecordClass, int]] = {}
        for key, count in records.items():
            self.records[key] = {(True, frozenset()): count} if count else {}
        self.mailboxes = {email: Mailbox(email) for email in mailboxes}
        own = {ItemClass(kind, "", USER, frozenset()): n for kind, n in user_items.items() if n}
        self.items = {email: dict(own) for email in mailboxes}
        self.known, self.doubled = contacts.known, frozenset(contacts.doubled)
        self.know(records)
        self.duplicates: dict[str, int] = {}  # CRM user -> records of a subject already held
        self.duplicated: set[str] = set()  # mailboxes duplicates were created from
        self.meetings = Meetings()  # M16

    def meet(self, meetings: tuple[Meeting, ...]) -> None:
        """M16: each meeting, in a class of its own (one per mailbox)."""
        for meeting in meetings:
            cls = ItemClass(
                APPOINTMENTS, meeting.category, USER, frozenset(), attendees=meeting.attendees
            )
            self.items[meeting.email][cls] = self.items[meeting.email].get(cls, 0) + 1

    def create_contact(self, crm_user: str, origin: str, count: int) -> None:
        """M16: ``count`` contact records Riva creates for new people."""
        self.add_records(
            self.records.setdefault((crm_user, CONTACTS), {}), (False, frozenset()), count
        )

    def know(self, records: dict[tuple[str, str], int]) -> None:
        """M13: the user's own contacts of the people of each known pair's CRM user (a doubled
        CRM user's contact records stand for one person fewer; the pair starts in one class
        and classes never split, so both records always share a state)."""
        known = ItemClass(CONTACTS, "", USER, frozenset(), known=True)
        for email, crm_user in self.known:
            people = records.get((crm_user, CONTACTS), 0) - (crm_user in self.doubled)
            if people:
                self.items[email][known] = self.items[email].get(known, 0) + people

    @property
    def size(self) -> int:
        """The classes held."""
        return sum(map(len, self.records.values())) + sum(map(len, self.items.values()))

    def move(self, email: str, old: ItemClass, new: ItemClass | None) -> int:
        """Every item of class ``old`` in the mailbox becomes ``new`` (``None``: deleted); the
        slots naming ``old`` follow, or go when the items are no longer live. Returns how many
        items moved."""
        items = self.items[email]
        count = items.pop(old)
        if new is not None:
            items[new] = items.get(new, 0) + count
        live = new if new is not None and not new.lost else None
        for per_user in self.records.values():
            for key in list(per_user):
                original, slots = key
                moved = {s for s, i in slots if s[0] == email and i == old}
                if moved:
                    kept = {(s, i) for s, i in slots if s not in moved}
                    if live is not None:
                        kept |= {(s, live) for s in moved}
                    self.add_records(per_user, (original, frozenset(kept)), per_user.pop(key))
        return count

    def record_counts(self) -> Iterable[tuple[str, int]]:
        """(CRM user, records) for each CRM user and data type."""
        return ((user, sum(n.values())) for (user, _), n in self.records.items())

    def items_in(self, email: str) -> int:
        return sum(self.items[email].values())

    def lost_and_found(self, email: str) -> bool:
        return any(c.lost for c in self.items[email])

    def readdress(self, old: str, new: str) -> None:
        """``kb_lint.simulate.sync.World.readdress`` on classes: the items move (the user's own
        contacts of CRM people too, M13), and each slot of ``old`` becomes a slot of ``new``
        under a writer that never syncs (the mapping stays behind; the item still counts as a
        copy, M9)."""
        for cls, count in self.items[old].items():
            self.items[new][cls] = self.items[new].get(cls, 0) + count
        self.items[old] = {}
        for per_user in self.records.values():
            for key in [k for k in per_user if any(s[0] == old for s, _ in k[1])]:
                original, slots = key
                moved = frozenset(
                    ((new, f"{writer}\x00was {old}"), cls)
                    if mailbox == old
                    else ((mailbox, writer), cls)
                    for (mailbox, writer), cls in slots
                )
                self.add_records(per_user, (original, moved), per_user.pop(key))
        source, target = self.mailboxes[old], self.mailboxes[new]
        target.containers = source.containers | target.containers
        source.containers = {}
        self.known = tuple((new if mailbox == old else mailbox, u) for mailbox, u in self.known)

    def contact_duplicates(self, email: str) -> list[str]:
        """``kb_lint.simulate.sync.World.contact_duplicates`` on classes: the user's own
        contacts of a person are never moved (M10), and every original contact record of a
        CRM user is in one class, so a person has a Riva copy and the user's own one exactly
        when the CRM user is known to the mailbox and has an original with a live copy there."""
        copied = {
            user
            for (user, kind), per_user in self.records.items()
            if kind == CONTACTS
            and any(
                original and any(slot[0] == email for slot, _ in slots)
                for original, slots in per_user
            )
        }
        known = {user for mailbox, user in self.known if mailbox == email}
        return duplicate_sources(bool(copied & known), bool(copied & self.doubled))

    def sync(
        self, config: Configuration, instance: str, box: Mailbox, assignments: list[Assignment]
    ) -> None:
        """One sync of ``box`` by ``instance``, class by class (``kb_lint.simulate.sync.sync``)."""
        for writer, own in place(self, instance, box, assignments).items():
            _write(self, config, instance, writer, box, own)

    def remove_riva_data(self, box: Mailbox, what: frozenset[str], instance: str) -> None:
        """``kb_lint.simulate.sync.remove_riva_data``, one class at a time."""
        for cls in [c for c in self.items[box.email] if c.type in what and c.owner != USER]:
            count = self.move(box.email, cls, None)
            self.note("cleaned", "M7", instance, "", box, cls.type, count=count, to="deleted")
        remove_containers(box, what)

    @staticmethod
    def add_records(per_user: dict[RecordClass, int], key: RecordClass, count: int) -> None:
        per_user[key] = per_user.get(key, 0) + count

    def copies_max(self, email: str) -> int:
        """The most live copies one original CRM record has in the mailbox (M9)."""
        return max(
            (
                sum(1 for slot, _ in slots if slot[0] == email)
                for per_user in self.records.values()
                for original, slots in per_user
                if original
            ),
            default=0,
        )


def _write(
    world: Counts,
    config: Configuration,
    instance: str,
    writer: str,
    box: Mailbox,
    assignments: list[Assignment],
) -> None:
    items = world.items[box.email]
    here = (box.email, writer)
    for kind, syncing, upward, namespace in by_type(assignments):
        new = _scan(world, config, instance, writer, box, kind, syncing, namespace, upward)
        for a in syncing:
            per_user = world.records.setdefault((a.crm_user, kind), {})
            box.item_syncs += sum(per_user.values())
            copy = ItemClass(kind, a.policy.category, instance, frozenset({writer}))
            for key in [k for k in per_user if all(s != here for s, _ in k[1])]:
                count = per_user.pop(key)
                world.add_records(per_user, (key[0], key[1] | {(here, copy)}), count)
                items[copy] = items.get(copy, 0) + count
                world.note("copied", "M5", instance, a.policy.name, box, kind, count=count)
        for old, sender in new:
            count = items[old]
            if old.attendees and not meeting_sent(
                world, instance, sender, box, old.attendees, count
            ):
                continue
            per_user = world.records.setdefault((sender.crm_user, kind), {})
            held = old.owner != USER or bool(old.hidden) or old.known  # in the CRM
            sent = replace(old, hidden=old.hidden | {writer})
            world.move(box.email, old, sent)
            world.add_records(per_user, (False, frozenset({(here, sent)})), count)
            if held:
                world.duplicates[sender.crm_user] = world.duplicates.get(sender.crm_user, 0) + count
                world.duplicated.add(box.email)
            event = "duplicated" if held else "created"
            why = "M16" if old.attendees else "M4"
            name = sender.policy.name
            world.note(event, why, instance, name, box, kind, count=count, owner=old.owner)
        box.synced.add((writer, kind))


def _scan(
    world: Counts,
    config: Configuration,
    instance: str,
    writer: str,
    box: Mailbox,
    kind: str,
    syncing: list[Assignment],
    namespace: set[str],
    upward: Assignment | None,
) -> list[tuple[ItemClass, Assignment]]:
    """``kb_lint.simulate.sync._scan``, one class at a time."""
    first = (writer, kind) not in box.synced
    policy = syncing[0].policy.name
    new = []
    for cls, count in [(c, n) for c, n in world.items[box.email].items() if c.type == kind]:
        box.item_syncs += count
        if cls.lost or writer in cls.hidden:
            continue
        if cls.category not in namespace:
            if upward is not None:
                new.append((cls, upward))
        elif first and not config.active(cls.owner, box.email):
            world.move(box.email, cls, replace(cls, lost=True))
            world.note(
                "cleaned", "M2", instance, policy, box, kind, count=count, to="lost-and-found"
            )
        elif cls.attendees:
            new.append((cls, marked_by(syncing, cls.category)))
        else:
            box.errors += count
            world.note("error", "M2", instance, policy, box, kind, count=count, owner=cls.owner)
            if upward is not None:
                new.append((cls, upward))
    return new


def run_classes(
    setup: Setup,
    weights: Mapping[str, int] | None = None,
    crm_weights: Mapping[str, int] | None = None,
    sink: Sink | None = None,
    limit: int | None = MAX_CLASSES,
) -> Result:
    """``kb_lint.simulate.run.run_items`` on counted classes: the same ``Result``."""
    return run_cycles(Counts, setup, weights, crm_weights, sink, limit)


def run_counting(setup: Setup, sink: Sink | None = None, limit: int | None = MAX_CLASSES) -> Result:
    """The same ``Result`` as ``run_items(setup)``, from counted classes of identical users,
    records and items; ``sink`` receives one event per class and step, with its ``count`` and
    its mailbox's ``weight``. More than ``limit`` classes held, or a measure past
    ``MAX_COUNT``, raises ``WorldTooLarge``."""
    return run_fast(setup, sink, limit, run_classes)
