"""Where each generated page lives in the site, and relative links between pages.

Page paths are plain paths relative to the docs folder (MkDocs' ``src_uri``); ids from rule
files become file names through ``slug``, and links are percent-encoded by ``relative``.
"""

from __future__ import annotations

import posixpath
import re

from kb_lint.docs.escape import url_part

RULES_INDEX = "rules/index.md"
DEPLOYMENT_FORMAT = "reference/deployment-format.md"
PACK_FORMAT = "reference/pack-format.md"
EXPRESSIONS = "reference/expressions.md"


def slug(value: str) -> str:
    """A file name from an id: lowercase letters, digits, dots and hyphens."""
    return re.sub(r"[^a-z0-9.]+", "-", value.lower()).strip("-.") or "-"


def rule_page(rule_id: str) -> str:
    return f"rules/{slug(rule_id)}.md"


def style_rule_page(style: str, rule_id: str) -> str:
    """The page of an article-lint rule, under its house style."""
    return f"rules/{slug(style)}/{slug(rule_id)}.md"


def pack_page(pack_id: str, name: str) -> str:
    return f"packs/{slug(pack_id)}/{name}.md"


def table_page(pack_id: str, table_id: str) -> str:
    return f"packs/{slug(pack_id)}/tables/{slug(table_id)}.md"


def procedure_page(pack_id: str, procedure_id: str) -> str:
    return f"packs/{slug(pack_id)}/procedures/{slug(procedure_id)}.md"


def relative(source: str, target: str, anchor: str | None = None) -> str:
    """The link from page ``source`` to page ``target`` (both relative to the docs folder)."""
    path = posixpath.relpath(target, posixpath.dirname(source) or ".")
    link = "/".join(url_part(part) for part in path.split("/"))
    return f"{link}#{url_part(anchor)}" if anchor else link
