"""Read a file as text and load it by its extension: ``.json``, ``.csv``, anything else YAML."""

from __future__ import annotations

import codecs
from pathlib import Path

from kb_lint.errors import InputError
from kb_lint.load.csv_source import load_csv
from kb_lint.load.document import Document
from kb_lint.load.json_source import load_json
from kb_lint.load.yaml_source import load_yaml

LOADERS = {".json": load_json, ".csv": load_csv}


def load_document(path: str | Path) -> Document:
    """Load one YAML, JSON or CSV file; an unreadable or malformed file is an ``InputError``."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(name, 1, 1, "cannot read file: it is a folder") from None
    except OSError as exc:
        raise InputError(name, 1, 1, f"cannot read file: {exc.strerror or exc}") from None
    return load_text(name, decode(name, raw))


def load_text(path: str, text: str, suffix: str | None = None, first_line: int = 1) -> Document:
    """Load ``text`` as if read from ``path`` (its suffix, or ``suffix``, picks the format);
    ``first_line`` is where the text starts in that file (the front matter of an article), so
    that every position and message counts the file's lines."""
    loader = LOADERS.get((suffix or Path(path).suffix).lower(), load_yaml)
    return loader(path, "\n" * (first_line - 1) + text)


def decode(name: str, raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 with one."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, 1, 1, "not valid UTF-16 text") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        raise InputError(name, line, column, f"not UTF-8 text: byte 0x{byte:02x}") from None
