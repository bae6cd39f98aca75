"""An item-level model of Riva instances syncing mailboxes and a CRM, in cycles.

The principle: every mailbox item Riva writes carries Riva's sync metadata (the CRM record it
copies, the instance that wrote it, and the hidden CRM id of each instance that syncs it), and
an instance treats its policy's names as its namespace in the mailbox. The model's assumptions,
each where the article is silent (docs/simulator.md says the same, for readers of the site):

M1  Namespace. An instance's namespace in a mailbox is the items of the data types it syncs
    that carry its policy's category (Exchange) or sit in the address books and sub-calendar
    named after it (GroupWise), outside Lost & Found; and its folder root.
M2  Matching. An instance knows an item by the hidden CRM id it wrote on it, never by its
    category. An item in its namespace without one is foreign: if another active instance (an
    enabled policy assigns the mailbox and its account exists) owns it, each sync reports one
    error for it and leaves it alone; it is not the instance's copy, so the instance writes
    its own (pack A10). On the instance's first sync of that data type, foreign items no
    active instance owns go to Lost & Found and fresh copies are written; after that, they
    are errors too.
M3  Folders. A SmartConvert / AssignTo folder root another instance created (active or not) is
    one error per sync; data still syncs. Categories, address books and sub-calendars are
    containers, never errors.
M4  Sync all items (pack A7). Every item of a synced data type outside Lost & Found that the
    instance has no hidden id on, in its namespace or not (a foreign item in it is still an
    error), becomes a new CRM record of the policy's CRM user, and the item gets the
    instance's hidden id. Instances without it send nothing up.
M5  CRM to mailbox. Each sync, an instance writes a copy of every record of the CRM user and
    data type that it has no live copy of (never synced, deleted from the mailbox, or moved to
    Lost & Found). The CRM is the master: records are never deleted.
M6  Force user exclusivity, per data type (pack assumptions A3, A5): for each mailbox, CRM user
    and data type, the first enabled policy of an instance in file order that assigns the
    combination and syncs the type syncs it. With the switch off every policy syncs the user,
    and each keeps its own copies and hidden ids, as a separate instance would (KB 433: each
    policy writes its own copy of the module's entries); the instance's containers are shared.
M7  Timeline. disable-policy, delete-account and remove-user stop an instance syncing; items,
    containers and hidden ids stay (add-user re-creates a deleted account). remove-riva-data
    deletes the Riva items of the listed data types (Lost & Found included), the listed
    categories and folder roots, and a GroupWise address book or sub-calendar once every data
    type it holds is listed. rename-policy changes nothing in the mailbox: a policy's name is
    no part of its namespace (M1), and the instance keeps its copies and hidden ids.
M8  Cycles. Events scheduled before a cycle apply first; then the instances sync in an order
    the seed shuffles each cycle, each going through its mailboxes in order of first appearance.
M9  Measures. ``sync_errors``: errors in the last cycle; ``mailbox_copies``: most copies of
    one original CRM record outside Lost & Found; ``crm_duplicates``: a record was created from
    the mailbox for something the CRM already held (each CRM record stands for a contact,
    appointment... it copies; a user's own item is a new one); ``leftovers``: kinds of Riva
    containers in the mailbox that no syncing policy uses; ``dormant``: a disabled policy
    whose account exists holds a combination another instance syncs.
M10 User items. A scenario's ``mailbox: {user_items: {contacts: N, ...}}`` puts N items of
    each type, created by the user without a category, in every mailbox before the first
    cycle. Only sync all items sends them to the CRM (as new records, not duplicates); the
    clean-up steps never remove them (Riva did not generate them).
M11 Predictions describe a settled deployment: every instance has synced after every other,
    which takes two cycles after the last change. A shorter run shows only what happened so
    far (one cycle may not yet show the duplicates the rules predict); the properties compare
    predictions with runs of two cycles or more after the last event.
M12 Master folder (KB 1668). The master folder (a policy's folder root) can be named only until
    the policy is saved for the first time; the Address Books page no longer changes it after
    that. A policy of a scenario exists and has therefore been saved (pack KB1668 A3; a file that
    says ``saved: false`` is named not modelled, and run as saved), so a
    ``rename-master-folder`` event (pack KB1668's action) naming another root is refused: the
    policy keeps its root, nothing moves in the mailbox, and each mailbox the policy assigns
    measures ``change_refused`` (present in the outcome of a scenario with such an event). A
    rename before the first save is the root the file gives.
M13 Contacts held twice (KB 519, scenarios 1 and 2; pack KB519). A binding whose user's address
    book has the CRM contacts (``address_book: has-crm-contacts``) puts in the mailbox, before
    the first cycle, one contact of the user's own (as M10's, without a category) for each
    person among the binding's CRM user's contacts. Riva does not match them (an instance knows
    only what it wrote, M2): it writes its own copy beside each. An instance with
    ``crm_duplicate_contacts`` gives each CRM user its policies assign who has a contact one
    more original contact record, for the person of the first; Riva copies both. How many
    contacts, and which person is doubled, the article does not say. In a scenario with either,
    a mailbox measures ``duplicate_contacts``: ``address book`` when a contact of the user's
    own and a live Riva copy of an original CRM contact stand for one person, ``crm`` when live
    Riva copies of two original CRM contacts do; ``certainty`` is ``certain`` when there are
    some. Sync all items sends the user's contacts up as M4 says: records of a person the CRM
    already holds, so CRM duplicates.
M14 A CRM user back under a new address (KB 1270 and Riva's page on renaming users; pack
    KB1270). A Riva On-Premise instance registers each CRM user to the mailbox it first syncs
    them in, and removing the user does not free the id. An add-user of that CRM user under
    another address, in the same instance, once no policy of it assigns the old address any
    longer, is the user's mailbox under its new address (pack KB1270's A2): the mailbox keeps
    its items and containers, but no instance keeps its mappings of them. From release
    2.4.39.24181 (and on an instance of unknown release, the pack's A3) the instance refuses
    the new address: each sync of it is one error and syncs nothing for that CRM user; before,
    it syncs the user as new and writes a second copy of everything. A run where this happens
    measures ``rename_result`` (``crm_id_conflict``, ``first_sync_duplicates``; ``none`` for
    the other mailboxes). Riva Cloud is not modelled so (the articles are about On-Premise).
M15 Settings fixed at the first save on Riva Cloud (KB 1508; pack KB1508). A Riva Cloud
    policy's category (its contact folder name) and its separate contact folder option can be
    chosen only until the policy is first saved; the administrator cannot change them after
    that. As in M12, every policy of a scenario has been saved (pack KB1508's A4), so a
    ``change-sync-category`` or ``change-contact-folder-option`` event of a Riva Cloud policy
    giving another value (an option the file does not give counts as another, the pack's A3)
    is refused: nothing changes, and each mailbox the policy assigns measures
    ``change_refused``. The change the Riva Success Team can make instead, with its full
    re-sync, is not run; on Riva On-Premise these events are not modelled (other articles).
M16 Meetings and contact matching (KB 1507; pack KB1507). A binding whose user's meetings are
    described (``meeting_attendees``), in a policy that syncs appointments and gives its three
    Attendee Syncing options, puts one meeting in the mailbox before cycle 2: an appointment of
    the user's own, organised by the user (a system user) with one other person (another
    system user, a CRM contact, or someone the CRM does not hold), in the policy's category
    (a category marks what Riva syncs, KB 476; the first sync would send an item already in it
    to Lost & Found, M2, so the user makes the meeting after). The instance whose namespace
    holds it sends it up, matching its two people under the sending policy's options: with
    Exclusivity a system user matches as such; otherwise a person with a contact matches it,
    and Create makes one (a new contact record of the policy's CRM user, an employee's for a
    system user, which M5 copies down); Must Match skips a meeting that matched or created no
    contact, at every sync, without an error. The CRM holds no employee contact at first (the
    pack's A4). A mailbox with a meeting measures ``meeting_skipped`` and
    ``contacts_created``. A policy without the three options sends a meeting as any item;
    email (the SmartConvert, Inbox and Sent Item pages) is not modelled.
M17 Email systems. M1 knows how an Exchange and a GroupWise mailbox hold Riva's items. Riva also
    syncs Google mailboxes (Google Workspace, formerly G Suite: KB 1383 for Riva Cloud, Riva's
    page 23843349713172 for Riva On-Premise), but no article says where such a mailbox keeps
    what Riva writes: a policy with ``email_system: google`` syncs nothing in the model, and
    every report of a scenario with one names it as not modelled (its field and value).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_lint.limits import MAX_CLASSES, MAX_WORLD
from kb_lint.simulate.counting import run_counting
from kb_lint.simulate.fast import run_fast
from kb_lint.simulate.run import CycleStats, Result, WorldTooLarge, run_items
from kb_lint.simulate.scenario import (
    Scenario,
    Setup,
    read_scenario,
    scenario_from_data,
    scenario_of,
)
from kb_lint.simulate.sync import Sink
from kb_lint.simulate.trace import TraceFilter, collector

__all__ = [
    "CycleStats",
    "Result",
    "Run",
    "Scenario",
    "Setup",
    "WorldTooLarge",
    "read_scenario",
    "run_counting",
    "run_fast",
    "run_items",
    "run_scenario",
    "scenario_from_data",
    "scenario_of",
    "simulate",
]


def simulate(
    scenario: Scenario,
    *,
    item_level: bool = False,
    counting: bool = False,
    sink: Sink | None = None,
    limits: bool = True,
) -> Result:
    """Run the scenario through the fast path, every item (``item_level``) or counted classes
    of identical records and items (``counting``): the same result. ``sink`` receives the
    trace (``kb_lint.simulate.trace``). A run past its path's bounds (``kb_lint.limits``)
    raises ``WorldTooLarge``, unless ``limits`` is false."""
    if item_level and counting:
        raise ValueError("item_level and counting are two different paths: choose one")
    if counting:
        return run_counting(scenario.setup, sink, MAX_CLASSES if limits else None)
    limit = MAX_WORLD if limits else None
    if item_level:
        return run_items(scenario.setup, sink=sink, limit=limit)
    return run_fast(scenario.setup, sink, limit)


@dataclass
class Run:
    """A scenario's run as plain records: ``pandas.DataFrame(run.cycles)`` (or ``run.trace``)
    is a table. ``cycles``: one record per cycle (the measures of ``--format json``);
    ``final``: the totals; ``mailboxes``: each mailbox's outcome; ``trace``: the item-level
    events when asked for (``kb_lint.simulate.trace`` lists their fields)."""

    scenario: str
    seed: int
    cycles: list[dict[str, int]]
    final: dict[str, int]
    mailboxes: dict[str, dict[str, Any]]
    trace: list[dict[str, Any]] = field(default_factory=list)


def run_scenario(
    scenario: str | Path | Mapping[str, Any],
    *,
    cycles: int | None = None,
    seed: int | None = None,
    trace: bool = False,
    mailboxes: Iterable[str] = (),
    trace_cycles: tuple[int, int | None] = (0, None),
    item_level: bool = False,
    counting: bool = False,
) -> Run:
    """Simulate a scenario file (or scenario data in the file format) and return plain records.

    ``cycles`` and ``seed`` override the scenario's. With ``trace``, ``Run.trace`` holds the
    item-level events, of ``mailboxes`` only when given and within ``trace_cycles`` (first,
    last; ``None``: to the end). ``item_level`` and ``counting`` choose the path as for
    ``simulate``. Bad input raises ``kb_lint.errors.InputError``.
    """
    if isinstance(scenario, Mapping):
        name = "scenario"
        loaded = scenario_from_data(json.loads(json.dumps(scenario)), name)
        if cycles is not None or seed is not None:
            loaded = scenario_of(loaded.deployment, cycles, seed)
    else:
        name = str(scenario)
        loaded = read_scenario(scenario, cycles, seed)
    events: list[dict[str, Any]] = []
    sink = None
    if trace:
        events, sink = collector(TraceFilter(frozenset(mailboxes), *trace_cycles))
    result = simulate(loaded, item_level=item_level, counting=counting, sink=sink)
    return Run(
        name,
        loaded.setup.seed,
        [c.as_dict() for c in result.cycles],
        result.final(),
        result.mailboxes,
        events,
    )
