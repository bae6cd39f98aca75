"""A procedure's page: its steps in the article's numbering, each with what it covers."""

from __future__ import annotations

from kb_lint.docs.citing import citation_link
from kb_lint.docs.escape import code, link, text, title
from kb_lint.docs.origins import marks, source
from kb_lint.docs.outcomes import show, show_value
from kb_lint.docs.pack_pages import for_authors, pack_link, undescribed
from kb_lint.docs.paths import (
    procedure_page,
    relative,
    table_page,
)
from kb_lint.docs.rule_pages import rule_link
from kb_lint.docs.sources import SiteSources
from kb_lint.pack.claims import deciding
from kb_lint.pack.model import Procedure, RulePack, Step


def render_procedure(pack: RulePack, procedure: Procedure, sources: SiteSources) -> str:
    page = procedure_page(pack.id, procedure.id)
    users = [r for r in pack.rules if procedure.id in r.procedures]
    parts = [f"# {title(procedure.title)}"]
    facts = [f"Procedure {code(procedure.id)} of {pack_link(page, pack)}"]
    if procedure.cites is not None:
        facts.append(f"from {citation_link(page, sources, procedure.cites)}")
    if users:
        facts.append("checked by " + ", ".join(rule_link(page, r) for r in users))
    parts.append("; ".join(facts) + ".")
    if procedure.applies is not None:
        says = procedure.says
        parts.append(f"When: {text(says) if says else undescribed(procedure.applies.source)}")
    bullets = (
        " (the bullets of one step in any order)"
        if any("bullet" in procedure.place(s) for s in procedure.steps)
        else ""
    )
    parts.append(
        f"Do the steps in order{bullets}. Under each step: what is left behind if it is skipped."
    )
    parts.append("\n".join(_step(page, pack, procedure, step, sources) for step in procedure.steps))
    shown = [("applies", procedure.applies.source)] if procedure.applies is not None else []
    shown += [
        (f"{procedure.place(step)}, {name}", value.expr.source)
        for step in procedure.steps
        for name, value in step.residue.items()
        if value.expr is not None
    ]
    parts.append(for_authors(shown))
    return "\n\n".join(p for p in parts if p) + "\n"


def _step(page: str, pack: RulePack, procedure: Procedure, step: Step, sources: SiteSources) -> str:
    place = procedure.place(step)  # the article's numbering: "step 3, bullet 2"
    lines = [f"- [ ] **{text(place.capitalize())}.** {text(step.text)}"]
    decided = deciding(pack, procedure.id, step.id)
    # its place in the procedure's section, then each item of another section, said as one
    cited = [(procedure.cites, step.item, place)] if procedure.own_step(step) else []
    cited += [(c, c.item, None) for c in procedure.elsewhere(step)]
    parts = [source(page, pack, sources, c, item, (), at) for c, item, at in cited if c]
    if decided or not parts:
        parts.append(source(page, pack, sources, None, None, decided))
    cites = "; ".join(parts)
    notes = [f"Timeline action: {code(step.action)}", f"Source: {cites}"]
    if step.covers:
        notes.append("Removes: " + ", ".join(text(c) for c in sorted(step.covers)))
    if step.residue_table is not None:
        decision = pack.tables[step.residue_table]
        target = relative(page, table_page(pack.id, decision.id))
        notes.append(
            f"If skipped: the overlap goes on, as {link(text(decision.title), target)} decides"
        )
    if step.residue:
        notes.append("If skipped:")
    if step is procedure.trigger and procedure.after:
        notes.append("The change the steps above prepare and the steps below follow")
    elif step is procedure.trigger and not step.residue and step.residue_table is None:
        notes.append("The change the steps above prepare")
    elif step in procedure.after:
        notes.append("Done after the change, before its next change")
    lines += [f"    - {d}" for d in notes]
    for name, value in step.residue.items():
        spec = pack.outcomes[name]
        if value.expr is None:
            said = (  # the description, unless the heading is it already
                f"{show(value.literal)} ({text(spec.describe)})"
                if spec.describe and spec.describe != spec.heading
                else show(value.literal)
            )
        else:
            said = show_value(value, step.says.get(name))
        lines.append(f"        - {text(spec.heading)}: {said}{marks(page, pack, decided)}")
    return "\n".join(lines)
