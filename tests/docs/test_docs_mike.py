"""Versioned docs: a real `mike deploy` of two versions into a temporary git repository, with
the README's commands run as written, and the result checked as GitHub Pages would serve it."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from sitecopy import ROOT, edit_pack
from test_docs_site import broken_links

BIN = Path(sys.executable).parent
OLD_TITLE = "One policy per email user and CRM user in an instance"
NEW_TITLE = "One sync policy per email user and CRM user in an instance"
SITE_URL = "https://docs.example.invalid/kb-lint/"  # SITE_URL: where mike publishes


def readme_commands() -> list[str]:
    """The mike lines of the README's documentation-site section, as a reader would type them."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## The documentation site")[1].split("\n## ")[0]
    lines = [line[2:] for line in section.splitlines() if line.startswith("$ ")]
    return [
        re.sub(r"\s+#.*$", "", line)
        for line in lines
        if " mike deploy" in line or "set-default" in line
    ]


def clean_env() -> dict[str, str]:
    """The environment without the enclosing repository's git settings, nor the venv on PATH:
    the README's commands must work without it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if Path(p).resolve() != BIN.resolve()]
    env["PATH"] = os.pathsep.join(path)
    env.pop("VIRTUAL_ENV", None)
    env["SITE_URL"] = SITE_URL
    return env


def run(repo: Path, *command: str) -> str:
    result = subprocess.run(
        command, cwd=repo, env=clean_env(), capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout


def deploy(repo: Path, version: str) -> None:
    """The README's mike commands, as written, for ``version``."""
    for command in readme_commands():
        run(repo, "bash", "-c", command.replace("1.0", version))


PACK = yaml.safe_load((ROOT / "rules/kb-105/pack.yaml").read_text("utf-8"))
BEFORE = next(r for r in PACK["rules"] if r["id"] == "KB105-002")["changed"]
MAJOR, MINOR, _ = PACK["pack"]["version"].split(".")
AFTER = f"{MAJOR}.{int(MINOR) + 1}.0"  # the next release of the pack


def change_rule(data: dict) -> None:
    data["pack"]["version"] = AFTER
    data["pack"]["history"].insert(
        0, {"version": AFTER, "date": "2027-06-01", "changes": "KB105-002 retitled."}
    )
    rule = next(r for r in data["rules"] if r["id"] == "KB105-002")
    rule["title"] = NEW_TITLE
    rule["changed"] = AFTER


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def served(root: Path, paths: list[str]) -> dict[str, str]:
    """Serve ``root`` over HTTP, as GitHub Pages would, and fetch ``paths``."""
    handler = functools.partial(QuietHandler, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            return {p: urllib.request.urlopen(base + p, timeout=10).read().decode() for p in paths}
        finally:
            server.shutdown()


def switch_version(location: str, current_base: str, target_base: str, sitemap: str) -> str:
    """Where Material's version selector takes a reader at ``location`` who picks the version
    at ``target_base``, given that version's sitemap (the theme's ``wi`` function, in Python):
    the same page when the target's sitemap lists it, else the target's home page."""
    local = urlsplit(target_base)
    # the theme keeps each sitemap entry's path and port, with the target's scheme and host
    urls = {
        urlsplit(loc)._replace(scheme=local.scheme, netloc=local.hostname or "").geturl()
        for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap)
    }
    relative_path = urlsplit(location).path.removeprefix(urlsplit(current_base).path)
    # character by character, as the theme does
    prefix = os.path.commonprefix(sorted(urls)) if urls else ""  # noqa: RUF071
    if prefix not in urls or urljoin(prefix, relative_path) not in urls:
        return target_base
    return urljoin(target_base, relative_path)


@pytest.mark.slow
def test_mike_deploys_two_versions_that_keep_the_page_and_their_rules(project, tmp_path):
    assert len(readme_commands()) == 2, readme_commands()
    (project / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    (project / ".gitignore").write_text(".venv\nsite/\n", "utf-8")
    run(project, "git", "init", "-q", "-b", "main")
    run(project, "git", "config", "user.name", "kb-lint tests")
    run(project, "git", "config", "user.email", "tests@kb-lint.invalid")
    run(project, "git", "add", "-A")
    run(project, "git", "commit", "-q", "-m", "Rules 1.0")
    deploy(project, "1.0")
    run(project, "git", "checkout", "-q", "main")

    edit_pack(project, change_rule)
    run(project, "git", "commit", "-q", "-am", "Rules 1.1: KB105-002 retitled")
    deploy(project, "1.1")
    assert "404 page of 1.1" in run(project, str(BIN / "kb-lint"), "docs", "root-404")

    versions = json.loads(run(project, "git", "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("1.1", ["latest"]), ("1.0", [])]
    archive = subprocess.run(
        ["git", "archive", "gh-pages"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        check=True,
    ).stdout
    pages = tmp_path / "pages"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(pages, filter="data")
    for version in ("1.0", "1.1"):
        assert (pages / version / "rules/kb105-002/index.html").is_file()
    assert (pages / "latest/rules/kb105-002/index.html").is_file()  # a redirect, no symlink
    assert (pages / "index.html").is_file()  # set-default: the root goes to latest

    # every link and anchor of every version resolves, the 404 pages' absolute ones included
    assert broken_links(pages, SITE_URL) == []
    for version in ("1.0", "1.1"):
        missing = page_assets(pages / version / "404.html", pages)
        assert missing == [], f"{version}/404.html: {missing}"
    # GitHub Pages shows the root 404.html for any missing address: whole at any depth
    assert page_assets(pages / "404.html", pages) == []

    fetched = served(
        pages,
        ["versions.json", "1.0/rules/kb105-002/", "1.1/rules/kb105-002/", "1.0/sitemap.xml"],
    )
    assert json.loads(fetched["versions.json"]) == versions
    old, new = fetched["1.0/rules/kb105-002/"], fetched["1.1/rules/kb105-002/"]
    assert OLD_TITLE in old and NEW_TITLE not in old
    assert f"Last changed:</strong> {BEFORE}" in old
    assert NEW_TITLE in new and f"Last changed:</strong> {AFTER}" in new
    assert '"provider": "mike"' in new  # the theme's version selector reads versions.json
    # the older version carries the outdated banner (the theme shows it off the default version)
    assert "You are reading the rules as they were in an older version." in old
    history = (pages / "1.1/packs/kb105/history/index.html").read_text("utf-8")
    anchors = [f'id="{v["version"].replace(".", "")}"' for v in PACK["pack"]["history"]]
    assert f'id="{AFTER.replace(".", "")}"' in history  # the new release keeps the earlier ones
    assert all(anchor in history for anchor in anchors)

    # the version selector, from a rule page of 1.1 to 1.0, lands on the same rule page
    base = "http://127.0.0.1:8000/"
    here = base + "1.1/rules/kb105-002/"
    target = switch_version(here, base + "1.1/", base + "1.0/", fetched["1.0/sitemap.xml"])
    assert target == base + "1.0/rules/kb105-002/"
    gone = switch_version(
        base + "1.1/no-such-page/", base + "1.1/", base + "1.0/", fetched["1.0/sitemap.xml"]
    )
    assert gone == base + "1.0/"


def page_assets(page: Path, root: Path) -> list[str]:
    """The stylesheets and scripts of ``page`` that are not in the deployment at ``root``."""
    text = page.read_text("utf-8")
    refs = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"', text)
    refs += re.findall(r'<script\b[^>]*src="([^"]+)"', text)
    missing = []
    for ref in refs:
        parts = urlsplit(ref)
        if parts.netloc and not ref.startswith(SITE_URL):
            continue
        path = (
            parts.path.removeprefix(urlsplit(SITE_URL).path)
            if parts.netloc or parts.path.startswith("/")
            else None
        )
        target = root / path.lstrip("/") if path is not None else page.parent / parts.path
        if not target.is_file():
            missing.append(ref)
    return missing
