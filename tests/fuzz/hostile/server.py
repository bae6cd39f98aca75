"""The language server: bad framing, bad params, slow lints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.fuzz.hostile.harness import Case, Check, Outcome, server_session


def frame(body: dict | bytes, length: int | None = None, header: bytes | None = None) -> bytes:
    import json

    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    head = (
        header
        if header is not None
        else b"Content-Length: %d\r\n\r\n" % (len(data) if length is None else length)
    )
    return head + data


INITIALIZE = frame(
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}},
    }
)
LAST = frame({"jsonrpc": "2.0", "id": "last", "method": "shutdown"})
HOVER = {
    "jsonrpc": "2.0",
    "id": 7,
    "method": "textDocument/hover",
    "params": {"textDocument": {"uri": "file:///x.md"}, "position": {"line": -4}},
}


def served(*bad: bytes) -> Callable[[Path, Case], Outcome]:
    """A server session: initialize, the bad frames, then a request it must still answer."""

    def drive(folder: Path, case: Case) -> Outcome:
        import json

        messages, seconds, _ = server_session([INITIALIZE, *bad, LAST], case.limit)
        return Outcome(0, json.dumps(messages), "", seconds, folder)

    return drive


def answers(*ids: object, errors: int = 0) -> Check:
    """Every request ``ids`` answered (the last one too), and at least ``errors`` error replies."""

    def check(run: Outcome) -> str | None:
        import json

        messages = json.loads(run.out)
        answered = {m.get("id") for m in messages if "result" in m or "error" in m}
        missing = [i for i in (1, *ids, "last") if i not in answered]
        if missing:
            return f"no answer to {missing}: {run.out[:300]}"
        if sum("error" in m for m in messages) < errors:
            return f"fewer than {errors} error replies: {run.out[:300]}"
        return None

    return check


CASES: list[Case] = [
    Case(
        "language server: bad framing",
        "Content-Length too small",
        lambda f: [],
        answers(errors=1),
        drive=served(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, length=10)),
    ),
    Case(
        "language server: bad framing",
        "Content-Length too large",
        lambda f: [],
        answers(errors=1),
        drive=served(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}, 5000)),
    ),
    Case(
        "language server: bad framing",
        "Content-Length missing",
        lambda f: [],
        answers(errors=1),
        drive=served(
            frame(
                {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
                header=b"Content-Type: application/json\r\n\r\n",
            )
        ),
    ),
    Case(
        "language server: bad framing",
        "body not UTF-8",
        lambda f: [],
        answers(errors=1),
        drive=served(frame(b'{"jsonrpc": "2.0", "id": 4, "method": "x\xff\xfe"}')),
    ),
    Case(
        "language server: bad framing",
        "huge Content-Length",
        lambda f: [],
        answers(errors=1),
        drive=served(frame(b"{}", length=10**15)),
    ),
    Case(
        "language server: a request with invalid params",
        "hover without a line",
        lambda f: [],
        answers(7, errors=1),
        drive=served(frame(HOVER)),
    ),
]
