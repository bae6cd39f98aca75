"""Load a rule pack: read the YAML, validate it against the schema, compile every expression.

``PackCompiler`` holds what every section's compiler shares (positions, expressions, outcome
values, citations); each section is its own module: the vocabulary a pack adds
(``kb_lint.pack.vocabulary``), tables, procedures, claims and rules.

Structural errors (schema, unknown references, expressions that do not compile, duplicate ids)
are ``InputError``s with file, line and column. Quality problems that a reviewer should see
(gaps in decision tables, stale citations, failing examples) are findings of ``rules check``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from kb_lint.citations import Citation, places
from kb_lint.errors import InputError, InputErrors, did_you_mean
from kb_lint.expr import Expr, compile_expr
from kb_lint.expr.shapes import ListOf, Shape
from kb_lint.findings import Location
from kb_lint.load import Document, Pointer, Position, load_document
from kb_lint.load.validate import Validator, compile_schema
from kb_lint.model.fields import Vocabulary
from kb_lint.model.timeline import ESTATE_LISTS
from kb_lint.pack.claims import compile_claims
from kb_lint.pack.declared import (
    NOTHING,
    Declarations,
    declared,
    read_packs,
    unloaded_action,
    unloaded_event_field,
)
from kb_lint.pack.model import (
    Assumption,
    DecisionTable,
    RulePack,
    Template,
    Value,
    not_an_outcome_value,
)
from kb_lint.pack.procedures import compile_procedure
from kb_lint.pack.rules import compile_rule
from kb_lint.pack.scopes import SEEN, Scopes
from kb_lint.pack.tables import compile_table
from kb_lint.pack.vocabulary import (
    borrowed_fields,
    check_user_defaults,
    compile_actions,
    compile_fields,
    compile_outcome,
    compile_simulation,
    field_default,
)
from kb_lint.schemas import schema_text

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
    """Every pack under ``rules_dir`` (each ``*/pack.yaml``), sorted by path, each naming the
    actions and fields of the others. With ``broken``, a pack that does not load is added there
    and the others still load."""
    docs = read_packs(rules_dir, broken)
    return agreeing(compile_packs(docs, declared(docs), broken), broken)


def agreeing(packs: list[RulePack], broken: list[InputError] | None = None) -> list[RulePack]:
    """``packs``, once those declaring one field or action are found to agree
    (``sharing_declarations``) and no rule id is found twice (an error at the second)."""
    packs = sharing_declarations(packs, broken)
    seen: dict[str, RulePack] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                message = f"rule id {rule.id} is also defined in {seen[rule.id].path}"
                raise InputError.at(rule.location, message)
            seen[rule.id] = pack
    return packs


def compile_packs(
    docs: Iterable[Document], together: Declarations, broken: list[InputError] | None
) -> list[RulePack]:
    """Each parsed pack compiled, naming ``actions`` (those of the packs loaded with it); with
    ``broken``, one that does not compile is added there and the others still compile."""
    packs = []
    for doc in docs:
        try:
            packs.append(compile_pack(doc, together))
        except InputError as exc:
            if broken is None:
                raise
            broken.extend(getattr(exc, "errors", [exc]))
    return packs


def sharing_declarations(packs: list[RulePack], broken: list[InputError] | None) -> list[RulePack]:
    """``packs``, whose fields and actions make one vocabulary: a pack declaring a field or an
    action an earlier one declares differently is an error at its declaration, naming the
    earlier one's. With ``broken``, such a pack is added there and left out, and the others
    are kept (a load error like any other); else the error is raised. Cost: one vocabulary
    when they agree; one per pack, of the packs kept before it, when they do not."""
    try:
        vocabulary_of(packs)
        return packs
    except InputError:
        if broken is None:
            raise
    kept: list[RulePack] = []
    for pack in packs:
        try:
            vocabulary_of([*kept, pack])
        except InputError as exc:
            broken.extend(getattr(exc, "errors", [exc]))
        else:
            kept.append(pack)
    return kept


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


def load_pack(path: str | Path, others: Declarations = NOTHING) -> RulePack:
    """The pack file at ``path``, naming the actions and fields ``others`` declares (``beside``
    gives those of its rules folder's other packs); by default, its own alone."""
    return compile_pack(load_document(path), others)


def compile_pack(doc: Document, together: Declarations) -> RulePack:
    """The parsed pack ``doc`` validated and compiled; its expressions may name the actions of
    the packs loaded with it (``together``) besides its own and the built-in ones, and its
    fields extend their enums."""
    data = pack_validator().validate_all(doc)
    own = data["pack"]["id"]
    return PackCompiler(doc, data, together.without(own)).compile()


class PackCompiler:
    """Turns validated pack data into a ``RulePack``, keeping a position for every error."""

    def __init__(self, doc: Document, data: dict[str, Any], others: Declarations = NOTHING) -> None:
        self.doc = doc
        self.data = data
        self.others = others  # what the packs loaded with it declare
        self.folder = Path(doc.path).parent
        self.article = data["pack"]["article"]
        self.citations: list[Citation] = []
        self.found: list[InputError] = []  # the errors of entries compiled so far

    def compile(self) -> RulePack:
        meta = self.data["pack"]
        self.fields = compile_fields(self)
        self.borrowed = borrowed_fields(self)
        self.actions = compile_actions(self)
        # the other packs' fields first: one this pack declares differently is the error, here
        own = Vocabulary.of((*self.borrowed, *self.fields), self.actions)
        named = {n: d.pack for n, d in self.others.actions.items() if n not in own.actions}
        self.vocabulary = replace(
            own,
            named_actions=named,
            unloaded_action=unloaded_action,
            unloaded_key=unloaded_event_field,
        )
        self.scopes = Scopes(self.vocabulary)
        self.binding = self.scopes.binding
        self.event = self.scopes.event
        self.fields = tuple(field_default(self, f) for f in self.fields)
        check_user_defaults(self)
        outcomes = {
            name: compile_outcome(self, name, spec) for name, spec in self.data["outcomes"].items()
        }
        self.outcomes = outcomes
        # every independent error at once: each table, procedure and rule compiles on its own,
        # and rules (which read tables and procedures) only when those compiled
        self.tables: dict[str, DecisionTable] = {}  # compiled so far (``table_of``)
        self.compiling: list[str] = []  # the tables being compiled, each reading the next
        tables = self._unique_ids("tables", self._table)
        self.tables = tables
        procedures = self._unique_ids(
            "procedures", lambda at, raw: compile_procedure(self, at, raw)
        )
        self.procedures = procedures
        self._raise_found()
        rules = list(
            self._unique_ids("rules", lambda at, raw: compile_rule(self, at, raw)).values()
        )
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

    def lender(self, doc: Document) -> PackCompiler | None:
        """A compiler of another loaded pack's file ``doc``, whose fields this pack reads
        (``borrowed_fields``); None when the file is no valid pack (its own load says why)."""
        try:
            return PackCompiler(doc, pack_validator().validate_all(doc), self.others)
        except InputError:
            return None

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

    def _table(self, at: Pointer, raw: dict[str, Any]) -> DecisionTable:
        """Table ``raw`` compiled (once: an input of a table before it may have compiled it)."""
        if raw["id"] not in self.tables:
            self.compiling.append(raw["id"])
            try:
                self.tables[raw["id"]] = compile_table(self, at, raw)
            finally:
                self.compiling.pop()
        return self.tables[raw["id"]]

    def table_of(self, pointer: Pointer, id: str) -> DecisionTable:
        """The table ``id`` that an input at ``pointer`` reads, compiled first if it comes
        later (its errors, at their places, are the reading table's too, and said once); a
        table that reads itself, through others or not, is an error at the input."""
        if id in self.compiling:
            path = " -> ".join([*self.compiling[self.compiling.index(id) :], id])
            raise self.fail(pointer, f"tables read each other in a circle: {path}")
        raws = self.data.get("tables", [])
        ids = [raw["id"] for raw in raws]
        if id not in ids:
            raise self.fail(pointer, f"unknown table '{id}'{did_you_mean(id, ids)}")
        return self._table(("tables", ids.index(id)), raws[ids.index(id)])

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
            # an error of a table another reads is found through each: said once
            once = {(e.path, e.line, e.column, e.message): e for e in self.found}
            raise InputErrors(sorted(once.values(), key=lambda e: (e.line, e.column)))

    def part_cite(
        self, rule: str, pointer: Pointer, parent: dict[str, Any], own: dict[str, Any] | None
    ) -> Citation | None:
        """The citation of a table row or a procedure step (``own``, written at ``pointer``):
        its item, in its own section when it names one, else its table's or procedure's
        (``parent``); None when it cites nothing. A citation whose section neither it nor its
        parent names is an error at it, not a citation dropped without a word."""
        if own is None:
            return None
        section = own.get("section", parent.get("section"))
        if section is None:
            message = (
                "this citation names no section, nor does its table's or procedure's 'cites': "
                "give it 'section:', or the table or procedure 'cites: {section: …}'"
            )
            raise self.fail(pointer, message)
        return Citation(
            rule=rule,
            article=parent.get("article", self.article),
            section=section,
            location=self.loc(pointer),
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

    def places(
        self, rule: str, pointer: Pointer, spec: dict[str, Any] | list[dict[str, Any]]
    ) -> tuple[Citation, ...]:
        """A rule's ``cites``: one place, or a list of places (each at its own position)."""
        return tuple(
            citation
            for at, one in places(pointer, spec)
            if (citation := self.cite(rule, at, one)) is not None
        )

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
            raise self.fail(pointer, not_an_outcome_value(name, spec, raw))
        if isinstance(raw, str):
            expr = self.expr(pointer, names)
            computed = Value(
                expr=expr,
                allowed=tuple(spec.values) if spec.type in ("enum", "list") else (),
                location=self.loc(pointer),
                outcome=name,
                integer=spec.type == "integer",
            )
            if expr.names or not expected:
                return computed
            raw = expr({})  # a constant: its type is known now
            if spec.type == "integer" and isinstance(raw, float) and raw.is_integer():
                return computed  # 6 / 2 is 3
            if isinstance(raw, expected) and not (spec.type == "integer" and isinstance(raw, bool)):
                self.elements(pointer, name, raw, in_place=False)
                return computed
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
                raise self.fail(at, not_an_outcome_value(name, spec, str(element)))

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

    def each(
        self, pointer: Pointer, raw: dict[str, Any], names: Shapes, owner: str, estate: bool = False
    ) -> Shapes:
        """``names`` with the list field that ``raw``'s ``each`` names narrowed to one element
        (a rule or step judged once per element reads it under the field's name); ``owner``
        says whose field it must be. With ``estate`` (a sequence step) it may name a list of
        assignments the step sees of the estate (``ESTATE_LISTS``): once per assignment."""
        each = raw.get("each")
        if each is None:
            return names
        seen = SEEN.keys() - set(ESTATE_LISTS) if estate else SEEN
        if each not in names or each in seen:
            hint = did_you_mean(each, [n for n in names if n not in seen])
            raise self.fail((*pointer, "each"), f"unknown {owner} field '{each}'{hint}")
        shape = names[each]
        if not isinstance(shape, ListOf):
            raise self.fail((*pointer, "each"), f"'{each}' is {shape}, not a list field")
        return {**names, each: shape.item}


WORD = re.compile(r"[A-Za-z_][\w-]*")  # a value written bare: no name in scope, no operator
CONSTANTS = ("true", "false", "null")
