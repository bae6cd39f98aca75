"""The heading anchors of the articles that links point to.

Checking a link's #anchor only needs the target's headings, not a parse of the whole target:
``Anchors`` first scans the target's lines for ATX headings (outside front matter and fenced
code) and accepts an anchor found there; an anchor the scan does not find is looked up in the
full parse (``Article.sections``) before any link is reported broken. Articles parsed anyway
(the ones being linted) give their exact anchors for free.
"""

from __future__ import annotations

import os
import re

from markdown.extensions.toc import slugify, unique

from kb_lint.articles.model import _explicit_id, parse_article
from kb_lint.articles.source import read_source
from kb_lint.errors import InputError

ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def scanned_anchors(text: str) -> set[str]:
    """The anchors of the ATX headings at the top level, as MkDocs' toc makes them."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].rstrip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].rstrip() == "---"), 0)
    titles: list[str] = []
    fence = ""
    for line in lines[start:]:
        if fence:
            if line.lstrip(" ").startswith(fence) and not line.strip(fence[0] + " \t"):
                fence = ""
            continue
        opened = FENCE.match(line)
        if opened:
            fence = opened.group(1)
        elif "#" in line[:4] and (heading := ATX.fullmatch(line)):
            titles.append(heading.group(2) or "")
    ids = {a for t in titles if (a := _explicit_id(t))}
    anchors = set(ids)
    for title in titles:
        if _explicit_id(title) is None:
            anchors.add(unique(slugify(title, "-"), ids))
    return anchors


class Anchors:
    """What each linked file has: None for no such file, else its anchors (exact ones once a
    scan has missed, or once the file was parsed). Files are known by their normalised path."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[set[str], bool] | None] = {}

    def learn(self, path: str, anchors: list[str]) -> None:
        self.found[os.path.normpath(path)] = (set(anchors), True)

    def of(self, path: str, anchor: str) -> set[str] | None:
        """The anchors of ``path`` as far as needed to tell whether it has ``anchor``."""
        key = os.path.normpath(path)
        if key not in self.found:
            self.found[key] = self._scan(key)
        known = self.found[key]
        if known is None:
            return None
        anchors, exact = known
        if anchor in anchors or exact or not anchor:
            return anchors
        try:
            anchors = {s.anchor for s in parse_article(key).sections}
        except InputError:
            anchors = set()
        self.found[key] = (anchors, True)
        return anchors

    @staticmethod
    def _scan(path: str) -> tuple[set[str], bool] | None:
        if not os.path.isfile(path):
            return None
        try:
            return scanned_anchors(read_source(path).text), False
        except InputError:
            return set(), True
