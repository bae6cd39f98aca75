"""The site as data: a pure function from the gathered sources to Markdown pages, and their nav."""

from __future__ import annotations

import json
from typing import Any

from kb_lint.docs.escape import title
from kb_lint.docs.outcome_pages import render_outcomes
from kb_lint.docs.pack_pages import render_assumptions, render_history, render_overview
from kb_lint.docs.paths import (
    DEPLOYMENT_FORMAT,
    EXPRESSIONS,
    PACK_FORMAT,
    RULES_INDEX,
    pack_page,
    procedure_page,
    rule_page,
    style_rule_page,
    table_page,
)
from kb_lint.docs.procedure_pages import render_procedure
from kb_lint.docs.rule_pages import render_index, render_rule, search_words
from kb_lint.docs.schema_pages import pack_format, schema_reference
from kb_lint.docs.sources import SiteSources
from kb_lint.docs.style_pages import own_rules, render_style_rule
from kb_lint.docs.table_pages import render_table
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.scopes import expression_reference

NavEntry = str | dict[str, Any]
# Search ranks a page's words by its boost: a rule's page and an article above the supporting
# pages (assumptions, outcomes, history) that repeat their words.
RULE_BOOST = ARTICLE_BOOST = 2
SUPPORT_BOOST = 0.5


DEPLOYMENT_INTRO = (
    "A deployment file (YAML or JSON; a CSV of assignments works too) describes Riva "
    "instances, their sync policies and assignments, and optionally a timeline of planned "
    "changes; a simulation scenario adds crm, seed and cycles, and places its timeline on "
    "cycles. Every field, generated from the schema kb-lint validates with "
    "(kb&#95;lint/schemas/deployment.schema.json): a field left out takes its default."
)


def boosted(markdown: str, boost: float, words: list[str] | None = None) -> str:
    """``markdown`` with front matter that sets its search boost and the words search finds it
    by first (``tags``; Material's search reads both)."""
    tags = f"tags: {json.dumps(words, ensure_ascii=False)}\n" if words else ""
    return f"---\nsearch:\n  boost: {boost}\n{tags}---\n\n{markdown}"


def render_site(sources: SiteSources) -> dict[str, str]:
    """Every generated page: {path relative to the docs folder: Markdown}."""
    pages = {RULES_INDEX: render_index(sources)}
    for pack in sources.packs:
        pages[pack_page(pack.id, "index")] = render_overview(pack, sources)
        for rule in pack.rules:
            pages[rule_page(rule.id)] = boosted(
                render_rule(rule, pack, sources), RULE_BOOST, search_words([rule], pack)
            )
        for decision in pack.tables.values():
            pages[table_page(pack.id, decision.id)] = render_table(pack, decision, sources)
        for procedure in pack.procedures.values():
            pages[procedure_page(pack.id, procedure.id)] = render_procedure(
                pack, procedure, sources
            )
        supporting = {
            "outcomes": render_outcomes(pack, sources),
            "assumptions": render_assumptions(pack),
            "history": render_history(pack),
        }
        for name, markdown in supporting.items():
            pages[pack_page(pack.id, name)] = boosted(markdown, SUPPORT_BOOST)
    for style in sources.styles:
        for rule in own_rules(style):
            page = render_style_rule(rule, style)
            pages[style_rule_page(style.name, rule.id)] = boosted(page, RULE_BOOST)
    if sources.deployment_schema is not None:
        pages[DEPLOYMENT_FORMAT] = schema_reference(
            sources.deployment_schema,
            "Deployment and scenario files",
            DEPLOYMENT_INTRO,
        )
    pages[EXPRESSIONS] = expression_reference(vocabulary_of(sources.packs))
    pages[PACK_FORMAT] = pack_format()
    return pages


def site_nav(sources: SiteSources) -> list[NavEntry]:
    """MkDocs nav entries for the generated pages and the articles; page titles come from the
    pages' own headings, so no value from a rule file is written into the nav unescaped."""
    packs: list[NavEntry] = []
    for pack in sources.packs:
        entries: list[NavEntry] = [pack_page(pack.id, "index")]
        entries.append({"Rules": [rule_page(r.id) for r in pack.rules]})
        if pack.tables:
            entries.append({"Decision tables": [table_page(pack.id, t) for t in pack.tables]})
        if pack.procedures:
            entries.append({"Procedures": [procedure_page(pack.id, p) for p in pack.procedures]})
        entries += [pack_page(pack.id, name) for name in ("outcomes", "assumptions", "history")]
        packs.append({title(f"{pack.id}: {pack.title}"): entries})
    styles: list[NavEntry] = [
        {f"Style {style.name}": [style_rule_page(style.name, r.id) for r in own_rules(style)]}
        for style in sources.styles
    ]
    if styles:
        packs.append({"Article rules": styles})
    nav: list[NavEntry] = [{"Rules": [RULES_INDEX, *packs]}]
    if sources.deployment_schema is not None:
        nav.append({"Reference": [DEPLOYMENT_FORMAT, PACK_FORMAT, EXPRESSIONS]})
    else:
        nav.append({"Reference": [PACK_FORMAT, EXPRESSIONS]})
    if sources.articles:
        nav.append({"Articles": [a.page for a in sources.articles]})
    return nav
