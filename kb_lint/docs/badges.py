"""Rule badges on article pages: under each cited section's heading, links to the rules,
decision tables and procedures that cite it. The article's own file is never changed.

Headings are found with markdown-it; a heading's anchor is its explicit ``{#id}`` or the slug
MkDocs' ``toc`` extension gives it, which is what citations name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from markdown.extensions.toc import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from kb_lint.citations import Citation
from kb_lint.docs.escape import link, text
from kb_lint.docs.paths import procedure_page, relative, rule_page, table_page
from kb_lint.docs.sources import ArticlePage, SiteSources

STYLESHEET_PATH = "assets/kb-lint.css"
STYLESHEET = """\
.kb-lint-badges { margin-top: -0.5em; }
.kb-lint-badge {
  display: inline-block;
  margin: 0 0.3em 0.3em 0;
  padding: 0 0.6em;
  border: 1px solid currentColor;
  border-radius: 1em;
  font-size: 0.75em;
  line-height: 1.8;
  white-space: nowrap;
}
.kb-lint-badge a { color: inherit; text-decoration: none; }
.kb-lint-error { color: #b3261e; }
.kb-lint-warning { color: #9a5b00; }
.kb-lint-info { color: #1a5fb4; }
.kb-lint-table, .kb-lint-procedure { color: #4a4a4a; }
"""
_EXPLICIT_ID = re.compile(r"\s*\{[^}]*#([\w.:-]+)[^}]*\}\s*$")


@dataclass(frozen=True)
class Badge:
    label: str
    page: str
    title: str
    kind: str


def badges_by_section(sources: SiteSources, article_id: int) -> dict[str, list[Badge]]:
    """Every citation of the article, grouped by the cited section's anchor."""
    found: dict[str, list[Badge]] = {}

    def add(citation: Citation | None, badge: Badge) -> None:
        if citation is not None and citation.article == article_id:
            found.setdefault(citation.section, []).append(badge)

    for pack in sources.packs:
        for rule in pack.rules:
            item = f" (item {rule.cites.item})" if rule.cites.item else ""
            add(rule.cites, Badge(rule.id, rule_page(rule.id), rule.title + item, rule.severity))
        for decision in pack.tables.values():
            add(
                decision.cites,
                Badge("decision table", table_page(pack.id, decision.id), decision.title, "table"),
            )
        for procedure in pack.procedures.values():
            add(
                procedure.cites,
                Badge(
                    procedure.id,
                    procedure_page(pack.id, procedure.id),
                    procedure.title,
                    "procedure",
                ),
            )
    return found


def annotate_article(markdown: str, article: ArticlePage, sources: SiteSources) -> str:
    """``markdown`` (the article, with or without its front matter) with a line of badges after
    each heading whose section is cited."""
    article_id = article.article.front_matter.get("id")
    by_section = badges_by_section(sources, article_id) if isinstance(article_id, int) else {}
    if not by_section:
        return markdown
    lines = markdown.splitlines(keepends=True)
    inserts: dict[int, str] = {}
    for anchor, end in _headings(markdown):
        if anchor in by_section:
            inserts[end] = _badge_line(article.page, by_section[anchor])
    out = []
    for number, line in enumerate(lines):
        if number in inserts:
            out.append(f"\n{inserts[number]}\n\n")
        out.append(line)
    if len(lines) in inserts:
        out.append(f"\n\n{inserts[len(lines)]}\n")
    return "".join(out)


def _headings(markdown: str) -> list[tuple[str, int]]:
    """(anchor, line after the heading) for every heading of the document."""
    parser = MarkdownIt("commonmark").use(front_matter_plugin)
    tokens = parser.parse(markdown)
    found = []
    for heading, inline in pairwise(tokens):
        if heading.type == "heading_open" and heading.map is not None:
            found.append((_anchor(inline.content), heading.map[1]))
    return found


def _anchor(title: str) -> str:
    explicit = _EXPLICIT_ID.search(title)
    return explicit.group(1) if explicit else slugify(title, "-")


def _badge_line(page: str, badges: list[Badge]) -> str:
    shown = " ".join(
        f'<span class="kb-lint-badge kb-lint-{badge.kind}">'
        f"{link(text(badge.label), relative(page, badge.page), badge.title)}</span>"
        for badge in badges
    )
    return f'<span class="kb-lint-badges">Cited by:</span> {shown}'
