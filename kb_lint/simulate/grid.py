"""Sweep grids: a base scenario and axes whose every combination is one case.

A grid comes from a grid file (``kb-lint simulate --grid FILE``, or a rule pack's
``simulation.grid``) or from a scenario's own ``sweep:`` key. It holds:

- ``scenario`` (grid files only): the base scenario, inline or as a path relative to the file;
  a scenario's ``sweep:`` uses the scenario itself;
- ``mailbox``: the mailbox whose outcome each case shows and compares with the rules (default:
  the base scenario's first);
- ``axes``: a list; each axis either sets one ``field`` to each of its ``values``, or sets
  several fields at once per named ``variants`` entry (``{label: {field: value, ...}}``).

A field is a dotted path into the scenario: ``cycles``, ``seed``, ``crm.records_per_user.leads``,
``mailbox.user_items.contacts``, ``timeline`` (a timeline variant), ``users`` (the estate size:
every mailbox and CRM user of the base repeated N times), or any instance, policy or user field
the built-in schema or a loaded pack declares, reached through ``instances.I.policies.P.users.U``
where I, P and U are a position (0, 1, ...), a name, or ``*`` for every one.

Cases are the product of the axes, the first axis slowest, numbered from 0. Each axis value is
tried alone on the base scenario when the grid is read, so a bad field or value is reported at
the grid's file:line:col before any case runs. Cost: building a case is a copy of the base
data, linear in its size.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError, did_you_mean
from kb_lint.load import Document, Pointer, load_document
from kb_lint.model.fields import RENAMED, Vocabulary
from kb_lint.simulate.scenario import scenario_from_data

MAX_CASES = 1_000_000  # a grid larger than this is refused: it would run for days
MAX_USERS = 100_000  # the largest estate-size value
TOP_FIELDS = ("cycles", "seed", "users", "timeline", "crm", "mailbox")
GRID_KEYS = ("title", "scenario", "mailbox", "axes")
AXIS_KEYS = ("name", "field", "values", "variants")
LISTS = {"instances": "instance", "policies": "policy", "users": "user"}


@dataclass(frozen=True)
class Setting:
    """One field a case sets: the path's parts, the value, and where the grid wrote it."""

    path: tuple[str, ...]
    value: Any
    pointer: Pointer


@dataclass(frozen=True)
class Axis:
    """One dimension of a grid: a name, and per value its label and the settings it makes."""

    name: str
    labels: tuple[Any, ...]  # the value of a field axis, the label of a variant
    settings: tuple[tuple[Setting, ...], ...]


@dataclass(frozen=True)
class Grid:
    """A base scenario (plain data in the file format) and the axes swept over it."""

    name: str  # where it comes from, for messages and the JSON
    title: str
    base: dict[str, Any]
    mailbox: str
    axes: tuple[Axis, ...]

    @property
    def size(self) -> int:
        return cases_of(self.axes)


def cases_of(axes: tuple[Axis, ...]) -> int:
    """How many cases the axes make: the product of their lengths."""
    size = 1
    for axis in axes:
        size *= len(axis.labels)
    return size


def read_grid(path: Path, vocabulary: Vocabulary) -> Grid:
    """A grid file: its keys, base scenario and axes checked, each value tried on the base."""
    doc = load_document(path)
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(str(path), 1, 1, "a grid file is a mapping with 'scenario' and 'axes'")
    _known_keys(doc, (), data, GRID_KEYS)
    if "scenario" not in data:
        raise InputError(str(path), 1, 1, "the grid has no 'scenario' (the base to sweep)")
    base = data["scenario"]
    if isinstance(base, str):
        base = _scenario_file(doc, path.parent / base)
    elif not isinstance(base, dict):
        raise _error(doc, ("scenario",), "'scenario' is a mapping or a path to a scenario file")
    return _grid(doc, (), data, base, vocabulary)


def grid_of_scenario(doc: Document, data: dict[str, Any], vocabulary: Vocabulary) -> Grid:
    """The grid a scenario declares under ``sweep:``, over the scenario itself."""
    spec = data["sweep"]
    base = {k: v for k, v in data.items() if k != "sweep"}
    if not isinstance(spec, dict):
        raise _error(doc, ("sweep",), "'sweep' is a mapping with 'axes'")
    if "scenario" in spec:
        raise _error(doc, ("sweep", "scenario"), "a scenario's sweep runs over the scenario itself")
    return _grid(doc, ("sweep",), spec, base, vocabulary)


def _scenario_file(doc: Document, path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise _error(doc, ("scenario",), f"no scenario file '{path}'")
    data = load_document(path).data
    if not isinstance(data, dict):
        raise _error(doc, ("scenario",), f"'{path}' is not a scenario (a mapping)")
    if "sweep" in data:
        data = {k: v for k, v in data.items() if k != "sweep"}
    return data


def _grid(
    doc: Document, at: Pointer, spec: dict[str, Any], base: dict[str, Any], vocabulary: Vocabulary
) -> Grid:
    _known_keys(doc, at, spec, GRID_KEYS)
    axes_data = spec.get("axes")
    if not isinstance(axes_data, list) or not axes_data:
        raise _error(doc, (*at, "axes") if "axes" in spec else at, "the grid needs 'axes': a list")
    axes = tuple(
        _axis(doc, (*at, "axes", n), raw, base, vocabulary) for n, raw in enumerate(axes_data)
    )
    names: dict[str, int] = {}
    for n, axis in enumerate(axes):
        if axis.name in names:
            raise _error(doc, (*at, "axes", n), f"two axes are named '{axis.name}'")
        names[axis.name] = n
    try:
        emails = list(scenario_from_data(base, "grid-base", vocabulary).setup.mailboxes)
    except InputError as exc:
        raise _error(doc, ("scenario",), f"the base scenario: {exc.message}") from None
    mailbox = spec.get("mailbox", emails[0] if emails else "")
    if mailbox not in emails:
        hint = did_you_mean(str(mailbox), emails)
        raise _error(doc, (*at, "mailbox"), f"no mailbox '{mailbox}' in the scenario{hint}")
    grid = Grid(doc.path, str(spec.get("title", "")), base, mailbox, axes)
    if grid.size > MAX_CASES:
        raise _error(doc, (*at, "axes"), f"{grid.size:,} cases: more than {MAX_CASES:,}")
    for axis in axes:
        for settings in axis.settings:
            _try(doc, base, settings, vocabulary)
    return grid


def _axis(
    doc: Document, at: Pointer, raw: Any, base: dict[str, Any], vocabulary: Vocabulary
) -> Axis:
    if not isinstance(raw, dict):
        raise _error(doc, at, "an axis is a mapping: field and values, or name and variants")
    _known_keys(doc, at, raw, AXIS_KEYS)
    if ("field" in raw) == ("variants" in raw):
        raise _error(doc, at, "an axis has either 'field' and 'values' or 'variants'")
    if "field" in raw:
        values = raw.get("values")
        if not isinstance(values, list) or not values:
            raise _error(doc, (*at, "values") if "values" in raw else at, "'values' is a list")
        path = _path(doc, (*at, "field"), raw["field"], base, vocabulary)
        name = str(raw.get("name", raw["field"]))
        settings = tuple(
            (Setting(path, value, (*at, "values", i)),) for i, value in enumerate(values)
        )
        return Axis(name, tuple(values), settings)
    if "name" not in raw:
        raise _error(doc, at, "an axis of variants needs a 'name'")
    variants = raw["variants"]
    if not isinstance(variants, dict) or not variants:
        raise _error(doc, (*at, "variants"), "'variants' maps each label to the fields it sets")
    settings_list = []
    for label, fields in variants.items():
        where = (*at, "variants", label)
        if not isinstance(fields, dict) or not fields:
            raise _error(doc, where, f"variant '{label}' maps fields to their values")
        settings_list.append(
            tuple(
                Setting(
                    _path(doc, (*where, key), key, base, vocabulary, True), value, (*where, key)
                )
                for key, value in fields.items()
            )
        )
    return Axis(str(raw["name"]), tuple(variants), tuple(settings_list))


def _path(
    doc: Document,
    at: Pointer,
    raw: Any,
    base: dict[str, Any],
    vocabulary: Vocabulary,
    at_key: bool = False,
) -> tuple[str, ...]:
    """A field path, checked: a top-level scenario field, or an instance, policy or user field
    reached through selectors that match something in the base."""

    def fail(message: str) -> InputError:
        return _error(doc, at, message, at_key)

    if not isinstance(raw, str) or not raw:
        raise fail("a field is a dotted path such as instances.*.policies.*.sync_all_items")
    parts = tuple(raw.split("."))
    if parts[0] not in (*TOP_FIELDS, "instances"):
        hint = did_you_mean(parts[0], [*TOP_FIELDS, "instances"])
        raise fail(f"unknown field '{parts[0]}'{hint}")
    if parts[0] in ("cycles", "seed", "users", "timeline") and len(parts) > 1:
        raise fail(f"'{parts[0]}' has no fields")
    if parts[0] != "instances":
        return parts
    nodes: list[Any] = [base]
    n = 0
    while n < len(parts):
        key = parts[n]
        if key in LISTS and n + 1 < len(parts):
            nodes = [x for node in nodes for x in _select(node.get(key) or [], parts[n + 1])]
            if not nodes:
                raise fail(f"'{'.'.join(parts[: n + 2])}' matches nothing in the scenario")
            n += 2
            continue
        break
    if n >= len(parts):
        raise fail(f"'{raw}' names {LISTS.get(parts[n - 2], 'an item')}s, not a field")
    scope = LISTS[parts[n - 2]]
    keys = _file_keys(scope, vocabulary)
    if parts[n] not in keys:
        raise fail(f"unknown {scope} field '{parts[n]}'{did_you_mean(parts[n], keys)}")
    return parts


def _file_keys(scope: str, vocabulary: Vocabulary) -> list[str]:
    """The keys a scenario file may give in ``scope``: the vocabulary's names as written."""
    back = {binding: key for (s, key), binding in RENAMED.items() if s == scope}
    return [back.get(name, name) for name in vocabulary.by_scope[scope]]


def _select(items: list[Any], selector: str) -> list[Any]:
    """The list elements a selector picks: ``*`` all, a position, or the element of that name."""
    if not isinstance(items, list):
        return []
    if selector == "*":
        return [x for x in items if isinstance(x, dict)]
    if re.fullmatch(r"\d+", selector):
        n = int(selector)
        return [items[n]] if n < len(items) and isinstance(items[n], dict) else []
    return [x for x in items if isinstance(x, dict) and selector in (x.get("name"), x.get("email"))]


def apply(base: dict[str, Any], settings: list[Setting]) -> dict[str, Any]:
    """A deep copy of ``base`` with the settings applied in order (``users`` last)."""
    data = copy.deepcopy(base)
    size = None
    for setting in settings:
        if setting.path == ("users",):
            size = setting.value
        else:
            _set(data, setting.path, setting.value)
    return data if size is None else estate(data, size)


def _set(node: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    key, rest = path[0], path[1:]
    if not rest:
        node[key] = copy.deepcopy(value)
    elif key in LISTS and len(rest) >= 2 and isinstance(node.get(key), list):
        for item in _select(node[key], rest[0]):
            _set(item, rest[1:], value)
    else:
        child = node.setdefault(key, {})
        if isinstance(child, dict):
            _set(child, rest, value)


def estate(data: dict[str, Any], size: int) -> dict[str, Any]:
    """The scenario with every mailbox and CRM user repeated ``size`` times: copy k of
    ``ann@acme.example`` is ``ann+k@acme.example`` (copy 1 is the original), assigned where
    the original is, with the same timeline events and CRM records."""

    def renamed(name: str, k: int) -> str:
        if k == 1:
            return name
        local, at, domain = name.partition("@")
        return f"{local}+{k}{at}{domain}"

    for instance in data.get("instances") or []:
        for policy in instance.get("policies") or []:
            users = policy.get("users") or []
            policy["users"] = [
                {**u, **{f: renamed(u[f], k) for f in ("email", "crm_user") if f in u}}
                for k in range(1, size + 1)
                for u in users
            ]
    events = []
    for event in data.get("timeline") or []:
        if "email" in event or "crm_user" in event:
            events += [
                {**event, **{f: renamed(event[f], k) for f in ("email", "crm_user") if f in event}}
                for k in range(1, size + 1)
            ]
        else:
            events.append(event)
    if events:
        data["timeline"] = events
    records = (data.get("crm") or {}).get("records")
    if records:
        data["crm"]["records"] = [
            {
                **r,
                "crm_user": renamed(r["crm_user"], k),
                **({"id": f"{r['id']}+{k}"} if "id" in r else {}),
            }
            for k in range(1, size + 1)
            for r in records
        ]
    return data


def _try(
    doc: Document, base: dict[str, Any], settings: tuple[Setting, ...], vocabulary: Vocabulary
) -> None:
    """Load the base with one axis value applied; an error is reported where the value is."""
    for setting in settings:
        if setting.path == ("users",) and not (
            isinstance(setting.value, int) and 1 <= setting.value <= MAX_USERS
        ):
            raise _error(doc, setting.pointer, f"users (the estate size) is 1 to {MAX_USERS:,}")
    try:
        scenario_from_data(apply(base, list(settings)), "grid-case", vocabulary)
    except InputError as exc:
        raise _error(
            doc, settings[0].pointer, f"this value makes a bad scenario: {exc.message}"
        ) from None


def _known_keys(doc: Document, at: Pointer, data: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in data:
        if key not in known:
            hint = did_you_mean(str(key), list(known))
            raise _error(doc, (*at, key), f"unknown key '{key}'{hint}", at_key=True)


def _error(doc: Document, pointer: Pointer, message: str, at_key: bool = False) -> InputError:
    try:
        line, column = doc.locate_key(pointer) if at_key and pointer else doc.locate(pointer)
    except (KeyError, IndexError, TypeError):
        line, column = 1, 1
    return InputError(doc.path, line, column, message)
