"""JSON loading: the locator's law, checked on generated documents, and the refusals."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kb_lint.errors import InputError
from kb_lint.load import Pointer, load_text
from kb_lint.load.json_source import _all_kept, _census

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=40,
)
layouts = st.sampled_from(
    [
        {},
        {"indent": 2},
        {"indent": 1, "ensure_ascii": False},
        {"separators": (",", ":")},
        {"indent": "\t", "separators": (" ,", " : ")},
    ]
)


def pointers(value: Any, prefix: Pointer = ()) -> list[Pointer]:
    found = [prefix]
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for part, child in items:
        found.extend(pointers(child, (*prefix, part)))
    return found


def offset(text: str, line: int, column: int) -> int:
    return sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + column - 1


def at(value: Any, pointer: Pointer) -> Any:
    for part in pointer:
        value = value[part]
    return value


@settings(max_examples=300)
@given(values, layouts)
def test_every_value_is_located_where_its_text_starts(value, layout):
    text = json.dumps(value, **layout)
    doc = load_text("d.json", text)
    wanted = pointers(value)
    found = doc.locate_many(wanted)
    decoder = json.JSONDecoder()
    for pointer in wanted:
        start = offset(text, *found[pointer])
        assert decoder.raw_decode(text, start)[0] == at(value, pointer), pointer
        if pointer and isinstance(pointer[-1], str):
            key = offset(text, *doc.locate_key(pointer))
            assert decoder.raw_decode(text, key)[0] == pointer[-1]


def test_a_policy_of_many_users_is_located_in_bulk_and_exactly():
    users = [{"email": f"u{i}@x", "crm_user": f"u{i}"} for i in range(2000)]
    users[1500]["email"] = "has {braces} inside"
    text = json.dumps({"users": users}, indent=1)
    doc = load_text("d.json", text)
    for index in (0, 1499, 1500, 1501, 1999):
        line, column = doc.locate(("users", index, "email"))
        assert text.split("\n")[line - 1][column - 1 :].startswith(
            json.dumps(users[index]["email"])
        )


@pytest.mark.parametrize("seed", range(40))
def test_elements_of_a_long_flat_list_of_any_widths_are_located_exactly(seed):
    """The braces of a list of flat records are counted a window at a time, sized by the
    records' mean width: records of very different widths (seeded arrangements) still land on
    their own brace, the window too wide or too narrow."""
    rng = random.Random(seed)
    widths = [rng.choice([0, 3, 40, 3000]) for _ in range(rng.randrange(1, 600))]
    users = [{"email": f"u{i}@x", "note": "n" * width} for i, width in enumerate(widths)]
    text = json.dumps({"users": users}, indent=rng.choice([None, 1]))
    indexes = rng.sample(range(len(users)), min(len(users), 30))
    found = load_text("d.json", text).locate_many([("users", i) for i in indexes])
    decoder = json.JSONDecoder()
    for index in indexes:
        start = offset(text, *found[("users", index)])
        assert decoder.raw_decode(text, start)[0] == users[index]


@pytest.mark.parametrize(
    "odd", [{"note": {"nested": 1}}, {"note": [{"in": "a list"}]}, {"note": "a { brace"}]
)
def test_a_list_with_a_brace_of_its_own_inside_is_walked_element_by_element(odd):
    users = [{"email": f"u{i}@x", "crm_user": f"u{i}"} for i in range(50)]
    users[20] |= odd
    text = json.dumps({"instances": [{"users": users}]}, indent=1)
    doc = load_text("d.json", text)
    for index in (19, 20, 21, 49):
        line, column = doc.locate(("instances", 0, "users", index, "email"))
        assert text.split("\n")[line - 1][column - 1 :].startswith(f'"u{index}@x"')


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"a": 1,,}', (1, 9), "invalid JSON: Expecting property name"),
        ('{"a": 1,\n "b": {"c": 1, "c": 2}}', (2, 16), "duplicate key 'c'"),
        ('{"a": "NaN", "b": [1, -Infinity]}', (1, 23), "-Infinity is not a JSON number"),
        ("[" * 100_000 + "]" * 100_000, (1, 200), "nested too deeply"),
        ("[" * 900 + '{"a": 1, "a": 2}' + "]" * 900, (1, 200), "nested too deeply"),
        ('{"cycles": ' + "9" * 5000 + "}", (1, 12), "a number longer than 4300 digits"),
        ('{"a": 1,\n "a": 2}', (2, 2), "duplicate key 'a' (first on line 1)"),
    ],
)
def test_bad_json_is_one_error_with_its_position(text, where, message):
    with pytest.raises(InputError) as caught:
        load_text("d.json", text)
    assert (caught.value.line, caught.value.column) == where
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        '{"users": [{"email": "a:b", "crm_user": "x"}, {"email": "c", "email": "d:e"}]}',
        '{"a:b": 1, "a:b": 2}',
        '{"a": "\\u003a", "a": 1}',
        '{"x": [1, {"k": {"k2": 1, "k2": ":"}}]}',
        '{"a": {"b": 1}, "a": "{b:1}"}',
        '[{"a": [{}]}, {"b": 1, "b": "{"}]',
    ],
)
def test_a_repeated_key_is_refused_wherever_it_hides(text):
    with pytest.raises(InputError, match="duplicate key"):
        load_text("d.json", text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "\\u003a:", "b": "::"}',
        '{"a:": ["b:", {"c:": ":"}]}',
        '{"a": "{:}", "b": [{"c": "{"}, "}"]}',
        '[{"a": "\\u007b"}, {}]',
    ],
)
def test_colons_in_keys_and_strings_are_no_duplicate(text):
    assert load_text("d.json", text).data == json.loads(text)


@given(values, layouts)
def test_the_key_count_clears_a_file_without_escapes_on_its_own(value, layout):
    """Only a file that writes a colon as an escape is parsed again to look for a repeat."""
    text = json.dumps(value, **{**layout, "ensure_ascii": False})
    data = json.loads(text)
    assert _all_kept(text, data, _census(text, data)[0]) or "\\u" in text


@given(values, st.data())
def test_a_repeated_key_is_always_found_and_never_imagined(value, data):
    text = json.dumps(value)
    assert load_text("d.json", text).data == value
    targets = [p for p in pointers(value) if isinstance(at(value, p), dict) and at(value, p)]
    if targets:
        target = at(value, data.draw(st.sampled_from(targets)))
        key = data.draw(st.sampled_from(sorted(target)))
        assume("\x00" not in target)  # the marker below must be a key of its own
        target["\x00"] = ":"  # marks where the repeated key goes
        text = json.dumps(value).replace('"\\u0000": ":"', f'{json.dumps(key)}: ":"')
        with pytest.raises(InputError, match="duplicate key"):
            load_text("d.json", text)
