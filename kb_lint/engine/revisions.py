"""Check rules judged on the policies and users a timeline changes.

The rule: a check rule over policies or bindings holds for the deployment as the timeline leaves
it, not only as the file writes it. An event that changes a policy's settings (an
``enable-policy`` or ``disable-policy``, or a pack action that ``sets`` fields, such as
``change-history-filter`` setting ``history_days: 30``), or an ``add-user`` that adds a user
with the user fields it gives, and so makes the policy or a user break the rule is a finding at
that event, with the outcome the rule predicts for the new state. A subject that already breaks
the rule before the change is not reported again; a change that mends it clears it from then on.

The algorithm replays the timeline on the state every timeline judge shares
(``kb_lint.engine.state.PlanState``, on ``kb_lint.model.estate``), in batches (the events of one
date or cycle, which Riva sees together). For each batch that changes a policy or adds a user,
the rules run on the policies it names and their users that still sync, before and after the
batch; each subject that breaks a rule after it but not before is reported at the event it
breaks it from (in a batch of several changes the rules are judged after each: an ``add-user``,
not a ``save-policy`` of the same policy after it), else at the batch's last event that named
its policy, its own place related.

Cost: nothing when no event changes a setting or adds a user; otherwise, per such batch, the
rules over the named policies and the users of the mailboxes the batch touches, once per
change of a batch of several.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Hashable, Iterator

from kb_lint.engine import single
from kb_lint.engine.draft import Draft, at_event, causes
from kb_lint.engine.state import PlanState
from kb_lint.model.deployment import Deployment
from kb_lint.model.estate import batches
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Rule, RulePack

JUDGED = ("policies", "bindings")  # the subjects whose rules read a policy's settings


def check(rules: list[tuple[Rule, RulePack]], dep: Deployment) -> Iterator[Draft]:
    """Every finding of the check ``rules`` that a timeline's change creates."""
    rules = [(rule, pack) for rule, pack in rules if rule.over in JUDGED]
    if not rules or not dep.timeline:
        return
    state = PlanState(dep)
    changing = {*state.setting, "add-user"}
    if not any(e.action in changing for e in dep.timeline):
        return
    for batch in batches(dep.timeline):
        named: dict[int, Event] = {}  # policy -> the batch's last event naming it
        emails: set[str] = set()
        for event in batch:
            index = state.index(event)
            changed = state.changed_by(event)
            if event.action == "add-user" and index is not None:
                changed = [index]
            for policy in changed:
                named[policy] = event
            if changed:
                emails |= state.touched(event)
        before = {_key(d) for d in _drafts(rules, state.deployment(emails), named)}
        changing = {e.index for e in batch if state.changed_by(e) or e.action == "add-user"}
        judged = _judged(rules, state, emails, named) if len(changing) > 1 else None
        caused = causes(batch, state.apply, judged, before, changing)
        for draft in _drafts(rules, state.deployment(emails), named):
            if _key(draft) not in before:
                event = caused.get(_key(draft)) or named[_policy(state, draft)]
                yield at_event(draft, event, (draft.subject or {}).get("label", ""))


def _judged(
    rules: list[tuple[Rule, RulePack]],
    state: PlanState,
    emails: set[str],
    policies: Container[int],
) -> Callable[[], set[Hashable]]:
    """The keys of the findings of ``rules`` on ``policies`` and the users ``emails``, as
    ``state`` stands when called."""
    return lambda: {_key(d) for d in _drafts(rules, state.deployment(emails), policies)}


def _drafts(
    rules: list[tuple[Rule, RulePack]], dep: Deployment, policies: Container[int]
) -> Iterator[Draft]:
    for rule, pack in rules:
        yield from single.check(rule, pack, dep, policies)


def _policy(state: PlanState, draft: Draft) -> int:
    subject = draft.subject or {}
    index = state.estate.policy_index(subject.get("instance", ""), subject.get("policy", ""))
    assert index is not None  # a policy's or a binding's subject names its policy
    return index


def _key(draft: Draft) -> tuple[str, object, str]:
    """Which subject broke which rule, whatever the values it read (the identity is built in
    one key order, ``single.IDENTITY``'s, before and after a batch alike)."""
    subject = draft.subject or {}
    identity = {k: subject[k] for k in (*single.IDENTITY, draft.rule.each or "") if k in subject}
    return draft.rule.id, draft.pointer, json.dumps(identity, default=str)  # one key order
