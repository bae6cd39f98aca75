"""What changed between two versions of the rule packs, read from their YAML data.

Packs are matched by pack id, rules, tables and procedures by their ids, procedure steps by
step id, and decision-table rows by their ``when`` (a row whose ``when`` changed but kept its
place is one changed row). An id that disappears is a removed rule: ids must be stable. A rule
whose own text is the same is changed too when a definition of its pack it reads changed (a
field, an action, an outcome field, an assumption: ``kb_lint.pack.reads``), named as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kb_lint.pack.model import RulePack
from kb_lint.pack.reads import WORDS, definitions

# Which part of a rule each of its keys belongs to, in the order they are reported.
RULE_ASPECTS = {
    "condition": ("kind", "over", "key", "distinct", "where", "when"),
    "severity": ("severity",),
    "message": ("message",),
    "outcome": ("outcome", "predict"),
    "procedures": ("procedures",),
    "examples": ("examples",),
    "citation": ("cites",),
    "description": ("title", "summary", "why", "fix"),
}
ASPECT_OF = {key: aspect for aspect, keys in RULE_ASPECTS.items() for key in keys}


@dataclass(frozen=True)
class PackChange:
    pack: str
    change: str
    version: tuple[str | None, str | None]
    revision: tuple[int | None, int | None]
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleChange:
    pack: str
    rule: str
    title: str
    change: str
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableChange:
    """A change to a table (``row`` None) or to one of its rows (numbered as in the new file)."""

    pack: str
    table: str
    row: int | None
    change: str
    when: str
    detail: str


@dataclass(frozen=True)
class StepChange:
    """A change to a procedure (``step`` None) or to one of its steps."""

    pack: str
    procedure: str
    step: str | None
    change: str
    detail: str


@dataclass(frozen=True)
class RuleDiff:
    packs: list[PackChange]
    rules: list[RuleChange]
    tables: list[TableChange]
    steps: list[StepChange]

    @property
    def empty(self) -> bool:
        return not (self.rules or self.tables or self.steps) and all(
            p.change == "unchanged" for p in self.packs
        )


def diff_packs(base: list[RulePack], head: list[RulePack]) -> RuleDiff:
    before = {p.id: p.data for p in base}
    after = {p.id: p.data for p in head}
    compiled = {p.id: p for p in base}
    packs, rules, tables, steps = [], [], [], []
    for pack_id in dict.fromkeys([*before, *after]):
        old, new = before.get(pack_id, {}), after.get(pack_id, {})
        table_changes = list(_tables(pack_id, old.get("tables", []), new.get("tables", [])))
        step_changes = list(
            _procedures(pack_id, old.get("procedures", []), new.get("procedures", []))
        )
        changed_tables = {c.table for c in table_changes}
        changed_procedures = {c.procedure for c in step_changes}
        read = _reads_changed(
            compiled.get(pack_id), next((p for p in head if p.id == pack_id), None), base, head
        )
        rule_changes = list(_rules(pack_id, old, new, changed_tables, changed_procedures, read))
        packs.append(_pack(pack_id, old, new, bool(rule_changes or table_changes or step_changes)))
        rules.extend(rule_changes)
        tables.extend(table_changes)
        steps.extend(step_changes)
    return RuleDiff(packs, rules, tables, steps)


def _pack(pack_id: str, old: dict[str, Any], new: dict[str, Any], inner: bool) -> PackChange:
    meta_old, meta_new = old.get("pack", {}), new.get("pack", {})
    version = (meta_old.get("version"), meta_new.get("version"))
    revision = (meta_old.get("revision"), meta_new.get("revision"))
    if not old or not new:
        return PackChange(pack_id, "added" if not old else "removed", version, revision)
    aspects = tuple(
        name
        for name, key in (
            ("pack metadata", "pack"),
            ("assumptions", "assumptions"),
            ("claims", "claims"),
            ("outcome fields", "outcomes"),
        )
        if old.get(key) != new.get(key)
    )
    change = "changed" if aspects or inner else "unchanged"
    return PackChange(pack_id, change, version, revision, aspects)


def _rules(
    pack_id: str,
    old: dict[str, Any],
    new: dict[str, Any],
    changed_tables: set[str],
    changed_procedures: set[str],
    read: dict[str, list[str]],
) -> Iterator[RuleChange]:
    before = {r["id"]: r for r in old.get("rules", [])}
    after = {r["id"]: r for r in new.get("rules", [])}
    for rule_id in dict.fromkeys([*before, *after]):
        if rule_id not in after:
            yield RuleChange(pack_id, rule_id, before[rule_id]["title"], "removed")
            continue
        rule = after[rule_id]
        if rule_id not in before:
            yield RuleChange(pack_id, rule_id, rule["title"], "added")
            continue
        keys = dict.fromkeys([*before[rule_id], *rule])
        changed = {ASPECT_OF.get(k, k) for k in keys if before[rule_id].get(k) != rule.get(k)}
        aspects = [a for a in RULE_ASPECTS if a in changed] + sorted(changed - set(RULE_ASPECTS))
        used_tables = _tables_used(rule, new)
        aspects += [f"decision table {t}" for t in used_tables if t in changed_tables]
        aspects += [f"procedure {p}" for p in rule.get("procedures", []) if p in changed_procedures]
        aspects += read.get(rule_id, [])
        if aspects:
            yield RuleChange(pack_id, rule_id, rule["title"], "changed", tuple(aspects))


def _reads_changed(
    old: RulePack | None, new: RulePack | None, base: list[RulePack], head: list[RulePack]
) -> dict[str, list[str]]:
    """Per rule of both versions, the fields, actions, outcome fields and assumptions of its
    pack it reads, and the fields of other packs (of ``base`` and ``head``) those refine, that
    the new version defines otherwise: ``field policy.days``..."""
    if old is None or new is None:
        return {}
    found: dict[str, list[str]] = {}
    for rule in new.rules:
        was = old.rule(rule.id)
        if was is None:
            continue
        now, then = definitions(rule, new, head), definitions(was, old, base)
        found[rule.id] = [
            f"{WORDS[section]} {name}"
            for section in ("fields", "actions", "outcomes", "assumptions", "refined")
            for name, spec in now[section].items()
            if name in then[section] and then[section][name] != spec
        ]
    return found


def _tables_used(rule: dict[str, Any], pack: dict[str, Any]) -> list[str]:
    """The tables a rule predicts from: its own ``predict`` and its procedures' residues."""
    used = [rule["predict"]] if rule.get("predict") else []
    procedures = {p["id"]: p for p in pack.get("procedures", [])}
    for name in rule.get("procedures", []):
        for step in procedures.get(name, {}).get("steps", []):
            table = step.get("residue", {}).get("predict")
            if table:
                used.append(table)
    return list(dict.fromkeys(used))


def _tables(
    pack_id: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> Iterator[TableChange]:
    before = {t["id"]: t for t in old}
    after = {t["id"]: t for t in new}
    for table_id in dict.fromkeys([*before, *after]):
        if table_id not in after:
            yield TableChange(pack_id, table_id, None, "removed", "", "")
        elif table_id not in before:
            yield TableChange(
                pack_id, table_id, None, "added", "", f"{len(after[table_id]['rows'])} rows"
            )
        else:
            yield from _table(pack_id, before[table_id], after[table_id])


def _table(pack_id: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[TableChange]:
    keys = [k for k in dict.fromkeys([*old, *new]) if k != "rows" and old.get(k) != new.get(k)]
    if keys:
        yield TableChange(pack_id, new["id"], None, "changed", "", ", ".join(keys))
    pairs, removed, added = _match_rows(old["rows"], new["rows"])
    for i, j in pairs:
        a, b = old["rows"][i], new["rows"][j]
        if a == b:
            continue
        when = (
            _when(b["when"])
            if a["when"] == b["when"]
            else f"{_when(a['when'])} → {_when(b['when'])}"
        )
        yield TableChange(pack_id, new["id"], j + 1, "changed", when, _row_detail(a, b))
    for i in removed:
        row = old["rows"][i]
        yield TableChange(
            pack_id, new["id"], i + 1, "removed", _when(row["when"]), _then(row["then"])
        )
    for j in added:
        row = new["rows"][j]
        yield TableChange(
            pack_id, new["id"], j + 1, "added", _when(row["when"]), _then(row["then"])
        )


def _match_rows(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old, new) row indexes: same ``when`` first, then leftovers in the same place."""
    free: dict[Any, list[int]] = {}
    for i, row in enumerate(old):
        free.setdefault(_when_key(row["when"]), []).append(i)
    pairs, added = [], []
    for j, row in enumerate(new):
        same = free.get(_when_key(row["when"]))
        if same:
            pairs.append((same.pop(0), j))
        else:
            added.append(j)
    removed = sorted(i for rest in free.values() for i in rest)
    for j in list(added):
        if j in removed:
            pairs.append((j, j))
            removed.remove(j)
            added.remove(j)
    return sorted(pairs, key=lambda p: p[1]), removed, added


def _when_key(when: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        sorted((k, tuple(map(repr, v if isinstance(v, list) else [v]))) for k, v in when.items())
    )


def _when(when: dict[str, Any]) -> str:
    if not when:
        return "any case"
    return ", ".join(f"{k}: {_value(v)}" for k, v in when.items())


def _then(then: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {_value(v)}" for k, v in then.items())


def _row_detail(old: dict[str, Any], new: dict[str, Any]) -> str:
    parts = []
    then_old, then_new = old["then"], new["then"]
    for name in dict.fromkeys([*then_old, *then_new]):
        if then_old.get(name) != then_new.get(name):
            parts.append(f"{name}: {_value(then_old.get(name))} → {_value(then_new.get(name))}")
    parts += [key for key in ("cites", "note") if old.get(key) != new.get(key)]
    if old["when"] != new["when"]:
        parts.insert(0, "when")
    return ", ".join(parts)


def _procedures(
    pack_id: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> Iterator[StepChange]:
    before = {p["id"]: p for p in old}
    after = {p["id"]: p for p in new}
    for proc_id in dict.fromkeys([*before, *after]):
        if proc_id not in after:
            yield StepChange(pack_id, proc_id, None, "removed", "")
        elif proc_id not in before:
            yield StepChange(
                pack_id, proc_id, None, "added", f"{len(after[proc_id]['steps'])} steps"
            )
        else:
            yield from _steps(pack_id, before[proc_id], after[proc_id])


def _steps(pack_id: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[StepChange]:
    keys = [k for k in dict.fromkeys([*old, *new]) if k != "steps" and old.get(k) != new.get(k)]
    before = {s["id"]: s for s in old["steps"]}
    after = {s["id"]: s for s in new["steps"]}
    kept_old = [s for s in before if s in after]
    kept_new = [s for s in after if s in before]
    if kept_old != kept_new:
        keys.append("step order")
    if keys:
        yield StepChange(pack_id, new["id"], None, "changed", ", ".join(keys))
    for step_id in dict.fromkeys([*before, *after]):
        if step_id not in after:
            yield StepChange(pack_id, new["id"], step_id, "removed", before[step_id]["action"])
        elif step_id not in before:
            yield StepChange(pack_id, new["id"], step_id, "added", after[step_id]["action"])
        elif before[step_id] != after[step_id]:
            a, b = before[step_id], after[step_id]
            changed = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
            yield StepChange(pack_id, new["id"], step_id, "changed", ", ".join(changed))


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)
