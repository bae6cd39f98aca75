"""The option grid of article 105, simulated, with the rules' prediction beside every outcome.

Two instances sync one user: the same or different category and folder names (the same are
Riva's default folder root, "CRM"), "sync all items" off or on in each, a few items the user
created, on Exchange or GroupWise, as Riva Cloud + Riva On-Premise or as two
Riva On-Premise servers. That is 32 cases; for each, the rules predict the mailbox's outcome and
the model shows it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.pack import RulePack
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate.compare import Outcome, differences, predictions, with_defaults
from kb_lint.simulate.run import run_items
from kb_lint.simulate.scenario import scenario_from_data

USER = "user@email.com"
RECORDS = {"contacts": 2, "leads": 1, "appointments": 2, "tasks": 1}
USER_ITEMS = {"contacts": 1, "appointments": 1}
SWEEP_CYCLES = 4
SHOWN = ("sync_errors", "mailbox_copies", "crm_duplicates")
MODEL = "riva-sync"  # the model this module runs: kb_lint.simulate


@dataclass(frozen=True)
class Case:
    names: str  # "same" or "different" category and folder names
    sync_all: tuple[bool, bool]  # in the first and the second instance
    email_system: str
    pair: str  # "cloud+on-premise" or "on-premise+on-premise"

    @property
    def label(self) -> str:
        on = "/".join("on" if s else "off" for s in self.sync_all)
        return f"{self.names} names, sync all {on}, {self.email_system}, {self.pair}"

    def scenario(self, cycles: int, seed: int) -> dict[str, Any]:
        first, second = self.pair.split("+")
        instances = []
        for n, (kind, sync_all) in enumerate(zip((first, second), self.sync_all, strict=True)):
            name = "riva-cloud" if kind == "cloud" else f"onprem-{n + 1}"
            same = self.names == "same"
            instances.append(
                {
                    "name": name,
                    "kind": kind,
                    "policies": [
                        {
                            "name": "Sales",
                            "email_system": self.email_system,
                            "category": "CRM" if same else f"My Sync ({name})",
                            "folders": {"root": "CRM" if same else f"CRM ({name})"},
                            "sync_all_items": sync_all,
                            "users": [{"email": USER, "crm_user": USER}],
                        }
                    ],
                }
            )
        return {
            "instances": instances,
            "crm": {"records_per_user": RECORDS},
            "mailbox": {"user_items": USER_ITEMS},
            "cycles": cycles,
            "seed": seed,
        }


GRID = tuple(
    Case(names, (a, b), system, pair)
    for names, a, b, system, pair in itertools.product(
        ("same", "different"),
        (False, True),
        (False, True),
        ("exchange", "groupwise"),
        ("cloud+on-premise", "on-premise+on-premise"),
    )
)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    predicted: Outcome
    simulated: Outcome

    @property
    def differences(self) -> list[str]:
        return differences(self.predicted, self.simulated)


def simulated_by(packs: list[RulePack], model: str) -> list[RulePack]:
    """The packs whose ``simulation`` names ``model``: the only ones compared with it."""
    return [p for p in packs if p.simulation is not None and p.simulation.model == model]


def run_sweep(packs: list[RulePack], cycles: int = SWEEP_CYCLES, seed: int = 0) -> list[CaseResult]:
    """The grid, simulated; each pack that names this model predicts what it measures."""
    results = []
    vocabulary = vocabulary_of(packs)
    for case in GRID:
        label = f"<sweep: {case.label}>"
        scenario = scenario_from_data(case.scenario(cycles, seed), label, vocabulary)
        findings = check_deployment(scenario.deployment, packs)
        simulated = run_items(scenario.setup).mailboxes[USER]
        predicted: Outcome = {}
        for pack in simulated_by(packs, MODEL):
            measures = pack.simulation.measures if pack.simulation else ()
            measured = {n: pack.outcomes[n] for n in measures}
            outcome = predictions(findings, measured).get(USER, with_defaults({}, measured))
            predicted.update(outcome or {})
        results.append(CaseResult(case, predicted, simulated))
    return results
