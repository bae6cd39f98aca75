"""F14: a claim compares a list outcome as a set, as examples do: a claim that writes a row's
elements in another order holds; one that names other elements breaks, both shown sorted."""

from __future__ import annotations

from kb_lint.review import review_packs
from tests.conftest import shipped_copy

CLAIM = """  - id: C4
    says: Contacts held twice on both sides come back from both.
    cites: {section: expected-challenges, item: 1, fingerprint: "sha256:8ad6c7ee2d17f634"}
    table: duplicate-sources
    given: {syncs: true, book: has-crm-contacts, crm: true}
    holds: {duplicate_contacts: HOLDS, certainty: certain}
"""


def claimed(tmp_path, holds: str):
    """Pack KB519 with a claim on row 2 (``[address book, crm]``) holding ``holds``."""
    claim = CLAIM.replace("HOLDS", holds)
    shipped_copy(tmp_path, "kb-519", ("\ntables:\n", claim + "\ntables:\n"))
    return tmp_path / "rules"


def test_a_claim_naming_a_rows_elements_in_another_order_holds(tmp_path, kb_lint):
    rules = claimed(tmp_path, "[crm, address book]")
    assert [f for f in review_packs(rules).findings if f.rule == "KB-RULES-018"] == []
    proc = kb_lint("rules", "check", "--rules", rules, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_claim_naming_other_elements_breaks_shown_sorted(tmp_path):
    rules = claimed(tmp_path, "[crm, phone]")
    [finding] = [f for f in review_packs(rules).findings if f.rule == "KB-RULES-018"]
    assert "duplicate_contacts: ['address book', 'crm'], the article says ['crm', 'phone']" in (
        finding.message
    )


def test_contains_holds_where_the_rows_list_has_the_element(tmp_path):
    rules = claimed(tmp_path, "{contains: crm}")
    assert [f for f in review_packs(rules).findings if f.rule == "KB-RULES-018"] == []


def test_contains_names_what_the_row_lacks_and_not_contains_what_it_has(tmp_path):
    rules = claimed(tmp_path, "{contains: [crm, phone]}")
    [finding] = [f for f in review_packs(rules).findings if f.rule == "KB-RULES-018"]
    assert (
        "duplicate_contacts: ['address book', 'crm'], the article says contains ['crm', 'phone']"
    ) in finding.message
    rules = claimed(tmp_path / "not", "{not contains: [phone, crm]}")
    [finding] = [f for f in review_packs(rules).findings if f.rule == "KB-RULES-018"]
    assert "the article says not contains ['crm', 'phone']" in finding.message


def test_contains_on_an_outcome_that_is_not_a_list_is_an_error_at_the_comparison(tmp_path):
    claim = CLAIM.replace("HOLDS", "[crm, address book]").replace(
        "certainty: certain", "certainty: {contains: certain}"
    )
    shipped_copy(tmp_path, "kb-519", ("\ntables:\n", claim + "\ntables:\n"))
    messages = [f.message for f in review_packs(tmp_path / "rules").findings]
    assert "'contains' reads a list outcome; 'certainty' is enum: use ==, !=, in or not in" in (
        messages
    ), messages
