"""The simulated column of the outcome tables: each example deployment run through the model."""

from __future__ import annotations

from pathlib import Path

from kb_lint.docs.sources import Outcome, Simulate
from kb_lint.model.fields import Vocabulary
from kb_lint.simulate import read_scenario, simulate


def simulator(cycles: int | None = None) -> Simulate:
    """A ``Simulate`` that syncs a deployment for ``cycles`` cycles (default: the scenario's)."""

    def mailboxes(path: Path, vocabulary: Vocabulary) -> dict[str, Outcome]:
        return simulate(read_scenario(path, cycles, vocabulary=vocabulary)).mailboxes

    return mailboxes
