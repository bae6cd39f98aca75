"""A copied policy needs no mechanism of its own. Riva's Duplicate command makes a disabled copy
with the original's users and options (Riva's page "How to Duplicate a Riva Policy"); enabled
as it is, it is a second policy of one instance syncing the same users, which M6 runs: with
Force User Exclusivity off each policy writes its own copy of every record (KB 433), with it on
the first policy in file order keeps the user and the copy is skipped. Pack KB433's examples
copied-policy-enabled.yaml and its fix show it on every path."""

from __future__ import annotations

import pytest
import yaml

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import read_scenario, run_scenario, scenario_from_data, simulate
from kb_lint.simulate.coverage import not_modelled
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)
EXAMPLES = ROOT / "rules" / "kb-433" / "examples"
USER = "ann.lee@example.com"
PATHS = {"item_level": {"item_level": True}, "counting": {"counting": True}, "fast": {}}


def _data(name: str, release: str | None = None) -> dict:
    """The example's data; ``release``: the instance's Riva release instead of 2.4.50."""
    data = yaml.safe_load((EXAMPLES / name).read_text("utf-8"))
    if release is not None:
        data["instances"][0]["riva_version"] = release
    return data


def _copies(name: str, path: str, release: str | None = None) -> int:
    scenario = scenario_from_data(_data(name, release) | {"cycles": 4}, name, VOCABULARY)
    return simulate(scenario, **PATHS[path]).mailboxes[USER]["mailbox_copies"]


@pytest.mark.parametrize("path", sorted(PATHS))
def test_an_enabled_copy_with_the_originals_users_writes_a_second_copy(path):
    assert _copies("copied-policy-enabled.yaml", path) == 2
    assert _copies("copied-policy-users-removed.yaml", path) == 1


@pytest.mark.parametrize("path", sorted(PATHS))
def test_with_force_user_exclusivity_on_the_copy_is_skipped(path):
    assert _copies("copied-policy-enabled.yaml", path, release="2.4.51") == 1


def test_the_copy_is_skipped_for_each_module_by_m6():
    run = run_scenario(
        _data("copied-policy-enabled.yaml", "2.4.51"), cycles=3, trace=True, item_level=True
    )
    skipped = {(e["policy"], e["type"]) for e in run.trace if e["event"] == "skipped"}
    assert skipped == {("Copy of Sales", "contacts"), ("Copy of Sales", "appointments")}
    assert all(e["why"] == "M6" for e in run.trace if e["event"] == "skipped")


def test_nothing_of_a_copied_policy_is_said_not_modelled():
    scenario = read_scenario(
        EXAMPLES / "copied-policy-enabled.yaml", vocabulary=vocabulary_of(PACKS)
    )
    assert not_modelled(scenario.deployment, PACKS) == []
