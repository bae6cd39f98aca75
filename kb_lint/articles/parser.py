"""The two markdown-it parsers of the article model, configured for what the rules read.

``PARSER`` is markdown-it-py's CommonMark preset with front matter, its block parse whole; its
core "inline" rule is off, so inline content is parsed only where the model needs its tokens
(headings, and blocks with a "[" or a "<"). ``LINKS`` parses those blocks for links and raw
HTML only: the inline rules that make no such token (emphasis, entities, line breaks) are off.
Neither drops a token the model reads; the bare-parse baseline of ``bench/bench_articles.py``
is the preset's full parse (block and inline), which is what reading Markdown costs.

What else is cut, each giving markdown-it's own result (``tests/articles/test_parser.py``):

- ``LINKS``' text rule skips to the next character an inline rule that is on can start at,
  or the "]" that ends a link's text (``LINK_MARKUP``); markdown-it's stops at every ``*``,
  ``_``, ``-``, ``:``, ``&`` or line break, where each rule is then tried and none matches.
- A link destination is read by one pattern when it has no parenthesis, backslash or "<";
  markdown-it reads it a character at a time.
- ``normalizeLink`` (percent-encoding, punycode) is skipped for a path of letters, digits and
  ``._/#-``, which it returns unchanged.

Inline tokens have no position: ``_placed`` notes in the ``meta`` of each link and HTML token
the offset in the block's text where it starts, for the model to turn into a line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_inline import StateInline, autolink, html_inline, link
from mdit_py_plugins.front_matter import front_matter_plugin

InlineRule = Callable[[StateInline, bool], bool]

PARSER = MarkdownIt("commonmark").use(front_matter_plugin)
PARSER.core.ruler.disable("inline")
LINKS = MarkdownIt("commonmark")
LINKS.inline.ruler.disable(["emphasis", "entity", "newline"])
LINKS.inline.ruler2.disable(["balance_pairs", "emphasis", "fragments_join"])
# Where escape, backticks, link, image, autolink and html_inline start, and a link text's end.
LINK_MARKUP = re.compile(r"[\\`\[\]!<]")
# A destination up to a character that ends it (a space, a control character, a ")"), with
# none of those that make markdown-it look further: "(", "\", or "<" at the start.
PLAIN_DESTINATION = re.compile(r"(?!<)[^\x00-\x20\x7f()\\]*")
PLAIN_PATH = re.compile(r"[A-Za-z0-9._/#-]*")


def _text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, stopping only at ``LINK_MARKUP``."""
    found = LINK_MARKUP.search(state.src, state.pos, state.posMax)
    end = found.start() if found else state.posMax
    if end == state.pos:
        return False
    if not silent:
        state.pending += state.src[state.pos : end]
    state.pos = end
    return True


class Destination:
    """What ``parseLinkDestination`` returns (the link rules read these three)."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, text: str = "") -> None:
        self.ok, self.pos, self.str = ok, pos, text


def _destination(string: str, pos: int, maximum: int) -> object:
    """markdown-it's ``parseLinkDestination``, by one pattern for a plain destination."""
    plain = PLAIN_DESTINATION.match(string, pos, maximum)
    if plain is None or (plain.end() < maximum and string[plain.end()] in "(\\"):
        return helpers.parseLinkDestination(string, pos, maximum)
    end = plain.end()
    return Destination(True, end, unescapeAll(string[pos:end])) if end > pos else Destination()


def _normalize_link(url: str) -> str:
    """markdown-it's ``normalizeLink``, skipped for a path it leaves as it is."""
    if PLAIN_PATH.fullmatch(url) and not url.startswith("//"):
        return url
    return normalizeLink(url)


def _placed(rule: InlineRule, kind: str) -> InlineRule:
    """``rule``, noting in the ``meta`` of the ``kind`` token it makes the offset in the inline
    text where that token starts."""

    def placed(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            made = next((t for t in state.tokens[count:] if t.type == kind), None)
            if made is not None:
                made.meta["start"] = start
        return True

    return placed


FAST_HELPERS = SimpleNamespace(
    parseLinkLabel=helpers.parseLinkLabel,
    parseLinkDestination=_destination,
    parseLinkTitle=helpers.parseLinkTitle,
)
LINKS.inline.ruler.at("text", _text)
for _parser in (PARSER, LINKS):
    _parser.helpers = FAST_HELPERS  # type: ignore[assignment]
    _parser.normalizeLink = _normalize_link  # type: ignore[method-assign]
    _parser.inline.ruler.at("link", _placed(link, "link_open"))
    _parser.inline.ruler.at("autolink", _placed(autolink, "link_open"))
    _parser.inline.ruler.at("html_inline", _placed(html_inline, "html_inline"))
