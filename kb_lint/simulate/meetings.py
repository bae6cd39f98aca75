"""M16 (KB 1507): the contacts Riva matches or creates for a meeting's people, and whether it
skips the meeting, under a policy's Attendee Syncing options (pack KB1507's fields).

A meeting has two people: its organiser, the mailbox's user (a system user), and one attendee
of the kind the user's ``meeting_attendees`` names. ``match`` is the article's eight
combinations as one loop over those two people; ``Meetings`` is what a run remembers of them
(the same on the item-level and counting paths). Cost: constant per meeting sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Pack KB1507's fields, which M16 reads.
MEETING_ATTENDEES = "meeting_attendees"
OPTIONS = ("attendee_must_match", "attendee_exclusivity", "attendee_create_contacts")
MEETING_FIELDS = frozenset({("user", MEETING_ATTENDEES), *(("policy", o) for o in OPTIONS)})
COLLEAGUES, CONTACTS = "colleagues", "contacts"  # meeting_attendees values
ORGANISER, ATTENDEE = "organiser", "attendee"
EMPLOYEE, EXTERNAL = "employee", "external"  # pack KB1507's contacts_created values
MEETING_CYCLE = 2  # the user creates the meeting after the first sync (M16)


@dataclass(frozen=True)
class Options:
    """The Attendee Syncing page's Must Match, Exclusivity and Create."""

    must_match: bool
    exclusivity: bool
    create: bool


def options_of(settings: Mapping[str, Any]) -> Options | None:
    """The policy's options, or ``None`` when it does not give all three (not modelled)."""
    values = [settings.get(name) for name in OPTIONS]
    return None if None in values else Options(*map(bool, values))


def match(options: Options, attendees: str, created: frozenset[str]) -> tuple[bool, list[str]]:
    """Whether the meeting syncs, and the people Riva creates a contact for (``created``: the
    people it created one for before). Exclusivity matches a system user as such; otherwise
    a person with a contact matches it, and Create makes one for a person without; Must Match
    skips a meeting that matched or created no contact."""
    users = {ORGANISER: True, ATTENDEE: attendees == COLLEAGUES}
    contact, new = False, []
    for person, system_user in users.items():
        if system_user and options.exclusivity:
            continue
        if person in created or (person == ATTENDEE and attendees == CONTACTS):
            contact = True
        elif options.create:
            new.append(person)
            contact = True
    return contact or not options.must_match, new


def kind_of(person: str, attendees: str) -> str:
    """The kind of contact Riva creates for ``person``: an employee's for a system user."""
    return EMPLOYEE if person == ORGANISER or attendees == COLLEAGUES else EXTERNAL


@dataclass
class Meetings:
    """What a run remembers of its meetings, per mailbox: the people Riva created a contact
    for, the kinds of those contacts, and the mailboxes whose meeting its last try skipped."""

    created: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, set[str]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)

    def outcome(self, email: str) -> dict[str, Any]:
        """Pack KB1507's outcomes of the mailbox."""
        return {
            "meeting_skipped": email in self.skipped,
            "contacts_created": sorted(self.kinds.get(email, ())),
        }
