"""Sequence rules (``kind: sequence``): an ordered pattern of timeline events.

"A user removed, then added under another email address with the same CRM user" is two steps,
``as: removed`` (``action: remove-user``) and ``as: added`` (``action: add-user``, ``where:
added.crm_user == removed.crm_user and added.email != removed.email``). Other events may come
between. Each step's event also carries ``before``: the settings of the policy it names just
before it happened (its file values, changed by every earlier ``enable-policy``,
``disable-policy`` and pack action that ``sets`` them), so "a setting changed after the policy
was first saved" is one step whose ``where`` compares the event's value with ``before``'s.

One pass over the timeline keeps the partial matches; an event extends each partial match whose
next step it meets. A match is one finding, at its last event, the earlier events related. Cost:
events × partial matches, with at most ``MAX_PARTIAL`` partial matches alive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import complete, evaluate
from kb_lint.errors import InputError
from kb_lint.model.deployment import Deployment
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Rule, RulePack

MAX_PARTIAL = 10_000
Match = tuple[tuple[Event, dict[str, Any]], ...]  # the events matched so far, with their env


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    state = {(p.instance, p.name): p.env() for p in dep.policies}
    partial: list[Match] = [()]
    for event in dep.timeline:
        env = event.env() | {"before": state.get((event.instance, event.policy))}
        grown = [(*m, (event, env)) for m in partial if _meets(rule, m, event, env)]
        for match in grown:
            if len(match) == len(rule.pattern):
                yield _draft(rule, pack, match)
        partial += [m for m in grown if len(m) < len(rule.pattern)]
        if len(partial) > MAX_PARTIAL:
            raise InputError.at(
                rule.location,
                f"{rule.id}: the timeline of {dep.path} matches the pattern's first steps more "
                f"than {MAX_PARTIAL:,} ways; make the first step's 'where' narrower",
            )
        _apply(state, event, dep)


def _meets(rule: Rule, match: Match, event: Event, env: dict[str, Any]) -> bool:
    step = rule.pattern[len(match)]
    if event.action != step.action:
        return False
    return step.where is None or bool(step.where({**_names(rule, match), step.name: env}))


def _names(rule: Rule, match: Match) -> dict[str, Any]:
    return {step.name: env for step, (_, env) in zip(rule.pattern, match, strict=False)}


def _apply(state: dict[tuple[Any, Any], dict[str, Any]], event: Event, dep: Deployment) -> None:
    """The policy settings after ``event``."""
    settings = state.get((event.instance, event.policy))
    if settings is None:
        return
    if event.action in ("enable-policy", "disable-policy"):
        settings = settings | {"enabled": event.action == "enable-policy"}
    action = dep.vocabulary.actions.get(event.action)
    if action is not None:
        settings = settings | {name: event.env()[name] for name in action.sets}
    state[(event.instance, event.policy)] = settings


def _draft(rule: Rule, pack: RulePack, match: Match) -> Draft:
    env = _names(rule, match)
    last, _ = match[-1]
    outcome = evaluate(rule.outcome, env) if rule.outcome is not None else None
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=last.pointer,
        related=[
            (e.pointer, f"{step.name}: {e.action}")
            for step, (e, _) in zip(rule.pattern, match[:-1], strict=False)
        ],
        subject={
            "email": last.email,
            "crm_user": last.crm_user,
            "events": [e.index + 1 for e, _ in match],
        },
        outcome=complete(outcome, pack.outcomes) if outcome is not None else None,
        fix=rule.fix.render(env) if rule.fix else None,
    )
