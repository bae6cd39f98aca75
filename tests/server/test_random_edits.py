"""1,000 random edits (seeded) through the server: it answers every burst, never fails on a
document, keeps every diagnostic inside the text, and its view of the text after incremental
changes is the editor's (the same diagnostics as a fresh open of the final text)."""

from __future__ import annotations

import random
import re

import pytest
from conftest import ARTICLE, Editor
from lsprotocol import types

pytestmark = pytest.mark.asyncio

EDITS = 1000
BURSTS = (1, 1, 2, 5, 10)  # how many edits go before waiting for the diagnostics of the last
NEWLINE = re.compile(r"(\r\n|\r|\n)")
UNDO = 5  # every this many bursts, the first edit puts the original text back (as undo does)
# Pieces that break and mend YAML, Markdown and the rules: quotes, brackets, keys, slips.
PIECES = [
    "",
    " ",
    "\n",
    "a ",
    "an ",
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "#",
    "## ",
    "---\n",
    "<!-- kb-lint disable-line KB-STYLE-002: ",
    " -->",
    "\t",
    "é",
    "😀",
    "kind: cloud",
    "email: X@Y.com",
    "crm_user: ",
    "users:",
    "instances:",
    "|",
    "\r\n",
]


def random_edit(
    rng: random.Random, text: str
) -> tuple[str, types.TextDocumentContentChangePartial]:
    """Replace a random span of one line (mostly short) with a random piece; the new text and
    the change. Lines end as LSP ends them, so a span never cuts a line ending in two."""
    parts = NEWLINE.split(text)  # line, ending, line, ending, ..., last line
    index = 2 * rng.randrange(len(parts) // 2 + 1)
    line = parts[index]
    start = rng.randint(0, len(line))
    end = min(len(line), start + rng.choice([0, 0, 1, 2, 5, 20]))
    piece = rng.choice(PIECES)
    parts[index] = line[:start] + piece + line[end:]
    where = types.Range(
        types.Position(index // 2, units(line[:start])),
        types.Position(index // 2, units(line[:end])),
    )
    return "".join(parts), types.TextDocumentContentChangePartial(range=where, text=piece)


def units(text: str) -> int:
    """The length of ``text`` in UTF-16 code units, as LSP counts columns."""
    return len(text.encode("utf-16-le")) // 2


def inside(diagnostic: types.Diagnostic, text: str) -> bool:
    lines = NEWLINE.split(text)[::2]
    start, end = diagnostic.range.start, diagnostic.range.end
    return all(p.line < len(lines) and p.character <= units(lines[p.line]) for p in (start, end))


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        (ARTICLE, "markdown", {"KB-STYLE-002", "KB-STRUCT-001"}),
        ("deploy.yaml", "yaml", {"KB105-001", None}),
    ],
)
async def test_random_edits_never_break_the_server(editor: Editor, name, language, expected):
    """``expected``: codes that some of the edited texts must get (None: bad input), so the
    edits are known to have reached the linters, and not only broken the text."""
    rng = random.Random(15)
    original = text = (editor.workspace / name).read_text("utf-8")
    await editor.open(name, language)
    last: list[types.Diagnostic] = []
    seen: set[str | None] = set()
    edits = bursts = 0
    while edits < EDITS // 2:
        changes: list[types.TextDocumentContentChangeEvent] = []
        if bursts % UNDO == 0:
            text = original
            changes.append(types.TextDocumentContentChangeWholeDocument(text=text))
        size = min(rng.choice(BURSTS), EDITS // 2 - edits)
        for _ in range(size):
            text, change = random_edit(rng, text)
            changes.append(change)
        edits += size
        bursts += 1
        for change in changes[:-1]:
            editor.change(name, [change])
        last = await editor.edit(name, changes[-1:])
        failed = [d.message for d in last if d.message.startswith("kb-lint failed")]
        assert not failed, (edits, failed, text)
        assert all(inside(d, text) for d in last), (edits, last, text)
        seen.update(d.code for d in last)
    # The whole text, as the editor has it: the same diagnostics, so the server had it too.
    assert (
        await editor.edit(name, [types.TextDocumentContentChangeWholeDocument(text=text)]) == last
    )
    assert expected <= seen
