"""The rendered article pages: the article as written, with the badges of the rules citing each
section, its metadata and warnings, and raw HTML shown as text."""

from __future__ import annotations

import re

import markdown
from rendering import EXTENSIONS
from sitecopy import FIXTURES

from kb_lint.docs.article_pages import render_article


def test_article_badges_link_the_rules_citing_each_section(sources):
    article = sources.article(105)
    original = (FIXTURES / "articles" / "kb-105.md").read_text("utf-8")
    annotated = render_article(original, article, sources)
    added = [line for line in annotated.splitlines() if "kb-lint-badges" in line]
    assert len(added) == 6
    background = annotated.split("## Background\n\n")[1].splitlines()[0]
    assert (
        '[KB105-001](../rules/kb105-001.md "One Riva instance per email user and CRM user")'
        in background
    )
    practice = annotated.split("## Best Practice\n\n")[1].splitlines()[0]
    assert all(f"[{rule}]" in practice for rule in ("KB105-002", "KB105-005", "KB105-010"))
    challenges = annotated.split("## Expected Challenges\n\n")[1].splitlines()[0]
    assert "(../packs/kb105/tables/expected-challenges.md" in challenges
    # nothing of the article is lost or moved: added are the badges, the metadata line and
    # the admonition a shouted prohibition becomes (its lines indented under it)
    extra = [*added, *(line for line in annotated.splitlines() if "kb-lint-metadata" in line)]
    assert [
        line.strip()
        for line in annotated.splitlines()
        if line and line not in extra and not line.startswith("!!! warning")
    ] == [line.strip() for line in original.splitlines() if line]


def test_article_page_shows_its_metadata_and_warnings(sources):
    article = sources.article(105)
    original = (FIXTURES / "articles" / "kb-105.md").read_text("utf-8")
    shown = render_article(original, article, sources)
    title = shown.split("# Do Not Run")[1].split("\n## ")[0]
    assert "**Article:** 105 · **Revision:** 10 · **Last updated:** 2017-03-27" in title
    warning = shown.split('!!! warning "Warning"\n\n')[1].split("\n\n")[0]
    assert warning.startswith("    ") and "DO NOT configure a duplicate instance" in warning
    rendered = markdown.markdown(shown, extensions=EXTENSIONS)
    assert '<div class="admonition warning">' in rendered


def test_raw_html_in_an_article_is_shown_as_text_and_comments_dropped(sources):
    article = sources.article(105)
    source = (
        "## Background\n\n"
        "Text <b>bold</b> and `<i>code</i>` <!-- kb-lint disable KB-STYLE-003: quoted -->\n\n"
        "<script>\nalert(1)\n</script>\n\n"
        "<!--\nhidden\n-->\n\n"
        "```html\n<div>kept</div>\n```\n"
    )
    shown = render_article(source, article, sources)
    assert "Text &lt;b&gt;bold&lt;/b&gt; and `<i>code</i>` \n" in shown
    assert "&lt;script&gt;\nalert(1)\n&lt;/script&gt;\n" in shown
    assert "hidden" not in shown and "kb-lint disable" not in shown
    assert "```html\n<div>kept</div>\n```\n" in shown
    rendered = markdown.markdown(shown, extensions=EXTENSIONS)
    assert not re.search(r"<(script|b|i)>", rendered)
