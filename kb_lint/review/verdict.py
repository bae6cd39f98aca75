"""Rule examples: each names a deployment file and the verdict (and outcome) the rule must give.

An example ``fail`` needs at least one finding of its rule; ``pass`` needs none; ``miss`` (a
deployment the article forbids that the rule cannot see yet) needs none either, and fails the
day the rule catches it, so the known gap is closed on purpose. When an example declares an
``outcome``, the merge of the rule's findings' outcomes (with the pack's
defaults) must equal it field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb_lint.engine import check_deployment, refuse_empty
from kb_lint.engine.outcome import merge
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Example, Rule, RulePack, sorted_list


@dataclass
class ExampleResult:
    rule: Rule
    example: Example
    findings: list[Finding]
    outcome: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.rule.id}::{self.example.file.name}"


def run_example(
    pack: RulePack, rule: Rule, example: Example, vocabulary: Vocabulary | None = None
) -> ExampleResult:
    """``rule`` on its ``example``, read with ``vocabulary`` (that of the packs loaded with
    the pack, whose actions it may name; by default, the pack's own)."""
    deployment = read_deployment(example.file, vocabulary or vocabulary_of([pack]))
    refuse_empty(deployment)  # as `kb-lint check` refuses it: a pass of it would test nothing
    findings = check_deployment(deployment, [pack], lambda rule_id: rule_id == rule.id)
    outcomes = [f.outcome for f in findings if f.outcome is not None]
    outcome = merge(outcomes, pack.outcomes) if outcomes else None
    result = ExampleResult(rule, example, findings, outcome)
    if example.expect == "fail" and not findings:
        result.problems.append("expected a finding, got none")
    if example.expect == "miss" and findings:
        result.problems.append(
            "expected a known miss, but the rule now finds it: make it expect: fail "
            f"(it was missed because: {example.reason})"
        )
    if example.expect == "pass" and findings:
        shown = "; ".join(f"{f.location.line}:{f.location.column} {f.message}" for f in findings)
        result.problems.append(f"expected no finding, got {len(findings)}: {shown}")
    if example.outcome is not None:
        actual = {n: (outcome or {}).get(n, pack.outcomes[n].default) for n in example.outcome}
        for name, want in example.outcome.items():
            want, got = sorted_list(want), sorted_list(actual[name])
            if got != want:
                result.problems.append(f"outcome {name}: expected {want!r}, got {got!r}")
    return result
