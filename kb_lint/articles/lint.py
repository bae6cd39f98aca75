"""Linting a set of articles with one house style: what ``kb-lint articles`` and ``kb-lint
check`` share.

The traceability checks read the rule packs of a rules folder: the one given (``--rules``),
else the configuration's ``rules`` (beside the config file) when there is a config file; else
the nearest ``rules`` folder holding a pack (``*/pack.yaml``) at or above the folder of the
articles, so that it does not matter where kb-lint is run from; else ``rules`` in the current
folder. Without one, the traceability checks are skipped, and a note on stderr says so. Its
packs are read the first time an article with an ``id`` is checked (``CitationIndex``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from kb_lint.articles.kinds.trace import CitationIndex
from kb_lint.articles.run import Linted, Run, lint_files
from kb_lint.articles.style import Style
from kb_lint.config import Config, Waiver
from kb_lint.errors import InputError

TRACE_KINDS = ("citations", "coverage")


def lint_articles(
    files: list[Path],
    config: Config,
    style: Style,
    rules_dir: Path | None = None,
    fix: bool = False,
    jobs: int = 0,
    report_fixes: Callable[[list[Linted]], object] | None = None,
    on_broken: Callable[[list[InputError]], object] | None = None,
) -> list[Linted]:
    """Each file's findings (waivers not applied yet: see ``article_waivers``); an unreadable
    file is an ``InputError``. With ``on_broken``, the packs that do not load (when the packs
    were read) are given to it once the files are linted, and the traceability checks read the
    others; without, the first is an ``InputError``. ``report_fixes`` is given every file's
    result next, so that the fixes already written are reported even when a file then turns out
    to be an error."""
    citations = _citations(style, config, rules_dir, files)
    run = Run(style, config, citations, article_waivers(config, style))
    linted = lint_files(files, run, fix, jobs or _cpus())
    if citations is not None and citations.broken:
        if on_broken is None:
            raise citations.broken[0]
        on_broken(citations.broken)
    if report_fixes is not None:
        report_fixes(linted)
    for result in linted:
        if result.error is not None:
            raise InputError(*result.error)
    return linted


def article_waivers(config: Config, style: Style) -> tuple[Waiver, ...]:
    """The configured waivers that are about article rules."""
    ids = [rule.id for rule in style.rules]
    return tuple(w for w in config.waivers if any(i.startswith(w.rule) for i in ids))


def _citations(
    style: Style,
    config: Config,
    rules_dir: Path | None,
    files: list[Path],
) -> CitationIndex | None:
    if rules_dir is not None and not rules_dir.is_dir():
        raise InputError(str(rules_dir), 1, 1, "rules folder not found")
    tracing = [r.id for r in style.rules if r.kind in TRACE_KINDS and config.selects(r.id)]
    if not tracing:
        return None
    folder = rules_dir or rules_folder(config, files)
    if folder is None:
        where = "no `rules` folder of rule packs at or above the articles' folder, nor here"
        print(
            f"kb-lint: note: {', '.join(tracing)} not checked: {where}; name one with --rules "
            "DIR, or with `rules` in the config",
            file=sys.stderr,
        )
        return None
    return CitationIndex(folder)


def rules_folder(config: Config, files: list[Path]) -> Path | None:
    """The rules folder when none is given: see the module's docstring."""
    if config.source is None and files:
        common = Path(os.path.commonpath({os.path.abspath(f.parent) for f in files}))
        for folder in (common, *common.parents):
            candidate = folder / "rules"
            if candidate.is_dir() and next(candidate.glob("*/pack.yaml"), None) is not None:
                return candidate
    return config.rules_folder()


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
