"""``each:`` on a sequence step and on a procedure step: the step's event ranges over the
elements of one of its list fields, and a finding sits at the element (pack KB903 in
``tests/packs``: a save that gives one page a new master folder; one mailbox of a clean-up run
that names several)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_lint.engine.run import check_deployment
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

KB903 = Path(__file__).parent / "packs" / "kb-903-each-step"
TEXT = (KB903 / "pack.yaml").read_text("utf-8")


def findings(folder: Path, example: str, rule: str) -> list:
    pack = load_pack(folder / "pack.yaml")
    dep = read_deployment(folder / "examples" / example, vocabulary_of([pack]))
    return [f for f in check_deployment(dep, [pack]) if f.rule == rule]


def edited(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of KB903 with ``old`` replaced by ``new`` in its pack.yaml."""
    folder = tmp_path / "kb-903"
    shutil.copytree(KB903, folder)
    assert TEXT.count(old) == 1, old
    (folder / "pack.yaml").write_text(TEXT.replace(old, new))
    return folder


def test_a_sequence_finding_sits_at_the_element_that_breaks_the_pattern():
    [found] = findings(KB903, "folder-after-first-save.yaml", "KB903-001")
    assert found.message == (
        'Sales\'s calendar page moves to master folder "Sales CRM" after the policy was first saved'
    )
    # line 11 of the file, at the calendar page of the second save, not at the save itself
    assert (found.location.line, found.location.column) == (11, 101)
    assert found.fix == "Leave the calendar page's master folder as it was first saved."


def test_without_each_the_step_reads_the_whole_list_and_names_no_page(tmp_path):
    folder = edited(tmp_path, "        each: pages\n", "")
    [found] = findings(folder, "folder-after-first-save.yaml", "KB903-001")
    assert found.message.startswith("Sales's contacts, calendar page moves")
    assert (found.location.line, found.location.column) == (11, 5)


SAVE = "  - {at: 2024-03-0%d, action: save-pages, instance: onprem, policy: Sales, pages: %s}\n"
UNDONE = (
    "instances:\n  - name: onprem\n    kind: on-premise\n    policies:\n"
    "      - {name: Sales, pages: [{page: contacts}, {page: calendar}]}\ntimeline:\n"
    + SAVE % (1, "[{page: contacts}, {page: calendar}]")
    + SAVE % (2, "[{page: contacts}, {page: calendar, master_folder: Sales CRM}]")
    + SAVE % (3, "PAGES")
)


@pytest.mark.parametrize(
    ("pages", "found"),
    [("[{page: contacts}, {page: calendar}]", 0), ("[{page: contacts}]", 1)],
    ids=["calendar-put-back", "calendar-left-out"],
)
def test_an_absent_step_with_each_forbids_an_event_one_of_whose_elements_matches(
    tmp_path, pages, found
):
    """A later save that puts the moved page back in its first folder undoes the move; a save
    whose pages do not include it does not."""
    folder = edited(
        tmp_path,
        "    message: >-\n      {moved.policy}'s",
        "      - {as: back, action: save-pages, absent: true, each: pages, where: 'back.pages"
        '.page == moved.pages.page and back.pages.master_folder == "CRM"\'}\n'
        "    message: >-\n      {moved.policy}'s",
    )
    (folder / "examples" / "undone.yaml").write_text(UNDONE.replace("PAGES", pages))
    assert len(findings(folder, "undone.yaml", "KB903-001")) == found


def test_a_procedure_step_is_done_by_the_element_that_names_the_mailbox():
    assert findings(KB903, "clean-up-then-move.yaml", "KB903-002") == []
    [missing] = findings(KB903, "clean-up-others.yaml", "KB903-002")
    assert missing.message == "step 1 of KB903-P1 is missing before add-user of ann@example.com"
    assert missing.outcome == {"leftovers": True, "stale_items": False}
    [late] = findings(KB903, "move-then-clean-up.yaml", "KB903-002")
    assert late.message == "step 1 of KB903-P1 comes after add-user of ann@example.com"
    [where] = late.related
    # the element of the clean-up run that names Ann (the second), not the run
    assert (where.line, where.column, where.note) == (14, 88, "step 1 done here")


def test_without_each_the_procedure_step_is_never_done(tmp_path):
    folder = edited(
        tmp_path,
        "        each: mailboxes\n        match: event.mailboxes.email == source.email\n",
        "        match: source.email in event.mailboxes.email\n",
    )
    # a clean-up run names no mailbox of its own: without each, no run is looked at
    [late] = findings(folder, "move-then-clean-up.yaml", "KB903-002")
    assert late.message == "step 1 of KB903-P1 is missing before add-user of ann@example.com"
    assert late.related == ()


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        ("each: pages\n", "each: page\n", "pack.yaml:78:15:", "unknown event field 'page'"),
        ("each: pages\n", "each: policy\n", "pack.yaml:78:15:", "'policy' is a string"),
        ("each: pages\n", "each: before\n", "pack.yaml:78:15:", "unknown event field 'before'"),
        (
            "        action: add-user\n",
            "        action: add-user\n        each: mailboxes\n",
            "pack.yaml:65:15:",
            "the last step is the change itself",
        ),
        (
            "      - {as: first, action: save-pages}\n",
            "      - {as: early, action: save-pages, absent: true,"
            " where: early.policy == moved.policy}\n      - {as: first, action: save-pages}\n",
            "pack.yaml:75:",
            "unknown name 'moved' (known: early, first)",
        ),
    ],
    ids=["unknown", "not-a-list", "before", "last-step", "beyond-gap"],
)
def test_a_wrong_each_is_refused_at_its_place(tmp_path, old, new, where, words):
    folder = edited(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        load_pack(folder / "pack.yaml")
    assert where in str(caught.value) and words in str(caught.value), str(caught.value)


@pytest.mark.parametrize(
    ("simulation", "words"),
    [
        ("{model: none}", "pack.yaml:14:21: model none needs a reason"),
        (
            "{model: none, reason: x, measures: [leftovers]}",
            "a pack with model none has no measures",
        ),
        ("{model: riva-sync}", "pack.yaml:14:21: model riva-sync needs measures"),
    ],
    ids=["none-without-reason", "none-with-measures", "model-without-measures"],
)
def test_a_simulation_says_its_model_or_why_there_is_none(tmp_path, simulation, words):
    """(Beside the pack language's other keys: ``simulation: {model: none, reason}``.)"""
    folder = edited(tmp_path, "\nfields:\n", f"\nsimulation: {simulation}\n\nfields:\n")
    with pytest.raises(InputError) as caught:
        load_pack(folder / "pack.yaml")
    assert words in str(caught.value)


def test_a_pack_without_a_model_keeps_its_reason(tmp_path):
    folder = edited(
        tmp_path, "\nfields:\n", "\nsimulation: {model: none, reason: No pages.}\n\nfields:\n"
    )
    pack = load_pack(folder / "pack.yaml")
    assert (pack.simulation, pack.no_model) == (None, "No pages.")
