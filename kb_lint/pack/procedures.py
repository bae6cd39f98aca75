"""A pack's procedures: the ordered steps a change must follow, each with the event that
performs it (``match``), when it is already done, what leaving it out leaves behind (``residue``,
literal, expressions over the move's ``source`` and ``target``, or a table's prediction).

The change is the last step: by default (``change: move``) an event that adds a user another
instance holds or held, a move between two bindings; with ``change: event``, any event of the
last step's action (a user removed, a policy disabled), which the expressions read as
``change``, as a sequence step sees its event (``before``, ``bindings``, ``policies``).

Entries that are bullets of one step (done in any order among themselves) say so by the step
they belong to: the article's item they cite (``cites.item``) in a procedure from the article,
or ``step: N`` in a procedure of the pack's own (every entry then names its step: 1, 2, ...,
in order, each number once or as a run of bullets).

A step with ``each`` is done by one element of a list field of its event (one mailbox of a
clean-up run that names several), which ``match`` reads as ``event.<field>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb_lint.expr.shapes import Record
from kb_lint.pack.model import Procedure, Step

if TYPE_CHECKING:
    from kb_lint.load import Pointer
    from kb_lint.pack.load import PackCompiler


def compile_procedure(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> Procedure:
    steps = []
    items = _items(compiler, pointer, raw)
    change = raw.get("change", "move")
    names = compiler.scopes.procedure(change)
    for n, spec in enumerate(raw["steps"]):
        sp = (*pointer, "steps", n)
        if n == len(raw["steps"]) - 1:
            _last_step_keys(compiler, sp, spec, change)
        event = Record("event", compiler.each(sp, spec, dict(compiler.event.fields), "event"))
        residue = dict(spec.get("residue", {}))
        table = residue.pop("predict", None)
        if table is not None and table not in compiler.tables:
            raise compiler.fail((*sp, "residue", "predict"), f"unknown table '{table}'")
        if table is not None and change == "event" and compiler.tables[table].subject != "event":
            raise compiler.fail(
                (*sp, "residue", "predict"),
                f"table '{table}' predicts for a {compiler.tables[table].subject}; a change: "
                "event procedure predicts for its change: give the table 'subject: event'",
            )
        steps.append(
            Step(
                number=n + 1,
                id=spec["id"],
                text=spec["text"],
                action=spec["action"],
                location=compiler.loc(sp),
                match=compiler.expr((*sp, "match"), compiler.scopes.procedure(change, event=event))
                if "match" in spec
                else None,
                done=compiler.expr((*sp, "done"), names) if "done" in spec else None,
                covers=frozenset(spec.get("covers", ())),
                residue=compiler.outcome((*sp, "residue"), residue, names),
                residue_table=table,
                item=items[n],
                says=compiler.says((*sp, "says"), spec.get("says", {}), residue),
                applies=compiler.expr((*sp, "applies"), names) if "applies" in spec else None,
                each=spec.get("each"),
                cites=compiler.part_cite(
                    f"procedure:{raw['id']}", sp, raw.get("cites", {}), spec.get("cites")
                ),
            )
        )
    return Procedure(
        id=raw["id"],
        title=raw["title"],
        steps=tuple(steps),
        location=compiler.loc(pointer),
        applies=compiler.expr((*pointer, "applies"), names) if "applies" in raw else None,
        cites=compiler.cite(f"procedure:{raw['id']}", (*pointer, "cites"), raw.get("cites")),
        says=raw.get("says", ""),
        change=change,
    )


# What the last step, the change itself, reads: a move is any add of a user another instance
# holds or held; an event change is an event of the step's action that its ``match`` accepts.
_LAST_STEP_READS = {"move": frozenset(), "event": frozenset({"match"})}


def _last_step_keys(
    compiler: PackCompiler, pointer: Pointer, spec: dict[str, Any], change: str
) -> None:
    """Refuse a key of the last step that the change never reads (``done``, ``residue``...:
    those of the steps before it)."""
    what = "a move" if change == "move" else "an event of its action"
    for key in ("each", "match", "done", "applies", "residue", "says"):
        if key in spec and key not in _LAST_STEP_READS[change]:
            raise compiler.fail(
                (*pointer, key),
                f"the last step is the change itself ({what}), never left out nor done early: "
                f"'{key}' is read only on the steps before it",
            )


def _items(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> list[int | None]:
    """The step each entry belongs to: its ``cites.item``, or its ``step`` in a procedure of the
    pack's own; refused when a numbering is partial, skips a number or comes back to one."""
    entries = raw["steps"]
    numbered = [n for n, spec in enumerate(entries) if "step" in spec]
    if not numbered:  # an item of another section is no step of the procedure
        own = raw.get("cites", {}).get("section")
        return [
            cites.get("item") if cites.get("section", own) == own else None
            for cites in (spec.get("cites", {}) for spec in entries)
        ]
    first = (*pointer, "steps", numbered[0], "step")
    if "cites" in raw:
        raise compiler.fail(
            first, "a procedure from the article numbers its steps by the items they cite"
        )
    if len(numbered) < len(entries):
        missing = next(n for n in range(len(entries)) if n not in numbered)
        raise compiler.fail(
            (*pointer, "steps", missing),
            "give every step of the procedure its step number, or none",
        )
    items = [spec["step"] for spec in entries]
    for n, (before, after) in enumerate(zip([0, *items], items, strict=False)):
        if after not in (before, before + 1):
            raise compiler.fail(
                (*pointer, "steps", n, "step"),
                f"step {after} after step {before}: number the steps 1, 2, ... in order, "
                "the bullets of one step together",
            )
    return items
