"""Sequence rules (``kind: sequence``): an ordered pattern of timeline events.

"A user removed, then added under another email address with the same CRM user" is two steps,
``as: removed`` (``action: remove-user``) and ``as: added`` (``action: add-user``, ``where:
added.crm_user == removed.crm_user and added.email != removed.email``). Other events may come
between. Each step's event also carries ``before``: the settings of the policy it names just
before it happened (its file values, changed by every earlier ``enable-policy``,
``disable-policy`` and pack action that ``sets`` them, replayed on the estate every timeline
judge shares, ``kb_lint.model.estate``), so "a setting changed after the policy
was first saved" is one step whose ``where`` compares the event's value with ``before``'s.

A step marked ``absent: true`` is an event that must *not* happen where it stands: between the
steps around it (from the timeline's start when it comes first, to its end when it comes last).
Its ``where`` may read every present step, so "no Clear of the moved user before the move"
relates to the move that comes after it.

One pass over the timeline keeps the partial matches, each with the events met since its last
step that an absent step may forbid; an event extends each partial match whose next step it
meets and whose gap holds no forbidden event. A match is one finding, at its last event, the
earlier events related. Cost: events × partial matches, with at most ``MAX_PARTIAL`` alive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import complete, evaluate
from kb_lint.errors import InputError
from kb_lint.model.deployment import Deployment
from kb_lint.model.estate import Estate
from kb_lint.model.timeline import Event
from kb_lint.pack.model import PatternStep, Rule, RulePack

MAX_PARTIAL = 10_000
Seen = tuple[Event, dict[str, Any]]  # an event, with what expressions see of it


@dataclass(frozen=True)
class Partial:
    """The present steps matched so far, and the events since the last one that the absent
    steps of the next gap may forbid."""

    matched: tuple[Seen, ...] = ()
    gap: list[Seen] = field(default_factory=list)


class Pattern:
    """A rule's pattern split at its present steps: ``present[i]`` with ``guards[i]``, the
    absent steps just before it; ``trailing``, the absent steps after the last one."""

    def __init__(self, rule: Rule) -> None:
        self.present: list[PatternStep] = []
        self.guards: list[list[PatternStep]] = []
        pending: list[PatternStep] = []
        for step in rule.pattern:
            if step.absent:
                pending.append(step)
            else:
                self.present.append(step)
                self.guards.append(pending)
                pending = []
        self.trailing = pending

    def names(self, matched: tuple[Seen, ...]) -> dict[str, Any]:
        return {step.name: env for step, (_, env) in zip(self.present, matched, strict=False)}

    def forbidden(self, guards: list[PatternStep], names: dict[str, Any], gap: list[Seen]) -> bool:
        """An event of ``gap`` is one an absent step of ``guards`` forbids."""
        return any(
            event.action == step.action
            and (step.where is None or bool(step.where({**names, step.name: env})))
            for step in guards
            for event, env in gap
        )


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    pattern = Pattern(rule)
    estate: Estate[None] = Estate(
        dep.policies,
        (),
        settings=[p.env() for p in dep.policies],
        actions={name: action.sets for name, action in dep.vocabulary.actions.items()},
    )
    partial = [Partial()]
    done: list[Partial] = []  # every present step matched, waiting for the trailing gap to end
    for event in dep.timeline:
        index = estate.policy_index(event.instance or "", event.policy or "")
        before = estate.settings[index] if index is not None else None
        seen = (event, event.env() | {"before": before})
        grown = [p for p in (_extend(pattern, p, seen) for p in partial) if p is not None]
        for p in (*partial, *done):
            p.gap.append(seen)
        for p in grown:
            if len(p.matched) < len(pattern.present):
                partial.append(p)
            elif pattern.trailing:
                done.append(p)
            else:
                yield _draft(rule, pack, pattern, p.matched)
        if len(partial) + len(done) > MAX_PARTIAL:
            raise InputError.at(
                rule.location,
                f"{rule.id}: the timeline of {dep.path} matches the pattern's first steps more "
                f"than {MAX_PARTIAL:,} ways; make the first step's 'where' narrower",
            )
        estate.apply(event)
    for p in done:
        if not pattern.forbidden(pattern.trailing, pattern.names(p.matched), p.gap):
            yield _draft(rule, pack, pattern, p.matched)


def _extend(pattern: Pattern, partial: Partial, seen: Seen) -> Partial | None:
    """``partial`` with ``seen`` as its next present step, if it is one and nothing the gap
    before it holds is forbidden."""
    index = len(partial.matched)
    step = pattern.present[index]
    event, env = seen
    if event.action != step.action:
        return None
    names = {**pattern.names(partial.matched), step.name: env}
    if step.where is not None and not step.where(names):
        return None
    if pattern.forbidden(pattern.guards[index], names, partial.gap):
        return None
    return Partial((*partial.matched, seen))


def _draft(rule: Rule, pack: RulePack, pattern: Pattern, matched: tuple[Seen, ...]) -> Draft:
    env = pattern.names(matched)
    last, _ = matched[-1]
    outcome = evaluate(rule.outcome, env) if rule.outcome is not None else None
    steps = zip(pattern.present, matched[:-1], strict=False)
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=last.pointer,
        related=[(e.pointer, f"{step.name}: {e.action}") for step, (e, _) in steps],
        subject={
            "email": last.email,
            "crm_user": last.crm_user,
            "events": [e.index + 1 for e, _ in matched],
        },
        outcome=complete(outcome, pack.outcomes) if outcome is not None else None,
        fix=rule.fix.render(env) if rule.fix else None,
    )
