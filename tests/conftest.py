"""Shared fixtures: paths into the repository and a runner for the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from kb_lint.errors import InputError
from kb_lint.pack import load_pack

# Properties are judged by what they find, never by the clock: a shared CI machine may be slow.
settings.register_profile("kb-lint", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kb-lint")
# scripts/mutate.py (--hypothesis-profile=mutation) needs a failure found, not explained: no
# shrinking, which can take longer than the search.
settings.register_profile(
    "mutation",
    settings.get_profile("kb-lint"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)

ROOT = Path(__file__).resolve().parent.parent
# A mailbox the simulator ends with nothing wrong in it: article 105's outcome fields, all clean.
CLEAN_MAILBOX = {
    "sync_errors": False,
    "mailbox_copies": 1,
    "crm_duplicates": False,
    "lost_and_found": False,
    "dormant": False,
    "leftovers": [],
}
# git run by tests: a known author, no user or system configuration
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Reviewer",
    "GIT_AUTHOR_EMAIL": "reviewer@example.com",
    "GIT_COMMITTER_NAME": "Reviewer",
    "GIT_COMMITTER_EMAIL": "reviewer@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


@pytest.fixture
def kb_lint():
    """Run ``python -m kb_lint ARGS`` in a subprocess, as a user would; returns the process."""

    def run(*args: str, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kb_lint", *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            **kwargs,
        )

    return run


def one_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused input or a wrong use prints (exit 2, no traceback)."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    return line


def shipped_copy(tmp_path: Path, pack: str, *changes: tuple[str, str]) -> Path:
    """A copy of the shipped pack ``rules/PACK`` under ``tmp_path/rules``, with the articles
    beside it as in the project, each ``(old, new)`` of ``changes`` made once; its pack file."""
    shutil.copytree(ROOT / "rules" / pack, tmp_path / "rules" / pack)
    shutil.copytree(ROOT / "docs/articles", tmp_path / "docs/articles")
    return changed(tmp_path / "rules" / pack / "pack.yaml", *changes)


def beside_shipped(tmp_path: Path, own: Path, *shipped: str) -> Path:
    """A rules folder under ``tmp_path`` holding the test pack folder ``own`` and copies of
    the shipped packs named (``kb-22``), with the articles beside it as in the project."""
    rules = tmp_path / "rules"
    shutil.copytree(own, rules / own.name)
    for pack in shipped:
        shutil.copytree(ROOT / "rules" / pack, rules / pack)
    shutil.copytree(ROOT / "docs/articles", tmp_path / "docs/articles")
    return rules


def changed(path: Path, *changes: tuple[str, str]) -> Path:
    """``path`` with each ``(old, new)`` of ``changes`` made, each ``old`` found exactly once."""
    text = path.read_text("utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return path


def place(path: Path, needle: str) -> tuple[int, int]:
    """The line and column of the first ``needle`` in the file."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def fixture_pack_passes(kb_lint, rules: Path, examples: int) -> None:
    """A real run of ``rules check`` and ``rules test`` on the rules folder ``rules`` (a test
    pack copied there): the checks pass and its ``examples`` examples all pass."""
    checked = kb_lint("rules", "check", "--rules", rules)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (1 file).\n"), (
        checked.stdout + checked.stderr
    )
    tested = kb_lint("rules", "test", "--rules", rules, "--color", "never")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert f"{examples} examples: {examples} passed, 0 failed" in tested.stdout


def refused_at(folder: Path, text: str, at: str, says: str, tmp_path: Path) -> None:
    """The test pack ``folder`` copied to ``tmp_path`` with ``text`` as its pack file fails to
    load, with an error saying ``says`` at the place of the first ``at`` in ``text``, and there
    only."""
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    (tmp_path / "pack.yaml").write_text(text, "utf-8")
    try:
        load_pack(tmp_path / "pack.yaml")
    except InputError as caught:
        errors = getattr(caught, "errors", [caught])
    else:
        raise AssertionError("the pack loaded")
    before = text[: text.index(at)]
    place = (before.count("\n") + 1, len(before) - before.rfind("\n"))
    assert [(e.line, e.column) for e in errors if says in e.message] == [place], [
        str(e) for e in errors
    ]


def instances_timeline(
    folder: Path, instances: Sequence[str], events: Sequence[tuple[str, str]]
) -> Path:
    """``folder``/timeline.yaml: the on-premise ``instances`` (no policies) and a timeline of
    ``events``, each ``(action, instance)``, in order."""
    lines = ["instances:", *(f"  - {{name: {i}, kind: on-premise}}" for i in instances)]
    lines += ["timeline:", *(f"  - {{action: {a}, instance: {i}}}" for a, i in events)]
    if not events:
        lines[-1] = "timeline: []"
    path = folder / "timeline.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
