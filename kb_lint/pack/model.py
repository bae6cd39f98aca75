"""The rule-pack model: what ``rules/*/pack.yaml`` holds once loaded and compiled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb_lint.citations import Citation
from kb_lint.errors import InputError, not_a_value
from kb_lint.expr import Expr
from kb_lint.findings import Location, RuleInfo
from kb_lint.model.fields import Action, Field

if TYPE_CHECKING:
    from kb_lint.pack.claims import Claim


@dataclass(frozen=True)
class Template:
    """A message with ``{expression}`` placeholders; ``{{`` and ``}}`` stand for braces."""

    source: str
    parts: tuple[str | Expr, ...]

    def render(self, env: dict[str, Any]) -> str:
        """The message for ``env``."""
        if self.fixed is not None:
            return self.fixed
        return "".join([p if isinstance(p, str) else shown(p(env)) for p in self.parts]).strip()

    @cached_property
    def fixed(self) -> str | None:
        """The message, when it has no placeholder: the same for every subject."""
        if all(isinstance(p, str) for p in self.parts):
            return "".join(self.parts).strip()
        return None


def shown(value: Any) -> str:
    """A placeholder's value as a message writes it: a list's items joined by commas."""
    if type(value) is str:  # most are
        return value
    if isinstance(value, list | tuple):
        return ", ".join(map(_scalar, value))
    return _scalar(value)


def _scalar(value: Any) -> str:
    """A value as messages write it: ``true``, ``false``, "not given" for null (a field the
    deployment leaves out, say: never blank text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "not given" if value is None else str(value)


def sorted_list(value: Any) -> Any:
    """A list outcome in one order, whatever order it was written or built in: lists are
    compared as sets of values (claims, examples, the simulator), so they are compared and
    shown in this order."""
    return sorted(value, key=lambda v: (str(type(v)), v)) if isinstance(value, list) else value


def list_text(value: Any) -> str:
    """A list outcome as every report and page writes it: its elements in the order they are
    compared in (``sorted_list``), joined by commas."""
    return ", ".join(map(str, sorted_list(list(value))))


@dataclass(frozen=True)
class OutcomeField:
    """What a pack predicts: ``type`` is boolean, integer, list, enum (one of ``values``, merged
    by their order: ``max`` takes the latest) or text."""

    name: str
    type: str
    merge: str
    default: Any
    describe: str = ""
    values: tuple[Any, ...] = ()
    label: str = ""

    @property
    def heading(self) -> str:
        """A short name for table headers: the label, else the description, else the name."""
        return self.label or self.describe or self.name.replace("_", " ")


def not_an_outcome_value(name: str, spec: OutcomeField, raw: str) -> str:
    """A bare word that is neither one of an outcome's values nor a name in scope."""
    if spec.type == "boolean":
        return not_a_value(raw, name, (True, False))
    if spec.values:
        return not_a_value(raw, name, spec.values)
    return f"'{raw}' is not a value of {name} (a {spec.type}, or an expression)"


@dataclass(frozen=True)
class Value:
    """An outcome value: a literal, or an expression evaluated on the subject. An expression of
    an enum or of a list with ``values`` (``allowed``) that gives another value, or of an
    ``integer`` outcome that gives anything but a whole number (3.0 is 3), is an error at the
    expression (``location``) naming the values it read, never an outcome the pack does not
    have."""

    literal: Any = None
    expr: Expr | None = None
    allowed: tuple[Any, ...] = ()
    location: Location | None = field(default=None, compare=False)
    outcome: str = ""
    integer: bool = False

    def __call__(self, env: dict[str, Any]) -> Any:
        if self.expr is None:
            return self.literal
        got = self.expr(env)
        if self.integer and got is not None and self.location is not None:
            return self._whole(got, env)
        if self.allowed and self.location is not None:
            wrong = [v for v in (got if isinstance(got, list) else [got]) if v not in self.allowed]
            if wrong and got is not None:
                said = not_a_value(wrong[0], f"outcome {self.outcome}", self.allowed)
                raise InputError.at(self.location, f"{said}: the expression gave it")
        return got

    def _whole(self, got: Any, env: dict[str, Any]) -> int:
        """``got`` as the integer it is (3.0 is 3); anything else is an error at the
        expression, naming the subject by the values the expression read."""
        if isinstance(got, int) and not isinstance(got, bool):
            return got
        if isinstance(got, float) and got.is_integer():
            return int(got)
        assert self.expr is not None and self.location is not None
        read = ", ".join(f"{name}={_shown(env.get(name))}" for name in sorted(self.expr.names))
        message = (
            f"outcome {self.outcome} is an integer, but the expression gave {got!r} for the "
            f"subject with {read or 'no values read'}: round it with ceil(), floor() or round()"
        )
        raise InputError.at(self.location, message)


def _shown(value: Any, limit: int = 60) -> str:
    """A value as an error message quotes it, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Input:
    """A table's input: an expression over the subject (``expr``), or another table's outcome
    for the same subject (``table``'s ``outcome``; its ``default`` where the row matched gives
    none), whose values are those that table's rows can give."""

    name: str
    label: str
    expr: Expr | None
    values: tuple[Any, ...]
    location: Location
    says: str = ""
    # The values of the enum field the input reads as it is (a name, or a path of keys into
    # records); empty when it computes its value. ``rules check`` reports those it leaves out.
    field_values: tuple[Any, ...] = ()
    table: DecisionTable | None = None
    outcome: str = ""
    default: Any = None

    @property
    def source(self) -> str:
        """What the input reads, as the pack writes it: its expression, or the other table's
        outcome (``table cap-effect, outcome cap_ignored``)."""
        if self.table is not None:
            return f"table {self.table.id}, outcome {self.outcome}"
        assert self.expr is not None
        return self.expr.source


@dataclass(frozen=True)
class Row:
    number: int
    when: dict[str, tuple[Any, ...]]
    then: dict[str, Value]
    location: Location
    cites: Citation | None = None  # the row's own place: its section, or its table's
    note: str = ""
    says: dict[str, str] = field(default_factory=dict)

    def matches(self, facts: dict[str, Any]) -> bool:
        return all(facts[name] in allowed for name, allowed in self.when.items())


@dataclass(frozen=True)
class DecisionTable:
    """Conditions to outcomes about one ``subject``: a ``group`` of bindings (an overlap, read
    as ``bindings``), or one ``policy``, ``instance``, ``binding`` or ``event`` (its fields read
    by name). ``reads`` is every field it reads (None when an expression computes a key), so one
    subject's prediction serves every subject that agrees on those fields: ``predicted`` keeps
    them."""

    id: str
    title: str
    hit_policy: str
    inputs: tuple[Input, ...]
    rows: tuple[Row, ...]
    location: Location
    partition: str | None = None
    cites: Citation | None = None
    reads: tuple[str, ...] | None = None
    subject: str = "group"
    predicted: dict[Any, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    explained: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    decided: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    # the rows each tuple of input values matches (they depend on nothing else)
    matched: dict[tuple, list[Any]] = field(default_factory=dict, compare=False, repr=False)
    outcomes: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    # each input's value by the part of a group's signature it reads (``engine.outcome``)
    facts: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def scope(self, subject: Any) -> dict[str, Any]:
        """What the table's expressions see for ``subject``: a group's bindings under
        ``bindings``, one subject's fields by name."""
        return {"bindings": subject} if self.subject == "group" else subject

    def expressions(self) -> list[Expr]:
        """Every expression the table evaluates: its inputs' and its cells', and those of the
        tables its inputs read."""
        return table_expressions(self.inputs, self.rows)

    def read_tables(self) -> list[str]:
        """The ids of the tables its inputs read, and of those they read in turn."""
        found: list[str] = []
        for spec in self.inputs:
            if spec.table is not None:
                found += [spec.table.id, *spec.table.read_tables()]
        return list(dict.fromkeys(found))

    def signature(self, subject: Any) -> Any:
        """What the table's prediction for ``subject`` (a group's list of bindings, or one
        subject's fields) depends on, or None if that is unknown."""
        if self.reads is None:
            return None
        if self.subject != "group":
            return self.row_signature(subject)
        return tuple(map(self.row_signature, subject))

    def row_signature(self, env: dict[str, Any]) -> tuple[Any, ...]:
        """The fields the table reads of one subject (or one binding of a group)."""
        return tuple(map(hashable, map(env.get, self.reads or ())))


def table_expressions(inputs: Iterable[Input], rows: Iterable[Row]) -> list[Expr]:
    """A table's inputs' expressions (of an input reading another table: that table's) and
    its cells' (those computed on the subject)."""
    read = [e for i in inputs for e in ([i.expr] if i.table is None else i.table.expressions())]
    return read + [v.expr for row in rows for v in row.then.values() if v.expr is not None]


_SCALARS = frozenset({str, bool, int, float, type(None), tuple})


def hashable(value: Any) -> Any:
    """``value`` as a dict key or set member: lists (data types) become tuples, records
    (structured fields) tuples of their items."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, list):
        if set(map(type, value)) <= _SCALARS:  # data types: a tuple at C speed
            return tuple(value)
        return tuple(hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, hashable(v)) for k, v in value.items())
    return value


@dataclass(frozen=True)
class Step:
    number: int
    id: str
    text: str
    action: str
    location: Location
    match: Expr | None = None
    done: Expr | None = None
    covers: frozenset[str] = frozenset()
    residue: dict[str, Value] = field(default_factory=dict)
    residue_table: str | None = None
    item: int = 0  # the step it is or is a bullet of: its one place (``Procedure.place``)
    part: int = 0  # of a step done in the order written (``in_order``): 1, 2, ... (2a, 2b)
    says: dict[str, str] = field(default_factory=dict)
    applies: Expr | None = None  # the step is part of the move (over source and target)
    each: str | None = None  # match reads one element of this list field of the event
    cites: tuple[Citation, ...] = ()  # every place it cites: its procedure's section, others

    @property
    def rank(self) -> tuple[int, int]:
        """Its place in the procedure's order: the bullets of one step share it, the parts of
        a step done in the order written (``in_order``) follow one another."""
        return (self.item, self.part)


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    steps: tuple[Step, ...]
    location: Location
    applies: Expr | None = None
    cites: Citation | None = None
    says: str = ""
    change: str = "move"  # the change step: a move between two bindings, or any "event"
    change_at: int = -1  # the change's step (``change: true``; by default the last)

    @property
    def trigger(self) -> Step:
        """The change: the step the steps before it must come before, and the steps after it
        after (the last step, unless another says ``change: true``)."""
        return self.steps[self.change_at]

    @property
    def before(self) -> tuple[Step, ...]:
        """The steps done before the change, in order."""
        return self.steps[: self.change_at % len(self.steps)]

    @property
    def after(self) -> tuple[Step, ...]:
        """The steps done after the change, in order, before the next change of its subject."""
        return self.steps[self.change_at % len(self.steps) + 1 :]

    def elsewhere(self, step: Step) -> tuple[Citation, ...]:
        """The step's citations of other sections than the procedure's (items of them, not
        steps of the procedure: the Expected Challenge a step prevents)."""
        mine = self.cites
        return tuple(c for c in step.cites if mine is not None and c.section != mine.section)

    def own_step(self, step: Step) -> bool:
        """The step is said as a step of the procedure's section: it cites an item of it, or
        nothing (its place then follows the step before it)."""
        return not step.cites or len(self.elsewhere(step)) < len(step.cites)

    def place(self, step: Step) -> str:
        """Where the article (or, for a procedure of the pack's own, its ``step`` numbers) puts
        the step: "step 1", "step 3, bullet 2" for one of the bullets of a step (the pack's
        steps that cite one item, or name one step), "step 2b" for the second part of a step
        done in the order written (``in_order``); computed once, when the pack loads
        (``kb_lint.pack.procedures``)."""
        if step.part:
            return f"step {step.item}{chr(ord('a') + step.part - 1)}"
        bullets = [s for s in self.steps if s.item == step.item]
        if len(bullets) == 1:
            return f"step {step.item}"
        return f"step {step.item}, bullet {bullets.index(step) + 1}"


@dataclass(frozen=True)
class Example:
    """A deployment the rule must flag (``fail``), must not flag (``pass``), or is known to miss
    (``miss``: the article says it is wrong, the rule cannot see it yet; ``reason`` says why)."""

    file: Path
    expect: str
    location: Location
    outcome: dict[str, Any] | None = None
    fixes: Path | None = None
    breaks: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class PatternStep:
    """One event of a timeline pattern: its ``action``, named ``name`` for later steps."""

    name: str
    action: str
    location: Location
    where: Expr | None = None
    absent: bool = False  # an event that must not happen between the steps around it
    each: str | None = None  # met once per element of this list field of the event
    # an absent group (``pattern:`` under ``absent: true``; no name, action nor where of its
    # own): these steps, in this order, must not all happen between the steps around it
    group: tuple[PatternStep, ...] = ()

    def steps(self) -> tuple[PatternStep, ...]:
        """The step itself, or an absent group's steps."""
        return self.group or (self,)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title: str
    severity: str
    summary: str
    why: str
    message: Template
    location: Location
    cites: tuple[Citation, ...]  # every place it rests on; the first is the rule's own
    examples: tuple[Example, ...]
    fix: Template | None = None
    procedures: tuple[str, ...] = ()
    predict: str | None = None
    outcome: dict[str, Value] | None = None
    where: Expr | None = None
    key: tuple[str, ...] = ()
    over: str = "bindings"
    distinct: str | None = None
    when: Expr | None = None
    each: str | None = None  # check, exclusivity: judged per element of this list field
    pattern: tuple[PatternStep, ...] = ()  # sequence: the ordered events it matches
    refines: tuple[str, ...] = ()  # rules of other packs it adds detail to
    supersedes: tuple[str, ...] = ()  # rules (any pack's) it replaces where both fire
    flags_examples_of: tuple[str, ...] = ()  # packs whose passing examples it reports
    since: str | None = None
    changed: str | None = None
    fingerprint: str | None = None
    says: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def pattern_steps(self) -> list[PatternStep]:
        """Every event step of the pattern, an absent group's steps in its place."""
        return [one for step in self.pattern for one in step.steps()]

    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.title, self.severity, self.summary)

    def expressions(self) -> list[Expr]:
        """Every expression of the rule itself: its conditions (its pattern's steps'), the
        placeholders of its message and fix, and its outcome's."""
        found = [e for e in (self.where, self.when) if e is not None]
        found += [step.where for step in self.pattern_steps() if step.where is not None]
        for template in (self.message, self.fix):
            if template is not None:
                found += [part for part in template.parts if not isinstance(part, str)]
        found += [v.expr for v in (self.outcome or {}).values() if v.expr is not None]
        return found


@dataclass(frozen=True)
class Assumption:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Simulation:
    """The model that simulates a pack's deployments, and the outcomes it measures."""

    model: str
    measures: tuple[str, ...]
    grid: Path | None = None  # the pack's sweep grid file (kb_lint.simulate.grid)
    reason: str = ""  # what the model leaves out


@dataclass
class RulePack:
    id: str
    article: int
    title: str
    revision: int
    updated: str
    version: str
    path: Path
    source: Path | None
    assumptions: list[Assumption]
    outcomes: dict[str, OutcomeField]
    tables: dict[str, DecisionTable]
    procedures: dict[str, Procedure]
    rules: list[Rule]
    history: list[dict[str, Any]]
    citations: list[Citation]
    data: dict[str, Any]
    fields: tuple[Field, ...] = ()
    actions: tuple[Action, ...] = ()
    simulation: Simulation | None = None
    no_model: str = ""  # with ``simulation: {model: none}``: why no model simulates the pack
    origin: str = ""  # where it was loaded from: shipped, installed, or a folder
    claims: tuple[Claim, ...] = ()  # the article's statements (kb_lint.pack.claims)
    # the assumptions deciding each (section, key), as ``kb_lint.pack.claims.deciding`` found
    deciding: dict[tuple[str, int | str], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def predicts(self, rule: Rule) -> tuple[str, ...]:
        """The outcome fields ``rule`` predicts, in the order the pack declares them: those a
        row of its table (``predict:``) sets, those of its fixed ``outcome``, or those a step
        of its procedures leaves behind (``residue``, or its residue table's rows)."""
        tables = [rule.predict] if rule.predict is not None else []
        named: set[str] = set(rule.outcome or {})
        for procedure in (self.procedures[p] for p in rule.procedures if p in self.procedures):
            for step in procedure.steps:
                named.update(step.residue)
                tables += [step.residue_table] if step.residue_table is not None else []
        for table in (self.tables[t] for t in tables if t in self.tables):
            named.update(name for row in table.rows for name in row.then)
        return tuple(name for name in self.outcomes if name in named)
