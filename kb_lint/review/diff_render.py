"""``rules diff`` output: Markdown for a pull-request comment, JSON with the same content, text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from kb_lint.review.diff import PackChange
from kb_lint.review.diff_report import DiffReport
from kb_lint.review.impact import Impact, Verdict

FORMATS = ("markdown", "json", "text")


def render_diff(fmt: str, report: DiffReport) -> str:
    return {"markdown": to_markdown, "json": to_json, "text": to_text}[fmt](report)


# -- JSON ------------------------------------------------------------------------------------


def to_json(report: DiffReport) -> str:
    diff = report.diff
    data = {
        "base": {"revision": report.revision, "commit": report.commit},
        "packs": [_pack_json(p) for p in diff.packs],
        "rules": [asdict(c) for c in diff.rules],
        "tables": [asdict(c) for c in diff.tables],
        "procedures": [asdict(c) for c in diff.steps],
        "impact": {
            "deployments": report.impact.deployments,
            "changed": [
                {
                    "deployment": i.deployment,
                    "rule": i.rule,
                    "before": _verdict_json(i.before),
                    "after": _verdict_json(i.after),
                }
                for i in report.impact.changes
            ],
        },
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
        out += ["### Rules", ""]
        out += _table(
            ["rule", "title", "change", "what changed"],
            [[f"`{c.rule}`", c.title, c.change, ", ".join(c.aspects)] for c in diff.rules],
        )
    if diff.tables:
        out += ["### Decision tables", ""]
        out += _table(
            ["table", "row", "change", "when", "what changed"],
            [
                [f"`{c.table}`", str(c.row) if c.row else "—", c.change, c.when, c.detail]
                for c in diff.tables
            ],
        )
    if diff.steps:
        out += ["### Procedures", ""]
        out += _table(
            ["procedure", "step", "change", "what changed"],
            [
                [f"`{c.procedure}`", f"`{c.step}`" if c.step else "—", c.change, c.detail]
                for c in diff.steps
            ],
        )
    out += ["### Impact on example deployments", "", _impact_summary(report), ""]
    if report.impact.changes:
        out += _table(
            ["deployment", "rule", "before", "after"],
            [
                [f"`{i.deployment}`", f"`{i.rule}`", *_verdict_pair(i)]
                for i in report.impact.changes
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
    out.append(_impact_summary(report))
    for i in report.impact.changes:
        before, after = _verdict_pair(i)
        out.append(f"  {i.deployment} {i.rule}: {before} -> {after}")
    return "\n".join(out) + "\n"


# -- shared ----------------------------------------------------------------------------------


def _arrow(before: Any, after: Any) -> str:
    if before == after:
        return str(before)
    return f"{'—' if before is None else before} → {'—' if after is None else after}"


def _unversioned(packs: list[PackChange]) -> list[PackChange]:
    """Packs that changed without a new version."""
    return [p for p in packs if p.change == "changed" and p.version[0] == p.version[1]]


def _impact_summary(report: DiffReport) -> str:
    total = report.impact.deployments
    changed = len(dict.fromkeys(i.deployment for i in report.impact.changes))
    if not changed:
        return f"None of the {total} example deployments gets a different verdict or outcome."
    verb = "gets" if changed == 1 else "get"
    return f"{changed} of {total} example deployments {verb} a different verdict or outcome."


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
