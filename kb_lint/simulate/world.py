"""The simulated world: CRM records, and mailboxes holding items and Riva-generated containers."""

from __future__ import annotations

from dataclasses import dataclass, field

# Container kinds, as the rule pack's ``leftovers`` outcome names them.
CATEGORIES = "categories"
FOLDERS = "folders"
ADDRESS_BOOKS = "address-books"
SUB_CALENDAR = "sub-calendar"


# The owner of the items a user creates in the mailbox (M10): no instance.
USER = ""


@dataclass(slots=True)
class CrmRecord:
    """A CRM record; ``origin`` is the mailbox it was created from (``None`` for originals) and
    ``subject`` the contact, appointment or task it stands for: a record whose subject the CRM
    already holds is a duplicate."""

    crm_user: str
    type: str
    subject: int
    origin: str | None = None


@dataclass(slots=True)
class Item:
    """A mailbox item Riva wrote, with Riva's sync metadata.

    ``record`` is the CRM record it copies (-1 for an item the user created) and ``owner`` the
    instance that wrote it (``USER`` for the user); ``subject`` is what it stands for;
    ``hidden`` holds the hidden CRM id each instance that syncs the item wrote onto it.
    """

    id: int
    type: str
    category: str
    record: int
    owner: str
    hidden: dict[str, int]
    subject: int
    lost: bool = False  # moved to a Lost & Found folder
    attendees: str = ""  # a meeting of the user's own: who it is with besides the user (M16)


@dataclass(frozen=True, slots=True)
class Container:
    """A Riva-generated category, address book, sub-calendar or folder root in a mailbox.

    ``removed_by`` is what a ``remove-riva-data`` event must name to remove it.
    """

    kind: str
    name: str
    removed_by: frozenset[str]


@dataclass
class Mailbox:
    email: str
    items: dict[int, Item] = field(default_factory=dict)
    by_type: dict[str, dict[int, Item]] = field(default_factory=dict)
    containers: dict[Container, str] = field(default_factory=dict)  # -> instance that made it
    stores: dict[str, dict[int, Item]] = field(default_factory=dict)  # instance -> record -> item
    synced: set[tuple[str, str]] = field(default_factory=set)  # (instance, type) synced once
    copies: dict[int, int] = field(default_factory=dict)  # original record -> copies outside L&F
    errors: int = 0  # in the current cycle
    item_syncs: int = 0  # in the current cycle

    def add(self, item: Item) -> None:
        self.items[item.id] = item
        self.by_type.setdefault(item.type, {})[item.id] = item

    def remove(self, item: Item) -> None:
        del self.items[item.id]
        del self.by_type[item.type][item.id]

    def live(self, item: Item | None) -> bool:
        """The item is still in the mailbox, outside Lost & Found."""
        return item is not None and not item.lost and item.id in self.items

    def store(self, instance: str) -> dict[int, Item]:
        """The instance's mappings in this mailbox: CRM record -> item carrying its hidden id."""
        return self.stores.setdefault(instance, {})

    @property
    def lost_and_found(self) -> bool:
        return any(item.lost for item in self.items.values())

    @property
    def copies_max(self) -> int:
        return max(self.copies.values(), default=0)


# The email systems whose mailboxes the model knows (M1); a policy of another syncs nothing (M17).
MODELLED_SYSTEMS = ("exchange", "groupwise")


def category_containers(system: str, category: str, types: tuple[str, ...]) -> list[Container]:
    """Where a policy's items live: a category (Exchange), or address books and a sub-calendar
    named after the category (GroupWise). No other system's policy syncs in the model (M17)."""
    if system not in MODELLED_SYSTEMS:
        raise ValueError(f"the model has no {system} mailbox (M17)")
    if system == "exchange":
        return [Container(CATEGORIES, category, frozenset({CATEGORIES}))]
    found = []
    if "contacts" in types:
        found.append(Container(ADDRESS_BOOKS, category, frozenset({"contacts"})))
    if "leads" in types:
        found.append(Container(ADDRESS_BOOKS, f"{category} | Leads", frozenset({"leads"})))
    if "appointments" in types or "tasks" in types:
        found.append(Container(SUB_CALENDAR, category, frozenset({"appointments", "tasks"})))
    return found


def folder_container(root: str) -> Container:
    return Container(FOLDERS, root, frozenset({FOLDERS}))
