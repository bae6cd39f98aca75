"""What every linting subcommand shares: selection and output options, and printing findings."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from kb_lint.cli import UsageError
from kb_lint.errors import did_you_mean
from kb_lint.findings import Finding, RuleInfo, Summary, exit_code
from kb_lint.reporters import FORMATS, render
from kb_lint.waivers import EXPIRED, UNUSED

WAIVER_CHECKS = (EXPIRED, UNUSED)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to FILE")
    parser.add_argument("--select", type=_ids, help="only these rule ids or prefixes (comma list)")
    parser.add_argument("--ignore", type=_ids, help="skip these rule ids or prefixes (comma list)")
    parser.add_argument("--config", type=Path, help="kb-lint.toml or pyproject.toml to use")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output"
    )


def _check_selection(args: argparse.Namespace, known: set[str]) -> None:
    for option in ("select", "ignore"):
        for rule_id in getattr(args, option, None) or ():
            if not any(k.startswith(rule_id) for k in known):
                hint = did_you_mean(rule_id, known)
                raise UsageError(f"--{option} {rule_id}: no rule has this id or prefix{hint}")


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def emit(
    args: argparse.Namespace,
    findings: list[Finding],
    files: int,
    rules: Mapping[str, RuleInfo],
) -> int:
    """Print (or write) the report; the exit code is 1 when there are findings. A ``--select``
    or ``--ignore`` that names no rule of ``rules`` is a usage error: a typo would otherwise
    select nothing and pass."""
    _check_selection(args, {*rules, *WAIVER_CHECKS})
    summary = Summary.of(findings, files)
    to_file = args.output is not None
    color = args.color == "always" or (
        args.color == "auto"
        and not to_file
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    text = render(args.format, findings, summary, rules=rules, color=color)
    if to_file:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return exit_code(findings)
