"""Procedures around an event (``change: event``): a policy disabled, a user removed, a pack's
action, with the steps before it done in order before it and those after it (``change: true``
on an earlier step than the last) in order after it (the package's docstring states the
rule)."""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.procedure import words
from kb_lint.engine.procedure.steps import (
    DONE_BEFORE_CHANGE,
    EventIndex,
    broken,
    by_item,
    residues,
    unfollowed,
)
from kb_lint.engine.procedure.words import Broken
from kb_lint.engine.state import PlanState
from kb_lint.model.deployment import Deployment
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Procedure, Rule, RulePack
from kb_lint.pack.scopes import STATE

NO_CONSEQUENCE = "no consequence the pack predicts"  # a residue at the outcomes' defaults
# a change, with what its expressions read and the change of its subject before it (-1: none)
_Change = tuple[Procedure, Event, dict[str, Any], int]


def check_changes(
    rule: Rule, pack: RulePack, procedures: list[Procedure], dep: Deployment
) -> Iterator[Draft]:
    """The findings of ``change: event`` procedures: each event of a procedure's change action
    that meets its ``match`` and the procedure's ``applies`` (read as ``change``, as the
    estate stands just before it), with the steps before it done in order before it, after the
    same change of the same mailbox and policy before it, and the steps after it done in order
    after it, before the next such change (or the timeline's end)."""
    triggers = {p.trigger.action for p in procedures}
    reads_state = _reads(rule, pack, procedures, STATE.keys() - {"before"})
    earlier = _reads(rule, pack, procedures, {"earlier"})
    state = PlanState(dep, everyone=reads_state, earlier=earlier)
    events = EventIndex(dep.timeline)
    previous: dict[tuple[Any, ...], _Change] = {}  # a procedure's last change, by what it names
    for event in dep.timeline:
        if event.action in triggers:
            names = {"change": state.seen(event, with_state=reads_state)}
            for procedure in procedures:
                if procedure.trigger.action != event.action or not _meets(procedure, names):
                    continue
                key = (procedure.id, event.instance, event.policy, event.email, event.crm_user)
                last = previous.get(key)
                since = last[1].index if last is not None else -1
                previous[key] = (procedure, event, names, since)
                if last is not None:
                    yield from _followed(rule, pack, events, last, event.index)
                found = broken(procedure, events, names, event, event, since, DONE_BEFORE_CHANGE)
                for group in by_item(procedure, found):
                    yield _draft(rule, pack, procedure, event, group, names)
        state.apply(event)
    for last in previous.values():
        yield from _followed(rule, pack, events, last, len(dep.timeline))


def _followed(
    rule: Rule, pack: RulePack, events: EventIndex, change: _Change, until: int
) -> Iterator[Draft]:
    """The findings of the steps after a change not done in order after it, before event
    ``until``."""
    procedure, event, names, since = change
    if procedure.after:
        found = unfollowed(procedure, events, names, event, since, until)
        for group in by_item(procedure, found):
            yield _draft(rule, pack, procedure, event, group, names)


def _reads(rule: Rule, pack: RulePack, procedures: list[Procedure], keys: Set[str]) -> bool:
    """Some expression reads one of ``keys`` of the change: the rule's, its procedures' and
    their steps', which read it as ``change`` (one that computes a key of it may read any), and
    the tables their residues predict from, which read the change's fields by name. The
    instance's state, and the events before the change, are kept only then."""
    exprs = list(rule.expressions())
    tables = []
    for procedure in procedures:
        exprs += [procedure.applies] if procedure.applies is not None else []
        for step in procedure.steps:
            exprs += [e for e in (step.match, step.done, step.applies) if e is not None]
            exprs += [v.expr for v in step.residue.values() if v.expr is not None]
            if step.residue_table is not None:
                tables += pack.tables[step.residue_table].expressions()
    reads = any("change" in e.names and (e.keys is None or e.keys & keys) for e in exprs)
    return reads or any(e.names & keys for e in tables)


def _meets(procedure: Procedure, names: dict[str, Any]) -> bool:
    """The change is one of the procedure's: its ``applies`` and its last step's ``match``."""
    if procedure.applies is not None and not procedure.applies(names):
        return False
    match = procedure.trigger.match
    return match is None or bool(match({**names, "event": names["change"]}))


def _draft(
    rule: Rule,
    pack: RulePack,
    procedure: Procedure,
    change: Event,
    group: list[Broken],
    names: dict[str, Any],
) -> Draft:
    """One finding for the broken steps of one article item around a change: their residues
    (the estate is not asked whether they remain), merged; its ``consequence`` is what they
    leave, in the pack's words (``words.left_behind``)."""
    steps, problem, several = words.said(group)
    outcome, because, left = residues(pack, procedure, steps, steps, names, names["change"])
    consequence = words.left_behind(pack, left) if left else NO_CONSEQUENCE
    env = {**names, **words.names(procedure, steps, problem, several), "consequence": consequence}
    if left:
        said = f"what leaving {words.places(procedure, left)} out leaves: {consequence}"
    else:
        said = "its residue says no more than the pack's defaults"
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=change.pointer,
        related=words.related(procedure, group),
        subject={
            "email": change.email,
            "crm_user": change.crm_user,
            "instance": change.instance,
            "policy": change.policy,
            "procedure": procedure.id,
            "step": steps[0].id if len(steps) == 1 else [s.id for s in steps],
            "events": [change.index + 1],
        },
        outcome=outcome,
        fix=rule.fix.render(env) if rule.fix else None,
        why=words.why(procedure, steps, problem, because, several, said),
        because=tuple(dict.fromkeys(because)),
        severity="warning" if not left and rule.severity == "error" else None,
    )
