"""The server's one door into kb-lint's linters: a document's text in, its findings out.

Every call into the model, pack, engine, review and article layers is made here, so that a
change to their signatures is met in one place. The linters read files; here they read the
editor's text instead (``load_text``, ``SourceText``), under the path the file has on disk, so
that positions, waivers and per-file ignores match what ``kb-lint check`` reports.

What a document is: ``pack.yaml`` is a rule pack; a ``.md`` file an article (under the config's
``articles`` folders when it names some, else any with front matter); a YAML or JSON file a
deployment when it says so (``instances`` or ``timeline`` at the top level, or the deployment
schema named in a comment); a CSV of assignments a deployment. Anything else is not linted.

Cost: one lint of a deployment is what ``kb-lint check`` spends on the file, less start-up
(rule packs are loaded once per workspace and kept until a file is saved); an article costs
one parse and the style's checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from kb_lint.articles.fix import Edit
from kb_lint.articles.kinds.trace import CitationIndex, load_citations
from kb_lint.articles.lint import article_waivers, rules_folder
from kb_lint.articles.run import Run, fix_source, lint_source
from kb_lint.articles.source import SourceText
from kb_lint.articles.style import Style, UnknownStyle, load_style
from kb_lint.config import Config, load_config
from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.load import Pointer, load_text
from kb_lint.model.deployment import BUILT_IN, build_deployment, deployment_validator
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.declared import PACK_FILE
from kb_lint.pack.document import read_sources
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import RulePack
from kb_lint.pack.sources import rule_set
from kb_lint.review import PER_PACK
from kb_lint.review.ids import check_ids
from kb_lint.review.schema import INVALID_PACK
from kb_lint.waivers import apply_waivers

ARTICLE, DEPLOYMENT, PACK = "article", "deployment", "pack"
DEPLOYMENT_SUFFIXES = (".yaml", ".yml", ".json")
DECLARES_DEPLOYMENT = re.compile(
    r"""^["']?(?:instances|timeline)["']?\s*:|deployment\.schema\.json|^\{\s*"(?:instances|timeline)""",
    re.MULTILINE,
)
T = TypeVar("T")
CSV_HEADER = re.compile(r"\A\ufeff?\s*instance\s*,", re.IGNORECASE)


def kind_of(path: Path, text: str, config: Config) -> str | None:
    """What kind of kb-lint document ``path`` is (see the module's docstring), or None."""
    suffix = path.suffix.lower()
    if path.name == PACK_FILE:
        return PACK
    if suffix == ".md":
        if config.articles:
            return ARTICLE if any(path.is_relative_to(a) for a in config.articles) else None
        return ARTICLE if text.startswith(("---\n", "---\r\n", "\ufeff---")) else None
    if suffix == ".csv":
        return DEPLOYMENT if CSV_HEADER.match(text) else None
    if suffix in DEPLOYMENT_SUFFIXES and DECLARES_DEPLOYMENT.search(text):
        return DEPLOYMENT
    return None


@dataclass
class Linted:
    """A document's findings (those located in it), or the input error that stopped its lint
    (it may be in another file: the config, a rule pack)."""

    kind: str | None
    findings: list[Finding] = field(default_factory=list)
    error: InputError | None = None
    source: SourceText | None = None  # an article's text, to place its fixes' edits

    def edit_span(self, edit: Edit) -> tuple[tuple[int, int], tuple[int, int]]:
        """The 1-based (line, column) where an article fix's edit starts and ends."""
        assert self.source is not None, "only an article's findings carry edits"
        return self.source.position(edit.start), self.source.position(edit.end)


@dataclass
class Context:
    """What the documents of one workspace folder are linted with, loaded on first use."""

    config: Config
    _packs: list[RulePack] | None = None
    _style: Style | None = None
    _runs: dict[str | None, Run] = field(default_factory=dict)

    @classmethod
    def of_folder(cls, folder: Path) -> Context:
        """The configuration found from ``folder`` (kb-lint.toml, or pyproject.toml with
        ``[tool.kb-lint]``, there or above); an invalid one is an ``InputError``."""
        return cls(_anchored(load_config(start=folder)))

    @property
    def packs(self) -> list[RulePack]:
        """The packs a ``kb-lint check`` from the folder loads: shipped, installed, configured."""
        if self._packs is None:
            self._packs = rule_set(None, self.config.rules_folder())
        return self._packs

    @property
    def vocabulary(self) -> Vocabulary:
        """The fields and actions of the packs: what a deployment may hold."""
        return vocabulary_of(self.packs)

    @property
    def style(self) -> Style:
        if self._style is None:
            try:
                self._style = load_style(self.config.style, self.config.styles)
            except UnknownStyle as exc:
                raise InputError(self.config.source or "kb-lint.toml", 1, 1, str(exc)) from None
        return self._style

    def run(self, path: Path) -> Run:
        """The article run: the style, and the citations of the rules folder that applies."""
        folder = rules_folder(self.config, [path])
        key = str(folder) if folder is not None else None
        if key not in self._runs:
            citations: CitationIndex | None = None
            if folder is not None:
                citations = load_citations(folder)
            waivers = article_waivers(self.config, self.style)
            self._runs[key] = Run(self.style, self.config, citations, waivers)
        return self._runs[key]


def _anchored(config: Config) -> Config:
    """The config with its path globs (per-file ignores, waivers) anchored at its folder: the
    server names files by absolute path, where the command line, run from that folder, names
    them relative to it. A glob that starts with ``*``, or is absolute, matches either way."""

    def anchor(glob: str) -> str:
        return glob if glob.startswith(("*", "/")) else f"{config.root.as_posix()}/{glob}"

    return replace(
        config,
        per_file_ignores={anchor(g): ids for g, ids in config.per_file_ignores.items()},
        waivers=tuple(replace(w, path=anchor(w.path)) for w in config.waivers),
    )


def lint_document(context: Context, path: Path, text: str, kind: str | None = None) -> Linted:
    """The findings of the document ``path`` holding ``text``, linted as ``kind`` (by default,
    what ``kind_of`` says it is); bad input gives ``error``."""
    kind = kind or kind_of(path, text, context.config)
    try:
        if kind == ARTICLE:
            source = _source(path, text)
            return Linted(kind, _article(context, source), source=source)
        if kind == DEPLOYMENT:
            return Linted(kind, _deployment(context, path, text))
        if kind == PACK:
            return Linted(kind, _pack(path, text))
    except InputError as exc:
        return Linted(kind, error=exc)
    return Linted(kind)


def _own(findings: list[Finding], path: Path) -> list[Finding]:
    """The findings located in this document (not, say, an unused waiver in the config)."""
    name = str(path)
    return [f for f in findings if f.location.path == name]


def _deployment(context: Context, path: Path, text: str) -> list[Finding]:
    doc = load_text(str(path), text)
    vocabulary = context.vocabulary
    deployment = build_deployment(doc, deployment_validator(vocabulary).validate(doc), vocabulary)
    config, name = context.config, str(path)
    found = check_deployment(deployment, context.packs, lambda rule: config.selects(rule, name))
    own = article_waivers(config, context.style) if config.waivers else ()
    waivers = tuple(w for w in config.waivers if w not in own)
    return _own(apply_waivers(found, waivers), path)


def _article(context: Context, source: SourceText) -> list[Finding]:
    path = Path(source.path)
    run = context.run(path)
    return _own(apply_waivers(lint_source(source, run), run.waivers), path)


def fixed_article(context: Context, path: Path, text: str) -> str:
    """The article's text with every safe fix applied, as ``kb-lint articles --fix`` writes it."""
    fixed, _, _ = fix_source(_source(path, text), context.run(path))
    return fixed.raw


def _source(path: Path, text: str) -> SourceText:
    bom = text.startswith("\ufeff")
    return SourceText(str(path), text[1:] if bom else text, bom)


def _pack(path: Path, text: str) -> list[Finding]:
    """The pack's own checks (``kb-lint rules check`` on this one pack), its rules folder loaded
    as that command loads it (``read_sources``), with the text being edited in place of its
    file; each error of a pack that does not load is a KB-RULES-010 finding at its position."""
    try:
        doc = load_text(str(path), text)
    except InputError as exc:
        return [INVALID_PACK.finding(Location(exc.path, exc.line, exc.column), exc.message)]
    sources, errors = read_sources(path.parent.parent, doc)
    mine = [e for e in errors if Path(e.path).resolve() == path.resolve()]
    if mine:
        found = [INVALID_PACK.finding(Location(e.path, e.line, e.column), e.message) for e in mine]
        return _own(found, path)
    source = next(s for s in sources if s.document is doc)
    findings = check_ids([source])
    for check in PER_PACK:
        findings.extend(check(source))
    return _own(sorted(findings, key=Finding.sort_key), path)


@dataclass(frozen=True)
class RuleDoc:
    """What hover says about a rule, and where its page is, relative to the docs site."""

    id: str
    title: str
    severity: str
    summary: str
    why: str = ""
    fix: str = ""
    outcome: str = ""
    page: str | None = None


def rule_doc(context: Context, rule_id: str) -> RuleDoc | None:
    """The rule, article rule or pack check called ``rule_id``; None when none is. A broken
    rules folder or style leaves its rules out rather than failing a hover."""
    from kb_lint.docs.paths import rule_page
    from kb_lint.review import CHECKS

    for pack in _quietly(lambda: context.packs) or ():
        rule = pack.rule(rule_id)
        if rule is not None:
            page = rule_page(rule.id).removesuffix(".md") + "/"
            fix = str(rule.raw.get("fix", ""))
            return RuleDoc(
                rule.id,
                rule.title,
                rule.severity,
                rule.summary,
                rule.why,
                fix,
                _predicts(pack, rule.id),
                page,
            )
    style = _quietly(lambda: context.style)
    article_rule = style.rule(rule_id) if style is not None else None
    if article_rule is not None:
        from kb_lint.articles.reference import anchor

        page = f"writing-articles/#{anchor(article_rule)}"
        return RuleDoc(
            article_rule.id,
            article_rule.name,
            article_rule.severity,
            article_rule.summary,
            article_rule.why,
            article_rule.fix,
            page=page,
        )
    check = next((c for c in CHECKS if c.id == rule_id), None)
    if check is not None:
        return RuleDoc(check.id, check.name, check.severity, check.what, check.why, check.fix)
    return None


def _quietly(load: Callable[[], T]) -> T | None:
    try:
        return load()
    except InputError:
        return None


def _predicts(pack: RulePack, rule_id: str) -> str:
    """The outcome a pack rule predicts: fixed, or from a decision table (with the outcome
    of each of its failing examples)."""
    rule = pack.rule(rule_id)
    assert rule is not None
    raw = rule.raw
    if "outcome" in raw:
        return outcome_text(raw["outcome"])
    if rule.predict is None:
        return ""
    table = pack.tables.get(rule.predict)
    lines = [f"from the decision table *{table.title if table else rule.predict}*"]
    for example in rule.examples:
        if example.expect == "fail" and example.outcome:
            lines.append(f"`{example.file.name}`: {outcome_text(example.outcome)}")
    return "\n".join(lines)


def outcome_text(outcome: dict[str, Any]) -> str:
    """An outcome as hover shows it: ``field = value``, comma-separated."""
    return ", ".join(f"{name} = {value}" for name, value in outcome.items())


KEY = re.compile(r"""["']?([A-Za-z_][\w-]*)["']?\s*:""")


def key_at(
    path: Path, text: str, written: str, line: int, column: int
) -> tuple[Pointer, int, int] | None:
    """The pointer of the deployment key under ``line``, ``column`` (1-based; ``written`` is the
    line's text), and the columns where its name starts and ends; None when no key is there or
    the file does not parse. The value of the key under the cursor is, of all values under keys
    of that name, the first written after it."""
    found = next((m for m in KEY.finditer(written) if m.start() < column <= m.end(1) + 1), None)
    if found is None:
        return None
    try:
        doc = load_text(str(path), text)
    except InputError:
        return None
    name = found.group(1)
    pointers = list(_named(doc.data, (), name))
    after = (line, found.end())
    places = sorted(
        (place, pointer) for pointer, place in doc.locate_many(pointers).items() if place >= after
    )
    if not places:
        return None
    return places[0][1], found.start(1) + 1, found.end(1) + 1


def _named(data: Any, pointer: Pointer, name: str) -> Iterator[Pointer]:
    """Every pointer in ``data`` whose last part is the mapping key ``name``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == name:
                yield (*pointer, key)
            yield from _named(value, (*pointer, key), name)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _named(value, (*pointer, index), name)


def deployment_schema(context: Context | None = None) -> dict[str, Any]:
    """The deployment file's JSON Schema, as the loader validates with it: the built-in fields,
    and those the context's packs declare."""
    return (context.vocabulary if context is not None else BUILT_IN).schema()
