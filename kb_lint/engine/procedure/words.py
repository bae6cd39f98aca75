"""The words of a procedure finding: which steps ("step 3, bullets 1–5"), what is wrong with
them, and where each was done."""

from __future__ import annotations

from typing import Any

from kb_lint.model.timeline import Event
from kb_lint.pack.model import Procedure, RulePack, Step

MISSING, OUT_OF_ORDER, LATE = "is missing before", "comes out of order before", "comes after"
UNFOLLOWED = "are not followed before"
# a step after the change (``change: true`` on an earlier step than the last)
MISSING_AFTER, OUT_OF_ORDER_AFTER = "is not done after", "comes out of order after"
UNFOLLOWED_AFTER = "are not followed after"
AFTER = frozenset({MISSING_AFTER, OUT_OF_ORDER_AFTER})
SAID = {
    MISSING: "is left out",
    OUT_OF_ORDER: "comes out of order",
    LATE: "comes after the change",
    UNFOLLOWED: "are not followed in order",
    MISSING_AFTER: "is not done after the change",
    OUT_OF_ORDER_AFTER: "comes out of order after the change",
    UNFOLLOWED_AFTER: "are not followed in order after the change",
}
Broken = tuple[Step, str, Event | None]  # a step, its problem, the event that did it (if any)


def said(group: list[Broken]) -> tuple[list[Step], str, bool]:
    """The broken steps of one finding, their problem, and whether they are several (steps,
    bullets or parts of one: "step 3, bullets 1–5 are missing")."""
    steps = [step for step, _, _ in group]
    problems = {p for _, p, _ in group}
    several = UNFOLLOWED_AFTER if problems <= AFTER else UNFOLLOWED
    problem = group[0][1] if len(problems) == 1 else several
    return steps, problem, len(steps) > 1


def names(procedure: Procedure, steps: list[Step], problem: str, several: bool) -> dict[str, Any]:
    """What a procedure rule's message reads of the broken steps, whatever the change."""
    return {
        "step": {
            "id": ", ".join(s.id for s in steps),
            "text": " ".join(s.text.strip() for s in steps),
            "number": steps[0].number,
            "place": places(procedure, steps),
        },
        "procedure": {"id": procedure.id, "title": procedure.title},
        "problem": plural(problem) if several else problem,
    }


def places(procedure: Procedure, steps: list[Step]) -> str:
    """ "step 1", "step 3, bullets 1–5" for several bullets of one step, "steps 2a and 2b" for
    parts of one done in order (``in_order``), "steps 1 and 3" or "step 1 and step 2, bullets
    1–3" for several steps (of a procedure of the pack's own, one finding for them all)."""
    groups: dict[object, list[Step]] = {}
    for step in steps:
        groups.setdefault(step.item, []).append(step)
    shown = [place for group in groups.values() for place in _bullets(procedure, group)]
    if len(shown) == 1:
        return shown[0]
    if not any("bullet" in place for place in shown):
        shown = [place.removeprefix("step ") for place in shown]
        return f"steps {', '.join(shown[:-1])} and {shown[-1]}"
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _bullets(procedure: Procedure, group: list[Step]) -> list[str]:
    """ "step 3, bullet 2", or "step 3, bullets 1–5" for several bullets of one step; each
    part of a step done in order on its own ("step 2a", "step 2b")."""
    if len(group) == 1 or group[0].part:
        return [procedure.place(step) for step in group]
    bullets = [int(procedure.place(s).rsplit(" ", 1)[-1]) for s in group]
    shown = (
        f"{bullets[0]}–{bullets[-1]}"
        if bullets == list(range(bullets[0], bullets[-1] + 1))
        else ", ".join(map(str, bullets))
    )
    return [f"step {group[0].item}, bullets {shown}"]


def related(procedure: Procedure, group: list[Broken]) -> list[tuple[Any, str]]:
    """Where each broken step was done, one line per event."""
    done: dict[int, tuple[Event, list[Step]]] = {}
    for step, _, found in group:
        if found is not None:
            done.setdefault(found.index, (found, []))[1].append(step)
    return [
        (event.pointer, f"{places(procedure, steps)} done here") for event, steps in done.values()
    ]


def left_behind(pack: RulePack, steps: list[Step]) -> str:
    """What leaving ``steps`` out leaves, in the pack's words: an expression's ``says`` (which
    ``rules check`` makes the author write), a literal's outcome described (a list or a number
    with its value), a table's prediction by its title; a literal at the outcome's default
    says nothing and is left out."""
    said = []
    for step in steps:
        if step.residue_table is not None:
            said.append(f"what '{pack.tables[step.residue_table].title}' predicts")
        for name, value in step.residue.items():
            spec = pack.outcomes[name]
            if value.expr is not None:
                said.append(step.says.get(name) or spec.heading)
            elif value.literal != spec.default:
                said.append(_literal(spec.heading, value.literal))
    return "; ".join(dict.fromkeys(said))


def _literal(heading: str, value: Any) -> str:
    """An outcome's literal residue in words: a true boolean is its heading alone."""
    if value is True:
        return heading
    if isinstance(value, bool):
        return f"{heading}: no"
    return f"{heading}: {', '.join(map(str, value)) if isinstance(value, list) else value}"


def plural(words: str) -> str:
    """The verb of ``words`` for several steps."""
    for one, many in (("is ", "are "), ("comes ", "come ")):
        if words.startswith(one):
            return many + words.removeprefix(one)
    return words


def why(
    procedure: Procedure,
    steps: list[Step],
    problem: str,
    because: list[str],
    several: bool,
    consequence: str,
) -> str:
    """The finding's ``why``: which steps, what is wrong, what it leaves, and the article's
    items it rests on."""
    article = [b for b in dict.fromkeys(because) if not b.startswith(f"{procedure.id}/")]
    wrong = plural(SAID[problem]) if several else SAID[problem]
    words = f"{places(procedure, steps)} of {procedure.id} {wrong}; {consequence}"
    return f"{words} ({', '.join(article)})" if article else words
