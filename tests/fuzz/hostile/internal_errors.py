"""Internal errors of the day the issue was filed: each is an input error at its place now."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.fuzz.hostile.data_loss import THEN, THEN_LINE
from tests.fuzz.hostile.harness import (
    Case,
    Check,
    Outcome,
    copy_rules,
    finishes,
    refused,
    tail,
    write,
)
from tests.fuzz.hostile.security import deployment


def include_folder(folder: Path) -> list[str]:
    (folder / "sub").mkdir()
    write(folder, "dep.yaml", deployment("[sub]"))
    return ["check", "dep.yaml"]


def config_folder(folder: Path) -> list[str]:
    (folder / "conf").mkdir()
    write(folder, "dep.yaml", deployment())
    return ["check", "dep.yaml", "--config", "conf"]


def simulate_folder(folder: Path) -> list[str]:
    (folder / "scenario").mkdir()
    return ["simulate", "scenario"]


def pack_folder(folder: Path) -> list[str]:
    rules = copy_rules(folder, "kb-105")
    (rules / "kb-x" / "pack.yaml").mkdir(parents=True)
    # JSON: the load error is on stderr too (a text report says it once, in the report)
    return ["rules", "check", "--rules", "rules", "--format", "json"]


def long_version(folder: Path) -> list[str]:
    """A version of 5,000 digits: compared as digits, never converted to an int."""
    text = deployment().replace(
        "    kind: cloud\n", f'    kind: on-premise\n    riva_version: "{"9" * 5000}"\n'
    )
    write(folder, "dep.yaml", text)
    return ["check", "dep.yaml"]


def outcome_string(where: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        rules = copy_rules(folder, "kb-105")
        pack = rules / "kb-105" / "pack.yaml"
        text = pack.read_text(encoding="utf-8")
        text = text.replace(
            THEN,
            "then: {sync_errors: true, mailbox_copies: \"'two'\", crm_duplicates: false}",
            1,
        )
        pack.write_text(text, encoding="utf-8")
        if where == "docs":
            return ["docs", "export", "--rules", "rules", "out"]
        return ["rules", "check", "--rules", "rules"]

    return setup


def lone_surrogate(folder: Path) -> list[str]:
    write(
        folder, "dep.json", '{"instances": [{"name": "a\\ud800", "kind": "cloud", "policies": []}]}'
    )
    return ["check", "dep.json"]


def output_folder(folder: Path) -> list[str]:
    (folder / "out").mkdir()
    return ["schema", "-o", "out"]


def output_missing_folder(folder: Path) -> list[str]:
    return ["schema", "-o", "no/such/folder/schema.json"]


def stdout_closed(folder: Path) -> list[str]:
    write(folder, "dep.yaml", deployment())
    return ["check", "dep.yaml"]


def link_loop(folder: Path) -> list[str]:
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    return ["check", "a.yaml"]


def long_name(command: str, suffix: str) -> Callable[[Path], list[str]]:
    return lambda folder: [command, "x" * 300 + suffix]


def pyproject(content: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        write(folder, "pyproject.toml", content)
        (folder / "work").mkdir()
        write(folder, "work/dep.yaml", deployment())
        return [
            "check",
            "work/dep.yaml",
            *(["--config", "pyproject.toml"] if "kb-lint" in content else []),
        ]

    return setup


def include_chain(folder: Path) -> list[str]:
    for n in range(1500):
        write(folder, f"c{n}.yaml", f"include: [c{n + 1}.yaml]\ninstances: []\n")
    write(folder, "c1500.yaml", "instances: []\n")
    return ["check", "c0.yaml"]


def usage_error(says: str) -> Check:
    """Exit 2 with one line saying ``says`` (a wrong command line has no file position)."""

    def check(run: Outcome) -> str | None:
        lines = run.err.strip().splitlines()
        if run.code != 2 or len(lines) != 1 or says not in lines[0]:
            return f"exit {run.code}: {tail(run)}"
        return None

    return check


CASES: list[Case] = [
    Case(
        "internal error: a folder where a file is read",
        "include: a folder",
        include_folder,
        refused("dep.yaml", 1, 11, "not a regular file"),
    ),
    Case(
        "internal error: a folder where a file is read",
        "--config a folder",
        config_folder,
        refused("conf", 1, 1, "folder"),
    ),
    Case(
        "internal error: a folder where a file is read",
        "simulate a folder",
        simulate_folder,
        refused("scenario", 1, 1, "folder"),
    ),
    Case(
        "internal error: a folder where a file is read",
        "pack.yaml a folder",
        pack_folder,
        refused("kb-x/pack.yaml", 1, 1, "it is a folder"),
    ),
    Case(
        "internal error: riva_version of 5,000 digits",
        "check",
        long_version,
        finishes((0,)),
    ),
    Case(
        "internal error: integer outcome given a string",
        "rules check reports it",
        outcome_string("check"),
        finishes(
            (1, 2),
            lambda r: (
                None
                if f"pack.yaml:{THEN_LINE}:" in r.out + r.err
                else f"not reported at its line: {tail(r)}"
            ),
        ),
    ),
    Case(
        "internal error: integer outcome given a string",
        "docs export",
        outcome_string("docs"),
        refused("pack.yaml", THEN_LINE, None, "must be integer"),
    ),
    Case(
        "internal error: lone surrogate in JSON",
        "check",
        lone_surrogate,
        refused("dep.json", 1, None),
    ),
    Case(
        "internal error: output write errors", "-o a folder", output_folder, usage_error("folder")
    ),
    Case(
        "internal error: output write errors",
        "-o in a missing folder",
        output_missing_folder,
        usage_error("cannot write"),
    ),
    Case(
        "internal error: output write errors",
        "closed standard output",
        stdout_closed,
        usage_error("standard output"),
        closed_stdout=True,
    ),
    Case(
        "internal error: path probe errors",
        "a loop of symbolic links",
        link_loop,
        refused("a.yaml", 1, 1, "loop"),
    ),
    *(
        Case(
            "internal error: path probe errors",
            f"a name too long ({command})",
            long_name(command, suffix),
            refused(None, 1, 1, "too long"),
        )
        for command, suffix in (("check", ".yaml"), ("articles", ".md"), ("simulate", ".yaml"))
    ),
    Case(
        "internal error: bad pyproject.toml above the working folder",
        "[tool] not a table",
        pyproject("tool = 1\n"),
        finishes((0,)),
    ),
    Case(
        "internal error: bad pyproject.toml above the working folder",
        "deep nesting",
        pyproject("[tool]\nx = " + "[" * 5000 + "]" * 5000 + "\n"),
        finishes((0,)),
    ),
    Case(
        "internal error: bad pyproject.toml above the working folder",
        "deep nesting in the config given",
        pyproject("[tool.kb-lint]\nx = " + "[" * 5000 + "]" * 5000 + "\n"),
        refused("pyproject.toml", 1, 1, "nested"),
    ),
    Case(
        "internal error: long include chains",
        "1,500 files",
        include_chain,
        refused(None, 1, 11, "nest more than 64"),
    ),
    Case(
        "internal error: --max-size inf",
        "inf",
        lambda f: ["check", "--max-size", "inf", "x.yaml"],
        usage_error("--max-size"),
    ),
]
