"""docs/editors.md's configurations, as written: they avoid the traps each client has."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "editors.md").read_text("utf-8")


def block(section: str, language: str) -> str:
    part = PAGE[PAGE.index(f"## {section}") :]
    found = re.search(rf"```{language}\n(.*?)```", part, re.S)
    assert found, f"no {language} block under {section}"
    return found.group(1)


def test_the_vs_code_settings_parse_and_use_no_variable_the_client_leaves_as_is():
    settings = json.loads(block("VS Code", "json"))
    command = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    assert command == ["kb-lint", "server"]
    assert "${" not in json.dumps(settings)


def test_the_neovim_config_turns_file_watching_on():
    lua = block("Neovim", "lua")
    assert re.search(r"didChangeWatchedFiles\s*=\s*\{\s*dynamicRegistration\s*=\s*true", lua)


def test_the_server_links_nowhere_until_told_where_the_site_is():
    done = subprocess.run(
        [sys.executable, "-m", "kb_lint", "server", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "default: none" in " ".join(done.stdout.split())
    assert "127.0.0.1:8000/`, where" not in PAGE
