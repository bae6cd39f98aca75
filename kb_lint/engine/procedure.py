"""Procedure rules: ordered steps that must precede a change in the timeline.

When the timeline adds a user to an instance while another instance holds (or held) the same
combination, the procedure that applies (``applies``, over ``source`` and ``target``) must have
been followed: each earlier step that is part of the move (its ``applies``) performed by a
matching event, in order, after the source binding began. Steps that cite the same item of
the article are its bullets, which the article does not order: they may come in any order
among themselves, but after the items before theirs. Every step left out or out of order is
one finding, with the residue the pack predicts for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import complete, evaluate, merge, predict
from kb_lint.engine.why import explain_step, explain_table
from kb_lint.model.deployment import Binding, Deployment, make_binding
from kb_lint.model.timeline import Event
from kb_lint.pack.model import Procedure, Rule, RulePack, Step


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    procedures = [pack.procedures[p] for p in rule.procedures]
    triggers = {p.trigger.action for p in procedures}
    held = _initial_bindings(dep, triggers)
    for event in dep.timeline:
        target = _target(dep, event) if event.action in triggers else None
        if target is None:
            continue
        for source, since in held.get((target.email, target.crm_user), []):
            if source.instance != target.instance:
                yield from _follow(rule, pack, procedures, dep, event, source, since, target)
        held.setdefault((target.email, target.crm_user), []).append((target, event.index))


def _initial_bindings(
    dep: Deployment, triggers: set[str]
) -> dict[tuple[str, str], list[tuple[Binding, int]]]:
    """Bindings of the users the timeline's triggers name, as the deployment holds them before
    it starts."""
    wanted = {(e.email, e.crm_user) for e in dep.timeline if e.action in triggers}
    emails = {email for email, _ in wanted}
    held: dict[tuple[str, str], list[tuple[Binding, int]]] = {}
    columns = dep.bindings
    for row, email in enumerate(columns.email):
        if email in emails and (email, columns.crm_user[row]) in wanted:
            binding = dep.binding(row)
            held.setdefault((binding.email, binding.crm_user), []).append((binding, -1))
    return held


def _target(dep: Deployment, event: Event) -> Binding | None:
    policy = dep.policy_named(event.instance or "", event.policy or "")
    if policy is None or event.email is None or event.crm_user is None:
        return None
    return make_binding(policy, event.email, event.crm_user, event.pointer)


def _follow(
    rule: Rule,
    pack: RulePack,
    procedures: list[Procedure],
    dep: Deployment,
    trigger: Event,
    source: Binding,
    since: int,
    target: Binding,
) -> Iterator[Draft]:
    pair = {"source": source.env(), "target": target.env()}
    for procedure in procedures:
        if procedure.trigger.action != trigger.action:
            continue
        if procedure.applies is not None and not procedure.applies(pair):
            continue
        done_at = group_at = -1  # the last event of the earlier items, of this item so far
        item = None
        broken: list[tuple[Step, str, Event | None]] = []
        for step in procedure.steps[:-1]:
            if step.item is None or step.item != item:
                done_at, item = max(done_at, group_at), step.item
            if step.applies is not None and not step.applies(pair):
                continue
            if since < 0 and step.done is not None and step.done(pair):
                continue  # already so before the timeline starts
            found = _performed(step, dep.timeline[since + 1 : trigger.index], pair)
            if found is None:
                problem = "is missing"
            elif found.index < done_at:
                problem = "comes out of order"
            else:
                group_at = max(group_at, found.index)
                continue
            broken.append((step, problem, found))
        for group in _by_item(broken):
            yield _draft(rule, pack, procedure, group, trigger, pair)
        return


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


def _performed(step: Step, events: list[Event], pair: dict[str, Any]) -> Event | None:
    for event in events:
        if event.action != step.action or not step.covers <= event.what:
            continue
        if step.match is None or step.match({**pair, "event": event.env()}):
            return event
    return None


def _draft(
    rule: Rule,
    pack: RulePack,
    procedure: Procedure,
    group: list[tuple[Step, str, Event | None]],
    trigger: Event,
    pair: dict[str, Any],
) -> Draft:
    """One finding for the broken steps of one article item: their residues merged."""
    steps = [step for step, _, _ in group]
    problem = group[0][1]
    env = {
        **pair,
        "step": {
            "id": ", ".join(s.id for s in steps),
            "text": " ".join(s.text for s in steps),
            "number": steps[0].number,
        },
        "procedure": {"id": procedure.id, "title": procedure.title},
        "event": trigger.env(),
        "problem": problem,
    }
    residues, whys, because = [], [], []
    for step in steps:
        why, basis = explain_step(pack, procedure, step)
        if step.residue_table is not None:
            table = pack.tables[step.residue_table]
            residues.append(predict(table, list(pair.values()), pack.outcomes))
            words, ids = explain_table(pack, table, list(pair.values()))
            why, basis = f"{why}: {words}", (*basis, *ids)
        else:
            residues.append(evaluate(step.residue, pair))
        whys.append(why)
        because.extend(basis)
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=trigger.pointer,
        related=[(f.pointer, f"step {s.number} is here") for s, _, f in group if f],
        subject={
            "email": pair["source"]["email"],
            "crm_user": pair["source"]["crm_user"],
            "procedure": procedure.id,
            "step": steps[0].id if len(steps) == 1 else [s.id for s in steps],
            "bindings": [{"instance": b["instance"], "policy": b["policy"]} for b in pair.values()],
        },
        outcome=complete(merge(residues, pack.outcomes), pack.outcomes),
        fix=rule.fix.render(env) if rule.fix else None,
        why="; ".join(dict.fromkeys(whys)),
        because=tuple(dict.fromkeys(because)),
    )
