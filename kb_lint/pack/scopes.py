"""What each expression of a pack sees: the names in scope, and the shape of each.

One place for every scope, read by the pack compiler (which checks every name and key an
expression reads against it) and by the expression-language reference (which lists the names
each kind of rule sees), so that the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb_lint.expr.reference import described, render
from kb_lint.expr.shapes import NUMBER, STRING, ListOf, Record, Shape
from kb_lint.model.fields import DERIVED, Vocabulary

Shapes = dict[str, Shape]
STEP = Record("step", {"id": STRING, "text": STRING, "number": NUMBER, "place": STRING})
PROCEDURE = Record("procedure", {"id": STRING, "title": STRING})
# A table's subjects, and the rule ``over:`` each is judged by.
SUBJECTS = {"policy": "policies", "instance": "instances", "binding": "bindings", "event": "events"}
SINGULAR = {plural: one for one, plural in SUBJECTS.items()}
# What ``bindings`` means wherever an expression reads it: an exclusivity rule's group, a group
# table's, and the estate a sequence step, a check rule over events or a procedure's change sees.
BINDINGS = (
    "assignments (a user of a policy whose account is not deleted), of enabled and disabled "
    "policies alike, each with its policy's enabled"
)
# What a sequence step sees of its event besides the event's fields, each replayed just before it.
STATE = {
    "before": "its policy's settings (of an event that names an instance and no policy: the "
    "instance's fields)",
    "bindings": f"its instance's {BINDINGS}",
    "synced": "the bindings its instance syncs: those of its enabled policies",
    "everywhere": "the bindings, on every instance, of the mailboxes its instance assigns "
    "(enabled and disabled policies alike)",
    "policies": "its instance's policies, with their settings",
}
# The events before a step's (one log per instance on the same replay, ``kb_lint.expr.prefix``).
EARLIER = (
    "the events before it that name its instance, in timeline order, each with its fields "
    "(action, email, at...)"
)
SEEN = {**STATE, "earlier": EARLIER}  # every name a step adds to its event's fields


@dataclass(frozen=True)
class Scopes:
    """The scopes of the expressions of packs that share ``vocabulary``."""

    vocabulary: Vocabulary

    @property
    def binding(self) -> Record:
        return self.vocabulary.binding_record()

    @property
    def event(self) -> Record:
        return self.vocabulary.event_record()

    def subject(self, over: str) -> Shapes:
        """A single-subject rule's expressions: the subject's fields, by name; an event's with
        the estate just before it, as a sequence step sees its event (``before`` is null for an
        event that names no instance)."""
        record = {
            "instances": self.vocabulary.scope_record("instance"),
            "policies": self.vocabulary.policy_record(),
            "bindings": self.binding,
            "events": self.pattern_event(),
        }[over]
        return dict(record.fields)

    def default(self, scope: str) -> Shapes:
        """A field's ``default_from``: what a check rule over its record sees (an instance's
        fields; a policy's with its instance's; a user's with its policy's and instance's), but
        ``synced_types``, which the whole estate decides; an event's own fields."""
        if scope == "event":
            return dict(self.vocabulary.scope_record("event").fields)
        record = self.subject(SUBJECTS["binding" if scope == "user" else scope])
        return {name: shape for name, shape in record.items() if name not in DERIVED}

    def overlap(self) -> Shapes:
        """A group table's inputs and cells, and its claims: the bindings of one overlap."""
        return {"bindings": ListOf(self.binding)}

    def table(self, subject: str) -> Shapes:
        """A table's inputs, cells and claims: a group's ``bindings``, or the fields of its one
        subject by name."""
        return self.overlap() if subject == "group" else self.subject(SUBJECTS[subject])

    def pair(self, **more: Shape) -> Shapes:
        """A procedure's expressions: the binding moved from (source) and to (target)."""
        return {"source": self.binding, "target": self.binding, **more}

    def change(self, **more: Shape) -> Shapes:
        """A ``change: event`` procedure's expressions: the change, as a sequence step sees its
        event."""
        return {"change": self.pattern_event(), **more}

    def procedure(self, change: str, **more: Shape) -> Shapes:
        """A procedure's expressions: the move's bindings, or the change (``change``)."""
        return self.change(**more) if change == "event" else self.pair(**more)

    def procedure_rule(self, change: str = "move") -> Shapes:
        """A procedure rule's message and fix: the step left out, the move and its event (or
        the change)."""
        more = {} if change == "event" else {"event": self.event}
        return {
            "step": STEP,
            "procedure": PROCEDURE,
            "problem": STRING,
            "consequence": STRING,
            **self.procedure(change, **more),
        }

    def pattern_event(self, needs: tuple[str, ...] = ("instance", "policy")) -> Record:
        """One event of a sequence pattern, of an action that ``needs`` these event fields: its
        fields; ``before``, its policy's settings just before it (the instance's fields, when
        it names no policy); and the estate of its instance just before it (``STATE``). An
        event that names no instance has neither."""
        if "instance" not in needs:
            return self.event
        policy = self.vocabulary.policy_record()
        before = policy if "policy" in needs else self.vocabulary.scope_record("instance")
        bindings = ListOf(self.binding)
        state = {
            "before": before,
            "bindings": bindings,
            "synced": bindings,
            "everywhere": bindings,
            "policies": ListOf(policy),
            "earlier": ListOf(self.event),
        }
        return self.event.having({**self.event.fields, **state})

    def exclusivity(self, over: str, key: tuple[str, ...], each: str | None) -> Shapes:
        """An exclusivity rule's ``when``, message and outcome: the key's fields (one element
        of ``each``) and the group as ``bindings``."""
        subject = self.subject(over)
        record = self.binding if over == "bindings" else self.vocabulary.policy_record()
        names: Shapes = {name: subject[name] for name in key}
        if each is not None:  # one element of the list: the group's own value
            shape = subject[each]
            names[each] = shape.item if isinstance(shape, ListOf) else STRING
        return {**names, "bindings": ListOf(record)}


def places(scopes: Scopes) -> list[tuple[str, dict[str, str]]]:
    """Every place an expression is written, with the names it sees and what each holds (a
    record's keys listed once, where it first appears): for the language's reference."""
    binding = ", ".join(scopes.binding.fields)
    policy = ", ".join(scopes.vocabulary.policy_record().fields)
    event = ", ".join(scopes.event.fields)
    records = {
        "binding": f"a binding: {binding}",
        "event": f"an event: {event}",
    }

    record = re.compile(r"\ban? (binding|event)\b")

    def shown(names: Shapes) -> dict[str, str]:
        """Each name's shape in words, a record spelled out with its keys (in one pass, so
        that the keys are listed once)."""
        return {
            name: record.sub(lambda m: records[m.group(1)], described(shape))
            for name, shape in names.items()
        }

    event_with_before = (
        f"an event: {event}; as the estate stands just before it, before: {STATE['before']} "
        f"({policy}); bindings: {STATE['bindings']}, a list of bindings; synced: "
        f"{STATE['synced']}; everywhere: {STATE['everywhere']}; policies: "
        f"{STATE['policies']}, a list of policies; earlier: "
        f"{EARLIER}, a list of events"
    )
    return [
        (
            "check rule over instances: where, when, message, fix, outcome",
            shown(scopes.subject("instances")),
        ),
        ("check rule over policies (its instance's fields too)", shown(scopes.subject("policies"))),
        (
            "check rule over bindings (its instance's and policy's fields too)",
            shown(scopes.subject("bindings")),
        ),
        (
            "check rule over events",
            {
                **shown(dict(scopes.event.fields)),
                "before": f"as the estate stands just before the event, {STATE['before']} "
                f"({policy}); null for an event that names no instance",
                "bindings": f"{STATE['bindings']}, a list of bindings",
                "synced": STATE["synced"],
                "everywhere": STATE["everywhere"],
                "policies": f"{STATE['policies']}, a list of policies",
                "earlier": f"{EARLIER}, a list of events",
            },
        ),
        (
            "exclusivity rule: where",
            {"(the fields of each binding or policy)": "as the check rule over the same subjects"},
        ),
        (
            "exclusivity rule: when, message, fix, outcome",
            {
                "each name of key": "the group's value of that field",
                "the each: field": "one element of the list: the group's own value",
                "bindings": f"the group: its {BINDINGS}, a list of records ({binding})",
            },
        ),
        (
            "sequence rule: each step's where, the message, fix and outcome",
            {
                "each step's as: name": event_with_before,
                "its each: field (a step with each:)": "one element of the event's list",
            },
        ),
        ("procedure: applies; step: applies, done, residue", shown(scopes.pair())),
        (
            "procedure step: match",
            {
                **shown(scopes.pair(event=scopes.event)),
                "event.<each: field> (a step with each:)": "one element of the event's list",
            },
        ),
        ("procedure rule: message and fix", shown(scopes.procedure_rule())),
        (
            "procedure with change: event: applies; step: applies, done, residue",
            {"change": f"the change, {event_with_before}"},
        ),
        (
            "procedure step (change: event): match",
            {
                "event": records["event"],
                "change": "as above",
            },
        ),
        (
            "procedure rule over change: event procedures: message and fix",
            {
                "step, procedure, problem": "as for a move",
                "consequence": "what the broken steps leave, in the pack's words (each "
                "residue's says: or its outcome's describe), as a move's says what the "
                "replayed estate shows",
                "change": "as above",
            },
        ),
        ("decision table (subject: group) and its claims", shown(scopes.overlap())),
        (
            "decision table (subject: policy, instance, binding or event) and its claims",
            {"(the subject's fields)": "as the check rule over the same subjects"},
        ),
    ]


def expression_reference(vocabulary: Vocabulary) -> str:
    """The expression language's reference (Markdown), with the names of ``vocabulary``."""
    return render(places(Scopes(vocabulary)))
