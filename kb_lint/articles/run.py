"""Linting articles: each file parsed once and checked by every selected rule of the style,
then inline suppressions applied; with ``fix``, safe fixes applied until none is left.

Many files are shared between processes (``jobs``); results come back in the order given, as
tuples (``Sent``): unpickling the 24,113 findings of the Exchange corpus's held-out half as
objects took the main process 0.32 s of CPU, as tuples (then made findings) 0.17 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb_lint.articles.anchors import Anchors
from kb_lint.articles.fix import Change, Edit, apply_edits
from kb_lint.articles.kind import Hit, Target
from kb_lint.articles.kinds import KINDS
from kb_lint.articles.kinds.trace import CitationIndex
from kb_lint.articles.source import NotUtf8, SourceText, read_source
from kb_lint.articles.style import ArticleRule, Style
from kb_lint.articles.suppress import read_suppressions, suppress, unused
from kb_lint.config import Config, Waiver
from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.waivers import apply_waivers

FIX_ROUNDS = 5
# An input error as a file's result holds it (picklable): path, line, column, message.
Error = tuple[str, int, int, str]
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


@dataclass
class Run:
    """What every file of one run is checked with; sent once to each worker process."""

    style: Style
    config: Config
    citations: CitationIndex | None = None
    waivers: tuple[Waiver, ...] = ()
    linked: Anchors = field(default_factory=Anchors, repr=False)

    def selected(self, path: str) -> list[ArticleRule]:
        """The rules on for ``path``: those selected, less the path's per-file ignores."""
        rules = self._selected
        if self.config.per_file_ignores:
            return [rule for rule in rules if self.config.selects(rule.id, path)]
        return rules

    @cached_property
    def _selected(self) -> list[ArticleRule]:
        return [rule for rule in self.style.rules if self.config.selects(rule.id)]


@dataclass
class Linted:
    """One file's findings; the fixes applied, round by round; or why it could not be read."""

    path: str
    findings: list[Finding]
    rounds: list[list[Change]] = field(default_factory=list)
    error: Error | None = None


def lint_source(source: SourceText, run: Run) -> list[Finding]:
    """The findings of the selected rules on one article, suppressions applied."""
    article = run.linked.article(source)
    target = Target(article, run)
    path = source.path
    rules = run.selected(path)
    findings = []
    for rule in rules:
        check = KINDS[rule.kind].check
        if check is not None:
            findings.extend(_finding(rule, path, hit) for hit in check(target, rule))
    if not article.html:
        return findings
    suppressions, problems = read_suppressions(article, (r.id for r in run.style.rules))
    findings = suppress(findings, suppressions)
    by_kind = {rule.kind: rule for rule in rules}
    if "suppression" in by_kind:
        findings.extend(_finding(by_kind["suppression"], path, hit) for hit in problems)
    if "unused-suppression" in by_kind:
        ran = {rule.id for rule in rules}
        stale = unused(suppressions, ran)
        findings.extend(_finding(by_kind["unused-suppression"], path, hit) for hit in stale)
    return findings


def _finding(rule: ArticleRule, path: str, hit: Hit) -> Finding:
    fix = hit.fix or rule.fix
    return _made(
        path,
        (
            rule.id,
            hit.severity or rule.severity,
            hit.message,
            hit.line,
            hit.column,
            hit.related,
            fix,
            hit.edit,
        ),
    )


# What an article's finding is made of (``_made``): rule, severity, message, line, column,
# related locations, fix and edit.
Parts = tuple[str, str, str, int, int, tuple[Location, ...], str | None, Edit | None]


def _made(path: str, parts: Parts) -> Finding:
    rule, severity, message, line, column, related, fix, edit = parts
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        location=Location(path, line, column),
        related=related,
        fix=fix,
        extra={"edit": edit} if edit is not None else {},
    )


def _parts(finding: Finding) -> Parts:
    """What ``_made`` makes ``finding`` from."""
    f, loc = finding, finding.location
    return (
        f.rule,
        f.severity,
        f.message,
        loc.line,
        loc.column,
        f.related,
        f.fix,
        f.extra.get("edit"),
    )


def lint_file(path: Path, run: Run, fix: bool = False) -> Linted:
    name = str(path)
    try:
        source = read_source(path)
    except NotUtf8 as exc:
        rule = run.style.of_kind("encoding")
        if rule is None or not run.config.selects(rule.id, name):
            return Linted(name, [], error=(exc.path, exc.line, exc.column, exc.message))
        return Linted(name, [_finding(rule, name, Hit(exc.line, exc.column, exc.message))])
    except InputError as exc:
        return Linted(name, [], error=(exc.path, exc.line, exc.column, exc.message))
    if not fix:
        return Linted(name, lint_source(source, run))
    fixed, findings, rounds = fix_source(source, run)
    if rounds:
        from kb_lint.rewrite import Encoding, rewrite  # imported by the runs that write

        try:
            rewrite(path, fixed.raw, Encoding(bom=fixed.bom))
        except OSError as exc:
            message = f"cannot write the fixed article: {exc.strerror or exc}"
            return Linted(name, [], error=(name, 1, 1, message))
    return Linted(name, findings, rounds)


def fix_source(
    source: SourceText, run: Run
) -> tuple[SourceText, list[Finding], list[list[Change]]]:
    """The text with every safe fix applied, round after round until none is left (a fix can
    reveal another: "an SFDC" becomes "an Salesforce", then "a Salesforce"), the findings
    that remain, and the changes of each round."""
    findings = lint_source(source, run)
    rounds: list[list[Change]] = []
    seen = {source.raw: (source, findings)}  # each text met, so that fixes that undo
    while len(rounds) < FIX_ROUNDS:  # each other are neither written nor reported
        edits = [(f, f.extra["edit"]) for f in _unwaived(findings, run) if "edit" in f.extra]
        raw, changes = apply_edits(source, edits)
        if not changes:
            break
        if raw in seen:
            source, findings = seen[raw]
            rounds = rounds[: list(seen).index(raw)]
            break
        rounds.append(changes)
        source = SourceText(source.path, raw, source.bom)
        findings = lint_source(source, run)
        seen[raw] = (source, findings)
    return source, findings, rounds


def _unwaived(findings: list[Finding], run: Run) -> list[Finding]:
    """The findings no live waiver covers (what ``apply_waivers`` keeps of them)."""
    if not run.waivers:
        return findings
    kept = {id(f) for f in apply_waivers(findings, run.waivers)}
    return [f for f in findings if id(f) in kept]


def lint_files(paths: list[Path], run: Run, fix: bool = False, jobs: int = 1) -> list[Linted]:
    """Every file linted, in order; across ``jobs`` processes when there are many files. A
    worker that reads the rule packs sends back the errors of those that do not load, which
    are added to the run's (``CitationIndex.broken``), each once."""
    if jobs < 2 or len(paths) < PARALLEL_FROM:
        run.linked.expect(paths)
        return [lint_file(path, run, fix) for path in paths]
    from concurrent.futures import ProcessPoolExecutor  # imported by the runs that share

    size = max(1, len(paths) // (jobs * 8))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(run, fix)) as pool:
        sent = list(pool.map(_lint_chunk, chunks))
    if run.citations is not None:
        errors = dict.fromkeys(error for _, broken in sent for error in broken)
        run.citations.broken.extend(InputError(*error) for error in errors)
    return [_received(result) for results, _ in sent for result in results]


# A file's result as a worker sends it: path, the parts of each finding, fixes, error.
Sent = tuple[str, list[Parts], list[list[Change]], Error | None]

_worker: tuple[Run, bool] | None = None


def _start_worker(run: Run, fix: bool) -> None:
    global _worker
    _worker = (run, fix)


def _lint_chunk(paths: list[Path]) -> tuple[list[Sent], list[Error]]:
    """The results of a chunk of files, and the errors of the packs that do not load when this
    worker read the packs (each worker reads them once, when its first article needs them)."""
    assert _worker is not None, "a worker lints only after _start_worker"
    run, fix = _worker
    run.linked.expect(paths)
    results = [_sending(lint_file(path, run, fix)) for path in paths]
    broken = run.citations.broken if run.citations is not None else []
    return results, [(e.path, e.line, e.column, e.message) for e in broken]


def _sending(linted: Linted) -> Sent:
    return linted.path, [_parts(f) for f in linted.findings], linted.rounds, linted.error


def _received(sent: Sent) -> Linted:
    path, parts, rounds, error = sent
    return Linted(path, [_made(path, p) for p in parts], rounds, error)
