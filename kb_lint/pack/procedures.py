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
in order, each number once or as a run of bullets; an entry that cites an item of the
procedure's section takes its number from it, and a ``step`` beside it is refused). The steps
the procedure lists in ``in_order`` ("disable the policy, then save it") are done in the order
their entries are written instead, each entry a part of the step (``Step.part``: 2a, 2b).

A step may cite a list of places: the item of the procedure's section it is (its place), and
items of other sections it rests on (the Expected Challenge it prevents). A step that cites no
item of the procedure's section is a step of its own, right after the step before it; that
number cited by another step is an error at the step (its place would be said twice). Each
step's place (``Step.item``, ``Step.part``) is computed here, once, and every finding, why and
page says it (``Procedure.place``).

In a ``change: event`` procedure one step may say ``change: true``: it is the change, and the
steps after it are done after it (a restart after a refresh), in the one numbering of the
article's steps; ``done`` is read only before the change.

A step with ``each`` is done by one element of a list field of its event (one mailbox of a
clean-up run that names several), which ``match`` reads as ``event.<field>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb_lint.citations import Citation, places
from kb_lint.pack.model import Procedure, Step

if TYPE_CHECKING:
    from kb_lint.load import Pointer
    from kb_lint.pack.load import PackCompiler


def compile_procedure(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> Procedure:
    steps = []
    items = _places(compiler, pointer, raw)
    parts = _parts(compiler, pointer, raw, items)
    change = raw.get("change", "move")
    names = compiler.scopes.procedure(change)
    change_at = _change_step(compiler, pointer, raw["steps"], change)
    for n, spec in enumerate(raw["steps"]):
        sp = (*pointer, "steps", n)
        if n == change_at % len(raw["steps"]):
            _change_step_keys(compiler, sp, spec, change, change_at)
        elif change_at >= 0 and n > change_at and "done" in spec:
            raise compiler.fail(
                (*sp, "done"),
                "'done' (already so just before the change) is read only on the steps before "
                "the change: a step after it is done by an event after it",
            )
        event = compiler.event.having(compiler.each(sp, spec, dict(compiler.event.fields), "event"))
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
                part=parts[n],
                says=compiler.says((*sp, "says"), spec.get("says", {}), residue),
                applies=compiler.expr((*sp, "applies"), names) if "applies" in spec else None,
                each=spec.get("each"),
                cites=_cites(compiler, f"procedure:{raw['id']}", sp, raw, spec),
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
        change_at=change_at,
    )


def _change_step(
    compiler: PackCompiler, pointer: Pointer, steps: list[dict[str, Any]], change: str
) -> int:
    """The index of the step that is the change: the one that says ``change: true`` (in a
    ``change: event`` procedure, with steps after it), else -1, the last."""
    marked = [n for n, spec in enumerate(steps) if "change" in spec]
    if not marked:
        return -1
    at = (*pointer, "steps", marked[0], "change")
    if steps[marked[0]]["change"] is not True:
        raise compiler.fail(at, "say 'change: true' on the step that is the change, or nothing")
    if change != "event":
        raise compiler.fail(
            at,
            "a move is the procedure's last step: only a 'change: event' procedure's change "
            "may have steps after it",
        )
    if len(marked) > 1:
        raise compiler.fail(
            (*pointer, "steps", marked[1], "change"),
            f"step '{steps[marked[0]]['id']}' is the change already: a procedure has one change",
        )
    if marked[0] == len(steps) - 1:
        raise compiler.fail(
            at,
            "the last step is the change unless another says so: 'change: true' marks a change "
            "that has steps after it; drop it here",
        )
    return marked[0]


# What the change step reads: a move is any add of a user another instance
# holds or held; an event change is an event of the step's action that its ``match`` accepts.
_CHANGE_READS = {"move": frozenset(), "event": frozenset({"match"})}


def _change_step_keys(
    compiler: PackCompiler, pointer: Pointer, spec: dict[str, Any], change: str, change_at: int
) -> None:
    """Refuse a key of the change step (the last, or the one with ``change: true``) that the
    change never reads (``done``, ``residue``...: those of the other steps)."""
    what = "a move" if change == "move" else "an event of its action"
    step, others = ("the last step", "before it") if change_at < 0 else ("this step", "around it")
    for key in ("each", "match", "done", "applies", "residue", "says"):
        if key in spec and key not in _CHANGE_READS[change]:
            raise compiler.fail(
                (*pointer, key),
                f"{step} is the change itself ({what}), never left out nor done early: "
                f"'{key}' is read only on the steps {others}",
            )


def _cites(
    compiler: PackCompiler, owner: str, pointer: Pointer, raw: dict[str, Any], spec: dict[str, Any]
) -> tuple[Citation, ...]:
    """Every place a step cites (one, or a list), each in its own section or its procedure's."""
    if "cites" not in spec:
        return ()
    return tuple(
        citation
        for at, one in places((*pointer, "cites"), spec["cites"])
        if (citation := compiler.part_cite(owner, at, raw.get("cites", {}), one)) is not None
    )


def _places(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> list[int]:
    """The step each entry is, or is a bullet of: its ``step`` in a procedure of the pack's
    own (refused when a numbering is partial, skips a number or comes back to one), else the
    item of the procedure's section it cites (one: a second is refused), else the number after
    the step before it (refused when another entry cites that item)."""
    entries = raw["steps"]
    numbered = [n for n, spec in enumerate(entries) if "step" in spec]
    if numbered:
        return _numbered(compiler, pointer, raw, numbered)
    own = raw.get("cites", {}).get("section")
    if own is None:
        _no_section(compiler, pointer, raw)
    found: list[int] = []
    after: dict[int, int] = {}  # an entry that cites no item of the section: the step before
    for n, spec in enumerate(entries):
        at = (*pointer, "steps", n, "cites")
        cited = [
            (where, one["item"])
            for where, one in places(at, spec.get("cites", []))
            if one.get("section", own) == own and "item" in one
        ]
        if len(cited) > 1:
            where, item = cited[1]
            raise compiler.fail(
                where,
                f"a step is one step of the procedure (or a bullet of one): it cites item "
                f"{cited[0][1]} of its section already, not item {item} too",
            )
        if cited:
            found.append(cited[0][1])
        else:
            after[n] = found[-1] if found else 0
            found.append(after[n] + 1)
    for n, before in after.items():
        other = next((m for m, item in enumerate(found) if item == found[n] and m != n), None)
        if other is not None:
            step = entries[n]
            section = f"§ {own}" if own else "the procedure's section"
            place = f"the one after step {before}" if before else "the first"
            taken = "is that step too" if other in after else f"cites item {found[n]}"
            raise compiler.fail(
                (*pointer, "steps", n, "cites") if "cites" in step else (*pointer, "steps", n),
                f"step '{step['id']}' cites no item of {section}, so it is step {found[n]}, "
                f"{place}; '{entries[other]['id']}' {taken}: "
                f"cite the item of {section} this step is (or is a bullet of), with the other "
                "places it rests on in a list (cites: [{item: N}, {section: ..., item: ...}])",
            )
    return found


def _no_section(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> None:
    """Refuse, in a procedure that cites no section and numbers no step (``step: N``), a step
    that cites an item: its steps are numbered by position, so the number would not be the
    item's ("Step 5" for an entry citing item 4)."""
    for n, spec in enumerate(raw["steps"]):
        for where, one in places((*pointer, "steps", n, "cites"), spec.get("cites", [])):
            if "item" not in one:
                continue
            section = one.get("section")
            of = f"item {one['item']} of " + (f"§ {section}" if section else "no section")
            raise compiler.fail(
                where,
                f"step '{spec['id']}' cites {of}, but {raw['id']} cites no section, so its "
                "steps would be numbered by their position, not by the items they cite: give "
                "the procedure the section its steps are items of (cites: {section: "
                f"{section or '...'}}}), or number a procedure of the pack's own with 'step: N' "
                "on every step",
            )


def _numbered(
    compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any], numbered: list[int]
) -> list[int]:
    """The ``step`` numbers of a procedure of the pack's own."""
    entries = raw["steps"]
    own = raw.get("cites", {}).get("section")
    for n in numbered:
        at = (*pointer, "steps", n)
        cited = [
            one["item"]
            for _, one in places((*at, "cites"), entries[n].get("cites", []))
            if one.get("section", own) == own and "item" in one
        ]
        if cited:
            raise compiler.fail(
                (*at, "step"),
                f"the step cites item {cited[0]}, which gives its number (step {cited[0]}): "
                f"drop 'step: {entries[n]['step']}' ('step:' numbers the steps of a procedure "
                "of the pack's own, which cite no item)",
            )
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


def _parts(
    compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any], items: list[int]
) -> list[int]:
    """Each entry's part of its step: 1, 2, ... in the order written for the steps ``in_order``
    lists (each a step of two to 26 entries, 2a to 2z, listed once), 0 for the others."""
    parts = [0] * len(items)
    ordered = raw.get("in_order", ())
    for k, item in enumerate(ordered):
        at = (*pointer, "in_order", k)
        entries = [n for n, i in enumerate(items) if i == item]
        if item in ordered[:k]:
            raise compiler.fail(at, f"step {item} is listed in 'in_order' already")
        if not 2 <= len(entries) <= 26:
            has = {0: "no entry", 1: "one entry"}.get(len(entries), f"{len(entries)} entries")
            ids = ", ".join(repr(raw["steps"][n]["id"]) for n in entries)
            raise compiler.fail(
                at,
                f"step {item} has {has}{f' ({ids})' if ids else ''}: 'in_order' lists the "
                "steps of two to 26 entries (the steps the pack's entries cite or number) done "
                "in the order written",
            )
        for part, n in enumerate(entries, 1):
            parts[n] = part
    return parts
