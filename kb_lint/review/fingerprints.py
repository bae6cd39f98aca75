"""``rules check --fix``: set every ``cites`` block's fingerprint to its cited text's current one,
and the content fingerprint of every rule marked ``changed:`` in the pack's current version.

A reviewer who has re-read the cited text (or marked the rule changed) runs this instead of
pasting values by hand. A stale value is replaced where it stands; a missing citation one is
added to its block (inside a flow mapping's braces, or as a line of a block mapping); a rule's
is never replaced unless its ``changed:`` names the current version, so a change without a
version mark stays a finding; a rule of a released pack with no fingerprint at all gets its
current one (after its ``changed:`` line). The pack file is rewritten atomically, once, and only
when something changed; citations that do not resolve are left for ``rules check`` to report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kb_lint.articles.fix import write_atomic
from kb_lint.review.citations import ArticleShelf, Unresolved, cited_text, cites_blocks, fingerprint
from kb_lint.review.source import PackSource
from kb_lint.review.versions import content_fingerprint

_SCALAR = re.compile(r"""("[^"\n]*"|'[^'\n]*'|[^\s,}\]#]+)""")


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
    starts = [0, *(m.end() for m in re.finditer("\n", doc.text))]

    def offset(pointer: tuple) -> int:
        line, column = doc.locate(pointer)
        return starts[line - 1] + column - 1

    edits: list[tuple[int, int, str]] = []
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
            at = offset((*block.pointer, "fingerprint"))
            token = _SCALAR.match(doc.text, at)
            end = token.end() if token else at
            edits.append((at, end, f'"{current}"'))
        else:
            edits.append(_insertion(doc.text, offset(block.pointer), current))
        done.append(
            Refreshed(block.owner, doc.locate(block.pointer)[0], block.fingerprint, current)
        )
    for index, rule in enumerate(pack.rules if pack.history else ()):
        current = content_fingerprint(rule, pack)
        if rule.fingerprint is None:
            edits.append(_rule_insertion(doc.text, offset, index, "changed" in rule.raw, current))
        elif rule.fingerprint != current and rule.changed == pack.version:
            at = offset(("rules", index, "fingerprint"))
            token = _SCALAR.match(doc.text, at)
            edits.append((at, token.end() if token else at, f'"{current}"'))
        else:
            continue
        line = doc.locate(("rules", index))[0]
        done.append(Refreshed(f"rule {rule.id} content", line, rule.fingerprint, current))
    if edits:
        text = doc.text
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        write_atomic(doc.path, text, bom=False)
    return sorted(done, key=lambda r: r.line)


def _rule_insertion(
    text: str, offset: Callable[[tuple], int], index: int, changed: bool, value: str
) -> tuple[int, int, str]:
    """Where to add a rule's missing ``fingerprint: value``: on the line after its ``changed:``
    (a block mapping), else as the first key of its mapping."""
    if not changed:
        return _insertion(text, offset(("rules", index)), value)
    at = offset(("rules", index, "changed"))
    start = text.rfind("\n", 0, at) + 1
    key = start + len(text[start:at]) - len(text[start:at].lstrip(" -"))
    if text.startswith("{", offset(("rules", index))) or key >= at:
        return _insertion(text, offset(("rules", index)), value)
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return end, end, "\n" + " " * (key - start) + f'fingerprint: "{value}"'


def _insertion(text: str, at: int, value: str) -> tuple[int, int, str]:
    """Where to add ``fingerprint: value`` to the mapping that starts at ``at``."""
    if text.startswith("{", at):
        close = text.index("}", at)
        inner = text[at + 1 : close].strip()
        return close, close, f'{", " if inner else ""}fingerprint: "{value}"'
    indent = at - (text.rfind("\n", 0, at) + 1)
    return at, at, f'fingerprint: "{value}"\n' + " " * indent
