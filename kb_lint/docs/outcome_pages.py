"""A pack's outcomes page: each outcome field, what predicts it, and where examples disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_lint.docs.escape import fenced, link, table, text
from kb_lint.docs.outcomes import UNMEASURED, outcome_rows, show
from kb_lint.docs.paths import (
    pack_page,
    slug,
)
from kb_lint.docs.rule_pages import rule_link
from kb_lint.docs.sources import ExampleCase, SiteSources
from kb_lint.engine.outcome import merge
from kb_lint.pack.model import RulePack

LINE_NUMBERS = 'linenums="1"'
UNCOMPARED = "not measured"  # a case whose outcomes the pack's model measures none of


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
    if pack.simulation is not None and pack.simulation.reason:
        parts.append(f"What the model leaves out: {text(pack.simulation.reason)}")
    if pack.no_model:
        parts.append(f"No model simulates this pack: {text(pack.no_model)}")
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
        agree = _agreement(rows, model)
        row = [
            link(text(case.name), f"#{anchor}"),
            ", ".join(rule_link(page, r) for r in rules),
            _changed_outcomes(pack, predicted),
        ]
        if agree is not None:
            row.append({True: "yes", False: "**no**, explained below"}.get(agree, UNCOMPARED))
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


def _agreement(rows: list[list[str]], model: dict[str, Any] | None) -> bool | str | None:
    """Whether the simulation agrees with the rules on a case: None without a simulation;
    ``UNCOMPARED`` when nothing was compared (the model measures none of the outcomes the
    case sets, or none at all); an outcome the model does not measure neither agrees nor
    disagrees."""
    if model is None:
        return None
    compared = [row for row in rows if row[-1] != UNMEASURED]
    if not compared and (rows or not model):
        return UNCOMPARED
    return all(row[-1] == "yes" for row in compared)


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
