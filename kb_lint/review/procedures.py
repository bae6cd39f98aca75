"""Every step of a procedure can be performed by some timeline event (KB-RULES-005).

The engine counts a step as done when an event has the step's ``action``, removes everything
the step ``covers`` and satisfies its ``match``; it starts checking a procedure at the event
that performs the last step (the trigger), which must name the binding it adds. A step with
an action no event has (neither built in nor the pack's own), a ``covers`` word no event
removes, or a procedure that no rule runs can never be checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from kb_lint.errors import did_you_mean
from kb_lint.findings import Finding
from kb_lint.model.fields import BUILTIN_ACTIONS as REQUIRED
from kb_lint.model.timeline import WHAT
from kb_lint.pack.declared import unloaded_action
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import Procedure, Step
from kb_lint.review.check import Check

UNREACHABLE_STEP = Check(
    id="KB-RULES-005",
    name="unreachable-step",
    severity="error",
    what="A procedure step that no timeline event can perform: an unknown action, a `covers` "
    "word that no event removes, `covers` on an action that removes nothing, a move's trigger "
    "(the last step) whose action names no binding, an earlier step with the trigger's action, or "
    "a procedure that no procedure rule runs.",
    why="A step no event can perform is reported missing on every migration plan, however "
    "carefully it follows the article; a procedure that never triggers checks nothing at all.",
    example="steps:\n  - id: remove-calendar\n    action: remove-riva-data\n"
    "    covers: [calendar]   # the vocabulary says appointments or sub-calendar\n",
    fix="Use a timeline action and `what` words from the deployment schema; make the step that "
    "adds the user (`add-user`) the last one; list the procedure in a rule of kind procedure.",
)

# The actions whose events carry `what` (kb_lint.model.deployment reads it for these only).
REMOVING_ACTIONS = ("remove-riva-data",)
# Every word a `what` list can hold, expanded: what a step may cover.
REMOVABLE = frozenset(WHAT) | {word for words in WHAT.values() for word in words}
# A trigger must name the binding it creates: the fields the engine needs for a target.
BINDING_FIELDS = ("instance", "policy", "email", "crm_user")
TRIGGER_ACTIONS = tuple(a for a, fields in REQUIRED.items() if set(BINDING_FIELDS) <= set(fields))


def check_procedures(source: PackSource) -> list[Finding]:
    pack = source.pack
    run = {p for rule in pack.rules if rule.kind == "procedure" for p in rule.procedures}
    findings: list[Finding] = []
    for index, procedure in enumerate(pack.procedures.values()):
        if procedure.id not in run:
            findings.append(
                UNREACHABLE_STEP.finding(
                    procedure.location,
                    f"procedure {procedure.id} is run by no rule of kind procedure, so no "
                    "timeline is ever checked against its steps",
                )
            )
        findings.extend(_trigger(source, index, procedure))
        for step in procedure.steps:
            findings.extend(_step(source, index, procedure, step))
    return findings


def _trigger(source: PackSource, index: int, procedure: Procedure) -> Iterator[Finding]:
    trigger = procedure.trigger
    moves = procedure.change == "move"  # a change: event procedure may end with any action
    if moves and trigger.action in REQUIRED and trigger.action not in TRIGGER_ACTIONS:
        yield UNREACHABLE_STEP.finding(
            source.at(("procedures", index, "steps", trigger.number - 1, "action")),
            f"the last step of {procedure.id} ('{trigger.id}') is its trigger, but a "
            f"{trigger.action} event names no binding to check ({', '.join(BINDING_FIELDS)}): "
            f"the procedure never starts; end it with {' or '.join(TRIGGER_ACTIONS)}",
        )
    change = "the last step" if procedure.change_at < 0 else f"step '{trigger.id}'"
    for step in procedure.steps:
        if step is not trigger and step.action == trigger.action:
            why = (
                "starts the procedure itself, before the steps that must precede it"
                if step in procedure.before
                else "is the next change, which ends the time the steps after it are done in"
            )
            yield UNREACHABLE_STEP.finding(
                source.at(("procedures", index, "steps", step.number - 1, "action")),
                f"step '{step.id}' of {procedure.id} has the action of the trigger ({change}, "
                f"{trigger.action}): the event that performs it {why}",
            )


def _step(source: PackSource, index: int, procedure: Procedure, step: Step) -> Iterator[Finding]:
    pointer = ("procedures", index, "steps", step.number - 1)
    name = f"step '{step.id}' of {procedure.id}"
    loaded = (source.pack, *source.beside)  # one vocabulary of the packs loaded together
    known = (*REQUIRED, *(action.name for pack in loaded for action in pack.actions))
    if step.action not in known:
        hint = unloaded_action(step.action) or did_you_mean(step.action, known)
        yield UNREACHABLE_STEP.finding(
            source.at((*pointer, "action")),
            f"{name} has action '{step.action}', which no timeline event has{hint}",
        )
        return
    if not step.covers:
        return
    if step.action not in REMOVING_ACTIONS:
        yield UNREACHABLE_STEP.finding(
            source.at((*pointer, "covers")),
            f"{name} covers {', '.join(sorted(step.covers))}, but a {step.action} event "
            "removes nothing",
        )
        return
    for word in sorted(step.covers - REMOVABLE):
        yield UNREACHABLE_STEP.finding(
            source.at((*pointer, "covers")),
            f"{name} covers '{word}', which no remove-riva-data event removes"
            f"{did_you_mean(word, REMOVABLE)}",
        )
