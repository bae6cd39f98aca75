"""The configuration as a timeline changes it, each assignment kept with where it is written:
the ``PlanState`` the timeline judges share (the plan checker's exclusivity rules, the check
rules on revised settings, the sequence steps' view of the estate and of the events before
theirs), on the one estate every timeline judge replays (``kb_lint.model.estate``).

Cost: one pass over the assignments to keep those of the mailboxes the timeline can touch (or
all of them), then a dictionary update per event (and, when the events before a step are read,
an append to its instance's log, O(fields)); a state's deployment costs the assignments of the
mailboxes it is asked for.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from kb_lint.expr.prefix import Log
from kb_lint.load import Pointer
from kb_lint.model.deployment import Bindings, Deployment
from kb_lint.model.derived import Derived
from kb_lint.model.estate import POLICY_CHANGES, Estate, PolicyIndex
from kb_lint.model.timeline import Event


@dataclass(frozen=True)
class Row:
    """One assignment in the replayed plan, with where it is written (a user entry of the
    file, or the ``add-user`` event that made it)."""

    policy: int
    email: str
    crm_user: str
    pointer: Pointer
    user: tuple[tuple[str, Any], ...] = ()  # the user fields packs declare, by name


class PlanState:
    """The configuration as the timeline has changed it so far: the estate every timeline judge
    replays (``kb_lint.model.estate``), each assignment kept with where it is written."""

    def __init__(self, dep: Deployment, everyone: bool = False, earlier: bool = False) -> None:
        """``everyone``: keep every assignment, not only those of the mailboxes the timeline can
        touch (for a rule whose groups span mailboxes); ``earlier``: keep each instance's
        events as they are applied, for ``seen``'s ``earlier``."""
        self.dep = dep
        # each instance's events so far, as expressions see them (``kb_lint.expr.prefix``)
        self.logs: dict[str, Log] | None = {} if earlier else None
        self.bases: list[dict[str, Any]] | None = None  # each policy's fields, as the file gives
        columns = dep.bindings
        actions = dep.vocabulary.actions
        self.setting = {*POLICY_CHANGES, *(name for name, action in actions.items() if action.sets)}
        self.policies = PolicyIndex(dep.policies, actions)
        changed = {index for e in dep.timeline for index in self.policies.changed_by(e)}
        named = {e.email for e in dep.timeline if e.email is not None}
        for index in changed:
            named.update(columns.email[row] for row in dep.bindings.ranges[index])
        # a user an event adds has the user fields packs declare: the event's, else the defaults
        fields = [(f.name, f.default) for f in dep.vocabulary.added("user")]
        self.estate: Estate[Row] = Estate(
            dep.policies,
            (  # only the mailboxes an event can touch
                (
                    columns.policy[row],
                    (columns.email[row], columns.crm_user[row]),
                    Row(
                        columns.policy[row],
                        columns.email[row],
                        columns.crm_user[row],
                        dep.pointer_of(row),
                        tuple((name, values[row]) for name, values in columns.extra.items()),
                    ),
                )
                for row in range(len(columns))
                if everyone or columns.email[row] in named
            ),
            actions=actions,
            derived=Derived(dep.document, dep.policies, dep.vocabulary),
            added=lambda e: Row(
                self._index(e),
                e.email or "",
                e.crm_user or "",
                e.pointer,
                tuple((name, e.settings.get(name, default)) for name, default in fields),
            ),
        )

    def changed_by(self, event: Event) -> list[int]:
        """The policies whose settings the event changes."""
        return self.policies.changed_by(event)

    def touched(self, event: Event) -> set[str]:
        """The mailboxes the event changes: its own, or every user of the policies whose
        settings it changes."""
        changed = self.changed_by(event)
        if changed:
            return {email for index in changed for email, _ in self.estate.users[index]}
        return {event.email or ""}

    def apply(self, event: Event) -> None:
        self.estate.apply(event)
        if self.logs is not None and event.instance is not None:
            self._log(event.instance).append(event.env())

    def _log(self, instance: str) -> Log:
        assert self.logs is not None
        log = self.logs.get(instance)
        if log is None:
            log = self.logs[instance] = Log(self.dep.vocabulary.event_record().fields)
        return log

    def deployment(self, emails: set[str]) -> Deployment:
        """The state, restricted to the assignments of ``emails`` that still sync (the
        instance's account for the mailbox exists)."""
        estate = self.estate
        kept = [
            estate.users[index][email, crm_user]
            for email in sorted(emails)
            for index, crm_user in estate.assigned(email)
            if (email, crm_user) in estate.users[index]
            and estate.account(self.dep.policies[index].instance, email)
        ]
        kept.sort(key=lambda r: r.policy)
        columns = Bindings()
        for r in kept:
            columns.policy.append(r.policy)
            columns.email.append(r.email)
            columns.crm_user.append(r.crm_user)
            for name, value in r.user:
                columns.extra.setdefault(name, []).append(value)
        order = columns.policy  # sorted: each policy's rows are one range
        columns.ranges = [
            range(bisect_left(order, index), bisect_right(order, index))
            for index in range(len(self.dep.policies))
        ]
        dep = self.dep
        changes = zip(dep.policies, estate.settings, strict=True)
        policies = [policy.revised(changed) for policy, changed in changes]
        return _Planned(
            dep.document, dep.instances, policies, columns, [], dep.data, dep.vocabulary, kept
        )

    def seen(self, event: Event, with_state: bool) -> dict[str, Any]:
        """``event`` as a sequence step (or a procedure's change) sees it, just before it: its
        fields and ``before``, its policy's settings (of an event that names an instance and no
        policy, the instance's fields); ``with_state``: its instance's state too
        (``instance_state``); with the logs kept (``earlier``), ``earlier``: the events applied
        before it that name its instance, as a prefix of their log (O(1), no copy)."""
        if self.bases is None:
            self.bases = [p.env() for p in self.dep.policies]
        index = self.index(event)
        env = event.env()
        if index is not None:
            env["before"] = self.bases[index] | self.estate.settings[index]
        elif event.instance is not None:
            env["before"] = self._instance_before(event.instance)
        else:
            env["before"] = None
        if with_state:
            env |= self.instance_state(event.instance or "")
        if self.logs is not None and event.instance is not None:
            env["earlier"] = self._log(event.instance).prefix()
        return env

    def instance_state(self, instance: str) -> dict[str, list[dict[str, Any]]]:
        """``instance`` as the estate stands, as expressions see it (``STATE``): its policies
        with their settings (but those an event removed); its assignments whose account is not
        deleted (``bindings``, of enabled and disabled policies alike, as an exclusivity rule's
        group), and those of them it syncs (``synced``: their policy enabled); the assignments
        of the same mailboxes on every instance (``everywhere``)."""
        own = [
            i for i in self.policies.of_instance.get(instance, []) if i not in self.estate.removed
        ]
        planned = self.deployment({email for i in own for email, _ in self.estate.users[i]})
        policy = planned.bindings.policy
        everywhere = [planned.env_of(row) for row in range(len(planned.bindings))]
        bindings = [
            (everywhere[row], planned.policies[policy[row]].enabled)
            for row in range(len(planned.bindings))
            if planned.policies[policy[row]].instance == instance
        ]
        return {
            "policies": [planned.policies[i].env() for i in own],
            "bindings": [env for env, _ in bindings],
            "synced": [env for env, enabled in bindings if enabled],
            "everywhere": everywhere,
        }

    def _instance_before(self, instance: str) -> dict[str, Any]:
        """The fields of ``instance`` as the replay has set them: those of its first policy (an
        instance field changes for every policy of it), or the file's when it has none."""
        own = self.policies.of_instance.get(instance)
        if not own:
            return next(i for i in self.dep.instances if i.name == instance).env()
        assert self.bases is not None
        merged = self.bases[own[0]] | self.estate.settings[own[0]]
        fields = self.dep.vocabulary.by_scope["instance"]
        return {name: value for name, value in merged.items() if name in fields}

    def index(self, event: Event) -> int | None:
        """The policy an event names, if any."""
        return self.estate.policy_index(event.instance or "", event.policy or "")

    def _index(self, event: Event) -> int:
        found = self.dep.policy_named(event.instance or "", event.policy or "")
        assert found is not None  # the loader checked every event's instance and policy
        return found.index


@dataclass
class _Planned(Deployment):
    """A replayed state: each binding points where its assignment is written."""

    rows: list[Row] = field(default_factory=list)

    def pointer_of(self, row: int) -> Pointer:
        return self.rows[row].pointer
