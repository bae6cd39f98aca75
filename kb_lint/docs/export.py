"""``kb-lint docs export``: the same pages the plugin builds, written as Markdown files.

For any other static site generator: every generated page, plus each article with its rule
badges, at the same relative paths as in the MkDocs site.
"""

from __future__ import annotations

from pathlib import Path

from kb_lint.docs.article_pages import render_article
from kb_lint.docs.render import render_site
from kb_lint.docs.sources import SiteSources
from kb_lint.errors import InputError


def export_pages(sources: SiteSources) -> dict[str, str]:
    """{relative path: Markdown} for every page of the site, articles included."""
    pages = render_site(sources)
    for article in sources.articles:
        source = article.article.path
        try:
            markdown = Path(source).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(source), 1, 1, f"cannot read article: {exc}") from None
        pages[article.page] = render_article(markdown, article, sources)
    return pages


def export_site(sources: SiteSources, out_dir: Path) -> list[Path]:
    """Write every page under ``out_dir``; refuses to overwrite an article's source file."""
    originals = {Path(a.article.path).resolve() for a in sources.articles}
    pages = {out_dir / relative: markdown for relative, markdown in export_pages(sources).items()}
    for target in pages:
        if target.resolve() in originals:
            raise InputError(
                str(target),
                1,
                1,
                "export would overwrite the article itself; choose another folder",
            )
    for target, markdown in sorted(pages.items()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, "utf-8")
    return sorted(pages)
