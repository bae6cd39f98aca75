"""The vocabulary a pack adds: its fields (records and lists of records too), its timeline
actions, its outcome fields and the simulation model it names.

Each is compiled from the validated pack data with the position of every error; the rest of
the pack is compiled against it: its tables (``kb_lint.pack.tables``), procedures
(``kb_lint.pack.procedures``) and rules (``kb_lint.pack.rules``), by ``kb_lint.pack.load``'s
``PackCompiler``. Cost: one pass over each section.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb_lint.errors import InputError, did_you_mean, not_a_value, shown_path
from kb_lint.load.validate import value_problem
from kb_lint.model.deployment import REVISABLE
from kb_lint.model.fields import Action, Field, Refinement, builtin_fields
from kb_lint.model.timeline import EVENT_FIELDS
from kb_lint.pack.declared import unloaded_field
from kb_lint.pack.model import OutcomeField, Simulation
from kb_lint.pack.scopes import SEEN

if TYPE_CHECKING:
    from kb_lint.load import Pointer
    from kb_lint.pack.load import PackCompiler


def compile_fields(compiler: PackCompiler) -> tuple[Field, ...]:
    """The fields the pack declares, by scope."""
    return tuple(
        _field(compiler, ("fields", scope, name), name, scope, spec)
        for scope, named in compiler.data.get("fields", {}).items()
        for name, spec in named.items()
    )


def borrowed_fields(compiler: PackCompiler) -> tuple[Field, ...]:
    """The event fields the actions of the packs loaded with this one need (KB22's
    ``reinit_type`` of its ``reinitialize-user``), each compiled from its own pack's file as
    that pack's: the packs loaded together share one vocabulary, so an expression reads
    another pack's action's fields wherever it reads its events. A field its own pack does not
    compile is not lent (that pack's load says why). Cost: one validation of each lending file."""
    lenders: dict[str, PackCompiler | None] = {}
    found: dict[str, Field] = {}
    for action in compiler.others.actions.values():
        if action.path not in lenders:
            lenders[action.path] = compiler.lender(action.document)
        lender = lenders[action.path]
        event = lender.data.get("fields", {}).get("event", {}) if lender is not None else {}
        for name in action.needs:
            if lender is None or name not in event or name in found:
                continue
            try:
                found[name] = _field(lender, ("fields", "event", name), name, "event", event[name])
            except InputError:
                continue
    return tuple(found.values())


def _field(
    compiler: PackCompiler, fp: Pointer, name: str, scope: str, spec: dict[str, Any]
) -> Field:
    """The field ``name`` of ``scope`` that ``spec`` (at ``fp``) declares: its keys fit its type
    (``_check_keys``), its subfields are fields too, and its default is a value of its type; a
    field that ``extends`` another pack's enum adds values to it (``_extension``)."""
    kind = spec["type"]
    if name in SEEN and len(fp) == 3:  # a field of a record may be so named
        message = (
            f"'{name}' is a name a sequence step gives its event ({SEEN[name]}); "
            "give the field another name"
        )
        raise compiler.fail(fp, message)
    if kind == "enum" and not spec.get("values"):
        raise compiler.fail(fp, f"field '{name}' of type enum needs 'values'")
    if "extends" in spec:
        return _extension(compiler, fp, name, scope, spec)
    _check_keys(compiler, fp, name, spec)
    default = spec.get("default")
    found = Field(
        name,
        scope,
        kind,
        tuple(spec.get("values", ())),
        default,
        default_text=spec.get("default_from", ""),
        unit=spec.get("unit", ""),
        description=spec["description"],
        origin=compiler.data["pack"]["id"],
        location=compiler.loc(fp),
        required=spec.get("required", False),
        refines=_refinement(compiler, fp, name, spec) if "refines" in spec else None,
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        fields=tuple(
            _field(compiler, (*fp, "fields", sub), sub, scope, inner)
            for sub, inner in spec.get("fields", {}).items()
        ),
    )
    # a default is a value of the field's type, worded as a deployment's value would be
    problem = value_problem(found.schema(), default, name) if default is not None else None
    if problem is not None:
        raise compiler.fail((*fp, "default"), problem)
    return found


def _check_keys(compiler: PackCompiler, fp: Pointer, name: str, spec: dict[str, Any]) -> None:
    """Each key of the field's ``spec`` fits its type and the others: ``fields`` for a record
    or a list of them, ``unit`` and the bounds for a number (the default within them),
    ``values`` for an enum or a list, ``required`` only as ``true`` and without a default, a
    ``default`` or a ``default_from``; an error at the first key that does not."""
    kind, default = spec["type"], spec.get("default")
    if kind == "record" and "fields" not in spec:
        raise compiler.fail(fp, f"field '{name}' of type record needs 'fields'")
    if "fields" in spec and kind not in ("record", "list"):
        raise compiler.fail(
            (*fp, "fields"), f"'fields' makes a record or a list of records, not a {kind}"
        )
    if "unit" in spec and kind not in ("integer", "number"):
        raise compiler.fail(
            (*fp, "unit"),
            f"'unit' names what a number counts; field '{name}' is of type {kind}",
        )
    for bound in ("minimum", "maximum"):
        if bound in spec and kind not in ("integer", "number"):
            message = f"'{bound}' bounds a number; field '{name}' is of type {kind}"
            raise compiler.fail((*fp, bound), message)
    low, high = spec.get("minimum", float("-inf")), spec.get("maximum", float("inf"))
    if low > high:
        message = f"field '{name}' has a minimum above its maximum: no value fits"
        raise compiler.fail((*fp, "maximum"), message)
    number = isinstance(default, int | float) and not isinstance(default, bool)
    if number and not low <= default <= high:
        message = f"the default {default} of '{name}' is outside its bounds [{low}, {high}]"
        raise compiler.fail((*fp, "default"), message)
    if "fields" in spec and spec.get("values"):
        raise compiler.fail((*fp, "values"), "a list of records has 'fields', not 'values'")
    if "values" in spec and kind not in ("enum", "list"):
        message = f"'values' lists what an enum or a list holds; field '{name}' is of type {kind}"
        raise compiler.fail((*fp, "values"), message)
    if spec.get("required") is False:
        message = "a subfield is optional unless it says `required: true`; leave 'required' out"
        raise compiler.fail((*fp, "required"), message)
    if spec.get("required") and "default" in spec:
        message = f"a required subfield is always given, so the default of '{name}' is never used"
        raise compiler.fail((*fp, "default"), message)
    if "default" in spec and "default_from" in spec:
        message = "a field has a 'default' or a computed 'default_from', not both"
        raise compiler.fail((*fp, "default_from"), message)


def _extension(
    compiler: PackCompiler, fp: Pointer, name: str, scope: str, spec: dict[str, Any]
) -> Field:
    """A field that adds its ``values`` to the enum of that name another pack (``extends``)
    declares, as the packs loaded with this one declare it: the field has that pack's values
    and these, each recorded as this pack's. The other pack's field must be loaded and an
    enum; a value it already has is an error at the value."""
    at = (*fp, "extends")
    pack, own = spec["extends"], compiler.data["pack"]["id"]
    if pack == own:
        raise compiler.fail(at, "a field extends another pack's enum, not its own")
    if spec["type"] != "enum":
        message = f"only an enum is extended; '{name}' is of type {spec['type']}"
        raise compiler.fail((*fp, "type"), message)
    for key in ("default", "default_from", "unit", "refines", "minimum", "maximum"):
        if key in spec:
            message = f"'{key}' of {name} is {pack}'s to say: an extension adds values only"
            raise compiler.fail((*fp, key), message)
    base = compiler.others.fields.get((scope, name))
    if base is None or base.pack != pack:
        hint = unloaded_field(scope, name, pack)
        message = f"no pack loaded with this one declares {pack}'s {scope} enum '{name}'{hint}"
        raise compiler.fail(at, message)
    for j, value in enumerate(spec["values"]):
        if value in base.values:
            message = (
                f"'{value}' is already a value of {pack}'s {name} ({shown_path(Path(base.path))}): "
                "list only the values this pack adds"
            )
            raise compiler.fail((*fp, "values", j), message)
    added = tuple(spec["values"])
    return Field(
        name,
        scope,
        "enum",
        (*base.values, *added),
        description=spec["description"],
        origin=own,
        location=compiler.loc(fp),
        extends=pack,
        added=tuple((value, own) for value in added),
    )


def _refinement(compiler: PackCompiler, fp: Pointer, name: str, spec: dict[str, Any]) -> Refinement:
    """What ``refines`` says: every value of this enum and the coarser value it is a case of
    (which values the coarser field has is checked with the packs together: ``Vocabulary``)."""
    at = (*fp, "refines")
    given = spec["refines"]
    if spec["type"] != "enum":
        message = f"only an enum refines another pack's enum; '{name}' is of type {spec['type']}"
        raise compiler.fail(at, message)
    if given["pack"] == compiler.data["pack"]["id"]:
        raise compiler.fail((*at, "pack"), "a field refines another pack's field, not its own")
    cases = given["values"]
    for value in cases:
        if value not in spec["values"]:
            message = not_a_value(value, f"'{name}'", spec["values"])
            raise compiler.fail((*at, "values", value), message)
    missing = [v for v in spec["values"] if v not in cases]
    if missing:
        message = f"say which {given['field']} each value of '{name}' is: {', '.join(missing)}"
        raise compiler.fail((*at, "values"), message)
    return Refinement(
        given["pack"], given["field"], tuple(cases.items()), compiler.loc((*at, "field"))
    )


def field_default(compiler: PackCompiler, field: Field) -> Field:
    """``field`` with its ``default_from`` compiled over what a check rule over its record
    sees (``Scopes.default``), but the field itself."""
    if not field.default_text:
        return field
    names = {n: s for n, s in compiler.scopes.default(field.scope).items() if n != field.name}
    pointer = ("fields", field.scope, field.name, "default_from")
    return replace(field, default_from=compiler.expr(pointer, names))


def check_user_defaults(compiler: PackCompiler) -> None:
    """An action sets no field a user field's ``default_from`` reads: a timeline computes a
    policy's and an instance's computed defaults again after an event (``kb_lint.model.derived``),
    not each user's, so the user's value would silently keep the one the file gave it."""
    computed = {f.name: f for f in (*builtin_fields(), *compiler.fields) if f.default_from}
    read: dict[str, str] = {}  # each name a user field's default reads, through other defaults
    for f in compiler.fields:
        todo = [f.name] if f.scope == "user" and f.default_from is not None else []
        while todo:
            default_from = computed[todo.pop()].default_from
            assert default_from is not None
            for name in default_from.names - read.keys():
                read[name] = f.name
                todo += [name] if name in computed else []
    for i, spec in enumerate(compiler.data.get("actions", [])):
        for j, name in enumerate(spec.get("sets", [])):
            if name in read:
                message = (
                    f"'{name}' decides the default of the user field '{read[name]}', which a "
                    "timeline does not compute again for each user: an action cannot set it"
                )
                raise compiler.fail(("actions", i, "sets", j), message)


ARTICLED = {"instance": "an instance", "user": "a user"}
ASSIGNED_NEEDS = ("instance", "policy", "email")  # what names an assigned user


def compile_actions(compiler: PackCompiler) -> tuple[Action, ...]:
    """The timeline actions the pack declares. What each ``sets`` must be a policy setting (of
    the policy the event names) or an instance field (of every policy of the instance the event
    names); not a user's field. A setting whose computed default reads a field an event sets is
    computed again after the event (``kb_lint.model.derived``)."""
    found = []
    every = (*builtin_fields(), *compiler.fields)
    policy = sorted({*(f.name for f in compiler.fields if f.scope == "policy"), *REVISABLE})
    shared = sorted(
        f.name
        for f in every
        if f.scope == "instance" and f.name not in ("instance", "instance_kind")
    )
    others = {f.name: f.scope for f in compiler.fields if f.scope == "user"}
    others |= {name: "instance" for name in ("instance", "instance_kind")}
    accepts = f"sets: accepts a policy setting ({', '.join(policy)}) or an instance field"
    accepts += f" ({', '.join(shared)})" if shared else ""
    for i, spec in enumerate(compiler.data.get("actions", [])):
        ap = ("actions", i)
        sets = spec.get("sets", [])
        for j, name in enumerate(sets):
            if name in policy or name in shared:
                continue
            if name in others:
                message = f"'{name}' is {ARTICLED[others[name]]} field, not a policy's: {accepts}"
            else:
                hint = did_you_mean(name, [*policy, *shared])
                message = f"unknown field '{name}'{hint}; {accepts}"
            raise compiler.fail((*ap, "sets", j), message)
        event = (f.name for f in (*compiler.fields, *compiler.borrowed) if f.scope == "event")
        given = {*EVENT_FIELDS, *event, *sets}
        for j, name in enumerate(spec.get("needs", ())):
            if name not in given:
                hint = did_you_mean(name, sorted(given))
                message = (
                    f"unknown event field '{name}'{hint}: needs names the event's fields, the "
                    "pack's event fields, or what the action sets"
                )
                raise compiler.fail((*ap, "needs", j), message)
        names = ("instance", "policy") if set(sets) - set(shared) else ("instance",)
        missing = [n for n in names if n not in spec.get("needs", ())]
        if sets and missing:
            wanted = " and ".join(missing)
            whose = (
                "a policy's fields must name the policy"
                if "policy" in names
                else ("an instance's fields must name the instance")
            )
            message = f"an action that sets {whose}: needs {wanted}"
            raise compiler.fail((*ap, "needs") if "needs" in spec else ap, message)
        lacking = [n for n in ASSIGNED_NEEDS if n not in spec.get("needs", ())]
        if spec.get("assigned_user") and lacking:
            message = f"an action whose events name an assigned user needs {' and '.join(lacking)}"
            raise compiler.fail((*ap, "assigned_user"), message)
        lacking = [n for n in ("instance", "policy") if n not in spec.get("needs", ())]
        if spec.get("removes") and lacking:
            message = f"an action that removes the policy it names needs {' and '.join(lacking)}"
            raise compiler.fail((*ap, "removes"), message)
        found.append(
            Action(
                spec["name"],
                tuple(spec.get("needs", ())),
                tuple(sets),
                spec["description"],
                compiler.data["pack"]["id"],
                compiler.loc(ap),
                shared=tuple(n for n in sets if n in shared),
                assigned_user=bool(spec.get("assigned_user")),
                removes=spec.get("removes", ""),
            )
        )
    return tuple(found)


def compile_outcome(compiler: PackCompiler, name: str, spec: dict[str, Any]) -> OutcomeField:
    """One outcome field; an enum needs values, and its default (if any) is one of them; a
    list's values, when given, are what its elements may be (its default's too)."""
    values = tuple(spec.get("values", ()))
    kind = spec["type"]
    if "values" in spec and kind not in ("enum", "list"):
        message = f"'values' lists what an enum or a list holds; outcome '{name}' is of type {kind}"
        raise compiler.fail(("outcomes", name, "values"), message)
    if kind == "enum" and not values:
        raise compiler.fail(("outcomes", name), f"outcome '{name}' of type enum needs 'values'")
    default = spec.get("default")
    if kind == "enum" and "default" in spec and default not in values:
        # No default is a default too: a finding that predicts nothing for it says nothing.
        raise compiler.fail(("outcomes", name), f"the default of '{name}' must be one of values")
    listed = kind == "list" and values and isinstance(default, list)
    for i, element in enumerate(default if listed else ()):
        if element not in values:
            message = f"'{element}' in the default of '{name}' is not one of values"
            raise compiler.fail(("outcomes", name, "default", i), message)
    return OutcomeField(
        name,
        spec["type"],
        spec["merge"],
        default,
        spec.get("describe", ""),
        values=values,
        label=spec.get("label", ""),
    )


def compile_simulation(compiler: PackCompiler) -> tuple[Simulation | None, str]:
    """The model that simulates the pack's deployments and the outcomes it measures; or, with
    ``model: none``, no model and the reason there is none."""
    spec = compiler.data.get("simulation")
    if spec is None:
        return None, ""
    if spec["model"] == "none":
        for key in ("measures", "grid"):
            if key in spec:
                raise compiler.fail(("simulation", key), f"a pack with model none has no {key}")
        if "reason" not in spec:
            raise compiler.fail(("simulation", "model"), "model none needs a reason: why none")
        return None, spec["reason"]
    if "measures" not in spec:
        raise compiler.fail(("simulation", "model"), f"model {spec['model']} needs measures")
    for i, name in enumerate(spec["measures"]):
        if name not in compiler.outcomes:
            hint = did_you_mean(name, compiler.outcomes)
            raise compiler.fail(("simulation", "measures", i), f"unknown outcome '{name}'{hint}")
    grid = spec.get("grid")
    if grid is not None and not (compiler.folder / grid).is_file():
        raise compiler.fail(("simulation", "grid"), f"no grid file '{grid}' beside the pack")
    folder = compiler.folder
    found = Simulation(
        spec["model"],
        tuple(spec["measures"]),
        folder / grid if grid else None,
        spec.get("reason", ""),
    )
    return found, ""
