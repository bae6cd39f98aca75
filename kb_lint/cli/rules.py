"""``kb-lint rules test|check|diff``: the reviewer's commands for changes to the rule packs."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from kb_lint.cli import UsageError
from kb_lint.cli.common_options import (
    add_color_option,
    add_config_option,
    add_rules_option,
    colored,
)
from kb_lint.cli.output import add_output_file, add_output_options, emit, write_output
from kb_lint.cli.packs import exit_code, loaded, not_loaded, say
from kb_lint.config import load_config
from kb_lint.errors import InputError
from kb_lint.findings import NotLoaded
from kb_lint.pack.sources import shipped
from kb_lint.review import check_infos, review_packs
from kb_lint.review.diff_render import FORMATS as DIFF_FORMATS
from kb_lint.review.diff_render import render_diff
from kb_lint.review.diff_report import compare_with_revision
from kb_lint.review.example_runs import ExampleRun, explain, run_all
from kb_lint.review.fingerprints import refresh_fingerprints
from kb_lint.review.revision import RevisionError
from kb_lint.review.scaffold import GUIDE, scaffold
from kb_lint.review.schema import INVALID_PACK, load_sources

GREEN, RED, RESET = "\033[32m", "\033[31m", "\033[0m"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "rules",
        help="test, check and diff the rule packs",
        description="Review the rule packs: run their examples, check their quality, and "
        "summarise what a change to rules/ changes.",
    )
    actions = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)

    test = actions.add_parser(
        "test",
        help="run every rule's examples",
        description="Run every rule's examples and compare the verdict and outcome each gives "
        "with the one it declares. Exit 0 when all pass, 1 when one fails, 2 on an input error.",
    )
    add_rules_option(test)
    test.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    add_config_option(test)
    add_color_option(test)

    check = actions.add_parser(
        "check",
        help="check the rule packs themselves",
        description="Check the rule packs: schema, unique ids, citations that resolve to the "
        "article and still match its text, decision tables without gaps or contradictions, "
        "reachable procedure steps, and passing and failing examples for every rule. Findings "
        "(KB-RULES-NNN) point into the rule files.",
    )
    add_rules_option(check)
    add_output_options(check)
    check.add_argument(
        "--fix",
        action="store_true",
        help="set every stale or missing citation fingerprint to the cited text's current one "
        "(after you have re-read the text)",
    )

    diff = actions.add_parser(
        "diff",
        help="summarise what changed in the rules since a git revision",
        description="Compare the rule packs with those at the git revision BASE. First the "
        "article statements (claims) the change breaks, with the article's sentence; then the "
        "example deployments (and FILEs) whose verdict flips or whose outcome moves; then the "
        "cases where the rules and the Riva sync model disagree; then what changed: rules, "
        "decision-table rows, procedure steps. Exit 0 when nothing of the first three is "
        "found, 1 when something is, 2 on an error.",
    )
    diff.add_argument("base", metavar="BASE", help="git revision to compare with (origin/main)")
    diff.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="more deployments to measure"
    )
    add_rules_option(diff)
    diff.add_argument(
        "--format", choices=DIFF_FORMATS, default="markdown", help="default: markdown"
    )
    add_output_file(diff)
    add_config_option(diff)

    new = actions.add_parser(
        "new",
        help="start a pack for an article",
        description="Write rules/kb-<id>/pack.yaml for ARTICLE (Markdown with id, title, revision "
        "and updated in its front matter): the pack's metadata, and every section, list item "
        "and constraint-like sentence of the article as a ready-to-use citation. Never "
        "overwrites a pack.",
    )
    new.add_argument("article", type=Path, metavar="ARTICLE")
    add_rules_option(new)
    add_config_option(new)

    listing = actions.add_parser(
        "list",
        help="list the rule packs a run loads, with their source and version",
        description="List every rule pack a run would load: the packs shipped with kb-lint, "
        "those installed Python packages publish (entry-point group kb_lint.packs), and the "
        "configured folder's, each with its version, article, rule count and source.",
    )
    add_rules_option(listing)
    add_config_option(listing)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    actions = {
        "test": run_test,
        "check": run_check,
        "diff": run_diff,
        "list": run_list,
        "new": run_new,
    }
    return actions[args.rules_command](args)


def _rules_dir(args: argparse.Namespace) -> Path:
    """The folder to review: ``--rules``, else the configured one, else the shipped packs."""
    return args.rules or load_config(args.config).rules_folder() or shipped()


# -- test ------------------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    written = scaffold(args.article, args.rules or load_config(args.config).rules)
    shown = _relative(written)
    sys.stdout.write(
        f"wrote {shown}\nfirst: look for the actions and fields other packs declare for the "
        "article's operations and settings (kb-lint explain actions; kb-lint explain fields), "
        "and use theirs\nnext: write the first rule and its examples "
        f"({GUIDE}; kb-lint explain expressions for the expression language), then run "
        f"kb-lint rules check --rules {shown.parent.parent}\n"
    )
    return 0


def _relative(path: Path) -> Path:
    """``path`` as the user would write it: from the current folder when it is below it."""
    here = Path.cwd()
    return path.relative_to(here) if path.is_absolute() and path.is_relative_to(here) else path


def run_list(args: argparse.Namespace) -> int:
    packs, broken = loaded(args.rules, load_config(args.config).rules_folder())
    rows = [("pack", "version", "article", "rules", "source")]
    rows += [(p.id, p.version, f"KB {p.article}", str(len(p.rules)), p.origin) for p in packs]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)))
        sys.stdout.write(f"  {row[4]}\n")
    return exit_code(0, broken)


def run_test(args: argparse.Namespace) -> int:
    packs, broken = loaded(
        args.rules, load_config(args.config).rules_folder()
    )  # said first; exit 2
    runs = run_all(packs)
    unloaded = not_loaded(broken, "examples were")
    ruleless = [pack.id for pack in packs if not pack.rules]  # as `rules new` writes them
    if args.format == "json":
        report = _test_json(runs, unloaded, ruleless)
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_test_text(runs, colored(args), unloaded, ruleless))
    if broken or any(r.error for r in runs):
        return 2
    return 0 if all(r.passed for r in runs) else 1


def _shown_file(run: ExampleRun) -> str:
    file, folder = run.example.file, run.pack.path.parent
    return file.relative_to(folder).as_posix() if file.is_relative_to(folder) else str(file)


def _test_text(
    runs: list[ExampleRun], color: bool, unloaded: NotLoaded, ruleless: list[str]
) -> str:
    """The examples' marks and failures, and a summary that ends saying the packs that did
    not load (``unloaded``: their examples are in no count) and those with no rule yet
    (``ruleless``: nothing of theirs was tested)."""

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if color else text

    lines = []
    for run in runs:
        mark = paint("✓", GREEN) if run.passed else paint("✗", RED)
        lines.append(f"{mark} {run.rule.id} {_shown_file(run)} (expect {run.example.expect})")
        if run.passed:
            continue
        for line in explain(run):
            if line.startswith(("- ", "--- ")):
                line = paint(line, RED)
            elif line.startswith(("+ ", "+++ ")):
                line = paint(line, GREEN)
            lines.append(f"    {line}")
    failed = sum(not r.passed for r in runs)
    lines.append("")
    summary = f"{len(runs)} examples: {len(runs) - failed} passed, {failed} failed"
    lines.append("; ".join(filter(None, (summary, unloaded.words(), _ruleless(ruleless)))))
    return "\n".join(lines) + "\n"


def _ruleless(ids: list[str]) -> str:
    """What a summary adds for the packs with no rule yet (``ids``); empty when there are none."""
    if not ids:
        return ""
    if len(ids) == 1:
        return f"1 pack has no rule yet ({ids[0]}): nothing of it was tested"
    return f"{len(ids)} packs have no rule yet ({', '.join(ids)}): nothing of them was tested"


def _test_json(
    runs: list[ExampleRun], unloaded: NotLoaded, ruleless: list[str]
) -> dict[str, object]:
    """The examples' runs; the summary counts them, counts and names the packs that did not
    load (``unloaded``: their examples were not run), and names those with no rule yet."""
    examples = []
    for run in runs:
        findings = run.result.findings if run.result else []
        examples.append(
            {
                "rule": run.rule.id,
                "file": str(run.example.file),
                "expect": run.example.expect,
                "verdict": run.verdict,
                "passed": run.passed,
                "expected_outcome": run.example.outcome,
                "outcome": run.result.outcome if run.result else None,
                "problems": run.result.problems if run.result else [],
                "error": str(run.error) if run.error else None,
                "findings": [
                    {
                        "rule": f.rule,
                        "severity": f.severity,
                        "message": f.message,
                        "line": f.location.line,
                        "column": f.location.column,
                        "outcome": f.outcome,
                    }
                    for f in findings
                ],
            }
        )
    failed = sum(not r.passed for r in runs)
    summary = {
        "examples": len(runs),
        "passed": len(runs) - failed,
        "failed": failed,
        **unloaded.summary(),
        "packs_without_rules": ruleless,
    }
    return {"examples": examples, "summary": summary}


# -- check -----------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    folder = _relative(args.rules or config.rules_folder() or shipped())
    if args.fix:
        _refresh(folder)
    review = review_packs(folder)
    broken = [
        InputError(f.location.path, f.location.line, f.location.column, f.message)
        for f in review.findings
        if f.rule == INVALID_PACK.id
    ]
    # Only the command line selects checks: the config's selection is for deployment rules.
    selection = replace(
        config,
        select=tuple(args.select or ()),
        ignore=tuple(args.ignore or ()),
        per_file_ignores={},
    )
    shown = args.format == "text" and args.output is None and selection.selects(INVALID_PACK.id)
    if not shown:  # else the report says each, once
        say(broken)
    findings = [f for f in review.findings if selection.selects(f.rule)]
    unloaded = not_loaded(broken, "other checks and examples were")
    return exit_code(emit(args, findings, review.files, check_infos(), unloaded=unloaded), broken)


def _refresh(folder: Path) -> None:
    """Refresh the fingerprints of every pack that loads, saying each change on stderr."""
    for source in load_sources(folder)[0]:
        for change in refresh_fingerprints(source):
            was = change.old or "none"
            sys.stderr.write(
                f"fixed: {source.document.path}:{change.line}: {change.owner} fingerprint "
                f"{was} -> {change.new}\n"
            )


# -- diff ------------------------------------------------------------------------------------


def run_diff(args: argparse.Namespace) -> int:
    try:
        report = compare_with_revision(_rules_dir(args), args.base, tuple(args.files))
    except RevisionError as exc:
        raise UsageError(f"rules diff {args.base}: {exc}") from None
    text = render_diff(args.format, report)
    if args.output is not None:
        write_output(args.output, text)
    else:
        sys.stdout.write(text)
    return 1 if report.refused else 0
