"""Values from rule files and articles render as the text they are, in every context."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from markdown_it import MarkdownIt

from kb_lint.docs.escape import code, fenced, link, paragraphs, quote_block, table, text

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~gone~~",
    "[click](javascript:alert(1))",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "a | b | c",
    "{#id .class} {email}",
    "&amp; &lt;b&gt; &#60;",
    "<!-- hidden -->",
    "back\\slash\\*",
    "===",
]
EXTENSIONS = ["tables", "toc", "attr_list", "fenced_code", "admonition", "pymdownx.tasklist"]


def python_markdown(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def commonmark(source: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(source)


def visible_text(rendered: str) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


@pytest.mark.parametrize("render", [python_markdown, commonmark])
@pytest.mark.parametrize("value", HOSTILE)
def test_text_renders_literally(render, value):
    rendered = render(text(value))
    assert rendered.startswith("<p>")
    assert rendered.count("<") == 2  # <p> and </p>: no element came from the value
    assert visible_text(rendered) == " ".join(value.split())


@pytest.mark.parametrize("value", HOSTILE)
def test_table_cells_and_code_stay_in_their_cell(value):
    source = table(["Value", "Code"], [[text(value), code(value)]])
    rendered = python_markdown(source)
    assert rendered.count("<td>") == 2
    assert "<script" not in rendered and "<img" not in rendered
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert visible_text(cells[0]) == " ".join(value.split())
    assert visible_text(cells[1]) == " ".join(value.split())


def test_fence_outlasts_backticks_in_the_value():
    value = "a: 1\n```\n<script>x</script>\n````\nb: 2"
    rendered = python_markdown(fenced(value, "yaml"))
    assert rendered.count("<pre>") == 1
    assert "<script>" not in rendered
    assert "&lt;script&gt;x&lt;/script&gt;" in rendered
    assert "b: 2" in rendered


def test_paragraphs_and_quotes_keep_their_breaks():
    value = "first <b>one</b>\nstill first\n\n# second"
    assert python_markdown(paragraphs(value)).count("<p>") == 2
    quoted = python_markdown(quote_block(value))
    assert quoted.count("<blockquote>") == 1 and "<h1" not in quoted and "<b>" not in quoted
    assert visible_text(quoted) == "first <b>one</b> still first # second"


def test_link_title_cannot_break_out():
    rendered = python_markdown(link(text("KB105-001"), "../rules/kb105-001.md", 'a "b" <i>c</i>'))
    assert rendered.count("<a ") == 1 and "<i>" not in rendered
    assert 'href="../rules/kb105-001.md"' in rendered
