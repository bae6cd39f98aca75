"""A number field may say its bounds (trial 5 F6: a licence count of -1 was accepted): a
deployment value outside them is an error at the value, and the pack's own nonsense (bounds on
text, a minimum above the maximum, a default outside them) is refused where it is written."""

from __future__ import annotations

import pytest

PACK = """pack: {id: KB987, article: 987, title: Bounds, revision: 1, updated: 2026-12-07,
  version: 0.1.0}
fields:
  instance:
    licences: {type: integer, FIELD description: Users the pool holds.}
rules:  # one rule: a check with no rule at all is an input error of its own
  - id: KB987-001
    kind: check
    over: policies
    title: A disabled policy
    severity: info
    cites: {section: background}
    summary: A disabled policy.
    when: not enabled
    message: "{policy} is disabled"
    examples: [{file: pack.yaml, expect: pass}]
"""
PLAN = """instances:
  - name: onprem
    kind: on-premise
    licences: VALUE
"""


def _run(kb_lint, tmp_path, field: str, value: str):
    rules = tmp_path / "rules" / "kb-987"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "pack.yaml").write_text(PACK.replace("FIELD", field), "utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN.replace("VALUE", value), "utf-8")
    return kb_lint("check", "plan.yaml", "--rules", "rules", cwd=tmp_path)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("-1", "plan.yaml:4:15: 'licences' must be at least 0, not -1"),
        ("5001", "plan.yaml:4:15: 'licences' must be at most 5000, not 5001"),
        ("0", None),
        ("5000", None),
    ],
)
def test_a_deployment_value_outside_the_bounds_is_an_error_at_it(kb_lint, tmp_path, value, error):
    proc = _run(kb_lint, tmp_path, "minimum: 0, maximum: 5000,", value)
    if error is None:
        assert proc.returncode == 0, proc.stderr
    else:
        assert proc.returncode == 2
        assert error in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("minimum: 10, maximum: 5,", "has a minimum above its maximum"),
        ("minimum: 1, default: 0,", "the default 0 of 'licences' is outside its bounds"),
    ],
)
def test_bounds_that_no_value_fits_are_refused_in_the_pack(kb_lint, tmp_path, field, says):
    proc = _run(kb_lint, tmp_path, field, "3")
    assert proc.returncode == 2
    assert says in proc.stderr, proc.stderr
    assert "kb-987/pack.yaml:5:" in proc.stderr
