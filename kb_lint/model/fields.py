"""The vocabulary of a deployment: the built-in fields and those every loaded pack declares.

A field belongs to a scope (``instance``, ``policy``, ``user`` or ``event``) and has a type,
allowed values, a default (a literal, or ``default_from``: an expression over the other fields of
its scope, such as a setting whose default depends on the Riva version), a unit and a
description. One ``Fields`` object is the single source for the deployment JSON Schema, the
expression shapes, and the format reference: the built-in fields come from
``schemas/deployment.schema.json``, and a pack's fields are added to the schema's records.

A binding sees the fields of its instance, its policy and its user under their own names, so a
name may be declared in one of those scopes only; two packs declaring one field must declare it
alike.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from kb_lint.errors import InputError, did_you_mean
from kb_lint.expr import Expr, compile_expr
from kb_lint.expr.shapes import BOOLEAN, NUMBER, STRING, VERSION, ListOf, Record, Shape, enum
from kb_lint.expr.values import Version
from kb_lint.findings import Location
from kb_lint.load.csv_source import REQUIRED as CSV_REQUIRED
from kb_lint.load.csv_source import Column
from kb_lint.schemas import schema_text

SCOPES = ("instance", "policy", "user", "event")
BINDING_SCOPES = ("instance", "policy", "user")
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+)*$"
# Built-in names as bindings see them, where they differ from the file's keys.
RENAMED = {
    ("instance", "name"): "instance",
    ("instance", "kind"): "instance_kind",
    ("policy", "name"): "policy",
    ("policy", "folders"): "folder_root",
}
STRUCTURE = {("instance", "policies"), ("policy", "users")}  # containers, not fields
DERIVED = {"synced_types": "the data types the binding really syncs (force user exclusivity)"}
# An event's names that no file writes: when it happens, in words ("on 2026-12-01", "before
# cycle 3"), for messages whichever way the timeline gives its time; and its batch, the number
# (from 1) of the events Riva sees together (``kb_lint.model.timeline.number_batches``), so
# that ``moved.batch > cleared.batch`` says a sync ran between two events.
EVENT_DERIVED = {"when": STRING, "batch": NUMBER}
EVENT_DERIVED_WORDS = {
    "when": "an event's time in words",
    "batch": "the number of an event's batch (its date or cycle)",
}

TYPE_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "version": {"type": "string", "pattern": VERSION_PATTERN},
}
SHAPES: dict[str, Shape] = {
    "string": STRING,
    "enum": STRING,
    "date": STRING,
    "integer": NUMBER,
    "number": NUMBER,
    "boolean": BOOLEAN,
    "version": VERSION,
    "list": ListOf(STRING),
}


@dataclass(frozen=True, eq=False)
class Field:
    """One setting a deployment may give; ``origin`` is ``built-in`` or the declaring pack."""

    name: str
    scope: str
    type: str
    values: tuple[Any, ...] = ()
    default: Any = None
    default_from: Expr | None = field(default=None, compare=False)
    default_text: str = ""  # the source of default_from, for comparing and for the docs
    unit: str = ""
    description: str = ""
    origin: str = "built-in"
    location: Location | None = field(default=None, compare=False)
    key: str = ""  # the key in the file, when it differs from the name
    fields: tuple[Field, ...] = ()  # a record's fields (type record, or a list of records)
    required: bool = False  # a subfield every record must give
    refines: Refinement | None = None  # a coarser enum of another pack this one details
    minimum: int | float | None = None  # the least value a number field may hold
    maximum: int | float | None = None  # the greatest
    extends: str = ""  # the pack whose enum of this name the field adds values to
    added: tuple[tuple[Any, str], ...] = ()  # each value an ``extends`` adds, with its pack

    @property
    def shape(self) -> Shape:
        if self.fields:
            record = Record(self.name, {f.name: f.shape for f in self.fields})
            return ListOf(record) if self.type == "list" else record
        if self.type == "enum":
            return enum(self.name, self.values)
        if self.type == "list" and self.values:
            return ListOf(enum(self.name, self.values))
        return SHAPES[self.type]

    @property
    def structured(self) -> bool:
        """A record, or a list of records: no CSV column, no key of a group."""
        return bool(self.fields)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the field's value in a deployment file."""
        if self.fields:
            record = {
                "type": "object",
                "additionalProperties": False,
                "properties": {f.name: f.schema() for f in self.fields},
            }
            required = [f.name for f in self.fields if f.required]
            if required:
                record["required"] = required
            schema = {"type": "array", "items": record} if self.type == "list" else record
        elif self.type == "enum":
            schema: dict[str, Any] = {"enum": list(self.values)}
        elif self.type == "list":
            items = {"enum": list(self.values)} if self.values else {"type": "string"}
            schema = {"type": "array", "items": items}
        else:
            schema = dict(TYPE_SCHEMAS[self.type])
        if self.default is not None:
            schema["default"] = self.default
        for bound in ("minimum", "maximum"):
            if getattr(self, bound) is not None:
                schema[bound] = getattr(self, bound)
        unit = f" ({self.unit})" if self.unit else ""
        refines = f" {self.refines.text}." if self.refines else ""
        schema["description"] = f"{self.description}{unit}{refines} [{self.origin}]".strip()
        return schema

    def spec(self) -> tuple[Any, ...]:
        """What two declarations must agree on."""
        own = (self.type, self.values, self.default, self.default_text, self.unit, self.required)
        own += (self.minimum, self.maximum)
        refines = self.refines.spec() if self.refines else None
        return (*own, refines, tuple((f.name, f.spec()) for f in self.fields))

    def value(self, raw: Any) -> Any:
        """A file's value as expressions see it: versions become ``Version``s (in records too)."""
        if self.type == "version" and isinstance(raw, str):
            return Version(raw)
        if self.fields and isinstance(raw, dict):
            return {f.name: f.value(raw.get(f.name, f.default)) for f in self.fields}
        if self.fields and isinstance(raw, list):
            return [self.record_value(item) for item in raw]
        return raw

    def column(self, raws: list[Any]) -> list[Any]:
        """``value`` over a column: the column itself when no value needs converting."""
        if self.type != "version" and not self.fields:
            return raws
        return list(map(self.value, raws))

    def record_value(self, raw: Any) -> Any:
        """One record of a list of records, every field present (a default, or null)."""
        if not isinstance(raw, dict):
            return raw
        return {f.name: f.value(raw.get(f.name, f.default)) for f in self.fields}


@dataclass(frozen=True, eq=False)
class Refinement:
    """An enum that details another pack's (``pack``'s ``field``): ``cases`` maps each of its
    values to the coarser value it is a case of; ``location`` is the ``refines`` key."""

    pack: str
    field: str
    cases: tuple[tuple[Any, Any], ...]
    location: Location

    @property
    def text(self) -> str:
        shown = ", ".join(f"{fine} is {coarse}" for fine, coarse in self.cases)
        return f"Refines {self.pack}'s {self.field}: {shown}"

    def spec(self) -> tuple[Any, ...]:
        return (self.pack, self.field, self.cases)


@cache
def base_schema() -> dict[str, Any]:
    text = schema_text("deployment.schema.json")
    return json.loads(text)


@cache
def builtin_fields() -> tuple[Field, ...]:
    """The built-in fields, read from the deployment schema's records."""
    defs = base_schema()["$defs"]
    found = [
        _from_schema(scope, key, prop)
        for scope in SCOPES
        for key, prop in defs[scope]["properties"].items()
        if (scope, key) not in STRUCTURE
    ]
    shapes = {scope: {f.name: f.shape for f in found if f.scope == scope} for scope in SCOPES}
    return tuple(
        replace(
            f,
            default_from=compile_expr(
                f.default_text, path="deployment.schema.json", shapes=shapes[f.scope]
            ),
        )
        if f.default_text
        else f
        for f in found
    )


def _from_schema(scope: str, key: str, prop: dict[str, Any]) -> Field:
    name = RENAMED.get((scope, key), key)
    if name == "folder_root":
        prop = prop["properties"]["root"]
    if "enum" in prop:
        kind, values = "enum", tuple(prop["enum"])
    elif prop.get("type") == "array":
        kind, values = "list", tuple(prop.get("items", {}).get("enum", ()))
    elif prop.get("pattern") == VERSION_PATTERN:
        kind, values = "version", ()
    elif prop.get("format") == "date":
        kind, values = "date", ()
    elif "anyOf" in prop:  # an event's `what`: one word or a list of them
        kind, values = "list", ()
    else:
        kind, values = prop.get("type", "string"), ()
    default = prop.get("default")
    return Field(
        name,
        scope,
        kind,
        values,
        default if not isinstance(default, dict) else default.get("root"),
        default_text=prop.get("x-default-from", ""),
        description=prop.get("description", ""),
        key=key,
    )


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Every field and timeline action of a run: built-in, then each pack's."""

    by_scope: Mapping[str, Mapping[str, Field]]
    actions: Mapping[str, Action] = field(default_factory=dict)
    # (finer, coarser): each field that refines another pack's, with that field
    refinements: tuple[tuple[Field, Field], ...] = ()
    # the actions of the other packs loaded with a pack being compiled, each with its pack:
    # names its expressions may compare ``action`` with; and what to say of one no loaded
    # pack declares
    named_actions: Mapping[str, str] = field(default_factory=dict)
    unloaded_action: Callable[[str], str] | None = field(default=None, compare=False)
    # and what to say of an event key no loaded pack declares
    unloaded_key: Callable[[str], str] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, declared: Iterable[Field], actions: Iterable[Action] = ()) -> Vocabulary:
        """The built-in fields plus ``declared``, and the pack ``actions``; a clash is an
        ``InputError`` naming both places."""
        scopes: dict[str, dict[str, Field]] = {scope: {} for scope in SCOPES}
        seen: dict[str, Field] = {}
        for f in (*builtin_fields(), *declared):
            if f.scope == "event" and f.name in EVENT_DERIVED:
                message = (
                    f"'{f.name}' is {EVENT_DERIVED_WORDS[f.name]}, built in; choose another name"
                )
                raise InputError.at(f.location or Location("<built-in>", 1, 1), message)
            other = scopes[f.scope].get(f.name) or (
                seen.get(f.name) if f.scope in BINDING_SCOPES else None
            )
            if other is not None and other is not f:
                if other.scope == f.scope and (f.extends or other.extends or other.added):
                    f = _extended(other, f)  # one adds values to the other's enum
                elif other.scope == f.scope and other.spec() == f.spec():
                    if other.origin != f.origin:
                        continue  # two packs declaring the same field alike
                    raise _clash(f, other)
                else:
                    raise _clash(f, other)
            scopes[f.scope][f.name] = f
            if f.scope in BINDING_SCOPES:
                seen[f.name] = f
        known: dict[str, Action] = {}
        for action in actions:
            other = known.get(action.name)
            if other is not None and other.spec() == action.spec():
                continue  # two packs declaring one action alike
            if other is not None:
                raise InputError.at(action.location, _action_clash(action, other))
            if action.name in BUILTIN_ACTIONS:
                message = f"action '{action.name}' is already declared built in"
                raise InputError.at(action.location, message)
            known[action.name] = action
        refinements = _refinements(scopes)
        for fine, coarse in refinements:  # an action that sets the finer sets the coarser too
            for name, action in known.items():
                if fine.name in action.sets and coarse.name not in action.sets:
                    shared = (coarse.name,) if coarse.scope == "instance" else ()
                    known[name] = replace(
                        action, sets=(*action.sets, coarse.name), shared=(*action.shared, *shared)
                    )
        return cls({scope: dict(named) for scope, named in scopes.items()}, known, refinements)

    def refine(
        self,
        scope: str,
        record: dict[str, Any],
        place: Callable[[str], Location],
        computed: Collection[str] | None = None,
    ) -> list[str]:
        """Give ``record`` (of ``scope``, or an event) the coarser value of each finer field it
        gives; a coarser value it gives that disagrees is an error at ``place(coarser)``. A
        value equal to the coarser field's default reads as left out (loading fills it in).
        With ``computed`` (the fields a ``default_from`` just filled), the same for the finer
        fields among them: a computed finer value gives its case as a written one does (a
        computed coarser value yields to it), and a written coarser value it contradicts is an
        error asking for the finer field to be written too. The coarser fields given."""
        given = []
        for fine, coarse in self.refinements:
            if scope not in (fine.scope, "event") or record.get(fine.name) is None:
                continue
            if computed is not None and fine.name not in computed:
                continue
            want = dict(fine.refines.cases)[record[fine.name]]  # type: ignore[union-attr]
            have = record.get(coarse.name)
            written = have is not None and (computed is None or coarse.name not in computed)
            if written and have != want and have != coarse.default:
                how = "," if computed is None else ", its default_from's value here,"
                message = (
                    f"{coarse.name} '{have}' disagrees with {fine.name} '{record[fine.name]}'"
                    f"{how} which is {coarse.name} '{want}' ({fine.origin} refines "
                    f"{coarse.origin}'s {coarse.name})"
                )
                if computed is not None:
                    message += f": write {fine.name} too"
                raise InputError.at(place(coarse.name), message)
            record[coarse.name] = want
            given.append(coarse.name)
        return given

    def added(self, scope: str) -> list[Field]:
        """The fields of ``scope`` that packs add."""
        return [f for f in self.by_scope[scope].values() if f.origin != "built-in"]

    @property
    def key(self) -> tuple[tuple[Field, ...], tuple[Action, ...]]:
        """A hashable identity: every pack-declared field and action."""
        return tuple(f for scope in SCOPES for f in self.added(scope)), tuple(self.actions.values())

    def binding_fields(self) -> dict[str, Field]:
        return {n: f for scope in BINDING_SCOPES for n, f in self.by_scope[scope].items()}

    def binding_record(self) -> Record:
        shapes = {name: f.shape for name, f in self.binding_fields().items()}
        return Record("binding", {**shapes, **dict.fromkeys(DERIVED, ListOf(STRING))})

    def policy_record(self) -> Record:
        shapes = {
            n: f.shape for scope in ("instance", "policy") for n, f in self.by_scope[scope].items()
        }
        return Record("policy", shapes)

    def scope_record(self, scope: str) -> Record:
        return Record(scope, {n: self.shape(f) for n, f in self.by_scope[scope].items()})

    def shape(self, f: Field) -> Shape:
        """What ``f`` holds in an expression: an event's ``action`` is one of the built-in
        actions or those of the loaded packs (the schema's enum has the built-in ones only),
        ``named_actions`` included."""
        if f.scope == "event" and f.name == "action":
            named = (*f.values, *self.actions, *self.named_actions)
            return enum("action", named, self.unloaded_action)
        return f.shape

    def event_fields(self) -> dict[str, Field]:
        """An event's fields: the event scope's, each setting a pack action changes, and the
        user fields packs add (which an ``add-user`` event gives for the user it adds)."""
        settings = self.binding_fields()
        found = dict(self.by_scope["event"])
        for action in self.actions.values():
            for name in action.sets:
                found.setdefault(name, settings[name])
        for f in self.added("user"):
            found.setdefault(f.name, f)
        return found

    def event_readers(self) -> dict[str, tuple[str, ...]]:
        """The event fields that belong to actions, each with the actions that read it: the
        built-in ``new_name`` (rename-policy's) and each pack event field some action
        ``needs``. A pack event field no action needs is a note any event may give."""
        readers: dict[str, list[str]] = {"new_name": ["rename-policy"]}
        own = {f.name for f in self.added("event")}
        for action in self.actions.values():
            for name in action.needs:
                if name in own:
                    readers.setdefault(name, []).append(action.name)
        return {name: tuple(actions) for name, actions in readers.items()}

    def event_record(self) -> Record:
        fields = {**{n: self.shape(f) for n, f in self.event_fields().items()}, **EVENT_DERIVED}
        return Record("event", fields, self.unloaded_key)

    def csv_columns(self) -> dict[str, Column]:
        """The settings columns a CSV of assignments may have: every instance, policy and user
        field but those the required columns give."""
        return {
            name: Column(f.scope, f.type)
            for scope in BINDING_SCOPES
            for name, f in self.by_scope[scope].items()
            if name not in CSV_REQUIRED and not f.structured
        }

    def schema(self) -> dict[str, Any]:
        """The deployment JSON Schema with every pack field and action added."""
        return deployment_schema(self)


@dataclass(frozen=True, eq=False)
class Action:
    """A timeline action a pack declares: the event fields it needs, and the settings it
    changes to the values the event gives under their names: the named policy's, or, for those
    in ``shared`` (instance fields), every policy's of the named instance."""

    name: str
    needs: tuple[str, ...]
    sets: tuple[str, ...] = ()
    description: str = ""
    origin: str = ""
    location: Location = field(default=Location("<built-in>", 1, 1), compare=False)
    shared: tuple[str, ...] = ()  # the instance fields of ``sets``
    assigned_user: bool = False  # its events name a user their policy assigns at that point
    removes: str = ""  # "policy": its events remove the policy they name from the estate

    def spec(self) -> tuple[Any, ...]:
        """What two declarations of one action must agree on."""
        return (self.needs, self.sets, self.description, self.assigned_user, self.removes)


# The built-in actions, with the fields each needs (the simulator knows what each does).
BUILTIN_ACTIONS: Mapping[str, tuple[str, ...]] = {
    "disable-policy": ("instance", "policy"),
    "enable-policy": ("instance", "policy"),
    "delete-account": ("instance", "email"),
    "remove-riva-data": ("email",),
    "add-user": ("instance", "policy", "email", "crm_user"),
    "remove-user": ("instance", "policy", "email", "crm_user"),
    "rename-policy": ("instance", "policy", "new_name"),
    "save-policy": ("instance", "policy"),
}


def deployment_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    return _schema(vocabulary.key)


@cache
def _schema(key: tuple[tuple[Field, ...], tuple[Action, ...]]) -> dict[str, Any]:
    added, actions = key
    schema = copy.deepcopy(base_schema())
    defs = schema["$defs"]
    for f in added:
        defs[f.scope]["properties"][f.name] = f.schema()
    event = defs["event"]["properties"]
    event["action"]["enum"] += [a.name for a in actions]
    fields = {f.name: f for f in (*builtin_fields(), *added)}
    for action in actions:
        event["action"]["description"] += f" {action.name}: {', '.join(action.needs)}."
        for name in action.sets:  # there when the event gives it: no default
            event.setdefault(name, _without_default(fields[name].schema()))
    for f in added:
        if f.scope == "user":  # given by an add-user event, for the user it adds
            event.setdefault(f.name, _without_default(f.schema()))
    return schema


def _without_default(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "default"}


def _shown(value: Any) -> str:
    """A value read from a deployment as its file would write it (null, a list...)."""
    return json.dumps(value, default=str)


def _action_clash(new: Action, old: Action) -> str:
    """Why ``new`` may not declare ``old``'s action again: each key whose value differs, with
    both values, and what to do instead."""
    keys = ("needs", "sets", "description", "assigned_user", "removes")
    differ = [
        f"{key} {_shown(getattr(new, key))} here, {_shown(getattr(old, key))} there"
        for key in keys
        if getattr(new, key) != getattr(old, key)
    ]
    extra = [n for n in new.needs if n not in old.needs]
    more = (
        f"; an event field {old.origin}'s action does not need ({', '.join(extra)}) is declared "
        "under fields: event: alone, a note any event may give"
        if extra
        else ""
    )
    return (
        f"action '{new.name}' is already declared by {old.origin} at {_at(old.location)}, "
        f"differently: {'; '.join(differ)}. Two packs declaring one action must declare it "
        f"alike: leave this declaration out and use {old.origin}'s action as it is (a pack "
        f"names the actions of the packs loaded with it){more}"
    )


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return f"[{', '.join(value)}]"
    return json.dumps(value)


def _at(location: Location) -> str:
    return f"{location.path}:{location.line}:{location.column}"


def _refinements(scopes: Mapping[str, Mapping[str, Field]]) -> tuple[tuple[Field, Field], ...]:
    """Each field that ``refines`` a field of a loaded pack, with it: an enum of the same scope
    that has every value the finer one names. A refinement of a pack that is not loaded reads
    nothing: no loaded pack reads the coarser field."""
    fields = [f for named in scopes.values() for f in named.values()]
    origins = {f.origin for f in fields}
    found = []
    for fine in fields:
        refines = fine.refines
        if refines is None or refines.pack not in origins:
            continue
        coarse = scopes[fine.scope].get(refines.field)
        if coarse is None or coarse.origin != refines.pack:
            mine = [f.name for f in fields if f.origin == refines.pack and f.scope == fine.scope]
            message = f"{refines.pack} declares no {fine.scope} field '{refines.field}'"
            raise InputError.at(refines.location, message + did_you_mean(refines.field, mine))
        where = f"{coarse.origin}'s {coarse.name}" + (
            f" at {_at(coarse.location)}" if coarse.location else ""
        )
        if coarse.type != "enum":
            message = f"{where} is of type {coarse.type}: only an enum is refined"
            raise InputError.at(refines.location, message)
        for value, case in refines.cases:
            if case not in coarse.values:
                shown = ", ".join(map(str, coarse.values))
                message = f"'{value}' is '{case}', not a value of {where} ({shown})"
                raise InputError.at(refines.location, message)
        found.append((fine, coarse))
    return tuple(found)


def _extended(old: Field, new: Field) -> Field:
    """One enum field two packs declare, one (or both) adding values to the other's with
    ``extends``: the field as its own pack declares it, with every value added, each with the
    pack that adds it. The packs must agree on the values the field's own pack gives; one value
    added by two packs is an error at the second."""
    added = dict(old.added)
    for value, pack in new.added:
        if added.get(value, pack) != pack:
            message = (
                f"'{value}' is added to {new.name} by {added[value]} too; one pack adds a value "
                "(the other names it once that pack is loaded)"
            )
            raise InputError.at(new.location or Location("<built-in>", 1, 1), message)
        added[value] = pack
    own_old, own_new = _own(old), _own(new)
    plain = [f for f in (own_old, own_new) if not f.extends]
    agree = own_old.values == own_new.values and (
        len(plain) < 2 or plain[0].spec() == plain[1].spec()
    )
    if not agree or old.type != "enum" or new.type != "enum":
        raise _clash(new, old)
    base = plain[0] if plain else own_old
    values = (*base.values, *(v for v in added if v not in base.values))
    return replace(base, values=values, added=tuple(added.items()))


def _own(f: Field) -> Field:
    """``f`` with the values its own pack gives alone: those an ``extends`` adds left out."""
    added = dict(f.added)
    return replace(f, values=tuple(v for v in f.values if v not in added), added=())


def _clash(new: Field, old: Field) -> InputError:
    where = f" at {_at(old.location)}" if old.location else ""
    if old.origin == "built-in":
        message = f"field '{new.name}' is a built-in {old.scope} field; choose another name"
    elif old.scope != new.scope:
        message = (
            f"field '{new.name}' is declared for {new.scope} here and for {old.scope} by "
            f"{old.origin}{where}: bindings read both under one name"
        )
    else:
        message = (
            f"field '{new.name}' is declared differently by {old.origin}{where}; two packs "
            "declaring one field must agree on its type, values, default and unit (to detail "
            "another pack's enum, declare your own with `refines:`)"
        )
    location = new.location or Location("<built-in>", 1, 1)
    return InputError.at(location, message)


def defaults_from(
    fields: Iterable[Field],
    record: dict[str, Any],
    env: dict[str, Any],
    place: Callable[[str | None], Location],
) -> list[str]:
    """Fill each field with a computed default that ``record`` does not give, from ``env``;
    the names of the fields filled. An expression that fails on the record is an error at the
    record (``place(None)``), or at the value it read that the record gives (``place(key)``),
    naming every value it read."""
    filled = []
    for f in fields:
        if f.default_from is not None and record.get(f.key or f.name) is None:
            try:
                value = f.default_from(env)
            except InputError as error:
                read = sorted(f.default_from.names & env.keys())
                given = [name for name in read if env[name] is not None]
                values = ", ".join(f"{n} = {_shown(env[n])}" for n in read) or "nothing"
                at = place(given[0] if len(given) == 1 else None)
                message = (
                    f"the computed default of '{f.name}' ({f.default_text}, "
                    f"{error.path}:{error.line}:{error.column}) fails here: {error.message}; "
                    f"it read {values}"
                )
                raise InputError.at(at, message) from None
            if f.type == "enum" and value not in f.values:
                where = f.location or Location("deployment.schema.json", 1, 1)
                shown = ", ".join(map(str, f.values))
                message = f"default_from of '{f.name}' gave {value!r}, not one of {shown}"
                raise InputError.at(where, message)
            record[f.key or f.name] = value
            filled.append(f.name)
    return filled
