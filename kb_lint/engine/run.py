"""Run every selected rule of every pack over one deployment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kb_lint.engine import exclusivity, plan, procedure
from kb_lint.engine.draft import Draft, locate
from kb_lint.findings import Finding, RuleInfo
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import Rule, RulePack


def check_deployment(
    dep: Deployment, packs: Iterable[RulePack], selects: Callable[[str], bool] = lambda _: True
) -> list[Finding]:
    """All findings of the selected rules, located in the deployment's file."""
    drafts: list[Draft] = []
    selected = [(rule, pack) for pack in packs for rule in pack.rules if selects(rule.id)]
    for rule, pack in selected:
        drafts.extend(_run(rule, pack, dep))
    drafts.extend(plan.check([(r, p) for r, p in selected if r.kind == "exclusivity"], dep))
    return sorted(locate(drafts, dep.document), key=Finding.sort_key)


def _run(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    if rule.kind == "exclusivity":
        return exclusivity.check(rule, pack, dep)
    return procedure.check(rule, pack, dep)


def rule_infos(packs: Iterable[RulePack]) -> dict[str, RuleInfo]:
    return {rule.id: rule.info() for pack in packs for rule in pack.rules}
