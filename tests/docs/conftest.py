"""Fixtures for the docs tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rendering import sources_of
from sitecopy import ROOT, copy_project

from kb_lint.docs.render import render_site
from kb_lint.docs.sources import SiteSources


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of mkdocs.yml, docs/ and rules/ to build or edit."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def sources() -> SiteSources:
    """The sources of the site from the project's own rules and the test articles."""
    return sources_of(ROOT)


@pytest.fixture(scope="module")
def pages(sources: SiteSources) -> dict[str, str]:
    """The site's pages as the renderer makes them, by path."""
    return render_site(sources)
