"""Every outcome a pack other than KB105 says the model measures changes when the mechanism
that makes it is taken out of the model (KB105's are in test_mechanisms.py): M12, a master
folder rename that Riva refuses once the policy has been saved (KB 1668)."""

from __future__ import annotations

import pytest

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import read_scenario, run, scenario_from_data, simulate
from kb_lint.simulate.coverage import not_modelled
from tests.conftest import ROOT

PACKS = {p.id: p for p in load_packs(ROOT / "rules")}
USER = "ann.lee@acme.example"


def renamed(root: str) -> dict:
    return {
        "instances": [
            {
                "name": "onprem-1",
                "kind": "on-premise",
                "policies": [
                    {
                        "name": "Sales",
                        "folders": {"root": "Salesforce"},
                        "users": [{"email": USER, "crm_user": USER}],
                    }
                ],
            }
        ],
        "cycles": 3,
        "timeline": [
            {
                "cycle": 2,
                "action": "rename-master-folder",
                "instance": "onprem-1",
                "policy": "Sales",
                "folder_root": root,
            }
        ],
    }


# pack -> outcome -> (a scenario that shows it, what takes its mechanism out)
CASES = {
    "KB1668": {
        "change_refused": (
            renamed("Acme CRM"),
            lambda mp: mp.setattr(run, "refused_rename", lambda config, event: set()),
        ),
    },
}


def _outcome(data: dict) -> dict:
    scenario = scenario_from_data(data, "scenario", vocabulary_of(PACKS.values()))
    return simulate(scenario, item_level=True).mailboxes[USER]


def test_every_measured_outcome_of_every_simulated_pack_has_a_case():
    simulated = {
        pack.id: set(pack.simulation.measures)
        for pack in PACKS.values()
        if pack.simulation is not None and pack.id != "KB105"
    }
    assert simulated == {pack: set(cases) for pack, cases in CASES.items()}


@pytest.mark.parametrize(("pack", "name"), [(p, n) for p, cases in CASES.items() for n in cases])
def test_a_measured_outcome_changes_when_its_mechanism_is_removed(pack, name, monkeypatch):
    data, remove = CASES[pack][name]
    shown = _outcome(data)[name]
    assert shown != PACKS[pack].outcomes[name].default, f"{name}: the case does not show it"
    with monkeypatch.context() as mp:
        remove(mp)
        assert _outcome(data)[name] != shown


def test_a_rename_to_the_policys_own_root_is_no_change():
    assert _outcome(renamed("Salesforce"))["change_refused"] is False


def test_only_a_scenario_with_a_rename_shows_change_refused():
    data = renamed("Acme CRM")
    del data["timeline"]
    assert "change_refused" not in _outcome(data)


@pytest.mark.parametrize(
    "example", ["kb-1668/examples/rename-saved-policy.yaml", "kb-105/examples/clean.yaml"]
)
def test_a_modelled_action_and_a_field_left_at_its_default_are_not_said_not_modelled(example):
    """M12 runs rename-master-folder; a field the file leaves out (filled with its default when
    the file loads, as KB519's address_book) is not one the scenario gives."""
    packs = list(PACKS.values())
    scenario = read_scenario(ROOT / "rules" / example, vocabulary=vocabulary_of(packs))
    assert not_modelled(scenario.deployment, packs) == []
