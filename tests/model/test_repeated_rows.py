"""The rows whose email (or CRM user) repeats: what the exclusivity rules group."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kb_lint.model.deployment import _repeated


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "A"]), max_size=12), st.integers(1, 5))
def test_the_rows_of_repeated_values_are_every_row_whose_value_occurs_twice(column, chunk):
    """Whatever the chunks the column is read in: a value repeated within one chunk, across
    two, or both, and the last chunk shorter than the others."""
    expected = [i for i, value in enumerate(column) if column.count(value) > 1]
    assert _repeated(column, chunk) == expected
    assert _repeated(column) == expected
