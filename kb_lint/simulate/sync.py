"""One instance syncing one mailbox for one cycle, and the mailbox clean-up of the procedures."""

from __future__ import annotations

from collections.abc import Iterable

from kb_lint.simulate.config import Assignment, Configuration
from kb_lint.simulate.world import (
    CrmRecord,
    Item,
    Mailbox,
    category_containers,
    folder_container,
)


class World:
    """The CRM and every mailbox."""

    def __init__(self, records: dict[tuple[str, str], int], mailboxes: Iterable[str]) -> None:
        self.records: list[CrmRecord] = []
        self.owned: dict[tuple[str, str], list[int]] = {}  # (crm_user, type) -> record ids
        for (user, kind), count in records.items():
            start = len(self.records)
            self.records += [CrmRecord(user, kind) for _ in range(count)]
            self.owned[user, kind] = list(range(start, start + count))
        self.originals = len(self.records)
        self.mailboxes = {email: Mailbox(email) for email in mailboxes}
        self.next_item = 0

    def new_record(self, crm_user: str, kind: str, origin: str) -> int:
        rid = len(self.records)
        self.records.append(CrmRecord(crm_user, kind, origin))
        self.owned.setdefault((crm_user, kind), []).append(rid)
        return rid

    def write(self, box: Mailbox, instance: str, category: str, kind: str, rid: int) -> Item:
        item = Item(self.next_item, kind, category, rid, instance, {instance: rid})
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
        if item.record < self.originals:
            box.copies[item.record] -= 1


def sync(
    world: World, config: Configuration, instance: str, box: Mailbox, assignments: list[Assignment]
) -> None:
    """One sync of ``box`` by ``instance``; errors and item-syncs are added to the mailbox.

    Folder roots, then per data type: the namespace scan (foreign items -> error or Lost &
    Found), CRM -> mailbox, and with sync all items, mailbox -> CRM.
    """
    for root in dict.fromkeys(a.policy.folder_root for a in assignments):
        if box.containers.setdefault(folder_container(root), instance) != instance:
            box.errors += 1
    for a in assignments:
        for container in category_containers(a.policy.email_system, a.policy.category, a.types):
            box.containers.setdefault(container, instance)
    store = box.store(instance)
    for kind in dict.fromkeys(k for a in assignments for k in a.types):
        syncing = [a for a in assignments if kind in a.types]
        namespace = {a.policy.category for a in syncing}
        outside, blocked = _scan(world, config, instance, box, kind, namespace)
        for a in syncing:
            for rid in world.owned.get((a.crm_user, kind), ()):
                box.item_syncs += 1
                if rid not in blocked and not box.live(store.get(rid)):
                    store[rid] = world.write(box, instance, a.policy.category, kind, rid)
        upward = next((a for a in syncing if a.policy.sync_all_items), None)
        if upward is not None:
            for item in outside:
                rid = world.new_record(upward.crm_user, kind, box.email)
                item.hidden[instance] = rid
                store[rid] = item
        box.synced.add((instance, kind))


def _scan(
    world: World, config: Configuration, instance: str, box: Mailbox, kind: str, namespace: set[str]
) -> tuple[list[Item], set[int]]:
    """Deal with the items of ``kind`` the instance has no mapping for.

    In its namespace: an item owned by an active instance is an error (left alone, and its
    record gets no second copy); on the instance's first sync of the type, other items go to
    Lost & Found; later, they are errors too. Returns the items outside the namespace and
    the records whose copies are in the way.
    """
    first = (instance, kind) not in box.synced
    blocked: set[int] = set()
    outside = []
    for item in box.by_type.get(kind, {}).values():
        box.item_syncs += 1
        if item.lost or instance in item.hidden:
            continue
        if item.category not in namespace:
            outside.append(item)
        elif first and not config.active(item.owner, box.email):
            world.lose(box, item)
        else:
            box.errors += 1
            blocked.add(item.record)
    return outside, blocked


def remove_riva_data(world: World, box: Mailbox, what: frozenset[str]) -> None:
    """Delete the Riva-generated items of the listed types (Lost & Found included) and the
    containers the list names: categories, folder roots, GroupWise address books and
    sub-calendars (these go when every type they hold is listed)."""
    for item in [i for i in box.items.values() if i.type in what]:
        world.delete(box, item)
    for container in [c for c in box.containers if c.removed_by <= what]:
        del box.containers[container]
