"""The built site in a real browser: headless Debian Chromium driven by Playwright for Python.

The site is built once (``mkdocs build --strict``) and served over HTTP, as GitHub Pages would
serve it; a few pages are opened at 400 px (a phone) and at 1,400 px. Playwright never downloads
a browser here: it drives the Chromium the system has (Debian: ``apt-get install chromium``,
which ``make test`` runs when it is missing and it may), and without one the test fails saying
how to get it, instead of passing.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sitecopy import copy_project
from test_docs_site import broken_links

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_BROWSER = (
    "no Chromium to drive: install Debian's (apt-get install -y chromium, or `make test` as "
    "root, which installs it) or set KB_LINT_CHROMIUM to a Chromium executable"
)
# Pages a reader meets, each with tables: a rule, a decision table, a procedure, the format
# reference, the article, and a style rule.
PAGES = (
    "rules/kb105-001/",
    "packs/kb105/tables/expected-challenges/",
    "packs/kb105/procedures/kb105-p1/",
    "packs/kb105/",
    "reference/deployment-format/",
    "articles/kb-105-do-not-run-riva-twice/",
    "ci/",
)
SITE_URL = "http://127.0.0.1:{port}/"

pytestmark = pytest.mark.slow


def chromium() -> str:
    found = os.environ.get("KB_LINT_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(NO_BROWSER, pytrace=False)
    return found


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The site built once with its site_url at the local server that serves it."""
    root = tmp_path_factory.mktemp("browser")
    project = copy_project(root / "project")
    site = root / "site"
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        base = SITE_URL.format(port=server.server_address[1])
        built = subprocess.run(
            [Path(sys.executable).parent / "mkdocs", "build", "--strict", "-q", "-d", str(site)],
            cwd=project,
            env={**os.environ, "SITE_URL": base},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert built.returncode == 0, built.stderr
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield site, base
        finally:
            server.shutdown()


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, errors


# Where each table's last column ends, and whether the reader can get there: inside the
# viewport, or in a box that scrolls sideways while the first column stays in view.
TABLE_REACH = """() => [...document.querySelectorAll('.md-content table')].map((table, n) => {
  const row = table.rows[0];
  const last = row.cells[row.cells.length - 1].getBoundingClientRect();
  let box = table.parentElement;
  while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
  const scrolls = box && box.scrollWidth > box.clientWidth;
  const sticky = getComputedStyle(row.cells[0]).position === 'sticky';
  return {n, columns: row.cells.length, right: Math.round(last.right), scrolls, sticky,
          width: document.documentElement.clientWidth, head: row.innerText.slice(0, 60)};
})"""


def test_every_internal_link_and_anchor_resolves(site):
    folder, base = site
    assert broken_links(folder, base) == []
    assert (folder / "404.html").is_file()


def test_tables_show_their_last_column_at_400_px(site, browser):
    _, base = site
    hidden, seen = [], 0
    for path in PAGES:
        page, _ = open_page(browser, base + path, 400)
        tables = page.evaluate(TABLE_REACH)
        page.close()
        seen += len(tables)
        hidden += [
            f"{path} table {t['n']} ({t['head']!r}): its last column ends at {t['right']} px "
            f"of {t['width']}"
            for t in tables
            if t["right"] > t["width"] and not (t["scrolls"] and t["sticky"])
        ]
    assert seen > 10  # the pages hold tables: the check did look at some
    assert hidden == []


def test_search_for_duplicate_lists_kb105_001_first(site, browser):
    _, base = site
    page, _ = open_page(browser, base, 1400)
    page.click("input.md-search__input")
    page.keyboard.type("duplicate")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    links = page.eval_on_selector_all(
        ".md-search-result__item > a", "items => items.map(a => a.href)"
    )
    page.close()
    assert any("rules/kb105-001/" in link for link in links[:3]), links[:5]


def test_no_page_logs_an_error_and_no_font_comes_from_elsewhere(site, browser):
    _, base = site
    logged, foreign = {}, set()
    for path in ("", *PAGES, "404.html"):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on(
            "request",
            lambda r: foreign.add(r.url) if not r.url.startswith(base) else None,
        )
        page.goto(base + path, wait_until="networkidle")
        page.close()
        if errors:
            logged[path or "/"] = errors
    assert logged == {}
    assert foreign == set()


def test_screenshots_at_1400_and_400_px(site, browser, tmp_path):
    """What a reader sees, kept for a person to look at (KB_LINT_SCREENSHOTS=folder)."""
    _, base = site
    out = Path(os.environ.get("KB_LINT_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for path in PAGES[:3]:
        for width in (1400, 400):
            page, _ = open_page(browser, base + path, width)
            shot = out / f"{path.strip('/').replace('/', '-')}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            page.close()
            assert shot.stat().st_size > 10_000
