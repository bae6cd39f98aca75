"""The rules index and one page per rule, in the manner of Ruff's rule pages.

A rule page shows its failing example whole, with the file's own line numbers and the lines
the findings point at highlighted; the message and fix as kb-lint writes them on that example
(the templates folded away for pack authors); "Use instead": the example that ``fixes:`` it,
as a diff; and how to ignore or waive the rule.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from kb_lint.docs.citing import citation_link, quoted
from kb_lint.docs.escape import code, details, fenced, link, paragraphs, table, text, title
from kb_lint.docs.origins import RULES, marks, rule_source
from kb_lint.docs.outcomes import outcome_heading, show, show_value
from kb_lint.docs.paths import (
    RULES_INDEX,
    pack_page,
    procedure_page,
    relative,
    rule_page,
    slug,
    table_page,
)
from kb_lint.docs.sources import ExampleCase, SiteSources
from kb_lint.docs.style_pages import render_style_index
from kb_lint.pack.claims import deciding
from kb_lint.pack.model import Rule, RulePack, Template

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}


def severity(rule: Rule) -> str:
    """The rule's severity as a badge (styled by the plugin's stylesheet; plain text without)."""
    label = SEVERITY_LABELS[rule.severity]
    return f'<span class="kb-lint-badge kb-lint-{rule.severity}">{label}</span>'


def since(rule: Rule) -> str:
    """The version the rule appeared in, as its pack says (``rules check`` requires it)."""
    return rule.since or "—"


def changed(rule: Rule) -> str:
    return rule.changed or since(rule)


def rule_link(source: str, rule: Rule) -> str:
    """A link to the rule's page, labelled with its id, titled with its title."""
    return link(text(rule.id), relative(source, rule_page(rule.id)), rule.title)


def render_index(sources: SiteSources) -> str:
    page = RULES_INDEX
    parts = [
        "# Rules",
        "Every rule kb-lint checks: the deployment rules, by rule pack (each encodes a section "
        "of a KB article; its page shows the article text, an example that fails and the same "
        "example fixed, the outcome it predicts and the fix), then the article rules, by house "
        "style.",
    ]
    for pack in sources.packs:
        overview = relative(page, pack_page(pack.id, "index"))
        parts.append(f"## {text(pack.id)}: {text(pack.title)}")
        parts.append(
            f"Rule pack {link(text(pack.id), overview)}, version {text(pack.version)}, "
            f"encodes KB article {text(pack.article)} (revision {text(pack.revision)})."
        )
        rows = [
            [
                rule_link(page, rule),
                text(rule.title),
                severity(rule),
                _places(page, sources, rule),
                text(since(rule)),
                text(changed(rule)),
            ]
            for rule in pack.rules
        ]
        parts.append(table(["Rule", "Title", "Severity", "Article", "Since", "Changed"], rows))
    if sources.styles:
        parts.append(render_style_index(sources.styles))
    return "\n\n".join(parts) + "\n"


def search_words(rules: list[Rule], pack: RulePack) -> list[str]:
    """What search finds the rules' pages (and their article) by first: the outcomes the
    article itself states (the pack's claims) for the tables the rules predict by. Material's
    search ranks a page's ``tags`` above its text; other outcome words rank as text."""
    tables = {rule.predict for rule in rules if rule.predict is not None}
    stated = {n for claim in pack.claims if claim.table in tables for n in claim.holds}
    return [spec.heading for n, spec in pack.outcomes.items() if n in stated]


def render_rule(rule: Rule, pack: RulePack, sources: SiteSources) -> str:
    page = rule_page(rule.id)
    cases = sources.examples.get(rule.id, ())
    parts = [
        f"# {title(rule.id)}: {title(rule.title)}",
        _facts(page, rule, pack, sources),
        "## What it checks",
        paragraphs(rule.summary),
    ]
    decided = deciding(pack, RULES, rule.id)
    cites = rule_source(page, pack, sources, rule.cites, decided)
    parts += ["## Why is this bad?", paragraphs(rule.why), f"Source: {cites}."]
    parts += ["## What the article says", _article(page, rule, sources)]
    failing, fixed = shown_examples(cases)
    parts += ["## Message", _message(rule, failing)]
    parts += _examples(cases, failing, fixed)
    parts += ["## Predicted outcome", _prediction(page, rule, pack, cases, decided)]
    if rule.fix is not None or rule.procedures:
        parts += ["## Fix", *_fix(page, rule, pack, failing)]
    parts += ["## Ignoring or waiving it", _waiving(rule, failing)]
    return "\n\n".join(p for p in parts if p) + "\n"


def shown_examples(
    cases: tuple[ExampleCase, ...],
) -> tuple[ExampleCase | None, ExampleCase | None]:
    """The failing example the page shows (the first with a fix) and the example fixing it."""
    fixes = {c.fixes.resolve(): c for c in cases if c.expect == "pass" and c.fixes is not None}
    failing = [c for c in cases if c.expect == "fail"]
    with_fix = [c for c in failing if c.file.resolve() in fixes]
    shown = (with_fix or failing or [None])[0]
    return shown, fixes.get(shown.file.resolve()) if shown is not None else None


def _template(label: str, template: Template) -> str:
    """A template, folded away for pack authors."""
    return details(text(label), f"<p><code>{text(template.source)}</code></p>")


def _message(rule: Rule, failing: ExampleCase | None) -> str:
    template = _template("The message template, for pack authors", rule.message)
    if failing is None or not failing.findings:
        return template
    first = failing.findings[0]
    return f"On the example below, kb-lint writes:\n\n> {text(first.message)}\n\n{template}"


def _facts(page: str, rule: Rule, pack: RulePack, sources: SiteSources) -> str:
    facts = [
        f"**Severity:** {severity(rule)}",
        f"**Kind:** {text(rule.kind)}",
        f"**Pack:** {link(text(pack.id), relative(page, pack_page(pack.id, 'index')))}",
        f"**Since:** {text(since(rule))}",
        f"**Last changed:** {text(changed(rule))}",
        f"**Article:** {_places(page, sources, rule)}",
    ]
    spoken = predicted_fields(rule, pack)
    if spoken:  # the outcome's words near the top: what search matches a page by first
        facts.append(f"**Predicts:** {', '.join(text(pack.outcomes[n].heading) for n in spoken)}")
    return " · ".join(facts)


def predicted_fields(rule: Rule, pack: RulePack) -> list[str]:
    """The outcome fields the rule predicts, in the pack's order."""
    named = set(rule.outcome or {})
    if rule.predict is not None:
        named.update(n for row in pack.tables[rule.predict].rows for n in row.then)
    return [n for n in pack.outcomes if n in named]


def _places(page: str, sources: SiteSources, rule: Rule) -> str:
    """A link to each place the rule cites."""
    return "; ".join(citation_link(page, sources, c) for c in rule.cites)


def _article(page: str, rule: Rule, sources: SiteSources) -> str:
    """Each place the rule cites, quoted."""
    parts = []
    for place in rule.cites:
        cited = citation_link(page, sources, place)
        quote = quoted(sources, place)
        parts.append(f"The rule cites {cited}." if quote is None else f"From {cited}:\n\n{quote}")
    return "\n\n".join(parts)


def _examples(
    cases: tuple[ExampleCase, ...], failing: ExampleCase | None, fixed: ExampleCase | None
) -> list[str]:
    parts: list[str] = []
    if failing is not None:
        described = f" {text(failing.description)}" if failing.description else ""
        parts += ["## Example", f"This deployment fails ({code(failing.name)}).{described}"]
        lines = sorted(_flagged_lines(failing))
        marked = f' hl_lines="{" ".join(map(str, lines))}"' if lines else ""
        parts.append(fenced(failing.text, "yaml", f'linenums="1"{marked}'))
        if failing.findings:
            parts.append("kb-lint reports (line:column):")
            parts.append(
                "\n".join(
                    f"- {code(f'{f.location.line}:{f.location.column}')} {text(f.message)}"
                    for f in failing.findings
                )
            )
    if failing is not None and fixed is not None:
        parts += [
            "## Use instead",
            f"The same deployment, fixed ({code(fixed.name)}): {_passes(fixed)}",
            fenced(_diff(failing, fixed), "diff"),
        ]
    others = [c for c in cases if c not in (failing, fixed)]
    if others:
        parts.append("## Other examples")
        rows = [
            [link(code(c.name), f"#{_anchor(c)}"), text(c.expect), text(c.description)]
            for c in others
        ]
        parts.append(table(["Deployment", "Verdict", "What it shows"], rows))
        parts += [_shown_file(c) for c in others]
    return parts


def _passes(fixed: ExampleCase) -> str:
    """What the fix passes: every rule, or every rule but the consequences it carries (the
    info rules with no fix its ``breaks:`` lists, ``rules check`` KB-RULES-015)."""
    if not fixed.breaks:
        return "it passes every rule."
    rules = ", ".join(map(code, fixed.breaks))
    states = "states a consequence" if len(fixed.breaks) == 1 else "state consequences"
    return (
        f"it passes every rule but {rules}, which {states} the fix carries too (what Riva "
        "will do, nothing to undo)."
    )


def _anchor(case: ExampleCase) -> str:
    return "example-" + slug(case.name)


def _shown_file(case: ExampleCase) -> str:
    """An example file, whole, folded under its name (the anchor the table links to)."""
    body = fenced(case.text, "yaml", 'linenums="1"')
    return (
        f'<details id="{_anchor(case)}" markdown="1">\n<summary>{code(case.name)}</summary>'
        f"\n\n{body}\n\n</details>"
    )


def _flagged_lines(case: ExampleCase) -> set[int]:
    """The lines of ``case``'s file that its findings point at, their own and related."""
    path = Path(case.file).resolve()
    found = set()
    for finding in case.findings:
        for location in (finding.location, *finding.related):
            if Path(location.path).resolve() == path:
                found.add(location.line)
    return found


def _diff(failing: ExampleCase, fixed: ExampleCase) -> str:
    return "\n".join(
        difflib.unified_diff(
            failing.text.splitlines(),
            fixed.text.splitlines(),
            failing.name,
            fixed.name,
            n=len(failing.text.splitlines()),
            lineterm="",
        )
    )


def _prediction(
    page: str,
    rule: Rule,
    pack: RulePack,
    cases: tuple[ExampleCase, ...],
    decided: tuple[str, ...],
) -> str:
    """How the rule's outcome is decided; a fixed outcome marked with the assumptions that
    decide the rule (``decided``)."""
    parts = []
    if rule.predict is not None:
        decision = pack.tables[rule.predict]
        target = relative(page, table_page(pack.id, decision.id))
        parts.append(
            f"The outcome is decided by the decision table {link(text(decision.title), target)}."
        )
    elif rule.outcome is not None:
        rows = [
            [
                outcome_heading(pack.outcomes[name]),
                show_value(value, rule.says.get(name)) + marks(page, pack, decided),
            ]
            for name, value in rule.outcome.items()
        ]
        parts.append("Every finding predicts:")
        parts.append(table(["Outcome", "Value"], rows))
    elif rule.procedures and rule.kind == "procedure":
        links = ", ".join(
            link(text(pack.procedures[p].title), relative(page, procedure_page(pack.id, p)))
            for p in rule.procedures
        )
        parts.append(
            "The outcome depends on the step left out: each step of "
            f"{links} says what it leaves behind if it is skipped."
        )
    else:
        parts.append(
            "This rule predicts no outcome: its findings say what is wrong, not what Riva will do."
        )
    predicted = [c for c in cases if c.predicted is not None]
    if predicted:
        parts.append("For the failing examples:")
        parts.append(_case_table(rule, pack, predicted))
    return "\n\n".join(parts)


def _case_table(rule: Rule, pack: RulePack, cases: list[ExampleCase]) -> str:
    """Failing examples against the outcome fields the rule speaks about."""
    spoken = set(predicted_fields(rule, pack))
    names = [
        n
        for n, spec in pack.outcomes.items()
        if n in spoken
        or any((c.predicted or {}).get(n, spec.default) != spec.default for c in cases)
    ]
    rows = [
        [code(c.name), *(show((c.predicted or {}).get(n, pack.outcomes[n].default)) for n in names)]
        for c in cases
    ]
    return table(["Deployment", *(outcome_heading(pack.outcomes[n]) for n in names)], rows)


def _fix(page: str, rule: Rule, pack: RulePack, failing: ExampleCase | None) -> list[str]:
    parts = []
    written = next((f.fix for f in (failing.findings if failing else ()) if f.fix), None)
    if rule.fix is not None and written is not None:
        parts.append(paragraphs(written))
        if any(not isinstance(part, str) for part in rule.fix.parts):
            parts.append(_template("The fix template, for pack authors", rule.fix))
    elif rule.fix is not None:
        parts.append(paragraphs(rule.fix.source))
    if rule.procedures:
        parts.append("Procedures:")
        items = []
        for procedure_id in rule.procedures:
            target = relative(page, procedure_page(pack.id, procedure_id))
            title = pack.procedures[procedure_id].title
            items.append(f"- {link(text(title), target)} ({text(procedure_id)})")
        parts.append("\n".join(items))
    return parts


def _waiving(rule: Rule, failing: ExampleCase | None) -> str:
    """How to turn the rule off, for some files, or for one known finding until a date."""
    subjects = [(f.subject or {}).get("email") for f in (failing.findings if failing else ())]
    subject = next((str(s) for s in subjects if s), "user@email.com")
    config = fenced(
        f'ignore = ["{rule.id}"]\n\n[per-file-ignores]\n"staging/*.yaml" = ["{rule.id}"]\n\n'
        f'[[waivers]]\nrule = "{rule.id}"\nsubject = "{subject}"\n'
        'reason = "trial ends Friday, migration ticket OPS-231"\nowner = "it-ops"\n'
        "expires = 2026-12-04",
        "toml",
    )
    return (
        f"Skip it for one run with {code(f'kb-lint check --ignore {rule.id}')}. In "
        f"{code('kb-lint.toml')} (or the {code('[tool.kb-lint]')} table of "
        f"{code('pyproject.toml')}), turn it off everywhere, for some files, or waive one "
        "known finding with a reason, an owner and an expiry date. A waiver matches a finding "
        "whose subject or message holds its subject; an expired waiver, and one that waives "
        f"nothing, are findings themselves.\n\n{config}"
    )
