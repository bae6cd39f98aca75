"""Examples that teach: a passing example passes every rule, and each failing one has its fix.

A rule's page shows a failing example and, as "Use instead", that example fixed: a passing
example that names it with ``fixes:``. So a rule with passing examples none of which fixes a
failing one has nothing to show (KB-RULES-016; but an info rule with no ``fix`` states a
consequence, with nothing to fix), and ``fixes:`` must name a failing example of
the same rule. A passing example is run through every rule of every pack: a finding of another
rule means the example teaches a deployment the article forbids (KB-RULES-015), unless the
example lists that rule in ``breaks:`` (a passing example that exists to show the rule stays
quiet where another speaks; a "Use instead" example may list only rules that state a
consequence, info rules with no ``fix``, which mark no mistake; an entry the rule does not
report is itself KB-RULES-015, at the entry), or the rule that reports it
names the example's pack in ``flags_examples_of`` (a procedure every plan adding a user must
follow reports the shorter plans of other articles: their owners need not edit each example).
Each example file is read and checked once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError, did_you_mean
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.pack.document import PackSource
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Example, Rule, RulePack
from kb_lint.review.check import Check

PASSING_EXAMPLE_BREAKS_A_RULE = Check(
    id="KB-RULES-015",
    name="passing-example-breaks-a-rule",
    severity="error",
    what="An example that must pass its rule but that another rule, of any pack, reports; a "
    "`breaks:` entry that accepts no finding (the rule does not report the example, or the "
    "example does not expect pass); on a 'Use instead' example (one with `fixes:`), a "
    "`breaks:` entry naming a rule that marks a mistake (anything but an info rule with no "
    "`fix`, which states a consequence); or a `flags_examples_of` entry that accepts no "
    "finding.",
    why="A passing example is shown to readers as a deployment to copy. One that another rule "
    "rejects teaches the very mistake the article forbids.",
    example="examples:\n  - {file: examples/two-instances-same-names.yaml, expect: pass}\n"
    "  # KB105-001 reports it: two instances sync one user\n",
    fix="Fix the example so that every rule passes it; or, for an example that shows the rule "
    "staying quiet where another speaks, list that rule in `breaks:` (and remove the entry "
    "once the rule no longer reports it). A new rule that reports "
    "the shorter plans of other articles on purpose names their packs in its own "
    "`flags_examples_of`, instead of an edit to each of their examples.",
)
MISSING_FIX = Check(
    id="KB-RULES-016",
    name="missing-fix",
    severity="error",
    what="A rule with failing examples but no passing example that `fixes:` one of them, or a "
    "`fixes:` that names no failing example of the same rule. An info rule with no `fix` "
    "states a consequence (what Riva will do), with nothing to fix: it needs no such example.",
    why="The rule's page shows its failing example and, as 'Use instead', the same deployment "
    "fixed, as a diff: the reader sees exactly what to change. An unrelated clean deployment "
    "teaches nothing about the mistake.",
    example="examples:\n  - {file: examples/two-policies.yaml, expect: fail}\n"
    "  - {file: examples/clean.yaml, expect: pass}   # no fixes: examples/two-policies.yaml\n",
    fix="Copy the failing example, correct it, and list the copy with `expect: pass` and "
    "`fixes:` naming the failing example's file.",
)


def check_fixes(source: PackSource) -> list[Finding]:
    findings: list[Finding] = []
    for rule in source.pack.rules:
        failing = {e.file.resolve() for e in rule.examples if e.expect == "fail"}
        fixed = set()
        for example in rule.examples:
            if example.fixes is None:
                continue
            if example.expect != "pass" or example.fixes.resolve() not in failing:
                findings.append(
                    MISSING_FIX.finding(
                        example.location,
                        f"example {example.file.name} of {rule.id}: fixes: must name a failing "
                        f"example of the same rule, and the example must pass",
                    )
                )
            else:
                fixed.add(example.fixes.resolve())
        passing = any(e.expect == "pass" for e in rule.examples)
        if failing and passing and not fixed and not _states_a_consequence(rule):
            # with no passing example, KB-RULES-006 says so
            findings.append(
                MISSING_FIX.finding(
                    rule.location,
                    f"rule {rule.id}: no passing example fixes one of its failing examples",
                )
            )
    return findings


def _states_a_consequence(rule: Rule) -> bool:
    """An info rule with no ``fix``: it says what Riva will do (an appointment before the hard
    start date never syncs), which is nothing to fix, so it has no "Use instead"."""
    return rule.severity == "info" and rule.fix is None


def check_passing_examples(sources: list[PackSource]) -> list[Finding]:
    """Every passing example of every pack, checked against every rule of every pack; a rule's
    ``flags_examples_of`` accepts its findings on the passing examples of the packs it names,
    and an entry that accepts none is reported."""
    packs = [source.pack for source in sources]
    rules = {rule.id: rule for pack in packs for rule in pack.rules}
    fired: dict[Path, dict[str, Finding] | None] = {}
    accepted: set[tuple[str, str]] = set()  # (rule, pack) pairs a flags_examples_of accepted
    findings: list[Finding] = []
    for pack in packs:
        for rule in pack.rules:
            for example in rule.examples:
                if example.expect != "pass":
                    continue
                if example.file not in fired:
                    fired[example.file] = _rules_fired(example.file, packs)
                allowed = {rule.id, *example.breaks}
                for other, finding in sorted((fired[example.file] or {}).items()):
                    if other in allowed:
                        continue
                    if other in rules and pack.id in rules[other].flags_examples_of:
                        accepted.add((other, pack.id))
                        continue
                    loc = finding.location
                    findings.append(
                        PASSING_EXAMPLE_BREAKS_A_RULE.finding(
                            example.location,
                            f"example {example.file.name} passes {rule.id} but {other} reports "
                            f"{loc.line}:{loc.column}: {finding.message}",
                        )
                    )
    return findings + list(_idle_flags(sources, accepted)) + list(_idle_breaks(sources, fired))


def _idle_flags(sources: list[PackSource], accepted: set[tuple[str, str]]) -> Iterator[Finding]:
    """Each ``flags_examples_of`` entry that accepts no finding: its pack is the rule's own
    (whose examples say ``breaks:``), is not loaded, or has no passing example the rule reports."""
    loaded = {source.pack.id for source in sources}
    for source in sources:
        for i, raw in enumerate(source.pack.data["rules"]):
            for j, pack_id in enumerate(raw.get("flags_examples_of", ())):
                if pack_id == source.pack.id:
                    why = "its own pack: list the rule in `breaks:` of the examples it reports"
                elif pack_id not in loaded:
                    why = f"no loaded pack has this id{did_you_mean(pack_id, loaded)}"
                elif (raw["id"], pack_id) not in accepted:
                    why = f"{raw['id']} reports none of its passing examples: remove it"
                else:
                    continue
                yield PASSING_EXAMPLE_BREAKS_A_RULE.finding(
                    source.at(("rules", i, "flags_examples_of", j)),
                    f"flags_examples_of {pack_id}: {why}",
                )


def _idle_breaks(
    sources: list[PackSource], fired: dict[Path, dict[str, Finding] | None]
) -> Iterator[Finding]:
    """Each ``breaks:`` entry that accepts no finding, at the entry: on an example that is not
    expected to pass, naming no rule of its loaded pack, or a rule that does not report the
    example (an entry naming a pack that is not loaded, its pack checked alone, is not judged; a
    stale entry would hide that the rule stopped firing); and each entry of a 'Use instead'
    example (``fixes:``) whose rule marks a mistake: the fix may carry a consequence only (an
    info rule with no ``fix``, ``_states_a_consequence``: what Riva will do, nothing to undo)."""
    rules = {rule.id: rule for source in sources for rule in source.pack.rules}
    loaded = {source.pack.id for source in sources}
    for source in sources:
        for i, rule in enumerate(source.pack.rules):
            for k, example in enumerate(rule.examples):
                for j, other in enumerate(example.breaks):
                    why = _idle_break(example, other, rules, loaded, fired.get(example.file))
                    if why is not None:
                        yield PASSING_EXAMPLE_BREAKS_A_RULE.finding(
                            source.at(("rules", i, "examples", k, "breaks", j)),
                            f"example {example.file.name} of {rule.id}: breaks {other}: {why}",
                        )


def _idle_break(
    example: Example,
    other: str,
    rules: dict[str, Rule],
    loaded: set[str],
    fired: dict[str, Finding] | None,
) -> str | None:
    """Why the ``breaks:`` entry ``other`` of ``example`` has no place there (None: it has, or
    it names a rule of a pack that is not loaded)."""
    if example.expect != "pass":
        return f"breaks: lists what a passing example breaks; this one expects {example.expect}"
    if other.rsplit("-", 1)[0] not in loaded:  # its pack checked alone: not judged here
        return None
    if other not in rules:
        return f"its pack has no such rule{did_you_mean(other, rules)}"
    if fired is None:  # the example cannot be read: KB-RULES-007 says so
        return None
    if other not in fired:
        return f"{other} does not report the example: remove the entry"
    if example.fixes is not None and not _states_a_consequence(rules[other]):
        marks = "has a fix" if rules[other].fix is not None else f"is {rules[other].severity}"
        return (
            f"the example is shown as 'Use instead', and {other} {marks}: it marks a mistake "
            "in the fix; only a consequence (an info rule with no fix) may be listed on it"
        )
    return None


def _rules_fired(file: Path, packs: list[RulePack]) -> dict[str, Finding] | None:
    """The first finding of each rule that reports the deployment (None when it cannot be
    read: KB-RULES-007 reports that)."""
    try:
        found = check_deployment(read_deployment(file, vocabulary_of(packs)), packs)
    except InputError:
        return None
    first: dict[str, Finding] = {}
    for finding in found:
        first.setdefault(finding.rule, finding)
    return first
