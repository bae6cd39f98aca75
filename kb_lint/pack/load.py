"""Load a rule pack: read the YAML, validate it against the schema, compile every expression.

Structural errors (schema, unknown references, expressions that do not compile, duplicate ids)
are ``InputError``s with file, line and column. Quality problems that a reviewer should see
(gaps in decision tables, stale citations, failing examples) are findings of ``rules check``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kb_lint.citations import Citation
from kb_lint.errors import InputError, did_you_mean
from kb_lint.expr import Expr, compile_expr
from kb_lint.findings import Location
from kb_lint.load import Document, Pointer, Position, load_document
from kb_lint.load.validate import Validator, compile_schema
from kb_lint.model.deployment import BINDING_FIELDS, POLICY_FIELDS
from kb_lint.model.timeline import EVENT_FIELDS
from kb_lint.pack.claims import compile_claims
from kb_lint.pack.model import (
    Assumption,
    DecisionTable,
    Example,
    Input,
    OutcomeField,
    Procedure,
    Row,
    Rule,
    RulePack,
    Step,
    Template,
    Value,
)

PROCEDURE_NAMES = ("source", "target")
STEP_NAMES = ("event", "source", "target")
PROCEDURE_RULE_NAMES = ("step", "procedure", "event", "problem", "source", "target")
# Every key an expression can read: of a binding, an event, a step or a procedure.
KNOWN_KEYS = frozenset(BINDING_FIELDS) | frozenset(EVENT_FIELDS) | {"id", "text", "number", "title"}
PACK_FILE = "pack.yaml"


@cache
def pack_validator() -> Validator:
    text = resources.files("kb_lint.schemas").joinpath("rulepack.schema.json").read_text("utf-8")
    return compile_schema(json.loads(text))


def load_packs(rules_dir: str | Path) -> list[RulePack]:
    """Every pack under ``rules_dir`` (each ``*/pack.yaml``), sorted by path."""
    folder = Path(rules_dir)
    if not folder.is_dir():
        raise InputError(str(folder), 1, 1, "rules folder not found")
    packs = [load_pack(p) for p in sorted(folder.glob(f"*/{PACK_FILE}"))]
    seen: dict[str, RulePack] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                message = f"rule id {rule.id} is also defined in {seen[rule.id].path}"
                raise InputError.at(rule.location, message)
            seen[rule.id] = pack
    return packs


def load_pack(path: str | Path) -> RulePack:
    doc = load_document(path)
    data = pack_validator().validate(doc)
    return PackCompiler(doc, data).compile()


class PackCompiler:
    """Turns validated pack data into a ``RulePack``, keeping a position for every error."""

    def __init__(self, doc: Document, data: dict[str, Any]) -> None:
        self.doc = doc
        self.data = data
        self.folder = Path(doc.path).parent
        self.article = data["pack"]["article"]
        self.citations: list[Citation] = []

    def compile(self) -> RulePack:
        meta = self.data["pack"]
        outcomes = {
            name: OutcomeField(
                name, spec["type"], spec["merge"], spec.get("default"), spec.get("describe", "")
            )
            for name, spec in self.data["outcomes"].items()
        }
        self.outcomes = outcomes
        tables = self._unique_ids("tables", self._table)
        self.tables = tables
        procedures = self._unique_ids("procedures", self._procedure)
        self.procedures = procedures
        rules = list(self._unique_ids("rules", self._rule).values())
        source = meta.get("source")
        return RulePack(
            id=meta["id"],
            article=meta["article"],
            title=meta["title"],
            revision=meta["revision"],
            updated=meta["updated"],
            version=meta["version"],
            path=Path(self.doc.path),
            source=(self.folder / source) if source else None,
            assumptions=[
                Assumption(a["id"], a["title"], a["text"]) for a in self.data["assumptions"]
            ],
            outcomes=outcomes,
            tables=tables,
            procedures=procedures,
            rules=rules,
            history=meta.get("history", []),
            citations=self.citations,
            data=self.data,
            claims=compile_claims(self),
        )

    # -- helpers -----------------------------------------------------------------------------

    def loc(self, pointer: Pointer) -> Location:
        line, col = self.doc.locate(pointer)
        return Location(self.doc.path, line, col)

    def fail(self, pointer: Pointer, message: str) -> InputError:
        return InputError.at(self.loc(pointer), message)

    def expr(self, pointer: Pointer, names: tuple[str, ...]) -> Expr:
        return self._compile(self._get(pointer), self.doc.characters(pointer), names)

    def _compile(
        self, source: str, where: Callable[[int], Position], names: tuple[str, ...]
    ) -> Expr:
        """Compile an expression whose characters ``where`` places; a key no binding, event,
        step or procedure has is an error (it would read null, silently)."""
        line, column = where(0)
        compiled = compile_expr(
            source, path=self.doc.path, line=line, column=column, names=names, position=where
        )
        for key in sorted((compiled.keys or set()) - KNOWN_KEYS):
            found = re.search(rf"""(?:\.\s*|\[\s*["']){re.escape(key)}\b""", source)
            offset = found.end() - len(key) if found else 0
            hint = did_you_mean(key, KNOWN_KEYS)
            raise InputError(self.doc.path, *where(offset), f"unknown key '{key}'{hint}")
        return compiled

    def template(self, pointer: Pointer, names: tuple[str, ...]) -> Template:
        source = self._get(pointer)
        where = self.doc.characters(pointer)
        parts: list[str | Expr] = []
        pos = 0
        for m in re.finditer(r"\{\{|\}\}|\{([^{}]*)\}", source):
            parts.append(re.sub(r"\s+", " ", source[pos : m.start()]))
            if m.group(0) in ("{{", "}}"):
                parts.append(m.group(0)[0])
            else:
                start = m.start(1)
                parts.append(
                    self._compile(
                        m.group(1), lambda offset, start=start: where(start + offset), names
                    )
                )
            pos = m.end()
        parts.append(re.sub(r"\s+", " ", source[pos:]))
        return Template(source, tuple(p for p in parts if p != ""))

    def _get(self, pointer: Pointer) -> Any:
        value: Any = self.data
        for part in pointer:
            value = value[part]
        return value

    def _unique_ids(self, section: str, build: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, entry in enumerate(self.data.get(section, [])):
            if entry["id"] in out:
                raise self.fail(
                    (section, i, "id"), f"{section[:-1]} id '{entry['id']}' is used twice"
                )
            out[entry["id"]] = build((section, i), entry)
        return out

    def cite(self, rule: str, pointer: Pointer, spec: dict[str, Any] | None) -> Citation | None:
        if spec is None:
            return None
        citation = Citation(
            rule=rule,
            article=spec.get("article", self.article),
            section=spec["section"],
            location=self.loc(pointer),
            item=spec.get("item"),
            fingerprint=spec.get("fingerprint"),
        )
        self.citations.append(citation)
        return citation

    def value(self, pointer: Pointer, name: str, raw: Any, names: tuple[str, ...]) -> Value:
        spec = self.outcomes.get(name)
        if spec is None:
            raise self.fail(pointer, f"unknown outcome '{name}'{did_you_mean(name, self.outcomes)}")
        if isinstance(raw, str):
            return Value(expr=self.expr(pointer, names))
        expected = {"boolean": bool, "integer": int, "list": list}[spec.type]
        if not isinstance(raw, expected) or (spec.type == "integer" and isinstance(raw, bool)):
            raise self.fail(pointer, f"outcome '{name}' must be {spec.type} or an expression")
        return Value(literal=raw)

    def outcome(
        self, pointer: Pointer, raw: dict[str, Any], names: tuple[str, ...]
    ) -> dict[str, Value]:
        return {k: self.value((*pointer, k), k, v, names) for k, v in raw.items()}

    # -- sections ------------------------------------------------------------------------------

    def _table(self, pointer: Pointer, raw: dict[str, Any]) -> DecisionTable:
        inputs = []
        for i, spec in enumerate(raw["inputs"]):
            ip = (*pointer, "inputs", i)
            inputs.append(
                Input(
                    spec["name"],
                    spec.get("label", spec["name"]),
                    self.expr((*ip, "expr"), ("bindings",)),
                    tuple(spec["values"]),
                    self.loc(ip),
                )
            )
        by_name = {i.name: i for i in inputs}
        rows = []
        for n, spec in enumerate(raw["rows"]):
            rp = (*pointer, "rows", n)
            when: dict[str, tuple[Any, ...]] = {}
            for name, allowed in spec["when"].items():
                if name not in by_name:
                    raise self.fail(
                        (*rp, "when", name), f"unknown input '{name}'{did_you_mean(name, by_name)}"
                    )
                allowed = tuple(allowed) if isinstance(allowed, list) else (allowed,)
                for value in allowed:
                    if value not in by_name[name].values:
                        raise self.fail(
                            (*rp, "when", name),
                            f"'{value}' is not a value of input '{name}' "
                            f"({', '.join(map(str, by_name[name].values))})",
                        )
                when[name] = allowed
            cites = spec.get("cites", {})
            rows.append(
                Row(
                    n + 1,
                    when,
                    self.outcome((*rp, "then"), spec["then"], ("bindings",)),
                    self.loc(rp),
                    cites.get("item"),
                    spec.get("note", ""),
                )
            )
        cites = raw.get("cites")
        return DecisionTable(
            id=raw["id"],
            title=raw["title"],
            hit_policy=raw["hit_policy"],
            inputs=tuple(inputs),
            rows=tuple(rows),
            location=self.loc(pointer),
            partition=raw.get("partition"),
            cites=self.cite(f"table:{raw['id']}", (*pointer, "cites"), cites),
            reads=_reads(raw, inputs, rows),
        )

    def _procedure(self, pointer: Pointer, raw: dict[str, Any]) -> Procedure:
        steps = []
        for n, spec in enumerate(raw["steps"]):
            sp = (*pointer, "steps", n)
            residue = dict(spec.get("residue", {}))
            table = residue.pop("predict", None)
            if table is not None and table not in self.tables:
                raise self.fail((*sp, "residue", "predict"), f"unknown table '{table}'")
            steps.append(
                Step(
                    number=n + 1,
                    id=spec["id"],
                    text=spec["text"],
                    action=spec["action"],
                    location=self.loc(sp),
                    match=self.expr((*sp, "match"), STEP_NAMES) if "match" in spec else None,
                    done=self.expr((*sp, "done"), PROCEDURE_NAMES) if "done" in spec else None,
                    covers=frozenset(spec.get("covers", ())),
                    residue=self.outcome((*sp, "residue"), residue, PROCEDURE_NAMES),
                    residue_table=table,
                    item=spec.get("cites", {}).get("item"),
                    applies=self.expr((*sp, "applies"), PROCEDURE_NAMES)
                    if "applies" in spec
                    else None,
                )
            )
        return Procedure(
            id=raw["id"],
            title=raw["title"],
            steps=tuple(steps),
            location=self.loc(pointer),
            applies=self.expr((*pointer, "applies"), PROCEDURE_NAMES) if "applies" in raw else None,
            cites=self.cite(f"procedure:{raw['id']}", (*pointer, "cites"), raw.get("cites")),
        )

    def _rule(self, pointer: Pointer, raw: dict[str, Any]) -> Rule:
        rid = raw["id"]
        prefix = self.data["pack"]["id"]
        if not rid.startswith(f"{prefix}-"):
            raise self.fail(
                (*pointer, "id"), f"rule id '{rid}' must start with the pack id '{prefix}-'"
            )
        kind = raw["kind"]
        if kind == "exclusivity":
            names = self._exclusivity_names(pointer, raw)
        else:
            names = PROCEDURE_RULE_NAMES
        table = raw.get("predict")
        if table is not None and table not in self.tables:
            hint = did_you_mean(table, self.tables)
            raise self.fail((*pointer, "predict"), f"unknown table '{table}'{hint}")
        for i, proc in enumerate(raw.get("procedures", [])):
            if proc not in self.procedures:
                raise self.fail(
                    (*pointer, "procedures", i),
                    f"unknown procedure '{proc}'{did_you_mean(proc, self.procedures)}",
                )
        if kind == "procedure" and not raw.get("procedures"):
            raise self.fail(pointer, "a procedure rule needs 'procedures'")
        examples = tuple(
            self._example((*pointer, "examples", i), e) for i, e in enumerate(raw["examples"])
        )
        return Rule(
            id=rid,
            kind=kind,
            title=raw["title"],
            severity=raw["severity"],
            summary=raw["summary"],
            why=raw.get("why", ""),
            message=self.template((*pointer, "message"), names),
            location=self.loc(pointer),
            cites=self.cite(rid, (*pointer, "cites"), raw["cites"]),
            examples=examples,
            fix=self.template((*pointer, "fix"), names) if "fix" in raw else None,
            procedures=tuple(raw.get("procedures", ())),
            predict=raw.get("predict"),
            outcome=self.outcome((*pointer, "outcome"), raw["outcome"], names)
            if "outcome" in raw
            else None,
            where=self.expr(
                (*pointer, "where"),
                BINDING_FIELDS if raw.get("over", "bindings") == "bindings" else POLICY_FIELDS,
            )
            if "where" in raw
            else None,
            key=tuple(raw.get("key", ())),
            over=raw.get("over", "bindings"),
            distinct=raw.get("distinct"),
            when=self.expr((*pointer, "when"), names) if "when" in raw else None,
            since=raw.get("since"),
            changed=raw.get("changed"),
            raw=raw,
        )

    def _example(self, pointer: Pointer, raw: dict[str, Any]) -> Example:
        for name in raw.get("outcome", {}):
            if name not in self.outcomes:
                raise self.fail(
                    (*pointer, "outcome", name),
                    f"unknown outcome '{name}'{did_you_mean(name, self.outcomes)}",
                )
        file = self.folder / raw["file"]
        if not file.is_file():
            raise self.fail((*pointer, "file"), f"example file not found: {raw['file']}")
        return Example(file, raw["expect"], self.loc(pointer), raw.get("outcome"))

    def _exclusivity_names(self, pointer: Pointer, raw: dict[str, Any]) -> tuple[str, ...]:
        for field_name in ("key", "distinct"):
            if field_name not in raw:
                raise self.fail(pointer, f"an exclusivity rule needs '{field_name}'")
        over = raw.get("over", "bindings")
        fields = BINDING_FIELDS if over == "bindings" else POLICY_FIELDS
        for i, name in enumerate([*raw["key"], raw["distinct"]]):
            if name not in fields:
                where = (*pointer, "key", i) if i < len(raw["key"]) else (*pointer, "distinct")
                hint = did_you_mean(name, fields)
                raise self.fail(where, f"unknown {over[:-1]} field '{name}'{hint}")
        return (*raw["key"], "bindings")


def _reads(raw: dict[str, Any], inputs: list[Input], rows: list[Row]) -> tuple[str, ...] | None:
    """Every binding field a table reads, or None when one of its expressions computes a key."""
    exprs = [i.expr for i in inputs] + [
        v.expr for row in rows for v in row.then.values() if v.expr is not None
    ]
    if any(e.keys is None for e in exprs):
        return None
    fields = set().union(*(e.keys for e in exprs))
    if "partition" in raw:
        fields.add(raw["partition"])
    return tuple(sorted(fields))
