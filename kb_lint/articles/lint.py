"""Linting a set of articles with one house style: what ``kb-lint articles`` and ``kb-lint
check`` share. The traceability checks read the rule packs when the rules folder exists."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kb_lint.articles.kinds.trace import CitationIndex, load_citations
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
) -> list[Linted]:
    """Each file's findings (waivers not applied yet: see ``article_waivers``); an unreadable
    file is an ``InputError``. ``report_fixes`` is given every file's result first, so that the
    fixes already written are reported even when a file then turns out to be an error."""
    run = Run(style, config, _citations(style, config, rules_dir), article_waivers(config, style))
    linted = lint_files(files, run, fix, jobs or _cpus())
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


def _citations(style: Style, config: Config, rules_dir: Path | None) -> CitationIndex | None:
    folder = rules_dir or config.rules
    tracing = any(r.kind in TRACE_KINDS and config.selects(r.id) for r in style.rules)
    if rules_dir is not None and not rules_dir.is_dir():
        raise InputError(str(rules_dir), 1, 1, "rules folder not found")
    return load_citations(folder) if tracing and folder.is_dir() else None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
