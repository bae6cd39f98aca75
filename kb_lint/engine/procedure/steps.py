"""Judging a procedure's steps against the timeline, whatever its change: which of those before
it (and, for an event's change, after it) are done, in order, by which event, and what the
broken ones leave."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

from kb_lint.engine.outcome import complete, evaluate, merge, predict, says_more
from kb_lint.engine.procedure.words import (
    LATE,
    MISSING,
    MISSING_AFTER,
    OUT_OF_ORDER,
    OUT_OF_ORDER_AFTER,
    Broken,
)
from kb_lint.engine.why import explain_table, step_basis
from kb_lint.model.deployment import Binding
from kb_lint.model.timeline import Event, members
from kb_lint.pack.model import Procedure, RulePack, Step

Named = Binding | Event  # what names the mailbox and the policy a step's event names too
ANY = object()  # in a key: an instance's events, whatever policy they name
UNNAMED = object()  # in a key: an instance's events that name no mailbox and no policy
# a step judged against the last event of the earlier places: no problem and the event that did
# it in order (None: it needs none), or its problem and the event shown (None: none did it)
Judged = tuple[str | None, Event | None]
# when a step's ``done`` is judged: a move's, of the deployment as it stands; a change's, just
# before the change
DONE_AT_START, DONE_BEFORE_CHANGE = "at start", "before change"


class EventIndex:
    """The timeline's events by action, by (action, mailbox), by (action, instance, policy),
    by (action, instance, ANY) and, for those that name no mailbox and no policy (a licence
    installed on an instance, a CRM user's connection test), by (action, instance, UNNAMED,
    CRM user or None), in order; an event that names no mailbox is kept under None, which no
    binding looks up."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.keyed: dict[tuple[object, ...], list[int]] = {}
        for e in events:
            self.keyed.setdefault((e.action,), []).append(e.index)
            self.keyed.setdefault((e.action, e.email), []).append(e.index)
            self.keyed.setdefault((e.action, e.instance, e.policy), []).append(e.index)
            self.keyed.setdefault((e.action, e.instance, ANY), []).append(e.index)
            if e.email is None and e.policy is None and e.instance is not None:
                key = (e.action, e.instance, UNNAMED, e.crm_user)
                self.keyed.setdefault(key, []).append(e.index)

    def after(self, action: str, source: Named, since: int, every: bool) -> Iterator[Event]:
        """The events of ``action`` after ``since`` that name the source's mailbox or policy
        (``every``: all of them, for a step whose event names the mailbox in an element), or
        that name neither but the source's instance (and, if they name one, its CRM user); a
        source that names no mailbox (a policy's change), its policy only; one that names
        neither (an instance's change: its services stopped), any event of its instance."""
        found: set[int] = set()
        keys = [(action,)] if every else [(action, source.email)] if source.email else []
        own = source.policy if source.email or source.policy is not None else ANY
        if own is not ANY:
            keys += [(action, source.instance, UNNAMED, None)]
            if source.crm_user is not None:
                keys += [(action, source.instance, UNNAMED, source.crm_user)]
        for key in (*keys, (action, source.instance, own)):
            indexes = self.keyed.get(key, [])
            found.update(indexes[bisect.bisect_right(indexes, since) :])
        for index in sorted(found):
            yield self.events[index]


def broken(
    procedure: Procedure,
    events: EventIndex,
    names: dict[str, Any],
    trigger: Event,
    source: Named,
    since: int,
    judge_done: str | None,
) -> list[Broken]:
    """The earlier steps of ``procedure`` that are part of the change (their ``applies``) and
    not done in order before ``trigger``, by an event after ``since`` that names ``source``'s
    mailbox or policy (the first after the earlier places' events, else the first at all: out
    of order, or late). ``judge_done``: a step whose ``done`` holds needs no event, either
    whatever the timeline does (``DONE_AT_START``: the deployment as it stands has it done) or
    when no event before the change did it (``DONE_BEFORE_CHANGE``: the state just before the
    change has it done; an event that did it is where it was done, and is ordered)."""

    def judge(step: Step, done_at: int) -> Judged:
        done = judge_done is not None and step.done is not None and bool(step.done(names))
        if done and judge_done == DONE_AT_START:
            return None, None  # already so before the timeline
        found = _performed(step, events, source, since, names)
        if found is not None and found.index < done_at:  # done again, in order, in time?
            again = _performed(step, events, source, done_at - 1, names)
            found = again if again is not None and again.index < trigger.index else found
        if done and (found is None or found.index > trigger.index):
            return None, None  # so before the change, by no event of the timeline before it
        if found is None:
            return MISSING, None
        if found.index > trigger.index:
            return LATE, found
        return (OUT_OF_ORDER if found.index < done_at else None), found

    return _place_by_place(procedure.before, names, -1, judge)


def unfollowed(
    procedure: Procedure,
    events: EventIndex,
    names: dict[str, Any],
    change: Event,
    since: int,
    until: int,
) -> list[Broken]:
    """The steps after ``change`` that are part of it (their ``applies``) and not done in
    order after it, before event ``until`` (the next change of its subject, or the end): each
    by the first event that does it after the earlier places'; one done only before them
    (before the change too, after event ``since``, the change of its subject before) is out
    of order, shown where it was done; one not done at all is missing."""

    def judge(step: Step, done_at: int) -> Judged:
        found = _performed(step, events, change, done_at, names, until)
        if found is not None:
            return None, found
        early = _performed(step, events, change, change.index, names, until)
        if early is None:  # done only before the change: the last time, nearest to it
            early = next(
                reversed([*_doing(step, events, change, since, names, change.index)]), None
            )
        return (MISSING_AFTER if early is None else OUT_OF_ORDER_AFTER), early

    return _place_by_place(procedure.after, names, change.index, judge)


def _place_by_place(
    steps: tuple[Step, ...],
    names: dict[str, Any],
    start: int,
    judge: Callable[[Step, int], Judged],
) -> list[Broken]:
    """The steps that are part of the change (their ``applies``) that ``judge`` finds broken,
    in their order. Places are judged in turn (bullets of one item in any order, the parts of
    an ``in_order`` item in theirs): each step against the last event done in order by the
    earlier places (``start`` before any), so one pass, a ``judge`` call a step."""
    done_at = group_at = start  # the last event of the earlier places, of this place so far
    rank: tuple[int, int] | None = None
    found_broken: list[Broken] = []
    for step in steps:
        if step.rank != rank:
            done_at, rank = max(done_at, group_at), step.rank
        if step.applies is not None and not step.applies(names):
            continue
        problem, found = judge(step, done_at)
        if problem is not None:
            found_broken.append((step, problem, found))
        elif found is not None:
            group_at = max(group_at, found.index)
    return found_broken


def by_item(procedure: Procedure, found: list[Broken]) -> list[list[Broken]]:
    """The broken steps, those of one article item with one problem together: one finding per
    step of the article ("remove every Riva-generated item, folder and category"), its
    clean-up bullets listed in it; a procedure of the pack's own (citing no article), one
    finding for them all."""
    if procedure.cites is None:
        return [found] if found else []
    groups: list[list[Broken]] = []
    for entry in found:
        step, problem, _ = entry
        last = groups[-1][-1] if groups else None
        if last and (last[0].item, last[1]) == (step.item, problem):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _performed(
    step: Step,
    events: EventIndex,
    source: Named,
    since: int,
    names: dict[str, Any],
    until: int | None = None,
) -> Event | None:
    """The first event after ``since`` (the source binding began, the change before) and
    before ``until`` (if given) that does the step (placed at the element of its ``each``
    field that does it)."""
    return next(_doing(step, events, source, since, names, until), None)


def _doing(
    step: Step,
    events: EventIndex,
    source: Named,
    since: int,
    names: dict[str, Any],
    until: int | None = None,
) -> Iterator[Event]:
    """The events after ``since`` and before ``until`` (if given) that do the step, in order,
    each placed at the first element of its ``each`` field that does it."""
    for event in events.after(step.action, source, since, step.each is not None):
        if until is not None and event.index >= until:
            return
        if not step.covers <= event.what:
            continue
        for placed, env in members(step.each, event, event.env()):
            if step.match is None or step.match({**names, "event": env}):
                yield placed
                break


def residues(
    pack: RulePack,
    procedure: Procedure,
    steps: list[Step],
    remaining: list[Step],
    names: dict[str, Any],
    subject: Any,
) -> tuple[dict[str, Any], list[str], list[Step]]:
    """The outcome of the residues of ``remaining`` (of the broken ``steps``), merged: each a
    table's prediction for ``subject`` or the step's own over ``names``; why (the basis of
    every broken step and of each row used); the steps whose residue says more than the
    defaults."""
    found, because, left = [], [], []
    for step in steps:
        because.extend(step_basis(pack, procedure, step))
        if step not in remaining:
            continue
        if step.residue_table is not None:
            table = pack.tables[step.residue_table]
            residue = predict(table, subject, pack.outcomes)
            because.extend(explain_table(pack, table, subject)[1])
        else:
            residue = evaluate(step.residue, names)
        found.append(residue)
        if says_more(residue, pack.outcomes):
            left.append(step)
    return complete(merge(found, pack.outcomes), pack.outcomes), because, left
