"""The column forms of the identity rules give what the one-value forms give, row by row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kb_lint.model.identity import (
    normalise_crm_user,
    normalise_crm_users,
    normalise_email,
    normalise_emails,
)

# Capitals whose lower case is longer (İ) or depends on the place (Σ), spaces, and "@".
texts = st.text(alphabet="aZ@ \tİΣσß.\u00a0", max_size=6)


@given(st.lists(texts, max_size=6))
def test_a_column_of_addresses_is_normalised_as_each_address(column):
    assert normalise_emails(column) == [normalise_email(a) for a in column]


@given(st.lists(texts, max_size=6))
def test_a_column_of_crm_users_is_normalised_as_each_crm_user(column):
    assert normalise_crm_users(column) == [normalise_crm_user(u) for u in column]
