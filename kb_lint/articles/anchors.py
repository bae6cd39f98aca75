"""The heading anchors of the articles that links point to.

A link without an #anchor needs only its file to exist: that is one ``stat``, cached. A link
with one has its file parsed in full, once per run (per process), and its anchors are those of
``Article.sections``: what MkDocs gives its headings, whatever is around them (code, comments,
HTML, lists). So a link's #anchor is judged the same way whatever the order of the files, and
however they are shared between processes. (On the Exchange corpus's held-out half, 67 of the
1,695 files linked are linked with an #anchor: parsing every linked file doubled the parsing.)

A linked file that the process lints later keeps its parse until its turn (``article``), so
that a folder of articles linking to each other is still parsed about once per file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from kb_lint.articles.model import Article, parse_article, parse_source
from kb_lint.articles.source import SourceText
from kb_lint.errors import InputError

# How many parses of linked files wait for their turn to be linted, at most (an article
# parses to about six times its size: 2,048 articles of 7 KB keep some 80 MB).
KEEP = 2048


class Anchors:
    """The anchors of each linked file, or None for no such file; files are known by their
    normalised path."""

    def __init__(self) -> None:
        self.found: dict[str, set[str] | None] = {}
        self.coming: set[str] = set()
        self.kept: dict[str, Article] = {}
        self.files: dict[str, bool] = {}

    def expect(self, paths: Iterable[object]) -> None:
        """The files this process lints next (a parse kept for an earlier batch is dropped)."""
        self.coming = {os.path.normpath(str(path)) for path in paths}
        self.kept.clear()

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file (asked once per file and run)."""
        key = os.path.normpath(path)
        if key in self.found:
            return self.found[key] is not None
        if key not in self.files:
            self.files[key] = os.path.isfile(key)
        return self.files[key]

    def of(self, path: str) -> set[str] | None:
        key = os.path.normpath(path)
        if key not in self.found:
            self.found[key] = self._parse(key)
        return self.found[key]

    def article(self, source: SourceText) -> Article:
        """The parse of an article about to be linted: the one made for its anchors when it
        is of the same text."""
        key = os.path.normpath(source.path)
        article = self.kept.pop(key, None)
        if article is None or article.source.text != source.text:
            article = parse_source(source)
        self.found[key] = {section.anchor for section in article.sections}
        return article

    def _parse(self, key: str) -> set[str] | None:
        if not os.path.isfile(key):
            return None
        try:
            article = parse_article(key)
        except InputError:
            return set()  # unreadable, or not UTF-8: it has no heading a link can name
        if key in self.coming and len(self.kept) < KEEP:
            self.kept[key] = article
        return {section.anchor for section in article.sections}
