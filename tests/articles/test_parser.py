"""The article parsers' shortcuts give markdown-it's own tokens: each is compared with a parser
configured the stock way, on generated Markdown dense in the characters that matter."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, helpers
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_inline import autolink, html_inline, link
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kb_lint.articles.parser import (
    LINKS,
    PARSER,
    _destination,
    _normalize_link,
    _placed,
)

# Markup, escapes, parentheses, spaces, controls, entities and non-ASCII, among letters.
PIECES = [
    *"[]()<>!`\\*_#:&%-./ \t\n\x01\x7f\"'",
    "a",
    "b.md",
    "#x",
    "](",
    "![",
    "](a b)",
    "<a href='x'>",
    "<!-- kb-lint x -->",
    "&amp;",
    "é",
    "http://",
    "//h/",
    "\n\n[r]: ",
]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _stock_links() -> MarkdownIt:
    parser = MarkdownIt("commonmark")
    parser.inline.ruler.disable(["emphasis", "entity", "newline"])
    parser.inline.ruler2.disable(["balance_pairs", "emphasis", "fragments_join"])
    parser.inline.ruler.at("link", _placed(link, "link_open"))
    parser.inline.ruler.at("autolink", _placed(autolink, "link_open"))
    parser.inline.ruler.at("html_inline", _placed(html_inline, "html_inline"))
    return parser


STOCK_LINKS = _stock_links()
STOCK_BLOCKS = MarkdownIt("commonmark").use(front_matter_plugin).disable("inline")


def _tokens(tokens: list[Token]) -> list[tuple[object, ...]]:
    return [
        (
            *(t.type, t.content, t.markup, t.info, t.map),
            *(sorted(t.attrs.items()), sorted(t.meta.items()), _tokens(t.children or [])),
        )
        for t in tokens
    ]


@settings(max_examples=300)
@given(MARKDOWN)
@example("see [a](b.md#x), [r], <http://h/> and <!-- kb-lint x --> `[c](d)` \\[e](f)")
@example("[a](<b c.md> 't') ![i](p(q).png) [x](a\\(b) [é](é.md) [&amp;](a&amp;b%20c.md)")
def test_links_parses_inline_text_as_markdown_it_does(text):
    env = {"references": {"R": {"href": "r.md", "title": ""}}}
    ours = LINKS.inline.parse(text, LINKS, dict(env), [])
    stock = STOCK_LINKS.inline.parse(text, STOCK_LINKS, dict(env), [])
    assert _tokens(ours) == _tokens(stock)
    if text.startswith(("see [a](", "[a](<b")):  # the two examples: links found, not only text
        assert sum(t.type == "link_open" for t in ours) >= 3


@settings(max_examples=200)
@given(MARKDOWN)
def test_the_block_parse_and_its_references_are_markdown_its(text):
    ours_env: dict[str, object] = {}
    stock_env: dict[str, object] = {}
    assert _tokens(PARSER.parse(text, ours_env)) == _tokens(STOCK_BLOCKS.parse(text, stock_env))
    assert ours_env == stock_env


@settings(max_examples=300)
@given(MARKDOWN, st.integers(0, 5), st.integers(0, 5))
def test_a_destination_is_read_as_markdown_it_reads_it(text, skip, short):
    skip = min(skip, len(text))  # as markdown-it calls it: pos <= maximum <= len(text)
    maximum = max(skip, len(text) - short)
    ours = _destination(text, skip, maximum)
    stock = helpers.parseLinkDestination(text, skip, maximum)
    assert ours.ok == stock.ok
    if stock.ok:
        assert (ours.pos, ours.str) == (stock.pos, stock.str)


@settings(max_examples=300)
@given(st.one_of(MARKDOWN, st.from_regex(r"[A-Za-z0-9._/#-]*", fullmatch=True)))
def test_a_link_is_normalised_as_markdown_it_does(url):
    assert _normalize_link(url) == normalizeLink(url)
