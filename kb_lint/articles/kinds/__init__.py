"""The check kinds, each implemented once; styles instantiate them with parameters."""

from __future__ import annotations

from kb_lint.articles.kind import Kind
from kb_lint.articles.kinds.engine import ENCODING, SUPPRESSION, UNUSED_SUPPRESSION
from kb_lint.articles.kinds.front_matter import FRONT_MATTER, KEY_SCHEMA, REQUIRED_KEYS
from kb_lint.articles.kinds.headings import HEADING_LEVELS, SECTIONS
from kb_lint.articles.kinds.links import LINKS
from kb_lint.articles.kinds.steps import STEPS
from kb_lint.articles.kinds.trace import CITATIONS, COVERAGE
from kb_lint.articles.kinds.words import INDEFINITE_ARTICLE, REPETITION, SUBSTITUTION

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        FRONT_MATTER,
        REQUIRED_KEYS,
        KEY_SCHEMA,
        SECTIONS,
        HEADING_LEVELS,
        STEPS,
        SUBSTITUTION,
        INDEFINITE_ARTICLE,
        REPETITION,
        LINKS,
        CITATIONS,
        COVERAGE,
        ENCODING,
        SUPPRESSION,
        UNUSED_SUPPRESSION,
    )
}
