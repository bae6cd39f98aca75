"""What a check kind is: code, implemented once, that a style instantiates with parameters.

A kind declares the JSON Schema of its parameters (the ``with:`` of a rule file), may prepare
them once when the style loads (compile patterns), and checks one article at a time, yielding
``Hit``s; the runner turns hits into findings of the rule that instantiated the kind.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kb_lint.articles.fix import Edit
from kb_lint.articles.marks import Marks
from kb_lint.articles.model import Article
from kb_lint.articles.prose import prose_text
from kb_lint.errors import InputError
from kb_lint.findings import Location

if TYPE_CHECKING:
    from kb_lint.articles.run import Run
    from kb_lint.articles.style import ArticleRule


SCAN = 1
WORDS_CHUNK = 1 << 16  # characters split at a time (``split_words``)
# The parameters of a kind that has none.
NO_PARAMS: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {}}
HEADING_FIX = (
    "the heading's anchor changes with its text, so update the links and rule citations that "
    "name it, or keep it with an explicit {#id} (--fix leaves such a heading alone)"
)
# Link destinations and inline tags: ``prose.UNSEEN`` in the prose (a looser pattern here).
UNSEEN_MARKUP = re.compile(r"\]\((?:[^()\n]|\([^()\n]*\))*\)|<[A-Za-z/!?][^<>\n]*>")
# Every ASCII character but letters, digits and the hyphen, made a space.
SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "-")})
# The characters other than ASCII that ignore-case matching takes for ASCII letters ("ſ" for
# "s": "Javaſcript" is "javascript" to ``re.IGNORECASE``); every other one matches none.
NOT_ASCII = re.compile(r"[^\x00-\x7f]")
AS_LETTERS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
AS_ASCII = str.maketrans(AS_LETTERS)


def split_words(text: str) -> list[str]:
    """Runs of letters and digits, and hyphens, lower-cased, as ``Target.words`` has them.

    Split a chunk at a time, at a space (no word is cut), each word interned: a text's
    repeated words are then one string each, and its list costs 8 bytes a word (a 20 MB
    line's 4 million words took 219 MB as strings of their own)."""
    spaced = text.translate(SPACES)
    words: list[str] = []
    start = 0
    while start < len(spaced):
        end = spaced.find(" ", start + WORDS_CHUNK)
        end = len(spaced) if end < 0 else end
        words += map(sys.intern, spaced[start:end].lower().replace("-", " - ").split())
        start = end
    return words


@dataclass(frozen=True)
class Hit:
    """One problem found by a kind; ``edit`` is its safe fix, ``fix`` says it in words."""

    line: int
    column: int
    message: str
    edit: Edit | None = None
    fix: str | None = None
    related: tuple[Location, ...] = ()
    severity: str | None = None  # the rule's, unless the kind says this hit is milder


class Target:
    """One article being checked, with what several kinds share computed once."""

    def __init__(self, article: Article, run: Run) -> None:
        self.article = article
        self.run = run

    @cached_property
    def prose(self) -> str:
        return prose_text(self.article)

    @cached_property
    def marks(self) -> Marks:
        """Where quotes, emphasis, brackets and masks stand in the prose (made when asked)."""
        return Marks(self.prose, self.article.source.starts)

    @cached_property
    def words(self) -> list[str] | None:
        """The article's words in lower case: its runs of ASCII letters and digits, and each
        hyphen as a word of its own ("e-mail" is "e", "-", "mail"), in order (``split_words``;
        every other character, ASCII or not, separates them); None when its text has a letter
        or digit other than ASCII ("Zoë": a word of a pattern's ``\\w``, which the split would
        cut). Lower-casing such a text keeps every offset (each character other than ASCII in
        it is neither a letter nor a digit, and stays one character).

        Made at C speed, they let a word kind tell that an article cannot have a finding
        before it builds the prose and runs its patterns: a word a pattern matches between
        characters that are not letters or digits is one of these, next to the same
        neighbours (less the punctuation between them).
        """
        text = self.visible
        if not text.isascii():
            if any(c.isalnum() for c in set(NOT_ASCII.findall(text))):
                return None
            text = text.encode("ascii", "replace").decode("ascii")  # each one a "?"
        return split_words(text)

    @cached_property
    def ascii_words(self) -> list[str]:
        """``words`` for any text: in one with letters or digits other than ASCII, each
        character other than ASCII is made the ASCII letter it matches ignoring case
        (``AS_ASCII``), else a separator, before the split. A word of ASCII
        letters and digits that a pattern of ASCII literals matches between characters that are
        not letters or digits (ASCII or not) is one of these, next to the same neighbours; a
        letter other than ASCII glued to it splits it, which only adds words."""
        if self.words is not None:
            return self.words
        text = self.visible
        if any(letter in text for letter in AS_LETTERS):  # rare: translating is slow
            text = text.translate(AS_ASCII)
        return split_words(text.encode("ascii", "replace").decode("ascii"))

    @cached_property
    def visible(self) -> str:
        """The text less the markup a reader does not see between words (link destinations,
        inline tags), each made a space: "the [the](page.md)" reads "the [the ". Words next
        to each other here may be next to each other in the prose; found at C speed."""
        text = self.article.source.text
        return UNSEEN_MARKUP.sub(" ", text) if "](" in text or "<" in text else text

    def prose_lines(self, text: str) -> str:
        """The lines of ``text`` (the article's text, or one made from it line for line) that
        hold prose (``Article.prose``), each after a line break: what the prose is made of,
        unmasked, without building it. A pattern match in the prose is one here, but for the
        masks that stop it and the blocks that a line break joins here."""
        lines = text.split("\n")
        return "".join(
            ["\n" + line for first, end in self.article.prose for line in lines[first:end]]
        )

    @cached_property
    def scan(self) -> str:
        """The prose after one line break, for patterns that look at the character before a
        word: they find a word at the very start too. An offset in it is ``SCAN`` more than in
        the text."""
        return "\n" + self.prose

    @cached_property
    def titled_headings(self) -> frozenset[int]:
        """The lines of the headings whose anchor is made from their text (no ``{#id}``)."""
        return frozenset(
            line
            for section in self.article.sections
            if not section.explicit
            for line in range(section.line, section.body[0] + 1)
        )

    def hit_at(self, offset: int, message: str, **kwargs: Any) -> Hit:
        """A hit at an offset of the text. Its edit is dropped in a heading without an
        explicit ``{#id}``: the fix would change the anchor that links and citations name."""
        line, column = self.article.source.position(offset)
        if kwargs.get("edit") is not None and line in self.titled_headings:
            kwargs["edit"] = None
            kwargs["fix"] = f"{kwargs.get('fix') or 'fix it'} by hand: {HEADING_FIX}"
        return Hit(line, column, message, **kwargs)


# Builds an InputError at a pointer under the rule's ``with:`` (a position in the rule file),
# at the value there or, with ``key=True``, at the mapping key that names it.
Fail = Callable[..., InputError]
# Prepares a rule's validated parameters once, when the style loads (compiles its patterns).
Prepare = Callable[[dict[str, Any], Fail], Any]
Check = Callable[[Target, "ArticleRule"], Iterator[Hit]]


def _as_is(params: dict[str, Any], fail: Fail) -> Any:
    return params


@dataclass(frozen=True)
class Kind:
    """``check`` is None for the kinds the runner itself reports (encoding, suppressions)."""

    name: str
    summary: str
    params: dict[str, Any]
    check: Check | None
    prepare: Prepare = _as_is
    fixable: bool = False
