"""Load a rule pack: read the YAML, validate it against the schema, compile every expression.

Structural errors (schema, unknown references, expressions that do not compile, duplicate ids)
are ``InputError``s with file, line and column. Quality problems that a reviewer should see
(gaps in decision tables, stale citations, failing examples) are findings of ``rules check``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from kb_lint.citations import Citation
from kb_lint.errors import InputError, InputErrors, did_you_mean
from kb_lint.expr import Expr, compile_expr
from kb_lint.expr.shapes import ListOf, Record, Shape
from kb_lint.findings import Location
from kb_lint.load import Document, Pointer, Position, load_document
from kb_lint.load.validate import Validator, compile_schema
from kb_lint.model.fields import BUILTIN_ACTIONS, Vocabulary
from kb_lint.pack.claims import compile_claims
from kb_lint.pack.model import (
    Assumption,
    Example,
    OutcomeField,
    PatternStep,
    Rule,
    RulePack,
    Template,
    Value,
)
from kb_lint.pack.procedures import compile_procedure
from kb_lint.pack.scopes import SINGULAR, STATE, Scopes
from kb_lint.pack.tables import compile_table
from kb_lint.pack.vocabulary import (
    compile_actions,
    compile_fields,
    compile_outcome,
    compile_simulation,
    field_default,
)
from kb_lint.schemas import schema_text

PACK_FILE = "pack.yaml"
Shapes = dict[str, Shape]
OUTCOME_TYPES = {"boolean": (bool,), "integer": (int,), "list": (list,), "text": (str,)}


@cache
def pack_schema() -> dict[str, Any]:
    """The JSON schema of ``pack.yaml``: every key, with its one description."""
    text = schema_text("rulepack.schema.json")
    return json.loads(text)


@cache
def pack_validator() -> Validator:
    return compile_schema(pack_schema())


def load_packs(rules_dir: str | Path, broken: list[InputError] | None = None) -> list[RulePack]:
    """Every pack under ``rules_dir`` (each ``*/pack.yaml``), sorted by path. With ``broken``,
    a pack that does not load is added there and the others still load."""
    folder = Path(rules_dir)
    if not folder.is_dir():
        raise InputError(str(folder), 1, 1, "rules folder not found")
    packs = []
    for path in sorted(folder.glob(f"*/{PACK_FILE}")):
        try:
            packs.append(load_pack(path))
        except InputError as exc:
            if broken is None:
                raise
            broken.extend(getattr(exc, "errors", [exc]))
    vocabulary_of(packs)  # two packs declaring one field must agree
    seen: dict[str, RulePack] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                message = f"rule id {rule.id} is also defined in {seen[rule.id].path}"
                raise InputError.at(rule.location, message)
            seen[rule.id] = pack
    return packs


def vocabulary_of(packs: Iterable[RulePack]) -> Vocabulary:
    """The fields and actions of a deployment checked against ``packs``: made once per set of
    pack objects (the cache holds the packs, so that no other object takes their ids)."""
    packs = tuple(packs)
    key = tuple(id(p) for p in packs)
    if key not in _VOCABULARIES:
        if len(_VOCABULARIES) >= 64:
            _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
        fields = [f for p in packs for f in p.fields]
        actions = [a for p in packs for a in p.actions]
        _VOCABULARIES[key] = (packs, Vocabulary.of(fields, actions))
    return _VOCABULARIES[key][1]


_VOCABULARIES: dict[tuple[int, ...], tuple[tuple[RulePack, ...], Vocabulary]] = {}


def load_pack(path: str | Path) -> RulePack:
    doc = load_document(path)
    data = pack_validator().validate_all(doc)
    return PackCompiler(doc, data).compile()


class PackCompiler:
    """Turns validated pack data into a ``RulePack``, keeping a position for every error."""

    def __init__(self, doc: Document, data: dict[str, Any]) -> None:
        self.doc = doc
        self.data = data
        self.folder = Path(doc.path).parent
        self.article = data["pack"]["article"]
        self.citations: list[Citation] = []
        self.found: list[InputError] = []  # the errors of entries compiled so far

    def compile(self) -> RulePack:
        meta = self.data["pack"]
        self.fields = compile_fields(self)
        self.actions = compile_actions(self)
        self.vocabulary = Vocabulary.of(self.fields, self.actions)
        self.scopes = Scopes(self.vocabulary)
        self.binding = self.scopes.binding
        self.event = self.scopes.event
        self.fields = tuple(field_default(self, f) for f in self.fields)
        outcomes = {
            name: compile_outcome(self, name, spec) for name, spec in self.data["outcomes"].items()
        }
        self.outcomes = outcomes
        # every independent error at once: each table, procedure and rule compiles on its own,
        # and rules (which read tables and procedures) only when those compiled
        tables = self._unique_ids("tables", lambda at, raw: compile_table(self, at, raw))
        self.tables = tables
        procedures = self._unique_ids(
            "procedures", lambda at, raw: compile_procedure(self, at, raw)
        )
        self.procedures = procedures
        self._raise_found()
        rules = list(self._unique_ids("rules", self._rule).values())
        self._raise_found()
        source = meta.get("source")
        simulation, no_model = compile_simulation(self)
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
            fields=self.fields,
            actions=self.actions,
            simulation=simulation,
            no_model=no_model,
            claims=compile_claims(self),
        )

    # -- helpers -----------------------------------------------------------------------------

    def loc(self, pointer: Pointer) -> Location:
        line, col = self.doc.locate(pointer)
        return Location(self.doc.path, line, col)

    def fail(self, pointer: Pointer, message: str) -> InputError:
        return InputError.at(self.loc(pointer), message)

    def expr(self, pointer: Pointer, names: Shapes) -> Expr:
        return self._compile(self._get(pointer), self.doc.characters(pointer), names)

    def _compile(self, source: str, where: Callable[[int], Position], names: Shapes) -> Expr:
        """Compile an expression whose characters ``where`` places, every name and key it reads
        checked against ``names`` (a key that nothing has would read null, silently)."""
        line, column = where(0)
        return compile_expr(
            source, path=self.doc.path, line=line, column=column, shapes=names, position=where
        )

    def template(self, pointer: Pointer, names: Shapes) -> Template:
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

    def written(self, pointer: Pointer) -> dict[str, Any]:
        """The mapping at ``pointer`` as the file gives it, without the schema's defaults."""
        value: Any = self.doc.data
        for part in pointer:
            value = value[part]
        return value

    def _get(self, pointer: Pointer) -> Any:
        value: Any = self.data
        for part in pointer:
            value = value[part]
        return value

    def _unique_ids(self, section: str, build: Any) -> dict[str, Any]:
        """Each entry of ``section`` built; the errors of one entry are kept in ``found`` and the
        next entry is built still."""
        out: dict[str, Any] = {}
        for i, entry in enumerate(self.data.get(section, [])):
            try:
                if entry["id"] in out:
                    raise self.fail(
                        (section, i, "id"), f"{section[:-1]} id '{entry['id']}' is used twice"
                    )
                out[entry["id"]] = build((section, i), entry)
            except InputError as exc:
                self.found.extend(getattr(exc, "errors", [exc]))
        return out

    def _raise_found(self) -> None:
        if self.found:
            raise InputErrors(sorted(self.found, key=lambda e: (e.line, e.column)))

    def part_cite(
        self, rule: str, pointer: Pointer, parent: dict[str, Any], own: dict[str, Any] | None
    ) -> Citation | None:
        """The citation of a table row or a procedure step (``own``, at ``pointer``): its item,
        in its own section when it names one, else its table's or procedure's (``parent``);
        None when it cites nothing, or neither names a section."""
        section = own.get("section", parent.get("section")) if own is not None else None
        if own is None or section is None:
            return None
        return Citation(
            rule=rule,
            article=parent.get("article", self.article),
            section=section,
            location=self.loc((*pointer, "cites")),
            item=own.get("item"),
            fingerprint=own.get("fingerprint"),
        )

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

    def value(self, pointer: Pointer, name: str, raw: Any, names: Shapes) -> Value:
        spec = self.outcomes.get(name)
        if spec is None:
            raise self.fail(pointer, f"unknown outcome '{name}'{did_you_mean(name, self.outcomes)}")
        if spec.type == "enum" and raw in spec.values:
            return Value(literal=raw)
        if spec.type == "text" and isinstance(raw, str):
            return Value(literal=raw)  # text is written as it is shown
        expected = OUTCOME_TYPES.get(spec.type, ())
        if isinstance(raw, str) and WORD.fullmatch(raw) and raw not in (*names, *CONSTANTS):
            raise self.fail(pointer, _not_a_value(name, spec, raw))
        if isinstance(raw, str):
            expr = self.expr(pointer, names)
            if expr.names or not expected:
                return Value(expr=expr)
            raw = expr({})  # a constant: its type is known now
            if isinstance(raw, expected) and not (spec.type == "integer" and isinstance(raw, bool)):
                self.elements(pointer, name, raw, in_place=False)
                return Value(expr=expr)
        if not isinstance(raw, expected) or (spec.type == "integer" and isinstance(raw, bool)):
            allowed = f"one of {', '.join(map(str, spec.values))}" if spec.values else spec.type
            raise self.fail(
                pointer, f"outcome '{name}' must be {allowed} or an expression, not {raw!r}"
            )
        self.elements(pointer, name, raw)
        return Value(literal=raw)

    def elements(self, pointer: Pointer, name: str, raw: Any, in_place: bool = True) -> None:
        """A list outcome with ``values`` holds only those: an element outside them is an error
        at the element (``in_place``: written as a YAML list at ``pointer``), else at
        ``pointer``."""
        spec = self.outcomes[name]
        if spec.type != "list" or not spec.values or not isinstance(raw, list):
            return
        for i, element in enumerate(raw):
            if element not in spec.values:
                at = (*pointer, i) if in_place else pointer
                raise self.fail(at, _not_a_value(name, spec, str(element)))

    def outcome(self, pointer: Pointer, raw: dict[str, Any], names: Shapes) -> dict[str, Value]:
        return {k: self.value((*pointer, k), k, v, names) for k, v in raw.items()}

    def says(
        self, pointer: Pointer, says: dict[str, str], values: dict[str, Any]
    ) -> dict[str, str]:
        """Prose for outcome expressions: each must name an outcome the mapping beside it sets
        with an expression (a literal is shown as it is, so words for it would go unread)."""
        for name in says:
            if name not in values:
                hint = did_you_mean(name, values)
                raise self.fail(
                    (*pointer, name), f"'says' names '{name}', which is not set here{hint}"
                )
            if self._literal(name, values[name]):
                message = (
                    f"'says' gives words for an outcome an expression computes; '{name}' is "
                    f"{json.dumps(values[name])}, shown as it is"
                )
                raise self.fail((*pointer, name), message)
        return dict(says)

    def _literal(self, name: str, raw: Any) -> bool:
        """``raw`` is written as the outcome's value itself, not as an expression."""
        spec = self.outcomes.get(name)
        if spec is None:  # an unknown outcome: its own error says so
            return False
        if not isinstance(raw, str) or spec.type == "text":
            return True
        return spec.type == "enum" and raw in spec.values

    # -- sections ------------------------------------------------------------------------------

    def table_names(self, subject: str) -> Shapes:
        return self.scopes.table(subject)

    def each(self, pointer: Pointer, raw: dict[str, Any], names: Shapes, owner: str) -> Shapes:
        """``names`` with the list field that ``raw``'s ``each`` names narrowed to one element
        (a rule or step judged once per element reads it under the field's name); ``owner``
        says whose field it must be."""
        each = raw.get("each")
        if each is None:
            return names
        if each not in names or each in STATE:
            hint = did_you_mean(each, [n for n in names if n not in STATE])
            raise self.fail((*pointer, "each"), f"unknown {owner} field '{each}'{hint}")
        shape = names[each]
        if not isinstance(shape, ListOf):
            raise self.fail((*pointer, "each"), f"'{each}' is {shape}, not a list field")
        return {**names, each: shape.item}

    def _predicts(self, pointer: Pointer, raw: dict[str, Any], table_id: str) -> None:
        """A rule's ``predict`` names a table about the rule's subject: a group for an
        exclusivity rule, the subject it judges for a check rule."""
        table = self.tables.get(table_id)
        if table is None:
            hint = did_you_mean(table_id, self.tables)
            raise self.fail((*pointer, "predict"), f"unknown table '{table_id}'{hint}")
        over = raw.get("over", "bindings")
        wanted = "group" if raw["kind"] == "exclusivity" else SINGULAR[over]
        if table.subject != wanted:
            judged = "groups" if wanted == "group" else over
            raise self.fail(
                (*pointer, "predict"),
                f"table '{table_id}' predicts for a {table.subject}, and this rule judges "
                f"{judged}: give the table 'subject: {wanted}'",
            )

    def _rule(self, pointer: Pointer, raw: dict[str, Any]) -> Rule:
        rid = raw["id"]
        prefix = self.data["pack"]["id"]
        if not rid.startswith(f"{prefix}-"):
            raise self.fail(
                (*pointer, "id"), f"rule id '{rid}' must start with the pack id '{prefix}-'"
            )
        kind = raw["kind"]
        a_kind = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} rule"
        wrong = [
            self.fail(pointer, f"{a_kind} needs '{name}'")
            for name in NEEDS[kind]
            if not raw.get(name)
        ]
        if kind == "check" and not raw.get("when") and not raw.get("predict"):
            message = (
                "a check rule needs 'when', or 'predict' alone (it then fires where its table "
                "predicts more than the outcomes' defaults)"
            )
            wrong.append(self.fail(pointer, message))
        for name in self.written(pointer):
            if name not in COMMON_KEYS and name not in KEYS[kind]:
                readers = [k for k, keys in KEYS.items() if name in keys]
                message = f"{a_kind} does not read '{name}' (only {' and '.join(readers)} rules do)"
                wrong.append(self.fail((*pointer, name), message))
        if wrong:  # every key of the rule that is missing or read by no one, at once
            raise InputErrors(wrong)
        if "predict" in raw and "outcome" in raw:
            raise self.fail(
                (*pointer, "outcome"),
                "a rule predicts with 'predict' (a table) or 'outcome', not both",
            )
        pattern: tuple[PatternStep, ...] = ()
        where = None
        change = self._changes(pointer, raw)
        if kind == "exclusivity":
            where, names = self._exclusivity(pointer, raw)
        elif kind == "check":
            names = self.each(pointer, raw, self.subject(raw["over"]), SINGULAR[raw["over"]])
            where = self.expr((*pointer, "where"), names) if "where" in raw else None
        elif kind == "sequence":
            pattern, names = self._pattern(pointer, raw["pattern"])
        else:
            names = self.scopes.procedure_rule(change)
        table = raw.get("predict")
        if table is not None:
            self._predicts(pointer, raw, table)
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
            where=where,
            key=tuple(raw.get("key", ())),
            over=raw.get("over", "bindings"),
            distinct=raw.get("distinct"),
            when=self.expr((*pointer, "when"), names) if "when" in raw else None,
            each=raw.get("each"),
            pattern=pattern,
            refines=tuple(raw.get("refines", ())),
            supersedes=tuple(raw.get("supersedes", ())),
            since=raw.get("since"),
            changed=raw.get("changed"),
            fingerprint=raw.get("fingerprint"),
            says=self.says((*pointer, "says"), raw.get("says", {}), raw.get("outcome", {})),
            raw=raw,
        )

    def _changes(self, pointer: Pointer, raw: dict[str, Any]) -> str:
        """What the procedures a rule names end with (``change``), one kind for all those a
        procedure rule runs: its message reads the move or the change."""
        changes: dict[str, str] = {}
        for i, proc in enumerate(raw.get("procedures", [])):
            if proc not in self.procedures:
                raise self.fail(
                    (*pointer, "procedures", i),
                    f"unknown procedure '{proc}'{did_you_mean(proc, self.procedures)}",
                )
            change = self.procedures[proc].change
            if raw["kind"] == "procedure" and changes and change not in changes.values():
                first, other = next(iter(changes.items()))
                raise self.fail(
                    (*pointer, "procedures", i),
                    f"procedure '{proc}' ends with change: {change} and '{first}' with change: "
                    f"{other}; a rule runs procedures of one kind of change (its message reads "
                    "the move, or the change)",
                )
            changes[proc] = change
        return next(iter(changes.values()), "move")

    def _example(self, pointer: Pointer, raw: dict[str, Any]) -> Example:
        for name, value in raw.get("outcome", {}).items():
            at = (*pointer, "outcome", name)
            if name not in self.outcomes:
                raise self.fail(at, f"unknown outcome '{name}'{did_you_mean(name, self.outcomes)}")
            spec = self.outcomes[name]
            if spec.type == "enum" and value not in spec.values:
                raise self.fail(at, _not_a_value(name, spec, str(value)))
            self.elements(at, name, value)
        if raw["expect"] == "miss" and not raw.get("reason"):
            raise self.fail(pointer, "an example expected to be missed needs a 'reason'")
        if raw["expect"] != "miss" and "reason" in raw:
            expect = raw["expect"]
            message = f"'reason' says why an expect: miss example is missed, not expect: {expect}"
            raise self.fail((*pointer, "reason"), message)
        file = self.folder / raw["file"]
        if not file.is_file():
            raise self.fail((*pointer, "file"), f"example file not found: {raw['file']}")
        fixes = raw.get("fixes")
        if fixes is not None and not (self.folder / fixes).is_file():
            raise self.fail((*pointer, "fixes"), f"example file not found: {fixes}")
        return Example(
            file,
            raw["expect"],
            self.loc(pointer),
            raw.get("outcome"),
            reason=raw.get("reason", ""),
            fixes=(self.folder / fixes) if fixes is not None else None,
            breaks=tuple(raw.get("breaks", ())),
        )

    # -- what expressions see -------------------------------------------------------------------

    def overlap(self) -> Shapes:
        return self.scopes.overlap()

    def pair(self, **more: Shape) -> Shapes:
        return self.scopes.pair(**more)

    def subject(self, over: str) -> Shapes:
        return self.scopes.subject(over)

    def _exclusivity(self, pointer: Pointer, raw: dict[str, Any]) -> tuple[Expr | None, Shapes]:
        """The ``where`` of an exclusivity rule, and what its message, ``when`` and outcome see:
        the key's fields and the group (``bindings``)."""
        over = raw.get("over", "bindings")
        if over not in ("bindings", "policies"):
            raise self.fail(
                (*pointer, "over"), f"an exclusivity rule groups bindings or policies, not {over}"
            )
        subject = self.subject(over)
        if not raw.get("distinct") and not raw.get("when"):
            message = (
                "an exclusivity rule needs 'distinct' (at most one value per key), or 'when' "
                "alone (a limit: each group whose 'when' holds is a finding)"
            )
            raise self.fail(pointer, message)
        for i, name in enumerate([*raw["key"], raw.get("distinct"), raw.get("each")]):
            if name is not None and name not in subject:
                where = (*pointer, "key", i) if i < len(raw["key"]) else (*pointer, "distinct")
                if name == raw.get("each"):
                    where = (*pointer, "each")
                hint = did_you_mean(name, list(subject))
                raise self.fail(where, f"unknown {over[:-1]} field '{name}'{hint}")
        each = raw.get("each")
        if each is not None and not isinstance(subject[each], ListOf):
            raise self.fail((*pointer, "each"), f"'{each}' is {subject[each]}, not a list field")
        where = self.expr((*pointer, "where"), subject) if "where" in raw else None
        return where, self.scopes.exclusivity(over, tuple(raw["key"]), each)

    def _pattern(
        self, pointer: Pointer, steps: list[dict[str, Any]]
    ) -> tuple[tuple[PatternStep, ...], Shapes]:
        """A sequence rule's events, each named so that later ones can relate to it: a present
        step's ``where`` sees the present steps before it and its own; an absent step's sees
        the present steps around its gap (those before it, and the one after it), and its own,
        as the engine judges the gap once that step is met. The message sees the present
        steps."""
        needs = {**BUILTIN_ACTIONS, **{n: a.needs for n, a in self.vocabulary.actions.items()}}
        names: list[str] = []
        for i, spec in enumerate(steps):
            if spec["as"] in names:
                where = (*pointer, "pattern", i, "as")
                raise self.fail(where, f"'{spec['as']}' names an earlier event of the pattern")
            names.append(spec["as"])
        if all(spec.get("absent") for spec in steps):
            raise self.fail((*pointer, "pattern"), "a pattern needs a step that is not absent")
        own = {
            spec["as"]: Record(
                "event",
                self.each(
                    (*pointer, "pattern", i),
                    spec,
                    dict(self.scopes.pattern_event(needs.get(spec["action"], ())).fields),
                    "event",
                ),
            )
            for i, spec in enumerate(steps)
        }
        present: Shapes = {s["as"]: own[s["as"]] for s in steps if not s.get("absent")}
        found = []
        for i, spec in enumerate(steps):
            sp = (*pointer, "pattern", i)
            if spec["action"] not in needs:
                hint = did_you_mean(spec["action"], list(needs))
                raise self.fail((*sp, "action"), f"unknown action '{spec['action']}'{hint}")
            absent = bool(spec.get("absent"))
            visible = {s["as"]: own[s["as"]] for s in steps[:i] if not s.get("absent")}
            after = next((s for s in steps[i:] if not s.get("absent")), None)
            if absent and after is not None:  # the gap is judged when the step after it is met
                visible[after["as"]] = own[after["as"]]
            visible[spec["as"]] = own[spec["as"]]
            where = self.expr((*sp, "where"), visible) if "where" in spec else None
            found.append(
                PatternStep(
                    spec["as"], spec["action"], self.loc(sp), where, absent, spec.get("each")
                )
            )
        return tuple(found), present


# The keys every rule has, and those each kind reads: any other key is refused where it is.
COMMON_KEYS = frozenset(
    {"id", "kind", "title", "severity", "cites", "summary", "why", "since", "changed"}
    | {"message", "fix", "examples", "refines", "supersedes", "fingerprint", "says"}
    | {"procedures"}  # a procedure rule's steps; any other rule's page links them as the fix
)
KEYS = {
    "exclusivity": {"where", "over", "key", "distinct", "when", "predict", "outcome", "each"},
    "check": {"where", "over", "when", "predict", "outcome", "each"},
    "sequence": {"pattern", "outcome"},
    "procedure": set(),
}
NEEDS = {
    "exclusivity": ("key",),
    "procedure": ("procedures",),
    "check": ("over",),  # and 'when', or 'predict' alone
    "sequence": ("pattern",),
}


WORD = re.compile(r"[A-Za-z_][\w-]*")  # a value written bare: no name in scope, no operator
CONSTANTS = ("true", "false", "null")


def _not_a_value(name: str, spec: OutcomeField, raw: str) -> str:
    """A bare word that is neither one of an outcome's values nor a name in scope."""
    values = list(map(str, spec.values)) if spec.values else []
    if spec.type == "boolean":
        values = ["true", "false"]
    shown = f" ({', '.join(values)})" if values else f" (a {spec.type}, or an expression)"
    close = did_you_mean(raw, values).replace(" (did you mean", "; did you mean").rstrip(")")
    return f"'{raw}' is not a value of {name}{shown}{close}"
