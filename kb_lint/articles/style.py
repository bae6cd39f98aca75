"""House styles as data: a folder with ``style.yaml`` and a ``rules/`` folder of rule files.

Each rule file instantiates one check kind with parameters (``with:``), under a stable id, and
documents itself: what it checks (``summary``), why it matters, a failing ``example`` (and
optionally a ``passing`` one), and the ``fix``. A style may ``extends:`` another (its rules
come first; a rule file with the same id replaces the parent's, ``disable:`` drops some).

A style folder may also hold ``pronunciations.yaml``: word lists that tell how words the
dictionary does not settle are said (``kb_lint.articles.pronounce``); a style's lists add to
its parent's.

Styles are found by name in the project's ``styles`` folder (config), then among the styles
kb-lint ships (``kb_lint/styles``); a path to a style folder works too. Every file is
validated: a mistake is an ``InputError`` at its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from kb_lint.articles.kinds import KINDS
from kb_lint.articles.pronounce import LISTS, Pronunciations, Sounds
from kb_lint.errors import InputError, did_you_mean
from kb_lint.findings import SEVERITIES, RuleInfo
from kb_lint.load import Document, Pointer, load_document
from kb_lint.load.validate import Validator, compile_schema

BUILTIN = Path(__file__).resolve().parent.parent / "styles"
STYLE_FILE = "style.yaml"
PRONUNCIATIONS_FILE = "pronunciations.yaml"
RULES_FOLDER = "rules"
TEXT = {"type": "string", "pattern": r"\S"}

STYLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "description"],
    "properties": {
        "title": TEXT,
        "description": TEXT,
        "extends": TEXT,
        "disable": {"type": "array", "items": {"type": "string"}, "default": []},
    },
}
RULE_FIELDS: dict[str, Any] = {
    "id": {"type": "string", "pattern": r"^KB-[A-Z]+-[0-9]{3}$"},
    "name": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*$"},
    "title": TEXT,
    "kind": {"enum": sorted(KINDS)},
    "severity": {"enum": list(SEVERITIES)},
    "summary": TEXT,
    "why": TEXT,
    "example": TEXT,
    "passing": TEXT,
    "fix": TEXT,
    "with": {"type": "object", "default": {}},
}
WORDS = {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z0-9]+$"}}
PRONUNCIATIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {name: WORDS for name in LISTS},
}
REQUIRED_FIELDS = ["id", "name", "kind", "severity", "summary", "why", "example", "fix"]


class UnknownStyle(Exception):
    """No style of that name: a usage error, not a file error."""


@dataclass(frozen=True)
class ArticleRule:
    """One rule of a style: a kind, its parameters, and its documentation."""

    id: str
    name: str
    kind: str
    severity: str
    summary: str
    why: str
    example: str
    fix: str
    params: dict[str, Any]
    path: str
    style: str
    passing: str | None = None
    title: str = ""  # what the rule's page is titled by (default: its name)
    prepared: Any = field(default=None, compare=False, repr=False)

    @property
    def fixable(self) -> bool:
        return KINDS[self.kind].fixable

    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.name, self.severity, self.summary)


@dataclass(frozen=True)
class Style:
    name: str
    title: str
    description: str
    path: Path
    rules: tuple[ArticleRule, ...]
    extends: str | None = None
    pronunciations: Pronunciations = field(default_factory=Pronunciations)

    @cached_property
    def sounds(self) -> Sounds:
        """How words start to sound, by this style's pronunciations (made once, when used)."""
        return Sounds(self.pronunciations)

    def rule(self, rule_id: str) -> ArticleRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def of_kind(self, kind: str) -> ArticleRule | None:
        return next((r for r in self.rules if r.kind == kind), None)

    def infos(self) -> dict[str, RuleInfo]:
        return {rule.id: rule.info() for rule in self.rules}


def load_style(name: str, styles: Path | None = None) -> Style:
    """The style called ``name`` (or at the folder ``name``), its parents' rules included."""
    return _load(_find(name, styles), styles, ())


def style_names(styles: Path | None = None) -> list[str]:
    """The styles that can be named: the project's, then the shipped ones."""
    folders = [f for f in (styles, BUILTIN) if f is not None and f.is_dir()]
    found = {p.parent.name for folder in folders for p in folder.glob(f"*/{STYLE_FILE}")}
    return sorted(found)


def _find(name: str, styles: Path | None) -> Path:
    given = Path(name)
    if (given / STYLE_FILE).is_file():
        return given.resolve()
    for folder in (styles, BUILTIN):
        if folder is not None and (folder / name / STYLE_FILE).is_file():
            return (folder / name).resolve()
    known = style_names(styles)
    raise UnknownStyle(
        f"unknown style '{name}'{did_you_mean(name, known)}; known: {', '.join(known)}"
    )


@dataclass(frozen=True)
class _Folder:
    """One style folder as written, before its parent's rules are merged in."""

    style: Style
    disable: tuple[str, ...]
    document: Document


def _load(folder: Path, styles: Path | None, seen: tuple[Path, ...]) -> Style:
    own = _read(folder)
    parent_name = own.style.extends
    if parent_name is None:
        return own.style
    where = own.document.path
    if folder in seen:
        raise InputError(where, *own.document.locate(("extends",)), "styles extend in a circle")
    try:
        parent = _load(_find(parent_name, styles), styles, (*seen, folder))
    except UnknownStyle as exc:
        raise InputError(where, *own.document.locate(("extends",)), str(exc)) from None
    known = {rule.id for rule in parent.rules}
    for index, rule_id in enumerate(own.disable):
        if rule_id not in known:
            hint = did_you_mean(rule_id, known)
            message = f"disable: style '{parent.name}' has no rule {rule_id}{hint}"
            raise InputError(where, *own.document.locate(("disable", index)), message)
    replaced = {rule.id: rule for rule in own.style.rules}
    rules = [replaced.pop(r.id, r) for r in parent.rules if r.id not in own.disable]
    pronunciations = parent.pronunciations.then(own.style.pronunciations)
    return replace(
        own.style, rules=_by_id([*rules, *replaced.values()]), pronunciations=pronunciations
    )


@cache
def _read(folder: Path) -> _Folder:
    document = load_document(folder / STYLE_FILE)
    data = compile_schema(STYLE_SCHEMA).validate(document)
    rules: list[ArticleRule] = []
    seen: dict[str, str] = {}
    for path in sorted((folder / RULES_FOLDER).glob("*.yaml")):
        rule_document = load_document(path)
        rule = _rule(rule_document, folder.name)
        if rule.id in seen:
            line, column = rule_document.locate(("id",))
            message = f"rule id {rule.id} is also defined in {seen[rule.id]}"
            raise InputError(str(path), line, column, message)
        seen[rule.id] = str(path)
        rules.append(rule)
    style = Style(
        name=folder.name,
        title=data["title"],
        description=data["description"],
        path=folder,
        rules=_by_id(rules),
        extends=data.get("extends"),
        pronunciations=_pronunciations(folder / PRONUNCIATIONS_FILE),
    )
    return _Folder(style, tuple(data["disable"]), document)


def _pronunciations(path: Path) -> Pronunciations:
    """A style's word lists, lower-cased; a word in two of them is an error at the second."""
    if not path.is_file():
        return Pronunciations()
    document = load_document(path)
    data = compile_schema(PRONUNCIATIONS_SCHEMA).validate(document)
    seen: dict[str, str] = {}
    for name, words in data.items():  # in the file's order: the second mention is the error
        for index, word in enumerate(words):
            key = word.lower()
            if key in seen:
                line, column = document.locate((name, index))
                message = f"'{word}' is also listed under '{seen[key]}'"
                raise InputError(str(path), line, column, message)
            seen[key] = name
    lists = {name: frozenset(w.lower() for w in data[name]) for name in LISTS if data.get(name)}
    return Pronunciations(lists)


def _by_id(rules: list[ArticleRule]) -> tuple[ArticleRule, ...]:
    return tuple(sorted(rules, key=lambda rule: rule.id))


def _rule(document: Document, style: str) -> ArticleRule:
    data = _validator(None).validate(document)
    kind = KINDS[data["kind"]]
    data = _validator(kind.name).validate(document)

    def fail(pointer: Pointer, message: str, key: bool = False) -> InputError:
        locate = document.locate_key if key else document.locate
        line, column = locate(("with", *pointer))
        return InputError(document.path, line, column, message)

    return ArticleRule(
        id=data["id"],
        name=data["name"],
        kind=kind.name,
        severity=data["severity"],
        summary=data["summary"].strip(),
        why=data["why"].strip(),
        example=data["example"],
        fix=data["fix"].strip(),
        params=data["with"],
        path=document.path,
        style=style,
        passing=data.get("passing"),
        title=data.get("title", "").strip(),
        prepared=kind.prepare(data["with"], fail),
    )


@cache
def _validator(kind: str | None) -> Validator:
    """The rule-file schema; given a kind, with that kind's parameters under ``with``."""
    fields = dict(RULE_FIELDS)
    if kind is not None:
        fields["with"] = {**KINDS[kind].params, "default": {}}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": REQUIRED_FIELDS,
        "properties": fields,
    }
    return compile_schema(schema)
