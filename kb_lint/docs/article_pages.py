"""Article pages as the site shows them: the article's own Markdown, with raw HTML shown as text
and, under each cited section's heading, badges linking the rules, decision tables and
procedures that cite it. The article's file is never changed.

Headings and their anchors come from the article model (kb_lint.articles.model), the same that
citations are resolved against.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kb_lint.articles.model import parse_source
from kb_lint.articles.source import SourceText
from kb_lint.citations import Citation
from kb_lint.docs.escape import link, text
from kb_lint.docs.paths import procedure_page, relative, rule_page, table_page
from kb_lint.docs.sources import ArticlePage, SiteSources


@dataclass(frozen=True)
class Badge:
    label: str
    page: str
    title: str
    kind: str


def render_article(
    markdown: str, article: ArticlePage, sources: SiteSources, url_template: str | None = None
) -> str:
    """``markdown`` (the article, with or without its front matter) as the site shows it: its
    metadata under the title (with its public page: ``url_template`` with the article's
    ``{id}``), badges under cited headings, warnings as admonitions."""
    shown = without_raw_html(markdown)
    article_id = article.article.front_matter.get("id")
    by_section = badges_by_section(sources, article_id) if isinstance(article_id, int) else {}
    url = url_template.format(id=article_id) if url_template and article_id else None
    badged = _with_badges(shown, article, by_section)
    return _with_warnings(_with_metadata(badged, article, url))


def _with_badges(shown: str, article: ArticlePage, by_section: dict[str, list[Badge]]) -> str:
    if not by_section:
        return shown
    lines = shown.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    sections = parse_source(SourceText(article.page, shown)).sections
    inserts = {
        section.body[0]: _badge_line(article.page, by_section[section.anchor])
        for section in sections
        if section.anchor in by_section
    }
    out = []
    for number, line in enumerate([*lines, ""]):
        if number in inserts:
            out.append(f"\n{inserts[number]}\n" + ("\n" if line.strip() else ""))
        out.append(line)
    return "".join(out)


# The article's metadata shown under its title, in this order.
METADATA = (
    ("id", "Article"),
    ("revision", "Revision"),
    ("updated", "Last updated"),
    ("products", "Products"),
)
# A paragraph that shouts a prohibition is a warning to the reader.
SHOUTED = re.compile(r"\b(?:DO NOT|DON'T|NEVER|MUST NOT|WARNING|IMPORTANT)\b")


def _with_metadata(shown: str, article: ArticlePage, url: str | None) -> str:
    """The article's id, revision, last update, products and public page (``url``) as a line
    under its title."""
    meta = article.article.front_matter
    facts = []
    for key, label in METADATA:
        value = meta.get(key)
        if value not in (None, "", []):
            shown_value = ", ".join(map(str, value)) if isinstance(value, list) else value
            facts.append(f"**{label}:** {text(shown_value)}")
    if url:
        target = quote(url, safe=":/?#@!$&'*+,;=%-._~")
        shown_url = url.split("://", 1)[-1]
        facts.append(f"**Published at:** {link(text(shown_url), target)}")
    title = next((t for t in _parse(shown) if t.type == "heading_open" and t.tag == "h1"), None)
    if not facts or title is None or title.map is None:
        return shown
    lines = shown.splitlines(keepends=True)
    end = title.map[1]
    line = f'\n<p class="kb-lint-metadata" markdown>{" · ".join(facts)}</p>\n\n'
    return "".join([*lines[:end], line, *lines[end:]])


def _with_warnings(shown: str) -> str:
    """Each top-level paragraph that shouts a prohibition ("DO NOT ...") as a warning
    admonition (shown as a plain paragraph by renderers without admonitions)."""
    lines = shown.splitlines(keepends=True)
    tokens = _parse(shown)
    for index in reversed(range(len(tokens))):
        token = tokens[index]
        if token.type != "paragraph_open" or token.level != 0 or token.map is None:
            continue
        if not SHOUTED.search(tokens[index + 1].content):
            continue
        start, end = token.map
        body = ["    " + line if line.strip() else line for line in lines[start:end]]
        lines[start:end] = ['!!! warning "Warning"\n\n', *body]
    return "".join(lines)


def badges_by_section(sources: SiteSources, article_id: int) -> dict[str, list[Badge]]:
    """Every citation of the article, grouped by the cited section's anchor."""
    found: dict[str, list[Badge]] = {}

    def add(citation: Citation | None, badge: Badge) -> None:
        if citation is not None and citation.article == article_id:
            found.setdefault(citation.section, []).append(badge)

    for pack in sources.packs:
        for rule in pack.rules:
            for place in rule.cites:  # listed under each section it cites
                item = f" (item {place.item})" if place.item else ""
                add(place, Badge(rule.id, rule_page(rule.id), rule.title + item, rule.severity))
        for decision in pack.tables.values():
            page = table_page(pack.id, decision.id)
            add(decision.cites, Badge("decision table", page, decision.title, "table"))
        for procedure in pack.procedures.values():
            page = procedure_page(pack.id, procedure.id)
            add(procedure.cites, Badge(procedure.id, page, procedure.title, "procedure"))
    return found


def without_raw_html(markdown: str) -> str:
    """``markdown`` with every raw HTML tag escaped (shown as text) and HTML comments dropped;
    code spans and code blocks are left as they are."""
    lines = markdown.splitlines(keepends=True)
    for token in _parse(markdown):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "html_block":
            block = "".join(lines[start:end])
            lines[start:end] = _neutralise(block).splitlines(keepends=True) or [""] * (end - start)
        elif token.type == "inline" and any(c.type == "html_inline" for c in token.children or ()):
            lines[start:end] = _inline_without_html("".join(lines[start:end]), token)
    return "".join(lines)


def _inline_without_html(source: str, inline: Token) -> list[str]:
    cursor = 0
    for child in inline.children or ():
        if child.type not in ("html_inline", "code_inline"):
            continue
        found = source.find(child.content, cursor)
        if found < 0:
            continue
        replacement = _neutralise(child.content) if child.type == "html_inline" else child.content
        source = source[:found] + replacement + source[found + len(child.content) :]
        cursor = found + len(replacement)
    return source.splitlines(keepends=True)


def _neutralise(raw: str) -> str:
    """A comment becomes blank lines (it was never shown); any other HTML becomes text."""
    if raw.lstrip().startswith("<!--"):
        return "\n" * raw.count("\n")
    return html.escape(raw, quote=False)


def _parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").use(front_matter_plugin).parse(markdown)


def _badge_line(page: str, badges: list[Badge]) -> str:
    shown = " ".join(
        f'<span class="kb-lint-badge kb-lint-{badge.kind}">'
        f"{link(text(badge.label), relative(page, badge.page), badge.title)}</span>"
        for badge in badges
    )
    return f'<span class="kb-lint-badges">Cited by:</span> {shown}'
