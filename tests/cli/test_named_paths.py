"""What ``check`` and ``articles`` make of the paths they are given (``kb_lint.load.walk``):
one walk, one wording. A folder with nothing to check, a link that leads nowhere (broken or a
loop, named or under a folder named) is an input error naming it as given (exit 2), never a
pass and never skipped without a word; the other files are still checked."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import ROOT

# Per command: a good file of what it checks, and what its empty-folder error calls them.
GOOD = {
    "check": (ROOT / "examples" / "deployment.yaml", "deployment files or articles"),
    "articles": (ROOT / "docs" / "articles" / "kb-105-do-not-run-riva-twice.md", "articles"),
}
COMMANDS = sorted(GOOD)


def errors(proc) -> list[str]:
    """The input errors on stderr (notes left out)."""
    return [x for x in proc.stderr.splitlines() if not x.startswith("kb-lint: note:")]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("content", ["nothing", "notes.txt", "only-a-folder/"])
def test_a_folder_with_nothing_to_check_is_an_input_error(kb_lint, tmp_path, command, content):
    folder = tmp_path / "wrong"
    folder.mkdir()
    if content.endswith("/"):
        (folder / content).mkdir()
    elif content != "nothing":
        (folder / content).write_text("not an article\n", encoding="utf-8")
    proc = kb_lint(command, "wrong", cwd=tmp_path)
    assert proc.returncode == 2
    assert errors(proc) == [f"kb-lint: wrong:1:1: no {GOOD[command][1]} in this folder"]
    assert proc.stdout == "Found 0 findings in 0 files; 1 input error (not checked).\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_links_that_lead_nowhere_in_a_folder_are_each_named(kb_lint, tmp_path, command):
    good, _ = GOOD[command]
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(good, folder / good.name)
    (folder / f"x{good.suffix}").symlink_to(f"y{good.suffix}")
    (folder / f"y{good.suffix}").symlink_to(f"x{good.suffix}")
    (folder / f"z{good.suffix}").symlink_to("/nope")
    proc = kb_lint(command, "folder", "--format", "json", "--rules", ROOT / "rules", cwd=tmp_path)
    assert proc.returncode == 2
    assert errors(proc) == [
        f"kb-lint: folder/x{good.suffix}:1:1: not checked: a loop of symbolic links",
        f"kb-lint: folder/y{good.suffix}:1:1: not checked: a loop of symbolic links",
        f"kb-lint: folder/z{good.suffix}:1:1: not checked: a broken link (to '/nope')",
    ]
    assert json.loads(proc.stdout)["summary"]["files"] == 1  # the good one, still checked


@pytest.mark.parametrize("command", COMMANDS)
def test_a_named_link_that_leads_nowhere_is_named_as_given(kb_lint, tmp_path, command):
    suffix = GOOD[command][0].suffix
    (tmp_path / f"l1{suffix}").symlink_to(f"l2{suffix}")
    (tmp_path / f"l2{suffix}").symlink_to(f"l1{suffix}")
    (tmp_path / f"gone{suffix}").symlink_to("/nope")
    proc = kb_lint(command, f"l1{suffix}", f"gone{suffix}", f"none{suffix}", cwd=tmp_path)
    assert proc.returncode == 2
    assert errors(proc) == [
        f"kb-lint: l1{suffix}:1:1: not checked: a loop of symbolic links",
        f"kb-lint: gone{suffix}:1:1: not checked: a broken link (to '/nope')",
        f"kb-lint: none{suffix}:1:1: no such file or folder",
    ]
    assert proc.stdout == "Found 0 findings in 0 files; 3 input errors (not checked).\n"
