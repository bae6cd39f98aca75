"""The article model: a KB article's front matter, sections, lists, links and comments.

``parse_article`` reads a Markdown file and walks markdown-it's tokens once. Block tokens give
0-based line ranges (``Token.map``); inline tokens carry none, so the inline rules whose tokens
the model keeps (links, HTML) note where each starts in the block's text, and the line and
column are found from that in the source lines. Every position kept here is 1-based, as
findings report them.

A section is a heading and the Markdown below it up to the next heading, of any level. Its
anchor is the heading's explicit ``{#id}``, else the slug MkDocs' ``toc`` extension gives it
(made unique the same way), which is what rule citations name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify, unique
from markdown_it.token import Token

from kb_lint.articles.parser import LINKS, PARSER
from kb_lint.articles.source import SourceText, read_source
from kb_lint.errors import InputError
from kb_lint.load import Document, Pointer, load_text

ATTRIBUTES = re.compile(r"\{:?\s*(?:[#.][^}\n]*|[\w-]+=[^}\n]*)\}\s*")
EXPLICIT_ID = re.compile(r"#([\w.:-]+)")
# What can make a heading's text differ from its source: escapes, code, emphasis, links, HTML,
# entities, images. A heading without any of these is its own title.
MARKUP = re.compile(r"[\\`*_\[\]<>&!]")
# A kb-lint comment (the spaces before it, then its body); ``suppress`` reads the body.
DIRECTIVE = re.compile(r"([ \t]*)<!--\s*kb-lint\b([\s\S]*?)-->")
NEWLINE = re.compile("\n")
# A line of a stack trace ("   at Microsoft.Exchange.Data.Task.Run(TaskBase taskBase)") or the
# exception that heads one: a block quote with one holds output, not prose.
STACK_TRACE = re.compile(
    r"^[ \t>]*at [\w.$`<>]+[.(]|\b[A-Za-z_]\w*(?:\.\w+)+(?:Exception|Error)\b", re.M
)
CONTAINERS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}


@dataclass(eq=False)
class ListItem:
    """One list item. ``number`` is the number written before an ordered item's marker."""

    line: int
    column: int
    number: int | None
    digits: int
    end: int
    source: SourceText = field(repr=False)

    @cached_property
    def content(self) -> int:
        """The 0-based column where the item's content starts on its first line."""
        line = self.source.lines[self.line - 1]
        content = self.column - 1 + (self.digits + 1 if self.number is not None else 1)
        spaces = len(line) - len(line[content:].lstrip(" ")) - content
        return content + (spaces if 1 <= spaces <= 4 else min(spaces, 1))

    @cached_property
    def text(self) -> str:
        """The item's Markdown without its marker, nested lists included, de-indented."""
        lines = self.source.lines[self.line - 1 : self.end]
        margins = [len(line) - len(line.lstrip(" ")) for line in lines[1:] if line.strip()]
        indent = min(margins, default=self.content)
        if not self.content <= indent <= self.content + 3:
            indent = self.content
        out = [lines[0][self.content :]]
        for line in lines[1:]:
            out.append(line[min(indent, len(line) - len(line.lstrip(" "))) :])
        return _cited("\n".join(out))


@dataclass(eq=False)
class ListBlock:
    """A bullet or ordered list; ``depth`` counts the lists around it, ``parent`` is the item
    it is nested in (None at the top level)."""

    ordered: bool
    start: int
    line: int
    column: int
    depth: int
    quoted: bool
    parent: ListItem | None
    items: list[ListItem] = field(default_factory=list)


@dataclass(eq=False)
class Section:
    """A heading and its body; ``items`` are the body's top-level list items, in order.
    ``explicit`` is whether the anchor is the heading's ``{#id}`` (else it is made from the
    title, and changes with it)."""

    title: str
    anchor: str
    level: int
    line: int
    column: int
    body: tuple[int, int]
    source: SourceText = field(repr=False)
    explicit: bool = False
    items: list[ListItem] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        """The Markdown source of the body (below the heading, up to the next one), stripped,
        without kb-lint comments."""
        start, end = self.body
        return _cited("\n".join(self.source.lines[start:end]))

    @cached_property
    def prose(self) -> str:
        """``text`` without its top-level list items (each cited on its own)."""
        start, end = self.body
        inside = {n for item in self.items for n in range(item.line - 1, item.end)}
        return _cited("\n".join(self.source.lines[n] for n in range(start, end) if n not in inside))


@dataclass(frozen=True)
class Link:
    href: str
    line: int
    column: int


@dataclass(frozen=True)
class Html:
    """Raw HTML (a block or an inline tag) that mentions kb-lint: a suppression comment."""

    content: str
    line: int
    column: int


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block between the ``---`` lines (the opening one on ``line``): its loaded
    document, or the error that kept it from loading as (line, column, message)."""

    line: int
    document: Document | None = None
    error: tuple[int, int, str] | None = None

    @property
    def value(self) -> Any:
        return self.document.data if self.document is not None else None

    def locate(self, pointer: Pointer, key: bool = False) -> tuple[int, int]:
        """The 1-based position in the article of the value (or key) at ``pointer``."""
        if self.document is None:
            return self.line, 1
        return (self.document.locate_key if key else self.document.locate)(pointer)


@dataclass(eq=False)
class Article:
    path: str
    source: SourceText = field(repr=False)
    front_matter: dict[str, Any]
    meta: FrontMatter | None
    sections: list[Section]
    lists: list[ListBlock]
    links: list[Link]
    html: list[Html]
    prose: list[tuple[int, int]]
    """0-based [start, end) line ranges of paragraphs and headings: the prose style checks read
    (not a paragraph of a block quote that holds a stack trace)."""

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


def parse_article(path: str | Path) -> Article:
    """Read and parse an article; ``InputError`` if the file cannot be read or is not UTF-8."""
    return parse_source(read_source(path))


def parse_source(source: SourceText) -> Article:
    return _Walk(source).article()


class _Walk:
    """One pass over the tokens, keeping the open containers on a stack (no recursion)."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.lines = source.lines
        self.sections: list[Section] = []
        self.lists: list[ListBlock] = []
        self.links: list[Link] = []
        self.html: list[Html] = []
        self.prose: list[tuple[int, int]] = []
        self.meta: FrontMatter | None = None
        self.open: list[Token] = []
        self.quotes = 0
        self.blocks: list[ListBlock] = []
        self.explicit: set[str] = set()
        self.cursor: dict[int, int] = {}
        self.env: dict[str, Any] = {}

    def article(self) -> Article:
        tokens = PARSER.parse(self.source.text, self.env)
        heading: Token | None = None
        for token in tokens:
            kind = token.type
            if kind == "inline":
                if heading is not None:
                    self._heading(heading, token)
                    heading = None
                self._inline(token)
            elif kind == "heading_open":
                heading = token
            elif kind == "list_item_open":
                self._item(token)
            elif kind in CONTAINERS:
                self._open(token)
            elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
                self._close()
            elif kind == "html_block" and "kb-lint" in token.content:
                line = token.map[0] if token.map else 0
                column = self._column(line, token.content.partition("\n")[0])
                if column is None:
                    column = self._indent(line)
                self.html.append(Html(token.content, line + 1, column + 1))
            elif kind == "front_matter":
                self.meta = _front_matter(token, self.source.path)
        self._bodies()
        self._anchors()
        value = self.meta.value if self.meta else None
        return Article(
            path=self.source.path,
            source=self.source,
            front_matter=value if isinstance(value, dict) else {},
            meta=self.meta,
            sections=self.sections,
            lists=self.lists,
            links=self.links,
            html=self.html,
            prose=self.prose,
        )

    def _children(self, inline: Token) -> list[Token]:
        """The inline tokens of ``inline``, as markdown-it's core "inline" rule makes them."""
        if not inline.children:
            inline.children = PARSER.inline.parse(inline.content, PARSER, self.env, [])
        return inline.children

    def _heading(self, heading: Token, inline: Token) -> None:
        start = heading.map[0] if heading.map else 0
        content = inline.content
        title = _plain(self._children(inline)) if MARKUP.search(content) else content
        explicit = _explicit_id(content) if "{" in content else None
        if explicit:
            self.explicit.add(explicit)
        if "{" in title and (attributes := _attributes(title)) is not None:
            title = title[:attributes]
        line = self.lines[start]
        column = line.find("#") if heading.markup.startswith("#") else -1
        self.sections.append(
            Section(
                title=title.strip(),
                anchor=explicit or "",
                level=int(heading.tag[1]),
                line=start + 1,
                column=(column if column >= 0 else self._indent(start)) + 1,
                body=(heading.map[1] if heading.map else start + 1, len(self.lines)),
                source=self.source,
                explicit=explicit is not None,
            )
        )

    def _inline(self, token: Token) -> None:
        if token.map is None:
            return
        start, end = token.map
        if not (self.quotes and STACK_TRACE.search(token.content)):
            self.prose.append((start, end))
        if "[" not in token.content and "<" not in token.content:
            return
        children = token.children or LINKS.inline.parse(token.content, LINKS, self.env, [])
        if not any(c.type in ("link_open", "html_inline") for c in children):
            return
        place = _Placer(self, start, token.content)
        for child in children:
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                line, column = place(child)
                if column is None:
                    column = self._link(line, child.markup)
                self.links.append(Link(href, line + 1, column + 1))
            elif child.type == "html_inline" and "kb-lint" in child.content:
                line, column = place(child)
                if column is None:
                    column = self._find(line, child.content[:4])
                self.html.append(Html(child.content, line + 1, column + 1))

    def _column(self, line: int, text: str) -> int | None:
        """Where ``text`` starts on the 0-based source ``line``, if it is the end of it."""
        source = self.lines[line].rstrip() if line < len(self.lines) else ""
        text = text.rstrip()
        return len(source) - len(text) if text and source.endswith(text) else None

    def _open(self, token: Token) -> None:
        if token.type == "blockquote_open":
            self.quotes += 1
        else:
            start = token.map[0] if token.map else 0
            blocks = self.blocks
            block = ListBlock(
                ordered=token.type == "ordered_list_open",
                start=int(token.attrs.get("start", 1)),
                line=start + 1,
                column=0,
                depth=len(blocks),
                quoted=self.quotes > 0,
                parent=blocks[-1].items[-1] if blocks and blocks[-1].items else None,
            )
            blocks.append(block)
            self.lists.append(block)
        self.open.append(token)

    def _close(self) -> None:
        token = self.open.pop()
        if token.type == "blockquote_open":
            self.quotes -= 1
        else:
            self.blocks.pop()

    def _item(self, token: Token) -> None:
        start, end = token.map if token.map else (0, 0)
        block = self.blocks[-1]
        ordered = block.ordered
        column = self._find(start, token.info if ordered else token.markup)
        item = ListItem(
            line=start + 1,
            column=column + 1,
            number=int(token.info) if ordered and token.info.isdigit() else None,
            digits=len(token.info) if ordered else 0,
            end=end,
            source=self.source,
        )
        if not block.items:
            block.column = column + 1
        block.items.append(item)

    def _link(self, line: int, markup: str) -> int:
        """The 0-based column where a link starts; the search goes on after its end."""
        autolink = markup == "autolink"
        column = self._find(line, "<" if autolink else "[")
        text = self.lines[line] if line < len(self.lines) else ""
        end = text.find(">" if autolink else "](", column)
        if not autolink and end >= 0:
            end = text.find(")", end)
        if end >= 0:
            self.cursor[line] = end + 1
        return column

    def _find(self, line: int, needle: str) -> int:
        """The 0-based column of ``needle`` on ``line``, searching on from the last find there."""
        text = self.lines[line] if line < len(self.lines) else ""
        found = text.find(needle, self.cursor.get(line, 0)) if needle else -1
        if found < 0:
            return self._indent(line)
        self.cursor[line] = found + len(needle)
        return found

    def _indent(self, line: int) -> int:
        text = self.lines[line] if line < len(self.lines) else ""
        return len(text) - len(text.lstrip())

    def _anchors(self) -> None:
        """Slugs for the headings without an explicit id, unique among all ids, in order (as
        MkDocs' toc does it once it has seen the explicit ones)."""
        ids = set(self.explicit)
        for section in self.sections:
            if not section.anchor:
                section.anchor = unique(_slug(section.title), ids)

    def _bodies(self) -> None:
        """Close each section's body at the next heading; give sections their lists."""
        sections = self.sections
        for section, following in pairwise(sections):
            section.body = (section.body[0], following.line - 1)
        if not sections:
            return
        index = 0
        for block in self.lists:
            while index + 1 < len(sections) and sections[index + 1].line <= block.line:
                index += 1
            section = sections[index]
            if section.line > block.line:
                continue
            section.lists.append(block)
            if block.depth == 0 and not block.quoted:
                section.items.extend(block.items)


class _Placer:
    """Where inline tokens start, from their offsets in a block's inline text (``_placed``).

    That text has the block's line breaks, and each of its lines ends its source line (less
    the markers and indentation before it), so the line is exact; the column is None where
    the text line is not the end of the source line (a table cell, a tab expanded). The line
    breaks are found once and each line is matched to its source line once, so that placing
    every link of a long paragraph costs O(text + links × log lines), not O(text × links).
    """

    def __init__(self, walk: _Walk, first: int, content: str) -> None:
        self.walk, self.first, self.content = walk, first, content
        self.breaks = [m.start() for m in NEWLINE.finditer(content)]
        self.shifts: dict[int, int | None] = {}

    def __call__(self, child: Token) -> tuple[int, int | None]:
        offset = child.meta.get("start", 0)
        index = bisect_left(self.breaks, offset)
        line_start = self.breaks[index - 1] + 1 if index else 0
        if index not in self.shifts:
            end = self.breaks[index] if index < len(self.breaks) else len(self.content)
            column = self.walk._column(self.first + index, self.content[line_start:end])
            self.shifts[index] = None if column is None else column - line_start
        shift = self.shifts[index]
        return self.first + index, None if shift is None else shift + offset


@lru_cache(maxsize=4096)
def _slug(title: str) -> str:
    """What MkDocs' toc extension makes of a heading's text (titles repeat across articles)."""
    return slugify(title, "-")


def _cited(markdown: str) -> str:
    """Markdown as rules cite it: stripped, without kb-lint comments (they are no part of it)."""
    if "kb-lint" in markdown:
        markdown = DIRECTIVE.sub("", markdown)
    return markdown.strip()


def _plain(children: list[Token]) -> str:
    """The text a reader sees in inline tokens: text and code, breaks as spaces."""
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _attributes(heading: str) -> int | None:
    """Where a heading's trailing attribute list (``{#id .class}``) starts, if it has one."""
    start = heading.rfind("{")
    if start < 0 or not ATTRIBUTES.fullmatch(heading, start):
        return None
    return start


def _explicit_id(content: str) -> str | None:
    start = _attributes(content)
    found = EXPLICIT_ID.search(content, start) if start is not None else None
    return found.group(1) if found else None


def _front_matter(token: Token, path: str) -> FrontMatter:
    line = token.map[0] + 1 if token.map else 1
    try:
        document = load_text(path, token.content, ".yaml", first_line=line + 1)
    except InputError as exc:
        return FrontMatter(line, None, (exc.line, exc.column, exc.message))
    return FrontMatter(line, document)
