"""Reporters: findings rendered as text for people, JSON, SARIF 2.1.0 or GitHub annotations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kb_lint import __version__
from kb_lint.errors import InputError, RuleError
from kb_lint.findings import Finding, NotLoaded, RuleInfo, Summary
from kb_lint.reporters.github import render_github
from kb_lint.reporters.json import Fixed, render_json
from kb_lint.reporters.text import render_text

FORMATS = ("text", "json", "sarif", "github")


def render(
    fmt: str,
    findings: list[Finding],
    summary: Summary,
    *,
    rules: Mapping[str, RuleInfo] = {},
    color: bool = False,
    tool: str = "kb-lint",
    version: str = __version__,
    problems: Sequence[InputError] = (),
    fixes: Sequence[Fixed] | None = None,
    said: Sequence[InputError] = (),
    unloaded: NotLoaded | None = None,
) -> str:
    """The whole report in format ``fmt``, ending with a newline unless it is empty.
    ``problems`` are the input errors of files that could not be checked: every format reports
    them (text in its summary line, counting apart the load errors of rule packs among them,
    ``said``, and the rules that failed on a file, ``RuleError``: the CLI prints each on
    stderr). ``fixes`` are what ``--fix`` changed (JSON lists them; the CLI prints them on
    stderr). ``unloaded``, given by a review of rule packs (``rules check``), is the packs it
    could not review: every format's summary counts and names them (JSON ``summary``, SARIF
    notifications of an unsuccessful invocation, a last GitHub annotation, the text summary
    line)."""
    if fmt == "text":
        packs = sum(p in said for p in problems)
        rules = sum(isinstance(p, RuleError) and p not in said for p in problems)
        files = len(problems) - packs - rules
        return render_text(
            findings,
            summary,
            color=color,
            problems=files,
            packs=packs,
            rules=rules,
            unloaded=unloaded.words() if unloaded else "",
        )
    if fmt == "json":
        return render_json(findings, summary, problems, fixes, unloaded)
    if fmt == "sarif":  # imported when asked for: its package metadata costs a check 20 ms
        from kb_lint.reporters.sarif import render_sarif

        return render_sarif(
            findings, rules=rules, tool=tool, version=version, problems=problems, unloaded=unloaded
        )
    if fmt == "github":
        return render_github(findings, problems, unloaded)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
