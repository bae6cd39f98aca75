"""Run every selected rule of every pack over one deployment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kb_lint.engine import exclusivity, plan, procedure, revisions, sequence, single
from kb_lint.engine.draft import Draft, Misjudged, locate
from kb_lint.engine.subjects import kept
from kb_lint.errors import InputError, RuleError
from kb_lint.findings import Finding, RuleInfo
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import Rule, RulePack

KINDS: dict[str, Callable[[Rule, RulePack, Deployment], Iterator[Draft]]] = {
    "exclusivity": exclusivity.check,
    "procedure": procedure.check,
    "check": single.check,
    "sequence": sequence.check,
}


def refuse_empty(dep: Deployment, doing: str = "check") -> None:
    """A deployment with no instance and no timeline entry is an input error at its file: no
    rule could fail on it, so "All checks passed" (or a passing example, or a simulation of
    nothing) would say nothing true of it."""
    if not dep.instances and not dep.timeline:
        raise InputError(
            dep.path,
            0,
            0,
            f"nothing to {doing}: the deployment has no instance and no timeline entry (its "
            "Riva instances go under 'instances')",
        )


def check_deployment(
    dep: Deployment,
    packs: Iterable[RulePack],
    selects: Callable[[str], bool] = lambda _: True,
    errors: list[InputError] | None = None,
) -> list[Finding]:
    """All findings of the selected rules, located in the deployment's file. Exclusivity is
    judged on the deployment as it stands and on the state after each timeline event
    (``kb_lint.engine.plan``), and check rules on the settings timeline events give a policy
    (``kb_lint.engine.revisions``).

    A rule whose expression fails on this deployment (``len(null)``) gives no findings and one
    error at the expression, naming the deployment value it was judging; the other rules still
    run. With ``errors`` the errors are added to it; without, the first is raised."""
    drafts: list[Draft] = []
    failed: list[InputError] = []
    selected = [(rule, pack) for pack in packs for rule in pack.rules if selects(rule.id)]
    sound = []  # the rules that did not fail on the deployment as it stands
    for rule, pack in selected:
        try:
            found = list(KINDS[rule.kind](rule, pack, dep))
        except InputError as exc:
            failed.append(_judging(exc, rule.id, dep))
        else:
            drafts.extend(found)
            sound.append((rule, pack))
    for judge, kind, what in (
        (plan.check, "exclusivity", "the timeline's exclusivity"),
        (revisions.check, "check", "the timeline's changes"),
    ):
        try:
            drafts.extend(judge([(r, p) for r, p in sound if r.kind == kind], dep))
        except InputError as exc:
            failed.append(_judging(exc, getattr(exc, "rule", what), dep))
    if failed and errors is None:
        raise failed[0]
    if errors is not None:
        errors.extend(failed)
    predicts = {rule.id: pack.predicts(rule) for rule, pack in selected}
    return sorted(locate(kept(drafts), dep.document, predicts), key=Finding.sort_key)


def _judging(error: InputError, rule: str, dep: Deployment) -> RuleError:
    """``error`` of a rule's expression, saying which value of ``dep`` it was judging."""
    if isinstance(error, Misjudged):
        line, column = dep.document.locate(error.pointer)
        where = f"{error.label} at {dep.document.path_of(error.pointer)}:{line}:{column}"
    else:
        where = dep.document.path
    message = f"{error.message} (rule {rule}, judging {where})"
    return RuleError(error.path, error.line, error.column, message, rule)


def rule_infos(packs: Iterable[RulePack]) -> dict[str, RuleInfo]:
    return {rule.id: rule.info() for pack in packs for rule in pack.rules}
