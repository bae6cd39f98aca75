"""A file of ``MAPPED_FROM`` bytes or more is decoded from a mapping of it: the same text, and
the same refusals at the same place, as a file read into memory."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.load.read import MAPPED_FROM, decode, read_input, read_text

PADDING = b'{"pad": "' + b"x" * MAPPED_FROM + b'"}\n'


@pytest.mark.parametrize(
    "raw",
    [
        PADDING,
        codecs.BOM_UTF8 + PADDING,
        PADDING.replace(b"xxxx", "é↔".encode(), 3),
        codecs.BOM_UTF16_LE + PADDING.decode().encode("utf-16-le"),
    ],
    ids=["ascii", "utf-8 with a mark", "utf-8", "utf-16"],
)
def test_a_mapped_file_reads_as_a_copied_one(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(raw)
    assert path.stat().st_size >= MAPPED_FROM
    assert read_text(path, None) == decode(str(path), read_input(path, None))


@pytest.mark.parametrize("at", [0, 5, MAPPED_FROM // 2])
def test_a_mapped_file_not_utf8_is_refused_where_the_byte_is(tmp_path: Path, at: int) -> None:
    raw = bytearray(b"{\n" + b'"pad": "' + b"x" * MAPPED_FROM + b'"}\n')
    raw[2 + at] = 0xFF
    path = tmp_path / "big.json"
    path.write_bytes(bytes(raw))
    with pytest.raises(InputError) as mapped:
        read_text(path, None)
    with pytest.raises(InputError) as copied:
        decode(str(path), read_input(path, None))
    assert str(mapped.value) == str(copied.value)
    assert (mapped.value.line, mapped.value.column) == (2, at + 1)


def test_a_mapped_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(PADDING)
    with pytest.raises(InputError, match="file is larger than 16 MiB"):
        read_text(path, MAPPED_FROM)
