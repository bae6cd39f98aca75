"""An integer or boolean outcome with no default: a rule that does not predict it leaves it out
(not null), and merging predictions skips it, so pages and reports never compare nulls."""

from __future__ import annotations

from kb_lint.engine.outcome import complete, merge
from kb_lint.pack.model import OutcomeField

FIELDS = {
    "users_over": OutcomeField("users_over", "integer", "max", None),
    "refused": OutcomeField("refused", "boolean", "any", False),
}


def test_a_field_without_default_is_left_out_when_not_predicted():
    assert complete({}, FIELDS) == {"refused": False}
    assert complete({"users_over": 2}, FIELDS) == {"users_over": 2, "refused": False}


def test_merging_predictions_skips_the_fields_they_leave_out():
    predictions = [complete({}, FIELDS), complete({}, FIELDS), complete({"users_over": 3}, FIELDS)]
    assert merge(predictions, FIELDS) == {"users_over": 3, "refused": False}
    assert merge([{"users_over": None}, {"users_over": None}], FIELDS) == {}
