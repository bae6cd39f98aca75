"""Rule packs as data: a second, invented pack runs with no engine code, and every error in a
pack points at the character it is about, however the YAML folds or quotes it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack
from tests.conftest import ROOT

PACKS = Path(__file__).parent / "packs"


def test_a_second_pack_written_only_as_data_runs_its_examples(kb_lint):
    proc = kb_lint("rules", "test", "--rules", PACKS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ KB900-001 examples/shared.yaml (expect fail)" in proc.stdout
    assert "✓ KB900-001 examples/separate.yaml (expect pass)" in proc.stdout
    assert " passed, 0 failed" in proc.stdout


def test_a_second_pack_predicts_its_own_outcomes(kb_lint):
    example = PACKS / "kb-900" / "examples" / "shared.yaml"
    proc = kb_lint("check", example, "--rules", PACKS, "--select", "KB900", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["rule"] == "KB900-001"
    assert finding["outcome"] == {"ambiguous_items": True, "policies_sharing": 2}


@pytest.mark.parametrize(
    ("old", "new", "needle", "problem"),
    [
        # a folded message: the bad placeholder is on the scalar's second line
        (
            "    message: \"category '{category}' is used by policies "
            '{distinct(bindings.policy)} of {instance}"\n',
            "    message: >-\n      category '{category}' is used by\n"
            "      policies {distinct(bindings.policy) + } of {instance}\n",
            "} of {instance}",
            "expected a value",
        ),
        # a folded condition, wrong on its third line
        (
            '    where: enabled and instance_kind == "on-premise"\n',
            "    where: >-\n      enabled\n      and instance_kind ==\n      on_premise\n",
            "on_premise",
            "unknown name 'on_premise'",
        ),
        # a key no binding has would read null: refused, with the nearest one
        (
            "    message: \"category '{category}' is used by policies "
            '{distinct(bindings.policy)} of {instance}"\n',
            "    message: >-\n      category '{category}' is used by\n"
            "      policies {distinct(bindings.polcy)} of {instance}\n",
            "polcy",
            "unknown key 'polcy' of policy (did you mean 'policy'?)",
        ),
        # a double-quoted condition with escapes before the mistake
        (
            '    where: enabled and instance_kind == "on-premise"\n',
            '    where: "instance_kind == \\"on-premise\\" and enabld"\n',
            "enabld",
            "unknown name 'enabld'",
        ),
    ],
)
def test_expression_errors_point_at_the_character(tmp_path, old, new, needle, problem):
    shutil.copytree(PACKS / "kb-900", tmp_path / "kb-900")
    pack = tmp_path / "kb-900" / "pack.yaml"
    text = pack.read_text("utf-8")
    assert old in text
    text = text.replace(old, new)
    pack.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(pack)
    assert problem in caught.value.message
    offset = text.index(needle, text.index(new))
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_the_shipped_pack_loads_from_any_folder(tmp_path):
    assert load_pack(ROOT / "rules" / "kb-105" / "pack.yaml").id == "KB105"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("given: {categories: same, folders: same}", "given: {categorys: same}", "unknown input"),
        ("given: {categories: same, folders: same}", "given: {categories: equal}", "not a value"),
        (
            "table: expected-challenges\n    given: {sync_all",
            "table: outcomes\n    given: {sync_all",
            "unknown table 'outcomes'",
        ),
        (
            "decides: {expected-challenges: [3, 4]}",
            "decides: {expected-challenges: [3, 9]}",
            "table 'expected-challenges' has no row 9 (it has 8)",
        ),
    ],
)
def test_a_claim_or_decides_link_that_names_nothing_is_refused_where_it_is(
    tmp_path, old, new, problem
):
    shutil.copytree(ROOT / "rules" / "kb-105", tmp_path / "kb-105")
    pack = tmp_path / "kb-105" / "pack.yaml"
    text = pack.read_text("utf-8")
    assert old in text
    pack.write_text(text.replace(old, new), "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(pack)
    assert problem in caught.value.message
    where = text.index(old)
    assert caught.value.line == text.count("\n", 0, where) + 1 + old[: old.find(":")].count("\n")


def test_the_shipped_pack_states_a_claim_per_expected_challenge():
    pack = load_pack(ROOT / "rules" / "kb-105" / "pack.yaml")
    assert sorted(c.cites.item for c in pack.claims) == [1, 2, 3]


@pytest.mark.parametrize(
    ("edit", "needle", "problem"),
    [
        # one entry of KB105-P3 without its number
        (
            lambda t: t.replace(
                "      - id: remove-appointments\n        step: 2\n",
                "      - id: remove-appointments\n",
                1,
            ),
            "- id: remove-appointments",
            "give every step of the procedure its step number, or none",
        ),
        # a number skipped
        (
            lambda t: t.replace("        step: 3\n", "        step: 4\n", 1),
            "step: 4",
            "step 4 after step 2: number the steps 1, 2, ... in order",
        ),
        # an article procedure numbers its steps by the items it cites
        (
            lambda t: t.replace(
                "      - id: disable-cloud-policy\n",
                "      - id: disable-cloud-policy\n        step: 1\n",
                1,
            ),
            "step: 1",
            "the step cites item 1, which gives its number (step 1): drop 'step: 1'",
        ),
    ],
)
def test_a_procedures_own_step_numbers_are_whole_and_in_order(tmp_path, edit, needle, problem):
    """``step: N`` groups a pack's own procedure's entries into steps and bullets: partial,
    skipping or article numbering is refused at the entry."""
    shutil.copytree(ROOT / "rules" / "kb-105", tmp_path / "kb-105")
    pack = tmp_path / "kb-105" / "pack.yaml"
    original = pack.read_text("utf-8")
    text = edit(original)
    pack.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(pack)
    assert problem in caught.value.message
    changed = next(n for n, (a, b) in enumerate(zip(original, text, strict=False)) if a != b)
    offset = text.index(needle, text.rfind("- id:", 0, changed))
    assert caught.value.line == text.count("\n", 0, offset) + 1


def test_a_procedures_own_step_numbers_make_bullets_in_any_order():
    """KB105-P3's clean-up is its step 2, one bullet per entry, as the article's step 3 is."""
    procedure = load_pack(ROOT / "rules" / "kb-105" / "pack.yaml").procedures["KB105-P3"]
    places = [procedure.place(s) for s in procedure.steps]
    assert places == ["step 1", *(f"step 2, bullet {n}" for n in range(1, 6)), "step 3"]
