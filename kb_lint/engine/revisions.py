"""Check rules judged on the policy settings a timeline revises.

The rule: a check rule over policies or bindings holds for a policy's settings as the timeline
leaves them, not only as the file writes them. An event that changes a setting (an
``enable-policy`` or ``disable-policy``, or a pack action that ``sets`` fields, such as
``change-history-filter`` setting ``history_days: 30``) and so makes the policy or one of its
users break the rule is a finding at that event, with the outcome the rule predicts for the new
settings. A subject that already breaks the rule before the change is not reported again; a
change that mends it clears it from then on.

The algorithm replays the timeline on the estate every timeline judge shares
(``kb_lint.model.estate``), in batches (the events of one date or cycle, which Riva sees
together). For each batch that changes a policy's settings, the rules run on that policy and its
users before and after the batch; each subject that breaks a rule after it but not before is
reported at the batch's last event that changed the policy, its own place related.

Cost: nothing when no event changes a setting; otherwise, per such batch, the rules over the
changed policies' subjects only (their users' rows, for a rule over bindings).
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterator
from dataclasses import replace

from kb_lint.engine import single
from kb_lint.engine.draft import Draft, at_event
from kb_lint.model.deployment import Deployment
from kb_lint.model.estate import Estate, batches
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Rule, RulePack

SWITCHES = ("enable-policy", "disable-policy")
JUDGED = ("policies", "bindings")  # the subjects whose rules read a policy's settings


def check(rules: list[tuple[Rule, RulePack]], dep: Deployment) -> Iterator[Draft]:
    """Every finding of the check ``rules`` that a timeline's change of settings creates."""
    rules = [(rule, pack) for rule, pack in rules if rule.kind == "check" and rule.over in JUDGED]
    setting = {*SWITCHES, *(name for name, a in dep.vocabulary.actions.items() if a.sets)}
    if not rules or not any(e.action in setting for e in dep.timeline):
        return
    estate: Estate[None] = Estate(
        dep.policies,
        (),
        actions={name: action.sets for name, action in dep.vocabulary.actions.items()},
    )
    for batch in batches(dep.timeline):
        changed: dict[int, Event] = {}
        for event in batch:
            index = estate.policy_index(event.instance or "", event.policy or "")
            if event.action in setting and index is not None:
                changed[index] = event
        if not changed:
            for event in batch:
                estate.apply(event)
            continue
        before = {_key(d) for d in _drafts(rules, _state(dep, estate), changed)}
        for event in batch:
            estate.apply(event)
        for index, event in changed.items():
            for draft in _drafts(rules, _state(dep, estate), (index,)):
                if _key(draft) not in before:
                    yield at_event(draft, event, (draft.subject or {}).get("label", ""))


def _state(dep: Deployment, estate: Estate[None]) -> Deployment:
    """``dep`` with every policy's settings as the events replayed so far left them."""
    changes = zip(dep.policies, estate.settings, strict=True)
    return replace(dep, policies=[policy.revised(changed) for policy, changed in changes])


def _drafts(
    rules: list[tuple[Rule, RulePack]], dep: Deployment, policies: Container[int]
) -> Iterator[Draft]:
    for rule, pack in rules:
        yield from single.check(rule, pack, dep, policies)


def _key(draft: Draft) -> tuple[str, object, str]:
    """Which subject broke which rule, whatever the values it read."""
    subject = draft.subject or {}
    identity = {k: subject[k] for k in (*single.IDENTITY, draft.rule.each or "") if k in subject}
    return draft.rule.id, draft.pointer, json.dumps(identity, sort_keys=True, default=str)
