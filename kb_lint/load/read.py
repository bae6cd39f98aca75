"""Read a file as text and load it by its extension: ``.json``, ``.csv``, anything else YAML."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError
from kb_lint.limits import MAX_BYTES, MIB
from kb_lint.load.csv_source import Column, load_csv
from kb_lint.load.document import AsciiText, Document
from kb_lint.load.json_source import load_json
from kb_lint.load.yaml_source import load_yaml

LOADERS = {".json": load_json, ".csv": load_csv}


def load_document(
    path: str | Path, limit: int | None = MAX_BYTES, columns: Mapping[str, Column] | None = None
) -> Document:
    """Load one YAML, JSON or CSV file; an unreadable or malformed file is an ``InputError``.
    ``columns`` are the settings a CSV may give (the built-in ones and the packs')."""
    name = str(path)
    return load_bytes(name, read_input(path, limit), columns)


def load_bytes(name: str, raw: bytes, columns: Mapping[str, Column] | None = None) -> Document:
    """The file ``name``'s bytes ``raw``, loaded as ``load_document`` loads them: a JSON file
    of ASCII bytes (no carriage return in them) is parsed from its bytes, its text made only if
    a position is asked for; any other file is decoded first."""
    if Path(name).suffix.lower() == ".json" and raw.isascii() and b"\r" not in raw:
        return _refusing_surrogates(load_json(name, AsciiText(raw)), raw)
    return load_text(name, decode(name, raw), columns=columns)


def read_input(path: str | Path, limit: int | None = MAX_BYTES, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (None: no limit). A folder, a
    FIFO, a device (``/dev/zero``) or a socket is refused before a byte is read: reading one
    could wait or run forever. ``what`` names the file in messages (``cannot read article``)."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise InputError(name, 0, 0, f"cannot read {what}: it is a folder") from None
    except OSError as exc:
        raise InputError(name, 0, 0, f"cannot read {what}: {exc.strerror or exc}") from None
    status = os.fstat(fd)
    mode = status.st_mode
    if not stat.S_ISREG(mode):  # os.fdopen of a folder raises before any check could run
        os.close(fd)
        kind = (
            "it is a folder" if stat.S_ISDIR(mode) else f"it is not a regular file ({_kind(mode)})"
        )
        raise InputError(name, 0, 0, f"cannot read {what}: {kind}")
    with os.fdopen(fd, "rb") as file:
        if limit is not None and status.st_size > limit:
            raise InputError(name, 0, 0, _too_large(limit))
        try:
            raw = file.read()
        except OSError as exc:
            raise InputError(name, 0, 0, f"cannot read {what}: {exc.strerror or exc}") from None
    if limit is not None and len(raw) > limit:  # it grew while being read
        raise InputError(name, 0, 0, _too_large(limit))
    return raw


def link_problem(path: Path) -> str | None:
    """Why the symbolic link ``path`` leads nowhere (broken, or a loop), or None."""
    try:
        os.stat(path)
    except OSError as exc:
        return path_problem(exc) + (
            f" (to '{os.readlink(path)}')" if exc.errno == errno.ENOENT else ""
        )
    return None


def path_problem(exc: OSError | RuntimeError) -> str:
    """Why a path cannot be used, in words (a missing target, a loop of links, a long name)."""
    if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if exc.errno == errno.ENOENT:
        return "a broken link" if exc.filename and os.path.islink(exc.filename) else "no such file"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    return exc.strerror or str(exc)


def _too_large(limit: int) -> str:
    return f"file is larger than {_size(limit)} (--max-size sets the limit, 0 for none)"


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((word for test, word in kinds if test(mode)), "not a file")


def _size(limit: int) -> str:
    return f"{limit / MIB:g} MiB" if limit >= MIB else f"{limit:,} bytes"


def load_text(
    path: str,
    text: str,
    suffix: str | None = None,
    first_line: int = 1,
    columns: Mapping[str, Column] | None = None,
) -> Document:
    """Load ``text`` as if read from ``path`` (its suffix, or ``suffix``, picks the format);
    ``first_line`` is where the text starts in that file (the front matter of an article), so
    that every position and message counts the file's lines."""
    loader = LOADERS.get((suffix or Path(path).suffix).lower(), load_yaml)
    if "\r" in text:  # CR-only and CRLF line breaks counted as the lines they are
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n" * (first_line - 1) + text
    if loader is load_csv and columns is not None:
        return load_csv(path, text, columns)
    return _refusing_surrogates(loader(path, text), text)


def _refusing_surrogates(doc: Document, text: str | bytes) -> Document:
    """``doc``, loaded from ``text`` (or its ASCII bytes), unless an escape writes half of a
    surrogate pair. A backslash is looked for first: one character is found at memory speed,
    two are searched for some ten times slower."""
    marks = ("\\", "\\u", "\\U")
    backslash, lower, upper = marks if isinstance(text, str) else (m.encode() for m in marks)
    if backslash in text and (lower in text or upper in text):
        _refuse_surrogates(doc)
    return doc


SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(doc: Document) -> None:
    """A lone surrogate (``"\\ud800"``) is no character: no file can hold it, nor a report."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc.data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str) and SURROGATE.search(value):
            message = "a \\u escape writes half of a surrogate pair, which is no character"
            raise InputError(doc.path, *doc.locate(pointer), message)
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append(((*pointer, key), key if SURROGATE.search(str(key)) else item))
        elif isinstance(value, list):
            stack.extend(((*pointer, i), item) for i, item in enumerate(value))


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
        # The codec counts from after the byte-order mark; lines and columns count characters.
        at = exc.start + (len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0)
        line = raw.count(b"\n", 0, at) + 1
        start = raw.rfind(b"\n", 0, at) + 1
        before = raw[start:at].decode("utf-8", "replace").removeprefix("\ufeff")
        column = len(before) + 1
        byte = raw[at]
        raise InputError(name, line, column, f"not UTF-8 text: byte 0x{byte:02x}") from None
