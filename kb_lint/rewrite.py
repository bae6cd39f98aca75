"""Writing a fix back to the user's file: nothing of the file but the fixed text changes.

Every ``--fix`` (articles, ``rules check --fix``) goes through ``rewrite``:
- the text is encoded as the file was (UTF-8, or UTF-16 little or big endian), with its
  byte-order mark when it had one; line breaks are the caller's (it edits the text as read);
- the new text goes to a temporary file in the same folder, which then replaces the file in
  one step (``os.replace``: a reader sees the old file or the new, never half of one), with the
  file's mode;
- except when replacing would lose something of the file: other hard links (they would keep the
  old text), an owner or a group other than the user's (a new file is the user's), extended
  attributes or an access control list (a new file has none). Such a file is written in place
  (truncated and rewritten), which keeps them all;
- a symbolic link is written through: the file it names is fixed, the link kept;
- a read-only file is refused (``PermissionError``), even where its folder would let it be
  replaced.
Cost: one ``stat`` and one ``listxattr`` per file written.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Encoding:
    """How a file's text is stored: the codec, and whether a byte-order mark leads."""

    codec: str = "utf-8"
    bom: bool = False

    @classmethod
    def of(cls, raw: bytes) -> Encoding:
        if raw.startswith(codecs.BOM_UTF16_LE):
            return cls("utf-16-le", True)
        if raw.startswith(codecs.BOM_UTF16_BE):
            return cls("utf-16-be", True)
        return cls("utf-8", raw.startswith(codecs.BOM_UTF8))

    def encode(self, text: str) -> bytes:
        return ("\ufeff" if self.bom else "").encode(self.codec) + text.encode(self.codec)

    def decode(self, raw: bytes) -> str:
        """The text of ``raw`` (its byte-order mark left out); ``UnicodeDecodeError`` if bad."""
        return raw.decode(self.codec).removeprefix("\ufeff")


def rewrite(path: str | Path, text: str, encoding: Encoding) -> None:
    """Replace the text of the file at ``path`` with ``text``, stored as ``encoding``; see the
    module's docstring for what is kept and how."""
    target = Path(path).resolve()
    status = target.stat()
    mode = stat.S_IMODE(status.st_mode)
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    data = encoding.encode(text)
    if _replacing_loses(target, status):
        with open(target, "r+b") as out:
            out.write(data)
            out.truncate()
            out.flush()
            os.fsync(out.fileno())
        return
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _replacing_loses(target: Path, status: os.stat_result) -> bool:
    """Would a new file in its place lose the file's other names, owner, group or attributes?"""
    if status.st_nlink > 1 or status.st_uid != os.geteuid() or status.st_gid != os.getegid():
        return True
    try:
        return bool(os.listxattr(target))
    except (OSError, AttributeError):  # no extended attributes here
        return False
