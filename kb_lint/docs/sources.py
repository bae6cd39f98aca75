"""Everything the documentation site is made from, gathered once: the only part that reads files.

``collect`` loads the rule packs and articles, reads each example deployment, runs the rules on
it (the predicted outcome) and, when given a ``simulate`` function, simulates it (the simulated
outcome of the mailboxes the findings are about). The renderer then works on this data alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_lint.articles.model import Article, parse_article
from kb_lint.articles.reference import SHIPPED
from kb_lint.articles.style import Style, load_style
from kb_lint.engine import check_deployment
from kb_lint.engine.outcome import merge
from kb_lint.errors import InputError
from kb_lint.findings import Finding
from kb_lint.load.walk import folder_entries
from kb_lint.model.deployment import Deployment, read_deployment
from kb_lint.model.fields import Vocabulary
from kb_lint.pack import RulePack, load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate.compare import mailboxes_of
from kb_lint.simulate.coverage import built_in_values
from kb_lint.simulate.measures import measured_by_model

Outcome = dict[str, Any]
# Simulates a deployment file: each mailbox's outcome, by email, in the pack's outcome names.
Simulate = Callable[[Path, Vocabulary], dict[str, Outcome]]  # a file, read with packs' fields
MODELINE = "# yaml-language-server:"


@dataclass(frozen=True)
class ArticlePage:
    """An article and where its page sits in the site (a path relative to the docs folder)."""

    article: Article
    page: str


@dataclass(frozen=True)
class ExampleCase:
    """One example deployment of one rule, with what the rules predict and the model shows.
    ``text`` is the whole file, so line numbers shown beside it are the findings' own."""

    rule: str
    file: Path
    expect: str
    text: str
    description: str
    findings: tuple[Finding, ...]
    predicted: Outcome | None
    simulated: Outcome | None = None
    fixes: Path | None = None
    breaks: tuple[str, ...] = ()  # the other rules it breaks; on a fix, consequences only
    # Procedure rules: the lines of the timeline events after the last event a finding
    # judged. The rules predict that moment; the simulator runs on to the end.
    later_events: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return self.file.name


@dataclass(frozen=True)
class SiteSources:
    packs: tuple[RulePack, ...]
    articles: tuple[ArticlePage, ...]
    examples: dict[str, tuple[ExampleCase, ...]]
    styles: tuple[Style, ...] = ()
    deployment_schema: dict[str, Any] | None = None

    def article(self, article_id: int) -> ArticlePage | None:
        """The article whose front matter gives ``id: article_id``."""
        return next(
            (a for a in self.articles if a.article.front_matter.get("id") == article_id), None
        )


def collect(
    rules_dir: Path,
    articles_dir: Path | None,
    docs_dir: Path,
    simulate: Simulate | None = None,
    styles: tuple[str, ...] = SHIPPED,
    broken: list[InputError] | None = None,
) -> SiteSources:
    """Load what the site shows; ``simulate`` (optional) gives the simulated column, ``styles``
    the house styles whose article rules get pages. With ``broken``, a pack that does not load
    is added there and the site shows the others."""
    packs = tuple(load_packs(rules_dir, broken))
    articles = collect_articles(articles_dir, docs_dir) if articles_dir else ()
    examples: dict[str, tuple[ExampleCase, ...]] = {}
    vocabulary = vocabulary_of(packs)  # as `rules check` and `rules test` read the examples
    for pack in packs:
        examples.update(_pack_examples(pack, vocabulary, simulate))
    schema = vocabulary.schema()  # the built-in fields and every pack's
    loaded = tuple(load_style(name) for name in styles)
    return SiteSources(packs, articles, examples, loaded, schema)


def _pack_examples(
    pack: RulePack, vocabulary: Vocabulary, simulate: Simulate | None
) -> dict[str, tuple[ExampleCase, ...]]:
    """Each rule's examples, each example file read once with ``vocabulary`` (that of the packs
    loaded together: an example may name another pack's action or field) and checked once for
    all the pack's rules."""
    files = {example.file for rule in pack.rules for example in rule.examples}
    texts = {file: _read(file) for file in files}
    findings: dict[Path, dict[str, list[Finding]]] = {}
    events: dict[Path, list[int]] = {}
    deployments: dict[Path, Deployment] = {}
    for file in sorted(files):
        by_rule = findings.setdefault(file, {})
        deployment = deployments[file] = read_deployment(file, vocabulary)
        events[file] = [deployment.document.locate(e.pointer)[0] for e in deployment.timeline]
        for finding in check_deployment(deployment, [pack]):
            by_rule.setdefault(finding.rule, []).append(finding)
    mailboxes: dict[Path, dict[str, Outcome]] = {}
    out = {}
    for rule in pack.rules:
        cases = []
        for example in rule.examples:
            found = findings[example.file].get(rule.id, [])
            outcomes = [f.outcome for f in found if f.outcome is not None]
            predicted = merge(outcomes, pack.outcomes) if outcomes else None
            simulated = None
            if (
                simulate is not None
                and predicted is not None
                and pack.simulation is not None
                and built_in_values(deployments[example.file]) is None  # M12, M17
            ):
                if example.file not in mailboxes:
                    mailboxes[example.file] = simulate(example.file, vocabulary)
                simulated = _about(found, mailboxes[example.file], pack, deployments[example.file])
            text = texts[example.file]
            cases.append(
                ExampleCase(
                    rule=rule.id,
                    file=example.file,
                    expect=example.expect,
                    text=text,
                    description=_description(text),
                    findings=tuple(found),
                    predicted=predicted,
                    simulated=simulated,
                    fixes=example.fixes,
                    breaks=example.breaks,
                    later_events=_later(found, events[example.file])
                    if rule.kind == "procedure"
                    else (),
                )
            )
        out[rule.id] = tuple(cases)
    return out


def _later(found: list[Finding], event_lines: list[int]) -> tuple[int, ...]:
    """The timeline lines after the last event the findings are at."""
    if not found:
        return ()
    last = max(f.location.line for f in found)
    return tuple(line for line in event_lines if line > last)


def _about(
    findings: list[Finding], mailboxes: dict[str, Outcome], pack: RulePack, dep: Deployment
) -> Outcome:
    """The simulated outcome of the mailboxes the findings are about, merged like predictions:
    only the outcomes the pack's model measures (one it does not show is its default, left out
    when there is none, as an enum without a default)."""
    emails = {email for f in findings for email in mailboxes_of(f, dep)}
    measured = {n: pack.outcomes[n] for n in measured_by_model(pack)}
    merged = merge([outcome for email, outcome in mailboxes.items() if email in emails], measured)
    return {
        name: merged.get(name, spec.default)
        for name, spec in measured.items()
        if name in merged or spec.default is not None
    }


def collect_articles(articles_dir: Path, docs_dir: Path) -> tuple[ArticlePage, ...]:
    """Every article under ``articles_dir``, with its page path in the site."""
    return tuple(
        ArticlePage(parse_article(path), _page_path(path, articles_dir, docs_dir))
        for path in folder_entries(articles_dir)
        if path.suffix == ".md"
    )


def _page_path(path: Path, articles_dir: Path, docs_dir: Path) -> str:
    """The article's path in the docs folder; ``articles/...`` when it lives elsewhere."""
    resolved = path.resolve()
    if resolved.is_relative_to(docs_dir.resolve()):
        return resolved.relative_to(docs_dir.resolve()).as_posix()
    return f"articles/{resolved.relative_to(articles_dir.resolve()).as_posix()}"


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), 1, 1, f"cannot read example: {exc}") from None


def _description(text: str) -> str:
    """The comment lines at the top of an example file: what the example shows."""
    lines = []
    for line in text.splitlines():
        if line.startswith(MODELINE):
            continue
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(line for line in lines if line)
