"""How the render tests render: the site's sources from a project folder (``sources_of``), and
the Markdown extensions mkdocs.yml names (``EXTENSIONS``), to turn a page into HTML as the built
site does."""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader
from sitecopy import FIXTURES, ROOT

from kb_lint.docs.sources import SiteSources, collect

EXTENSIONS = [
    next(iter(e)) if isinstance(e, dict) else e
    for e in yaml.load(  # MkDocs' loader: mkdocs.yml reads SITE_URL with !ENV
        (ROOT / "mkdocs.yml").read_text("utf-8"), Loader=get_yaml_loader()
    )["markdown_extensions"]
]


def sources_of(root: Path, simulate=None) -> SiteSources:
    """The site's sources from ``root``'s rule packs and the test articles; ``simulate``, a
    stand-in simulation for the outcome pages."""
    return collect(root / "rules", FIXTURES / "articles", FIXTURES, simulate)
