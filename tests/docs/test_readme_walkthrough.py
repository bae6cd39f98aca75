"""README's pack-author walk-through, run as written (trial 14 #10, #35: it named an article that
did not exist, for a pack that already shipped, and showed a `rules check` it no longer printed).

The console block under "Pack authors" is parsed: each ``$`` line is run in a copy of the
project's rules and articles (``kb-lint`` as a subprocess; ``echo $?`` prints the exit status
of the command before it), and what it prints must be the block's lines up to the next ``$``.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def walkthrough() -> list[tuple[str, list[str]]]:
    """Each command of the block, with the lines the README shows it printing."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Pack authors") :]
    block = re.search(r"```console\n(.*?)```", section, re.S)
    assert block, "README: no console block under 'Pack authors'"
    steps: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_pack_author_walkthrough_prints_what_the_readme_shows(tmp_path):
    for folder in ("rules", "docs/articles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    steps = walkthrough()
    assert [command.split()[:3] for command, _ in steps] == [
        ["kb-lint", "rules", "new"],
        ["kb-lint", "rules", "check"],
        ["echo", "$?"],
    ]
    status = None
    for command, shown in steps:
        if command == "echo $?":
            assert [str(status)] == shown
            continue
        args = shlex.split(command)
        done = subprocess.run(
            [sys.executable, "-m", "kb_lint", *args[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stderr == "", done.stderr
        assert done.stdout.splitlines() == shown, command
        status = done.returncode
