"""The steps kind: numbered procedures, numbered 1, 2, 3 and nested under their steps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kb_lint.articles.fix import Edit
from kb_lint.articles.kind import Fail, Hit, Kind, Target
from kb_lint.articles.model import ListBlock, ListItem, Section

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule


def _patterns(params: dict[str, Any], fail: Fail) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, pattern in enumerate(params["sections"]):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise fail(("sections", index), f"bad pattern: {exc}") from None
    return tuple(compiled)


def _steps(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    patterns: tuple[re.Pattern[str], ...] = rule.prepared
    for section in target.article.sections:
        if any(p.fullmatch(section.title) for p in patterns):
            yield from _procedure(target, section, rule.params)


def _procedure(target: Target, section: Section, params: dict[str, Any]) -> Iterator[Hit]:
    top = [b for b in section.lists if b.depth == 0 and not b.quoted]
    numbered = [b for b in top if b.ordered]
    if not numbered:
        if params["require-list"]:
            yield Hit(section.line, section.column, f"'{section.title}' has no numbered steps")
        return
    first = numbered[0]
    for block in numbered[1:]:
        stray = next((b for b in top if first.line < b.line < block.line and not b.ordered), None)
        cause = (
            f": the list at line {stray.line} is not indented under the step before it"
            if stray is not None
            else ""
        )
        yield Hit(
            block.line,
            block.column,
            f"the steps of '{section.title}' are split into separate lists here{cause}",
        )
    for block in section.lists:
        if block.ordered:
            yield from _numbering(target, block, restart=block is first or block.depth > 0)
        if block.depth == params["max-depth"]:
            yield Hit(
                block.line,
                block.column,
                f"a list nested {block.depth + 1} deep: this style nests steps at most "
                f"{params['max-depth']} deep",
            )


def _numbering(target: Target, block: ListBlock, restart: bool) -> Iterator[Hit]:
    """Items numbered 1, 2, 3...; a list split off earlier steps counts on from its start."""
    base = 1 if restart else block.start
    for index, item in enumerate(block.items):
        expected = base + index
        if item.number is None or item.number == expected:
            continue
        offset = target.article.source.offset(item.line, item.column)
        yield Hit(
            item.line,
            item.column,
            f"{_name(block, index)} is numbered {item.number}",
            edit=Edit(offset, offset + item.digits, str(expected)),
            fix=f"number it {expected}",
        )


def _name(block: ListBlock, index: int) -> str:
    parent: ListItem | None = block.parent
    if parent is None:
        return f"step {index + 1}"
    under = (
        f"step {parent.number}" if parent.number is not None else f"the item at line {parent.line}"
    )
    return f"sub-step {index + 1} under {under}"


STEPS = Kind(
    name="steps",
    summary="In each section whose title matches one of `sections`: the steps are one "
    "numbered list (with `require-list`, there is one), numbered 1, 2, 3 at every level, with "
    "sub-lists indented under their step and nested no deeper than `max-depth`.",
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["sections"],
        "properties": {
            "sections": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "require-list": {"type": "boolean", "default": True},
            "max-depth": {"type": "integer", "minimum": 1, "default": 3},
        },
    },
    check=_steps,
    prepare=_patterns,
    fixable=True,
)
