"""Read a file as text and load it by its extension: ``.json``, ``.csv``, anything else YAML."""

from __future__ import annotations

import codecs
import errno
import mmap
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from kb_lint.errors import InputError
from kb_lint.limits import MAX_BYTES, MIB
from kb_lint.load.csv_source import Column, load_csv
from kb_lint.load.document import Document
from kb_lint.load.json_source import load_json
from kb_lint.load.yaml_source import load_yaml

LOADERS = {".json": load_json, ".csv": load_csv}


def load_document(
    path: str | Path, limit: int | None = MAX_BYTES, columns: Mapping[str, Column] | None = None
) -> Document:
    """Load one YAML, JSON or CSV file; an unreadable or malformed file is an ``InputError``.
    ``columns`` are the settings a CSV may give (the built-in ones and the packs')."""
    name = str(path)
    return load_text(name, read_text(path, limit), columns=columns)


def read_input(path: str | Path, limit: int | None = MAX_BYTES, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (None: no limit). A folder, a
    FIFO, a device (``/dev/zero``) or a socket is refused before a byte is read: reading one
    could wait or run forever. ``what`` names the file in messages (``cannot read article``)."""
    name = str(path)
    with _opened(path, limit, what) as file:
        raw = _read(file, name, what)
    if limit is not None and len(raw) > limit:  # it grew while being read
        raise InputError(name, 0, 0, _too_large(limit))
    return raw


def read_text(path: str | Path, limit: int | None = MAX_BYTES) -> str:
    """``decode`` of ``read_input``. A file of ``MAPPED_FROM`` bytes or more is decoded from a
    read-only mapping of it (``mmap``) rather than from a copy: the mapping shares the page
    cache's pages, several at a fault, where a copy takes a fresh page of memory per 4 KiB (a
    100 MB deployment: about 0.05 s of CPU, mostly the kernel's, less). The text is the same;
    a byte-order mark of UTF-16 or a byte that is not UTF-8 is decoded (and reported) from a
    copy, by ``decode``. A file that cannot be mapped is read. As with any mapped read (git,
    ripgrep), a file truncated by another process while it is being decoded ends the process
    (SIGBUS); a file replaced by a new one (an editor's save, ``git checkout``) does not."""
    name = str(path)
    with _opened(path, limit, "file") as file:
        size = os.fstat(file.fileno()).st_size
        if size < MAPPED_FROM:
            raw = _read(file, name, "file")
        else:
            try:
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # a file system that maps no file: read it
                raw = _read(file, name, "file")
            else:
                with mapped:
                    if limit is not None and len(mapped) > limit:  # it grew since
                        raise InputError(name, 0, 0, _too_large(limit))
                    if mapped[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                        try:
                            return str(mapped, "utf-8-sig")
                        except UnicodeDecodeError:
                            pass
                    raw = mapped[:]
    if limit is not None and len(raw) > limit:  # it grew while being read
        raise InputError(name, 0, 0, _too_large(limit))
    return decode(name, raw)


MAPPED_FROM = 16 * MIB


def _read(file: BinaryIO, name: str, what: str) -> bytes:
    try:
        return file.read()
    except OSError as exc:
        raise InputError(name, 0, 0, f"cannot read {what}: {exc.strerror or exc}") from None


def _opened(path: str | Path, limit: int | None, what: str) -> BinaryIO:
    """The open regular file at ``path``, of at most ``limit`` bytes (``read_input``)."""
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
    if limit is not None and status.st_size > limit:
        os.close(fd)
        raise InputError(name, 0, 0, _too_large(limit))
    return os.fdopen(fd, "rb")


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
    doc = loader(path, text)
    # An escape may write half of a surrogate pair. A backslash is looked for first: one
    # character is found at memory speed, two are searched for some ten times slower.
    if "\\" in text and ("\\u" in text or "\\U" in text):
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
