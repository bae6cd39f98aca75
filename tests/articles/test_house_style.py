"""The worked example of docs/house-styles.md: a house style written outside kb-lint (Acme's),
run as a user runs it, and the page showing exactly its files and what kb-lint prints."""

from __future__ import annotations

import subprocess
import sys

from article_fixtures import FIXTURES, ROOT

EXAMPLE = FIXTURES / "house-style"
PAGE = ROOT / "docs" / "house-styles.md"
SHOWN = [
    "styles/acme/style.yaml",
    "styles/acme/rules/terminology.yaml",
    "styles/acme/pronunciations.yaml",
    "kb-lint.toml",
    "articles/sync-agent-stops-draft.md",
]


def articles(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kb_lint", "articles", *args]
    return subprocess.run(command, cwd=EXAMPLE, capture_output=True, text=True, check=False)


def test_the_house_style_finds_the_drafts_slips_in_its_own_words():
    done = articles("articles/")
    assert done.returncode == 1, done.stderr
    found = [line.split(" ", 3)[:2] for line in done.stdout.splitlines() if line[:1] != " "]
    assert found[:-1] == [
        ["articles/sync-agent-stops-draft.md:13:5:", "KB-STYLE-001"],
        ["articles/sync-agent-stops-draft.md:13:35:", "KB-STYLE-002"],
        ["articles/sync-agent-stops-draft.md:13:83:", "KB-STYLE-002"],
        ["articles/sync-agent-stops-draft.md:14:27:", "KB-STYLE-001"],
        ["articles/sync-agent-stops-draft.md:20:1:", "KB-STRUCT-003"],
        ["articles/sync-agent-stops-draft.md:20:16:", "KB-STYLE-003"],
        ["articles/sync-agent-stops-draft.md:20:56:", "KB-STYLE-002"],
        ["articles/sync-agent-stops-draft.md:22:1:", "KB-STRUCT-001"],
    ]
    assert 'write "a SCIM", not "an SCIM"' in done.stdout  # the house's pronunciation
    assert 'write "Acme Sync", not "Acme sync"' in done.stdout  # the house's terminology


def test_the_finished_article_passes():
    done = articles("articles/sync-agent-stops.md")
    assert (done.returncode, done.stdout.strip()) == (0, "All checks passed (1 file).")


def test_the_page_shows_the_example_files_and_output_as_they_are():
    page = PAGE.read_text("utf-8")
    for name in SHOWN:
        assert (EXAMPLE / name).read_text("utf-8") in page, name
    assert f"$ kb-lint articles articles/\n{articles('articles/').stdout}```" in page
