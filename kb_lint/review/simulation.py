"""What a pack says about simulation: nothing (KB-RULES-022), or a measure the model does not
show (KB-RULES-023). One pass over the pack's ``simulation.measures``."""

from __future__ import annotations

from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check
from kb_lint.simulate.measures import MODEL, unmeasurable

NO_SIMULATION = Check(
    id="KB-RULES-022",
    name="simulation-unstated",
    severity="info",
    what="A pack with no `simulation:` key: it neither names the model that measures its "
    "outcomes nor says why there is none (information: the pack passes `rules check`).",
    why="`kb-lint simulate --sweep` and the pack's outcomes page then can only say that the "
    "pack gives no model, not why; a reader cannot tell a pack the model cannot run from one "
    "whose author has not looked yet.",
    example="pack: {id: KB1383, article: 1383, ...}\noutcomes: ...\nrules: ...\n"
    "# no simulation: key\n",
    fix="Write `simulation: {model: none, reason: ...}` (what the model leaves out), or "
    "`simulation: {model: riva-sync, measures: [...], grid: grid.yaml}` to have it measured "
    "and swept.",
)
UNMEASURABLE = Check(
    id="KB-RULES-023",
    name="measure-unknown",
    severity="error",
    what=f"A `measures` entry of `simulation: {{model: {MODEL}}}` that the model never shows "
    "for a mailbox, or shows with another type than the pack's outcome field.",
    why="The site and `kb-lint simulate --sweep` compare the rules' prediction of that outcome "
    "with what the model shows; the model shows nothing, so the comparison reads the default "
    "and reports a disagreement that is neither the rules' fault nor the model's.",
    example="outcomes:\n  duplicated_in: {type: list, merge: union, default: []}\n"
    "simulation: {model: riva-sync, measures: [duplicated_in]}   # not a model measure\n",
    fix="Name only outcomes the model measures (the list is in the pack-format reference, "
    "`kb-lint explain pack-format`), each declared with the model's type; or write "
    "`simulation: {model: none, reason: ...}`.",
)


def check_simulation(source: PackSource) -> list[Finding]:
    if "simulation" in source.pack.data:
        return _check_measures(source)
    message = (
        f"pack {source.pack.id} says nothing about simulation: write `simulation: {{model: none, "
        "reason: ...}` or give a model and a grid"
    )
    return [NO_SIMULATION.finding(source.at(("pack",)), message)]


def _check_measures(source: PackSource) -> list[Finding]:
    """Each ``measures`` entry the model does not show, at the entry."""
    simulation = source.pack.simulation
    if simulation is None or simulation.model != MODEL:
        return []
    outcomes = source.pack.outcomes
    return [
        UNMEASURABLE.finding(source.at(("simulation", "measures", i)), why)
        for i, name in enumerate(simulation.measures)
        if (why := unmeasurable(name, outcomes[name].type)) is not None
    ]
