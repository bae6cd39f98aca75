"""The impact of a rules change: example deployments whose verdict or outcome it changes.

The example deployments are the files the rules' examples name and every deployment under a
pack's ``examples/`` folder, in either version, plus any extra files. Each is read as it is
now (as it was, if the change deletes it) and checked against both versions of the packs, rule
by rule, so the only difference is the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.engine.outcome import merge
from kb_lint.errors import InputError
from kb_lint.findings import SEVERITIES, Finding
from kb_lint.load.walk import folder_entries
from kb_lint.model.deployment import read_deployment
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import RulePack

DEPLOYMENT_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


@dataclass(frozen=True)
class Verdict:
    """What one rule says about one deployment: how many findings, the worst severity, the
    merged predicted outcome; or the input error that stopped it."""

    findings: int = 0
    severity: str | None = None
    outcome: dict[str, Any] | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        return "error" if self.error else ("fail" if self.findings else "pass")


PASS = Verdict()


@dataclass(frozen=True)
class Impact:
    """``before`` or ``after`` is None where the rule does not exist in that version."""

    deployment: str
    rule: str
    before: Verdict | None
    after: Verdict | None

    @property
    def flipped(self) -> bool:
        """The verdict changed (pass, fail, error, or no such rule), not only the outcome."""
        return (self.before or PASS).name != (self.after or PASS).name or None in (
            self.before,
            self.after,
        )


@dataclass(frozen=True)
class ImpactReport:
    """``new``: deployments the change adds that the old rules cannot read (they use fields or
    actions only the new rules declare); they are judged by the new rules alone, since "the old
    rules could not read it" is no verdict that flips."""

    deployments: int
    changes: list[Impact]
    new: tuple[str, ...] = ()


def example_deployments(rules_dir: Path, packs: list[RulePack]) -> set[str]:
    """Deployment files of the packs' examples, as paths relative to ``rules_dir``."""
    root = rules_dir.resolve()
    found: set[str] = set()
    for pack in packs:
        files = [e.file for rule in pack.rules for e in rule.examples]
        folder = pack.path.parent / "examples"
        if folder.is_dir():
            files += [p for p in folder_entries(folder) if p.suffix in DEPLOYMENT_SUFFIXES]
        for file in files:
            resolved = file.resolve()
            if resolved.is_relative_to(root) and resolved.is_file():
                found.add(resolved.relative_to(root).as_posix())
    return found


def measure_impact(
    base_dir: Path | None,
    base: list[RulePack],
    head_dir: Path,
    head: list[RulePack],
    extra: tuple[Path, ...] = (),
    shown_as: str | None = None,
) -> ImpactReport:
    """Check each example deployment against both versions; keep the rules that differ.

    ``shown_as`` is how the rules folder is named in the report (default: ``head_dir``).
    """
    files: dict[str, Path] = {}
    names = example_deployments(head_dir, head)
    before_change = set() if base_dir is None else example_deployments(base_dir, base)
    names |= before_change
    label = shown_as or str(head_dir)
    for name in sorted(names):
        current = head_dir / name
        if not current.is_file() and base_dir is not None:
            current = base_dir / name
        files[f"{label}/{name}"] = current
    for path in extra:
        files[str(path)] = path
    added = {f"{label}/{name}" for name in names - before_change}
    changes, unread = [], []
    for shown, path in files.items():
        # a file of the new version (or given) that it cannot read is an input error, not a
        # verdict: were it unreadable under both versions, the diff would silently show nothing
        own = base_dir is None or not path.is_relative_to(base_dir)
        before, after = verdicts(base, path), verdicts(head, path, strict=own)
        if shown in added and before and all(v.error for v in before.values()):
            unread.append(shown)
            before = {}
        for rule in dict.fromkeys([*before, *after]):
            old, new = before.get(rule), after.get(rule)
            if (old or PASS) != (new or PASS):
                changes.append(Impact(shown, rule, old, new))
    return ImpactReport(len(files), changes, tuple(unread))


def verdicts(packs: list[RulePack], path: Path, strict: bool = False) -> dict[str, Verdict]:
    """Every rule's verdict on the deployment at ``path``, as ``kb-lint check`` gives it (a
    finding another rule ``supersedes`` is not one); ``strict``: a deployment these packs
    cannot read is raised, not a verdict."""
    rules = [(pack, rule) for pack in packs for rule in pack.rules]
    try:
        deployment = read_deployment(path, vocabulary_of(packs))
    except InputError as exc:
        if strict:
            raise
        return {rule.id: Verdict(error=str(exc)) for _, rule in rules}
    failed: list[InputError] = []
    found: dict[str, list[Finding]] = {}
    for finding in check_deployment(deployment, packs, errors=failed):
        found.setdefault(finding.rule, []).append(finding)
    ids = {rule.id for _, rule in rules}
    errors = {getattr(e, "rule", None): str(e) for e in failed}
    everyone = next((text for rule, text in errors.items() if rule not in ids), None)
    out = {}
    for pack, rule in rules:
        error = errors.get(rule.id, everyone)  # an error of no one rule (a replay) is each one's
        if error is not None:
            out[rule.id] = Verdict(error=error)
            continue
        mine = found.get(rule.id, [])
        outcomes = [f.outcome for f in mine if f.outcome is not None]
        worst = min((SEVERITIES.index(f.severity) for f in mine), default=None)
        out[rule.id] = Verdict(
            findings=len(mine),
            severity=SEVERITIES[worst] if worst is not None else None,
            outcome=merge(outcomes, pack.outcomes) if outcomes else None,
        )
    return out
