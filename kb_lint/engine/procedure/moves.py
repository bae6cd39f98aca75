"""Procedures before a user move: a user added to a policy while another policy holds (or
held) the same combination, judged by the estate the timeline leaves (the package's docstring
states the rule)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.procedure import words
from kb_lint.engine.procedure.steps import DONE_AT_START, EventIndex, broken, by_item, residues
from kb_lint.engine.procedure.words import MISSING, Broken
from kb_lint.model.deployment import Binding, Deployment, make_binding
from kb_lint.model.estate import SWITCHES, Estate, batches
from kb_lint.model.timeline import Event, expand_what
from kb_lint.pack.model import Procedure, Rule, RulePack, Step


@dataclass
class Move:
    """A user added to ``target`` (by ``trigger``) while ``source``, another policy of the
    same or another instance, holds or held it."""

    source: Binding
    since: int  # the event that made the source binding (-1: the deployment's own)
    target: Binding
    trigger: Event
    overlaps: list[tuple[Event, Event | None]] = field(default_factory=list)  # [from, until)

    @property
    def key(self) -> tuple[str, str]:
        return self.target.email, self.target.crm_user


def check_moves(
    rule: Rule, pack: RulePack, procedures: list[Procedure], dep: Deployment
) -> Iterator[Draft]:
    """The findings of the procedures before the moves the timeline makes."""
    triggers = {p.trigger.action for p in procedures}
    moves = list(_moves(dep, triggers))
    if not moves:
        return
    estate = _replay(dep, moves)
    events = EventIndex(dep.timeline)
    for move in moves:
        yield from _follow(rule, pack, procedures, estate, events, move)


def _moves(dep: Deployment, triggers: set[str]) -> Iterator[Move]:
    """Each trigger event that adds a combination another policy (of its instance or
    another) holds or held."""
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
            if (source.instance, source.policy) != (target.instance, target.policy):
                yield Move(source, since, target, event)
        held.setdefault((target.email, target.crm_user), []).append((target, event.index))


def _replay(dep: Deployment, moves: list[Move]) -> Estate[None]:
    """The estate of the moved mailboxes, replayed once: each move's overlaps (both bindings
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
        touched = _touched(estate, batch, emails)
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


def _touched(estate: Estate[None], batch: list[Event], emails: set[str]) -> set[str]:
    """The moved mailboxes (of ``emails``) that ``batch`` changes: those its events name, and
    the users of a policy it disables or enables, as the estate has them before it."""
    touched = {e.email for e in batch if e.email in emails}
    for e in batch:
        if e.action in SWITCHES:
            index = estate.policy_index(e.instance or "", e.policy or "")
            if index is not None:
                touched.update(m for m, _ in estate.users[index] if m in emails)
    return touched


def _syncs(estate: Estate[None], binding: Binding, key: tuple[str, str]) -> bool:
    index = estate.policy_index(binding.instance, binding.policy)
    return index is not None and estate.syncs(index, key)


def _follow(
    rule: Rule,
    pack: RulePack,
    procedures: list[Procedure],
    estate: Estate[None],
    events: EventIndex,
    move: Move,
) -> Iterator[Draft]:
    """The findings of the first procedure of the move's trigger that applies to it: one per
    step of the article (a procedure of the pack's own, one per move)."""
    pair = {"source": move.source.env(), "target": move.target.env()}
    trigger = move.trigger
    for procedure in procedures:
        if procedure.trigger.action != trigger.action:
            continue
        if procedure.applies is not None and not procedure.applies(pair):
            continue
        done = DONE_AT_START if move.since < 0 else None
        found = broken(procedure, events, pair, trigger, move.source, move.since, done)
        for group in by_item(procedure, found):
            yield _draft(rule, pack, procedure, estate, move, group, pair)
        return


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
    group: list[Broken],
    pair: dict[str, Any],
) -> Draft:
    """One finding for the broken steps of one article item: the residues the estate still
    shows at the end, merged."""
    steps, problem, several = words.said(group)
    remaining = [s for s in steps if _remains(s, estate, move.source)]
    outcome, because, left = residues(pack, procedure, steps, remaining, pair, list(pair.values()))
    consequence = _consequence(move, bool(left), problem)
    env = {
        **pair,
        **words.names(procedure, steps, problem, several),
        "event": move.trigger.env(),
        "consequence": consequence,
    }
    quiet = not move.overlaps and not left
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=move.trigger.pointer,
        related=words.related(procedure, group),
        subject={
            "email": pair["source"]["email"],
            "crm_user": pair["source"]["crm_user"],
            "procedure": procedure.id,
            "step": steps[0].id if len(steps) == 1 else [s.id for s in steps],
            "bindings": [{"instance": b["instance"], "policy": b["policy"]} for b in pair.values()],
        },
        outcome=outcome,
        fix=rule.fix.render(env) if rule.fix else None,
        why=words.why(procedure, steps, problem, because, several, _left(procedure, left)),
        because=tuple(dict.fromkeys(because)),
        severity="warning" if quiet and rule.severity == "error" else None,
    )


def _consequence(move: Move, residue: bool, problem: str) -> str:
    """What the replayed estate shows: when both bindings synced the user after the change
    (two instances, or two policies of one), and how the mailbox ends."""
    source, target = move.source, move.target
    both = (
        f"{source.instance} and {target.instance}"
        if source.instance != target.instance
        else f"{source.policy} and {target.policy} of {source.instance}"
    )
    parts = [f"{_period(began, until)}: {both} both sync it" for began, until in move.overlaps]
    if move.overlaps and move.overlaps[-1][1] is None:
        parts.append("at the end: both still sync it")
    elif residue:
        parts.append("at the end: what the step removes is still there")
    else:
        gone = "the step was left out" if problem == MISSING else "the procedure's order was broken"
        parts.append(f"at the end: clean, but {gone}")
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


def _left(procedure: Procedure, left: list[Step]) -> str:
    """What a move's estate shows at the end of the steps left out."""
    if not left:
        return "the estate at the end holds nothing it would remove"
    places = words.places(procedure, left)
    verb = "remove" if len(left) > 1 else "removes"
    return f"at the end the mailbox still holds what {places} {verb}"
