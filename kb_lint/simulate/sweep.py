"""A sweep: every case of a grid simulated, with the rules' prediction beside its outcome.

Each case is the grid's base scenario with one value of every axis applied
(``kb_lint.simulate.grid``). It is loaded through the same schema as a file, run by the fast
path (which gives the item-level result), and the packs that name this model predict the
outcome of the grid's mailbox from the findings of ``kb-lint check`` on the case. A case that
gives a built-in value the model has no mechanism for (a Google policy, M17; a policy never
saved, M12: ``kb_lint.simulate.coverage``) is not compared: its ``verdict`` is "not modelled"
and its record names the values, never an agreement. (A pack's field or action the model runs
as if absent leaves the case compared on the outcomes the pack's grid says the model measures.)

A case depends only on its number and the sweep: the seed is part of the case, never drawn, so
the cases can run in any order, in any process or on any machine, and give the same records.
``run_cases`` runs a batch of case numbers; ``kb_lint.simulate.executor`` spreads the batches.
Cost: per case, one model run and one rules check of the case's deployment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.pack import RulePack
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.sources import rule_set
from kb_lint.simulate.compare import (
    Outcome,
    as_shown,
    differences,
    measured,
    predictions,
    with_defaults,
)
from kb_lint.simulate.coverage import built_in_values
from kb_lint.simulate.fast import run_fast
from kb_lint.simulate.grid import Axis, Grid, apply, cases_of, read_grid
from kb_lint.simulate.measures import MODEL
from kb_lint.simulate.run import WorldTooLarge
from kb_lint.simulate.scenario import scenario_from_data

Case = dict[str, Any]


@dataclass(frozen=True)
class Sweep:
    """What a worker needs to run any case: the grid's plain parts, the command line's
    ``cycles`` and ``seed`` overrides, and where the rule packs come from (each process loads
    them once)."""

    name: str
    base: dict[str, Any]
    mailbox: str
    axes: tuple[Axis, ...]
    cycles: int | None
    seed: int | None
    rules: Path | None
    configured: Path | None
    judge: str | None = None  # the pack whose grid it is, the only one judged; None: every one

    @classmethod
    def of(
        cls,
        grid: Grid,
        cycles: int | None,
        seed: int | None,
        rules: Path | None,
        configured: Path | None,
        judge: str | None = None,
    ) -> Sweep:
        return cls(
            grid.name, grid.base, grid.mailbox, grid.axes, cycles, seed, rules, configured, judge
        )

    @property
    def size(self) -> int:
        return cases_of(self.axes)

    def choice(self, number: int) -> tuple[int, ...]:
        """The index of case ``number``'s value on each axis (the first axis slowest)."""
        picks = []
        for axis in reversed(self.axes):
            number, pick = divmod(number, len(axis.labels))
            picks.append(pick)
        return tuple(reversed(picks))


def simulated_by(packs: list[RulePack], model: str) -> list[RulePack]:
    """The packs whose ``simulation`` names ``model``: the only ones compared with it."""
    return [p for p in packs if p.simulation is not None and p.simulation.model == model]


_PACKS: dict[tuple[Path | None, Path | None], list[RulePack]] = {}


def packs_for(rules: Path | None, configured: Path | None) -> list[RulePack]:
    """The rule packs of a sweep, loaded once per process (a pack that does not load is left
    out: the command said so before the sweep started)."""
    key = (rules, configured)
    if key not in _PACKS:
        _PACKS[key] = rule_set(rules, configured, [])
    return _PACKS[key]


def pack_grids(packs: list[RulePack]) -> list[tuple[str, Path]]:
    """Each pack that names this model and declares a grid file: its id and the grid."""
    return [
        (p.id, p.simulation.grid)
        for p in simulated_by(packs, MODEL)
        if p.simulation is not None and p.simulation.grid is not None
    ]


def run_pack_grids(
    packs: list[RulePack], grids: list[tuple[str, Path]] | None = None
) -> list[Case]:
    """Every case of ``grids`` (default: those ``packs`` declare), in this process, each grid
    judged by its own pack among these pack objects (``rules diff`` judges two versions of the
    rules on the new version's grids)."""
    vocabulary = vocabulary_of(packs)
    cases: list[Case] = []
    for pack, path in pack_grids(packs) if grids is None else grids:
        sweep = Sweep.of(read_grid(path, vocabulary), None, None, None, None, pack)
        cases += run_cases(sweep, range(sweep.size), packs)
    return cases


def case_label(case: Case) -> str:
    """A case in words: its pack's grid (when it is one), each axis and its value."""
    values = ", ".join(f"{axis} {value}" for axis, value in case["values"].items())
    return f"{case['pack']}: {values}" if case.get("pack") else values


def run_cases(
    sweep: Sweep, numbers: Iterable[int], packs: list[RulePack] | None = None
) -> list[Case]:
    """The records of the given cases, in the order given; judged by ``packs`` when given,
    else by the packs the sweep names (loaded once per process)."""
    if packs is None:
        packs = packs_for(sweep.rules, sweep.configured)
    vocabulary = vocabulary_of(packs)
    judges = [p for p in simulated_by(packs, MODEL) if sweep.judge in (None, p.id)]
    records = []
    for number in numbers:
        choice = sweep.choice(number)
        chosen = [s for axis, i in zip(sweep.axes, choice, strict=True) for s in axis.settings[i]]
        data = apply(sweep.base, chosen)
        if sweep.cycles is not None:
            data["cycles"] = sweep.cycles
        if sweep.seed is not None:
            data["seed"] = sweep.seed
        values = {a.name: a.labels[i] for a, i in zip(sweep.axes, choice, strict=True)}
        try:
            scenario = scenario_from_data(data, f"case-{number}", vocabulary)
        except InputError as exc:
            raise InputError(sweep.name, 1, 1, f"case {number} {values}: {exc.message}") from None
        try:
            result = run_fast(scenario.setup)
        except WorldTooLarge as exc:
            raise InputError(sweep.name, 0, 0, f"case {number} {values}: {exc}") from None
        simulated = result.mailboxes[sweep.mailbox]
        predicted: Outcome = {}
        compared: Outcome = dict(simulated)
        if judges:
            findings = check_deployment(scenario.deployment, packs)
            for pack in judges:
                fields = measured(pack, simulated, sweep.judge == pack.id)
                compared = as_shown(compared, fields)
                outcome = predictions(findings, fields, scenario.deployment).get(
                    sweep.mailbox, with_defaults({}, fields)
                )
                predicted.update(outcome or {})
        gap = built_in_values(scenario.deployment)
        gaps = [gap.as_dict()] if gap is not None else []
        found = [] if gaps else differences(predicted, compared)
        records.append(
            {
                **({"pack": sweep.judge} if sweep.judge else {}),
                "case": number,
                "values": values,
                "seed": scenario.setup.seed,
                "cycles": scenario.setup.cycles,
                "mailbox": sweep.mailbox,
                "final": result.final(),
                "simulated": simulated,
                "predicted": predicted,
                "differences": found,
                "verdict": "not modelled" if gaps else "disagree" if found else "agree",
                "not_modelled": gaps,
            }
        )
    return records
