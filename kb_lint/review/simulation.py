"""A pack that says nothing about simulation (KB-RULES-022)."""

from __future__ import annotations

from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check

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


def check_simulation(source: PackSource) -> list[Finding]:
    if "simulation" in source.pack.data:
        return []
    message = (
        f"pack {source.pack.id} says nothing about simulation: write `simulation: {{model: none, "
        "reason: ...}` or give a model and a grid"
    )
    return [NO_SIMULATION.finding(source.at(("pack",)), message)]
