"""One instance syncing one mailbox for one cycle, and the mailbox clean-up of the procedures."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kb_lint.simulate.config import Assignment, Configuration
from kb_lint.simulate.meetings import Meetings, kind_of, match, options_of
from kb_lint.simulate.scenario import NO_CONTACTS, Contacts, Meeting
from kb_lint.simulate.world import (
    USER,
    CrmRecord,
    Item,
    Mailbox,
    category_containers,
    folder_container,
)

Sink = Callable[[dict[str, Any]], None]
CONTACTS, APPOINTMENTS = "contacts", "appointments"
# Pack KB519's names for where duplicate contacts come from (M13).
ADDRESS_BOOK, CRM = "address book", "crm"


def duplicate_sources(address_book: bool, crm: bool) -> list[str]:
    """The ``duplicate_contacts`` outcome (M13), in the pack's order."""
    return [name for name, shown in ((ADDRESS_BOOK, address_book), (CRM, crm)) if shown]


class World:
    """The CRM and every mailbox; ``sink``, when given, receives one record per item-level
    event (``kb_lint.simulate.trace``). ``contacts``: what the mailboxes and the CRM already
    hold twice (M13)."""

    def __init__(
        self,
        records: dict[tuple[str, str], int],
        mailboxes: Iterable[str],
        user_items: dict[str, int] | None = None,
        sink: Sink | None = None,
        contacts: Contacts = NO_CONTACTS,
    ) -> None:
        self.sink = sink
        self.cycle = 0
        self.records: list[CrmRecord] = []
        self.owned: dict[tuple[str, str], list[int]] = {}  # (crm_user, type) -> record ids
        for (user, kind), count in records.items():
            start = len(self.records)
            self.records += [CrmRecord(user, kind, start + n) for n in range(count)]
            self.owned[user, kind] = list(range(start, start + count))
        self.double(contacts.doubled)
        self.originals = len(self.records)
        self.subjects = self.originals  # the next subject id
        self.held: dict[int, int] = {}  # subject -> the first record of it
        for rid in reversed(range(self.originals)):
            self.held[self.records[rid].subject] = rid
        self.duplicates: dict[str, int] = {}  # CRM user -> records of a subject already held
        self.duplicated: set[str] = set()  # mailboxes duplicates were created from
        self.mailboxes = {email: Mailbox(email) for email in mailboxes}
        self.next_item = 0
        for box in self.mailboxes.values():
            for kind, count in (user_items or {}).items():
                for _ in range(count):
                    box.add(Item(self.next_item, kind, "", -1, USER, {}, self.subjects))
                    self.next_item += 1
                    self.subjects += 1
        self.know(contacts.known)
        self.meetings = Meetings()  # M16

    def meet(self, meetings: tuple[Meeting, ...]) -> None:
        """M16: each meeting, an appointment of the user's own in the category the user gives
        it."""
        for meeting in meetings:
            self.mailboxes[meeting.email].add(
                Item(
                    self.next_item,
                    APPOINTMENTS,
                    meeting.category,
                    -1,
                    USER,
                    {},
                    self.subjects,
                    attendees=meeting.attendees,
                )
            )
            self.next_item += 1
            self.subjects += 1

    def create_contact(self, crm_user: str, origin: str, count: int) -> None:
        """M16: a contact record Riva creates for a new person, ``count`` times."""
        for _ in range(count):
            self.new_record(crm_user, CONTACTS, origin, self.subjects)
            self.subjects += 1

    def double(self, users: tuple[str, ...]) -> None:
        """M13: each CRM user's last contact record stands for its first one's person."""
        for user in users:
            first, *_, last = self.owned[user, CONTACTS]
            self.records[last].subject = first

    def know(self, known: tuple[tuple[str, str], ...]) -> None:
        """M13: a contact of the user's own in the mailbox for each person among the CRM
        user's contacts, for each (mailbox, CRM user) pair."""
        for email, crm_user in known:
            box = self.mailboxes[email]
            for subject in dict.fromkeys(
                self.records[rid].subject for rid in self.owned.get((crm_user, CONTACTS), ())
            ):
                box.add(Item(self.next_item, CONTACTS, "", -1, USER, {}, subject))
                self.next_item += 1

    # What ``size`` counts (bounded by kb_lint.limits.MAX_WORLD), and what to do past it.
    HELD = "CRM records and mailbox items"
    HINT = "fewer cycles, kb-lint simulate --counting, which counts classes of identical ones"

    @property
    def size(self) -> int:
        return len(self.records) + self.next_item

    def record_counts(self) -> Iterable[tuple[str, int]]:
        """(CRM user, records) for each CRM user and data type."""
        return ((user, len(ids)) for (user, _), ids in self.owned.items())

    def items_in(self, email: str) -> int:
        return len(self.mailboxes[email].items)

    def copies_max(self, email: str) -> int:
        return self.mailboxes[email].copies_max

    def lost_and_found(self, email: str) -> bool:
        return self.mailboxes[email].lost_and_found

    def readdress(self, old: str, new: str) -> None:
        """M14: mailbox ``old``'s items and containers are ``new``'s; the instances' mappings
        (hidden ids written for ``old``) stay behind, so each syncs ``new`` as a new user."""
        source, target = self.mailboxes[old], self.mailboxes[new]
        for item in list(source.items.values()):
            source.remove(item)
            target.add(item)
        for rid, count in source.copies.items():
            target.copies[rid] = target.copies.get(rid, 0) + count
        target.containers = source.containers | target.containers
        source.copies, source.containers = {}, {}

    def contact_duplicates(self, email: str) -> list[str]:
        """Where the mailbox's duplicate contacts come from (M13): ``address book`` when a
        contact of the user's own and a Riva copy of a CRM contact stand for one person,
        ``crm`` when Riva copies of two original CRM contacts do."""
        own: set[int] = set()
        copied: dict[int, set[int]] = {}  # person -> original records with a live Riva copy
        for item in self.mailboxes[email].by_type.get(CONTACTS, {}).values():
            if item.lost:
                continue
            if item.owner == USER:
                own.add(item.subject)
            elif 0 <= item.record < self.originals:
                copied.setdefault(self.records[item.record].subject, set()).add(item.record)
        return duplicate_sources(
            bool(own & copied.keys()), any(len(records) > 1 for records in copied.values())
        )

    def sync(
        self, config: Configuration, instance: str, box: Mailbox, assignments: list[Assignment]
    ) -> None:
        sync(self, config, instance, box, assignments)

    def remove_riva_data(self, box: Mailbox, what: frozenset[str], instance: str) -> None:
        remove_riva_data(self, box, what, instance)

    def new_record(self, crm_user: str, kind: str, origin: str, subject: int) -> int:
        """A record created from a mailbox item standing for ``subject``."""
        rid = len(self.records)
        self.records.append(CrmRecord(crm_user, kind, subject, origin))
        self.owned.setdefault((crm_user, kind), []).append(rid)
        if subject in self.held:
            self.duplicates[crm_user] = self.duplicates.get(crm_user, 0) + 1
            self.duplicated.add(origin)
        self.held.setdefault(subject, rid)
        return rid

    def note(
        self,
        event: str,
        why: str,
        instance: str,
        policy: str,
        box: Mailbox,
        kind: str,
        item: int | None = None,
        record: int | None = None,
        count: int = 1,
        **more: Any,
    ) -> None:
        """Tell the sink what happened to an item (``event``; to ``count`` identical ones) and
        the assumption that decided it."""
        if self.sink is not None:
            self.sink(
                {
                    "cycle": self.cycle,
                    "event": event,
                    "why": why,
                    "instance": instance,
                    "policy": policy,
                    "mailbox": box.email,
                    "type": kind,
                    "item": item,
                    "record": record,
                    "count": count,
                    **more,
                }
            )

    def write(
        self, box: Mailbox, instance: str, writer: str, category: str, kind: str, rid: int
    ) -> Item:
        subject = self.records[rid].subject
        item = Item(self.next_item, kind, category, rid, instance, {writer: rid}, subject)
        self.next_item += 1
        box.add(item)
        if rid < self.originals:
            box.copies[rid] = box.copies.get(rid, 0) + 1
        return item

    def lose(self, box: Mailbox, item: Item) -> None:
        """Move an item to Lost & Found: it stays in the mailbox but no longer counts as a copy."""
        item.lost = True
        self._uncount(box, item)

    def delete(self, box: Mailbox, item: Item) -> None:
        box.remove(item)
        if not item.lost:
            self._uncount(box, item)

    def _uncount(self, box: Mailbox, item: Item) -> None:
        if 0 <= item.record < self.originals:
            box.copies[item.record] -= 1


def sync(
    world: World, config: Configuration, instance: str, box: Mailbox, assignments: list[Assignment]
) -> None:
    """One sync of ``box`` by ``instance``; errors and item-syncs are added to the mailbox.

    Folder roots, then per writer (the instance, or each policy when force user exclusivity is
    off, M6) and data type: the namespace scan (foreign items -> error, Lost & Found, or with
    sync all items new items), CRM -> mailbox, and with sync all items, mailbox -> CRM.
    """
    for writer, own in place(world, instance, box, assignments).items():
        _write(world, config, instance, writer, box, own)


def place(
    world: World, instance: str, box: Mailbox, assignments: list[Assignment]
) -> dict[str, list[Assignment]]:
    """The containers of one sync: another instance's folder root is an error (M3), the rest
    are made where missing. Returns the assignments by writer (M6), in order."""
    roots: dict[str, Assignment] = {}
    for a in assignments:
        roots.setdefault(a.policy.folder_root, a)
    for root, a in roots.items():
        if box.containers.setdefault(folder_container(root), instance) != instance:
            box.errors += 1
            world.note("error", "M3", instance, a.policy.name, box, "folders", folder=root)
    for a in assignments:
        for container in category_containers(a.policy.email_system, a.policy.category, a.types):
            box.containers.setdefault(container, instance)
    writers: dict[str, list[Assignment]] = {}
    for a in assignments:
        writers.setdefault(a.writer, []).append(a)
    return writers


def by_type(
    assignments: list[Assignment],
) -> Iterator[tuple[str, list[Assignment], Assignment | None, set[str]]]:
    """Each data type a writer syncs, with the assignments that sync it, the one that sends
    the mailbox's items up (sync all items, M4) if any, and its namespace's categories (M1)."""
    for kind in dict.fromkeys(k for a in assignments for k in a.types):
        syncing = [a for a in assignments if kind in a.types]
        upward = next((a for a in syncing if a.policy.sync_all_items), None)
        yield kind, syncing, upward, {a.policy.category for a in syncing}


def _write(
    world: World,
    config: Configuration,
    instance: str,
    writer: str,
    box: Mailbox,
    assignments: list[Assignment],
) -> None:
    store = box.store(writer)
    for kind, syncing, upward, namespace in by_type(assignments):
        new = _scan(world, config, instance, writer, box, kind, syncing, namespace, upward)
        for a in syncing:
            for rid in world.owned.get((a.crm_user, kind), ()):
                box.item_syncs += 1
                if not box.live(store.get(rid)):
                    store[rid] = item = world.write(
                        box, instance, writer, a.policy.category, kind, rid
                    )
                    world.note("copied", "M5", instance, a.policy.name, box, kind, item.id, rid)
        for item, sender in new:
            if item.attendees and not meeting_sent(world, instance, sender, box, item.attendees):
                continue
            held = world.held.get(item.subject)
            rid = world.new_record(sender.crm_user, kind, box.email, item.subject)
            item.hidden[writer] = rid
            store[rid] = item
            if world.sink is not None:
                name, owner = sender.policy.name, item.owner
                why = "M16" if item.attendees else "M4"
                if held is None:
                    world.note("created", why, instance, name, box, kind, item.id, rid, owner=owner)
                else:
                    world.note(
                        "duplicated",
                        why,
                        instance,
                        name,
                        box,
                        kind,
                        item.id,
                        rid,
                        owner=owner,
                        duplicate_of=held,
                    )
        box.synced.add((writer, kind))


def marked_by(syncing: list[Assignment], category: str) -> Assignment:
    """The assignment whose policy's category the user gave a meeting (M16)."""
    return next(a for a in syncing if a.policy.category == category)


def meeting_sent(
    world: World, instance: str, sender: Assignment, box: Mailbox, attendees: str, count: int = 1
) -> bool:
    """M16: Riva matches the people of ``count`` meetings under the sending policy's Attendee
    Syncing options, creates the contacts they call for (records of its CRM user), and sends
    the meetings up or skips them; a policy without the options sends them as any item."""
    options = options_of(sender.policy.settings)
    if options is None:
        return True
    state, name = world.meetings, sender.policy.name
    created = state.created.setdefault(box.email, set())
    synced, new = match(options, attendees, frozenset(created))
    for person in new:
        created.add(person)
        state.kinds.setdefault(box.email, set()).add(kind_of(person, attendees))
        world.create_contact(sender.crm_user, box.email, count)
        world.note("created", "M16", instance, name, box, CONTACTS, count=count, person=person)
    if synced:
        state.skipped.discard(box.email)
    else:
        state.skipped.add(box.email)
        world.note("skipped", "M16", instance, name, box, APPOINTMENTS, count=count)
    return synced


def _scan(
    world: World,
    config: Configuration,
    instance: str,
    writer: str,
    box: Mailbox,
    kind: str,
    syncing: list[Assignment],
    namespace: set[str],
    upward: Assignment | None,
) -> list[tuple[Item, Assignment]]:
    """Deal with the items of ``kind`` the instance has no mapping for; return the new items
    it sends to the CRM, each with the assignment that sends it.

    In its namespace, on the instance's first sync of the type, an item no active instance
    owns goes to Lost & Found (M2); after that, a meeting of the user's own is sent up by the
    policy whose category the user gave it (M16); any other is foreign: one error per sync,
    and sync all items also takes it for a new item (M4). Outside the namespace, only sync all
    items sees it.
    """
    first = (writer, kind) not in box.synced
    policy = syncing[0].policy.name
    new = []
    for item in box.by_type.get(kind, {}).values():
        box.item_syncs += 1
        if item.lost or writer in item.hidden:
            continue
        if item.category not in namespace:
            if upward is not None:
                new.append((item, upward))
        elif first and not config.active(item.owner, box.email):
            world.lose(box, item)
            world.note(
                "cleaned",
                "M2",
                instance,
                policy,
                box,
                kind,
                item.id,
                item.record,
                to="lost-and-found",
            )
        elif item.attendees:
            new.append((item, marked_by(syncing, item.category)))
        else:
            box.errors += 1
            world.note(
                "error", "M2", instance, policy, box, kind, item.id, item.record, owner=item.owner
            )
            if upward is not None:
                new.append((item, upward))
    return new


def remove_riva_data(world: World, box: Mailbox, what: frozenset[str], instance: str = "") -> None:
    """Delete the Riva-generated items (not the user's own) of the listed types (Lost & Found
    included) and the containers the list names: categories, folder roots, GroupWise address
    books and sub-calendars (these go when every type they hold is listed)."""
    for item in [i for i in box.items.values() if i.type in what and i.owner != USER]:
        world.delete(box, item)
        world.note(
            "cleaned", "M7", instance, "", box, item.type, item.id, item.record, to="deleted"
        )
    remove_containers(box, what)


def remove_containers(box: Mailbox, what: frozenset[str]) -> None:
    """The containers ``remove-riva-data`` listing ``what`` removes (M7)."""
    for container in [c for c in box.containers if c.removed_by <= what]:
        del box.containers[container]
