"""Folders a command walks are bounded (kb_lint.load.walk): hidden folders are never entered,
links to folders never followed, and past ``--max-files`` entries the folder is an input error
at it (exit 2), after reading no more than the limit: the command ends however big the tree."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.load import walk
from kb_lint.load.walk import folder_entries
from tests.conftest import ROOT, one_error

DEPLOYMENT = ROOT / "examples" / "deployment.yaml"


def hostile_tree(root: Path, wide: int = 2_000) -> Path:
    """A deployment beside ``wide`` other files, a loop of links (``sub/loop`` is ``..``), and
    a hidden ``.venv`` holding ``wide`` articles: ``root``."""
    (root / "sub").mkdir(parents=True)
    shutil.copy(DEPLOYMENT, root / "deployment.yaml")
    for i in range(wide):
        (root / "sub" / f"{i}.txt").touch()
    os.symlink("..", root / "sub" / "loop")
    (root / ".venv").mkdir()
    for i in range(wide):
        (root / ".venv" / f"{i}.md").touch()
    return root


@pytest.fixture
def counted(monkeypatch):
    """The entries the walk reads, counted as ``os.scandir`` hands them out."""
    read = [0]
    real = os.scandir

    class Counting:
        def __init__(self, path):
            self.entries = real(path)

        def __enter__(self):
            self.entries.__enter__()
            return self

        def __exit__(self, *exc):
            return self.entries.__exit__(*exc)

        def __iter__(self):
            for entry in self.entries:
                read[0] += 1
                yield entry

    monkeypatch.setattr(walk.os, "scandir", Counting)
    return read


def test_a_walk_reads_no_more_than_its_limit_then_names_the_folder(tmp_path, counted):
    root = hostile_tree(tmp_path / "big")
    with pytest.raises(InputError) as raised:
        folder_entries(root, 50, "--max-files")
    assert raised.value.path == str(root)
    assert "more than 50 files and folders" in raised.value.message
    assert "--max-files sets the limit, 0 for none" in raised.value.message
    # the 51st visible entry stops it; hidden ones are read once by scandir, never entered
    assert counted[0] <= 51 + 3


def test_hidden_folders_are_not_entered_and_a_link_loop_is_not_followed(tmp_path, counted):
    root = hostile_tree(tmp_path / "big", wide=300)
    found = folder_entries(root, 303)  # deployment.yaml, sub, 300 files, the link: 303
    assert root / "deployment.yaml" in found and root / "sub" / "loop" in found
    assert not any(".venv" in p.parts for p in found)
    assert len(found) == 302 and counted[0] == 303 + 1  # + .venv, seen and skipped
    with pytest.raises(InputError):
        folder_entries(root, 302)


def test_no_limit_walks_it_all(tmp_path):
    root = hostile_tree(tmp_path / "big", wide=30)
    assert len(folder_entries(root, None)) == 32


@pytest.mark.parametrize("command", ["check", "articles"])
def test_a_folder_past_max_files_is_an_input_error_naming_it(kb_lint, tmp_path, command):
    hostile_tree(tmp_path / "big")
    done = kb_lint(command, "big", "--max-files", "100", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [line] = [x for x in done.stderr.splitlines() if not x.startswith("kb-lint: note:")]
    assert line == (
        "kb-lint: big:1:1: more than 100 files and folders under this folder, hidden ones "
        "skipped (--max-files sets the limit, 0 for none; or name a narrower folder)"
    )


def test_check_within_max_files_checks_the_folder(kb_lint, tmp_path):
    hostile_tree(tmp_path / "big", wide=50)
    done = kb_lint("check", "big", "--max-files", "0", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert '"path": "big/deployment.yaml"' in done.stdout


@pytest.mark.parametrize("value", ["-1", "many"])
def test_max_files_must_be_a_whole_number(kb_lint, value):
    line = one_error(kb_lint("check", "examples", "--max-files", value))
    assert "argument --max-files" in line


def test_a_folder_that_cannot_be_read_is_an_input_error_not_a_silent_skip(tmp_path, monkeypatch):
    """(Denied by a stand-in for ``os.scandir``: CI runs as root, whom no mode denies.)"""
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.md").touch()
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "b.md").touch()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    with pytest.raises(InputError) as raised:
        folder_entries(tmp_path)
    assert raised.value.path == str(tmp_path / "closed")
    assert "cannot be read (permission denied), so none of the files under" in str(raised.value)
    problems: list[InputError] = []
    assert folder_entries(tmp_path, problems=problems) == [] and len(problems) == 1
