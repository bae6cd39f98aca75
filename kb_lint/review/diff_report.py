"""``rules diff``: the rules folder now against a git revision, with the impact of the change."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from kb_lint.errors import InputError, shown_path
from kb_lint.pack import RulePack, load_packs
from kb_lint.review.diff import RuleDiff, diff_packs
from kb_lint.review.impact import ImpactReport, measure_impact
from kb_lint.review.oracles import BrokenStatement, ModelCheck, broken_statements, check_model
from kb_lint.review.revision import Snapshot, extract_rules


@dataclass(frozen=True)
class DiffReport:
    """In the order a reviewer reads it: the article statements the change breaks, its impact
    on deployments, the rules against the model (None: no pack is simulated), what changed."""

    revision: str
    commit: str
    broken: list[BrokenStatement]
    impact: ImpactReport
    model: ModelCheck | None
    diff: RuleDiff

    @property
    def refused(self) -> bool:
        """Exit 1: a broken statement, a verdict or outcome that moves, a new disagreement."""
        new = self.model is not None and any(d.new for d in self.model.disagreements)
        return bool(self.broken or self.impact.changes or new)

    @property
    def short_commit(self) -> str:
        return self.commit[:12]


def compare_with_revision(
    rules_dir: Path, revision: str, extra: tuple[Path, ...] = ()
) -> DiffReport:
    """Load the packs at ``revision`` and in the working tree, diff them and measure the impact."""
    head = load_packs(rules_dir)
    with tempfile.TemporaryDirectory(prefix="kb-lint-diff-") as tmp:
        snapshot = extract_rules(rules_dir, revision, Path(tmp))
        base = _load_base(snapshot)
        impact = measure_impact(snapshot.rules, base, rules_dir, head, extra, shown_path(rules_dir))
    return DiffReport(
        revision,
        snapshot.commit,
        broken_statements(base, head),
        impact,
        check_model(base, head),
        diff_packs(base, head),
    )


def _load_base(snapshot: Snapshot) -> list[RulePack]:
    """The packs at the revision; errors name the file as git does, ``REVISION:rules/...``."""
    folder = snapshot.rules
    if folder is None:
        return []
    try:
        return load_packs(folder)
    except InputError as exc:
        path = Path(exc.path)
        if path.is_relative_to(folder):
            shown = f"{snapshot.revision}:{snapshot.prefix}/{path.relative_to(folder).as_posix()}"
            raise InputError(shown, exc.line, exc.column, exc.message) from None
        raise
