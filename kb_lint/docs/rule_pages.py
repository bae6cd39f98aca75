"""The rules index and one page per rule, in the manner of Ruff's rule pages."""

from __future__ import annotations

from kb_lint.docs.citing import citation_link, quoted
from kb_lint.docs.escape import code, fenced, link, paragraphs, table, text, title
from kb_lint.docs.outcomes import show, show_value
from kb_lint.docs.paths import (
    RULES_INDEX,
    pack_page,
    procedure_page,
    relative,
    rule_page,
    table_page,
)
from kb_lint.docs.sources import ExampleCase, SiteSources
from kb_lint.pack.model import Rule, RulePack

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}


def severity(rule: Rule) -> str:
    """The rule's severity as a badge (styled by the plugin's stylesheet; plain text without)."""
    label = SEVERITY_LABELS[rule.severity]
    return f'<span class="kb-lint-badge kb-lint-{rule.severity}">{label}</span>'


def since(rule: Rule, pack: RulePack) -> str:
    return rule.since or pack.version


def changed(rule: Rule, pack: RulePack) -> str:
    return rule.changed or since(rule, pack)


def rule_link(source: str, rule: Rule) -> str:
    """A link to the rule's page, labelled with its id, titled with its title."""
    return link(text(rule.id), relative(source, rule_page(rule.id)), rule.title)


def render_index(sources: SiteSources) -> str:
    page = RULES_INDEX
    parts = [
        "# Rules",
        "Every rule kb-lint checks, by rule pack. Each rule encodes a section of a KB article; "
        "its page shows the article text, an example that fails and one that passes, "
        "the outcome it predicts and the fix.",
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
                citation_link(page, sources, rule.cites),
                text(since(rule, pack)),
                text(changed(rule, pack)),
            ]
            for rule in pack.rules
        ]
        parts.append(table(["Rule", "Title", "Severity", "Article", "Since", "Changed"], rows))
    return "\n\n".join(parts) + "\n"


def render_rule(rule: Rule, pack: RulePack, sources: SiteSources) -> str:
    page = rule_page(rule.id)
    cases = sources.examples.get(rule.id, ())
    parts = [
        f"# {title(rule.id)}: {title(rule.title)}",
        _facts(page, rule, pack, sources),
        "## What it checks",
        paragraphs(rule.summary),
    ]
    if rule.why:
        parts += ["## Why is this bad?", paragraphs(rule.why)]
    parts += ["## What the article says", _article(page, rule, sources)]
    parts += ["## Message", f"A finding reads: {code(rule.message.source)}"]
    parts += _examples(cases)
    parts += ["## Predicted outcome", _prediction(page, rule, pack, cases)]
    if rule.fix is not None or rule.procedures:
        parts += ["## Fix", *_fix(page, rule, pack)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _facts(page: str, rule: Rule, pack: RulePack, sources: SiteSources) -> str:
    facts = [
        f"**Severity:** {severity(rule)}",
        f"**Kind:** {text(rule.kind)}",
        f"**Pack:** {link(text(pack.id), relative(page, pack_page(pack.id, 'index')))}",
        f"**Since:** {text(since(rule, pack))}",
        f"**Last changed:** {text(changed(rule, pack))}",
        f"**Article:** {citation_link(page, sources, rule.cites)}",
    ]
    return " · ".join(facts)


def _article(page: str, rule: Rule, sources: SiteSources) -> str:
    cited = citation_link(page, sources, rule.cites)
    quote = quoted(sources, rule.cites)
    return f"The rule cites {cited}." if quote is None else f"From {cited}:\n\n{quote}"


def _examples(cases: tuple[ExampleCase, ...]) -> list[str]:
    failing = next((c for c in cases if c.expect == "fail"), None)
    passing = next((c for c in cases if c.expect == "pass"), None)
    parts: list[str] = []
    for case, verdict in ((failing, "fails"), (passing, "passes")):
        if case is None:
            continue
        heading = "## Example" if verdict == "fails" else "## Use instead"
        parts.append(heading)
        described = f" {text(case.description)}" if case.description else ""
        parts.append(f"This deployment {verdict} ({code(case.name)}).{described}")
        parts.append(fenced(case.text, "yaml"))
        if verdict == "fails" and case.findings:
            parts.append("kb-lint reports:")
            parts.append(
                "\n".join(
                    f"- {code(f'{f.location.line}:{f.location.column}')} {text(f.message)}"
                    for f in case.findings
                )
            )
    others = [c for c in cases if c not in (failing, passing)]
    if others:
        parts.append("## Other examples")
        rows = [[code(c.name), text(c.expect), text(c.description)] for c in others]
        parts.append(table(["Deployment", "Verdict", "What it shows"], rows))
    return parts


def _prediction(page: str, rule: Rule, pack: RulePack, cases: tuple[ExampleCase, ...]) -> str:
    parts = []
    if rule.predict is not None:
        decision = pack.tables[rule.predict]
        target = relative(page, table_page(pack.id, decision.id))
        parts.append(
            f"The outcome is decided by the decision table {link(text(decision.title), target)}."
        )
    elif rule.outcome is not None:
        rows = [[code(name), show_value(value)] for name, value in rule.outcome.items()]
        parts.append("Every finding predicts:")
        parts.append(table(["Outcome", "Value"], rows))
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
    spoken = set(rule.outcome or {})
    if rule.predict is not None:
        spoken.update(n for row in pack.tables[rule.predict].rows for n in row.then)
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
    return table(["Deployment", *(code(n) for n in names)], rows)


def _fix(page: str, rule: Rule, pack: RulePack) -> list[str]:
    parts = []
    if rule.fix is not None:
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
