"""Versioned docs: a real `mike deploy` of two versions into a temporary git repository."""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sitecopy import edit_pack

BIN = Path(sys.executable).parent
OLD_TITLE = "One policy per email user and CRM user in an instance"
NEW_TITLE = "One sync policy per email user and CRM user in an instance"


def clean_env() -> dict[str, str]:
    """The environment without the enclosing repository's git settings, venv first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(repo: Path, *command: str) -> str:
    result = subprocess.run(
        command, cwd=repo, env=clean_env(), capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout


def change_rule(data: dict) -> None:
    data["pack"]["version"] = "1.1.0"
    data["pack"]["history"] = [
        {"version": "1.1.0", "date": "2024-06-01", "changes": "KB105-002 retitled."},
        {"version": "1.0.0", "date": "2024-01-01", "changes": "First release."},
    ]
    rule = next(r for r in data["rules"] if r["id"] == "KB105-002")
    rule["title"] = NEW_TITLE
    rule["since"] = "1.0.0"
    rule["changed"] = "1.1.0"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def served(branch_files: bytes, paths: list[str], root: Path) -> dict[str, str]:
    """Serve the gh-pages tree over HTTP, as GitHub Pages would, and fetch ``paths``."""
    with tarfile.open(fileobj=io.BytesIO(branch_files)) as archive:
        archive.extractall(root, filter="data")
    handler = functools.partial(QuietHandler, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            return {p: urllib.request.urlopen(base + p, timeout=10).read().decode() for p in paths}
        finally:
            server.shutdown()


@pytest.mark.slow
def test_mike_deploys_two_versions_and_the_old_one_keeps_its_rules(project, tmp_path):
    run(project, "git", "init", "-q", "-b", "main")
    run(project, "git", "config", "user.name", "kb-lint tests")
    run(project, "git", "config", "user.email", "tests@kb-lint.invalid")
    run(project, "git", "add", "-A")
    run(project, "git", "commit", "-q", "-m", "Rules 1.0")
    run(project, str(BIN / "mike"), "deploy", "1.0")

    edit_pack(project, change_rule)
    run(project, "git", "commit", "-q", "-am", "Rules 1.1: KB105-002 retitled")
    run(project, str(BIN / "mike"), "deploy", "--update-aliases", "1.1", "latest")

    versions = json.loads(run(project, "git", "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("1.1", ["latest"]), ("1.0", [])]
    files = set(run(project, "git", "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    for version in ("1.0", "1.1"):
        assert f"{version}/rules/index.html" in files
        assert f"{version}/rules/kb105-002/index.html" in files
    assert "latest/rules/kb105-002/index.html" in files  # alias_type: redirect, no symlinks

    archive = subprocess.run(
        ["git", "archive", "gh-pages"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        check=True,
    ).stdout
    pages = served(
        archive,
        [
            "versions.json",
            "1.0/rules/kb105-002/",
            "1.1/rules/kb105-002/",
            "latest/rules/kb105-002/",
        ],
        tmp_path / "pages",
    )
    assert json.loads(pages["versions.json"]) == versions
    old, new = pages["1.0/rules/kb105-002/"], pages["1.1/rules/kb105-002/"]
    assert OLD_TITLE in old and NEW_TITLE not in old
    assert "**Last changed:**" not in old and "Last changed:</strong> 1.0.0" in old
    assert NEW_TITLE in new and "Last changed:</strong> 1.1.0" in new
    assert '"provider": "mike"' in new  # the theme's version selector reads versions.json
    assert "../../../1.1/rules/kb105-002/" in pages["latest/rules/kb105-002/"]
