"""What a rules change does against the two other oracles: the article and the Riva sync model.

The article statements a change breaks are the claims (pack ``claims``) that a row of the new
tables breaks and no row of the old ones did, each with the article's own sentence it cites.
The disagreements are the cases of the packs' grids (``simulate --sweep``) where the new rules
predict another outcome than the model simulates; each says whether the old rules agreed there.
Cost: one claim proof per pack version, and the sweep of the new rules (of the old ones too
only when the new ones disagree somewhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb_lint.articles.citations import ArticleShelf
from kb_lint.pack.model import RulePack
from kb_lint.review.claims import ClaimBreak, prove_claims
from kb_lint.simulate.measures import MODEL
from kb_lint.simulate.sweep import case_label, pack_grids, run_pack_grids, simulated_by

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
SHOWN = 240  # characters of the article's text shown with a broken statement


@dataclass(frozen=True)
class BrokenStatement:
    """Claim ``claim`` of ``pack`` (the article's ``section``, list ``item``) broken by ``row``
    of ``table`` for the overlap ``when``; ``sentence`` is the cited text, when it resolves."""

    pack: str
    claim: str
    article: int
    section: str | None
    item: int | None
    says: str
    sentence: str | None
    table: str
    row: int
    when: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    case: str
    differences: tuple[str, ...]
    new: bool  # the old rules agreed with the model on this case


def broken_statements(base: list[RulePack], head: list[RulePack]) -> list[BrokenStatement]:
    """The claims the new packs break where the old ones did not."""
    before = {_key(pack.id, b) for pack in base for b in prove_claims(pack)[0]}
    found = []
    for pack in head:
        breaks = [b for b in prove_claims(pack)[0] if _key(pack.id, b) not in before]
        shelf = ArticleShelf(pack.source, pack.article) if breaks and pack.source else None
        found += [_statement(pack, b, shelf) for b in breaks]
    return found


def _key(pack: str, found: ClaimBreak) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return pack, found.claim.id, tuple((k, str(v)) for k, v in found.facts.items())


def _statement(pack: RulePack, found: ClaimBreak, shelf: ArticleShelf | None) -> BrokenStatement:
    cites = found.claim.cites
    return BrokenStatement(
        pack=pack.id,
        claim=found.claim.id,
        article=cites.article if cites else pack.article,
        section=cites.section if cites else None,
        item=cites.item if cites else None,
        says=" ".join(found.claim.says.split()),
        sentence=_sentence(shelf, cites.article, cites.section, cites.item) if cites else None,
        table=found.table.id,
        row=found.row.number,
        when=", ".join(f"{k}: {v}" for k, v in found.facts.items()),
        problems=tuple(found.problems),
    )


def _sentence(
    shelf: ArticleShelf | None, article: int, section: str | None, item: int | None
) -> str | None:
    """The cited text of the article: its list item, or the section when no item is cited."""
    found = shelf.find(article) if shelf else None
    part = next((s for s in found.sections if s.anchor == section), None) if found else None
    if part is None:
        return None
    if item is not None and not 0 < item <= len(part.items):
        return None
    return _lead(part.text if item is None else part.items[item - 1].text)


def _lead(text: str) -> str:
    """The first sentences of ``text``, about SHOWN characters, ending with … when cut."""
    sentences = SENTENCE_END.split(" ".join(text.split()))
    lead = sentences[0]
    for sentence in sentences[1:]:
        if len(lead) + len(sentence) > SHOWN:
            return lead + " …"
        lead += " " + sentence
    return lead


@dataclass(frozen=True)
class ModelCheck:
    cases: int
    disagreements: list[Disagreement]


def check_model(base: list[RulePack], head: list[RulePack]) -> ModelCheck | None:
    """The new rules against the model on the grid; None when no pack is simulated."""
    if not simulated_by(head, MODEL):
        return None
    results = run_pack_grids(head)
    now = [r for r in results if r["differences"]]
    agreed = set()
    if now and simulated_by(base, MODEL):
        grids = [(pack, grid) for pack, grid in pack_grids(head) if pack in {p.id for p in base}]
        agreed = {case_label(r) for r in run_pack_grids(base, grids) if not r["differences"]}
    found = [
        Disagreement(case_label(r), tuple(r["differences"]), case_label(r) in agreed) for r in now
    ]
    return ModelCheck(len(results), found)
