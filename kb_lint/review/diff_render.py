"""``rules diff`` output: Markdown for a pull-request comment, JSON with the same content, text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from kb_lint.review.diff import PackChange
from kb_lint.review.diff_report import DiffReport
from kb_lint.review.impact import Impact, Verdict
from kb_lint.review.oracles import BrokenStatement

FORMATS = ("markdown", "json", "text")


def render_diff(fmt: str, report: DiffReport) -> str:
    return {"markdown": to_markdown, "json": to_json, "text": to_text}[fmt](report)


# -- JSON ------------------------------------------------------------------------------------


def to_json(report: DiffReport) -> str:
    diff = report.diff
    data = {
        "base": {"revision": report.revision, "commit": report.commit},
        "broken_statements": [asdict(b) for b in report.broken],
        "impact": {
            "deployments": report.impact.deployments,
            "new": list(report.impact.new),
            "changed": [
                {
                    "deployment": i.deployment,
                    "rule": i.rule,
                    "moves": "verdict" if i.flipped else "outcome",
                    "before": _verdict_json(i.before),
                    "after": _verdict_json(i.after),
                }
                for i in _impact_order(report)
            ],
        },
        "model": asdict(report.model) if report.model is not None else None,
        "packs": [_pack_json(p) for p in diff.packs],
        "rules": [asdict(c) for c in diff.rules],
        "tables": [asdict(c) for c in diff.tables],
        "procedures": [asdict(c) for c in diff.steps],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _pack_json(change: PackChange) -> dict[str, Any]:
    return {
        "pack": change.pack,
        "change": change.change,
        "version": {"before": change.version[0], "after": change.version[1]},
        "revision": {"before": change.revision[0], "after": change.revision[1]},
        "aspects": list(change.aspects),
    }


def _verdict_json(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {"verdict": verdict.name, **asdict(verdict)}


# -- Markdown --------------------------------------------------------------------------------


def to_markdown(report: DiffReport) -> str:
    diff = report.diff
    out = [f"## Rules diff against `{report.revision}` (`{report.short_commit}`)", ""]
    out += ["### Article statements this change breaks", ""]
    if not report.broken:
        out += ["None: every claim of the packs still holds in the new decision tables.", ""]
    for b in report.broken:
        out += [f"- **{b.pack} claim {b.claim}** ({_cited(b)}): {_quote(b)}"]
        out += [f"  Row {b.row} of `{b.table}` ({b.when}) breaks it: {'; '.join(b.problems)}."]
    out += [""] if report.broken else []
    out += ["### Deployments", "", _impact_summary(report), ""]
    flips = [i for i in report.impact.changes if i.flipped]
    moves = [i for i in report.impact.changes if not i.flipped]
    for title, rows in (("Verdicts that flip", flips), ("Outcomes that move", moves)):
        if rows:
            out += [f"#### {title}", ""]
            out += _table(
                ["deployment", "rule", "before", "after"],
                [[f"`{i.deployment}`", f"`{i.rule}`", *_verdict_pair(i)] for i in rows],
            )
    out += ["### Rules against the Riva sync model", "", _model_summary(report), ""]
    if report.model and report.model.disagreements:
        out += _table(
            ["case", "disagreement", "since"],
            [
                [d.case, "; ".join(d.differences), "this change" if d.new else "before it"]
                for d in report.model.disagreements
            ],
        )
    out += ["### What changed", ""]
    out += _table(
        ["pack", "version", "article revision"],
        [[f"`{p.pack}`", _arrow(*p.version), _arrow(*p.revision)] for p in diff.packs],
    )
    for pack in _unversioned(diff.packs):
        out += [
            f"> **Note:** `{pack.pack}` changed but its pack version is still {pack.version[1]}.",
            "",
        ]
    if diff.empty:
        out += ["No rule, decision table or procedure changed.", ""]
    if diff.rules:
        out += ["#### Rules", ""]
        out += _table(
            ["rule", "title", "change", "what changed"],
            [[f"`{c.rule}`", c.title, c.change, ", ".join(c.aspects)] for c in diff.rules],
        )
    if diff.tables:
        out += ["#### Decision tables", ""]
        out += _table(
            ["table", "row", "change", "when", "what changed"],
            [
                [f"`{c.table}`", str(c.row) if c.row else "—", c.change, c.when, c.detail]
                for c in diff.tables
            ],
        )
    if diff.steps:
        out += ["#### Procedures", ""]
        out += _table(
            ["procedure", "step", "change", "what changed"],
            [
                [f"`{c.procedure}`", f"`{c.step}`" if c.step else "—", c.change, c.detail]
                for c in diff.steps
            ],
        )
    return "\n".join(out).rstrip("\n") + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = [_row(header), _row(["---"] * len(header))]
    lines += [_row(row) for row in rows]
    return [*lines, ""]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or " "


# -- text ------------------------------------------------------------------------------------


def to_text(report: DiffReport) -> str:
    diff = report.diff
    out = [f"rules diff against {report.revision} ({report.short_commit})"]
    for b in report.broken:
        out.append(f"breaks {b.pack} claim {b.claim} ({_cited(b)}): {_quote(b)}")
        out.append(f"  row {b.row} of {b.table} ({b.when}): {'; '.join(b.problems)}")
    if not report.broken:
        out.append("breaks no article statement")
    out.append(_impact_summary(report))
    for i in _impact_order(report):
        before, after = _verdict_pair(i)
        moves = "verdict flips" if i.flipped else "outcome moves"
        out.append(f"  {moves}: {i.deployment} {i.rule}: {before} -> {after}")
    out.append(_model_summary(report))
    for d in report.model.disagreements if report.model else ():
        since = "this change" if d.new else "before it"
        out.append(f"  {d.case}: {'; '.join(d.differences)} (since {since})")
    for p in diff.packs:
        version = _arrow(*p.version)
        out.append(
            f"pack {p.pack}: {p.change}, version {version}, article revision {_arrow(*p.revision)}"
        )
    out += [
        f"note: {p.pack} changed but its pack version is still {p.version[1]}"
        for p in _unversioned(diff.packs)
    ]
    for c in diff.rules:
        aspects = f": {', '.join(c.aspects)}" if c.aspects else ""
        out.append(f"rule {c.rule} {c.change}{aspects}")
    for t in diff.tables:
        where = f" row {t.row} ({t.when})" if t.row else ""
        out.append(f"table {t.table}{where} {t.change}: {t.detail}".rstrip(": "))
    for s in diff.steps:
        where = f" step {s.step}" if s.step else ""
        out.append(f"procedure {s.procedure}{where} {s.change}: {s.detail}".rstrip(": "))
    return "\n".join(out) + "\n"


# -- shared ----------------------------------------------------------------------------------


def _arrow(before: Any, after: Any) -> str:
    if before == after:
        return str(before)
    return f"{'—' if before is None else before} → {'—' if after is None else after}"


def _unversioned(packs: list[PackChange]) -> list[PackChange]:
    """Packs that changed without a new version."""
    return [p for p in packs if p.change == "changed" and p.version[0] == p.version[1]]


def _cited(statement: BrokenStatement) -> str:
    where = f"article {statement.article}"
    where += f", section {statement.section}" if statement.section else ""
    return where + (f", item {statement.item}" if statement.item else "")


def _quote(statement: BrokenStatement) -> str:
    """The article's sentence when the citation resolves, else the claim's reading of it."""
    if statement.sentence:
        return f"the article says “{statement.sentence}”"
    return f"the claim says “{statement.says}”"


def _impact_order(report: DiffReport) -> list[Impact]:
    """Verdicts that flip first, then outcomes that move."""
    return sorted(report.impact.changes, key=lambda i: not i.flipped)


def _model_summary(report: DiffReport) -> str:
    model = report.model
    if model is None:
        return "No pack is simulated by the Riva sync model."
    if not model.disagreements:
        return f"The rules and the model agree on all {model.cases} cases of the packs' grids."
    new = sum(d.new for d in model.disagreements)
    return (
        f"The rules and the model disagree on {len(model.disagreements)} of {model.cases} cases "
        f"of the packs' grids ({new} since this change)."
    )


def _impact_summary(report: DiffReport) -> str:
    total = report.impact.deployments
    changed = len(dict.fromkeys(i.deployment for i in report.impact.changes))
    new = report.impact.new
    added = (
        f" {_count(len(new), 'new example deployment', 'use')} what only the new rules declare: "
        "the new rules alone judge them."
        if new
        else ""
    )
    if not changed:
        return (
            f"None of the {total} example deployments gets a different verdict or outcome." + added
        )
    verb = "gets" if changed == 1 else "get"
    flips = sum(i.flipped for i in report.impact.changes)
    moves = len(report.impact.changes) - flips
    return (
        f"{changed} of {total} example deployments {verb} a different verdict or outcome: "
        f"{_count(flips, 'verdict', 'flip')}, {_count(moves, 'outcome', 'move')}." + added
    )


def _count(n: int, noun: str, verb: str) -> str:
    return f"{n} {noun} {verb}s" if n == 1 else f"{n} {noun}s {verb}"


def _verdict_pair(impact: Impact) -> tuple[str, str]:
    before, after = impact.before, impact.after
    fields = _changed_fields(before, after)
    return _verdict_text(before, fields), _verdict_text(after, fields)


def _changed_fields(before: Verdict | None, after: Verdict | None) -> list[str]:
    old = (before.outcome if before else None) or {}
    new = (after.outcome if after else None) or {}
    return [name for name in dict.fromkeys([*old, *new]) if old.get(name) != new.get(name)]


def _verdict_text(verdict: Verdict | None, fields: list[str]) -> str:
    if verdict is None:
        return "— (no such rule)"
    if verdict.error:
        return f"error: {verdict.error}"
    if not verdict.findings:
        return "pass"
    plural = "s" if verdict.findings > 1 and verdict.severity != "info" else ""
    text = f"fail ({verdict.findings} {verdict.severity}{plural})"
    shown = [
        f"{name}: {_json(verdict.outcome[name])}"
        for name in fields
        if verdict.outcome and name in verdict.outcome
    ]
    return f"{text} — {', '.join(shown)}" if shown else text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
