"""Where the site's rows, outcome cells, steps and rules come from, in the words the findings
use (kb_lint.engine.why): "article § expected-challenges, item N" for an item of a section,
"article § steps-for-exchange-accounts, step 3, bullet 2" for a step of a procedure (never
"item", which names a section's items), "article § best-practice" for a whole section, each
linked to the cited section; and "assumption An" linked to its entry on the pack's assumptions
page.

The rule: a row, step or rule comes from the article item it cites and from every assumption
whose ``decides`` names it (``deciding``, the lookup the findings' "because" in
kb_lint.engine.why uses); or, for an assumption that decides a case of a row only
(``{row: 5, given: {crm: unknown}}``), that case of it, said with the case. An outcome cell is
an assumption's when an assumption decides its row, step or rule and no claim of the article
holds that outcome over the whole row (an assumption decides only what no claim decides). Cost:
one pass over the assumptions per row, step or rule, and one over the claims per table cell.
"""

from __future__ import annotations

from typing import Any

from kb_lint.citations import Citation
from kb_lint.docs.citing import article_link
from kb_lint.docs.escape import link, text
from kb_lint.docs.paths import pack_page, relative, slug
from kb_lint.docs.sources import SiteSources
from kb_lint.pack.claims import Claim, deciding, deciding_cases
from kb_lint.pack.model import Assumption, DecisionTable, Row, RulePack

RULES = "rules"  # the ``decides`` section that names rules


def assumption_anchor(assumption: str) -> str:
    """The anchor of an assumption's heading on the assumptions page."""
    return slug(assumption)


def assumption_link(page: str, pack: RulePack, assumption: str, label: str = "") -> str:
    """A link to the assumption's entry, titled with its title; labelled "assumption An"."""
    title = next((a.title for a in pack.assumptions if a.id == assumption), "")
    target = relative(page, pack_page(pack.id, "assumptions"), assumption_anchor(assumption))
    return link(text(label or f"assumption {assumption}"), target, f"{assumption}: {title}")


def source(
    page: str,
    pack: RulePack,
    sources: SiteSources,
    cites: Citation | None,
    item: int | None,
    assumptions: tuple[str, ...],
    place: str | None = None,
) -> str:
    """Where a row, step or rule comes from: "article § SECTION, item N" (or, for a step of a
    procedure, "article § SECTION, PLACE" with PLACE its "step 3, bullet 2") linked to the cited
    section, then each deciding assumption, linked; "—" when nothing is cited."""
    parts = []
    if cites is not None:
        where = place or (f"item {item}" if item is not None else "")
        parts.append(article_link(page, sources, cites, where))
    parts += [assumption_link(page, pack, a) for a in assumptions]
    return "; ".join(parts) or "—"


def rule_source(
    page: str,
    pack: RulePack,
    sources: SiteSources,
    places: tuple[Citation, ...],
    assumptions: tuple[str, ...],
) -> str:
    """Where a rule comes from: each place it cites ("article § SECTION, item N", linked),
    then each deciding assumption, linked."""
    parts = [article_link(page, sources, c, f"item {c.item}" if c.item else "") for c in places]
    parts += [assumption_link(page, pack, a) for a in assumptions]
    return "; ".join(parts) or "—"


def row_source(
    page: str, pack: RulePack, sources: SiteSources, table: DecisionTable, row: Row
) -> str:
    """Where a decision-table row comes from (its "Source" cell): then each assumption that
    decides a case of it only, with that case ("assumption A4 where crm is unknown")."""
    cites, item = row.cites or table.cites, row.cites.item if row.cites else None
    found = source(page, pack, sources, cites, item, deciding(pack, table.id, row.number))
    cases = [
        f"{assumption_link(page, pack, a)} where {case_words(given)}"
        for a, given in deciding_cases(pack, table.id, row.number)
    ]
    return "; ".join([found, *cases]) if cases and found != "—" else "; ".join(cases) or found


def case_words(given: dict[str, list[Any]]) -> str:
    """A case of a row in words: "crm is unknown", "crm is capped or unknown and …"."""
    return " and ".join(
        f"{text(name)} is {' or '.join(text(v) for v in values)}" for name, values in given.items()
    )


def marks(page: str, pack: RulePack, assumptions: tuple[str, ...]) -> str:
    """The origin marker beside an outcome cell: the assumptions that decide it, as short
    links in a superscript ("" when the article decides it)."""
    if not assumptions:
        return ""
    shown = ", ".join(assumption_link(page, pack, a, a) for a in assumptions)
    return f" <sup>{shown}</sup>"


def cell_assumptions(pack: RulePack, table: DecisionTable, row: Row, name: str) -> tuple[str, ...]:
    """The assumptions that decide outcome ``name`` of ``row``: those that decide the row,
    unless a claim states ``name`` (an equality) over every case of the row."""
    claimed = any(
        claim.table == table.id and claim.states(name) and _covers_row(claim, row)
        for claim in pack.claims
    )
    return () if claimed else deciding(pack, table.id, row.number)


def case_marks(page: str, pack: RulePack, table: DecisionTable, row: Row) -> str:
    """The marker of the assumptions that decide a case of ``row`` only, each with its case
    (<sup>A4 where crm is unknown</sup>), beside each outcome cell; "" when none does."""
    found = [
        assumption_link(page, pack, a, f"{a} where {case_words(given)}")
        for a, given in deciding_cases(pack, table.id, row.number)
    ]
    return f" <sup>{', '.join(found)}</sup>" if found else ""


def _covers_row(claim: Claim, row: Row) -> bool:
    """Every case the row matches is in the claim's class (its ``given``, with no ``where``)."""
    return claim.where is None and all(
        name in row.when and set(row.when[name]) <= set(allowed)
        for name, allowed in claim.given.items()
    )


def table_assumptions(pack: RulePack, decision: DecisionTable) -> list[Assumption]:
    """The assumptions that decide something of ``decision``, as their ``decides:`` says: its
    rows, a rule that predicts from it, or a procedure step whose residue it gives; in the
    pack's order."""
    rules = {r.id for r in pack.rules if r.predict == decision.id}
    steps = {
        p.id: {s.id for s in p.steps if s.residue_table == decision.id}
        for p in pack.procedures.values()
    }

    def decides(section: str, keys: list[Any]) -> bool:
        if section == decision.id:
            return bool(keys)
        mine = rules if section == "rules" else steps.get(section, set())
        return bool(mine & {k for k in keys if not isinstance(k, dict)})  # a case is a row's

    ids = {
        a["id"]
        for a in pack.data.get("assumptions", [])
        if any(decides(s, keys or []) for s, keys in (a.get("decides") or {}).items())
    }
    return [a for a in pack.assumptions if a.id in ids]


def deciding_nothing(pack: RulePack) -> list[Assumption]:
    """The assumptions whose ``decides:`` names no row, step or rule (a revision, a date)."""
    ids = {
        a["id"] for a in pack.data.get("assumptions", []) if any((a.get("decides") or {}).values())
    }
    return [a for a in pack.assumptions if a.id not in ids]
