"""Sequence rules (``kind: sequence``): an ordered pattern of timeline events.

"A user removed, then added under another email address with the same CRM user" is two steps,
``as: removed`` (``action: remove-user``) and ``as: added`` (``action: add-user``, ``where:
added.crm_user == removed.crm_user and added.email != removed.email``). Other events may come
between. Each step's event also carries ``before``: the settings of the policy it names (of
an event that names an instance and no policy, the instance's fields) just before it happened
(its file values, changed by every earlier ``enable-policy``, ``disable-policy`` and pack
action that ``sets`` them, replayed on the estate every timeline judge shares,
``kb_lint.engine.state.PlanState``), so "a setting changed after the policy
was first saved" is one step whose ``where`` compares the event's value with ``before``'s. On
the same replay, just before the event, it carries its instance's state (``STATE``):
``bindings``, its assignments of enabled and disabled policies alike (as an exclusivity rule's
group), ``synced``, those its enabled policies hold, and ``policies``, its policies with their
settings, so "only when the licence pool is full" is ``len(distinct(added.synced.email)) >=
added.before.licences``.

A step with ``each: pages`` (a list field of its event) is met once per element of it, which
its ``where``, the later steps and the message read as ``<as>.pages``; the event is placed at
the element, so a finding sits at the page that breaks the pattern.

A step marked ``absent: true`` is an event that must *not* happen where it stands: between the
steps around it (from the timeline's start when it comes first, to its end when it comes last).
Its ``where`` may read the present steps before it and the one after it, so "no Clear of the
moved user before the move" relates to the move that comes after it. An absent group (an
absent step with its own ``pattern:`` of two or more steps) forbids its steps, in order, in the
gap: "a refresh never followed by a close and then an open of the same instance's Riva
Manager"; each of its steps' ``where`` reads what an absent step's reads and the group's steps
before it. A group is judged when the step after it is met (or at the timeline's end): one
scan of the gap's events of its actions, keeping the partial matches of its first steps (one
per length when no later step of the group reads an earlier one), at most ``MAX_PARTIAL``.

One pass over the timeline keeps the partial matches, each with where its gap began; an event
extends each partial match whose next step it meets and whose gap holds no forbidden event (the
events of the absent step's action in the gap, found by bisection). The partial matches waiting
for a step are kept by the step's join key: the fields its ``where`` requires equal to an
earlier step's (``added.crm_user == removed.crm_user``), so an event tries only the partial
matches it can extend. An event that an absent step forbids ends the partial matches waiting
across its gap (when the absent step's ``where`` does not read the step after it): they are
dropped then, so "a removal with no clearing between it and the last clearing" keeps one
partial match alive per instance, not one per clearing so far. A match is one finding, at its
last event, the earlier events related. A step's ``earlier`` (the events before it) is a view
of one log per instance that the replay keeps (``kb_lint.expr.prefix``), not a copy.
Cost: O(n log n) for n events (elements, for a step with ``each``) when every later step joins
an earlier one; a step that joins none tries every partial match waiting for it, with at most
``MAX_PARTIAL`` of those alive. An absent group's gap is scanned each time a partial match
across it is judged: O(g × p) for g events of its actions there and p partial matches of the
group kept (p is 1 per step when no step reads an earlier one of the group). A rule that reads
the instance's state adds, per event of a step's
action, the assignments of its instance: O(n × m) for m assignments.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Set
from dataclasses import dataclass
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import complete, evaluate
from kb_lint.engine.state import PlanState
from kb_lint.engine.why import explain_rule
from kb_lint.errors import InputError
from kb_lint.model.deployment import Deployment
from kb_lint.model.timeline import ESTATE_LISTS, Event, members
from kb_lint.pack.model import PatternStep, Rule, RulePack
from kb_lint.pack.scopes import STATE

MAX_PARTIAL = 10_000  # partial matches alive that no key narrows (each event tries them all)
JOINED = ("email", "crm_user", "instance", "policy")  # fields a step may join earlier ones on
Seen = tuple[Event, dict[str, Any]]  # an event, with what expressions see of it


@dataclass(frozen=True)
class Partial:
    """The present steps matched so far, and where the gap after the last one starts (the
    events from there on are those the absent steps of the next gap may forbid)."""

    matched: tuple[Seen, ...] = ()
    since: int = 0


class Pattern:
    """A rule's pattern split at its present steps: ``present[i]`` with ``guards[i]``, the
    absent steps just before it; ``trailing``, the absent steps after the last one.
    ``joins[i]``: the ``(field, earlier step, field)`` equalities that ``present[i]``'s
    ``where`` requires (a top-level ``and`` of ``added.crm_user == removed.crm_user``), by which
    the partial matches waiting for it are looked up."""

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
        self.joins = [
            _joins(step, [s.name for s in self.present[:i]]) for i, step in enumerate(self.present)
        ]
        # the gaps whose absent steps of an action judge an event without the present step
        # after it: such an event ends every partial match waiting there that it forbids
        self.closing: dict[str, list[int]] = {}
        for i, guards in enumerate(self.guards):
            for step in guards:
                if step.group:
                    continue  # a group is judged when the step after it comes (or at the end)
                if step.where is None or self.present[i].name not in step.where.names:
                    self.closing.setdefault(step.action, []).append(i)

    def names(self, matched: tuple[Seen, ...]) -> dict[str, Any]:
        return {step.name: env for step, (_, env) in zip(self.present, matched, strict=False)}

    def key(self, index: int, names: dict[str, Any], own: dict[str, Any] | None) -> tuple:
        """The join key of step ``index``: from the earlier steps (``own`` None) or from the
        event that would be the step."""
        if own is None:
            return tuple(names[other].get(theirs) for _, other, theirs in self.joins[index])
        return tuple(own.get(mine) for mine, _, _ in self.joins[index])


def _joins(step: PatternStep, earlier: list[str]) -> list[tuple[str, str, str]]:
    """The ``step.field == earlier.field`` conjuncts at the top level of the step's ``where``
    (none when its top level is not a conjunction)."""
    if step.where is None:
        return []
    parts = _conjuncts(step.where.source)
    found = []
    field = "|".join(JOINED)
    for part in parts:
        m = re.fullmatch(rf"\s*(\w+)\.({field})\s*==\s*(\w+)\.({field})\s*", part)
        if m is None:
            continue
        a, fa, b, fb = m.groups()
        if a == step.name and b in earlier:
            found.append((fa, b, fb))
        elif b == step.name and a in earlier:
            found.append((fb, a, fa))
    return found


def _conjuncts(source: str) -> list[str]:
    """``source`` split at its top-level ``and``s: outside brackets and quotes; [] when a
    top-level ``or``, ``if`` or ``else`` makes it something other than a conjunction."""
    parts, depth, quote, start = [], 0, "", 0
    for m in re.finditer(r"\"|'|[(\[]|[)\]]|\b(?:and|or|if|else)\b", source):
        token = m.group()
        if quote:
            quote = "" if token == quote else quote
        elif token in "\"'":
            quote = token
        elif token in "([":
            depth += 1
        elif token in ")]":
            depth -= 1
        elif depth == 0 and token == "and":
            parts.append(source[start : m.start()])
            start = m.end()
        elif depth == 0:
            return []
    return [*parts, source[start:]]


class _Seen:
    """The events met so far, with an index of them by action for the absent steps' gaps."""

    def __init__(self, rule: Rule, path: str) -> None:
        self.all: list[Seen] = []
        self.by_action: dict[str, list[int]] = {}
        self.rule, self.path = rule, path

    def add(self, seen: Seen) -> None:
        self.by_action.setdefault(seen[0].action, []).append(len(self.all))
        self.all.append(seen)

    def forbidden(
        self, guards: list[PatternStep], names: dict[str, Any], since: int, until: int
    ) -> bool:
        """An event in ``[since, until)`` is one an absent step of ``guards`` forbids, or
        events there are an absent group's steps, in order."""
        for step in guards:
            if step.group:
                if self._in_order(step.group, names, since, until):
                    return True
                continue
            for i in self._between(step.action, since, until):
                for _, env in members(step.each, *self.all[i]):
                    if step.where is None or bool(step.where({**names, step.name: env})):
                        return True
        return False

    def _between(self, action: str, since: int, until: int) -> list[int]:
        indexes = self.by_action.get(action, [])
        return indexes[bisect.bisect_left(indexes, since) : bisect.bisect_left(indexes, until)]

    def _in_order(
        self, group: tuple[PatternStep, ...], names: dict[str, Any], since: int, until: int
    ) -> bool:
        """Events in ``[since, until)`` meet the group's steps in order, each step's ``where``
        reading ``names`` and the group's steps before it: one scan of the events of the
        group's actions there, keeping the partial matches of its first steps (one per
        length when no later step reads which event met an earlier one; at most
        ``MAX_PARTIAL``)."""
        reads = [
            {s.name for s in group[:k]}
            & set().union(*(s.where.names for s in group[k:] if s.where))
            for k in range(len(group))
        ]
        partials: list[tuple[int, dict[str, Any]]] = [(0, names)]
        lengths = {0}
        actions = {s.action for s in group}
        for i in sorted(i for a in actions for i in self._between(a, since, until)):
            grown = []
            for done, env in partials:
                step = group[done]
                if step.action != self.all[i][0].action:
                    continue
                for _, member in members(step.each, *self.all[i]):
                    here = {**env, step.name: member}
                    if step.where is not None and not step.where(here):
                        continue
                    if done + 1 == len(group):
                        return True
                    if reads[done + 1] or done + 1 not in lengths:
                        grown.append((done + 1, here))
                        lengths.add(done + 1)
            partials += grown
            if len(partials) > MAX_PARTIAL:
                raise InputError.at(
                    self.rule.location,
                    f"{self.rule.id}: the timeline of {self.path} matches the first steps of an "
                    f"absent group more than {MAX_PARTIAL:,} ways in one gap; make their "
                    "'where' narrower",
                )
        return False


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    if not dep.timeline:  # no event for a present step to match: the state is not replayed
        return
    pattern = Pattern(rule)
    actions = _state_actions(rule)
    reads_state = bool(actions)
    state = PlanState(dep, everyone=reads_state, earlier=_reads(rule, {"earlier"}))
    seen_so_far = _Seen(rule, dep.path)
    # the partial matches waiting for each present step, by its join key
    waiting: list[dict[tuple, list[Partial]]] = [{} for _ in pattern.present]
    waiting[0][()] = [Partial()]
    unkeyed = 0
    done: list[Partial] = []  # every present step matched, waiting for the trailing gap to end
    for event in dep.timeline:
        seen = (event, state.seen(event, event.action in actions))
        now = len(seen_so_far.all)
        grown = []
        for i, step in enumerate(pattern.present):
            if step.action != event.action:
                continue
            for member in members(step.each, *seen):
                for p in waiting[i].get(pattern.key(i, {}, member[1]), ()):
                    extended = _extend(pattern, p, member, seen_so_far, now)
                    if extended is not None:
                        grown.append(extended)
        seen_so_far.add(seen)
        unkeyed -= _close(pattern, waiting, seen)
        for p in grown:
            size = len(p.matched)
            if size < len(pattern.present):
                key = pattern.key(size, pattern.names(p.matched), None)
                waiting[size].setdefault(key, []).append(p)
                unkeyed += not pattern.joins[size]
            elif pattern.trailing:
                done.append(p)
            else:
                yield _draft(rule, pack, pattern, p.matched)
        if unkeyed + len(done) > MAX_PARTIAL:
            raise InputError.at(
                rule.location,
                f"{rule.id}: the timeline of {dep.path} matches the pattern's first steps more "
                f"than {MAX_PARTIAL:,} ways; make the first step's 'where' narrower",
            )
        state.apply(event)
    end = len(seen_so_far.all)
    for p in done:
        names = pattern.names(p.matched)
        if not seen_so_far.forbidden(pattern.trailing, names, p.since, end):
            yield _draft(rule, pack, pattern, p.matched)


def _close(pattern: Pattern, waiting: list[dict[tuple, list[Partial]]], seen: Seen) -> int:
    """Drops the partial matches that ``seen`` ends: those waiting for a present step whose
    gap's absent step forbids it (the gap only grows, so none of them can be extended again);
    returns how many were dropped of those no key narrows. Each partial match is dropped once:
    a timeline whose absent steps close what they forbid keeps few alive (the last clearing
    before a removal, not every clearing so far)."""
    event, env = seen
    dropped = 0
    for i in dict.fromkeys(pattern.closing.get(event.action, ())):
        guards = [g for g in pattern.guards[i] if g.action == event.action]
        for key, partials in list(waiting[i].items()):
            kept = [p for p in partials if not _forbids(pattern, guards, p, event, env)]
            if len(kept) < len(partials):
                dropped += (len(partials) - len(kept)) * (not pattern.joins[i])
                waiting[i][key] = kept
    return dropped


def _forbids(
    pattern: Pattern,
    guards: list[PatternStep],
    partial: Partial,
    event: Event,
    env: dict[str, Any],
) -> bool:
    names = pattern.names(partial.matched)
    for step in guards:
        if pattern.present[len(partial.matched)].name in (step.where.names if step.where else ()):
            continue  # it reads the present step after it: judged when that step comes
        for _, member in members(step.each, event, env):
            if step.where is None or bool(step.where({**names, step.name: member})):
                return True
    return False


def _state_actions(rule: Rule) -> set[str]:
    """The actions whose events need their instance's state (``STATE`` but ``before``): those
    of the steps that go through an estate list (``each: synced``) or whose state an expression
    reads (``disabled.synced``). Building the state costs a pass over the instance's users, so
    an event no such step matches (the add-user events an absent step watches) is not given it.
    An expression that computes a key may read anything: then every step's action."""
    keys = STATE.keys() - {"before"}
    steps = list(rule.pattern_steps())
    expressions = list(rule.expressions())
    if any(e.keys is None for e in expressions):
        return {step.action for step in steps}
    read = {path[0] for e in expressions for path in e.paths if len(path) > 1 and path[1] in keys}
    unnamed = any(name in keys for e in expressions for name in e.names)  # `synced` bare
    return {
        step.action for step in steps if unnamed or step.each in ESTATE_LISTS or step.name in read
    }


def _reads(rule: Rule, keys: Set[str]) -> bool:
    """Some expression of the rule reads one of ``keys`` of a step (the estate it sees,
    ``STATE`` but ``before``; the events before it, ``earlier``); an expression that computes
    a key may read anything."""
    return any(e.keys is None or e.keys & keys for e in rule.expressions())


def _extend(
    pattern: Pattern, partial: Partial, seen: Seen, seen_so_far: _Seen, now: int
) -> Partial | None:
    """``partial`` with ``seen`` as its next present step, if it is one and nothing the gap
    before it holds is forbidden."""
    index = len(partial.matched)
    step = pattern.present[index]
    _, env = seen
    names = {**pattern.names(partial.matched), step.name: env}
    if step.where is not None and not step.where(names):
        return None
    if pattern.guards[index] and seen_so_far.forbidden(
        pattern.guards[index], names, partial.since, now
    ):
        return None
    return Partial((*partial.matched, seen), now + 1)


def _draft(rule: Rule, pack: RulePack, pattern: Pattern, matched: tuple[Seen, ...]) -> Draft:
    env = pattern.names(matched)
    last, _ = matched[-1]
    outcome = evaluate(rule.outcome, env) if rule.outcome is not None else None
    steps = zip(pattern.present, matched[:-1], strict=False)
    why, because = explain_rule(pack, rule)
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=last.pointer,
        related=[(e.pointer, f"{step.name}: {e.action}") for step, (e, _) in steps],
        subject=_subject([e for e, _ in matched]),
        outcome=complete(outcome, pack.outcomes) if outcome is not None else None,
        fix=rule.fix.render(env) if rule.fix else None,
        why=why or None,
        because=because,
    )


def _subject(events: list[Event]) -> dict[str, Any]:
    """What a sequence finding is about: the mailbox (``email`` and ``crm_user``, null when no
    step names one) and the instance and policy of the latest step that names each pair (its
    own event, where the finding sits, else the nearest step before it: a ``save-policy`` that
    ends the pattern names no mailbox, the ``add-user`` before it does), and every step's
    event, by number."""
    subject: dict[str, Any] = {"email": None, "crm_user": None}
    for pair in (("email", "crm_user"), ("instance", "policy")):
        naming = [e for e in events if any(getattr(e, key) is not None for key in pair)]
        if naming:
            subject |= {key: getattr(naming[-1], key) for key in pair}
    subject = {k: v for k, v in subject.items() if v is not None or k in ("email", "crm_user")}
    return subject | {"events": [e.index + 1 for e in events]}
