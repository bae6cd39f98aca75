"""``kb-lint articles``: lint KB articles (Markdown) for structure, style and traceability."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb_lint.articles.lint import article_waivers, lint_articles
from kb_lint.articles.run import Linted
from kb_lint.articles.style import Style
from kb_lint.cli import UsageError
from kb_lint.cli.common_options import add_rules_option
from kb_lint.cli.count_options import add_max_files
from kb_lint.cli.output import add_output_options, emit
from kb_lint.cli.style_option import style_of
from kb_lint.config import Config, load_config
from kb_lint.errors import InputError, did_you_mean, one_line
from kb_lint.load.walk import is_article, named_files
from kb_lint.reporters.json import Fixed
from kb_lint.waivers import apply_waivers


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "articles",
        help="lint KB articles for structure, style and traceability",
        description="Lint KB articles (Markdown with YAML front matter) against a house style: "
        "front matter, sections and their order, heading levels, numbered steps, terminology, "
        "'a' or 'an', links to other articles, and citations from the rule packs. Exit 0 when "
        "clean, 1 with findings, 2 on a usage or input error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article files or folders of them (default: the config's `articles`)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes in place ('a'/'an', terminology, step numbers, doubled "
        "words) and say what changed",
    )
    parser.add_argument(
        "--style", help="house style: riva, troubleshooting, a project style or a style folder"
    )
    add_rules_option(
        parser,
        "rule packs folder, for the traceability checks (default: the config's `rules`; "
        "without a config, the nearest rules/ folder of packs above the articles; skipped, "
        "with a note, when there is none)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        help="processes to use for many files (default: all CPUs)",
    )
    parser.add_argument(
        "--explain", metavar="RULE", help="print the documentation of RULE (or 'all') and exit"
    )
    add_max_files(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config).with_selection(args.select, args.ignore)
    style = style_of(config, args.style)
    if args.explain:
        return _explain(style, args.explain)
    paths = args.paths or list(config.articles)
    if not paths:
        raise UsageError(
            "no articles to lint: name files or folders, or set `articles` in the config"
        )
    problems: list[InputError] = []
    files = named_files(paths, is_article, "articles", problems, args.max_files)
    said: list[InputError] = []
    linted = lint_each(files, config, style, args.rules, problems, args.fix, args.jobs, said)
    fixes = fixed(linted) if args.fix else None
    if fixes is not None:
        report_fixes(fixes)
    findings = [f for result in linted for f in result.findings]
    findings = apply_waivers(findings, article_waivers(config, style))
    return emit(args, findings, len(files), style.infos(), problems, fixes, config, said)


def lint_each(
    files: list[Path],
    config: Config,
    style: Style,
    rules: Path | None,
    problems: list[InputError],
    fix: bool = False,
    jobs: int = 0,
    said: list[InputError] | None = None,
) -> list[Linted]:
    """Every file's result; the error of each file that could not be linted is added to
    ``problems`` and the run goes on. A pack that does not load is said once the files are
    linted, before any finding and any fix is reported, and added to ``problems`` and to
    ``said``."""
    linted: list[Linted] = []

    def broken(errors: list[InputError]) -> None:
        from kb_lint.cli.packs import say  # with the pack model: only when a pack is broken

        say(errors)
        problems.extend(errors)
        (said if said is not None else []).extend(errors)

    try:
        lint_articles(files, config, style, rules, fix, jobs, linted.extend, broken)
    except InputError:
        if not linted:  # not a file's error: the run could not start
            raise
    problems.extend(InputError(*result.error) for result in linted if result.error is not None)
    return linted


def fixed(linted: list[Linted]) -> list[Fixed]:
    """Every change ``--fix`` made, file by file, in the order they were made."""
    return [
        Fixed(result.path, c.line, c.column, c.rule, c.before, c.after)
        for result in linted
        for round_ in result.rounds
        for c in round_
    ]


def report_fixes(fixes: list[Fixed]) -> None:
    """What ``--fix`` changed, file by file, on stderr (stdout keeps the report)."""
    by_file: dict[str, list[Fixed]] = {}
    for fix in fixes:
        by_file.setdefault(fix.path, []).append(fix)
    for path, changes in by_file.items():
        print(f"{one_line(path)}: fixed {len(changes)}", file=sys.stderr)
        for change in changes:
            before, after = _shown(change.before), _shown(change.after)
            print(
                f"  {change.line}:{change.column} {change.rule} {before} -> {after}",
                file=sys.stderr,
            )
    total, files = len(fixes), len(by_file)
    plural = "s" if total != 1 else ""
    print(
        f"Fixed {total} problem{plural} in {files} file{'s' if files != 1 else ''}.",
        file=sys.stderr,
    )


def _shown(text: str) -> str:
    return '"' + one_line(text) + '"'


def _explain(style: Style, rule_id: str) -> int:
    """A rule of the style as plain text (``kb-lint explain`` knows every rule)."""
    from kb_lint.cli.explain import article_text

    if rule_id == "all":
        sys.stdout.write("\n".join(article_text(rule, style) for rule in style.rules))
        return 0
    rule = style.rule(rule_id.upper())
    if rule is None:
        ids = [r.id for r in style.rules]
        raise UsageError(
            f"style '{style.name}' has no rule {rule_id}{did_you_mean(rule_id.upper(), ids)}"
        )
    sys.stdout.write(article_text(rule, style))
    return 0
