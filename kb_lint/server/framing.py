"""Reading LSP messages from standard input without ever losing the stream.

pygls's reader trusts every frame: a ``Content-Length`` that is too large waits for bytes that
never come (and swallows the messages that do), a huge one is allocated whole, a missing one
glues the body to the next header, and a request whose params do not fit its type gets no
reply. Here each frame is checked, and a bad one is answered and dropped:
- headers are read a line at a time (lines longer than LINE_LIMIT are cut); a line that holds
  ``Content-Length:`` after other bytes (the rest of a frame that said it was shorter) starts
  a new frame there;
- a frame without a valid ``Content-Length``, or with one above MAX_MESSAGE_BYTES, is answered
  with a parse error (``id: null``) and its body skipped as stray bytes;
- a body is read as it comes; ``Content-Length: N\\r\\n`` inside it (which no JSON text can hold:
  JSON strings have no raw line breaks) means the frame said it was longer than it is: the body
  is cut there, answered with a parse error, and the next frame read from there;
- a body that is not UTF-8 JSON is a parse error (``-32700``); JSON that is not a message, an
  invalid request (``-32600``); a request whose params do not fit, invalid params
  (``-32602``), answered with its id; everything else goes to pygls as usual.
Cost: one regular-expression search per header line and per body chunk.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

from kb_lint.limits import MAX_MESSAGE_BYTES

LINE_LIMIT = 64 * 1024
CHUNK = 64 * 1024
LENGTH = re.compile(rb"content-length:[ \t]*([^\r\n]*)", re.IGNORECASE)
HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:")
NEXT_FRAME = re.compile(rb"content-length:[ \t]*\d+\r?\n", re.IGNORECASE)
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602
logger = logging.getLogger(__name__)


class Dropped(Exception):
    """A frame that was not read as a message; the reason is the error's message."""


class FrameReader:
    """Frames from a byte stream read in a worker thread (``stream.read1``)."""

    def __init__(self, stream: BinaryIO, pool: ThreadPoolExecutor | None = None) -> None:
        self.stream = stream
        self.pool = pool
        self.pending = b""  # bytes read but not used yet, in order

    async def _read(self, size: int) -> bytes:
        if self.pending:
            chunk, self.pending = self.pending[:size], self.pending[size:]
            return chunk
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, self.stream.read1, size)

    async def _line(self) -> bytes | None:
        """The next line, its break included (at most LINE_LIMIT bytes); None at the end."""
        line = b""
        while len(line) < LINE_LIMIT:
            chunk = await self._read(LINE_LIMIT - len(line))
            if not chunk:
                return line or None
            end = chunk.find(b"\n")
            if end >= 0:
                self.pending = chunk[end + 1 :] + self.pending
                return line + chunk[: end + 1]
            line += chunk
        return line

    async def body(self) -> bytes | None:
        """The next message's body; ``Dropped`` for a frame that cannot be one; None at the end."""
        length: bytes | None = None
        headers = False
        while True:
            line = await self._line()
            if line is None:
                return None
            found = LENGTH.search(line)
            if found is not None:
                length, headers = found[1].strip(), True
            elif not line.strip():
                if headers:
                    break
            elif HEADER.match(line):
                headers = True
        if not length or not length.isdigit():
            raise Dropped(f"no valid Content-Length in the message's headers ({length!r})")
        size = int(length) if len(length) < 16 else MAX_MESSAGE_BYTES + 1
        if size > MAX_MESSAGE_BYTES:
            raise Dropped(f"a message of {size:,} bytes is larger than {MAX_MESSAGE_BYTES:,}")
        data = bytearray()
        while len(data) < size:
            chunk = await self._read(min(size - len(data), CHUNK))
            if not chunk:
                return None
            data += chunk
            cut = NEXT_FRAME.search(data, max(0, len(data) - len(chunk) - 64))
            if cut is not None:
                self.pending = data[cut.start() :] + self.pending
                raise Dropped("Content-Length is larger than the message")
        return bytes(data)


def error_frame(ident: Any, code: int, message: str) -> bytes:
    """A JSON-RPC error response, framed."""
    ident = ident if isinstance(ident, int | str) and not isinstance(ident, bool) else None
    body = json.dumps(
        {"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}}
    ).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


async def serve(reader: FrameReader, protocol: Any, write: Any, stop: Any) -> None:
    """Read frames until the end of the stream (or ``stop``), each to ``protocol``."""
    while not stop.is_set():
        try:
            body = await reader.body()
        except Dropped as exc:
            logger.warning("dropped a frame: %s", exc)
            write(error_frame(None, PARSE_ERROR, f"parse error: {exc}"))
            continue
        if body is None:
            return
        deliver(body, protocol, write)


def deliver(body: bytes, protocol: Any, write: Any) -> None:
    """Hand one body to pygls; answer what it would leave unanswered."""
    try:
        data = json.loads(body)
    except ValueError as exc:  # not UTF-8, or not JSON
        write(error_frame(None, PARSE_ERROR, f"parse error: {exc}"))
        return
    if not isinstance(data, dict):
        write(error_frame(None, INVALID_REQUEST, "invalid request: not a JSON object"))
        return
    ident = data.get("id")
    try:
        message = json.loads(body, object_hook=protocol.structure_message)
    except Exception as exc:
        if "id" in data and "method" in data:
            reason = str(exc.__cause__ or exc) or type(exc).__name__
            write(error_frame(ident, INVALID_PARAMS, f"invalid params: {reason[:500]}"))
        return
    try:
        protocol.handle_message(message)
    except Exception as exc:
        logger.exception("Unable to handle message")
        if "id" in data and "method" in data:
            write(error_frame(ident, INVALID_REQUEST, f"cannot handle the request: {exc}"))
