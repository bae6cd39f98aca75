"""The rows whose email (or CRM user) repeats: what the exclusivity rules group."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kb_lint.model.deployment import _repeated


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "A"]), max_size=8))
def test_the_rows_of_repeated_values_are_every_row_whose_value_occurs_twice(column):
    assert _repeated(column) == [i for i, value in enumerate(column) if column.count(value) > 1]
