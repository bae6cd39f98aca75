"""``kb-lint check``: lint deployments and migration plans against the rule packs, and KB
articles (``.md`` files, or the config's ``articles`` folders when no file is named) against
the house style, as ``kb-lint articles`` does."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb_lint.cli import UsageError
from kb_lint.cli.output import add_output_options, emit
from kb_lint.config import Config, Waiver, load_config
from kb_lint.engine import check_deployment, rule_infos
from kb_lint.findings import Finding, RuleInfo
from kb_lint.model.deployment import read_deployment
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.sources import rule_set
from kb_lint.waivers import apply_waivers


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check",
        help="lint deployment files against the rules",
        description="Lint Riva deployment files (YAML, JSON or CSV) against the rule packs, "
        "predicting what Riva will do for each violation.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="deployment files, and articles (.md files or folders of them); "
        "default: the config's `articles`",
    )
    parser.add_argument("--rules", type=Path, help="rule packs folder (default: from config)")
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config).with_selection(args.select, args.ignore)
    given = args.files or list(config.articles)
    if not given:
        raise UsageError("no files to check: name them, or set `articles` in the config")
    articles = [path for path in given if path.is_dir() or path.suffix.lower() == ".md"]
    deployments = [path for path in given if path not in articles]
    findings: list[Finding] = []
    infos: dict[str, RuleInfo] = {}
    files = len(deployments)
    waivers = config.waivers
    if articles:
        found, count, infos, waivers = _articles(articles, config, args.rules)
        findings.extend(found)
        files += count
    if deployments:
        packs = rule_set(args.rules, config.rules)
        vocabulary = vocabulary_of(packs)
        checked = []
        for path in deployments:
            deployment = read_deployment(path, vocabulary)
            shown = str(path)
            checked.extend(
                check_deployment(
                    deployment, packs, lambda rule, shown=shown: config.selects(rule, shown)
                )
            )
        findings.extend(apply_waivers(checked, waivers))
        infos = {**rule_infos(packs), **infos}
    return emit(args, findings, files, infos)


def _articles(
    paths: list[Path], config: Config, rules: Path | None
) -> tuple[list[Finding], int, dict[str, RuleInfo], tuple[Waiver, ...]]:
    """The articles' findings (their waivers applied), how many files, the style's rules, and
    the waivers left for deployments. Imported here: deployment checks do not load Markdown."""
    from kb_lint.articles.lint import article_waivers, lint_articles
    from kb_lint.articles.run import article_files
    from kb_lint.cli.articles import style_of

    style = style_of(config, None)
    files = article_files(paths)
    found = [f for result in lint_articles(files, config, style, rules) for f in result.findings]
    own = article_waivers(config, style)
    rest = tuple(w for w in config.waivers if w not in own)
    return apply_waivers(found, own), len(files), style.infos(), rest
