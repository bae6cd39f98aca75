"""The real site: `mkdocs build --strict` with the kb-lint plugin, into a temporary folder."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sitecopy import HOSTILE, copy_project, edit_pack, make_hostile, mkdocs_build

PAGES = [
    "index.html",
    "rules/index.html",
    "rules/kb105-001/index.html",
    "rules/kb105-010/index.html",
    "packs/kb105/index.html",
    "packs/kb105/tables/expected-challenges/index.html",
    "packs/kb105/procedures/kb105-p1/index.html",
    "packs/kb105/procedures/kb105-p2/index.html",
    "packs/kb105/outcomes/index.html",
    "packs/kb105/assumptions/index.html",
    "packs/kb105/history/index.html",
]


def broken_links(site: Path, base_url: str | None = None) -> list[str]:
    """Every internal link of every page under ``site`` whose target file or anchor does not
    exist. Absolute links under ``base_url`` (the 404 pages', served at any depth) count as
    internal; a relative link that leaves ``site`` (the outdated-version banner's link to the
    root of a mike deployment) is left to the check of the whole deployment."""
    base_url = base_url or "/"
    broken = []
    ids: dict[Path, set[str]] = {}
    root = site.resolve()
    for page in sorted(site.rglob("*.html")):
        text = page.read_text("utf-8")
        for href in re.findall(r'<a\b[^>]*\shref="([^"]*)"', text):
            parts = urlsplit(href)
            if href.startswith(base_url) or (not parts.netloc and parts.path.startswith("/")):
                path = urlsplit(href).path.removeprefix(urlsplit(base_url).path)
                target = root / unquote(path.lstrip("/"))
            elif parts.scheme or parts.netloc:
                continue
            else:
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.resolve().is_relative_to(root):
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]*)"', target.read_text("utf-8")))
                if unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return broken


@dataclass(frozen=True)
class Built:
    """A strict build of an untouched copy of the project, and what its docs/ held before."""

    project: Path
    site: Path
    result: subprocess.CompletedProcess[str]
    docs_before: list[Path]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One build shared by the tests that only read the site (a build costs seconds)."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    before = sorted(p.relative_to(project) for p in (project / "docs").rglob("*"))
    site = project.parent / "site"
    return Built(project, site, mkdocs_build(project, site), before)


@pytest.mark.slow
def test_strict_build_has_every_page_and_no_broken_link(built):
    project, site, result = built.project, built.site, built.result
    assert result.returncode == 0, result.stderr
    for page in PAGES:
        assert (site / page).is_file(), page
    assert (site / "assets" / "kb-lint.css").is_file()
    assert broken_links(site) == []
    rule = (site / "rules/kb105-001/index.html").read_text("utf-8")
    assert "One Riva instance per email user and CRM user" in rule
    assert 'href="../../packs/kb105/tables/expected-challenges/"' in rule
    outcomes = (site / "packs/kb105/outcomes/index.html").read_text("utf-8")
    assert "<th>Simulated</th>" in outcomes  # computed by the simulator at build time
    # The simulator guide's charts, interactive, their scripts served with the site.
    guide = (site / "simulator/index.html").read_text("utf-8")
    assert guide.count('class="kb-lint-chart"') == 2 and "CRM duplicates" in guide
    assert '<script src="../assets/kb-lint/vega-embed.js">' in guide and "cdn" not in guide
    assert (site / "assets/kb-lint/vega-embed.js").stat().st_size > 100_000
    assert 'class="kb-lint-chart"' in outcomes and "kb-lint-chart:" not in outcomes
    articles = list((site / "articles").rglob("index.html"))
    assert articles and all("kb-lint-badge" in a.read_text("utf-8") for a in articles)
    # generated pages never land in docs/
    assert (
        sorted(p.relative_to(project) for p in (project / "docs").rglob("*")) == built.docs_before
    )


@pytest.mark.slow
def test_markup_in_rule_files_and_articles_is_shown_as_text_in_the_built_site(project, tmp_path):
    edit_pack(project, make_hostile)
    article = f"---\nid: 999\ntitle: '</title>{HOSTILE}'\n---\n\n# Hostile\n\n{HOSTILE}\n"
    (project / "docs" / "articles" / "kb-999-hostile.md").write_text(article, "utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert HOSTILE not in text, page
        assert not re.search(r"<(img|iframe)\b", text), page
    rule = (site / "rules/kb105-001/index.html").read_text("utf-8")
    assert '&#60;script&#62;alert("kb-lint")&#60;/script&#62;' in rule
    assert '<title>KB105-001: ‹script›alert("kb-lint")‹/script› ‹img src=x' in rule
    hostile = (site / "articles/kb-999-hostile/index.html").read_text("utf-8")
    assert "<title>‹/title›‹script›" in hostile
    assert '&lt;script&gt;alert("kb-lint")&lt;/script&gt;' in hostile


@pytest.mark.slow
def test_a_broken_rule_pack_fails_the_build_with_its_position(project, tmp_path):
    pack = project / "rules" / "kb-105" / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("kind: exclusivity", "kind: exclusive", 1))
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert re.search(r"kb-lint: .*pack\.yaml:\d+:\d+: ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_expression_shown_without_words_fails_the_strict_build(project, tmp_path):
    def undescribe(data):
        del data["tables"][0]["inputs"][1]["says"]

    edit_pack(project, undescribe)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert re.search(
        r"kb-lint: .*pack\.yaml:\d+:\d+: input 'folders' of table expected-challenges is shown "
        r"without words \(add says\)",
        result.stderr,
    ), result.stderr


@pytest.mark.slow
def test_search_ranks_rule_pages_and_the_article_above_supporting_pages(built):
    assert built.result.returncode == 0, built.result.stderr
    index = json.loads((built.site / "search" / "search_index.json").read_text("utf-8"))
    boost = {doc["location"].split("#")[0]: doc.get("boost", 1) for doc in index["docs"]}
    assert boost["rules/kb105-001/"] > boost["packs/kb105/tables/expected-challenges/"]
    assert boost["articles/kb-105-do-not-run-riva-twice/"] > 1
    for supporting in ("assumptions", "outcomes", "history"):
        assert boost[f"packs/kb105/{supporting}/"] < 1
