"""Every example of every shipped pack runs through the simulator: a field or action a pack
declares is accepted, and what the model does not run is said as "not modelled"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import read_scenario, simulate
from kb_lint.simulate.coverage import not_modelled
from kb_lint.simulate.measures import MEASURES

ROOT = Path(__file__).resolve().parents[2]
PACKS = load_packs(ROOT / "rules")
FILES = sorted({e.file for pack in PACKS for rule in pack.rules for e in rule.examples})


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_example_simulates(path: Path):
    scenario = read_scenario(path, cycles=3, vocabulary=vocabulary_of(PACKS))
    result = simulate(scenario)
    assert len(result.cycles) == 3
    parts = not_modelled(scenario.deployment, PACKS)
    assert all(part.text.startswith(f"not modelled ({part.pack}): ") for part in parts)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_example_runs_alike_on_every_path(path: Path):
    """The mechanisms the packs' examples use (M12-M15 among them) give the item-level result
    on the fast and counting paths."""
    scenario = read_scenario(path, cycles=4, vocabulary=vocabulary_of(PACKS))
    item_level = simulate(scenario, item_level=True)
    assert simulate(scenario) == item_level
    assert simulate(scenario, counting=True) == item_level


def test_a_pack_action_is_not_modelled_not_refused(kb_lint):
    example = ROOT / "rules/kb-1270/examples/rename-by-the-book.yaml"
    proc = kb_lint("simulate", example, "--rules", ROOT / "rules", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    [part] = json.loads(proc.stdout)["not_modelled"]
    assert part["pack"] == "KB1270"
    assert part["actions"] == [{"action": "rename-user", "entry": 2}]
    assert "blocked_step" in part["outcomes"]
    text = kb_lint("simulate", example, "--rules", ROOT / "rules").stdout
    assert "actions rename-user (timeline entry 2): the model runs as if" in text
    assert "outcomes blocked_step: not measured" in text


def test_the_measure_table_is_what_the_runs_show():
    """``MEASURES``, the list a pack's ``measures`` may name, is exactly the outcome names the
    runs of the shipped examples show, each with its type."""
    shown: dict[str, set[str]] = {}
    for path in FILES:
        result = simulate(read_scenario(path, cycles=3, vocabulary=vocabulary_of(PACKS)))
        for outcome in result.mailboxes.values():
            for name, value in outcome.items():
                shown.setdefault(name, set()).add(type(value).__name__)
    kinds = {"boolean": "bool", "integer": "int", "list": "list", "enum": "str"}
    assert shown == {m.name: {kinds[m.type]} for m in MEASURES.values()}
