"""Deployment model: instances, policies, and every email/CRM assignment as a binding.

Bindings are stored column-wise (``Bindings``): a deployment may hold a million assignments,
and the rules engine groups them by key at C speed. A ``Binding`` object is made only for the
few assignments a finding talks about.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError
from kb_lint.load import Document, Pointer, load_document
from kb_lint.load.schema_bulk import Read
from kb_lint.load.validate import Validator, compile_schema
from kb_lint.model.exclusivity import Claims
from kb_lint.model.fields import Field, Vocabulary, defaults_from
from kb_lint.model.identity import normalise_crm_users, normalise_emails
from kb_lint.model.records import placer, record_of, unique_name
from kb_lint.model.timeline import Event, Holders, check_mailboxes
from kb_lint.model.timeline_entries import build_timeline

BINDING_FIELDS = (
    "instance",
    "instance_kind",
    "policy",
    "enabled",
    "email_system",
    "category",
    "folder_root",
    "sync_all_items",
    "data_types",
    "email",
    "crm_user",
    "synced_types",
)
POLICY_FIELDS = BINDING_FIELDS[:-3]

# The master folder a policy gets when it names none (pack KB1668, assumption A2): Riva names it
# after the CRM (KB 1668), and article 105 calls it "CRM".
DEFAULT_FOLDER_ROOT = "CRM"


# The fields of a policy that a timeline event can change, kept as attributes of ``Policy``.
REVISABLE = ("enabled", "category", "folder_root", "sync_all_items", "data_types")


@dataclass(frozen=True)
class Policy:
    index: int
    instance: str
    instance_kind: str
    name: str
    enabled: bool
    email_system: str
    category: str
    folder_root: str
    sync_all_items: bool
    data_types: tuple[str, ...]
    pointer: Pointer
    settings: dict[str, Any] = field(default_factory=dict)  # its instance's and its own others
    # the settings the file leaves out that a ``default_from`` computes (``kb_lint.model.derived``)
    computed: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def label(self) -> str:
        return f"{self.instance} / {self.name}"

    @property
    def exclusive(self) -> bool:
        """Its instance's force user exclusivity switch (see ``kb_lint.model.exclusivity``)."""
        return bool(self.settings.get("force_user_exclusivity", True))

    @property
    def synced_types(self) -> tuple[str, ...]:
        """The data types a user of this policy syncs when no other policy claims any of them:
        all of them, or none when the policy is disabled."""
        return self.data_types if self.enabled else ()

    def field(self, name: str) -> Any:
        if name in self.settings:
            return self.settings[name]
        return self.name if name == "policy" else getattr(self, name)

    def env(self) -> dict[str, Any]:
        """The policy as expressions see it: every field of its instance and its own."""
        env = {name: self.field(name) for name in POLICY_FIELDS}
        env["data_types"] = list(self.data_types)
        return env | self.settings

    def revised(self, changes: dict[str, Any]) -> Policy:
        """The policy with ``changes`` to its fields, as timeline events make them (``enabled``
        from ``enable-policy``, any field a pack action ``sets``)."""
        if not changes:
            return self
        own = {k: v for k, v in changes.items() if k in REVISABLE}
        if "data_types" in own:
            own["data_types"] = tuple(own["data_types"])
        rest = {k: v for k, v in changes.items() if k not in REVISABLE}
        return replace(self, **own, settings=self.settings | rest if rest else self.settings)


@dataclass(frozen=True)
class Instance:
    name: str
    kind: str
    policies: tuple[Policy, ...]
    pointer: Pointer
    settings: dict[str, Any] = field(default_factory=dict)

    def env(self) -> dict[str, Any]:
        """The instance as expressions see it: its name, kind and fields."""
        return {"instance": self.name, "instance_kind": self.kind, **self.settings}


@dataclass
class Bindings:
    """Every assignment, column-wise: row ``i`` is ``email[i] ↔ crm_user[i]`` in ``policy[i]``."""

    policy: list[int] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    crm_user: list[str] = field(default_factory=list)
    ranges: list[range] = field(default_factory=list)  # rows of each policy, by policy index
    extra: dict[str, list[Any]] = field(default_factory=dict)  # user fields packs declare

    def __len__(self) -> int:
        return len(self.email)

    @cached_property
    def repeated_email(self) -> list[int]:
        return _repeated(self.email)

    @cached_property
    def repeated_crm_user(self) -> list[int]:
        return _repeated(self.crm_user)


def _repeated(column: list[str], chunk: int = 1024) -> list[int]:
    """Indexes of the rows whose value occurs more than once, in order. The column is read a
    chunk at a time, at C speed: the values of a chunk already seen repeat (one intersection
    with the set of the values seen), and a chunk whose values, added to that set, grow it by
    fewer than it holds, less those, repeats values within itself (found by a pass over the
    chunk alone). Cost: one look-up and one insertion per row, in a set of every value."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for start in range(0, len(column), chunk):
        values = column[start : start + chunk]
        again = seen.intersection(values)
        before = len(seen)
        seen.update(values)
        if len(seen) - before + len(again) < len(values):  # a value twice in the chunk
            own: set[str] = set()
            repeated.update(v for v in values if v in own or own.add(v))
        repeated |= again
    if not repeated:
        return []
    return list(compress(range(len(column)), map(repeated.__contains__, column)))


@dataclass(frozen=True)
class Binding:
    """One email user ↔ CRM user combination in one policy of one instance."""

    instance: str
    instance_kind: str
    policy: str
    enabled: bool
    email_system: str
    category: str
    folder_root: str
    sync_all_items: bool
    data_types: tuple[str, ...]
    email: str
    crm_user: str
    synced_types: tuple[str, ...]  # the data types it really syncs: see Deployment.claims
    pointer: Pointer
    settings: dict[str, Any] = field(default_factory=dict)  # instance, policy and user others

    @property
    def label(self) -> str:
        return f"{self.instance} / {self.policy}"

    def field(self, name: str) -> Any:
        return self.settings[name] if name in self.settings else getattr(self, name)

    def env(self) -> dict[str, Any]:
        """The binding as expressions see it (``binding.category``, ``bindings.instance``...)."""
        env = {name: getattr(self, name) for name in BINDING_FIELDS}
        env["data_types"] = list(self.data_types)
        env["synced_types"] = list(self.synced_types)
        return env | self.settings


def _binding_base(policy: Policy) -> dict[str, Any]:
    """What every binding of ``policy`` shows expressions (``Binding.env``), in its order, the
    row's own values (email, CRM user, synced types, user fields) left to fill in."""
    env = {name: policy.field(name) for name in POLICY_FIELDS}
    env |= {"data_types": None, "email": None, "crm_user": None, "synced_types": None}
    return env | policy.settings


@dataclass
class Deployment:
    document: Document
    instances: list[Instance]
    policies: list[Policy]
    bindings: Bindings
    timeline: list[Event]
    data: dict[str, Any]
    vocabulary: Vocabulary

    @property
    def path(self) -> str:
        return self.document.path

    def binding(self, row: int) -> Binding:
        return make_binding(
            self.policies[self.bindings.policy[row]],
            self.bindings.email[row],
            self.bindings.crm_user[row],
            self.pointer_of(row),
            self.claims.get(row),
            {name: column[row] for name, column in self.bindings.extra.items()},
        )

    def env_of(self, row: int) -> dict[str, Any]:
        """``self.binding(row).env()``, made without the binding: a copy of its policy's part."""
        columns = self.bindings
        policy = columns.policy[row]
        env = self._binding_bases[policy].copy()
        env["data_types"] = list(self.policies[policy].data_types)
        env["email"] = columns.email[row]
        env["crm_user"] = columns.crm_user[row]
        env["synced_types"] = list(self.claims.get(row, self.binding_types(policy)))
        for name, column in columns.extra.items():
            env[name] = column[row]
        return env

    def label_of(self, row: int) -> str:
        return self._labels[self.bindings.policy[row]]

    @cached_property
    def _labels(self) -> list[str]:
        return [policy.label for policy in self.policies]

    def shared_env(self, policy: int) -> dict[str, Any]:
        """What every row of ``policy`` shows expressions alike: ``env_of`` with the row's own
        fields (``row_fields``) None. One dict per policy, made once and shared: for an
        expression that reads none of those fields (a group's ``when`` on its policies)."""
        return self._shared_envs[policy]

    @cached_property
    def _shared_envs(self) -> list[dict[str, Any]]:
        users = dict.fromkeys(self.bindings.extra)  # a user's fields, as ``env_of`` adds them
        return [
            base | {"data_types": list(policy.data_types)} | users
            for base, policy in zip(self._binding_bases, self.policies, strict=True)
        ]

    @property
    def row_fields(self) -> frozenset[str]:
        """The fields of a binding that vary between the rows of one policy (its user's own);
        every other field of ``env_of`` is its policy's."""
        return frozenset(("email", "crm_user", "synced_types", *self.bindings.extra))

    @property
    def binding_fields(self) -> frozenset[str]:
        """Every field ``env_of`` shows."""
        bases = self._binding_bases
        return frozenset((*(bases[0] if bases else ()), *self.row_fields))

    @cached_property
    def _binding_bases(self) -> list[dict[str, Any]]:
        return [_binding_base(policy) for policy in self.policies]

    @cached_property
    def groupings(self) -> dict[Any, Any]:
        """What the exclusivity rules made of the rows (the rows of the policies a ``where``
        keeps, the rows by a key, the groups whose members differ on a field), kept for the
        other rules that make the same (``kb_lint.engine.exclusivity``)."""
        return {}

    def binding_types(self, policy: int) -> tuple[str, ...]:
        """The data types a row of ``policy`` syncs when no other row claims any of them."""
        return self.policies[policy].synced_types

    def pointer_of(self, row: int) -> Pointer:
        """Where assignment ``row`` is written: its entry in its policy's ``users`` (the rows
        of a policy are its users, in order)."""
        index = self.bindings.policy[row]
        return (*self.policies[index].pointer, "users", row - self.bindings.ranges[index].start)

    @cached_property
    def claims(self) -> dict[int, tuple[str, ...]]:
        """The data types each row really syncs under force user exclusivity
        (``kb_lint.model.exclusivity``), for the rows whose email repeats: any other row syncs
        all its policy's types."""
        claims = Claims()
        synced: dict[int, tuple[str, ...]] = {}
        columns = self.bindings
        for row in columns.repeated_email:
            policy = self.policies[columns.policy[row]]
            if policy.enabled:
                user = (policy.instance, columns.email[row], columns.crm_user[row])
                synced[row] = claims.take(user, policy.data_types, policy.exclusive)
        return synced

    @cached_property
    def claims_by_policy(self) -> dict[int, dict[int, tuple[str, ...]]]:
        """``claims`` by the policy of each row: the only rows of a policy whose synced types
        may differ from its ``binding_types``."""
        by_policy: dict[int, dict[int, tuple[str, ...]]] = {}
        policy = self.bindings.policy
        for row, types in self.claims.items():
            by_policy.setdefault(policy[row], {})[row] = types
        return by_policy

    def policy_named(self, instance: str, name: str) -> Policy | None:
        for policy in self.policies:
            if policy.instance == instance and policy.name == name:
                return policy
        return None


def make_binding(
    policy: Policy,
    email: str,
    crm_user: str,
    pointer: Pointer,
    synced_types: tuple[str, ...] | None = None,
    user: dict[str, Any] | None = None,
) -> Binding:
    """The binding of ``email`` ↔ ``crm_user`` in ``policy``; unless told otherwise, it syncs
    every data type of the policy, or none when the policy is disabled."""
    if synced_types is None:
        synced_types = policy.synced_types
    return Binding(
        instance=policy.instance,
        instance_kind=policy.instance_kind,
        policy=policy.name,
        enabled=policy.enabled,
        email_system=policy.email_system,
        category=policy.category,
        folder_root=policy.folder_root,
        sync_all_items=policy.sync_all_items,
        data_types=policy.data_types,
        email=email,
        crm_user=crm_user,
        synced_types=synced_types,
        pointer=pointer,
        settings=policy.settings | user if user else policy.settings,
    )


BUILT_IN = Vocabulary.of(())


_VALIDATORS: dict[Any, Validator] = {}


def deployment_validator(vocabulary: Vocabulary = BUILT_IN) -> Validator:
    """The validator of ``vocabulary``'s deployment schema, compiled once per vocabulary."""
    if vocabulary.key not in _VALIDATORS:
        _VALIDATORS[vocabulary.key] = compile_schema(vocabulary.schema())
    return _VALIDATORS[vocabulary.key]


def read_deployment(path: str | Path, vocabulary: Vocabulary = BUILT_IN) -> Deployment:
    """Load, validate and model one deployment or scenario file (YAML, JSON or CSV), with the
    fields and actions of ``vocabulary`` (the built-in ones and those of the loaded packs)."""
    doc = load_document(path, columns=vocabulary.csv_columns())
    return build_deployment(doc, deployment_validator(vocabulary).validate(doc), vocabulary)


def build_deployment(doc: Document, data: Any, vocabulary: Vocabulary = BUILT_IN) -> Deployment:
    """Model validated ``data``; names must be unique and the timeline must refer to them."""
    data = data or {}
    instance_fields = _settings(vocabulary, "instance")
    policy_fields = _settings(vocabulary, "policy")
    user_fields = vocabulary.added("user")
    user_computed = [f for f in user_fields if f.default_from is not None]
    # a user's finer field gives its coarser one (``Vocabulary.refine``)
    refined = any(fine.scope == "user" for fine, _ in vocabulary.refinements)
    instances: list[Instance] = []
    policies: list[Policy] = []
    bindings = Bindings()
    seen_instances: dict[str, int] = {}
    for i, raw in enumerate(data.get("instances", [])):
        pointer: Pointer = ("instances", i)
        unique_name(doc, seen_instances, raw["name"], i, pointer, "instance")
        vocabulary.refine("instance", raw, placer(doc, pointer, "instance"))
        computed = defaults_from(
            instance_fields,
            raw,
            record_of(vocabulary, "instance", raw),
            placer(doc, pointer, "instance"),
        )
        computed += vocabulary.refine("instance", raw, placer(doc, pointer, "instance"), computed)
        seen = record_of(vocabulary, "instance", raw)  # what its policies' defaults read of it
        shared = {f.name: f.value(raw.get(f.name)) for f in instance_fields}
        seen_policies: dict[str, int] = {}
        mine: list[Policy] = []
        for j, p in enumerate(raw.get("policies", [])):
            ppointer: Pointer = (*pointer, "policies", j)
            unique_name(doc, seen_policies, p["name"], j, ppointer, f"policy of {raw['name']}")
            vocabulary.refine("policy", p, placer(doc, ppointer, "policy"))
            own_computed = defaults_from(
                policy_fields,
                p,
                seen | record_of(vocabulary, "policy", p),
                placer(doc, ppointer, "policy"),
            )
            own_computed += vocabulary.refine(
                "policy", p, placer(doc, ppointer, "policy"), own_computed
            )
            own = {f.name: f.value(p.get(f.name)) for f in policy_fields}
            policy = Policy(
                index=len(policies),
                instance=raw["name"],
                instance_kind=raw["kind"],
                name=p["name"],
                enabled=p["enabled"],
                email_system=p["email_system"],
                category=p["category"],
                folder_root=p["folders"].get("root", DEFAULT_FOLDER_ROOT),
                sync_all_items=p["sync_all_items"],
                data_types=tuple(p["data_types"]),
                pointer=ppointer,
                settings=shared | own,
                computed=frozenset((*computed, *own_computed)),
            )
            policies.append(policy)
            mine.append(policy)
            users = p["users"]
            read = _read(doc, users)
            if refined:
                for k, user in enumerate(users):
                    vocabulary.refine("user", user, placer(doc, (*ppointer, "users", k), "user"))
            if user_computed:  # a user's computed default reads its policy's and instance's too
                env = policy.env()
                for k, user in enumerate(users):
                    at = placer(doc, (*ppointer, "users", k), "user")
                    user_env = env | record_of(vocabulary, "user", user)
                    filled = defaults_from(user_computed, user, user_env, at)
                    vocabulary.refine("user", user, at, filled)
            bindings.ranges.append(range(len(bindings), len(bindings) + len(users)))
            bindings.policy.extend([policy.index] * len(users))
            for name, column in (
                ("email", normalise_emails(*_column(read, users, "email"))),
                ("crm_user", normalise_crm_users(*_column(read, users, "crm_user"))),
            ):
                if not all(column):
                    where = (*ppointer, "users", column.index(""), name)
                    raise InputError(doc.path_of(where), *doc.locate(where), f"{name} is empty")
                getattr(bindings, name).extend(column)
            for f in user_fields:
                if read is not None and read.only_required and not (refined or user_computed):
                    raws = [f.default] * len(users)
                else:
                    raws = list(map(dict.get, users, repeat(f.name), repeat(f.default)))
                bindings.extra.setdefault(f.name, []).extend(f.column(raws))
        instances.append(Instance(raw["name"], raw["kind"], tuple(mine), pointer, shared))
    names = {i.name: [p.name for p in i.policies] for i in instances}
    timeline = build_timeline(doc, data.get("timeline", []), names, vocabulary)
    assigned = {a.name for a in vocabulary.actions.values() if a.assigned_user}
    check_mailboxes(doc, timeline, _holders(policies, bindings), assigned)
    return Deployment(doc, instances, policies, bindings, timeline, data, vocabulary)


def _read(doc: Document, users: list[dict[str, Any]]) -> Read | None:
    """What validation read of ``users`` (``Read``), taken out of ``doc``; None if it did not."""
    read = doc.read.pop(id(users), None)
    return read if read is not None and read.records is users else None


def _column(
    read: Read | None, users: list[dict[str, Any]], name: str
) -> tuple[list[str], bool, bool]:
    """The values of ``name`` in ``users``, whether none holds white space and whether all are
    in lower case (known when validation read them: ``Read``)."""
    if read is None:
        return list(map(itemgetter(name), users)), False, False
    return read.columns[name], name in read.bare, name in read.lower


def _holders(policies: list[Policy], bindings: Bindings) -> Holders:
    """The file's assignments of some mailboxes (of all, given none), found by one scan of the
    email column."""

    def of(emails: set[str]) -> Iterator[tuple[str, str, str, str]]:
        rows: Iterable[int] = range(len(bindings))
        if emails:
            rows = compress(rows, map(emails.__contains__, bindings.email))
        for row in rows:
            policy = policies[bindings.policy[row]]
            yield policy.instance, policy.name, bindings.email[row], bindings.crm_user[row]

    return of


def _settings(vocabulary: Vocabulary, scope: str) -> list[Field]:
    """The fields of ``scope`` that are not attributes of the model's classes."""
    return [f for f in vocabulary.by_scope[scope].values() if f.name not in BINDING_FIELDS]
