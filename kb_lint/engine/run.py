"""Run every selected rule of every pack over one deployment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kb_lint.engine import exclusivity, plan, procedure, sequence, single
from kb_lint.engine.draft import Draft, locate
from kb_lint.findings import Finding, RuleInfo
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import Rule, RulePack

KINDS: dict[str, Callable[[Rule, RulePack, Deployment], Iterator[Draft]]] = {
    "exclusivity": exclusivity.check,
    "procedure": procedure.check,
    "check": single.check,
    "sequence": sequence.check,
}


def check_deployment(
    dep: Deployment, packs: Iterable[RulePack], selects: Callable[[str], bool] = lambda _: True
) -> list[Finding]:
    """All findings of the selected rules, located in the deployment's file. Exclusivity is
    judged on the deployment as it stands and on the state after each timeline event
    (``kb_lint.engine.plan``)."""
    drafts: list[Draft] = []
    selected = [(rule, pack) for pack in packs for rule in pack.rules if selects(rule.id)]
    for rule, pack in selected:
        drafts.extend(KINDS[rule.kind](rule, pack, dep))
    drafts.extend(plan.check([(r, p) for r, p in selected if r.kind == "exclusivity"], dep))
    return sorted(locate(_kept(drafts), dep.document), key=Finding.sort_key)


def _kept(drafts: list[Draft]) -> list[Draft]:
    """The drafts no other rule supersedes on the same mailbox (``supersedes:``)."""
    replaced = {(old, _mailbox(d)) for d in drafts for old in d.rule.supersedes}
    if not replaced:
        return drafts
    return [d for d in drafts if (d.rule.id, _mailbox(d)) not in replaced]


def _mailbox(draft: Draft) -> object:
    return (draft.subject or {}).get("email")


def rule_infos(packs: Iterable[RulePack]) -> dict[str, RuleInfo]:
    return {rule.id: rule.info() for pack in packs for rule in pack.rules}
