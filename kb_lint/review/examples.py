"""Every rule has a passing and a failing example, and each gives what it declares.

A rule without an ``expect: pass`` example, or without an ``expect: fail`` one, is untested on
that side (KB-RULES-006). An example whose verdict or outcome differs from what it declares,
or that cannot run, is a failing example (KB-RULES-007), as ``kb-lint rules test`` shows.
"""

from __future__ import annotations

from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.pack.load import vocabulary_of
from kb_lint.review.check import Check
from kb_lint.review.example_runs import run_all

MISSING_EXAMPLES = Check(
    id="KB-RULES-006",
    name="missing-examples",
    severity="error",
    what="A rule without at least one example that must pass and one that must fail.",
    why="An example that fails shows the rule catches what the article forbids; one that passes "
    "shows it leaves a correct deployment alone. Without both, a change can break the rule "
    "either way unnoticed, and the docs page has nothing to show.",
    example="examples:\n  - {file: examples/two-instances.yaml, expect: fail}\n"
    "  # no example with expect: pass\n",
    fix="Add a deployment under the pack's examples/ folder that the rule must pass (or fail) and "
    "list it with `expect: pass` (or `expect: fail`).",
)
FAILING_EXAMPLE = Check(
    id="KB-RULES-007",
    name="failing-example",
    severity="error",
    what="A rule example whose verdict or predicted outcome is not the one it declares, or "
    "whose deployment cannot be checked.",
    why="Examples are the rule's tests and its documentation: one that fails means the rule no "
    "longer does what its page says.",
    example="examples:\n  - file: examples/two-instances-same-names.yaml\n    expect: fail\n"
    "    outcome: {mailbox_copies: 2}   # the rule predicts 1\n",
    fix="Run `kb-lint rules test` to see expected against actual, then correct the rule or the "
    "example, whichever is wrong.",
)


def check_examples(source: PackSource) -> list[Finding]:
    findings: list[Finding] = []
    for rule in source.pack.rules:
        declared = {example.expect for example in rule.examples}
        for verdict in ("pass", "fail"):
            if verdict not in declared:
                findings.append(
                    MISSING_EXAMPLES.finding(
                        rule.location,
                        f"rule {rule.id} has no example with expect: {verdict}",
                    )
                )
    for run in run_all([source.pack], vocabulary_of(source.beside or (source.pack,))):
        if run.passed:
            continue
        problems = [str(run.error)] if run.result is None else run.result.problems
        findings.append(
            FAILING_EXAMPLE.finding(
                run.example.location,
                f"example {run.example.file.name} of {run.rule.id}: {'; '.join(problems)}",
            )
        )
    return findings
