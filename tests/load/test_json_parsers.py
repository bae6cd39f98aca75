"""kb-lint parses JSON with msgspec's parser and keeps json's (the standard library's) data
and errors: the law, on generated texts, valid and not."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb_lint.errors import InputError
from kb_lint.load import load_text
from kb_lint.load.json_source import _parsed, _refuse

# Any code point, lone surrogates too (an editor's text may hold one; no file can).
texts = st.text(st.characters(exclude_categories=()), max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers() | st.integers(min_value=2**63 - 2, max_value=2**65),
    texts,
    st.floats(allow_nan=False),  # infinity is written 1e400: JSON that msgspec does not take
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
    max_leaves=30,
)


def _written(value: Any, ascii_only: bool) -> str:
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.replace("Infinity", "1e400")


def _same(a: Any, b: Any) -> bool:
    """Equal, type for type (``1`` is not ``1.0`` nor ``True``; ``-0.0`` is not ``0.0``)."""
    return repr(a) == repr(b) and type(a) is type(b)


@example(["\ud800é"], False)  # written as it is: no UTF-8 for it
@given(values, st.booleans())
def test_a_valid_text_gives_the_data_json_gives(value, ascii_only):
    text = _written(value, ascii_only)
    assert _same(_parsed(text), json.loads(text, parse_constant=_refuse))


# Texts near JSON: pieces of it, numbers and escapes, and what JSON does not allow.
pieces = st.sampled_from(
    [
        '{"a": ',
        '"b"',
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        " ",
        "\n",
        "\t",
        "1",
        "-0",
        "2.5e3",
        "1e400",
        "007",
        ".5",
        "1.",
        "NaN",
        "Infinity",
        "true",
        "null",
        '"\\ud800"',
        '"\\u00e9"',
        '"\\x"',
        '"é"',
        '"\x01"',
        "\x0c",
        "\xa0",
        "9" * 30,
        "\ufeff",
        '"a\tb"',
    ]
)


def _outcome(parse: Any, text: str) -> tuple[Any, ...]:
    try:
        value = parse(text)
    except Exception as exc:  # every error: its type and words are compared
        return ("error", type(exc), str(exc))
    return ("data", repr(value), type(value))


@settings(max_examples=300)
@given(st.lists(pieces, max_size=12).map("".join))
def test_any_text_gives_json_s_data_or_json_s_error(text):
    expected = _outcome(lambda t: json.loads(t, parse_constant=_refuse), text)
    assert _outcome(_parsed, text) == expected


def test_an_invalid_file_is_refused_where_json_says():
    for text in ('{"a": [1, 2,]}', '{\n "a": tru}', "[1] x", '["a\tb"]', "\ufeff[]"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            said = f"f.json:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
        try:
            load_text("f.json", text)
        except InputError as exc:
            assert str(exc) == said
        else:
            raise AssertionError(f"{text!r} was taken")
    for text, message in (
        ('{"a": NaN}', "1:7: NaN is not a JSON number"),
        ('{"a": 1, "a": 2}', "1:10: duplicate key 'a' (first on line 1)"),
        ("[" * 3000 + "]" * 3000, "1:200: invalid JSON: nested too deeply"),
    ):
        try:
            load_text("f.json", text)
        except InputError as exc:
            assert str(exc) == f"f.json:{message}"
        else:
            raise AssertionError(f"{text[:20]} was taken")


def test_a_number_too_large_for_a_float_is_json_s_infinity():
    assert load_text("f.json", '{"a": 1e400, "b": -1e400}').data == {
        "a": float("inf"),
        "b": float("-inf"),
    }
