"""A JSON file of ASCII bytes is parsed from its bytes, its text made only when a position is
asked for: the same data, positions and errors as its text gives (``load_text``)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from kb_lint.errors import InputError
from kb_lint.load import load_document, load_text
from kb_lint.load.document import AsciiText
from tests.load.test_load_json import layouts, pointers, values


def _file(folder: str, text: str) -> Path:
    path = Path(folder) / "d.json"
    path.write_bytes(text.encode("ascii"))
    return path


@settings(max_examples=200)
@given(values, layouts)
def test_ascii_bytes_give_the_data_and_positions_their_text_gives(value, layout):
    text = json.dumps(value, **{**layout, "ensure_ascii": True})
    with tempfile.TemporaryDirectory() as folder:
        doc = load_document(_file(folder, text))
    assert isinstance(doc.source, AsciiText)
    expected = load_text("d.json", text)
    assert repr(doc.data) == repr(expected.data)
    wanted = pointers(value)
    assert doc.locate_many(wanted) == expected.locate_many(wanted)
    assert doc.text == text


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1,,}',
        '{"a": 1,\n "b": {"c": 1, "c": 2}}',
        '{"a": "NaN", "b": [1, -Infinity]}',
        "[" * 100_000 + "]" * 100_000,
        '{"cycles": ' + "9" * 5000 + "}",
        '{"a": "\\ud800"}',
        '{"a": "\\u003a", "a": 1}',
    ],
)
def test_ascii_bytes_give_the_errors_their_text_gives(text):
    with pytest.raises(InputError) as from_text:
        load_text("d.json", text)
    with tempfile.TemporaryDirectory() as folder, pytest.raises(InputError) as from_bytes:
        load_document(_file(folder, text))
    expected = from_text.value
    assert (from_bytes.value.line, from_bytes.value.column) == (expected.line, expected.column)
    assert from_bytes.value.message == expected.message


def test_a_file_asked_for_no_position_is_never_decoded(tmp_path):
    doc = load_document(_file(str(tmp_path), '{"instances": [{"name": "a"}]}'))
    assert doc.locate_many([]) == {}
    assert doc.source._text is None  # the bytes alone were read
    assert doc.locate(("instances", 0, "name")) == (1, 25)
