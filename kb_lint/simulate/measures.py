"""What the model measures: every outcome name a mailbox of a run can show, with its type, the
mechanism that shows it (``kb_lint.simulate``'s M9-M16) and what it means.

This table is the one list: a pack's ``simulation: {model: riva-sync, measures: [...]}`` may
name these only, with the same type (``rules check``, KB-RULES-023, ``unmeasurable``), the
pack-format reference prints it (``reference``), and a test proves that the runs of every
shipped pack's examples show exactly these names. Cost: a dictionary look-up per name.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb_lint.pack.model import RulePack

MODEL = "riva-sync"  # the model a pack names in ``simulation:`` to say it measures outcomes


@dataclass(frozen=True)
class Measure:
    """One outcome the model shows for a mailbox: ``type`` as a pack's outcome field declares
    it, the ``mechanism`` that shows it, and ``meaning``."""

    name: str
    type: str
    mechanism: str
    meaning: str


MEASURES = {
    m.name: m
    for m in (
        Measure("sync_errors", "boolean", "M9", "the mailbox had sync errors in the last cycle"),
        Measure("mailbox_copies", "integer", "M9", "most copies of one CRM record in the mailbox"),
        Measure(
            "crm_duplicates",
            "boolean",
            "M9",
            "a record was created from the mailbox for something the CRM already held",
        ),
        Measure("lost_and_found", "boolean", "M2", "items of the mailbox went to Lost & Found"),
        Measure(
            "dormant",
            "boolean",
            "M9",
            "a disabled policy whose account exists holds what another instance syncs",
        ),
        Measure(
            "leftovers",
            "list",
            "M9",
            "the kinds of Riva containers in the mailbox no syncing policy uses",
        ),
        Measure(
            "change_refused",
            "boolean",
            "M12, M15",
            "Riva refused a change of a setting fixed at the first save (a scenario with one)",
        ),
        Measure(
            "duplicate_contacts",
            "list",
            "M13",
            "where duplicate contacts come from: address book, crm (a scenario with contacts "
            "held twice)",
        ),
        Measure("certainty", "enum", "M13", "certain, when there are duplicate contacts"),
        Measure(
            "rename_result",
            "enum",
            "M14",
            "crm_id_conflict, first_sync_duplicates or none (a run where a CRM user came back "
            "under a new address)",
        ),
        Measure("meeting_skipped", "boolean", "M16", "Riva skipped the user's meeting"),
        Measure(
            "contacts_created",
            "list",
            "M16",
            "the kinds of contact Riva created for the meeting's people: employee, external",
        ),
    )
}


def unmeasurable(name: str, type_: str) -> str | None:
    """Why the model cannot measure an outcome ``name`` of type ``type_``; None when it can."""
    measure = MEASURES.get(name)
    if measure is None:
        return f"{MODEL} does not measure '{name}'; it measures {', '.join(MEASURES)}"
    if measure.type != type_:
        return f"{MODEL} measures '{name}' as a {measure.type}, not a {type_}"
    return None


def measured_by_model(pack: RulePack) -> tuple[str, ...]:
    """The outcomes of ``pack`` its model measures: those its ``simulation.measures`` names
    that the model shows (one it cannot is a ``rules check`` error, and not measured)."""
    simulation = pack.simulation
    if simulation is None or simulation.model != MODEL:
        return ()
    return tuple(n for n in simulation.measures if unmeasurable(n, pack.outcomes[n].type) is None)


def reference() -> str:
    """The table as Markdown: what a pack's ``measures`` may name."""
    rows = "".join(
        f"| `{m.name}` | {m.type} | {m.mechanism} | {m.meaning} |\n" for m in MEASURES.values()
    )
    return (
        f"A pack with `simulation: {{model: {MODEL}}}` names in `measures` the outcomes the model "
        "shows for a mailbox, each an outcome field of the pack of the same name and type; "
        "`kb-lint rules check` refuses any other (KB-RULES-023). The mechanisms are the "
        "simulator's assumptions (`kb-lint explain simulator`).\n\n"
        "| Measure | Type | Mechanism | What it is |\n| --- | --- | --- | --- |\n" + rows
    )
