"""Hangs and slowness: each input has a bound."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.fuzz.hostile.harness import ROOT, RULES, Case, finishes, refused, write
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
