"""What the model does not cover in a scenario: shown as "not modelled", never refused.

The item-level model runs the built-in fields and timeline actions (M1-M11 in
``kb_lint.simulate``), pack KB1668's ``rename-master-folder`` (M12), pack KB519's
``address_book`` and ``crm_duplicate_contacts`` (M13), pack KB1508's category and
contact folder changes on Riva Cloud (M15), and pack KB1507's meetings and Attendee Syncing
options (M16). A scenario may also
give the fields and actions the loaded packs declare: the model accepts them and runs as if
they were not there. ``not_modelled`` names each
one the scenario uses, and the outcomes of the packs that declare them that the model does not
measure, so that a report never implies the model ran what it did not. Cost: one pass over the
file's records and timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kb_lint.model.deployment import Deployment
from kb_lint.model.fields import BUILTIN_ACTIONS
from kb_lint.model.timeline import Event
from kb_lint.pack.model import RulePack
from kb_lint.simulate.meetings import MEETING_ATTENDEES, MEETING_FIELDS
from kb_lint.simulate.run import LOCKED, RENAME_MASTER_FOLDER
from kb_lint.simulate.scenario import CONTACT_FIELDS, meeting_rows

MODEL = "riva-sync"  # the model a pack names in ``simulation:`` to say it measures outcomes
MODELLED_ACTIONS = frozenset({*BUILTIN_ACTIONS, RENAME_MASTER_FOLDER})
MODELLED_FIELDS = (
    CONTACT_FIELDS | MEETING_FIELDS | {("policy", setting) for setting, _ in LOCKED.values()}
)


def not_modelled(dep: Deployment, packs: Iterable[RulePack]) -> list[str]:
    """One line per pack whose fields or actions the scenario uses and the model does not."""
    given = dict(_given(dep.document.data or {}))
    lines = []
    for pack in packs:
        fields = [
            f"{f.name} ({f.scope})"
            for f in pack.fields
            if (f.scope, f.key or f.name) not in MODELLED_FIELDS
            and any(
                v != f.default or f.default_from
                for v in given.get(f.scope, {}).get(f.key or f.name, ())
            )
        ]
        if any((f.scope, f.name) == ("user", MEETING_ATTENDEES) for f in pack.fields):
            fields += _unmet_meetings(dep)
        actions = [
            f"{e.action} (timeline entry {e.index + 1})"
            for e in dep.timeline
            if not _modelled(dep, e) and e.action in {a.name for a in pack.actions}
        ]
        if not fields and not actions:
            continue
        measured = (
            pack.simulation.measures if pack.simulation and pack.simulation.model == MODEL else ()
        )
        outcomes = [name for name in pack.outcomes if name not in measured]
        parts = []
        if fields:
            parts.append(f"fields {', '.join(fields)}: the model runs as if they were not given")
        if actions:
            parts.append(f"actions {', '.join(actions)}: the model runs as if they did not happen")
        if outcomes:
            parts.append(f"outcomes {', '.join(outcomes)}: not measured")
        lines.append(f"not modelled ({pack.id}): " + "; ".join(parts))
    return lines


def _unmet_meetings(dep: Deployment) -> list[str]:
    """The users whose meetings M16 does not run though their policy syncs appointments: the
    policy does not give the three Attendee Syncing options, or an earlier binding of the
    mailbox gave its meeting."""
    used = set(meeting_rows(dep).values())
    return [
        f"{MEETING_ATTENDEES} (user {dep.bindings.email[row]} in {policy.instance} / {policy.name})"
        for row, given in enumerate(dep.bindings.extra.get(MEETING_ATTENDEES, ()))
        for policy in [dep.policies[dep.bindings.policy[row]]]
        if given is not None and "appointments" in policy.data_types and row not in used
    ]


def _modelled(dep: Deployment, event: Event) -> bool:
    """The model runs the event: a built-in action, a master folder rename, or a change of a
    setting fixed at the first save on an instance whose Riva Manager refuses it (M15)."""
    if event.action in MODELLED_ACTIONS:
        return True
    policy = dep.policy_named(event.instance or "", event.policy or "")
    return (
        event.action in LOCKED
        and policy is not None
        and policy.instance_kind in LOCKED[event.action][1]
    )


def _given(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, list[Any]]]]:
    """The values each scope's records give, by key. Loading fills a field's literal default
    into every record, so a value equal to it is one the file may not have written: a field
    counts as given where a value differs from its default (or it is computed)."""
    instances = data.get("instances") or []
    policies = [p for i in instances for p in i.get("policies") or []]
    users = [u for p in policies for u in p.get("users") or [] if isinstance(u, dict)]
    for scope, records in (
        ("instance", instances),
        ("policy", policies),
        ("user", users),
        ("event", data.get("timeline") or []),
    ):
        values: dict[str, list[Any]] = {}
        for record in records:
            if isinstance(record, dict):
                for key, value in record.items():
                    values.setdefault(key, []).append(value)
        yield scope, values
