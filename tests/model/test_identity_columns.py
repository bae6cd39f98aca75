"""The column forms of the identity rules give what the one-value forms give, row by row."""

from __future__ import annotations

import json

from hypothesis import assume, given
from hypothesis import strategies as st

from kb_lint.load import load_text
from kb_lint.model.deployment import build_deployment, deployment_validator
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


# Addresses as a file may write them (capitals, a space or a tab around), CRM ids of any text.
emails = st.builds(
    lambda pad, name, domain: f"{pad}{name}@{domain}{pad}",
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from(["ann", "Ann", "bo"]),
    st.sampled_from(["x.example", "X.example"]),
)
crm_ids = st.text(alphabet="aZ@ \tİΣσß.\u00a0\x01", min_size=1, max_size=6)


@given(st.lists(st.fixed_dictionaries({"email": emails, "crm_user": crm_ids}), max_size=6))
def test_the_model_s_columns_of_a_file_s_users_are_each_user_normalised(users):
    """Read through validation, which tells the model which columns are bare and in lower case
    (``kb_lint.load.schema_bulk.Read``), the columns are what each row's normalising gives."""
    assume(all(u["crm_user"].strip() for u in users))
    policy = {"name": "p", "users": users}
    data = {"instances": [{"name": "r", "kind": "cloud", "policies": [policy]}]}
    doc = load_text("d.json", json.dumps(data))
    dep = build_deployment(doc, deployment_validator().validate(doc))
    assert dep.bindings.email == [normalise_email(u["email"]) for u in users]
    assert dep.bindings.crm_user == [normalise_crm_user(u["crm_user"]) for u in users]
