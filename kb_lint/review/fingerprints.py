"""``rules check --fix``: set every ``cites`` block's fingerprint to its cited text's current one,
and the content fingerprint of every rule marked ``changed:`` in the pack's current version.

A reviewer who has re-read the cited text (or marked the rule changed) runs this instead of
pasting values by hand. A stale value is replaced where it stands; a missing citation one is
added to its block (inside a flow mapping's braces, or as a line of a block mapping); a rule's
is never replaced unless its ``changed:`` names the current version, so a change without a
version mark stays a finding, or unless it is the fingerprint of the rule alone that an older
kb-lint stamped and the rule has not changed since (it is confirmed again, covering what the
rule reads, at the version it names); a rule of a released pack with no fingerprint at all gets its
current one (after its ``changed:`` line). Citations that do not resolve are left for ``rules
check`` to report.

The pack is edited as text, not dumped again: a YAML round-trip dumper (ruamel.yaml) rewrites
indentation, line widths and flow mappings of the whole file, which is the author's. Each edit
replaces the exact span the YAML composer gives the value (a plain or quoted scalar on one
line), or inserts into the exact mapping; a value written another way (a tag, an anchor, an
alias, a block scalar, a merge key) is refused at its line, with the value to set by hand. The
edited text is then read again and must hold the same data but for the new fingerprints, or
nothing is written. The file keeps its encoding, byte-order mark and line endings
(``kb_lint.rewrite``), and is written once, only when something changed.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from kb_lint.articles.citations import (
    ArticleShelf,
    Unresolved,
    cited_text,
    cites_blocks,
    fingerprint,
)
from kb_lint.errors import InputError
from kb_lint.load.document import Pointer
from kb_lint.load.read import load_text, read_input
from kb_lint.load.yaml_source import YamlLocator
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import Rule
from kb_lint.review.versions import (
    confirmed,
    content_fingerprint,
    missing_refined,
    older_fingerprint,
    stamped,
)
from kb_lint.rewrite import Encoding, rewrite

BETWEEN_KEY_AND_VALUE = re.compile(r"\s*:[ \t]*")
NOT_EDITABLE = ("&", "!", "*", "|", ">")  # an anchor, a tag, an alias, a block scalar
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Refreshed:
    owner: str
    line: int
    old: str | None
    new: str


def refresh_fingerprints(source: PackSource) -> list[Refreshed]:
    """Rewrite the pack's stale and missing fingerprints; what changed, in file order."""
    pack, doc = source.pack, source.document
    shelf = (
        ArticleShelf(pack.source, pack.article) if pack.source and pack.source.is_file() else None
    )
    raw = read_input(doc.path)
    encoding = Encoding.of(raw)
    written = encoding.decode(raw)  # line breaks as written
    editor = Editor(doc.path, written, doc.locator)

    edits: list[tuple[int, int, str]] = []
    wanted: dict[Pointer, str] = {}
    done: list[Refreshed] = []
    for block in cites_blocks(pack) if shelf is not None else ():
        try:
            _, text = cited_text(source, shelf, block)
        except Unresolved:
            continue
        current = fingerprint(text)
        if block.fingerprint == current:
            continue
        if block.fingerprint is not None:
            edits.append(editor.replace((*block.pointer, "fingerprint"), current))
        else:
            edits.append(editor.insert(block.pointer, current))
        wanted[(*block.pointer, "fingerprint")] = current
        done.append(
            Refreshed(
                f"{block.owner} citation", doc.locate(block.pointer)[0], block.fingerprint, current
            )
        )
    for index, rule in enumerate(pack.rules if pack.history else ()):
        if missing_refined(rule, pack, source.beside):
            continue  # its content is not known: rules check says which pack to load
        digest = content_fingerprint(rule, pack, beside=source.beside)
        current = stamped(rule, digest)
        if rule.fingerprint is None:
            edits.append(editor.insert_rule(index, "changed" in rule.raw, current))
        elif older_fingerprint(rule, pack, source.beside):  # confirmed again, covering its reads
            at = confirmed(rule.fingerprint or "")[1]
            current = f"{digest}@{at}" if at else digest
            edits.append(editor.replace(("rules", index, "fingerprint"), current))
        elif _moved_on(rule, digest, pack.version):
            edits.append(editor.replace(("rules", index, "fingerprint"), current))
        else:
            continue
        wanted[("rules", index, "fingerprint")] = current
        line = doc.locate(("rules", index))[0]
        done.append(Refreshed(f"rule {rule.id} content", line, rule.fingerprint, current))
    if edits:
        for start, end, new in sorted(edits, reverse=True):
            written = written[:start] + new + written[end:]
        editor.verify(written, doc.data, wanted)
        try:
            rewrite(doc.path, written, encoding)
        except OSError as exc:
            line = min(r.line for r in done)
            reason = exc.strerror or str(exc)
            raise InputError(doc.path, line, 1, f"cannot write the fixes: {reason}") from None
    return sorted(done, key=lambda r: r.line)


def _moved_on(rule: Rule, digest: str, version: str) -> bool:
    """The rule's content changed and its ``changed:`` names the pack's version, a later one
    than its fingerprint was confirmed at: the change is marked, so its fingerprint may be
    confirmed. A fingerprint with no version cannot show that the mark moved on."""
    old, at = confirmed(rule.fingerprint or "")
    return old != digest and at is not None and at != rule.changed == version


class Editor:
    """Edits of one pack's text (``text``, its line breaks as written), found from the nodes
    its locator composed (from the same text, line breaks made ``\\n``: lines and columns
    agree)."""

    def __init__(self, path: str, text: str, locator: Any) -> None:
        self.path = path
        self.text = text
        self.locator = locator
        self.starts = [0, *(m.end() for m in LINE_BREAK.finditer(text))]
        found = LINE_BREAK.search(text)
        self.newline = found.group() if found else "\n"

    def offset(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def refuse(self, pointer: Pointer, value: str, why: str) -> InputError:
        line, column = self._place(pointer)
        return InputError(
            self.path,
            line,
            column,
            f'cannot set this fingerprint safely ({why}); set it by hand to "{value}"',
        )

    def _place(self, pointer: Pointer) -> tuple[int, int]:
        if isinstance(self.locator, YamlLocator) and (found := self.locator.nodes(pointer)):
            node = found[0] or found[1]
            return node.start_mark.line + 1, node.start_mark.column + 1
        return 1, 1

    def _found(self, pointer: Pointer, value: str) -> tuple[Any, Any]:
        found = self.locator.nodes(pointer) if isinstance(self.locator, YamlLocator) else None
        if found is None or found[0] is None:
            raise self.refuse(pointer, value, "the pack is not a YAML file kb-lint can edit")
        parent = self.locator.nodes(pointer[:-1])
        if parent is None or not any(k is found[0] for k, _ in parent[1].value):
            raise self.refuse(pointer, value, "it comes from a merge key")
        return found

    def replace(self, pointer: Pointer, value: str) -> tuple[int, int, str]:
        """Replace the scalar at ``pointer`` with ``value`` (quoted)."""
        key, node = self._found(pointer, value)
        start, end = self.offset(node.start_mark), self.offset(node.end_mark)
        between = self.text[self.offset(key.end_mark) : start]
        if not BETWEEN_KEY_AND_VALUE.fullmatch(between) or self.text.startswith(
            NOT_EDITABLE, start
        ):
            raise self.refuse(pointer, value, "it has a tag, an anchor or an alias")
        if node.start_mark.line != node.end_mark.line or getattr(node, "style", None) in (
            "|",
            ">",
        ):
            raise self.refuse(pointer, value, "it is written over several lines")
        return start, end, f'"{value}"'

    def insert(self, pointer: Pointer, value: str) -> tuple[int, int, str]:
        """Add ``fingerprint: value`` to the mapping at ``pointer``."""
        found = self.locator.nodes(pointer) if isinstance(self.locator, YamlLocator) else None
        if found is None or self.text.startswith(NOT_EDITABLE, self.offset(found[1].start_mark)):
            raise self.refuse(pointer, value, "the mapping has a tag, an anchor or an alias")
        node = found[1]
        if node.flow_style:
            close = self.offset(node.end_mark) - 1  # the "}" itself, whatever comments hold
            inner = self.text[self.offset(node.start_mark) + 1 : close].strip()
            comma = ", " if inner and not inner.endswith(",") else (" " if inner else "")
            return close, close, f'{comma}fingerprint: "{value}"'
        at = self.offset(node.start_mark)
        indent = node.start_mark.column
        return at, at, f'fingerprint: "{value}"{self.newline}' + " " * indent

    def insert_rule(self, index: int, changed: bool, value: str) -> tuple[int, int, str]:
        """Add a rule's missing ``fingerprint: value``: on the line after its ``changed:`` in a
        block mapping, else as the first key of its mapping."""
        found = self.locator.nodes(("rules", index, "changed")) if changed else None
        rule = (
            self.locator.nodes(("rules", index)) if isinstance(self.locator, YamlLocator) else None
        )
        if found is None or found[0] is None or rule is None or rule[1].flow_style:
            return self.insert(("rules", index), value)
        key, node = found
        end = self.offset(node.end_mark)
        breaks = [self.text.find(c, end) for c in "\r\n"]
        end = min((b for b in breaks if b >= 0), default=len(self.text))
        indent = " " * key.start_mark.column
        return end, end, f'{self.newline}{indent}fingerprint: "{value}"'

    def verify(self, text: str, before: Any, wanted: dict[Pointer, str]) -> None:
        """``text`` must read as ``before`` with the ``wanted`` fingerprints set, or nothing
        is written."""
        expected = copy.deepcopy(before)
        for pointer, value in wanted.items():
            holder = expected
            for part in pointer[:-1]:
                holder = holder[part]
            holder[pointer[-1]] = value
        try:
            after = load_text(self.path, text).data
        except InputError as exc:
            after = exc
        if after != expected:
            pointer = next(iter(wanted))
            raise self.refuse(pointer, wanted[pointer], "the edited pack would read differently")
