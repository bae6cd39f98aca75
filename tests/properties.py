"""What the property tests share (tests/test_properties.py, tests/simulate/test_fast_property.py):
the packs, read once, and the vocabulary deployments are read with; how many examples each
property draws (``KB_LINT_PROPERTY_SCALE`` scales them) and the Hypothesis settings; and the
migration procedures' steps as the article writes them (``ARTICLE``)."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import Scenario, scenario_from_data
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)  # deployments checked against the packs are read with it

# Examples per property, chosen so that tests/test_properties.py runs in well under 90 seconds on
# two cores while its coverage report still sees every row, step and rule compared several times.
# KB_LINT_PROPERTY_SCALE (scripts/mutate.py sets 0.25) runs fewer, with the report's floor at 1.
SCALE = float(os.environ.get("KB_LINT_PROPERTY_SCALE", "1"))
EXAMPLES = {
    name: max(5, int(n * SCALE))
    for name, n in {
        "clean": 100,
        "agree": 300,
        "shapes": 250,
        "migrate": 50,
        "fast": 50,
        "claims": 150,
        "plans": 150,
    }.items()
}
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
    "print_blob": True,
    "derandomize": True,  # the same examples every run: the coverage report is reproducible
}


def scenario_of(data: dict[str, Any]) -> Scenario:
    """``data`` as a scenario, read with the packs' fields."""
    return scenario_from_data(data, vocabulary=VOCABULARY)


# Property 3's steps (and property 4's moves), written from the article (not from the pack): the
# event that performs each, and the pack step that must be named when it is left out. Step 3's
# bullets are not ordered by the article; the test draws their order.
ARTICLE = {
    "exchange": (
        "KB105-P1",
        [
            [("disable-cloud-policy", "disable-policy", ())],
            [("delete-cloud-account", "delete-account", ())],
            [
                ("remove-contacts-and-leads", "remove-riva-data", ("contacts", "leads")),
                ("remove-appointments", "remove-riva-data", ("appointments",)),
                ("remove-tasks", "remove-riva-data", ("tasks",)),
                ("remove-folder-structure", "remove-riva-data", ("folders",)),
                ("remove-categories", "remove-riva-data", ("categories",)),
            ],
            [("add-to-on-premise", "add-user", ())],
        ],
    ),
    "groupwise": (
        "KB105-P2",
        [
            [("disable-cloud-policy", "disable-policy", ())],
            [("delete-cloud-account", "delete-account", ())],
            [
                ("remove-crm-address-book", "remove-riva-data", ("contacts",)),
                ("remove-leads-address-book", "remove-riva-data", ("leads",)),
                ("remove-sub-calendar", "remove-riva-data", ("sub-calendar",)),
                ("remove-folder-structure", "remove-riva-data", ("folders",)),
            ],
            [("add-to-on-premise", "add-user", ())],
        ],
    ),
}
