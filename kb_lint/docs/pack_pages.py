"""A rule pack's pages: overview, decision tables, procedures, assumptions, history, outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_lint.docs.citing import citation_link, item_link, quoted
from kb_lint.docs.coverage import coverage
from kb_lint.docs.escape import code, fenced, link, paragraphs, table, text, title
from kb_lint.docs.outcomes import field_label, outcome_rows, show, show_value
from kb_lint.docs.paths import (
    RULES_INDEX,
    pack_page,
    procedure_page,
    relative,
    table_page,
)
from kb_lint.docs.rule_pages import changed, rule_link, since
from kb_lint.docs.sources import ExampleCase, SiteSources
from kb_lint.engine.outcome import merge
from kb_lint.pack.model import DecisionTable, Procedure, RulePack, Step

HIT_POLICIES = {
    "unique": "exactly one row must match each case",
    "first": "the first matching row decides",
}


def render_overview(pack: RulePack, sources: SiteSources) -> str:
    page = pack_page(pack.id, "index")
    article = sources.article(pack.article)
    source = (
        link(f"KB article {text(pack.article)}", relative(page, article.page))
        if article
        else f"KB article {text(pack.article)}"
    )
    facts = [
        f"**Article:** {source}, {text(pack.title)}",
        f"**Article revision:** {text(pack.revision)}",
        f"**Article last updated:** {text(pack.updated)}",
        f"**Pack version:** {text(pack.version)}",
    ]
    pages = [
        (f"Rules ({len(pack.rules)})", RULES_INDEX),
        ("Overlap cases: predicted and simulated outcomes", pack_page(pack.id, "outcomes")),
        ("Stated assumptions", pack_page(pack.id, "assumptions")),
        ("Version history", pack_page(pack.id, "history")),
    ]
    parts = [
        f"# Rule pack {text(pack.id)}",
        "\n".join(f"- {fact}" for fact in facts),
        "\n".join(f"- {link(text(label), relative(page, target))}" for label, target in pages),
    ]
    if pack.tables:
        parts += [
            "## Decision tables",
            "\n".join(
                f"- {link(text(t.title), relative(page, table_page(pack.id, t.id)))}"
                for t in pack.tables.values()
            ),
        ]
    if pack.procedures:
        parts += [
            "## Procedures",
            "\n".join(
                f"- {link(text(p.title), relative(page, procedure_page(pack.id, p.id)))}"
                for p in pack.procedures.values()
            ),
        ]
    parts += [
        "## Outcomes",
        "What the rules of this pack predict about a deployment:",
        table(
            ["Outcome", "Type", "Combined by", "Default"],
            [
                [field_label(spec), text(spec.type), text(spec.merge), show(spec.default)]
                for spec in pack.outcomes.values()
            ],
        ),
    ]
    return "\n\n".join(parts) + "\n"


def render_table(pack: RulePack, decision: DecisionTable, sources: SiteSources) -> str:
    page = table_page(pack.id, decision.id)
    users = [r for r in pack.rules if r.predict == decision.id]
    parts = [f"# {title(decision.title)}"]
    facts = [f"Decision table {code(decision.id)} of {_pack_link(page, pack)}"]
    if decision.cites is not None:
        facts.append(f"encodes {citation_link(page, sources, decision.cites)}")
    if users:
        facts.append("decides the outcome of " + ", ".join(rule_link(page, r) for r in users))
    parts.append("; ".join(facts) + ".")
    policy = HIT_POLICIES.get(decision.hit_policy, "")
    parts.append(f"Hit policy {code(decision.hit_policy)}: {text(policy)}.")
    if decision.partition:
        parts.append(
            f"The table is applied to each value of {code(decision.partition)} separately "
            "(the bindings that share it), and the results are combined."
        )
    quote = quoted(sources, decision.cites) if decision.cites is not None else None
    if quote is not None:
        parts += ["## What the article says", quote]
    parts += ["## Status", _status(decision)]
    parts += [
        "## Inputs",
        table(
            ["Input", "Label", "Values", "Computed as"],
            [
                [
                    code(i.name),
                    text(i.label),
                    ", ".join(text(v) for v in i.values),
                    code(i.expr.source),
                ]
                for i in decision.inputs
            ],
        ),
    ]
    parts += ["## Rows", _rows(page, decision, pack, sources)]
    if pack.assumptions:
        parts += [
            "## Stated assumptions",
            "Where the article is silent, the pack decides "
            f"(see {link('all assumptions', relative(page, pack_page(pack.id, 'assumptions')))}):",
            "\n".join(
                f"- **{text(a.id)} {text(a.title)}.** {text(a.text)}" for a in pack.assumptions
            ),
        ]
    return "\n\n".join(parts) + "\n"


def _status(decision: DecisionTable) -> str:
    result = coverage(decision)
    if result.complete:
        return (
            f"Complete and consistent: each of the {result.combinations} combinations of "
            "inputs matches a row"
            + (" and exactly one." if decision.hit_policy == "unique" else ".")
        )
    lines = []
    for case in result.gaps:
        lines.append(f"- Gap: no row matches {_case(case)}.")
    for case, rows in result.overlaps:
        lines.append(f"- Overlap: rows {', '.join(map(str, rows))} all match {_case(case)}.")
    gaps, overlaps = len(result.gaps), len(result.overlaps)
    counts = f"{gaps} gap{'s' * (gaps != 1)}, {overlaps} overlap{'s' * (overlaps != 1)}"
    return f"**Not complete:** {counts}.\n\n" + ("\n".join(lines))


def _case(case: dict[str, Any]) -> str:
    return ", ".join(f"{code(k)} = {text(v)}" for k, v in case.items())


def _rows(page: str, decision: DecisionTable, pack: RulePack, sources: SiteSources) -> str:
    """The rows as a table (inputs, then outcomes), and the rows' notes as a list below it."""
    outcome_names = [n for n in pack.outcomes if any(n in row.then for row in decision.rows)]
    header = [
        "#",
        *(text(i.label) for i in decision.inputs),
        *(text(n.replace("_", " ")) for n in outcome_names),
        "Article",
    ]
    rows = []
    for row in decision.rows:
        when = [
            " or ".join(text(v) for v in row.when[i.name]) if i.name in row.when else "any"
            for i in decision.inputs
        ]
        then = [show_value(row.then[n]) if n in row.then else "—" for n in outcome_names]
        cited = (
            item_link(page, sources, decision.cites, row.item)
            if decision.cites is not None and row.item is not None
            else ""
        )
        rows.append([str(row.number), *when, *then, cited])
    notes = [f"- Row {row.number}: {text(row.note)}" for row in decision.rows if row.note]
    return table(header, rows) + ("\n\nNotes:\n\n" + "\n".join(notes) if notes else "")


def render_procedure(pack: RulePack, procedure: Procedure, sources: SiteSources) -> str:
    page = procedure_page(pack.id, procedure.id)
    users = [r for r in pack.rules if procedure.id in r.procedures]
    parts = [f"# {title(procedure.title)}"]
    facts = [f"Procedure {code(procedure.id)} of {_pack_link(page, pack)}"]
    if procedure.cites is not None:
        facts.append(f"from {citation_link(page, sources, procedure.cites)}")
    if users:
        facts.append("checked by " + ", ".join(rule_link(page, r) for r in users))
    parts.append("; ".join(facts) + ".")
    if procedure.applies is not None:
        parts.append(f"Applies when {code(procedure.applies.source)}.")
    parts.append("Do the steps in order. Under each step: what is left behind if it is skipped.")
    parts.append("\n".join(_step(page, pack, procedure, step) for step in procedure.steps))
    return "\n\n".join(parts) + "\n"


def _step(page: str, pack: RulePack, procedure: Procedure, step: Step) -> str:
    lines = [f"- [ ] **{step.number}.** {text(step.text)}"]
    details = [f"Timeline action: {code(step.action)}"]
    if step.covers:
        details.append("Removes: " + ", ".join(text(c) for c in sorted(step.covers)))
    if step.residue_table is not None:
        decision = pack.tables[step.residue_table]
        target = relative(page, table_page(pack.id, decision.id))
        details.append(
            f"If skipped: the overlap goes on, as {link(text(decision.title), target)} decides"
        )
    if step.residue:
        details.append(
            "If skipped: "
            + "; ".join(
                f"{code(name)} = {show_value(value)} ({text(pack.outcomes[name].describe)})"
                for name, value in step.residue.items()
            )
        )
    if step is procedure.trigger and not step.residue and step.residue_table is None:
        details.append("The change the steps above prepare")
    lines += [f"    - {d}" for d in details]
    return "\n".join(lines)


def render_assumptions(pack: RulePack) -> str:
    parts = [
        f"# Stated assumptions of {text(pack.id)}",
        f"KB article {text(pack.article)} leaves cases open. The rule pack decides each one "
        "explicitly; the rules, decision tables and the simulator follow these decisions.",
    ]
    for assumption in pack.assumptions:
        parts += [
            f"## {text(assumption.id)}: {text(assumption.title)}",
            paragraphs(assumption.text),
        ]
    if not pack.assumptions:
        parts.append("This pack states no assumptions.")
    return "\n\n".join(parts) + "\n"


def render_history(pack: RulePack) -> str:
    page = pack_page(pack.id, "history")
    parts = [
        f"# Version history of {text(pack.id)}",
        f"The current version is {text(pack.version)}.",
    ]
    versions: list[str] = [str(entry["version"]) for entry in pack.history]
    for rule in pack.rules:
        for version in (since(rule, pack), changed(rule, pack)):
            if version not in versions:
                versions.append(version)
    notes = {str(e["version"]): e for e in pack.history}
    for version in sorted(versions, key=_version_key, reverse=True):
        parts.append(f"## {text(version)}")
        entry = notes.get(version)
        if entry is not None:
            parts.append(f"*{text(entry['date'])}* — {text(entry['changes'])}")
        added = [r for r in pack.rules if since(r, pack) == version]
        modified = [r for r in pack.rules if changed(r, pack) == version and r not in added]
        for label, rules in (("Added", added), ("Changed", modified)):
            if rules:
                listed = "\n".join(f"- {rule_link(page, r)}: {text(r.title)}" for r in rules)
                parts.append(f"{label}:\n\n{listed}")
    return "\n\n".join(parts) + "\n"


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def render_outcomes(pack: RulePack, sources: SiteSources) -> str:
    page = pack_page(pack.id, "outcomes")
    cases = _overlap_cases(pack, sources)
    simulated = any(c.simulated is not None for group in cases.values() for c in group)
    parts = [
        f"# Overlap cases of {text(pack.id)}",
        "Each example deployment that breaks a rule of this pack, with the outcome the rules "
        "predict"
        + (
            " and the outcome the simulator shows once it has synced that deployment, computed "
            "when this site was built."
            if simulated
            else "."
        ),
    ]
    for group in cases.values():
        case = group[0]
        parts.append(f"## {text(case.name)}")
        if case.description:
            parts.append(text(case.description))
        parts.append(fenced(case.text, "yaml"))
        rules = [r for r in pack.rules if any(c.rule == r.id for c in group)]
        parts.append("Broken rules: " + ", ".join(rule_link(page, r) for r in rules))
        predicted = merge([c.predicted for c in group if c.predicted], pack.outcomes)
        header = ["Outcome", "Predicted by the rules"]
        model = None
        if simulated:
            header += ["Simulated", "Agree"]
            model = merge([c.simulated for c in group if c.simulated], pack.outcomes)
        parts.append(table(header, outcome_rows(pack.outcomes, predicted, model)))
    if not cases:
        parts.append("No example deployment of this pack predicts an outcome.")
    return "\n\n".join(parts) + "\n"


def _overlap_cases(pack: RulePack, sources: SiteSources) -> dict[Path, list[ExampleCase]]:
    """The failing examples that predict an outcome, grouped by deployment file."""
    found: dict[Path, list[ExampleCase]] = {}
    for rule in pack.rules:
        for case in sources.examples.get(rule.id, ()):
            if case.expect == "fail" and case.predicted is not None:
                found.setdefault(case.file, []).append(case)
    return found


def _pack_link(page: str, pack: RulePack) -> str:
    return link(text(pack.id), relative(page, pack_page(pack.id, "index")))
