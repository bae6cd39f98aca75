"""Fixtures for the docs tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitecopy import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of mkdocs.yml, docs/ and rules/ to build or edit."""
    return copy_project(tmp_path / "project")
