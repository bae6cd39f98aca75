"""The steps kind: numbered procedures, numbered 1, 2, 3 and nested under their steps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kb_lint.articles.fix import Edit
from kb_lint.articles.kind import Fail, Hit, Kind, Target
from kb_lint.articles.model import ListBlock, ListItem, Section
from kb_lint.load.patterns import compile_pattern, place

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule


def _patterns(params: dict[str, Any], fail: Fail) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, pattern in enumerate(params["sections"]):
        try:
            compiled.append(
                compile_pattern(pattern, re.IGNORECASE, place(fail(("sections", index), "")))
            )
        except re.error as exc:
            raise fail(("sections", index), f"bad pattern: {exc}") from None
    return tuple(compiled)


def _steps(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    patterns: tuple[re.Pattern[str], ...] = rule.prepared
    sections = target.article.sections
    for index, section in enumerate(sections):
        if _is_steps(section, patterns):
            yield from _procedure(target, _parts(sections, index, patterns), rule.params)


def _is_steps(section: Section, patterns: tuple[re.Pattern[str], ...]) -> bool:
    return any(p.fullmatch(section.title) for p in patterns)


def _parts(
    sections: list[Section], index: int, patterns: tuple[re.Pattern[str], ...]
) -> list[Section]:
    """A steps section and its sub-sections, up to the next heading of its level or higher;
    a sub-section that is a steps section itself is checked on its own, with its own."""
    section = sections[index]
    parts = [section]
    inner: int | None = None  # the level of such a sub-section, while inside it
    for sub in sections[index + 1 :]:
        if sub.level <= section.level:
            break
        if inner is not None and sub.level > inner:
            continue
        inner = sub.level if _is_steps(sub, patterns) else None
        if inner is None:
            parts.append(sub)
    return parts


def _procedure(target: Target, parts: list[Section], params: dict[str, Any]) -> Iterator[Hit]:
    section = parts[0]
    if not any(_top(part, ordered=True) for part in parts):
        if params["require-list"]:
            yield Hit(section.line, section.column, f"'{section.title}' has no numbered steps")
        return
    for part in parts:
        yield from _lists(target, part, params)


def _top(section: Section, ordered: bool = False) -> list[ListBlock]:
    """The section's lists at the top level (not nested, not quoted); only numbered ones with
    ``ordered``."""
    return [
        b for b in section.lists if b.depth == 0 and not b.quoted and (b.ordered or not ordered)
    ]


def _lists(target: Target, section: Section, params: dict[str, Any]) -> Iterator[Hit]:
    """The steps under one heading: one numbered list, numbered from 1, nested not too deep."""
    top = _top(section)
    numbered = [b for b in top if b.ordered]
    if not numbered:
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
        message = f"{_name(block, index)} is numbered {item.number}"
        if not _keeps_its_lines(item, expected):
            fix = (
                f"number it {expected} and indent the lines under it to the new width "
                "(--fix leaves it: they would no longer belong to it)"
            )
            yield Hit(item.line, item.column, message, fix=fix)
            continue
        offset = target.article.source.offset(item.line, item.column)
        yield Hit(
            item.line,
            item.column,
            message,
            edit=Edit(offset, offset + item.digits, str(expected)),
            fix=f"number it {expected}",
        )


def _keeps_its_lines(item: ListItem, number: int) -> bool:
    """Whether numbering the item ``number`` keeps what belongs to it: a number of another
    width moves the column where its content starts, and the lines indented for the old one
    (a sub-list, a paragraph) would then belong to it no longer, or differently."""
    if len(str(number)) == item.digits:
        return True
    for line in item.source.lines[item.line : item.end]:
        text = line.expandtabs(4)
        if text.strip() and len(text) - len(text.lstrip()) >= item.content:
            return False
    return True


def _name(block: ListBlock, index: int) -> str:
    if block.quoted:
        return f"item {index + 1} of the quoted list"
    parent: ListItem | None = block.parent
    if parent is None:
        return f"step {index + 1}"
    under = (
        f"step {parent.number}" if parent.number is not None else f"the item at line {parent.line}"
    )
    return f"sub-step {index + 1} under {under}"


STEPS = Kind(
    name="steps",
    summary="In each section whose title matches one of `sections`, sub-sections included: "
    "the steps under each heading are one numbered list (with `require-list`, there is one), "
    "numbered 1, 2, 3 at every level, with sub-lists indented under their step and nested no "
    "deeper than `max-depth`. `--fix` renumbers, except a step whose new number is wider or "
    "narrower than the old one while lines under it are indented for the old width.",
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
