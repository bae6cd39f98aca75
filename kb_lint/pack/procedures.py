"""A pack's procedures: the ordered steps a change must follow, each with the event that
performs it (``match``), when it is already done, what leaving it out leaves behind (``residue``,
literal, expressions over the move's ``source`` and ``target``, or a table's prediction).
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
    for n, spec in enumerate(raw["steps"]):
        sp = (*pointer, "steps", n)
        if "each" in spec and n == len(raw["steps"]) - 1:
            raise compiler.fail(
                (*sp, "each"),
                "the last step is the change itself, judged per event: 'each' is read on the "
                "steps before it",
            )
        event = Record("event", compiler.each(sp, spec, dict(compiler.event.fields), "event"))
        residue = dict(spec.get("residue", {}))
        table = residue.pop("predict", None)
        if table is not None and table not in compiler.tables:
            raise compiler.fail((*sp, "residue", "predict"), f"unknown table '{table}'")
        steps.append(
            Step(
                number=n + 1,
                id=spec["id"],
                text=spec["text"],
                action=spec["action"],
                location=compiler.loc(sp),
                match=compiler.expr((*sp, "match"), compiler.pair(event=event))
                if "match" in spec
                else None,
                done=compiler.expr((*sp, "done"), compiler.pair()) if "done" in spec else None,
                covers=frozenset(spec.get("covers", ())),
                residue=compiler.outcome((*sp, "residue"), residue, compiler.pair()),
                residue_table=table,
                item=spec.get("cites", {}).get("item"),
                says=compiler.says((*sp, "says"), spec.get("says", {}), residue),
                applies=compiler.expr((*sp, "applies"), compiler.pair())
                if "applies" in spec
                else None,
                each=spec.get("each"),
            )
        )
    return Procedure(
        id=raw["id"],
        title=raw["title"],
        steps=tuple(steps),
        location=compiler.loc(pointer),
        applies=compiler.expr((*pointer, "applies"), compiler.pair()) if "applies" in raw else None,
        cites=compiler.cite(f"procedure:{raw['id']}", (*pointer, "cites"), raw.get("cites")),
        says=raw.get("says", ""),
    )
