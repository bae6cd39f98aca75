"""Keys that would do nothing are refused at their line and column: an action's ``sets:`` that
names a user field (the replayed estate changes policy settings only), and ``unit:`` on a field
that is not a number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack
from kb_lint.pack.declared import beside

PACK = Path(__file__).parent / "review" / "packs" / "privilege" / "kb-24202894113684"


def refused(tmp_path: Path, old: str, new: str) -> tuple[InputError, str]:
    folder = tmp_path / PACK.name
    shutil.copytree(PACK, folder)
    text = (folder / "pack.yaml").read_text("utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    (folder / "pack.yaml").write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(folder / "pack.yaml")
    return caught.value, text


def place(text: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_an_action_that_sets_a_user_field_is_refused(tmp_path):
    error, text = refused(
        tmp_path,
        "    sets: [privilege_exceptions]\n",
        "    sets: [privilege_exceptions, crm_rights]\n",
    )
    assert (error.line, error.column) == place(text, "crm_rights]")
    assert error.message.startswith("'crm_rights' is a user field, not a policy's: sets: accepts")
    assert "privilege_exceptions" in error.message.split("accepts", 1)[1]


def test_an_action_that_sets_an_unknown_field_says_what_sets_accepts(tmp_path):
    error, text = refused(
        tmp_path, "    sets: [privilege_exceptions]\n", "    sets: [privilege_exception]\n"
    )
    assert (error.line, error.column) == place(text, "privilege_exception]")
    assert "unknown field 'privilege_exception' (did you mean 'privilege_exceptions'?)" in (
        error.message
    )
    assert "sets: accepts a policy setting (" in error.message
    accepted = error.message.split("(", 2)[2]
    assert "privilege_exceptions" in accepted  # the pack's own policy field
    assert "instance_kind" not in accepted and "policy," not in accepted  # names, not settings


def test_an_action_that_sets_an_instance_field_is_refused(tmp_path):
    error, text = refused(
        tmp_path, "    sets: [privilege_exceptions]\n", "    sets: [instance_kind]\n"
    )
    assert (error.line, error.column) == place(text, "instance_kind]")
    assert error.message.startswith("'instance_kind' is an instance field, not a policy's")


def test_an_action_that_sets_a_policys_fields_must_name_the_policy(tmp_path):
    error, text = refused(tmp_path, "    needs: [instance, policy", "    needs: [instance")
    assert (error.line, error.column) == place(text, "[instance")
    assert error.message == (
        "an action that sets a policy's fields must name the policy: needs policy"
    )


def test_a_unit_on_a_field_that_is_not_a_number_is_refused(tmp_path):
    old = "      default: [create, modify, delete]\n"
    error, text = refused(tmp_path, old, "      unit: operations\n" + old)
    assert (error.line, error.column) == place(text, "operations")
    assert error.message == "'unit' names what a number counts; field 'crm_rights' is of type list"


EVERY_KEY = Path(__file__).parent / "every_key" / "kb-990" / "pack.yaml"


@pytest.mark.parametrize("key", ["match", "done", "residue"])
def test_a_key_the_last_step_of_a_move_never_reads_is_refused(tmp_path, key):
    """The last step of a move procedure is the move itself: it is never left out nor done
    early, so what a step before it says (its match, done, residue) would do nothing there."""
    text = EVERY_KEY.read_text("utf-8")
    old = "        text: Add the user to the new instance.\n        action: add-user\n"
    values = {
        "match": "event.email == target.email",
        "done": "source.enabled",
        "residue": "{copies: 1}",
    }
    assert text.count(old) == 1
    (tmp_path / "pack.yaml").write_text(text.replace(old, f"{old}        {key}: {values[key]}\n"))
    with pytest.raises(InputError) as caught:
        load_pack(tmp_path / "pack.yaml", beside(EVERY_KEY))  # KB991, which it extends
    error = getattr(caught.value, "errors", [caught.value])[0]
    lines = (tmp_path / "pack.yaml").read_text("utf-8").splitlines()
    at = lines.index(f"        {key}: {values[key]}") + 1, 9 + len(key) + 2  # at its value
    assert (error.line, error.column) == at
    assert error.message == (
        "the last step is the change itself (a move), never left out nor done early: "
        f"'{key}' is read only on the steps before it"
    )
