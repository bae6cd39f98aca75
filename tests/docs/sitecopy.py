"""Copies of the project for docs tests to build, and rule packs edited to hold hostile values."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACK = Path("rules") / "kb-105" / "pack.yaml"
HOSTILE = '<script>alert("kb-lint")</script>'


def copy_project(target: Path) -> Path:
    """What a docs build reads: mkdocs.yml, docs/, rules/ and examples/, copied to ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "rules", target / "rules")
    shutil.copytree(ROOT / "examples", target / "examples")  # the simulator guide's charts
    if not (target / "docs" / "articles").is_dir():
        shutil.copytree(FIXTURES / "articles", target / "docs" / "articles")
    return target


def edit_pack(root: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Load ``root``'s KB105 pack, let ``edit`` change the data, and write it back."""
    path = root / PACK
    data = yaml.safe_load(path.read_text("utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def make_hostile(data: dict[str, Any]) -> None:
    """Put markup into every kind of value a rule pack holds."""
    rule = data["rules"][0]
    rule["title"] = f"{HOSTILE} <img src=x onerror=alert(1)> **bold**"
    rule["message"] = f"{HOSTILE} {{email}} [click](javascript:alert(1))"
    rule["summary"] = f"# {HOSTILE}\n\n| a | b |"
    rule["why"] = f"<iframe src=x></iframe> {HOSTILE}"
    rule["fix"] = f"{HOSTILE} `code`"
    data["assumptions"][0]["text"] = HOSTILE
    data["tables"][0]["rows"][0]["note"] = HOSTILE
    data["tables"][0]["title"] = f"{HOSTILE} table"
    data["procedures"][0]["steps"][0]["text"] = HOSTILE
    data["procedures"][0]["title"] = f"{HOSTILE} procedure"
    data["pack"]["history"] = [{"version": "1.0.0", "date": "2024-01-01", "changes": HOSTILE}]


def mkdocs_build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,  # a bound, not a speed test: a loaded CI machine builds slowly
    )
