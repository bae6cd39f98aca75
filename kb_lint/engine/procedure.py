"""Procedure rules: ordered steps that must precede a change in the timeline, judged by the
state the timeline produces.

The rule: when the timeline adds a user to an instance while another instance holds (or held)
the same combination, the procedure that applies (``applies``, over ``source`` and ``target``)
must have been followed: each earlier step that is part of the move (its ``applies``) performed
by a matching event, in order, after the source binding began and before the change. Steps
that cite the same item of the article are its bullets, which the article does not order: they
may come in any order among themselves, but after the items before theirs. Every article step
left out, out of order or done only after the change is one finding (its bullets listed in it).

Its outcome is what the replayed estate (``kb_lint.model.estate``, the state every timeline
judge shares) shows, not what the step's position suggests: a step's residue is predicted only
when doing the step at the end would still change the estate (the source policy is still
enabled, its account still exists, or what it wrote of the step's kinds is still in the
mailbox). The message says when the two instances both synced the combination after the
change, and how the mailbox ends. The order violation stays a finding; its severity is the
rule's when the break had a consequence (an overlap, or a residue at the end), a warning when
the estate ends as if the steps had been done in order.

A procedure with ``change: event`` ends with any event of its last step's action (a user
removed, a policy disabled), which its ``applies`` and its last step's ``match`` read as
``change``, as a sequence step sees its event (just before it, on the ``PlanState`` the timeline
judges share): its earlier steps must be done in order before it, after the same change of the
same mailbox and policy; a broken step's residue is predicted whenever it is broken (the estate
is not asked whether it remains), and the finding is a warning when that residue says no more
than the pack's defaults.

Algorithm: one replay of the estate over the timeline in batches (the events of one date or
cycle), recording for each move the batches where both instances sync it; a step's event is
found through an index of the events by mailbox and by policy (a step's event names the moved
mailbox or the source's policy; a step with ``each`` tries every event of its action, whose
elements may name the mailbox, and is shown at the element that does it). Cost: O(n log n) for
n events, plus the assignments of the moved mailboxes at each batch that touches them, plus,
per move, the elements of the events of a step with ``each``; for ``change: event``, one
replay in file order and, per change, the assignments of its instance.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import complete, evaluate, merge, predict
from kb_lint.engine.state import PlanState
from kb_lint.engine.why import explain_table, step_basis
from kb_lint.model.deployment import Binding, Deployment, make_binding
from kb_lint.model.estate import Estate, batches
from kb_lint.model.timeline import Event, expand_what, members
from kb_lint.pack.model import Procedure, Rule, RulePack, Step

Named = Binding | Event  # what names the mailbox and the policy a step's event names too
MISSING, OUT_OF_ORDER, LATE = "is missing before", "comes out of order before", "comes after"
UNFOLLOWED = "are not followed before"
SAID = {
    MISSING: "is left out",
    OUT_OF_ORDER: "comes out of order",
    LATE: "comes after the change",
    UNFOLLOWED: "are not followed in order",
}


@dataclass
class Move:
    """A user added to ``target`` (by ``trigger``) while ``source`` holds or held it."""

    source: Binding
    since: int  # the event that made the source binding (-1: the deployment's own)
    target: Binding
    trigger: Event
    overlaps: list[tuple[Event, Event | None]] = field(default_factory=list)  # [from, until)

    @property
    def key(self) -> tuple[str, str]:
        return self.target.email, self.target.crm_user


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    procedures = [pack.procedures[p] for p in rule.procedures]
    if any(p.change == "event" for p in procedures):  # one kind per rule (the loader's check)
        yield from _changes(rule, pack, procedures, dep)
        return
    triggers = {p.trigger.action for p in procedures}
    moves = list(_moves(dep, triggers))
    if not moves:
        return
    estate = _replay(dep, moves)
    events = _EventIndex(dep.timeline)
    for move in moves:
        yield from _follow(rule, pack, procedures, estate, events, move)


def _moves(dep: Deployment, triggers: set[str]) -> Iterator[Move]:
    """Each trigger event that adds a combination another instance holds or held."""
    wanted = {(e.email, e.crm_user) for e in dep.timeline if e.action in triggers}
    if not wanted:  # no trigger event: nothing moves (and no column is read)
        return
    held: dict[tuple[str, str], list[tuple[Binding, int]]] = {}
    columns = dep.bindings
    pairs = zip(columns.email, columns.crm_user, strict=True)
    for row in compress(range(len(columns)), map(wanted.__contains__, pairs)):
        binding = dep.binding(row)
        held.setdefault((binding.email, binding.crm_user), []).append((binding, -1))
    for event in dep.timeline:
        policy = dep.policy_named(event.instance or "", event.policy or "")
        if event.action not in triggers or policy is None or event.crm_user is None:
            continue
        target = make_binding(policy, event.email or "", event.crm_user, event.pointer)
        for source, since in held.get((target.email, target.crm_user), []):
            if source.instance != target.instance:
                yield Move(source, since, target, event)
        held.setdefault((target.email, target.crm_user), []).append((target, event.index))


def _replay(dep: Deployment, moves: list[Move]) -> Estate[None]:
    """The estate of the moved mailboxes, replayed once: each move's overlaps (both instances
    sync it after its trigger) recorded batch by batch; the estate at the end returned."""
    emails = {m.key[0] for m in moves}
    columns = dep.bindings
    estate: Estate[None] = Estate(
        dep.policies,
        (
            (columns.policy[row], (columns.email[row], columns.crm_user[row]), None)
            for row in range(len(columns))
            if columns.email[row] in emails
        ),
    )
    by_email: dict[str, list[Move]] = {}
    for move in moves:
        by_email.setdefault(move.key[0], []).append(move)
    open_since: dict[int, Event] = {}  # id(move) -> the batch event its overlap began at
    for batch in batches(dep.timeline):
        touched = {e.email for e in batch if e.email in emails}
        for e in batch:
            if e.action in ("disable-policy", "enable-policy"):
                index = estate.policy_index(e.instance or "", e.policy or "")
                if index is not None:
                    touched.update(m for m, _ in estate.users[index] if m in emails)
        if batch[0].cycle is None or batch[0].cycle > 1:  # Riva synced before this batch
            estate.sync(touched)
        for event in batch:
            estate.apply(event)
        last = batch[-1].index
        for email in touched:
            for move in by_email[email]:
                if move.trigger.index > last:
                    continue
                both = _syncs(estate, move.source, move.key) and _syncs(
                    estate, move.target, move.key
                )
                began = open_since.get(id(move))
                if both and began is None:
                    open_since[id(move)] = batch[0]
                elif not both and began is not None:
                    move.overlaps.append((began, batch[0]))
                    del open_since[id(move)]
    for move in moves:
        if id(move) in open_since:
            move.overlaps.append((open_since[id(move)], None))
    estate.sync(emails)
    return estate


def _syncs(estate: Estate[None], binding: Binding, key: tuple[str, str]) -> bool:
    index = estate.policy_index(binding.instance, binding.policy)
    return index is not None and estate.syncs(index, key)


class _EventIndex:
    """The timeline's events by action, by (action, mailbox) and by (action, instance, policy),
    in order; an event that names no mailbox or policy is kept under None, which no binding
    looks up."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.keyed: dict[tuple[str | None, ...], list[int]] = {}
        for e in events:
            self.keyed.setdefault((e.action,), []).append(e.index)
            self.keyed.setdefault((e.action, e.email), []).append(e.index)
            self.keyed.setdefault((e.action, e.instance, e.policy), []).append(e.index)

    def after(self, action: str, source: Named, since: int, every: bool) -> Iterator[Event]:
        """The events of ``action`` after ``since`` that name the source's mailbox or policy
        (``every``: all of them, for a step whose event names the mailbox in an element); a
        source that names no mailbox (a policy's change), its policy only."""
        found: set[int] = set()
        keys = [(action,)] if every else [(action, source.email)] if source.email else []
        for key in (*keys, (action, source.instance, source.policy)):
            indexes = self.keyed.get(key, [])
            found.update(indexes[bisect.bisect_right(indexes, since) :])
        for index in sorted(found):
            yield self.events[index]


def _follow(
    rule: Rule,
    pack: RulePack,
    procedures: list[Procedure],
    estate: Estate[None],
    events: _EventIndex,
    move: Move,
) -> Iterator[Draft]:
    pair = {"source": move.source.env(), "target": move.target.env()}
    trigger = move.trigger
    for procedure in procedures:
        if procedure.trigger.action != trigger.action:
            continue
        if procedure.applies is not None and not procedure.applies(pair):
            continue
        broken = _broken(procedure, events, pair, trigger, move.source, move.since, move.since < 0)
        # one finding per step of the article; a procedure of the pack's own, one per move
        groups = _by_item(broken) if procedure.cites is not None else [broken] if broken else []
        for group in groups:
            yield _draft(rule, pack, procedure, estate, move, group, pair)
        return


def _broken(
    procedure: Procedure,
    events: _EventIndex,
    names: dict[str, Any],
    trigger: Event,
    source: Named,
    since: int,
    judge_done: bool,
) -> list[tuple[Step, str, Event | None]]:
    """The earlier steps of ``procedure`` that are part of the change (their ``applies``) and
    not done in order before ``trigger``, by an event after ``since`` that names ``source``'s
    mailbox or policy; ``judge_done``: a step whose ``done`` holds needs no event."""
    done_at = group_at = -1  # the last event of the earlier items, of this item so far
    item = None
    broken: list[tuple[Step, str, Event | None]] = []
    for step in procedure.steps[:-1]:
        if step.item is None or step.item != item:
            done_at, item = max(done_at, group_at), step.item
        if step.applies is not None and not step.applies(names):
            continue
        if judge_done and step.done is not None and step.done(names):
            continue  # already so before the change
        found = _performed(step, events, source, since, names)
        if found is None:
            problem = MISSING
        elif found.index > trigger.index:
            problem = LATE
        elif found.index < done_at:
            problem = OUT_OF_ORDER
        else:
            group_at = max(group_at, found.index)
            continue
        broken.append((step, problem, found))
    return broken


def _by_item(
    broken: list[tuple[Step, str, Event | None]],
) -> list[list[tuple[Step, str, Event | None]]]:
    """The broken steps, those of one article item with one problem together: one finding per
    step of the article ("remove every Riva-generated item, folder and category"), its
    clean-up bullets listed in it."""
    groups: list[list[tuple[Step, str, Event | None]]] = []
    for entry in broken:
        step, problem, _ = entry
        last = groups[-1][-1] if groups else None
        if last and step.item is not None and (last[0].item, last[1]) == (step.item, problem):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _performed(
    step: Step, events: _EventIndex, source: Named, since: int, names: dict[str, Any]
) -> Event | None:
    """The first event after ``since`` (the source binding began, the change before) that does
    the step (placed at the element of its ``each`` field that does it)."""
    for event in events.after(step.action, source, since, step.each is not None):
        if not step.covers <= event.what:
            continue
        for placed, env in members(step.each, event, event.env()):
            if step.match is None or step.match({**names, "event": env}):
                return placed
    return None


def _remains(step: Step, estate: Estate[None], source: Binding) -> bool:
    """Doing the step at the end would still change the estate: its residue is there."""
    index = estate.policy_index(source.instance, source.policy)
    if step.action == "disable-policy":
        return index is not None and estate.syncs(index, (source.email, source.crm_user))
    if step.action == "delete-account":
        return estate.account(source.instance, source.email) and (
            index is not None and (source.email, source.crm_user) in estate.users[index]
        )
    if step.action == "remove-riva-data":
        return bool(expand_what(sorted(step.covers)) & estate.left(source.instance, source.email))
    return True  # a step the estate does not model: judged by its place alone


def _draft(
    rule: Rule,
    pack: RulePack,
    procedure: Procedure,
    estate: Estate[None],
    move: Move,
    group: list[tuple[Step, str, Event | None]],
    pair: dict[str, Any],
) -> Draft:
    """One finding for the broken steps of one article item: the residues the estate still
    shows at the end, merged."""
    steps, problem, plural = _said(procedure, group)
    remaining = [s for s in steps if _remains(s, estate, move.source)]
    outcome, because, left = _residues(pack, procedure, steps, remaining, pair, list(pair.values()))
    consequence = _consequence(move, bool(left), problem)
    env = {
        **pair,
        **_names(procedure, steps, problem, plural),
        "event": move.trigger.env(),
        "consequence": consequence,
    }
    quiet = not move.overlaps and not left
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=move.trigger.pointer,
        related=_related(procedure, group),
        subject={
            "email": pair["source"]["email"],
            "crm_user": pair["source"]["crm_user"],
            "procedure": procedure.id,
            "step": steps[0].id if len(steps) == 1 else [s.id for s in steps],
            "bindings": [{"instance": b["instance"], "policy": b["policy"]} for b in pair.values()],
        },
        outcome=outcome,
        fix=rule.fix.render(env) if rule.fix else None,
        why=_why(procedure, steps, problem, because, plural, _left(procedure, left)),
        because=tuple(dict.fromkeys(because)),
        severity="warning" if quiet and rule.severity == "error" else None,
    )


def _said(
    procedure: Procedure, group: list[tuple[Step, str, Event | None]]
) -> tuple[list[Step], str, bool]:
    """The broken steps of one finding, their problem, and whether they are several steps
    (not bullets of one)."""
    steps = [step for step, _, _ in group]
    problem = group[0][1] if len({p for _, p, _ in group}) == 1 else UNFOLLOWED
    return steps, problem, " and " in _places(procedure, steps)


def _names(procedure: Procedure, steps: list[Step], problem: str, plural: bool) -> dict[str, Any]:
    """What a procedure rule's message reads of the broken steps, whatever the change."""
    return {
        "step": {
            "id": ", ".join(s.id for s in steps),
            "text": " ".join(s.text.strip() for s in steps),
            "number": steps[0].number,
            "place": _places(procedure, steps),
        },
        "procedure": {"id": procedure.id, "title": procedure.title},
        "problem": _plural(problem) if plural else problem,
    }


def _changes(
    rule: Rule, pack: RulePack, procedures: list[Procedure], dep: Deployment
) -> Iterator[Draft]:
    """The findings of ``change: event`` procedures: each event of a procedure's last action
    that meets its ``match`` and the procedure's ``applies`` (read as ``change``, as the
    estate stands just before it), with its earlier steps done in order before it, after the
    same change of the same mailbox and policy before it."""
    triggers = {p.trigger.action for p in procedures}
    state = PlanState(dep, everyone=True)
    events = _EventIndex(dep.timeline)
    previous: dict[tuple[str, Any, ...], int] = {}  # a procedure's change, by what it names
    for event in dep.timeline:
        if event.action in triggers:
            names = {"change": state.seen(event, with_state=True)}
            for procedure in procedures:
                if procedure.trigger.action != event.action or not _meets(procedure, names):
                    continue
                key = (procedure.id, event.instance, event.policy, event.email, event.crm_user)
                since = previous.get(key, -1)
                previous[key] = event.index
                broken = _broken(procedure, events, names, event, event, since, True)
                groups = _by_item(broken) if procedure.cites is not None else [broken]
                for group in filter(None, groups):
                    yield _change_draft(rule, pack, procedure, event, group, names)
        state.apply(event)


def _meets(procedure: Procedure, names: dict[str, Any]) -> bool:
    """The change is one of the procedure's: its ``applies`` and its last step's ``match``."""
    if procedure.applies is not None and not procedure.applies(names):
        return False
    match = procedure.trigger.match
    return match is None or bool(match({**names, "event": names["change"]}))


def _change_draft(
    rule: Rule,
    pack: RulePack,
    procedure: Procedure,
    change: Event,
    group: list[tuple[Step, str, Event | None]],
    names: dict[str, Any],
) -> Draft:
    """One finding for the broken steps of one article item before a change: their residues
    (the estate is not asked whether they remain), merged."""
    steps, problem, plural = _said(procedure, group)
    outcome, because, left = _residues(pack, procedure, steps, steps, names, names["change"])
    consequence = f"{change.action} {_at(change)}"
    env = {**names, **_names(procedure, steps, problem, plural), "consequence": consequence}
    if left:
        words = f"leaving {_places(procedure, left)} out leaves what the outcome says"
    else:
        words = "its residue says no more than the pack's defaults"
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=change.pointer,
        related=_related(procedure, group),
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
        why=_why(procedure, steps, problem, because, plural, words),
        because=tuple(dict.fromkeys(because)),
        severity="warning" if not left and rule.severity == "error" else None,
    )


def _at(event: Event) -> str:
    """When an event happens: its date, its cycle, or its place in the timeline."""
    if event.at is not None:
        return f"on {event.at}"
    if event.cycle is not None:
        return f"in cycle {event.cycle}"
    return f"at timeline entry {event.index + 1}"


def _residues(
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
    residues, because, left = [], [], []
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
        residues.append(residue)
        if _differs(residue, pack):
            left.append(step)
    return complete(merge(residues, pack.outcomes), pack.outcomes), because, left


def _differs(outcome: dict[str, Any], pack: RulePack) -> bool:
    """The outcome says more than the pack's defaults."""
    return any(
        outcome.get(name, spec.default) != spec.default for name, spec in pack.outcomes.items()
    )


def _places(procedure: Procedure, steps: list[Step]) -> str:
    """ "step 1", "step 3, bullets 1–5" for several bullets of one step, "steps 1 and 3" or
    "step 1 and step 2, bullets 1–3" for several steps (of a procedure of the pack's own, one
    finding for them all)."""
    groups: dict[object, list[Step]] = {}
    for step in steps:
        groups.setdefault(step.item if step.item is not None else id(step), []).append(step)
    places = [_bullets(procedure, group) for group in groups.values()]
    if len(places) == 1:
        return places[0]
    if not any("bullet" in place for place in places):
        places = [place.removeprefix("step ") for place in places]
        return f"steps {', '.join(places[:-1])} and {places[-1]}"
    return f"{', '.join(places[:-1])} and {places[-1]}"


def _bullets(procedure: Procedure, group: list[Step]) -> str:
    """ "step 3, bullet 2", or "step 3, bullets 1–5" for several bullets of one step."""
    if len(group) == 1:
        return procedure.place(group[0])
    bullets = [int(procedure.place(s).rsplit(" ", 1)[-1]) for s in group]
    shown = (
        f"{bullets[0]}–{bullets[-1]}"
        if bullets == list(range(bullets[0], bullets[-1] + 1))
        else ", ".join(map(str, bullets))
    )
    return f"step {group[0].item}, bullets {shown}"


def _consequence(move: Move, residue: bool, problem: str) -> str:
    """What the replayed estate shows: when both instances synced the user after the change,
    and how the mailbox ends."""
    parts = [
        f"{_period(began, until)}: {move.source.instance} and {move.target.instance} both sync it"
        for began, until in move.overlaps
    ]
    if move.overlaps and move.overlaps[-1][1] is None:
        parts.append("at the end: both still sync it")
    elif residue:
        parts.append("at the end: what the step removes is still there")
    else:
        broken = (
            "the step was left out" if problem == MISSING else "the procedure's order was broken"
        )
        parts.append(f"at the end: clean, but {broken}")
    return "; ".join(parts)


def _period(began: Event, until: Event | None) -> str:
    if began.cycle is not None:
        end = until.cycle - 1 if until is not None and until.cycle is not None else None
        if end is None:
            return f"from cycle {began.cycle} on"
        return f"cycle {began.cycle}" if end == began.cycle else f"cycles {began.cycle}–{end}"
    if began.at is not None:
        return f"from {began.at}" + (f" until {until.at}" if until is not None else " on")
    start = f"from timeline entry {began.index + 1}"
    return start + (f" until entry {until.index + 1}" if until is not None else " on")


def _related(
    procedure: Procedure, group: list[tuple[Step, str, Event | None]]
) -> list[tuple[Any, str]]:
    """Where each broken step was done, one line per event."""
    done: dict[int, tuple[Event, list[Step]]] = {}
    for step, _, found in group:
        if found is not None:
            done.setdefault(found.index, (found, []))[1].append(step)
    return [
        (event.pointer, f"{_places(procedure, steps)} done here") for event, steps in done.values()
    ]


def _plural(words: str) -> str:
    """The verb of ``words`` for several steps."""
    for one, many in (("is ", "are "), ("comes ", "come ")):
        if words.startswith(one):
            return many + words.removeprefix(one)
    return words


def _left(procedure: Procedure, left: list[Step]) -> str:
    """What a move's estate shows at the end of the steps left out."""
    if not left:
        return "the estate at the end holds nothing it would remove"
    places = _places(procedure, left)
    verb = "remove" if " and " in places else "removes"
    return f"at the end the mailbox still holds what {places} {verb}"


def _why(
    procedure: Procedure,
    steps: list[Step],
    problem: str,
    because: list[str],
    plural: bool,
    consequence: str,
) -> str:
    article = [b for b in dict.fromkeys(because) if not b.startswith(f"{procedure.id}/")]
    said = _plural(SAID[problem]) if plural else SAID[problem]
    words = f"{_places(procedure, steps)} of {procedure.id} {said}; {consequence}"
    return f"{words} ({', '.join(article)})" if article else words
