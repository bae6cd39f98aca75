"""``kb-lint check``: lint deployments and migration plans against the rule packs, and KB
articles (``.md`` files, or the config's ``articles`` folders when no file is named) against
the house style, as ``kb-lint articles`` does.

A folder stands for the deployment files (``.yaml``, ``.yml``, ``.json``, ``.csv``) and the
articles (``.md``) under it, hidden folders skipped and at most ``--max-files`` entries walked;
a file is checked once however often it is named. A file that cannot be read or is invalid is
reported and the run goes on: the exit code is then 2. With ``--estate`` the deployment files
are one estate; without it, each file is one, with the files it ``include:``s.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb_lint.cli import UsageError, leave
from kb_lint.cli.common_options import add_rules_option
from kb_lint.cli.count_options import add_max_files
from kb_lint.cli.output import add_output_options, emit
from kb_lint.cli.packs import knock_on, loaded
from kb_lint.config import Config, Waiver, load_config
from kb_lint.engine import check_deployment, refuse_empty, rule_infos
from kb_lint.errors import InputError, shown_path
from kb_lint.findings import Finding, RuleInfo
from kb_lint.limits import MAX_BYTES, MAX_FOLDER_ENTRIES, MIB
from kb_lint.load.estate import Loaded, file_key, load_estate
from kb_lint.load.walk import is_article, named_files
from kb_lint.model.deployment import build_deployment, deployment_validator
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.sources import shipped
from kb_lint.waivers import apply_waivers

DEPLOYMENT_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
# Files of these names in a folder are not deployments: a rule pack, a site configuration.
NOT_DEPLOYMENTS = ("pack.yaml", "mkdocs.yml", "mkdocs.yaml")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check",
        help="lint deployment files against the rules",
        description="Lint Riva deployment files (YAML, JSON or CSV) against the rule packs, "
        "predicting what Riva will do for each violation. Exit 0 when clean, 1 with findings "
        "(see --fail-on), 2 when a file could not be checked or on a usage error, 3 on an "
        "internal error.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="deployment files, articles (.md), or folders of them; "
        "default: the config's `articles`",
    )
    add_rules_option(parser)
    parser.add_argument(
        "--estate",
        action="store_true",
        help="check the deployment files as one estate (an assignment in one file and the same "
        "in another overlap)",
    )
    parser.add_argument(
        "--max-size",
        type=_mebibytes,
        default=MAX_BYTES,
        metavar="MIB",
        help=f"largest deployment file to read, in MiB (default: {MAX_BYTES // MIB}; 0: no limit)",
    )
    add_max_files(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def _mebibytes(value: str) -> int | None:
    try:
        size = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of MiB") from None
    if not 0 <= size < float("inf"):
        raise argparse.ArgumentTypeError(f"{value} is not a number of MiB, 0 or more")
    return int(size * MIB) or None


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config).with_selection(args.select, args.ignore)
    given = args.files or list(config.articles)
    if not given:
        raise UsageError("no files to check: name them, or set `articles` in the config")
    problems: list[InputError] = []
    said: list[InputError] = []  # problems already on stderr: the packs that did not load
    articles, deployments = expand(given, problems, args.max_files)
    findings: list[Finding] = []
    infos: dict[str, RuleInfo] = {}
    files = 0
    waivers = config.waivers
    if articles:
        found, count, infos, waivers = _articles(articles, config, args.rules, problems, said)
        findings.extend(found)
        files += count
    if deployments:
        packs, broken = loaded(args.rules, config.rules_folder())  # said first; exit 2 at the end
        if not broken and not any(pack.rules for pack in packs):  # as `rules new` writes them
            folder = shown_path(args.rules or config.rules_folder() or shipped())
            ids = ", ".join(pack.id for pack in packs)
            message = f"no rule to check with: the packs of this folder ({ids}) have no rule yet"
            raise InputError(folder, 0, 0, message)
        problems.extend(broken)
        said.extend(broken)
        vocabulary = vocabulary_of(packs)
        selected = [rule.id for pack in packs for rule in pack.rules if config.selects(rule.id)]
        checked: list[Finding] = []
        project = config.root if config.source else None  # includes stay under it
        deployment = None
        with paused_cycle_collection():
            estates = _estates(deployments, args.estate, args.max_size, vocabulary, project)
            for estate in estates:
                files += len(estate.files)
                problems.extend(_after_broken(estate.problems, broken))
                if estate.doc is None:
                    continue
                try:
                    deployment = build_deployment(estate.doc, estate.data, vocabulary)
                    refuse_empty(deployment)
                except InputError as exc:
                    problems.append(exc)
                    continue
                found = check_deployment(deployment, packs, set(selected).__contains__, problems)
                checked.extend(f for f in found if config.selects(f.rule, f.location.path))
            # The files' data and the last model are freed with the process, not one by one.
            leave((estates, deployment))
        findings.extend(apply_waivers(checked, waivers))
        infos = {**rule_infos(packs), **infos}
    return emit(args, findings, files, infos, _unique(problems), config=config, said=said)


def _after_broken(problems: list[InputError], broken: list[InputError]) -> list[InputError]:
    """``problems`` of a deployment; with packs that did not load, an unknown key or action
    says that one of them may declare it."""
    if not broken:
        return problems
    hint = " (a pack that did not load, its error above, may declare it)"
    return [
        InputError(e.path, e.line, e.column, e.message + hint) if knock_on(e, broken) else e
        for e in problems
    ]


@contextmanager
def paused_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while deployments are loaded and checked, on again
    after: a million assignments and their findings are millions of objects, each collection
    walks them all (a sixth of a check with ten thousand overlaps), and a check makes no
    garbage cycles it needs freed before it ends. The objects are then frozen (``gc.freeze``:
    out of the collector's sight, still freed when no longer used), so that the collector's
    first run after the pause, while the report is written, does not walk them all either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def expand(
    given: list[Path], problems: list[InputError], limit: int | None = MAX_FOLDER_ENTRIES
) -> tuple[list[Path], list[Path]]:
    """The articles and the deployment files named, folders expanded (``named_files``: at most
    ``limit`` entries walked in each, each file once, each path that cannot be used added to
    ``problems``)."""
    files = named_files(given, _checked, "deployment files or articles", problems, limit)
    return [p for p in files if is_article(p)], [p for p in files if not is_article(p)]


def _checked(path: Path) -> bool:
    """Is ``path``, found in a folder, a deployment file or an article?"""
    suffix = path.suffix.lower()
    return is_article(path) or (suffix in DEPLOYMENT_SUFFIXES and path.name not in NOT_DEPLOYMENTS)


def _estates(
    paths: list[Path],
    together: bool,
    limit: int | None,
    vocabulary: Vocabulary,
    project: Path | None,
) -> list[Loaded]:
    """The estates to check: all files as one, or each file with what it includes. A file
    that another checked file includes is not checked on its own too."""
    validate = deployment_validator(vocabulary).validate
    columns = vocabulary.csv_columns()
    if together:
        return [load_estate(paths, validate, limit, columns, project)]
    kept: list[Loaded] = []
    covered: set[Path] = set()
    for path in paths:
        if file_key(path) in covered:
            continue
        estate = load_estate([path], validate, limit, columns, project)
        covered.update(map(file_key, estate.files))
        kept.append(estate)
    return [
        estate
        for estate in kept
        if not any(
            other is not estate and file_key(estate.files[0]) in map(file_key, other.files)
            for other in kept
        )
    ]


def _unique(problems: list[InputError]) -> list[InputError]:
    seen: set[str] = set()
    return [p for p in problems if not (str(p) in seen or seen.add(str(p)))]


def _articles(
    paths: list[Path],
    config: Config,
    rules: Path | None,
    problems: list[InputError],
    said: list[InputError],
) -> tuple[list[Finding], int, dict[str, RuleInfo], tuple[Waiver, ...]]:
    """The articles' findings (their waivers applied), how many files, the style's rules, and
    the waivers left for deployments; an article that cannot be read is added to ``problems``.
    Imported here: deployment checks do not load Markdown."""
    from kb_lint.articles.lint import article_waivers
    from kb_lint.cli.articles import lint_each
    from kb_lint.cli.style_option import style_of

    style = style_of(config, None)
    linted = lint_each(paths, config, style, rules, problems, said=said)
    found = [f for result in linted for f in result.findings]
    own = article_waivers(config, style)
    rest = tuple(w for w in config.waivers if w not in own)
    return apply_waivers(found, own), len(paths), style.infos(), rest
