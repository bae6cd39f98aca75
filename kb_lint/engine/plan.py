"""Plans checked at every step: the exclusivity rules judged on the state after each event.

The rule: an overlap (or any other exclusivity finding) that a timeline event creates is a
finding at that event, whatever the state before it looked like: adding a user to a second
instance, moving a user between two On-Premise instances, adding the user back to Riva Cloud
after a migration, enabling a policy that still holds a user another instance syncs.

The algorithm replays the timeline on the estate every timeline judge shares
(``kb_lint.model.estate``, the simulator's ``M7``), in batches: the events of one date or cycle
change the configuration together, as Riva sees them before it syncs again. Around each batch
that changes the configuration, the exclusivity rules run on the mailboxes it touches, before
and after; each finding that is new after it is reported at the batch's event that touched the
mailbox (a group that spans mailboxes, "more users than licences": at the batch's event from
which on it breaks the rule, the ``add-user``, not a ``save-policy`` of the same day after
it), with the bindings as related locations and the outcome the rule predicts for the new
state. So a policy disabled and its account deleted on one day leaves no dormant assignment to
report. The initial state stays the engine's ordinary check.

Cost: one pass over the assignments to keep those of the mailboxes the timeline names or that a
policy it switches assigns; then, per batch, the rules over the touched mailboxes' assignments
only (the estate keeps them by mailbox), so a timeline of n events that each touch one mailbox
costs O(n log n). A rule whose key leaves out the mailbox (``key: [instance]``: "at most N users
per instance") groups mailboxes no event names, so with one the state keeps every assignment
and each batch judges them all, such a rule after each of the batch's changes (to find the one
that broke it): O(n × m) for n changes and m assignments.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator

from kb_lint.engine import exclusivity
from kb_lint.engine.draft import Draft, at_event, causes
from kb_lint.engine.state import PlanState
from kb_lint.model.deployment import Deployment
from kb_lint.model.estate import SWITCHES, batches
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Rule, RulePack

CONFIGURING = (*SWITCHES, "add-user", "remove-user", "delete-account")


def check(rules: list[tuple[Rule, RulePack]], dep: Deployment) -> Iterator[Draft]:
    """Every exclusivity finding a batch of timeline events creates (the events of one date or
    cycle, which Riva sees together), at the batch's event that touches the mailbox last (a
    group that spans mailboxes: at the event from which on the group breaks the rule)."""
    if not rules or not dep.timeline:
        return
    # a group keyed without the mailbox ("at most N users per instance") spans mailboxes no
    # event names: such a rule is judged on every assignment
    wide = any(rule.over == "bindings" and "email" not in rule.key for rule, _ in rules)
    spanning = [(rule, pack) for rule, pack in rules if "email" not in rule.key]
    state = PlanState(dep, everyone=wide)
    configuring = {*CONFIGURING, *state.setting}
    if not any(e.action in configuring for e in dep.timeline):
        return
    for batch in batches(dep.timeline):
        changing = [e for e in batch if e.action in configuring]
        if not changing:
            continue
        by_email: dict[str, Event] = {}  # each mailbox the batch touches, at its last event
        for event in changing:
            by_email.update(dict.fromkeys(state.touched(event), event))
        emails = {*by_email, *state.estate.by_email} if wide else set(by_email)
        before = {_key(d) for d in _findings(rules, state.deployment(emails))}
        # the rules whose groups name no one mailbox: judged after each change, to find the
        # one each of their findings holds from
        judged = _judged(spanning, state, emails) if spanning and len(changing) > 1 else None
        caused = causes(changing, state.apply, judged, before)
        for draft in _findings(rules, state.deployment(emails)):
            if _key(draft) not in before:
                email = _email(draft)
                if email:
                    event = by_email.get(email, changing[-1])
                else:
                    event = caused.get(_key(draft), changing[-1])
                yield at_event(draft, event, _label(draft))


def _judged(
    rules: list[tuple[Rule, RulePack]], state: PlanState, emails: set[str]
) -> Callable[[], set[Hashable]]:
    """The keys of the findings of ``rules`` on the mailboxes ``emails``, as ``state`` stands
    when called."""
    return lambda: {_key(d) for d in _findings(rules, state.deployment(emails))}


def _findings(rules: list[tuple[Rule, RulePack]], dep: Deployment) -> Iterator[Draft]:
    for rule, pack in rules:
        yield from exclusivity.check(rule, pack, dep)


def _email(draft: Draft) -> str:
    """The mailbox a finding is about; none for a group that spans mailboxes (a limit's
    members are named in its bindings, and it sits at the batch's last change)."""
    return (draft.subject or {}).get("email", "")


def _key(draft: Draft) -> tuple[str, str]:
    """A finding's identity across a batch: its rule and its subject, which the rule builds in
    one key order (``exclusivity.check``: the key fields, then the bindings); a limit's (no
    ``distinct``) by its key alone, whoever is in the group."""
    subject = draft.subject or {}
    if draft.rule.distinct is None:
        subject = {k: v for k, v in subject.items() if k != "bindings"}
    return draft.rule.id, json.dumps(subject, default=str)


def _label(draft: Draft) -> str:
    first = (draft.subject or {}).get("bindings", [{}])[0]
    return f"{first.get('instance')} / {first.get('policy')}"
