"""Structure kinds: the house sections, present and in order; heading levels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb_lint.articles.kind import Fail, Hit, Kind, Target
from kb_lint.articles.model import Section
from kb_lint.load.patterns import compile_pattern, place

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule


@dataclass(frozen=True)
class Expected:
    """One section of the house template: a title, or a pattern the title matches."""

    name: str
    title: str | None
    pattern: re.Pattern[str] | None
    required: bool
    repeat: bool
    folded: str

    def matches(self, title: str, folded: str) -> bool:
        """Whether a heading (and its title, folded) is this section."""
        if self.pattern is not None:
            return self.pattern.fullmatch(title) is not None
        return folded == self.folded


@dataclass(frozen=True)
class Template:
    level: int
    closed: bool
    sections: tuple[Expected, ...]

    def find(self, title: str) -> int | None:
        folded = _folded(title)
        return next((i for i, e in enumerate(self.sections) if e.matches(title, folded)), None)


def _template(params: dict[str, Any], fail: Fail) -> Template:
    sections = []
    for index, entry in enumerate(params["sections"]):
        pattern = None
        if "pattern" in entry:
            try:
                where = place(fail(("sections", index, "pattern"), ""))
                pattern = compile_pattern(entry["pattern"], re.IGNORECASE, where)
            except re.error as exc:
                raise fail(("sections", index, "pattern"), f"bad pattern: {exc}") from None
        elif "title" not in entry:
            raise fail(("sections", index), "a section needs a 'title' or a 'pattern'")
        name = entry.get("title") or entry["pattern"]
        title = entry.get("title") if pattern is None else None
        folded = _folded(title or "")
        sections.append(Expected(name, title, pattern, entry["required"], entry["repeat"], folded))
    return Template(params["level"], params["closed"], tuple(sections))


def _folded(title: str) -> str:
    return " ".join(title.split()).casefold()


def _sections(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    template: Template = rule.prepared
    found: list[tuple[Section, int]] = []
    for section in target.article.sections:
        if section.level != template.level:
            continue
        index = template.find(section.title)
        if index is None:
            if template.closed:
                names = ", ".join(f"'{e.name}'" for e in template.sections)
                yield Hit(
                    section.line,
                    section.column,
                    f"'{section.title}' is not one of the sections of this style ({names})",
                    fix=f"Rename '{section.title}' to one of {names}, or fold it into one.",
                )
            continue
        expected = template.sections[index]
        if expected.title is not None and section.title != expected.title:
            yield Hit(
                section.line,
                section.column,
                f"write the heading as '{expected.title}', not '{section.title}'",
                fix=f"Write '{expected.title}' (give it {{#{section.anchor}}} to keep its links).",
            )
        found.append((section, index))
    yield from _repeats(template, found)
    yield from _order(found)
    yield from _missing(target, template, found)


def _repeats(template: Template, found: list[tuple[Section, int]]) -> Iterator[Hit]:
    first: dict[int, Section] = {}
    for section, index in found:
        if index in first and not template.sections[index].repeat:
            yield Hit(
                section.line,
                section.column,
                f"a second '{section.title}' section (the first is at line {first[index].line})",
                fix=f"Merge it into the '{section.title}' section at line {first[index].line}.",
            )
        first.setdefault(index, section)


def _order(found: list[tuple[Section, int]]) -> Iterator[Hit]:
    latest: tuple[Section, int] | None = None
    for section, index in found:
        if latest is not None and index < latest[1]:
            before = latest[0]
            yield Hit(
                section.line,
                section.column,
                f"'{section.title}' should come before '{before.title}' (line {before.line})",
                fix=f"Move '{section.title}' above '{before.title}' (line {before.line}).",
            )
        elif latest is None or index > latest[1]:
            latest = (section, index)


def _missing(target: Target, template: Template, found: list[tuple[Section, int]]) -> Iterator[Hit]:
    present = {index for _, index in found}
    for index, expected in enumerate(template.sections):
        if not expected.required or index in present:
            continue
        after = next((s for s, i in found if i > index), None)
        if after is not None:
            where = f" (before '{after.title}')"
            fix = f"Add the section '{expected.name}' above '{after.title}' (line {after.line})."
            message = f"the section '{expected.name}' is missing{where}"
            yield Hit(after.line, after.column, message, fix=fix)
        else:
            fix = f"Add the section '{expected.name}' at the end of the article."
            yield Hit(_last_line(target), 1, f"the section '{expected.name}' is missing", fix=fix)


def _last_line(target: Target) -> int:
    lines = target.article.source.lines
    return next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 1)


def _heading_levels(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    params = rule.params
    sections = target.article.sections
    deepest = params["max-level"]
    previous = 0
    for number, section in enumerate(sections):
        level = section.level
        at = (section.line, section.column)
        if params["title"] and number == 0 and level != 1:
            yield Hit(*at, f"the first heading is level {level}: the title is a level-1 heading")
        elif params["title"] and number > 0 and level == 1:
            yield Hit(*at, "a second level-1 heading: only the article's title is level 1")
        elif previous and level > previous + 1:
            yield Hit(*at, f"the heading level jumps from {previous} to {level}")
        if level > deepest:
            yield Hit(*at, f"a level-{level} heading: this style goes down to level {deepest}")
        previous = level
    if params["title"] and not sections:
        yield Hit(1, 1, "the article has no title heading (# Title)")
    key = params.get("title-key")
    title = target.article.front_matter.get(key) if key else None
    first = sections[0] if sections else None
    if (
        first
        and first.level == 1
        and isinstance(title, str)
        and _folded(title) != _folded(first.title)
    ):
        yield Hit(
            first.line,
            first.column,
            f"the title heading '{first.title}' differs from the front matter's {key} '{title}'",
        )


SECTIONS = Kind(
    name="sections",
    summary="The headings at `level` follow the house template `sections`: each required one "
    "present, titled as written, none twice unless `repeat`, in the template's order; with "
    "`closed: true`, no others.",
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["sections"],
        "properties": {
            "level": {"type": "integer", "minimum": 1, "default": 2},
            "closed": {"type": "boolean", "default": False},
            "sections": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "title": {"type": "string"},
                        "pattern": {"type": "string"},
                        "required": {"type": "boolean", "default": True},
                        "repeat": {"type": "boolean", "default": False},
                    },
                },
            },
        },
    },
    check=_sections,
    prepare=_template,
)
HEADING_LEVELS = Kind(
    name="heading-levels",
    summary="With `title`, the first heading is the only level-1 heading (and, with "
    "`title-key`, says what that front matter key says); levels go down one at a time, and no "
    "deeper than `max-level`.",
    params={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": "boolean", "default": True},
            "title-key": {"type": "string"},
            "max-level": {"type": "integer", "minimum": 1, "default": 6},
        },
    },
    check=_heading_levels,
)
