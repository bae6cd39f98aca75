"""A Riva estate as a timeline changes it: the one state machine every timeline judge replays.

The plan checker (``engine/plan.py``), the sequence rules' ``before`` (``engine/sequence.py``),
the procedure checker (``engine/procedure/``) and the simulator's configuration
(``simulate/config.py``) all replay a timeline on an ``Estate``; each judges the states it
shows in its own way.

The rule (the simulator's M7): ``disable-policy`` and ``enable-policy`` flip a policy;
``save-policy`` marks it saved (``saved``); ``rename-policy`` changes nothing here (the loader
resolves each entry to the policy's name in the file);
``add-user`` and ``remove-user`` edit its assignments (``add-user`` re-creates a deleted
account); ``delete-account`` stops the instance syncing the mailbox; a pack action that
``removes`` the policy disables it and drops its assignments (``removed``); one that
``sets`` fields changes the policy's settings, and the settings whose computed default reads
them (``kb_lint.model.derived``); ``remove-riva-data`` removes from the mailbox
what every instance wrote of the listed kinds. What an instance writes is recorded at a sync
point (``sync``): every active assignment of the mailbox writes its policy's data types and
containers. Events of one date or cycle are one batch: Riva syncs only after all of them
(``batches``).

Cost: a dictionary update per event (assignments are kept per policy and per mailbox); a sync
point costs the assignments of the mailboxes it names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from kb_lint.model.derived import Derived
from kb_lint.model.fields import Action
from kb_lint.model.timeline import Event

Key = tuple[str, str]  # (email, crm_user), normalised
T = TypeVar("T")

# The containers a policy writes besides its data types, as remove-riva-data names them. No
# article says which containers Riva makes in a Google mailbox: a Google policy records its data
# types only.
CONTAINERS = {
    "exchange": ("categories", "folders"),
    "groupwise": ("address-books", "folders"),
    "google": (),
}


class PolicyLike(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def instance(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def email_system(self) -> str: ...
    @property
    def data_types(self) -> tuple[str, ...]: ...


class Estate(Generic[T]):
    """Policies (enabled, settings, assignments) and accounts, as a timeline changes them; and
    what each instance has written into each mailbox.

    ``users[p]`` maps each assignment (email, CRM user) of policy ``p`` to what the caller
    keeps about it (``T``: where it is written, its user fields, or nothing).
    """

    def __init__(
        self,
        policies: Sequence[PolicyLike],
        users: Iterable[tuple[int, Key, T]],
        settings: Sequence[dict[str, Any]] | None = None,
        actions: Mapping[str, Action] | None = None,
        added: Callable[[Event], T] | None = None,
        derived: Derived | None = None,
    ) -> None:
        self.policies = policies
        self.enabled = [p.enabled for p in policies]
        self.settings = list(settings) if settings is not None else [{} for _ in policies]
        self.index = PolicyIndex(policies, actions or {})
        self.added = added  # what to keep about an assignment an add-user event makes
        self.derived = derived  # computes a setting's default_from again when what it reads changes
        self.users: list[dict[Key, T]] = [{} for _ in policies]
        self.by_email: dict[str, dict[tuple[int, str], None]] = {}  # email -> (policy, crm_user)
        for index, key, kept in users:
            self._assign(index, key, kept)
        self.deleted: set[tuple[str, str]] = set()  # (instance, email)
        self.removed: set[int] = set()  # the policies an event removed
        self.written: dict[str, dict[str, set[str]]] = {}  # email -> instance -> kinds

    def policy_index(self, instance: str, name: str) -> int | None:
        return self.index.named(instance, name)

    def apply(self, event: Event) -> None:
        """One event's change to the estate."""
        action, instance, email = event.action, event.instance or "", event.email or ""
        index = self.index.named(instance, event.policy or "")
        if action in SWITCHES and index is not None:
            self.enabled[index] = action == "enable-policy"
            self.settings[index] = self.settings[index] | {"enabled": self.enabled[index]}
        elif action == SAVE and index is not None:
            self.settings[index] = self.settings[index] | {"saved": True}
        elif action == "delete-account":
            self.deleted.add((instance, email))
        elif action == "add-user" and index is not None:
            kept = self.added(event) if self.added is not None else None
            self._assign(index, (email, event.crm_user or ""), kept)  # type: ignore[arg-type]
            self.deleted.discard((instance, email))
        elif action == "remove-user" and index is not None:
            self.users[index].pop((email, event.crm_user or ""), None)
            self.by_email.get(email, {}).pop((index, event.crm_user or ""), None)
        elif action == "remove-riva-data":
            for kinds in self.written.get(email, {}).values():
                kinds -= event.what
        declared = self.index.actions.get(action)
        if declared is not None and declared.removes == "policy" and index is not None:
            self._remove(index)
        elif declared is not None and declared.sets:
            given = event.env()
            sets = {name: given[name] for name in declared.sets if name in given}
            for changed in self.index.changed_by(event):
                mine = {k: v for k, v in sets.items() if k in declared.shared or changed == index}
                settings = self.settings[changed] | mine
                if self.derived is not None:
                    settings |= self.derived.after(changed, settings, set(mine), event)
                self.settings[changed] = settings

    def _remove(self, index: int) -> None:
        """Policy ``index`` is removed: it syncs no one and assigns no one from then on (the
        loader refuses a later event naming it)."""
        self.removed.add(index)
        self.enabled[index] = False
        self.settings[index] = self.settings[index] | {"enabled": False}
        for email, crm_user in self.users[index]:
            self.by_email.get(email, {}).pop((index, crm_user), None)
        self.users[index] = {}

    def _assign(self, index: int, key: Key, kept: T) -> None:
        if key not in self.users[index]:
            self.users[index][key] = kept
        self.by_email.setdefault(key[0], {})[index, key[1]] = None

    def assigned(self, email: str) -> Iterator[tuple[int, str]]:
        """The (policy, CRM user) assignments of a mailbox, in file order of the policies."""
        yield from sorted(self.by_email.get(email, ()))

    def syncs(self, index: int, key: Key) -> bool:
        """Policy ``index`` syncs the assignment: enabled, assigned, its account not deleted."""
        return (
            self.enabled[index]
            and key in self.users[index]
            and (self.policies[index].instance, key[0]) not in self.deleted
        )

    def account(self, instance: str, email: str) -> bool:
        return (instance, email) not in self.deleted

    def sync(self, emails: Iterable[str]) -> None:
        """A sync point for ``emails``: every active assignment writes its policy's data types
        and containers into the mailbox."""
        for email in emails:
            for index, crm_user in self.assigned(email):
                if self.syncs(index, (email, crm_user)):
                    policy = self.policies[index]
                    kinds = {*policy.data_types, *CONTAINERS[policy.email_system]}
                    if policy.email_system == "groupwise" and {"appointments", "tasks"} & kinds:
                        kinds.add("sub-calendar")
                    box = self.written.setdefault(email, {})
                    box.setdefault(policy.instance, set()).update(kinds)

    def left(self, instance: str, email: str) -> set[str]:
        """What ``instance`` wrote into the mailbox that is still there."""
        return self.written.get(email, {}).get(instance, set())


SWITCHES = ("disable-policy", "enable-policy")
SAVE = "save-policy"  # the policy is saved from then on (its built-in field ``saved``)
POLICY_CHANGES = (*SWITCHES, SAVE)  # the built-in actions that change a policy's settings


class PolicyIndex:
    """The policies of an estate by (instance, name) and by instance, and which of them an event
    changes the settings of, with the pack ``actions`` that set fields."""

    def __init__(self, policies: Sequence[PolicyLike], actions: Mapping[str, Action]) -> None:
        self.actions = actions
        self.by_name = {(p.instance, p.name): p.index for p in policies}
        self.of_instance: dict[str, list[int]] = {}
        for p in policies:
            self.of_instance.setdefault(p.instance, []).append(p.index)

    def named(self, instance: str, name: str) -> int | None:
        return self.by_name.get((instance, name))

    def changed_by(self, event: Event) -> list[int]:
        """The policies whose settings ``event`` changes: the one it names (a switch, an action
        that ``sets`` its fields), every policy of its instance for an action that sets an
        instance field."""
        declared = self.actions.get(event.action)
        if declared is not None and declared.shared:
            return self.of_instance.get(event.instance or "", [])
        index = self.named(event.instance or "", event.policy or "")
        sets = event.action in POLICY_CHANGES or (declared is not None and declared.sets)
        return [index] if index is not None and sets else []


def batches(events: Sequence[Event]) -> Iterator[list[Event]]:
    """The timeline in batches of events Riva sees together (``Event.batch``: those of one date
    or one cycle; an event with neither is a batch of its own)."""
    batch: list[Event] = []
    for event in events:
        if batch and event.batch != batch[-1].batch:
            yield batch
            batch = []
        batch.append(event)
    if batch:
        yield batch
