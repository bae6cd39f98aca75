"""Positions and silence: every refusal names its file, line and column."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.fuzz.hostile.harness import ARTICLE, Case, refused, write
from tests.fuzz.hostile.security import deployment


def bom_then_bad_byte(folder: Path) -> list[str]:
    write(folder, "dep.yaml", b"\xef\xbb\xbfinstances: [\xc3\xa9\xff]\n")
    return ["check", "dep.yaml"]


def config_says(content: str, command: str = "articles") -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        write(folder, "kb-lint.toml", content)
        shutil.copy(ARTICLE, folder / "a.md")
        write(folder, "dep.yaml", deployment())
        return [command, "a.md" if command == "articles" else "dep.yaml"]

    return setup


def broken_links(folder: Path) -> list[str]:
    write(folder, "deploy/dep.yaml", deployment())
    (folder / "deploy" / "gone.yaml").symlink_to("nowhere.yaml")
    (folder / "deploy" / "loop.yaml").symlink_to("loop.yaml")
    return ["check", "deploy"]


def email_value(value: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        text = deployment() + deployment(name="b", kind="on-premise").replace("instances:\n", "")
        write(folder, "dep.yaml", text.replace("email: ann@x.example", f'email: "{value}"', 1))
        return ["check", "dep.yaml"]

    return setup


def merge_keys(folder: Path) -> list[str]:
    text = (
        "instances:\n  - &a {name: a, kind: cloud, policies: []}\n"
        "  - <<: *a\n    <<: {kind: on-premise}\n    name: b\n"
    )
    write(folder, "dep.yaml", text)
    return ["check", "dep.yaml"]


CASES: list[Case] = [
    Case(
        "positions: invalid UTF-8 after a byte-order mark",
        "column counts characters",
        bom_then_bad_byte,
        refused("dep.yaml", 1, 14, "0xff"),
    ),
    Case(
        "positions: style and config errors without a place",
        "style = 'nope'",
        config_says('style = "nope"\n'),
        refused("kb-lint.toml", 1, 1, "unknown style"),
    ),
    Case(
        "positions: style and config errors without a place",
        "styles folder missing",
        config_says('\nstyles = "nowhere"\n'),
        refused("kb-lint.toml", 2, 1, "styles folder"),
    ),
    Case(
        "positions: whole-file errors on devices",
        "check /dev/zero",
        lambda f: ["check", "/dev/zero"],
        refused("/dev/zero", 1, 1, "character device"),
    ),
    Case(
        "positions: whole-file errors on devices",
        "articles /dev/null",
        lambda f: ["articles", "/dev/null"],
        refused("/dev/null", 1, 1, "character device"),
    ),
    Case(
        "silent: configured rules folder missing",
        "rules = 'nowhere'",
        config_says('rules = "nowhere"\n', "check"),
        refused("kb-lint.toml", 1, 1, "rules folder"),
    ),
    Case(
        "silent: duplicate << merge keys",
        "two << in one mapping",
        merge_keys,
        refused("dep.yaml", 4, 5, "duplicate merge key"),
    ),
    Case(
        "silent: broken and looping links skipped in a folder",
        "a folder with both",
        broken_links,
        refused("gone.yaml", 1, 1, "broken link"),
    ),
    *(
        Case(
            "silent: invalid email addresses",
            name,
            email_value(value),
            refused("dep.yaml", 7, 20, "email address"),
        )
        for name, value in (
            ("NUL", "ann@x.example\\0"),
            ("zero-width space", "ann\\u200b@x.example"),
            ("not an email at all", "not an email at all"),
        )
    ),
]
