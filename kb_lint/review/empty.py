"""A pack with no rule yet (as ``kb-lint rules new`` writes it) encodes nothing (KB-RULES-011)."""

from __future__ import annotations

from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check

EMPTY_PACK = Check(
    id="KB-RULES-011",
    name="empty-pack",
    severity="info",
    what="A pack that has no rule yet, as `kb-lint rules new` writes it (information: the pack "
    "passes `rules check` until its first rule is written, and then every rule's checks apply).",
    why="A pack exists to make its article executable; with no rule, every deployment passes "
    "it, and the site shows an article nothing checks.",
    example="pack: {id: KB433, article: 433, ...}\nrules: []\n",
    fix="Write the article's first rule (`kb-lint explain authoring` prints the guide), with a "
    "failing and a passing example; the commented `cites` blocks `rules new` wrote are ready "
    "to use.",
)


def check_empty(source: PackSource) -> list[Finding]:
    if source.pack.rules:
        return []
    message = f"pack {source.pack.id} has no rule yet"
    return [EMPTY_PACK.finding(source.at(("rules",)), message)]
