"""Reviewing rule packs: the checks of ``kb-lint rules check``, one module per check.

Each check has a stable id (``KB-RULES-NNN``) and its documentation in ``CHECKS``; findings
point at the rule files. ``kb-lint rules test`` and ``rules diff`` build on the same modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb_lint.errors import InputError
from kb_lint.findings import Finding, RuleInfo
from kb_lint.pack.declared import PACK_FILE
from kb_lint.review.agreement import PACKS_DISAGREE, check_agreement
from kb_lint.review.check import Check
from kb_lint.review.citations import STALE_CITATION, UNRESOLVED_CITATION, check_citations
from kb_lint.review.claims import BROKEN_CLAIM, check_claims
from kb_lint.review.empty import EMPTY_PACK, check_empty
from kb_lint.review.examples import FAILING_EXAMPLE, MISSING_EXAMPLES, check_examples
from kb_lint.review.fixes import (
    MISSING_FIX,
    PASSING_EXAMPLE_BREAKS_A_RULE,
    check_fixes,
    check_passing_examples,
)
from kb_lint.review.ids import DUPLICATE_ID, check_ids
from kb_lint.review.judging import RULE_FAILS, check_judging
from kb_lint.review.outcomes import UNUSED_OUTCOME, check_outcomes
from kb_lint.review.procedures import UNREACHABLE_STEP, check_procedures
from kb_lint.review.prose import MISSING_PROSE, check_prose
from kb_lint.review.schema import INVALID_PACK, load_sources
from kb_lint.review.simulation import NO_SIMULATION, UNMEASURABLE, check_simulation
from kb_lint.review.tables import (
    CONTRADICTION,
    GAP,
    REDUNDANT_ROW,
    TOO_LARGE,
    UNUSED_TABLE,
    check_tables,
)
from kb_lint.review.unread import UNREAD_FILE, check_unread
from kb_lint.review.versions import UNVERSIONED_CHANGE, check_versions

CHECKS: tuple[Check, ...] = (
    GAP,
    CONTRADICTION,
    UNRESOLVED_CITATION,
    STALE_CITATION,
    UNREACHABLE_STEP,
    MISSING_EXAMPLES,
    FAILING_EXAMPLE,
    REDUNDANT_ROW,
    DUPLICATE_ID,
    INVALID_PACK,
    EMPTY_PACK,
    PACKS_DISAGREE,
    MISSING_PROSE,
    UNVERSIONED_CHANGE,
    PASSING_EXAMPLE_BREAKS_A_RULE,
    MISSING_FIX,
    TOO_LARGE,
    BROKEN_CLAIM,
    UNUSED_TABLE,
    RULE_FAILS,
    UNUSED_OUTCOME,
    NO_SIMULATION,
    UNMEASURABLE,
    UNREAD_FILE,
)
PER_PACK = (
    check_tables,
    check_claims,
    check_citations,
    check_procedures,
    check_examples,
    check_prose,
    check_versions,
    check_fixes,
    check_empty,
    check_outcomes,
    check_simulation,
    check_unread,
)


@dataclass(frozen=True)
class Review:
    """The findings about the packs under one rules folder, and how many pack files it read."""

    findings: list[Finding]
    files: int


def review_packs(rules_dir: str | Path) -> Review:
    """Every check of every pack under ``rules_dir``; a folder with no pack, and no folder
    that should be one, is an input error (a review of nothing would pass)."""
    files = len(list(Path(rules_dir).glob(f"*/{PACK_FILE}")))
    sources, findings = load_sources(rules_dir)
    if not files and not findings:
        raise InputError(str(rules_dir), 1, 1, f"no rule pack found (no */{PACK_FILE} here)")
    findings.extend(check_ids(sources))
    findings.extend(check_agreement(sources))
    findings.extend(check_judging(sources))
    findings.extend(check_passing_examples(sources))
    for source in sources:
        for check in PER_PACK:
            findings.extend(check(source))
    return Review(sorted(findings, key=Finding.sort_key), files)


def check_infos() -> dict[str, RuleInfo]:
    return {check.id: check.info() for check in CHECKS}


__all__ = ["CHECKS", "Check", "Review", "check_infos", "review_packs"]
