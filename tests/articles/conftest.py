"""Shared fixtures of the article tests: the shipped styles, and linting a text or a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from article_fixtures import FIXTURES, ROOT

from kb_lint.articles.kinds.trace import load_citations
from kb_lint.articles.run import Run, lint_file, lint_source
from kb_lint.articles.source import SourceText
from kb_lint.articles.style import Style, load_style
from kb_lint.config import Config
from kb_lint.findings import Finding

Lint = Callable[..., list[Finding]]


@pytest.fixture(scope="session")
def riva() -> Style:
    return load_style("riva")


@pytest.fixture(scope="session")
def fixture_run(riva: Style) -> Run:
    """The Riva style with the fixtures' rule pack (it cites article 950) for traceability."""
    return Run(
        riva, Config(root=FIXTURES, rules=FIXTURES / "rules"), load_citations(FIXTURES / "rules")
    )


@pytest.fixture(scope="session")
def lint(riva: Style) -> Lint:
    """Lint a text (as the file ``path``) or a file, with no rule packs unless given a run."""

    def run(
        text: str | Path,
        path: str = "article.md",
        style: Style | None = None,
        run_: Run | None = None,
    ) -> list[Finding]:
        settings = run_ or Run(style or riva, Config(root=ROOT, rules=ROOT / "no-rules"))
        if isinstance(text, Path):
            linted = lint_file(text, settings)
            assert linted.error is None, linted.error
            return linted.findings
        return lint_source(SourceText(path, text), settings)

    return run
