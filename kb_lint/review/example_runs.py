"""Running rule examples one by one, and showing what an example expected next to what it got.

Shared by ``kb-lint rules test``, ``rules check`` (KB-RULES-007) and the pytest plugin. An
example whose deployment cannot be read, or that the engine cannot decide, is an input error
of that example alone: the others still run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kb_lint.engine.outcome import defaulted
from kb_lint.errors import InputError
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Example, Rule, RulePack
from kb_lint.review.verdict import ExampleResult, run_example


@dataclass(frozen=True)
class ExampleRun:
    pack: RulePack
    rule: Rule
    example: Example
    result: ExampleResult | None
    error: InputError | None = None

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed

    @property
    def verdict(self) -> str | None:
        """``fail`` when the rule found something, ``pass`` when not; None when it could not run."""
        if self.result is None:
            return None
        return "fail" if self.result.findings else "pass"

    def actual_outcome(self) -> dict[str, Any]:
        """The merged outcome, for the fields the example declares, with the pack's defaults."""
        merged = defaulted((self.result.outcome if self.result else None) or {}, self.pack.outcomes)
        return {name: merged[name] for name in self.example.outcome or {}}


def run_one(
    pack: RulePack, rule: Rule, example: Example, vocabulary: Vocabulary | None = None
) -> ExampleRun:
    try:
        return ExampleRun(pack, rule, example, run_example(pack, rule, example, vocabulary))
    except InputError as exc:
        return ExampleRun(pack, rule, example, None, exc)


def run_all(packs: list[RulePack], vocabulary: Vocabulary | None = None) -> list[ExampleRun]:
    """Every example of ``packs``, each read with ``vocabulary`` (by default, that of a run
    loading ``packs``: a pack's example may name another's action)."""
    together = vocabulary or vocabulary_of(packs)
    return [
        run_one(pack, rule, example, together)
        for pack in packs
        for rule in pack.rules
        for example in rule.examples
    ]


def explain(run: ExampleRun) -> list[str]:
    """Expected against actual, as ``-``/``+`` lines, then the findings the rule gave."""
    if run.result is None:
        return [f"cannot run the example: {run.error}"]
    lines = ["--- expected", "+++ actual"]
    lines.extend(_pair("verdict", run.example.expect, run.verdict))
    actual = run.actual_outcome()
    for name, want in (run.example.outcome or {}).items():
        lines.extend(_pair(name, want, actual[name]))
    if run.result.findings:
        lines.append(f"findings ({len(run.result.findings)}):")
        for finding in run.result.findings:
            loc = finding.location
            line = f"  {loc.line}:{loc.column} {finding.severity} {finding.rule}: {finding.message}"
            if finding.outcome:
                line += f" (outcome {_compact(finding.outcome)})"
            lines.append(line)
    else:
        lines.append("findings: none")
    return lines


def _pair(name: str, want: Any, got: Any) -> list[str]:
    if want == got:
        return [f"  {name}: {_value(want)}"]
    return [f"- {name}: {_value(want)}", f"+ {name}: {_value(got)}"]


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _compact(outcome: dict[str, Any]) -> str:
    return ", ".join(f"{name}: {_value(value)}" for name, value in outcome.items())
