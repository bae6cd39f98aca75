"""Inline suppressions: HTML comments that turn rules off, each with a reason.

    <!-- kb-lint disable KB-STYLE-003: the product's own spelling -->   to `enable` or the end
    <!-- kb-lint enable KB-STYLE-003 -->
    <!-- kb-lint disable-next-line KB-STYLE-001, KB-STYLE-002: quoted from the customer -->
    ... text <!-- kb-lint disable-line KB-STYLE-001: quoted -->   its line, and the paragraph
                                                                  and list items it ends
    <!-- kb-lint disable-file KB-STRUCT-001: a short notice, not a full article -->

Ids may be prefixes (``KB-STYLE`` for every style rule). A directive without a reason, with an
unknown form or rule id, is reported (and applies to nothing); so is one that suppresses
nothing. Only comments in the Markdown count, not ones inside code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from kb_lint.articles.kind import Hit
from kb_lint.articles.model import DIRECTIVE, Article, Html
from kb_lint.errors import did_you_mean
from kb_lint.findings import Finding

BODY = re.compile(r"\s*(\S*)\s*([^:]*?)\s*(?::\s*([\s\S]*?))?\s*$")
FORMS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")
END = 1 << 62
NEWLINE = re.compile("\n")


@dataclass
class Suppression:
    form: str
    ids: tuple[str, ...]
    line: int
    column: int
    first: int
    last: int
    used: set[str] = field(default_factory=set)

    def matching(self, rule: str, line: int) -> str | None:
        if not self.first <= line <= self.last:
            return None
        return next((i for i in self.ids if rule.startswith(i)), None)


def read_suppressions(
    article: Article, rule_ids: Iterable[str]
) -> tuple[list[Suppression], list[Hit]]:
    """The article's suppressions, and a hit for each directive that is malformed."""
    known = sorted(rule_ids)
    found: list[Suppression] = []
    problems: list[Hit] = []
    opened: dict[str, list[Suppression]] = {}
    for html in article.html:
        breaks = [m.start() for m in NEWLINE.finditer(html.content)]
        for match in DIRECTIVE.finditer(html.content):
            line, column = _position(html, breaks, match.end(1))
            end_line = line + match.group(2).count("\n")
            count = len(found)
            problem = _directive(match.group(2), (line, column, end_line), known, found, opened)
            if len(found) > count and found[-1].form == "disable-line":
                found[-1].first = _ended(article, line, end_line)
            if problem:
                problems.append(Hit(line, column, problem))
    return found, problems


def _ended(article: Article, line: int, last: int) -> int:
    """The first line of what a comment on lines ``line`` to ``last`` ends: the paragraph and
    the list items whose last line is ``last`` (a hard-wrapped item is ended on its last line,
    while findings about it are on its first); ``line`` when it ends none."""
    lines = article.source.lines
    first = line
    for start, end in article.prose:
        if start < line <= end and _last_line(lines, start, end) == last:
            first = min(first, start + 1)
    for block in article.lists:
        for item in block.items:
            if item.line <= line and _last_line(lines, item.line - 1, item.end) == last:
                first = min(first, item.line)
    return first


def _last_line(lines: list[str], start: int, end: int) -> int:
    """The 1-based number of the last line with text among the 0-based lines [start, end)."""
    end = min(end, len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _position(html: Html, breaks: list[int], offset: int) -> tuple[int, int]:
    """The line and column of ``offset`` in the comment's text, whose line breaks are at
    ``breaks`` (a bisection: many comments in one long block cost no scan each)."""
    newlines = bisect_left(breaks, offset)
    if not newlines:
        return html.line, html.column + offset
    return html.line + newlines, offset - breaks[newlines - 1]


def _directive(
    body: str,
    place: tuple[int, int, int],
    known: list[str],
    found: list[Suppression],
    opened: dict[str, list[Suppression]],
) -> str | None:
    """Parse one directive into ``found`` (a ``disable`` also into ``opened``, under each of
    its ids), at ``place``: its line, column and last line; what is wrong with it, if
    anything."""
    line, column, end_line = place
    form, names, reason = BODY.match(body).groups()  # every part is optional: it always matches
    if form not in FORMS:
        hint = did_you_mean(form, FORMS)
        return f"unknown kb-lint directive '{form}'{hint}; use one of {', '.join(FORMS)}"
    ids = tuple(i for i in re.split(r"[,\s]+", names) if i)
    if not ids:
        return f"'kb-lint {form}' names no rule: write the rule ids after it"
    for rule_id in ids:
        if not any(k.startswith(rule_id) for k in known):
            return f"'kb-lint {form}' names an unknown rule {rule_id}{did_you_mean(rule_id, known)}"
    if form == "enable":
        return _enable(ids, line, opened)
    if not reason:
        return f"a suppression needs a reason: <!-- kb-lint {form} {', '.join(ids)}: why -->"
    first, last = {
        "disable": (line, END),
        "disable-line": (line, end_line),
        "disable-next-line": (end_line + 1, end_line + 1),
        "disable-file": (1, END),
    }[form]
    found.append(Suppression(form, ids, line, column, first, last))
    if form == "disable":
        for rule_id in ids:
            opened.setdefault(rule_id, []).append(found[-1])
    return None


def _enable(ids: tuple[str, ...], line: int, opened: dict[str, list[Suppression]]) -> str | None:
    """Close the latest open ``disable`` of each id (one comment may close several); those
    closed already (by an ``enable`` of another of their ids) are dropped as they are met."""
    closing = []
    for rule_id in ids:
        stack = opened.get(rule_id, [])
        while stack and stack[-1].last != END:
            stack.pop()
        if not stack:
            return f"'kb-lint enable {rule_id}' follows no 'kb-lint disable {rule_id}'"
        closing.append(stack[-1])
    for suppression in closing:
        suppression.last = line
    return None


def suppress(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no suppression covers; each suppression remembers what it suppressed."""
    if not suppressions:
        return findings
    kept = []
    for finding in findings:
        for suppression in suppressions:
            rule_id = suppression.matching(finding.rule, finding.location.line)
            if rule_id is not None:
                suppression.used.add(rule_id)
                break
        else:
            kept.append(finding)
    return kept


def unused(suppressions: list[Suppression], ran: set[str]) -> list[Hit]:
    """A hit for each id a suppression names that suppressed nothing, among rules that ran."""
    hits = []
    for suppression in suppressions:
        for rule_id in suppression.ids:
            checked = any(r.startswith(rule_id) for r in ran)
            if rule_id not in suppression.used and checked:
                hits.append(
                    Hit(
                        suppression.line,
                        suppression.column,
                        f"'kb-lint {suppression.form} {rule_id}' suppresses nothing: remove it",
                    )
                )
    return hits
