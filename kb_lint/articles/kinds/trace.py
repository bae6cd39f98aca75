"""Traceability kinds, between an article and the rule packs that cite it.

A ``CitationIndex`` reads every ``cites`` block of the packs under a rules folder once per run
and process (with ``kb_lint.review.citations``, which ``kb-lint rules check`` uses too), the
first time an article with an ``id`` asks for them: no pack can cite an article without one, so
a run of such articles reads no pack, nor imports the code that reads them (0.2 s of CPU for
the project's packs). Then, per article: each block naming the article's ``id`` must resolve
to one of its sections and list items, by the same resolution ``rules check`` applies; and each
item of the covered sections must be cited by some block (a rule, a decision-table row, a
procedure step) or waived.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kb_lint.articles.kind import NO_PARAMS, Hit, Kind, Target
from kb_lint.articles.model import Article
from kb_lint.errors import InputError, shown_path
from kb_lint.findings import Location
from kb_lint.load import Pointer

if TYPE_CHECKING:
    from kb_lint.articles.citations import CitesBlock
    from kb_lint.articles.style import ArticleRule


@dataclass(frozen=True)
class PackCitation:
    """A ``cites`` block with the file positions of its parts (what ``rules check`` reports
    from the pack's document, kept as plain locations so a run can send them to workers)."""

    block: CitesBlock
    places: dict[Pointer, Location]

    def at(self, pointer: Pointer) -> Location:
        return self.places.get(pointer) or self.places[self.block.pointer]


class CitationIndex:
    """The ``cites`` blocks of the packs under a rules folder, by the article they name, read
    the first time they are asked for; ``broken`` then holds the error of each pack that does
    not load (its blocks are left out, the others' read)."""

    def __init__(self, rules_dir: Path) -> None:
        self.rules_dir = rules_dir
        self.broken: list[InputError] = []
        self._by_article: dict[int, tuple[PackCitation, ...]] | None = None

    def by_article(self) -> dict[int, tuple[PackCitation, ...]]:
        if self._by_article is None:
            self._by_article = _read_citations(self.rules_dir, self.broken)
        return self._by_article

    def covered(self, article: int) -> set[tuple[str | None, int]]:
        return {
            (c.block.section, c.block.item)
            for c in self.by_article().get(article, ())
            if c.block.item is not None
        }


def load_citations(rules_dir: Path, broken: list[InputError] | None = None) -> CitationIndex:
    """The ``cites`` blocks of the packs under ``rules_dir``, read now; a pack that does not
    load is an ``InputError``, or, with ``broken``, added there while the others' blocks are
    read (``kb-lint rules check`` says more)."""
    index = CitationIndex(rules_dir)
    index.by_article()
    if index.broken and broken is None:
        raise index.broken[0]
    (broken if broken is not None else []).extend(index.broken)
    return index


def _read_citations(
    rules_dir: Path, broken: list[InputError]
) -> dict[int, tuple[PackCitation, ...]]:
    from kb_lint.articles.citations import cites_blocks
    from kb_lint.pack.document import read_sources

    sources, errors = read_sources(rules_dir)
    broken.extend(errors)
    by_article: dict[int, list[PackCitation]] = {}
    for source in sources:
        blocks = list(cites_blocks(source.pack))
        pointers = {(*b.pointer, part) for b in blocks for part in ("section", "item")}
        pointers |= {b.pointer for b in blocks}
        found = source.document.locate_many(pointers)
        path = source.document.path
        for block in blocks:
            parts = (block.pointer, (*block.pointer, "section"), (*block.pointer, "item"))
            places = {p: Location(path, *found[p]) for p in parts}
            by_article.setdefault(block.article, []).append(PackCitation(block, places))
    return {number: tuple(c) for number, c in by_article.items()}


class _Shelf:
    """The article being linted, in the place ``rules check`` looks up cited articles."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.folder = Path(article.path).parent

    def find(self, number: int) -> Article | None:
        return self.article


def _article_id(target: Target) -> int | None:
    number = target.article.front_matter.get("id")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def _citations(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    """One hit per missing section or item, with every citation of it as a related location."""
    index = target.run.citations
    number = _article_id(target)
    if index is None or number is None:
        return
    from kb_lint.articles.citations import Unresolved, cited_text

    article = target.article
    shelf = _Shelf(article)
    broken: dict[tuple[str, int | None], list[tuple[PackCitation, Unresolved]]] = {}
    for citation in index.by_article().get(number, ()):
        block = citation.block
        if block.section is None:
            continue  # names no section at all: the pack's problem, for `rules check`
        try:
            cited_text(citation, shelf, block)
        except Unresolved as exc:
            missing = article.section(block.section) is None
            broken.setdefault((block.section, None if missing else block.item), []).append(
                (citation, exc)
            )
    for (anchor, _), cases in broken.items():
        section = article.section(anchor)
        if section is not None:
            line, column = section.line, section.column
        elif article.meta is not None and article.meta.document is not None:
            line, column = article.meta.locate(("id",))
        else:
            line, column = 1, 1
        message = cases[0][1].message
        if len(cases) > 1:
            message += f"; {len(cases) - 1} more citation{'s' if len(cases) > 2 else ''} too"
        related = tuple(
            replace(exc.location, note=f"cited by {citation.block.owner}")
            for citation, exc in cases
        )
        yield Hit(line, column, message, related=related)


def _coverage(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    """Each uncited item of the covered sections: an error of the rule once a pack cites the
    article; before that, a note (information) that no pack cites it, so that a new article's
    challenges are seen (and an item's waiver is used) before its pack is written."""
    index = target.run.citations
    number = _article_id(target)
    if index is None or number is None:
        return
    cited = number in index.by_article()
    covered = index.covered(number) if cited else set()
    for anchor in rule.params["sections"]:
        section = target.article.section(anchor)
        if section is None:
            continue
        for position, item in enumerate(section.items, 1):
            if (anchor, position) in covered:
                continue
            if cited:
                yield Hit(
                    item.line,
                    item.column,
                    f"item {position} of '{section.title}' is cited by no rule, decision-table "
                    "row or procedure step: cite it from the rule pack, or waive it with a reason",
                )
            elif index.broken:  # its pack may be the one that did not load
                yield Hit(
                    item.line,
                    item.column,
                    f"item {position} of '{section.title}' is encoded by no rule of the packs "
                    f"that loaded: a pack that did not load (its error above) may cite article "
                    f"{number}",
                    severity="info",
                )
            else:
                yield Hit(
                    item.line,
                    item.column,
                    f"item {position} of '{section.title}' is encoded by no rule: no rule pack "
                    f"in {shown_path(index.rules_dir)} cites article {number} yet (`kb-lint "
                    f"rules new {target.article.path}` starts one; --rules names another "
                    "folder), or waive it with a reason",
                    severity="info",
                )


CITATIONS = Kind(
    name="citations",
    summary="Every `cites` block of the rule packs that names the article's `id` resolves to "
    "one of its sections (by anchor) and, when it gives one, to an item of that section.",
    params=NO_PARAMS,
    check=_citations,
)
COVERAGE = Kind(
    name="coverage",
    summary="Every top-level list item of the sections whose anchors are in `sections` is "
    "cited (section and item) by some `cites` block of a rule pack, once any pack cites the "
    "article; before that, each is a note (information) that no pack cites the article.",
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["sections"],
        "properties": {"sections": {"type": "array", "minItems": 1, "items": {"type": "string"}}},
    },
    check=_coverage,
)
