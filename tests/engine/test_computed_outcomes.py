"""An enum (or a list with ``values``) outcome that an expression computes holds only the pack's
values: another is an error at the expression, naming the subject it judged, never an outcome
the pack does not have in a report, nor an internal error where outcomes merge."""

from __future__ import annotations

PACK = """pack: {id: KB986, article: 986, title: Computed outcomes, revision: 1,
  updated: 2026-12-07, version: 0.1.0}
outcomes:
  level: {type: enum, values: [low, high], merge: max, describe: how bad}
rules:
  - id: KB986-001
    kind: check
    over: policies
    title: Policies
    severity: warning
    cites: {section: background}
    summary: Every policy.
    when: "true"
    message: "{policy}"
    outcome: {level: 'LEVEL if enabled else "low"'}
    examples: [{file: examples/two.yaml, expect: fail, outcome: {level: high}}]
simulation: {model: none, reason: "An invented article, for the tests."}
"""
TWO = """instances:
  - name: onprem
    kind: on-premise
    policies:
      - {name: A}
      - {name: B, enabled: false}
"""


def _pack(tmp_path, level: str):
    folder = tmp_path / "rules" / "kb-986"
    (folder / "examples").mkdir(parents=True)
    (folder / "pack.yaml").write_text(PACK.replace("LEVEL", level), "utf-8")
    (folder / "examples" / "two.yaml").write_text(TWO, "utf-8")
    return "rules/kb-986/examples/two.yaml"


def test_a_value_outside_the_enum_is_an_error_at_the_expression(kb_lint, tmp_path):
    example = _pack(tmp_path, '"extreme"')
    checked = kb_lint("check", example, "--rules", "rules", cwd=tmp_path)
    assert checked.returncode == 2
    assert (
        "rules/kb-986/pack.yaml:15:22: 'extreme' is not a value of outcome level (low, high): "
        f"the expression gave it (rule KB986-001, judging onprem / A at {example}:5:9)"
    ) in checked.stderr, checked.stderr
    tested = kb_lint("rules", "test", "--rules", "rules", cwd=tmp_path)
    assert tested.returncode == 2, tested.stdout + tested.stderr  # an example it cannot run
    assert "internal error" not in tested.stderr
    assert "1 examples: 0 passed, 1 failed" in tested.stdout


def test_a_value_of_the_enum_is_the_outcome(kb_lint, tmp_path):
    example = _pack(tmp_path, '"high"')
    assert kb_lint("check", example, "--rules", "rules", cwd=tmp_path).returncode == 1
    assert kb_lint("rules", "test", "--rules", "rules", cwd=tmp_path).returncode == 0
