"""Reporters: findings rendered as text for people, JSON, SARIF 2.1.0 or GitHub annotations."""

from __future__ import annotations

from collections.abc import Mapping

from kb_lint import __version__
from kb_lint.findings import Finding, RuleInfo, Summary
from kb_lint.reporters.github import render_github
from kb_lint.reporters.json import render_json
from kb_lint.reporters.sarif import render_sarif
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
) -> str:
    """The whole report in format ``fmt``, ending with a newline unless it is empty."""
    if fmt == "text":
        return render_text(findings, summary, color=color)
    if fmt == "json":
        return render_json(findings, summary)
    if fmt == "sarif":
        return render_sarif(findings, rules=rules, tool=tool, version=version)
    if fmt == "github":
        return render_github(findings)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
