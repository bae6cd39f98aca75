"""YAML loading: values, their positions, and every way a YAML file can be refused."""

from __future__ import annotations

import pytest

from kb_lint.errors import InputError
from kb_lint.load import load_text

TEXT = """\
instances:
  - name: riva-cloud
    kind: cloud
    policies:
      - name: Trial
        category: "My Sync (Cloud)"
        users:
          - {email: user@email.com, crm_user: user@email.com}
timeline:
  - {at: 2024-05-01, action: disable-policy}
"""


def test_values_keep_their_yaml_types_but_dates_stay_text():
    doc = load_text("d.yaml", TEXT)
    assert doc.data["instances"][0]["policies"][0]["category"] == "My Sync (Cloud)"
    assert doc.data["timeline"][0]["at"] == "2024-05-01"
    assert load_text("d.yaml", "a: 1\nb: 2.5\nc: true\nd: null\n").data == {
        "a": 1,
        "b": 2.5,
        "c": True,
        "d": None,
    }


@pytest.mark.parametrize(
    ("pointer", "value", "key"),
    [
        (("instances", 0), (2, 5), (2, 5)),
        (("instances", 0, "kind"), (3, 11), (3, 5)),
        (("instances", 0, "policies", 0, "category"), (6, 19), (6, 9)),
        (("instances", 0, "policies", 0, "users", 0), (8, 13), (8, 13)),
        (("instances", 0, "policies", 0, "users", 0, "crm_user"), (8, 47), (8, 37)),
        (("timeline", 0, "at"), (10, 10), (10, 6)),
    ],
)
def test_values_and_keys_are_located(pointer, value, key):
    doc = load_text("d.yaml", TEXT)
    assert doc.locate(pointer) == value
    assert doc.locate_key(pointer) == key
    assert doc.locate_many([pointer, ("instances",)]) == {pointer: value, ("instances",): (2, 3)}


def test_a_pointer_that_is_not_there_is_located_at_its_deepest_parent():
    doc = load_text("d.yaml", TEXT)
    assert doc.locate(("instances", 0, "policies", 0, "enabled")) == (5, 9)
    assert doc.locate(("instances", 7, "name")) == (2, 3)


def test_merge_keys_and_plain_aliases_work():
    doc = load_text(
        "d.yaml",
        "base: &base {email_system: exchange, category: CRM}\n"
        "policy: {<<: *base, name: Sales, category: Sales}\n"
        "users: &u [a, b]\nagain: *u\n",
    )
    assert doc.data["policy"] == {"name": "Sales", "category": "Sales", "email_system": "exchange"}
    assert doc.data["again"] == ["a", "b"]
    assert doc.locate(("policy", "email_system")) == (1, 28)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", (3, 1), "duplicate key 'a' (first on line 1)"),
        ("a: [1, 2\n", (2, 1), "invalid YAML: did not find expected ',' or ']'"),
        ("a: !!python/object:os.system x\n", (1, 4), "unsupported YAML tag"),
        ("a: !!binary aGVsbG8=\n", (1, 4), "unsupported YAML tag"),
        ("? [1, 2]\n: x\n", (1, 3), "mapping key must be a plain value"),
        ("a: 1\n---\nb: 2\n", (2, 1), "expected a single document"),
        ("a: &x {b: 1}\nc: {<<: [*x, 3]}\n", (2, 9), "merge key (<<) takes a mapping"),
        ("[" * 300 + "]" * 300, (1, 202), "nested more than 200 levels"),
        ("cycles: " + "9" * 5000 + "\n", (1, 9), "a number longer than 4300 digits"),
    ],
)
def test_bad_yaml_is_one_error_with_its_position(text, where, message):
    with pytest.raises(InputError) as caught:
        load_text("d.yaml", text)
    assert (caught.value.line, caught.value.column) == where
    assert message in caught.value.message


def test_an_alias_bomb_is_refused_before_it_expands():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InputError, match="alias bomb"):
        load_text("bomb.yaml", "\n".join(lines) + "\n")


def test_an_empty_file_is_no_data():
    doc = load_text("empty.yaml", "# nothing yet\n")
    assert doc.data is None
    assert doc.locate(("instances",)) == (1, 1)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("on: 1\n", (1, 1), "the key 'on' reads as true (a YAML 1.1 boolean): quote it"),
        ("values: [on, off]\n", (1, 10), "an element of 'values' is on, which YAML 1.1 reads"),
        ("category: NO\n", (1, 11), "'category' is given NO, which YAML 1.1 reads as false"),
        (
            "enabled: yes\n",
            (1, 10),
            "'enabled' is given yes, which YAML 1.1 reads as true: write enabled: true (a "
            'boolean is true or false), or "yes" in quotes for the text',
        ),
    ],
)
def test_yaml_1_1_booleans_are_refused_with_a_hint_to_quote(text, where, message):
    with pytest.raises(InputError) as error:
        load_text("x.yaml", text)
    assert (error.value.line, error.value.column) == where
    assert message in error.value.message


def test_true_false_and_quoted_words_load_as_written():
    assert load_text("x.yaml", 'a: true\nb: False\nc: "on"\nd: [off-site]\n').data == {
        "a": True,
        "b": False,
        "c": "on",
        "d": ["off-site"],
    }
