"""The links kind: links to other articles (and front matter lists of them) lead somewhere."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import unquote

from kb_lint.articles.kind import Hit, Kind, Target
from kb_lint.errors import did_you_mean

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _links(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    article = target.article
    for link in article.links:
        problem = _problem(target, link.href, rule)
        if problem:
            yield Hit(link.line, link.column, problem)
    meta = article.meta
    for key in rule.params["front-matter"]:
        value = article.front_matter.get(key)
        entries = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for index, href in enumerate(entries):
            problem = _problem(target, href, rule) if isinstance(href, str) else None
            if problem and meta is not None:
                pointer = (key, index) if isinstance(value, list) else (key,)
                yield Hit(*meta.locate(pointer), f"{key}: {problem}")


def _problem(target: Target, href: str, rule: ArticleRule) -> str | None:
    """What is wrong with a link to ``href``, or None when it resolves (or is not checked)."""
    if SCHEME.match(href) or href.startswith(("/", "//")):
        return None
    address, _, anchor = href.partition("#")
    address = unquote(address.partition("?")[0])
    if not address:
        anchors = [s.anchor for s in target.article.sections]
        if anchor and anchor not in anchors:
            hint = did_you_mean(anchor, anchors)
            return f'the link to "#{anchor}" names no heading of this article{hint}'
        return None
    params = rule.params
    if not address.endswith(tuple(params["extensions"])):
        return None
    if any(fnmatch.fnmatch(address, pattern) for pattern in params["ignore"]):
        return None
    file = os.path.join(os.path.dirname(target.article.path), address)
    linked = target.run.linked
    anchors = linked.of(file) if anchor else set() if linked.exists(file) else None
    if anchors is None:
        return f'the link to "{href}" leads nowhere: there is no file {address}'
    if anchor and anchor not in anchors:
        hint = did_you_mean(anchor, sorted(anchors))
        return f'the link to "{href}" names no heading of {address}{hint}'
    return None


LINKS = Kind(
    name="links",
    summary="Relative links to files ending in one of `extensions` (other articles) lead to a "
    "file, and their #anchor to one of its headings; links to #anchors of the article itself "
    "too. The lists under the front matter keys in `front-matter` are links as well. Links "
    "with a scheme (https:, mailto:) or an absolute path, and paths matching `ignore`, are "
    "not checked.",
    params={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "front-matter": {"type": "array", "items": {"type": "string"}, "default": []},
            "extensions": {"type": "array", "items": {"type": "string"}, "default": [".md"]},
            "ignore": {"type": "array", "items": {"type": "string"}, "default": []},
        },
    },
    check=_links,
)
