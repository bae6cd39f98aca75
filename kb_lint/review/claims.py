"""Claims proved against the decision tables, over every case (KB-RULES-018).

The rule: for every overlap a claim's class covers, the row the table picks must give what the
claim says. The algorithm: build every group of two and of three bindings over small value
pools of the fields the table reads (three names for text fields, both booleans, every data
type for list fields), work out the table's inputs once per group, and check each claim on the
groups it covers against the row that matches. Groups of three reach every input value ("some
shared"), so every case of the table that a claim covers is met. Cost: (pool size ^ fields) ^ 3
groups, about 6,000 for article 105's table, evaluated once for all claims.

One finding per claim and row that breaks it, at the row, naming the assumptions that say they
decide the row (``decides``); a claim that covers no case at all is a finding too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from kb_lint.engine.outcome import evaluate
from kb_lint.findings import Finding, Location
from kb_lint.model.deployment import BINDING_FIELDS
from kb_lint.model.timeline import ITEM_TYPES
from kb_lint.pack.claims import Claim, deciding
from kb_lint.pack.model import DecisionTable, Row, RulePack
from kb_lint.review.check import Check
from kb_lint.review.source import PackSource

BROKEN_CLAIM = Check(
    id="KB-RULES-018",
    name="claim-broken",
    severity="error",
    what="A decision-table row predicts something the article says does not happen, for an "
    "overlap that one of the pack's claims covers; or a claim covers no overlap at all.",
    why="The article is the third oracle: a table (or the assumption behind a row) that "
    "contradicts the article's own statement makes kb-lint confidently wrong, and the simulator "
    "built on the same assumption would agree with it.",
    example="claims:\n  - id: C3\n    table: expected-challenges\n"
    "    given: {sync_all_items: [some, all]}\n    holds: {crm_duplicates: true}\n"
    "tables: ... rows:\n  - when: {categories: same}\n"
    "    then: {crm_duplicates: false}   # sync all items with the same names\n",
    fix="Correct the row (and the assumption that decided it), or the claim if it misreads the "
    "article.",
)

# Values each binding field takes in the enumeration.
BOOLEAN = (False, True)
POOLS: dict[str, tuple[Any, ...]] = {
    "enabled": BOOLEAN,
    "sync_all_items": BOOLEAN,
    "instance_kind": ("cloud", "on-premise"),
    "email_system": ("exchange", "groupwise"),
    "data_types": (list(ITEM_TYPES),),
    "synced_types": (list(ITEM_TYPES),),
}
NAMES = ("a", "b", "c")
GROUP_SIZES = (2, 3)


@dataclass(frozen=True)
class ClaimBreak:
    """Row ``row`` of ``table`` gives, for the overlap whose inputs are ``facts``, what
    ``claim`` says does not happen: ``problems``, one ``name: V, the article says W`` each."""

    claim: Claim
    table: DecisionTable
    row: Row
    facts: dict[str, Any]
    problems: list[str]


def prove_claims(pack: RulePack) -> tuple[list[ClaimBreak], list[Claim]]:
    """Every claim and row that breaks it (the first case of each), and the claims that cover
    no case of their table."""
    breaks: list[ClaimBreak] = []
    uncovered: list[Claim] = []
    for table_id in dict.fromkeys(c.table for c in pack.claims):
        table = pack.tables[table_id]
        claims = [c for c in pack.claims if c.table == table_id]
        covered: set[str] = set()
        broken: dict[tuple[str, int], ClaimBreak] = {}
        for group, facts in cases(table):
            row = next((r for r in table.rows if r.matches(facts)), None)
            if row is None:
                continue  # a gap: KB-RULES-001 reports it
            outcome = evaluate(row.then, {"bindings": group})
            for claim in claims:
                if not claim.covers(facts, group):
                    continue
                covered.add(claim.id)
                problems = claim.broken(outcome, group)
                if problems and (claim.id, row.number) not in broken:
                    broken[claim.id, row.number] = ClaimBreak(claim, table, row, facts, problems)
        breaks += broken.values()
        uncovered += [claim for claim in claims if claim.id not in covered]
    return breaks, uncovered


def check_claims(source: PackSource) -> list[Finding]:
    breaks, uncovered = prove_claims(source.pack)
    findings = [_broken(source, b) for b in breaks]
    findings += [
        BROKEN_CLAIM.finding(
            claim.location, f"{claim.label} covers no case of table '{claim.table}'"
        )
        for claim in uncovered
    ]
    return findings


def cases(table: DecisionTable) -> Iterator[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """Every group of bindings over the pools, with the table's inputs for it."""
    fields = table.reads if table.reads is not None else BINDING_FIELDS
    pools = [POOLS.get(name, NAMES) for name in fields]
    one = [dict(zip(fields, values, strict=True)) for values in product(*pools)]
    for size in GROUP_SIZES:
        for group in product(one, repeat=size):
            bindings = list(group)
            env = {"bindings": bindings}
            yield bindings, {spec.name: spec.expr(env) for spec in table.inputs}


def _broken(source: PackSource, found: ClaimBreak) -> Finding:
    claim, row = found.claim, found.row
    assumptions = deciding(source.pack, found.table.id, row.number)
    shown = ", ".join(f"{k}={v}" for k, v in found.facts.items())
    decided = (
        f"; the row is decided by assumption {', '.join(assumptions)}"
        if assumptions
        else "; no assumption says it decides the row"
    )
    message = (
        f"row {row.number} of '{found.table.id}' ({shown}) breaks {claim.label}: "
        f"{'; '.join(found.problems)}{decided}. The claim: {claim.says.strip()}"
    )
    at = claim.location
    related = (
        Location(at.path, at.line, at.column, f"claim {claim.id}"),
        *(_assumption_location(source, a) for a in assumptions),
    )
    return BROKEN_CLAIM.finding(row.location, message, related)


def _assumption_location(source: PackSource, assumption: str) -> Location:
    index = next(i for i, a in enumerate(source.pack.data["assumptions"]) if a["id"] == assumption)
    at = source.at(("assumptions", index))
    return Location(at.path, at.line, at.column, f"assumption {assumption}")
