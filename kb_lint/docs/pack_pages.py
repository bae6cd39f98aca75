"""A rule pack's own pages (overview, assumptions, history) and what its other pages share."""

from __future__ import annotations

from kb_lint.docs.escape import code, details, link, paragraphs, table, text, title
from kb_lint.docs.origins import assumption_anchor, deciding_nothing
from kb_lint.docs.outcomes import field_label, show
from kb_lint.docs.paths import (
    pack_page,
    procedure_page,
    relative,
    table_page,
)
from kb_lint.docs.rule_pages import rule_link
from kb_lint.docs.sources import SiteSources
from kb_lint.pack.model import OutcomeField, RulePack

# Three versions meet on a pack's pages; each says what it is the version of.
VERSIONS = (
    "The **pack version** is the version of these rules (each rule says since when it exists and "
    "when it last changed); the **article revision** is the KB article's own. The version in "
    "the site's header, when there is one, is the published version of this site, and "
    "`kb-lint --version` prints the version of the tool that checks deployments."
)


# How an outcome predicted by several findings is combined, in words.
MERGED = {
    "any": "yes if any of them says yes",
    "all": "yes if all of them say yes",
    "max": "the largest",
    "min": "the smallest",
    "sum": "their sum",
    "union": "everything any of them lists",
    "first": "the first finding's",
}


def _kind(spec: OutcomeField) -> str:
    """What kind of value an outcome is, in words."""
    if spec.type == "enum":
        return "one of: " + ", ".join(show(v) for v in spec.values)
    return {"boolean": "yes or no", "integer": "a number", "list": "a list"}.get(spec.type, "text")


def render_overview(pack: RulePack, sources: SiteSources) -> str:
    page = pack_page(pack.id, "index")
    article = sources.article(pack.article)
    source = (
        link(f"KB article {text(pack.article)}", relative(page, article.page))
        if article
        else f"KB article {text(pack.article)}"
    )
    facts = [
        f"**Article:** {source}, {text(pack.title)}",
        f"**Article revision:** {text(pack.revision)}",
        f"**Article last updated:** {text(pack.updated)}",
        f"**Pack version:** {text(pack.version)}",
    ]
    pages = [
        (
            "Predicted and simulated outcomes" if pack.simulation else "Predicted outcomes",
            pack_page(pack.id, "outcomes"),
        ),
        ("Stated assumptions", pack_page(pack.id, "assumptions")),
        ("Version history", pack_page(pack.id, "history")),
    ]
    parts = [
        f"# Rule pack {text(pack.id)}: {title(pack.title)}",
        "\n".join(f"- {fact}" for fact in facts),
        VERSIONS,
        "\n".join(f"- {link(text(label), relative(page, target))}" for label, target in pages),
        f"## Rules ({len(pack.rules)})",
        "\n".join(f"- {rule_link(page, rule)}: {text(rule.title)}" for rule in pack.rules),
    ]
    if pack.tables:
        parts += [
            "## Decision tables",
            "\n".join(
                f"- {link(text(t.title), relative(page, table_page(pack.id, t.id)))}"
                for t in pack.tables.values()
            ),
        ]
    if pack.procedures:
        parts += [
            "## Procedures",
            "\n".join(
                f"- {link(text(p.title), relative(page, procedure_page(pack.id, p.id)))}"
                for p in pack.procedures.values()
            ),
        ]
    if undecided := deciding_nothing(pack):
        parts += [
            "## Assumptions that decide no row, step or rule",
            "\n".join(f"- **{text(a.id)} {text(a.title)}.** {text(a.text)}" for a in undecided),
        ]
    parts += _vocabulary(pack)
    parts += [
        "## Outcomes",
        "What the rules of this pack predict about a deployment:",
        table(
            ["Outcome", "Its value", "When several findings predict it", "Otherwise"],
            [
                [field_label(spec), _kind(spec), MERGED[spec.merge], show(spec.default)]
                for spec in pack.outcomes.values()
            ],
        ),
    ]
    return "\n\n".join(parts) + "\n"


def _vocabulary(pack: RulePack) -> list[str]:
    """The fields and timeline actions the pack adds to the deployment format."""
    parts = []
    if pack.fields:
        parts += [
            "## Fields",
            "Settings this pack adds to deployment files (see the "
            "[deployment format](../../reference/deployment-format.md)):",
            table(
                ["Field", "Of", "Type", "Default", "Unit", "Description"],
                [
                    [
                        code(f.name),
                        text(f.scope),
                        text(f.type)
                        + (": " + ", ".join(code(str(v)) for v in f.values) if f.values else ""),
                        f"computed: {code(f.default_text)}" if f.default_text else show(f.default),
                        text(f.unit),
                        text(f.description),
                    ]
                    for f in pack.fields
                ],
            ),
        ]
    if pack.actions:
        parts += [
            "## Timeline actions",
            table(
                ["Action", "An event gives", "It changes", "Description"],
                [
                    [
                        code(a.name),
                        ", ".join(map(code, a.needs))
                        + (" (a user its policy assigns then)" if a.assigned_user else ""),
                        ", ".join(
                            [*map(code, a.sets), *(["removes the policy"] * bool(a.removes))]
                        ),
                        text(a.description),
                    ]
                    for a in pack.actions
                ],
            ),
        ]
    return parts


def render_assumptions(pack: RulePack) -> str:
    parts = [
        f"# Stated assumptions of {text(pack.id)}",
        f"KB article {text(pack.article)} leaves cases open. The rule pack decides each one "
        "explicitly; the rules, decision tables and the simulator follow these decisions.",
    ]
    for assumption in pack.assumptions:
        parts += [
            f"## {text(assumption.id)}: {text(assumption.title)} "
            f"{{#{assumption_anchor(assumption.id)}}}",
            paragraphs(assumption.text),
        ]
    if not pack.assumptions:
        parts.append("This pack states no assumptions.")
    return "\n\n".join(parts) + "\n"


def render_history(pack: RulePack) -> str:
    page = pack_page(pack.id, "history")
    parts = [
        f"# Version history of {text(pack.id)}",
        f"The current version is {text(pack.version)}.",
    ]
    versions: list[str] = [str(entry["version"]) for entry in pack.history]
    for rule in pack.rules:
        for version in (rule.since, rule.changed):
            if version is not None and version not in versions:
                versions.append(version)
    notes = {str(e["version"]): e for e in pack.history}
    for version in sorted(versions, key=_version_key, reverse=True):
        parts.append(f"## {text(version)}")
        entry = notes.get(version)
        if entry is not None:
            parts.append(f"*{text(entry['date'])}* — {text(entry['changes'])}")
        added = [r for r in pack.rules if r.since == version]
        modified = [r for r in pack.rules if r.changed == version and r not in added]
        for label, rules in (("Added", added), ("Changed", modified)):
            if rules:
                listed = "\n".join(f"- {rule_link(page, r)}: {text(r.title)}" for r in rules)
                parts.append(f"{label}:\n\n{listed}")
    return "\n\n".join(parts) + "\n"


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def for_authors(expressions: list[tuple[str, str]]) -> str:
    """The expressions behind a page's words, folded away for pack authors ("" if none)."""
    if not expressions:
        return ""
    items = "".join(
        f"<li>{text(what)}: <code>{text(source)}</code></li>" for what, source in expressions
    )
    return details("The expressions, for pack authors", f"<ul>{items}</ul>")


def undescribed(source: str) -> str:
    return f"{code(source)} (not described in words)"


def pack_link(page: str, pack: RulePack) -> str:
    return link(text(pack.id), relative(page, pack_page(pack.id, "index")))
