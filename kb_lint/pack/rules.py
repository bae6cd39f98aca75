"""A pack's rules: each compiled from its validated entry against the pack's vocabulary,
tables and procedures, with the position of every error; a key its kind does not read is
refused where it is written. Cost: one pass over each rule's keys, expressions and examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kb_lint.errors import InputErrors, did_you_mean
from kb_lint.expr import Expr
from kb_lint.expr.shapes import ListOf, Shape
from kb_lint.model.fields import BUILTIN_ACTIONS
from kb_lint.pack.declared import unloaded_action
from kb_lint.pack.model import Example, PatternStep, Rule, not_an_outcome_value
from kb_lint.pack.scopes import SINGULAR

if TYPE_CHECKING:
    from kb_lint.load import Pointer
    from kb_lint.pack.load import PackCompiler

Shapes = dict[str, Shape]

# The keys every rule has, and those each kind reads: any other key is refused where it is.
COMMON_KEYS = frozenset(
    {"id", "kind", "title", "severity", "cites", "summary", "why", "since", "changed"}
    | {"message", "fix", "examples", "refines", "supersedes", "fingerprint", "says"}
    | {"flags_examples_of"}
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


def _predicts(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any], table_id: str) -> None:
    """A rule's ``predict`` names a table about the rule's subject: a group for an
    exclusivity rule, the subject it judges for a check rule."""
    table = compiler.tables.get(table_id)
    if table is None:
        hint = did_you_mean(table_id, compiler.tables)
        raise compiler.fail((*pointer, "predict"), f"unknown table '{table_id}'{hint}")
    over = raw.get("over", "bindings")
    wanted = "group" if raw["kind"] == "exclusivity" else SINGULAR[over]
    if table.subject != wanted:
        judged = "groups" if wanted == "group" else over
        raise compiler.fail(
            (*pointer, "predict"),
            f"table '{table_id}' predicts for a {table.subject}, and this rule judges "
            f"{judged}: give the table 'subject: {wanted}'",
        )


def compile_rule(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> Rule:
    rid = raw["id"]
    prefix = compiler.data["pack"]["id"]
    if not rid.startswith(f"{prefix}-"):
        raise compiler.fail(
            (*pointer, "id"), f"rule id '{rid}' must start with the pack id '{prefix}-'"
        )
    kind = raw["kind"]
    a_kind = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} rule"
    wrong = [
        compiler.fail(pointer, f"{a_kind} needs '{name}'")
        for name in NEEDS[kind]
        if not raw.get(name)
    ]
    if kind == "check" and not raw.get("when") and not raw.get("predict"):
        message = (
            "a check rule needs 'when', or 'predict' alone (it then fires where its table "
            "predicts more than the outcomes' defaults)"
        )
        wrong.append(compiler.fail(pointer, message))
    for name in compiler.written(pointer):
        if name not in COMMON_KEYS and name not in KEYS[kind]:
            readers = [k for k, keys in KEYS.items() if name in keys]
            message = f"{a_kind} does not read '{name}' (only {' and '.join(readers)} rules do)"
            wrong.append(compiler.fail((*pointer, name), message))
    if wrong:  # every key of the rule that is missing or read by no one, at once
        raise InputErrors(wrong)
    if "predict" in raw and "outcome" in raw:
        raise compiler.fail(
            (*pointer, "outcome"),
            "a rule predicts with 'predict' (a table) or 'outcome', not both",
        )
    pattern: tuple[PatternStep, ...] = ()
    where = None
    change = _changes(compiler, pointer, raw)
    if kind == "exclusivity":
        where, names = _exclusivity(compiler, pointer, raw)
    elif kind == "check":
        names = compiler.each(
            pointer, raw, compiler.scopes.subject(raw["over"]), SINGULAR[raw["over"]]
        )
        where = compiler.expr((*pointer, "where"), names) if "where" in raw else None
    elif kind == "sequence":
        pattern, names = _pattern(compiler, pointer, raw["pattern"])
    else:
        names = compiler.scopes.procedure_rule(change)
    table = raw.get("predict")
    if table is not None:
        _predicts(compiler, pointer, raw, table)
    examples = tuple(
        _example(compiler, (*pointer, "examples", i), e) for i, e in enumerate(raw["examples"])
    )
    return Rule(
        id=rid,
        kind=kind,
        title=raw["title"],
        severity=raw["severity"],
        summary=raw["summary"],
        why=raw.get("why", ""),
        message=compiler.template((*pointer, "message"), names),
        location=compiler.loc(pointer),
        cites=compiler.places(rid, (*pointer, "cites"), raw["cites"]),
        examples=examples,
        fix=compiler.template((*pointer, "fix"), names) if "fix" in raw else None,
        procedures=tuple(raw.get("procedures", ())),
        predict=raw.get("predict"),
        outcome=compiler.outcome((*pointer, "outcome"), raw["outcome"], names)
        if "outcome" in raw
        else None,
        where=where,
        key=tuple(raw.get("key", ())),
        over=raw.get("over", "bindings"),
        distinct=raw.get("distinct"),
        when=compiler.expr((*pointer, "when"), names) if "when" in raw else None,
        each=raw.get("each"),
        pattern=pattern,
        refines=tuple(raw.get("refines", ())),
        supersedes=tuple(raw.get("supersedes", ())),
        flags_examples_of=tuple(raw.get("flags_examples_of", ())),
        since=raw.get("since"),
        changed=raw.get("changed"),
        fingerprint=raw.get("fingerprint"),
        says=compiler.says((*pointer, "says"), raw.get("says", {}), raw.get("outcome", {})),
        raw=raw,
    )


def _changes(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> str:
    """What the procedures a rule names end with (``change``), one kind for all those a
    procedure rule runs: its message reads the move or the change."""
    changes: dict[str, str] = {}
    for i, proc in enumerate(raw.get("procedures", [])):
        if proc not in compiler.procedures:
            raise compiler.fail(
                (*pointer, "procedures", i),
                f"unknown procedure '{proc}'{did_you_mean(proc, compiler.procedures)}",
            )
        change = compiler.procedures[proc].change
        if raw["kind"] == "procedure" and changes and change not in changes.values():
            first, other = next(iter(changes.items()))
            raise compiler.fail(
                (*pointer, "procedures", i),
                f"procedure '{proc}' ends with change: {change} and '{first}' with change: "
                f"{other}; a rule runs procedures of one kind of change (its message reads "
                "the move, or the change)",
            )
        changes[proc] = change
    return next(iter(changes.values()), "move")


def _example(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> Example:
    for name, value in raw.get("outcome", {}).items():
        at = (*pointer, "outcome", name)
        if name not in compiler.outcomes:
            raise compiler.fail(
                at, f"unknown outcome '{name}'{did_you_mean(name, compiler.outcomes)}"
            )
        spec = compiler.outcomes[name]
        if spec.type == "enum" and value not in spec.values:
            raise compiler.fail(at, not_an_outcome_value(name, spec, str(value)))
        if spec.type == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
            raise compiler.fail(at, f"outcome '{name}' is an integer, not {value!r}")
        compiler.elements(at, name, value)
    if raw["expect"] == "miss" and not raw.get("reason"):
        raise compiler.fail(pointer, "an example expected to be missed needs a 'reason'")
    if raw["expect"] != "miss" and "reason" in raw:
        expect = raw["expect"]
        message = f"'reason' says why an expect: miss example is missed, not expect: {expect}"
        raise compiler.fail((*pointer, "reason"), message)
    file = compiler.folder / raw["file"]
    if not file.is_file():
        raise compiler.fail((*pointer, "file"), f"example file not found: {raw['file']}")
    fixes = raw.get("fixes")
    if fixes is not None and not (compiler.folder / fixes).is_file():
        raise compiler.fail((*pointer, "fixes"), f"example file not found: {fixes}")
    return Example(
        file,
        raw["expect"],
        compiler.loc(pointer),
        raw.get("outcome"),
        reason=raw.get("reason", ""),
        fixes=(compiler.folder / fixes) if fixes is not None else None,
        breaks=tuple(raw.get("breaks", ())),
    )


def _exclusivity(
    compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]
) -> tuple[Expr | None, Shapes]:
    """The ``where`` of an exclusivity rule, and what its message, ``when`` and outcome see:
    the key's fields and the group (``bindings``)."""
    over = raw.get("over", "bindings")
    if over not in ("bindings", "policies"):
        raise compiler.fail(
            (*pointer, "over"), f"an exclusivity rule groups bindings or policies, not {over}"
        )
    subject = compiler.scopes.subject(over)
    if not raw.get("distinct") and not raw.get("when") and not raw.get("predict"):
        message = (
            "an exclusivity rule needs 'distinct' (at most one value per key), or, for a "
            "limit, 'when' (each group whose 'when' holds is a finding) or 'predict' alone "
            "(each group its table predicts more than the outcomes' defaults for)"
        )
        raise compiler.fail(pointer, message)
    for i, name in enumerate([*raw["key"], raw.get("distinct"), raw.get("each")]):
        if name is not None and name not in subject:
            where = (*pointer, "key", i) if i < len(raw["key"]) else (*pointer, "distinct")
            if name == raw.get("each"):
                where = (*pointer, "each")
            hint = did_you_mean(name, list(subject))
            raise compiler.fail(where, f"unknown {over[:-1]} field '{name}'{hint}")
    each = raw.get("each")
    if each is not None and not isinstance(subject[each], ListOf):
        raise compiler.fail((*pointer, "each"), f"'{each}' is {subject[each]}, not a list field")
    where = compiler.expr((*pointer, "where"), subject) if "where" in raw else None
    return where, compiler.scopes.exclusivity(over, tuple(raw["key"]), each)


def _pattern(
    compiler: PackCompiler, pointer: Pointer, steps: list[dict[str, Any]]
) -> tuple[tuple[PatternStep, ...], Shapes]:
    """A sequence rule's events, each named so that later ones can relate to it: a present
    step's ``where`` sees the present steps before it and its own; an absent step's sees
    the present steps around its gap (those before it, and the one after it), and its own,
    as the engine judges the gap once that step is met; a step of an absent group sees what
    an absent step there sees and the group's steps before it. The message sees the present
    steps."""
    needs = {
        **BUILTIN_ACTIONS,
        **{n: d.needs for n, d in compiler.others.actions.items()},  # of the packs loaded with it
        **{n: a.needs for n, a in compiler.vocabulary.actions.items()},
    }
    events = list(_event_steps(compiler, pointer, steps))
    names: list[str] = []
    for sp, spec in events:
        if spec["as"] in names:
            raise compiler.fail(
                (*sp, "as"), f"'{spec['as']}' names an earlier event of the pattern"
            )
        names.append(spec["as"])
    if all(spec.get("absent") for spec in steps):
        raise compiler.fail((*pointer, "pattern"), "a pattern needs a step that is not absent")
    own = {
        spec["as"]: compiler.event.having(
            compiler.each(
                sp,
                spec,
                dict(compiler.scopes.pattern_event(needs.get(spec["action"], ())).fields),
                "event",
                estate=True,
            )
        )
        for sp, spec in events
    }
    present: Shapes = {s["as"]: own[s["as"]] for s in steps if not s.get("absent")}
    found = []
    for i, spec in enumerate(steps):
        sp = (*pointer, "pattern", i)
        absent = bool(spec.get("absent"))
        visible = {s["as"]: own[s["as"]] for s in steps[:i] if not s.get("absent")}
        after = next((s for s in steps[i:] if not s.get("absent")), None)
        if absent and after is not None:  # the gap is judged when the step after it is met
            visible[after["as"]] = own[after["as"]]
        if "pattern" not in spec:
            visible[spec["as"]] = own[spec["as"]]
            found.append(_event_step(compiler, sp, spec, visible, needs))
            continue
        group = []
        for j, one in enumerate(spec["pattern"]):
            visible = {**visible, one["as"]: own[one["as"]]}  # and the group's steps before it
            group.append(_event_step(compiler, (*sp, "pattern", j), one, visible, needs, True))
        found.append(PatternStep("", "", compiler.loc(sp), absent=True, group=tuple(group)))
    return tuple(found), present


def _event_steps(
    compiler: PackCompiler, pointer: Pointer, steps: list[dict[str, Any]]
) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Each event step of the pattern with its place, an absent group's steps in its place. A
    step with no ``as`` or ``action``, and a group that is not ``absent: true``, says a key
    of its steps, or has fewer than two, are refused where written."""
    for i, spec in enumerate(steps):
        sp = (*pointer, "pattern", i)
        if "pattern" not in spec:
            missing = next((key for key in ("as", "action") if key not in spec), None)
            if missing is not None:
                raise compiler.fail(
                    sp, f"a step needs '{missing}' (an absent group: 'absent: true' and 'pattern')"
                )
            yield sp, spec
            continue
        if spec.get("absent") is not True:
            raise compiler.fail(
                (*sp, "absent") if "absent" in spec else sp,
                "a group of steps in a pattern is one that must not happen: give it "
                "'absent: true' (a step that must happen is one event, with 'as' and 'action')",
            )
        for key in ("as", "action", "where", "each"):
            if key in spec:
                raise compiler.fail(
                    (*sp, key), f"an absent group has no '{key}' of its own: its steps say theirs"
                )
        if len(spec["pattern"]) < 2:
            raise compiler.fail(
                (*sp, "pattern"),
                "an absent group is two or more steps in order; one event that must not happen "
                "is a step with 'absent: true'",
            )
        for j, one in enumerate(spec["pattern"]):
            yield (*sp, "pattern", j), one


def _event_step(
    compiler: PackCompiler,
    pointer: Pointer,
    spec: dict[str, Any],
    visible: Shapes,
    needs: dict[str, Any],
    absent: bool | None = None,
) -> PatternStep:
    """One event of the pattern: its action one of ``needs``, its ``where`` over ``visible``;
    a step of an absent group is ``absent``."""
    if spec["action"] not in needs:
        hint = did_you_mean(spec["action"], list(needs)) + unloaded_action(spec["action"])
        raise compiler.fail((*pointer, "action"), f"unknown action '{spec['action']}'{hint}")
    where = compiler.expr((*pointer, "where"), visible) if "where" in spec else None
    absent = bool(spec.get("absent")) if absent is None else absent
    return PatternStep(
        spec["as"], spec["action"], compiler.loc(pointer), where, absent, spec.get("each")
    )
