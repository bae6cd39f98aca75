"""Security: includes that leave the project, hostile values in reports, ``rules new``
writing outside ``rules/``."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.fuzz.hostile.harness import (
    ARTICLE,
    CONTROLS,
    SECRET,
    Case,
    Check,
    Outcome,
    finishes,
    refused,
    write,
)

ONE_USER = """instances:
  - name: {name}
    kind: {kind}
    policies:
      - name: P
        users:
          - email: ann@x.example
            crm_user: ann@x.example
"""


def deployment(includes: str = "", name: str = "a", kind: str = "cloud") -> str:
    head = f"include: {includes}\n" if includes else ""
    return head + ONE_USER.format(name=name, kind=kind)


def _secret_outside(folder: Path) -> Path:
    """A file beside the project, holding a line a runner would not want in a CI log."""
    outside = folder / "outside" / "secret.yaml"
    write(folder, "outside/secret.yaml", SECRET + "\n")
    return outside


def include_absolute(folder: Path) -> list[str]:
    outside = _secret_outside(folder)
    write(folder, "project/kb-lint.toml", "")
    write(folder, "project/dep.yaml", deployment(f"[{outside}]"))
    return ["check", "project/dep.yaml"]


def include_parent(folder: Path) -> list[str]:
    _secret_outside(folder)
    write(folder, "project/dep.yaml", deployment("[../outside/secret.yaml]"))
    return ["check", "project/dep.yaml"]


def include_link(folder: Path) -> list[str]:
    outside = _secret_outside(folder)
    write(folder, "project/dep.yaml", deployment("[inner/link.yaml]"))
    (folder / "project" / "inner").mkdir()
    (folder / "project" / "inner" / "link.yaml").symlink_to(outside)
    return ["check", "project/dep.yaml"]


def include_inside(folder: Path) -> list[str]:
    """Allowed: a file of the project's tree (beside the config), not under the includer."""
    write(folder, "project/kb-lint.toml", "")
    write(folder, "project/shared/other.yaml", deployment(name="b", kind="on-premise"))
    write(folder, "project/deploy/dep.yaml", deployment("[../shared/other.yaml]"))
    return ["check", "project/deploy/dep.yaml", "--config", "project/kb-lint.toml"]


HOSTILE_NAME = "a\\n::error file=x.yaml::pwned \\e[31mred\\r\\n::warning::b \\u2028 \\u202e"


def hostile_names(folder: Path) -> list[str]:
    text = ONE_USER.format(name=f'"{HOSTILE_NAME}"', kind="cloud") + ONE_USER.format(
        name='"b\\x1b]0;title\\x07"', kind="on-premise"
    ).replace("instances:\n", "")
    write(folder, "dep.yaml", text)
    return ["check", "dep.yaml"]


def no_raw_controls(fmt: str) -> Check:
    """No control character but the report's own line breaks; for text and github, no line
    that a CI runner would read as a workflow command, but github's own annotations."""

    def check(run: Outcome) -> str | None:
        raw = CONTROLS.search(run.out)
        if raw:
            return f"a raw control character {raw.group()!r} in the {fmt} report"
        lines = run.out.splitlines()
        commands = [x for x in lines if x.strip().startswith("::")]
        if fmt == "github":
            if len(commands) != 1 or len(lines) != 1:
                return f"{len(lines)} lines, {len(commands)} workflow commands: {run.out[:300]!r}"
        elif commands:
            return f"a line the runner reads as a workflow command: {commands[0][:200]!r}"
        if fmt in ("json", "sarif"):
            import json

            if "pwned" not in json.dumps(json.loads(run.out)):
                return "the value is lost from the report"
        return None

    return check


def rules_new_id(folder: Path) -> list[str]:
    text = ARTICLE.read_text(encoding="utf-8").replace("id: 105", 'id: "../../../escaped"', 1)
    write(folder, "a.md", text)
    (folder / "rules").mkdir()
    return ["rules", "new", "a.md", "--rules", "rules"]


def rules_new_link(folder: Path) -> list[str]:
    shutil.copy(ARTICLE, folder / "a.md")
    (folder / "rules" / "kb-105").mkdir(parents=True)
    (folder / "rules" / "kb-105" / "pack.yaml").symlink_to(folder / "written-through.yaml")
    return ["rules", "new", "a.md", "--rules", "rules"]


def nothing_outside(name: str) -> Check:
    def check(run: Outcome) -> str | None:
        stray = [p for p in run.folder.parent.rglob("*") if "escaped" in p.name or p.name == name]
        return f"written outside rules/: {stray}" if stray else None

    return check


CASES: list[Case] = [
    Case(
        "security: include leaves the project",
        "absolute path",
        include_absolute,
        refused("project/dep.yaml", 1, 11, "outside"),
    ),
    Case(
        "security: include leaves the project",
        "../ path",
        include_parent,
        refused("project/dep.yaml", 1, 11, "outside"),
    ),
    Case(
        "security: include leaves the project",
        "link pointing out",
        include_link,
        refused("project/dep.yaml", 1, 11, "outside"),
    ),
    Case(
        "security: include leaves the project",
        "inside the config's tree (allowed)",
        include_inside,
        finishes((1,)),
    ),
    *(
        Case(
            "security: reporters pass control characters and line breaks",
            f"--format {fmt}",
            lambda folder, fmt=fmt: [*hostile_names(folder), "--format", fmt],
            finishes((1,), no_raw_controls(fmt)),
        )
        for fmt in ("text", "github", "json", "sarif")
    ),
    Case(
        "security: rules new writes outside rules/",
        "id with ../",
        rules_new_id,
        refused("a.md", 2, 5, "not an article id", nothing_outside("escaped")),
    ),
    Case(
        "security: rules new writes outside rules/",
        "pack.yaml a dangling link",
        rules_new_link,
        refused("pack.yaml", 1, 1, also=nothing_outside("written-through.yaml")),
    ),
]
