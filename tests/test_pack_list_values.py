"""F1: ``values`` on a list outcome constrains its elements: a table cell, a claim, an
example's ``outcome:`` or the default with an element outside them is an error at the element,
as a value outside an enum's is; ``values`` on an outcome that is neither an enum nor a list is
refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack
from tests.conftest import place, shipped_copy

OUTCOME = "  duplicate_contacts:\n    type: list\n"
CONSTRAINED = OUTCOME + "    values: [address book, crm]\n"


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    return shipped_copy(tmp_path, "kb-519", *changes)


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_pack(path)
    return caught.value


def test_values_on_a_list_outcome_load_and_hold_the_shipped_elements(tmp_path):
    pack = load_pack(edited(tmp_path, (OUTCOME, CONSTRAINED)))
    assert pack.outcomes["duplicate_contacts"].values == ("address book", "crm")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        (  # a table cell
            "then: {duplicate_contacts: [crm], certainty: certain}\n",
            "then: {duplicate_contacts: [cmr], certainty: certain}\n",
            "cmr]",
        ),
        (  # a claim
            "holds: {duplicate_contacts: [crm], certainty: certain}",
            "holds: {duplicate_contacts: [address book, cmr], certainty: certain}",
            "cmr]",
        ),
        (  # an example's expected outcome
            "outcome: {duplicate_contacts: [address book, crm], certainty: certain}}",
            "outcome: {duplicate_contacts: [address book, cmr], certainty: certain}}",
            "cmr]",
        ),
        (  # a constant expression, at the expression
            "then: {duplicate_contacts: [crm], certainty: certain}\n",
            "then: {duplicate_contacts: '[\"cmr\"]', certainty: certain}\n",
            "'[",
        ),
    ],
    ids=["table-cell", "claim", "example", "constant"],
)
def test_an_element_outside_values_is_an_error_at_it(tmp_path, old, new, needle):
    path = edited(tmp_path, (OUTCOME, CONSTRAINED), (old, new))
    error = refused(path)
    assert (error.line, error.column) == place(path, needle)
    assert error.message == (
        "'cmr' is not a value of duplicate_contacts (address book, crm); did you mean 'crm'?"
    )


def test_an_unconstrained_list_takes_any_element(tmp_path):
    old = "then: {duplicate_contacts: [crm], certainty: certain}\n"
    load_pack(edited(tmp_path, (old, old.replace("[crm]", "[cmr]"))))  # as before: no values


def test_the_default_of_a_list_is_inside_its_values(tmp_path):
    path = edited(
        tmp_path,
        (
            OUTCOME + "    merge: union\n    default: []\n",
            CONSTRAINED + "    merge: union\n    default: [crm, phone]\n",
        ),
    )
    error = refused(path)
    assert (error.line, error.column) == place(path, "phone]")
    assert error.message == "'phone' in the default of 'duplicate_contacts' is not one of values"


def test_values_on_an_outcome_neither_enum_nor_list_is_refused(tmp_path):
    old = "    type: boolean\n    merge: any\n"
    path = shipped_copy(tmp_path, "kb-105")
    text = path.read_text("utf-8")
    path.write_text(text.replace(old, old + "    values: [sure, unsure]\n", 1), "utf-8")
    error = refused(path)
    assert (error.line, error.column) == place(path, "[sure")
    assert error.message.startswith("'values' lists what an enum or a list holds; outcome '")
    assert error.message.endswith("is of type boolean")


def test_rules_check_reports_a_misspelt_list_element_at_its_place(tmp_path, kb_lint):
    old = "then: {duplicate_contacts: [crm], certainty: certain}\n"
    path = edited(tmp_path, (OUTCOME, CONSTRAINED), (old, old.replace("[crm]", "[cmr]")))
    proc = kb_lint("rules", "check", "--rules", tmp_path / "rules", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    line, column = place(path, "cmr]")
    assert f"kb-519/pack.yaml:{line}:{column}: KB-RULES-010 error 'cmr' is not a value of " in (
        proc.stdout
    )
