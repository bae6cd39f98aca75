"""Hangs and slowness: each input has a bound."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.fuzz.hostile.harness import ROOT, RULES, Case, Outcome, finishes, refused, tail, write
from tests.fuzz.hostile.internal_errors import usage_error
from tests.fuzz.hostile.security import deployment


def alias_amplification(folder: Path) -> list[str]:
    """50,000 values written once, then named 99 times: 5 million values to walk, in 100 KB
    (within the former budget of 100 times what is written)."""
    values = ",".join("0" for _ in range(50_000))
    aliases = ", ".join(["*a"] * 99)
    write(folder, "dep.yaml", f"x: &a [{values}]\ny: [{aliases}]\ninstances: []\n")
    return ["check", "dep.yaml"]


def house_style_pattern(pattern: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        shutil.copytree(ROOT / "kb_lint" / "styles" / "riva", folder / "styles" / "riva")
        sections = folder / "styles" / "riva" / "rules" / "sections.yaml"
        text = sections.read_text(encoding="utf-8")
        sections.write_text(text.replace("pattern: 'Steps( for .+)?'", f"pattern: '{pattern}'"))
        title = "a" * 30_000 + "!"
        write(folder, "a.md", f"---\nid: 1\n---\n\n# Title\n\n## {title}\n\nText.\n")
        return ["articles", "a.md", "--style", "styles/riva", "--rules", str(RULES)]

    return setup


def huge_folder(folder: Path) -> list[str]:
    """A folder like ``/tmp``: a deployment, 3,000 other files, a loop of links back to the
    folder, and a hidden ``.venv`` of 3,000 articles; walked with ``--max-files 1000``."""
    (folder / "big" / "sub").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "deployment.yaml", folder / "big")
    (folder / "big" / "sub" / "loop").symlink_to("..")
    for name, suffix in (("sub", ".txt"), (".venv", ".md")):
        (folder / "big" / name).mkdir(exist_ok=True)
        for i in range(3_000):
            (folder / "big" / name / f"{i}{suffix}").touch()
    return ["check", "big", "--max-files", "1000"]


# Slips of each word kind and text they must leave alone (quoted, bold), then plain prose.
SLIPS = 'a email and the the e-mail box, not "a email" nor **E-mail**; '
UNITS = 3_000


def long_line(folder: Path) -> list[str]:
    """One line of 2 MB holding 3,000 slips of each word kind (issue 23: each finding's
    context was read from its line's start, and a 49 MB line with 10,000 took 471 s)."""
    unit = SLIPS + "the user opens the mailbox and syncs items " * 14
    write(folder, "long-line.md", f"---\nid: 1\n---\n\n# Title\n\n{unit * UNITS}\n")
    return ["articles", "long-line.md", "--select", "KB-STYLE", "--format", "github"]


def last_slip_placed(run: Outcome) -> str | None:
    """The last "e-mail" reported at its column (a GitHub annotation each finding)."""
    unit = len(SLIPS + "the user opens the mailbox and syncs items " * 14)
    column = (UNITS - 1) * unit + SLIPS.index("e-mail") + 1
    if f"line=7,col={column},title=KB-STYLE-001" not in run.out:
        return f"no KB-STYLE-001 at 7:{column}: {tail(run)}"
    found = run.out.count("::warning ")
    return None if found == 3 * UNITS else f"{found} findings, not {3 * UNITS}"


def mailbox_items(folder: Path) -> list[str]:
    text = deployment() + "mailbox:\n  user_items:\n    contacts: 1000000000\n"
    write(folder, "scenario.yaml", text)
    return ["simulate", "scenario.yaml"]


CASES: list[Case] = [
    Case(
        "hang: a folder walked without bound",
        "3,000 files, a link loop, --max-files 1000",
        huge_folder,
        refused("big", 1, 1, "more than 1,000 files and folders under this folder"),
        limit=10,
    ),
    Case(
        "hang: docs export --cycles unbounded",
        "--cycles 1000000",
        lambda f: ["docs", "export", "--cycles", "1000000", "out"],
        usage_error("--cycles"),
    ),
    Case(
        "hang: simulate --sweep --cycles 1000",
        "--cycles 1000",
        lambda f: ["simulate", "--sweep", "--cycles", "1000"],
        usage_error("for each case"),
    ),
    Case(
        "hang: findings on one long line",
        "2 MB line, 9,000 slips",
        long_line,
        finishes((1,), also=last_slip_placed),
        limit=20,
    ),
    Case(
        "hang: no limit on a mailbox's user items",
        "a billion contacts",
        mailbox_items,
        refused("scenario.yaml", 11, 15, "user items"),
    ),
    Case(
        "hang: house-style pattern backtracks",
        "(a+)+$ (exponential)",
        house_style_pattern("(a+)+$"),
        finishes((0, 1)),
        limit=10,
    ),
    Case(
        "hang: house-style pattern backtracks",
        "a*a*a*b (polynomial)",
        house_style_pattern("a*a*a*a*b"),
        finishes((0, 1)),
        limit=10,
    ),
    Case(
        "hang: house-style pattern backtracks",
        "a look-around (refused)",
        house_style_pattern("(?=Steps).*"),
        refused("sections.yaml", None, None, "RE2"),
    ),
    Case(
        "hang: YAML alias amplification within the size cap",
        "50,000 values x 99",
        alias_amplification,
        refused("dep.yaml", 2, None, "alias"),
        limit=30,
    ),
]
