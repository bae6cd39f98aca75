"""Escaping of values taken from rule files and articles before they go into generated Markdown.

MkDocs renders with Python-Markdown, which passes raw HTML through, and any Markdown in a
rule's title or message would be interpreted. Every value is therefore written as inert text:
HTML metacharacters and the characters that start Markdown inline syntax become numeric
character references, which every CommonMark and Python-Markdown renderer shows literally.

Page titles need more: themes put them through filters that decode character references
(Material writes ``{{ page.title | striptags }}`` into ``<title>``), so a title must hold no
angle bracket at all; ``title`` shows them as the look-alike quotation marks ‹ and ›.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

# Characters that open or close inline syntax anywhere in a line (including | in table cells,
# braces for attribute lists and template placeholders, ~ and ^ for common extensions).
_INLINE = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>|~^"}
_INLINE["&"] = "&amp;"
_TABLE = str.maketrans(_INLINE)
# What would open a block at the start of a line: a heading or quote marker, a list or
# definition marker followed by a space, or a setext underline / thematic break.
_BLOCK_START = re.compile(r"^([#>]|[-+:](?=\s|$)|\d+[.)](?=\s|$)|[-=]+$)")
_SPACE = re.compile(r"\s+")
_ANGLES = str.maketrans("<>", "‹›")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def text(value: object) -> str:
    """``value`` as one line of inert Markdown text (whitespace runs collapse to one space)."""
    flat = _SPACE.sub(" ", str(value)).strip().translate(_TABLE)
    return _BLOCK_START.sub(_neutralise_marker, flat)


def title(value: object) -> str:
    """A page title (a level-1 heading's text): inert text without angle brackets."""
    return text(str(value).translate(_ANGLES))


def title_html(value: object) -> str:
    """A page title for a theme's raw-HTML slots (a page's ``title`` metadata)."""
    return html.escape(str(value).translate(_ANGLES), quote=False)


def _neutralise_marker(match: re.Match[str]) -> str:
    marker = match.group(1)
    return f"&#{ord(marker[0])};" + marker[1:]


def paragraphs(value: object) -> str:
    """Multi-paragraph text: blank-line-separated paragraphs, each as inert text."""
    parts = re.split(r"\n\s*\n", str(value).strip())
    return "\n\n".join(text(p) for p in parts if p.strip())


def quote_block(value: object) -> str:
    """A Markdown block quote of ``value``: its paragraphs, and its list items (lines that start
    with ``-``, ``*``, ``+`` or ``1.``) as a list."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", str(value).strip()):
        items = re.split(r"\n\s*(?=[-*+]\s|\d+[.)]\s)", paragraph)
        first = _LIST_ITEM.match(items[0])
        lines = [f"> {text(items[0])}"] if first is None else []
        lines += [
            f"> {_marker(item)} {text(_LIST_ITEM.sub('', item))}" for item in items[first is None :]
        ]
        blocks.append("\n".join(lines))
    return "\n>\n".join(block for block in blocks if block)


def _marker(item: str) -> str:
    number = re.match(r"\s*(\d+)[.)]", item)
    return f"{number.group(1)}." if number else "-"


def with_code(value: object) -> str:
    """``paragraphs`` of ``value``, its `backtick` spans shown as code (everything else inert)."""
    out = []
    for paragraph in re.split(r"\n\s*\n", str(value).strip()):
        pieces = re.split(r"`([^`]+)`", _SPACE.sub(" ", paragraph).strip())
        shown = [code(p) if i % 2 else p.translate(_TABLE) for i, p in enumerate(pieces)]
        out.append(_BLOCK_START.sub(_neutralise_marker, "".join(shown)))
    return "\n\n".join(p for p in out if p)


def code(value: object) -> str:
    """An inline code span holding ``value`` literally (safe in table cells too)."""
    return f"<code>{text(value)}</code>"


def fenced(value: str, language: str = "", options: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in ``value``;
    ``options`` (superfences: ``linenums="1" hl_lines="3 5"``) follow the language."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * max(3, longest + 1)
    info = f"{language} {options}" if options else language
    return f"{fence}{info}\n{value.rstrip()}\n{fence}"


def details(summary: str, body_html: str) -> str:
    """A folded block (HTML ``<details>``, shown by every renderer); both parts already
    escaped, ``body_html`` as HTML."""
    return f"<details><summary>{summary}</summary>{body_html}</details>"


def url_part(value: object) -> str:
    """A path segment or fragment built from a value: percent-encoded."""
    return quote(str(value), safe="-_.~")


def link(label_markdown: str, target: str, title: str = "") -> str:
    """A Markdown link; ``label_markdown`` must already be escaped, ``target`` already encoded."""
    shown_title = f' "{text(title).replace(chr(34), "&quot;")}"' if title else ""
    return f"[{label_markdown}]({target}{shown_title})"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown (GFM / Python-Markdown) table of already-escaped cells."""
    lines = [_row(header), _row(["---"] * len(header))]
    lines.extend(_row(cells) for cells in rows)
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
