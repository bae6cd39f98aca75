"""``kb-lint explain actions`` and ``kb-lint explain fields``: every timeline action and every
field the loaded packs declare, with the packs that declare it, so that an author looks for the
vocabulary another pack already gives a Riva operation or setting before declaring a second
one (a plan written in one vocabulary is judged only by the packs that read it).

Cost: one pass over the packs' actions and fields.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from kb_lint.model.fields import BUILTIN_ACTIONS, SCOPES, Field, builtin_fields
from kb_lint.pack.model import RulePack

WIDTH = 88
LOOK_FIRST = (
    "Before declaring an action or a field, look here for one another pack declares for the "
    "same Riva operation or setting: name its action (a rule may name any loaded pack's), "
    "and add a value its enum lacks with `extends:` (kb-lint explain authoring)."
)


def actions_text(packs: Sequence[RulePack]) -> str:
    """Each action: the packs that declare it, what its events give, what it changes."""
    lines = [
        "Timeline actions",
        "",
        _wrap(f"Built in: {', '.join(BUILTIN_ACTIONS)}."),
        "",
        _wrap(LOOK_FIRST),
        "",
    ]
    declaring: dict[str, list[RulePack]] = {}
    for pack in packs:
        for action in pack.actions:
            declaring.setdefault(action.name, []).append(pack)
    for name, owners in sorted(declaring.items()):
        action = next(a for a in owners[0].actions if a.name == name)
        lines.append(f"{name}  ({', '.join(p.id for p in owners)})")
        said = [f"gives: {', '.join(action.needs)}"]
        if action.sets:
            said.append(f"changes: {', '.join(action.sets)}")
        if action.removes:
            said.append(f"removes the {action.removes} it names")
        if action.assigned_user:
            said.append("names a user its policy assigns then")
        lines.append(_wrap("; ".join(said), "    "))
        lines.append(_wrap(action.description, "    "))
    if not declaring:
        lines.append("No loaded pack declares an action.")
    return "\n".join(lines) + "\n"


def fields_text(packs: Sequence[RulePack]) -> str:
    """Each field by record: the packs that declare it, its type and values (a value another
    pack adds, with that pack), and its description."""
    lines = ["Fields", "", _wrap(LOOK_FIRST)]
    for scope in SCOPES:
        built = [f.name for f in builtin_fields() if f.scope == scope]
        lines += ["", f"{scope}:", _wrap(f"Built in: {', '.join(built)}.", "  ")]
        declaring: dict[str, list[tuple[RulePack, Field]]] = {}
        for pack in packs:
            for f in pack.fields:
                if f.scope == scope:
                    declaring.setdefault(f.name, []).append((pack, f))
        for name, found in sorted(declaring.items()):
            lines.append(f"  {name}  {_kind(found)}  ({', '.join(p.id for p, _ in found)})")
            description = next((f.description for _, f in found if not f.extends), "")
            lines.append(_wrap(description or found[0][1].description, "      "))
    return "\n".join(lines) + "\n"


def _kind(found: list[tuple[RulePack, Field]]) -> str:
    """A field's type, with its values: the declaring pack's, then each that another adds."""
    plain = next((f for _, f in found if not f.extends), found[0][1])
    if plain.type != "enum" and not plain.values:
        return plain.type
    added = {v for _, f in found for v, _ in f.added}
    values = [str(v) for v in plain.values if v not in added]
    for pack, f in found:
        values += [f"{v} (added by {pack.id})" for v, _ in f.added]
    return f"{plain.type}: {', '.join(values)}"


def _wrap(text: str, indent: str = "") -> str:
    plain = " ".join(text.replace("`", "").split())
    return textwrap.fill(plain, WIDTH, initial_indent=indent, subsequent_indent=indent)
