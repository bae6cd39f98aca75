"""What every linting subcommand shares: selection and output options, printing findings, and
the exit code they give."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from kb_lint.cli import USAGE, UsageError
from kb_lint.cli.common_options import add_color_option, add_config_option, colored
from kb_lint.config import Config
from kb_lint.errors import InputError, did_you_mean
from kb_lint.findings import SEVERITIES, Finding, NotLoaded, RuleInfo, Summary
from kb_lint.reporters import FORMATS, render
from kb_lint.reporters.json import Fixed
from kb_lint.waivers import EXPIRED, UNUSED

WAIVER_CHECKS = (EXPIRED, UNUSED)
FAIL_ON_DEFAULT = "warning"


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    add_output_file(parser)
    parser.add_argument("--select", type=_ids, help="only these rule ids or prefixes (comma list)")
    parser.add_argument("--ignore", type=_ids, help="skip these rule ids or prefixes (comma list)")
    add_config_option(parser)
    add_color_option(parser)
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default=FAIL_ON_DEFAULT,
        help="exit 1 when a finding of this severity or a worse one is found (default: warning; "
        "info findings alone then exit 0)",
    )


def add_output_file(parser: argparse.ArgumentParser, what: str = "the report") -> None:
    parser.add_argument(
        "--output", "-o", type=output_path, metavar="FILE", help=f"write {what} to FILE"
    )


def output_path(value: str) -> Path:
    """A file to write: not empty, not a folder (checked again when written)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the output file name is empty")
    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"'{value}' is a folder, not a file")
    return path


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path``; a folder that does not exist, a read-only place or a folder
    in the way is a usage error of one line, not a traceback."""
    try:
        path.write_text(text, encoding="utf-8")
    except IsADirectoryError:
        raise UsageError(f"cannot write {path}: it is a folder") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _check_selection(args: argparse.Namespace, known: set[str]) -> None:
    for option in ("select", "ignore"):
        for rule_id in getattr(args, option, None) or ():
            if not any(k.startswith(rule_id) for k in known):
                hint = did_you_mean(rule_id, known)
                raise UsageError(f"--{option} {rule_id}: no rule has this id or prefix{hint}")


def check_config_selection(config: Config, known: set[str]) -> None:
    """The config's ``select``, ``ignore`` and ``per-file-ignores`` must name rules; beyond the
    rules of this run (``known``), every rule kb-lint knows is asked for only when one is not
    among them."""
    named = [rule_id for _, rule_id in config.named_rules()]
    if all(any(k.startswith(rule_id) for k in known) for rule_id in named):
        return
    from kb_lint.cli.explain import every_rule

    config.check_selection({*known, *every_rule(config)})


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def fails(findings: Sequence[Finding], fail_on: str = FAIL_ON_DEFAULT) -> bool:
    """Does a finding reach ``fail_on`` (``error`` is worse than ``warning``, than ``info``)?"""
    worst = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(f.severity) <= worst for f in findings)


def report_problems(problems: Sequence[InputError]) -> None:
    """Each input error on stderr, one line each, as ``kb-lint: path:line:col: message``."""
    for problem in problems:
        print(f"kb-lint: {problem}", file=sys.stderr)


def emit(
    args: argparse.Namespace,
    findings: list[Finding],
    files: int,
    rules: Mapping[str, RuleInfo],
    problems: Sequence[InputError] = (),
    fixes: Sequence[Fixed] | None = None,
    config: Config | None = None,
    said: Sequence[InputError] = (),
    unloaded: NotLoaded | None = None,
) -> int:
    """Print (or write) the report and give the exit code. A report in another format than text
    written to a file has its findings on stderr as text too, for a CI log. The exit code: 2
    when a file could not be checked (``problems``, each also on stderr unless already
    ``said``), else 1 when a finding reaches ``--fail-on``, else 0. ``unloaded``: the packs a
    review could not judge, which every format's summary counts and names.
    A ``--select`` or ``--ignore`` that names no rule of ``rules`` is a usage error: a typo
    would otherwise select nothing and pass."""
    _check_selection(args, {*rules, *WAIVER_CHECKS})
    if config is not None:
        check_config_selection(config, {*rules, *WAIVER_CHECKS})
    summary = Summary.of(findings, files)
    to_file = args.output is not None
    color = colored(args, to_file)
    text = render(
        args.format,
        findings,
        summary,
        rules=rules,
        color=color,
        problems=problems,
        fixes=fixes,
        said=said,
        unloaded=unloaded,
    )
    if to_file:
        write_output(args.output, text)
        if args.format != "text" and findings:  # a CI log then still shows what was found
            sys.stderr.write(
                render("text", findings, summary, rules=rules, color=False, unloaded=unloaded)
            )
    else:
        sys.stdout.write(text)
    report_problems([p for p in problems if p not in said])
    if problems:
        return USAGE
    return 1 if fails(findings, getattr(args, "fail_on", FAIL_ON_DEFAULT)) else 0
