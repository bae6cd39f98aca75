"""The end of a ``kb-lint server`` process, as the LSP asks: ``shutdown`` then ``exit`` ends it
with code 0 and nothing on stderr, even while the editor keeps its end of stdin open; an
``exit`` without ``shutdown`` ends it with 1."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def frame(message: dict) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frame(stream) -> dict:
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


@pytest.mark.parametrize(("shutdown", "code"), [(True, 0), (False, 1)])
def test_exit_ends_the_server_with_the_code_the_lsp_gives(tmp_path, shutdown, code):
    server = subprocess.Popen(
        [sys.executable, "-m", "kb_lint", "server"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert server.stdin and server.stdout and server.stderr
    initialize = {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
    server.stdin.write(frame({"id": 1, "method": "initialize", "params": initialize}))
    server.stdin.write(frame({"method": "initialized", "params": {}}))
    server.stdin.flush()
    assert read_frame(server.stdout)["id"] == 1
    if shutdown:
        server.stdin.write(frame({"id": 2, "method": "shutdown", "params": None}))
        server.stdin.flush()
        assert read_frame(server.stdout) == {"jsonrpc": "2.0", "id": 2, "result": None}
    server.stdin.write(frame({"method": "exit", "params": None}))
    server.stdin.flush()  # stdin stays open, as an editor leaves it
    try:
        assert server.wait(timeout=30) == code
    finally:
        server.kill()
        server.stdin.close()
    assert server.stderr.read() == b""
    assert server.stdout.read() == b""
