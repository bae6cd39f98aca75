"""What the model does not cover in a scenario: shown as "not modelled", never refused.

The item-level model runs the built-in fields and timeline actions (M1-M11 in
``kb_lint.simulate``), pack KB1668's ``rename-master-folder`` (M12), pack KB519's
``address_book`` and ``crm_duplicate_contacts`` (M13), pack KB1508's category and
contact folder changes on Riva Cloud (M15), and pack KB1507's meetings and Attendee Syncing
options (M16). A policy of an email system the model has no mailbox for (``google``, M17), or
one never saved (``saved: false``, M12), is named with its value, as the deployment format's
own field. A scenario may also
give the fields and actions the loaded packs declare: the model accepts them and runs as if
they were not there. ``not_modelled`` names each
one the scenario uses, the outcomes of the packs that declare them that the model does not
measure, and, of those, the ones the pack's rules predict for this scenario, so that a report
never implies the model ran what it did not. Cost: one pass over the file's records and
timeline; and, when some pack's fields or actions are not modelled, one check of the scenario.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kb_lint.engine.outcome import defaulted
from kb_lint.engine.run import check_deployment
from kb_lint.model.deployment import Deployment, Policy
from kb_lint.model.fields import BUILTIN_ACTIONS
from kb_lint.model.timeline import Event
from kb_lint.pack.model import RulePack
from kb_lint.simulate.measures import measured_by_model
from kb_lint.simulate.meetings import MEETING_ATTENDEES, MEETING_FIELDS
from kb_lint.simulate.run import LOCKED, RENAME_MASTER_FOLDER
from kb_lint.simulate.scenario import CONTACT_FIELDS, meeting_rows, unmodelled_policies

BUILT_IN = "built-in"  # what a ``NotModelled`` of the deployment format's own fields names
# What the model does with a built-in field's value it has no mechanism for, by field.
BUILT_IN_VALUES = {
    "email_system": "the model has no such mailbox and runs it as syncing nothing (M17)",
    "saved": "the model has no policy editor and runs it as saved (M12)",
}
MODELLED_ACTIONS = frozenset({*BUILTIN_ACTIONS, RENAME_MASTER_FOLDER})
MODELLED_FIELDS = (
    CONTACT_FIELDS | MEETING_FIELDS | {("policy", setting) for setting, _ in LOCKED.values()}
)


@dataclass(frozen=True)
class NotModelled:
    """What one pack gives a scenario that the model does not run: its ``fields`` (name,
    scope) and ``actions`` (action, timeline entry) the scenario uses, the pack's ``outcomes``
    the model does not measure, and those of them its rules ``predict`` for this scenario."""

    pack: str
    fields: tuple[tuple[str, str], ...]
    actions: tuple[tuple[str, int], ...]
    outcomes: tuple[str, ...]
    predicted: tuple[str, ...] = ()
    # (field, value, record): a built-in field's value the model has no mechanism for (M17)
    values: tuple[tuple[str, str, str], ...] = ()

    @property
    def text(self) -> str:
        """One line for the text report."""
        parts = []
        for name in dict.fromkeys(name for name, _, _ in self.values):
            shown = ", ".join(
                f"{n} {value} ({record})" for n, value, record in self.values if n == name
            )
            parts.append(f"{shown}: {BUILT_IN_VALUES[name]}")
        if self.fields:
            shown = ", ".join(f"{name} ({scope})" for name, scope in self.fields)
            parts.append(f"fields {shown}: the model runs as if they were not given")
        if self.actions:
            shown = ", ".join(
                f"{action} (timeline entry {entry})" for action, entry in self.actions
            )
            parts.append(f"actions {shown}: the model runs as if they did not happen")
        if self.outcomes:
            parts.append(f"outcomes {', '.join(self.outcomes)}: not measured")
        if self.predicted:
            parts.append(f"its rules predict {', '.join(self.predicted)} here")
        return f"not modelled ({self.pack}): " + "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "fields": [{"name": name, "scope": scope} for name, scope in self.fields],
            "actions": [{"action": action, "entry": entry} for action, entry in self.actions],
            "outcomes": list(self.outcomes),
            "predicted": list(self.predicted),
            "values": [
                {"field": name, "value": value, "record": record}
                for name, value, record in self.values
            ],
        }


def not_modelled(dep: Deployment, packs: Iterable[RulePack]) -> list[NotModelled]:
    """Each pack whose fields or actions the scenario uses and the model does not run."""
    given = dict(_given(dep.document.data or {}))
    found = [built_in] if (built_in := built_in_values(dep)) else []
    for pack in packs:
        fields = tuple(
            (f.name, f.scope)
            for f in pack.fields
            if (f.scope, f.key or f.name) not in MODELLED_FIELDS
            and any(
                v != f.default or f.default_from
                for v in given.get(f.scope, {}).get(f.key or f.name, ())
            )
        )
        if any((f.scope, f.name) == ("user", MEETING_ATTENDEES) for f in pack.fields):
            fields += _unmet_meetings(dep)
        actions = tuple(
            (e.action, e.index + 1)
            for e in dep.timeline
            if not _modelled(dep, e) and e.action in {a.name for a in pack.actions}
        )
        if not fields and not actions:
            continue
        measured = measured_by_model(pack)
        outcomes = tuple(name for name in pack.outcomes if name not in measured)
        found.append(
            NotModelled(pack.id, fields, actions, outcomes, _predicted(dep, pack, outcomes))
        )
    return found


def built_in_values(dep: Deployment) -> NotModelled | None:
    """The values of built-in fields the model has no mechanism for: an email system without a
    mailbox (M17), a policy never saved (M12)."""
    values = tuple((name, value, f"policy {p.label}") for p, name, value in _unmodelled_values(dep))
    return NotModelled(BUILT_IN, (), (), (), values=values) if values else None


def unmodelled_mailboxes(dep: Deployment) -> dict[str, str]:
    """Each mailbox a policy with such a value assigns, and the value in words
    (``email_system google``): what the model shows for it is not what Riva does."""
    found: dict[str, str] = {}
    for policy, name, value in _unmodelled_values(dep):
        for row, index in enumerate(dep.bindings.policy):
            if index == policy.index:
                found.setdefault(dep.bindings.email[row], f"{name} {value}")
    return found


def _unmodelled_values(dep: Deployment) -> list[tuple[Policy, str, str]]:
    """Each policy with a built-in value the model has no mechanism for: the policy, the field
    and the value as a file writes it."""
    found = [(p, "email_system", p.email_system) for p in unmodelled_policies(dep)]
    return found + [(p, "saved", "false") for p in dep.policies if not p.field("saved")]


def _predicted(dep: Deployment, pack: RulePack, outcomes: tuple[str, ...]) -> tuple[str, ...]:
    """The ``outcomes`` the pack's rules predict for the scenario, other than their defaults."""
    if not outcomes:
        return ()
    ids = {rule.id for rule in pack.rules}
    said: set[str] = set()
    for finding in check_deployment(dep, [pack], ids.__contains__, []):
        full = defaulted(finding.outcome or {}, pack.outcomes)
        said |= {n for n in outcomes if n in full and full[n] != pack.outcomes[n].default}
    return tuple(n for n in outcomes if n in said)


def _unmet_meetings(dep: Deployment) -> tuple[tuple[str, str], ...]:
    """The users whose meetings M16 does not run though their policy syncs appointments: the
    policy does not give the three Attendee Syncing options, or an earlier binding of the
    mailbox gave its meeting (each as the field and, for its scope, which user it is)."""
    used = set(meeting_rows(dep).values())
    return tuple(
        (MEETING_ATTENDEES, f"user {dep.bindings.email[row]} in {policy.instance} / {policy.name}")
        for row, given in enumerate(dep.bindings.extra.get(MEETING_ATTENDEES, ()))
        for policy in [dep.policies[dep.bindings.policy[row]]]
        if given is not None and "appointments" in policy.data_types and row not in used
    )


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
