"""A rule pack's pages: overview, decision tables, procedures, assumptions, history, outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_lint.docs.citing import citation_link, quoted
from kb_lint.docs.coverage import coverage
from kb_lint.docs.escape import code, details, fenced, link, paragraphs, table, text, title
from kb_lint.docs.origins import assumption_anchor, cell_assumptions, marks, row_source, source
from kb_lint.docs.outcomes import field_label, outcome_heading, outcome_rows, show, show_value
from kb_lint.docs.paths import (
    pack_page,
    procedure_page,
    relative,
    slug,
    table_page,
)
from kb_lint.docs.rule_pages import rule_link
from kb_lint.docs.sources import ExampleCase, SiteSources
from kb_lint.engine.outcome import merge
from kb_lint.pack.claims import deciding
from kb_lint.pack.model import DecisionTable, OutcomeField, Procedure, RulePack, Step

LINE_NUMBERS = 'linenums="1"'
HIT_POLICIES = {
    "unique": "exactly one row must match each case",
    "first": "the first matching row decides",
}


# Three versions meet on a pack's pages; each says what it is the version of.
VERSIONS = (
    "The **pack version** is the version of these rules (each rule says since when it exists and "
    "when it last changed); the **article revision** is the KB article's own. The version in "
    "the site's header, when there is one, is the published version of this site, and "
    "`kb-lint --version` prints the version of the tool that checks deployments."
)
# The binding fields a table may judge separately, in words.
PARTITIONS = {
    "synced_types": "each data type the instances really sync",
    "data_types": "each data type the policies name",
}
# How an outcome predicted by several findings is combined, in words.
MERGED = {
    "any": "yes if any of them says yes",
    "all": "yes if all of them say yes",
    "max": "the largest",
    "min": "the smallest",
    "sum": "their sum",
    "union": "everything any of them lists",
    "first": "the first finding's",
}


def _kind(spec: OutcomeField) -> str:
    """What kind of value an outcome is, in words."""
    if spec.type == "enum":
        return "one of: " + ", ".join(show(v) for v in spec.values)
    return {"boolean": "yes or no", "integer": "a number", "list": "a list"}.get(spec.type, "text")


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
        (
            "Predicted and simulated outcomes" if pack.simulation else "Predicted outcomes",
            pack_page(pack.id, "outcomes"),
        ),
        ("Stated assumptions", pack_page(pack.id, "assumptions")),
        ("Version history", pack_page(pack.id, "history")),
    ]
    parts = [
        f"# Rule pack {text(pack.id)}: {title(pack.title)}",
        "\n".join(f"- {fact}" for fact in facts),
        VERSIONS,
        "\n".join(f"- {link(text(label), relative(page, target))}" for label, target in pages),
        f"## Rules ({len(pack.rules)})",
        "\n".join(f"- {rule_link(page, rule)}: {text(rule.title)}" for rule in pack.rules),
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
    parts += _vocabulary(pack)
    parts += [
        "## Outcomes",
        "What the rules of this pack predict about a deployment:",
        table(
            ["Outcome", "Its value", "When several findings predict it", "Otherwise"],
            [
                [field_label(spec), _kind(spec), MERGED[spec.merge], show(spec.default)]
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
        words = PARTITIONS.get(decision.partition)
        each = words or f"each value of {code(decision.partition)}"
        parts.append(
            f"The table is applied to {each} separately (the instances that share it), and "
            "the results are combined."
        )
    quote = quoted(sources, decision.cites) if decision.cites is not None else None
    if quote is not None:
        parts += ["## What the article says", quote]
    parts += ["## Status", _status(decision)]
    parts += [
        "## Inputs",
        table(
            ["Input", "Values", "How it is decided"],
            [
                [
                    text(i.label),
                    ", ".join(text(v) for v in i.values),
                    text(i.says) if i.says else _undescribed(i.expr.source),
                ]
                for i in decision.inputs
            ],
        ),
    ]
    parts += ["## Rows", _rows(page, decision, pack, sources)]
    parts.append(
        for_authors(
            [(f"input {i.name}", i.expr.source) for i in decision.inputs]
            + [
                (f"row {row.number}, {name}", value.expr.source)
                for row in decision.rows
                for name, value in row.then.items()
                if value.expr is not None
            ]
        )
    )
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
    if not result.listed:
        return (
            f"Not checked: its {result.combinations:,} combinations of inputs are too many to go "
            "through (`kb-lint rules check` reports it as KB-RULES-017); split the table."
        )
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
        *(outcome_heading(pack.outcomes[n]) for n in outcome_names),
        "Source",
    ]
    rows = []
    for row in decision.rows:
        when = [
            " or ".join(text(v) for v in row.when[i.name]) if i.name in row.when else "any"
            for i in decision.inputs
        ]
        then = [
            show_value(row.then[n], row.says.get(n))
            + marks(page, pack, cell_assumptions(pack, decision, row, n))
            if n in row.then
            else "—"
            for n in outcome_names
        ]
        rows.append([str(row.number), *when, *then, row_source(page, pack, sources, decision, row)])
    legend = (
        "Source: the article item a row encodes, and the stated assumptions that decide it. An "
        "outcome marked with an assumption (A1) is that assumption's decision, not the "
        "article's; unmarked outcomes are what the article says."
    )
    notes = [f"- Row {row.number}: {text(row.note)}" for row in decision.rows if row.note]
    return (
        table(header, rows)
        + f"\n\n{legend}"
        + ("\n\nNotes:\n\n" + "\n".join(notes) if notes else "")
    )


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
        says = procedure.says
        parts.append(f"When: {text(says) if says else _undescribed(procedure.applies.source)}")
    bullets = (
        " (the bullets of one step in any order)"
        if any("bullet" in procedure.place(s) for s in procedure.steps)
        else ""
    )
    parts.append(
        f"Do the steps in order{bullets}. Under each step: what is left behind if it is skipped."
    )
    parts.append("\n".join(_step(page, pack, procedure, step, sources) for step in procedure.steps))
    shown = [("applies", procedure.applies.source)] if procedure.applies is not None else []
    shown += [
        (f"{procedure.place(step)}, {name}", value.expr.source)
        for step in procedure.steps
        for name, value in step.residue.items()
        if value.expr is not None
    ]
    parts.append(for_authors(shown))
    return "\n\n".join(p for p in parts if p) + "\n"


def for_authors(expressions: list[tuple[str, str]]) -> str:
    """The expressions behind a page's words, folded away for pack authors ("" if none)."""
    if not expressions:
        return ""
    items = "".join(
        f"<li>{text(what)}: <code>{text(source)}</code></li>" for what, source in expressions
    )
    return details("The expressions, for pack authors", f"<ul>{items}</ul>")


def _undescribed(source: str) -> str:
    return f"{code(source)} (not described in words)"


def _step(page: str, pack: RulePack, procedure: Procedure, step: Step, sources: SiteSources) -> str:
    place = procedure.place(step)  # the article's numbering: "step 3, bullet 2"
    lines = [f"- [ ] **{text(place.capitalize())}.** {text(step.text)}"]
    decided = deciding(pack, procedure.id, step.id)
    cites = source(page, pack, sources, procedure.cites, step.item, decided, place)
    notes = [f"Timeline action: {code(step.action)}", f"Source: {cites}"]
    if step.covers:
        notes.append("Removes: " + ", ".join(text(c) for c in sorted(step.covers)))
    if step.residue_table is not None:
        decision = pack.tables[step.residue_table]
        target = relative(page, table_page(pack.id, decision.id))
        notes.append(
            f"If skipped: the overlap goes on, as {link(text(decision.title), target)} decides"
        )
    if step.residue:
        notes.append("If skipped:")
    if step is procedure.trigger and not step.residue and step.residue_table is None:
        notes.append("The change the steps above prepare")
    lines += [f"    - {d}" for d in notes]
    for name, value in step.residue.items():
        spec = pack.outcomes[name]
        if value.expr is None:
            said = (
                f"{show(value.literal)} ({text(spec.describe)})"
                if spec.describe
                else show(value.literal)
            )
        else:
            said = show_value(value, step.says.get(name))
        lines.append(f"        - {text(spec.heading)}: {said}{marks(page, pack, decided)}")
    return "\n".join(lines)


def render_assumptions(pack: RulePack) -> str:
    parts = [
        f"# Stated assumptions of {text(pack.id)}",
        f"KB article {text(pack.article)} leaves cases open. The rule pack decides each one "
        "explicitly; the rules, decision tables and the simulator follow these decisions.",
    ]
    for assumption in pack.assumptions:
        parts += [
            f"## {text(assumption.id)}: {text(assumption.title)} "
            f"{{#{assumption_anchor(assumption.id)}}}",
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
        for version in (rule.since, rule.changed):
            if version is not None and version not in versions:
                versions.append(version)
    notes = {str(e["version"]): e for e in pack.history}
    for version in sorted(versions, key=_version_key, reverse=True):
        parts.append(f"## {text(version)}")
        entry = notes.get(version)
        if entry is not None:
            parts.append(f"*{text(entry['date'])}* — {text(entry['changes'])}")
        added = [r for r in pack.rules if r.since == version]
        modified = [r for r in pack.rules if r.changed == version and r not in added]
        for label, rules in (("Added", added), ("Changed", modified)):
            if rules:
                listed = "\n".join(f"- {rule_link(page, r)}: {text(r.title)}" for r in rules)
                parts.append(f"{label}:\n\n{listed}")
    return "\n\n".join(parts) + "\n"


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def _vocabulary(pack: RulePack) -> list[str]:
    """The fields and timeline actions the pack adds to the deployment format."""
    parts = []
    if pack.fields:
        parts += [
            "## Fields",
            "Settings this pack adds to deployment files (see the "
            "[deployment format](../../reference/deployment-format.md)):",
            table(
                ["Field", "Of", "Type", "Default", "Unit", "Description"],
                [
                    [
                        code(f.name),
                        text(f.scope),
                        text(f.type)
                        + (": " + ", ".join(code(str(v)) for v in f.values) if f.values else ""),
                        f"computed: {code(f.default_text)}" if f.default_text else show(f.default),
                        text(f.unit),
                        text(f.description),
                    ]
                    for f in pack.fields
                ],
            ),
        ]
    if pack.actions:
        parts += [
            "## Timeline actions",
            table(
                ["Action", "An event gives", "It changes", "Description"],
                [
                    [
                        code(a.name),
                        ", ".join(map(code, a.needs)),
                        ", ".join(map(code, a.sets)),
                        text(a.description),
                    ]
                    for a in pack.actions
                ],
            ),
        ]
    return parts


def render_outcomes(pack: RulePack, sources: SiteSources) -> str:
    """A summary table of every overlap case first, then each case: its outcome table, a
    disagreement explained, and the deployment folded away."""
    page = pack_page(pack.id, "outcomes")
    cases = _overlap_cases(pack, sources)
    simulated = any(c.simulated is not None for group in cases.values() for c in group)
    parts = [
        f"# Predicted outcomes of {text(pack.id)}",
        "Each example deployment that breaks a rule of this pack, with the outcome the rules "
        "predict"
        + (
            " and the outcome the simulator shows once it has synced that deployment, computed "
            "when this site was built."
            if simulated
            else "."
        ),
    ]
    if pack.simulation is not None and pack.simulation.grid is not None:
        parts.append(
            f"The pack's grid, `{pack.simulation.grid.name}`, sweeps the simulator over the "
            "article's options: `kb-lint simulate --sweep` runs it and sets the rules' "
            "prediction beside every case."
        )
    if not cases:
        parts.append("No example deployment of this pack predicts an outcome.")
        return "\n\n".join(parts) + "\n"
    summary, sections = [], []
    both = ", on both sides" if simulated else ""
    for group in cases.values():
        case = group[0]
        anchor = f"case-{slug(case.name)}"
        rules = [r for r in pack.rules if any(c.rule == r.id for c in group)]
        predicted = merge([c.predicted for c in group if c.predicted], pack.outcomes)
        model = (
            merge([c.simulated for c in group if c.simulated], pack.outcomes) if simulated else None
        )
        rows = outcome_rows(pack.outcomes, predicted, model)
        agree = all(row[-1] == "yes" for row in rows) if simulated else None
        row = [
            link(text(case.name), f"#{anchor}"),
            ", ".join(rule_link(page, r) for r in rules),
            _changed_outcomes(pack, predicted),
        ]
        if agree is not None:
            row.append("yes" if agree else "**no**, explained below")
        summary.append(row)
        sections.append(f"## {text(case.name)} {{#{anchor}}}")
        if case.description:
            sections.append(text(case.description))
        sections.append("Broken rules: " + ", ".join(rule_link(page, r) for r in rules))
        header = ["Outcome", "Predicted by the rules"]
        if simulated:
            header += ["Simulated", "Agree"]
        if rows:
            sections += [
                table(header, rows),
                f"Every other outcome is as by default{both}.",
            ]
        else:
            sections.append(f"Every outcome is as by default{both}.")
        if agree is False:
            sections.append(_disagreement(group))
        if simulated:  # the run, cycle by cycle, drawn by the plugin (kb_lint.docs.charts)
            sections.append(f"<!-- kb-lint-chart: {case.file.as_posix()} -->")
        deployment = fenced(case.text, "yaml", LINE_NUMBERS)
        sections.append(
            f'<details markdown="1"><summary>The deployment</summary>\n\n{deployment}\n\n</details>'
        )
    header = ["Deployment", "Broken rules", "What the rules predict"]
    if simulated:
        header.append("Simulation agrees")
    parts += ["## Summary", table(header, summary), *sections]
    return "\n\n".join(parts) + "\n"


def _changed_outcomes(pack: RulePack, outcome: dict[str, Any]) -> str:
    """The predicted outcome in words: each field that differs from its default."""
    changed = [
        f"{text(spec.heading)}: {show(outcome[name])}"
        for name, spec in pack.outcomes.items()
        if name in outcome and outcome[name] != spec.default
    ]
    return "; ".join(changed) or "nothing beyond the defaults"


def _disagreement(group: list[ExampleCase]) -> str:
    """Why the simulation differs from the prediction, when kb-lint knows; else says so."""
    later = sorted({line for case in group for line in case.later_events})
    if later:
        judged = max(f.location.line for case in group for f in case.findings)
        lines = ", ".join(map(str, later))
        return (
            '!!! note "Why they differ"\n\n'
            f"    The rules judge the timeline at the event on line {judged}: the steps not "
            "done by then leave what the rules predict. The timeline goes on (line"
            f"{'s' * (len(later) > 1)} {lines}), and the simulator shows the mailbox at the "
            "end of the run, after those events. The two describe different moments; "
            "neither is wrong."
        )
    return (
        '!!! warning "Unexplained"\n\n'
        "    The rules and the simulator disagree on this deployment, and kb-lint knows no "
        "reason: either the rule or the model is wrong. The property tests "
        "(tests/test_properties.py) look for such cases."
    )


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
