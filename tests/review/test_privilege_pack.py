"""A pack a new user wrote from the guide alone (Riva article 24202894113684): a table input is
checked against the enum of the field it reads, and claims see the defaulted outcome the engine
predicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from review_fixtures import PACKS

from kb_lint.docs.sources import SiteSources
from kb_lint.docs.table_pages import render_table
from kb_lint.errors import InputError
from kb_lint.pack import load_pack
from kb_lint.review import review_packs
from tests.conftest import changed

FOLDER = PACKS / "privilege"
PACK = FOLDER / "kb-24202894113684" / "pack.yaml"
INPUT = "{name: handling, expr: privilege_exceptions.handling, values: [retry, rollback, ignore]"
IGNORE_ROW = """      - when: {handling: ignore}
        then: {crm_out_of_date: true, mailbox_change_lost: false}
        cites: {section: expected-challenges, item: 3, fingerprint: "sha256:667e49f24c11830c"}
"""


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(FOLDER, folder)
    changed(folder / PACK.parent.name / "pack.yaml", *changes)
    return folder


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_pack_passes_rules_check_with_a_claim_on_a_defaulted_outcome():
    """C3 holds permission_errors: none; the ignore row leaves it to its default, none."""
    assert "permission_errors: none}" in PACK.read_text("utf-8")
    assert review_packs(FOLDER).findings == []


def test_a_claim_still_catches_a_default_the_article_contradicts(tmp_path):
    folder = edited(
        tmp_path,
        (
            "mailbox_change_lost: false, permission_errors: none}",
            "mailbox_change_lost: false, permission_errors: every-cycle}",
        ),
    )
    [finding] = review_packs(folder).findings
    assert finding.rule == "KB-RULES-018"
    assert "permission_errors: 'none', the article says 'every-cycle'" in finding.message


def test_an_input_that_leaves_out_a_value_of_its_enum_field_is_a_gap(tmp_path):
    claim_c3 = PACK.read_text("utf-8").split("  - id: C3\n")[1].split("\nrules:")[0]
    folder = edited(
        tmp_path,
        (INPUT, INPUT.replace("rollback, ignore]", "rollback]")),
        (IGNORE_ROW, ""),
        ("  - id: C3\n" + claim_c3, ""),
    )
    text = (folder / PACK.parent.name / "pack.yaml").read_text("utf-8")
    findings = review_packs(folder).findings
    [finding] = [f for f in findings if f.rule == "KB-RULES-001"]
    assert finding.location.line == line_of(text, "{name: handling, expr:")
    assert "reads privilege_exceptions.handling, which may also be 'ignore'" in finding.message


def test_an_input_value_the_field_cannot_have_is_refused_at_load(tmp_path):
    folder = edited(tmp_path, (INPUT, INPUT.replace("ignore]", "ignre]")))
    text = (folder / PACK.parent.name / "pack.yaml").read_text("utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(folder / PACK.parent.name / "pack.yaml")
    assert caught.value.line == line_of(text, "{name: handling, expr:")
    assert "'ignre' is not a value of handling (retry, rollback, ignore)" in caught.value.message
    assert "did you mean 'ignore'?" in caught.value.message


def test_the_table_page_shows_a_left_out_cell_as_the_default():
    pack = load_pack(PACK)
    page = render_table(pack, pack.tables["handling"], SiteSources((pack,), (), {}))
    ignore_row = next(line for line in page.splitlines() if line.startswith("| 3 |"))
    assert "none *(default)*" in ignore_row
    assert "—" not in ignore_row


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "then: {permission_errors: every-cycle}",
            "then: {permission_errors: every_cycle}",
            "'every_cycle' is not a value of permission_errors (none, every-cycle); "
            "did you mean 'every-cycle'?",
        ),
        (
            "then: {mailbox_change_lost: true, permission_errors: none}",
            'then: {mailbox_change_lost: "yes", permission_errors: none}',
            "'yes' is not a value of mailbox_change_lost (true, false)",
        ),
    ],
)
def test_a_misspelt_row_value_is_named_as_a_value(tmp_path, old, new, message):
    folder = edited(tmp_path, (old, new))
    text = (folder / PACK.parent.name / "pack.yaml").read_text("utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(folder / PACK.parent.name / "pack.yaml")
    assert caught.value.message == message
    value = message.split("'")[1]
    assert (caught.value.line, caught.value.column) == (
        line_of(text, new),
        text.splitlines()[line_of(text, new) - 1].index(value)
        + (value != "yes"),  # a quoted value starts at its quote
    )
