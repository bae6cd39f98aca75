"""``kb-lint docs export``: the same pages the plugin builds, written as Markdown files.

For any other static site generator: every generated page, plus each article with its rule
badges, at the same relative paths as in the MkDocs site.

Nothing the user wrote is overwritten: an export writes into a new or empty folder, or into one
an earlier export made, which its marker file (``.kb-lint-export``) says, listing the pages it
wrote. Any other file there stops the export before anything is written (an input error naming
it). An export replaces the pages it listed and removes those the site no longer has.
"""

from __future__ import annotations

from pathlib import Path

from kb_lint.docs.article_pages import render_article
from kb_lint.docs.render import render_site
from kb_lint.docs.sources import SiteSources
from kb_lint.errors import InputError
from kb_lint.load.walk import folder_entries

MARKER = ".kb-lint-export"
_HEADER = "# Written by kb-lint docs export: the pages below are its own; it replaces them.\n"


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
    """Write every page under ``out_dir``, and the marker listing them; refuses a folder
    holding a file no export wrote (the first one named), and to overwrite an article's source
    file. Cost: one walk of ``out_dir`` (bounded as every walk) and one write per page."""
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
    earlier = _exported(out_dir)
    for found in folder_entries(out_dir) if out_dir.is_dir() else ():
        if found.relative_to(out_dir).as_posix() not in earlier:
            raise InputError(
                str(found),
                1,
                1,
                "not written by an earlier kb-lint docs export (not listed in "
                f"{out_dir / MARKER}), so not overwritten: export into a new or empty folder",
            )
    names = sorted(p.relative_to(out_dir).as_posix() for p in pages)
    out_dir.mkdir(parents=True, exist_ok=True)
    _mark(out_dir, sorted({*earlier, *names}))  # every page that may be there, before any
    for target, markdown in sorted(pages.items()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, "utf-8")
    for stale in earlier.difference(names):
        (out_dir / stale).unlink(missing_ok=True)
    _mark(out_dir, names)
    return sorted(pages)


def _exported(out_dir: Path) -> set[str]:
    """The pages an earlier export into ``out_dir`` wrote, from its marker (none without)."""
    try:
        text = (out_dir / MARKER).read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return set()  # no marker, or not one kb-lint wrote
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return {line for line in lines if not Path(line).is_absolute() and ".." not in Path(line).parts}


def _mark(out_dir: Path, names: list[str]) -> None:
    (out_dir / MARKER).write_text(_HEADER + "".join(f"{n}\n" for n in names), "utf-8")
