"""A rule's keys by kind: every key a kind needs is missing or every key it does not read is
given, all at once at their places; the pack format reference says which keys each kind needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack
from kb_lint.pack.load import pack_schema
from kb_lint.pack.rules import NEEDS

ROOT = Path(__file__).resolve().parent.parent


def test_the_format_reference_says_what_each_kind_needs():
    described = pack_schema()["$defs"]["rule"]["properties"]
    for kind, names in NEEDS.items():
        for name in names:
            assert f"{kind} (required)" in described[name]["description"], (kind, name)


def refused(tmp_path: Path, old: str, new: str) -> InputError:
    """The error of KB1508 with ``old`` (written once) edited into ``new``."""
    shutil.copytree(ROOT / "rules" / "kb-1508", tmp_path / "kb-1508")
    pack = tmp_path / "kb-1508" / "pack.yaml"
    text = pack.read_text("utf-8")
    assert text.count(old) == 1
    pack.write_text(text.replace(old, new), "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(pack)
    return caught.value


def test_every_missing_and_unread_key_of_a_rule_at_once(tmp_path):
    old = "    kind: check\n    title: A trial limits"
    new = "    kind: exclusivity\n    pattern: [{as: x, action: add-user}]\n    title: A trial"
    error = refused(tmp_path, old, new)
    assert [e.message for e in error.errors] == [  # type: ignore[attr-defined]
        "an exclusivity rule needs 'key'",
        "an exclusivity rule does not read 'pattern' (only sequence rules do)",
    ]


def test_a_reason_on_an_example_that_is_not_missed_is_refused(tmp_path):
    old = "{file: examples/trial-history-30-days.yaml, expect: fail,"
    error = refused(tmp_path, old, old + " reason: not read,")
    assert error.message == "'reason' says why an expect: miss example is missed, not expect: fail"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      type: integer\n",
            "      type: integer\n      values: [1, 2]\n",
            "'values' lists what an enum or a list holds; field 'history_days' is of type integer",
        ),
        (
            "      type: integer\n",
            "      type: integer\n      default: 15\n      default_from: '15'\n",
            "a field has a 'default' or a computed 'default_from', not both",
        ),
        (
            "    needs: [instance, policy, history_days]\n",
            "    needs: [instance, policy, history_dayz]\n",
            "unknown event field 'history_dayz' (did you mean 'history_days'?): needs names the "
            "event's fields, the pack's event fields, or what the action sets",
        ),
        (
            "    outcome: {history_capped: true}\n",
            "    outcome: {history_capped: true}\n    says: {history_capped: capped}\n",
            "'says' gives words for an outcome an expression computes; 'history_capped' is true, "
            "shown as it is",
        ),
    ],
)
def test_keys_that_would_change_nothing_are_refused(tmp_path, old, new, message):
    assert refused(tmp_path, old, new).message == message
