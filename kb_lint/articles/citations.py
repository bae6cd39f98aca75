"""Where a pack's ``cites`` blocks land in an article: the cited section or item and its text.

A block names an article by id, a section by its heading's anchor and, optionally, the n-th list
item of it; rows and steps inherit their parent's article and section. The ``fingerprint`` of
the cited text is what a reviewer confirmed a rule against.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_lint.articles.model import Article, parse_article
from kb_lint.citations import places
from kb_lint.errors import did_you_mean
from kb_lint.findings import Location
from kb_lint.load import Pointer
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import RulePack

_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fingerprint(text: str) -> str:
    """``sha256:`` and the first 16 hex digits of the SHA-256 of the normalised text.

    Normalising (Unicode NFKC, straight quotes and dashes, whitespace runs as one space) keeps
    re-wrapping and typography from making a citation look stale.
    """
    normal = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    normal = re.sub(r"\s+", " ", normal).strip()
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CitesBlock:
    """One ``cites`` mapping; rows and steps inherit their parent's article and section."""

    owner: str
    pointer: Pointer
    article: int
    section: str | None
    item: int | None
    fingerprint: str | None
    names_section: bool


def cites_blocks(pack: RulePack) -> Iterator[CitesBlock]:
    data = pack.data
    for i, rule in enumerate(data["rules"]):
        for pointer, spec in places(("rules", i, "cites"), rule["cites"]):
            yield _block(f"rule {rule['id']}", pointer, spec, pack.article, None)
    for i, claim in enumerate(data.get("claims", [])):
        owner = f"claim {claim['id']}"
        yield _block(owner, ("claims", i, "cites"), claim["cites"], pack.article, None)
    for section, children, label in (("tables", "rows", "row"), ("procedures", "steps", "step")):
        for i, entry in enumerate(data.get(section, [])):
            owner = f"{section[:-1]} {entry['id']}"
            parent = entry.get("cites", {})
            if "cites" in entry:
                yield _block(owner, (section, i, "cites"), parent, pack.article, None)
            for n, child in enumerate(entry[children]):
                at = (section, i, children, n, "cites")
                for pointer, spec in places(at, child["cites"]) if "cites" in child else ():
                    yield _block(
                        f"{owner} {label} {child.get('id', n + 1)}",
                        pointer,
                        spec,
                        parent.get("article", pack.article),
                        parent.get("section"),
                    )


def _block(
    owner: str, pointer: Pointer, spec: dict[str, Any], article: int, section: str | None
) -> CitesBlock:
    return CitesBlock(
        owner=owner,
        pointer=pointer,
        article=spec.get("article", article),
        section=spec.get("section", section),
        item=spec.get("item"),
        fingerprint=spec.get("fingerprint"),
        names_section="section" in spec,
    )


class ArticleShelf:
    """The pack's article, and the other articles in its folder, found by their ``id``."""

    def __init__(self, source: Path, article: int) -> None:
        self.folder = source.parent
        self.articles: dict[int, Article] = {article: parse_article(source)}
        self.searched = False

    def find(self, number: int) -> Article | None:
        if number not in self.articles and not self.searched:
            self.searched = True
            for path in sorted(self.folder.glob("*.md")):
                found = parse_article(path)
                self.articles.setdefault(found.front_matter.get("id"), found)
        return self.articles.get(number)


class Unresolved(Exception):
    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


def cited_text(source: PackSource, shelf: ArticleShelf, block: CitesBlock) -> tuple[str, str]:
    """How messages name what the block cites, and its text; ``Unresolved`` if it is not there."""
    here = source.at(block.pointer)
    article = shelf.find(block.article)
    if article is None:
        raise Unresolved(
            here, f"{block.owner} cites article {block.article}, not found in {shelf.folder}"
        )
    if block.section is None:
        message = f"{block.owner} cites item {block.item} but names no section, nor does its parent"
        raise Unresolved(here, message)
    section = next((s for s in article.sections if s.anchor == block.section), None)
    if section is None:
        anchors = [s.anchor for s in article.sections]
        raise Unresolved(
            source.at((*block.pointer, "section")) if block.names_section else here,
            f"{block.owner} cites section '{block.section}' of article {block.article}, which "
            f"has no such heading{did_you_mean(block.section, anchors)}",
        )
    cited = f"'{section.title}' of article {block.article}"
    if block.item is None:
        return cited, section.text
    count = len(section.items)
    if not 0 < block.item <= count:
        raise Unresolved(
            source.at((*block.pointer, "item")),
            f"{block.owner} cites item {block.item} of {cited}, which has {count} list "
            f"item{'s' if count != 1 else ''}",
        )
    return f"item {block.item} of {cited}", section.items[block.item - 1].text
