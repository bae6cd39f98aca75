"""Citations on the site: links to the cited article section and quotes of the cited text."""

from __future__ import annotations

from typing import Any

from kb_lint.citations import Citation
from kb_lint.docs.escape import link, quote_block, text
from kb_lint.docs.paths import relative
from kb_lint.docs.sources import ArticlePage, SiteSources


def _section(sources: SiteSources, citation: Citation) -> tuple[ArticlePage | None, Any]:
    """The cited article's page and the cited section, each None when not found."""
    page = sources.article(citation.article)
    if page is None:
        return None, None
    section = next((s for s in page.article.sections if s.anchor == citation.section), None)
    return page, section


def citation_label(sources: SiteSources, citation: Citation) -> str:
    _, section = _section(sources, citation)
    title = section.title if section is not None else citation.section
    label = f"KB {citation.article} › {title}"
    return text(label + (f", item {citation.item}" if citation.item else ""))


def citation_link(source: str, sources: SiteSources, citation: Citation) -> str:
    """A link to the cited section of the article page, or the bare label if it has no page."""
    page, section = _section(sources, citation)
    label = citation_label(sources, citation)
    if page is None or section is None:
        return label
    return link(label, relative(source, page.page, section.anchor))


def article_link(source: str, sources: SiteSources, citation: Citation, where: str) -> str:
    """ "article § SECTION, WHERE" ("item 2", "step 3, bullet 2"; nothing: the whole section),
    linked to the cited section of the article page when it has one."""
    page, section = _section(sources, citation)
    label = text(f"article § {citation.section}" + (f", {where}" if where else ""))
    if page is None or section is None:
        return label
    return link(label, relative(source, page.page, section.anchor))


def quoted(sources: SiteSources, citation: Citation) -> str | None:
    """The cited text as a block quote: the cited item, or the whole section."""
    _, section = _section(sources, citation)
    if section is None:
        return None
    if citation.item is not None:
        if not 0 < citation.item <= len(section.items):
            return None
        return quote_block(section.items[citation.item - 1].text)
    return quote_block(section.text)
