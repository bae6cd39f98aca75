"""Citations resolve to the article, and the cited text has not changed since it was confirmed.

Every ``cites`` block of a pack (rules, tables and their rows, procedures and their steps) must
name a section heading of the article that exists, and an item of it that exists
(KB-RULES-003). Each block keeps the ``fingerprint`` of the text it cites; when the article's
text no longer has that fingerprint, or the block has none, the rule is possibly stale until a
reviewer re-reads the text and pastes the current fingerprint (KB-RULES-004).
"""

from __future__ import annotations

from collections.abc import Iterator

from kb_lint.articles.citations import (
    ArticleShelf,
    CitesBlock,
    Unresolved,
    cited_text,
    cites_blocks,
    fingerprint,
)
from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check

UNRESOLVED_CITATION = Check(
    id="KB-RULES-003",
    name="unresolved-citation",
    severity="error",
    what="A `cites` block names an article, section heading or list item that the article does "
    "not have (or the pack names no article file in `pack.source`).",
    why="Every rule must trace back to the article text it encodes; a citation that leads "
    "nowhere leaves the rule without its authority, and the docs site without its quote.",
    example="cites: {article: 105, section: backgrund}   # the heading is 'Background'\n",
    fix="Point `pack.source` at the article's file when it is not found; otherwise use the "
    "anchor of the heading as it is now (the message suggests the nearest one), or the item's "
    "number in that section's list.",
)
STALE_CITATION = Check(
    id="KB-RULES-004",
    name="stale-citation",
    severity="warning",
    what="The article text a `cites` block points at has changed since a reviewer last "
    "confirmed the rule against it, or the block has no fingerprint yet.",
    why="Articles get edited; a rule that encoded the old text may no longer say what the "
    "article says. The fingerprint makes each edit visible on the rules that depend on it.",
    example="cites: {article: 105, section: background, fingerprint: sha256:0123456789abcdef}\n"
    "# the Background section has been reworded since\n",
    fix="Re-read the cited text, update the rule if it no longer matches, then set the block's "
    "`fingerprint:` to the value given in the message.",
)


def check_citations(source: PackSource) -> list[Finding]:
    pack = source.pack
    if pack.source is None:
        message = "the pack names no article file (pack.source), so no citation can be checked"
        return [UNRESOLVED_CITATION.finding(source.at(("pack",)), message)]
    if not pack.source.is_file():
        message = f"article file not found: {pack.data['pack']['source']} (from {pack.path.parent})"
        return [UNRESOLVED_CITATION.finding(source.at(("pack", "source")), message)]
    shelf = ArticleShelf(pack.source, pack.article)
    findings: list[Finding] = []
    for block in cites_blocks(pack):
        findings.extend(_check_block(source, shelf, block))
    return findings


def _check_block(source: PackSource, shelf: ArticleShelf, block: CitesBlock) -> Iterator[Finding]:
    try:
        cited, text = cited_text(source, shelf, block)
    except Unresolved as exc:
        yield UNRESOLVED_CITATION.finding(exc.location, exc.message)
        return
    current = fingerprint(text)
    if block.fingerprint is None:
        yield STALE_CITATION.finding(
            source.at(block.pointer),
            f"{block.owner} cites {cited} without a fingerprint: confirm the rule against the "
            f"text, then add fingerprint: {current}",
        )
    elif block.fingerprint != current:
        yield STALE_CITATION.finding(
            source.at((*block.pointer, "fingerprint")),
            f"{block.owner}: the text of {cited} changed since it was confirmed (fingerprint "
            f"{block.fingerprint}, now {current}); possibly stale, re-confirm it and set "
            f"fingerprint: {current}",
        )
