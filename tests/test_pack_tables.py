"""Decision tables about every subject, claims over any value, and rule keys a kind cannot read.

Each pack here is written to a temporary folder as an author would write it; each test fails if
the key it names stops having its effect (or stops being refused).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kb_lint.engine.run import check_deployment
from kb_lint.errors import InputError
from kb_lint.load import load_document
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.document import PackSource
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import RulePack
from kb_lint.review.claims import check_claims
from kb_lint.review.tables import check_tables

HEAD = """\
pack: {id: KB950, article: 950, title: Tables, revision: 1, updated: 2024-01-01, version: 0.1.0}
fields:
  instance:
    plan: {type: enum, values: [trial, paid], default: paid, description: The plan.}
  policy:
    history_days: {type: integer, default: 15, description: Days of history.}
outcomes:
  history: {type: enum, values: [full, capped, refused], merge: max, default: full}
"""

TRIAL_TABLE = """\
tables:
  - id: trial-history
    title: History on a trial
    subject: policy
    inputs:
      - {name: plan, expr: plan, values: [trial, paid]}
      - {name: long, expr: history_days > 15, values: [false, true]}
    rows:
      - {when: {plan: paid}, then: {history: full}}
      - {when: {plan: trial, long: false}, then: {history: full}}
      - {when: {plan: trial, long: true}, then: {history: capped}}
"""

RULE = """\
rules:
  - id: KB950-001
    kind: check
    title: Trial history
    severity: warning
    cites: {section: background}
    summary: A trial keeps 15 days.
    over: policies
    when: plan == "trial" and history_days > 15
    message: "{policy} reaches back {history_days} days"
    predict: trial-history
    examples: [{file: ex.yaml, expect: fail}]
"""

DEPLOYMENT = """\
instances:
  - name: cloud
    kind: cloud
    plan: trial
    policies:
      - name: Sales
        history_days: 30
        users: [{email: ann@example.com, crm_user: ann@example.com}]
  - name: server
    kind: on-premise
    riva_version: 2.4.51
    policies:
      - name: Sales
        history_days: 30
        users: [{email: bob@example.com, crm_user: bob@example.com}]
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "ex.yaml").write_text(DEPLOYMENT)
    path = tmp_path / "pack.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def findings(pack: RulePack, tmp_path: Path) -> list:
    dep = read_deployment(tmp_path / "ex.yaml", vocabulary_of([pack]))
    return check_deployment(dep, [pack])


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_pack(write(tmp_path, text))
    return str(caught.value)


def test_a_check_rule_predicts_from_a_table_about_its_subject(tmp_path):
    pack = load_pack(write(tmp_path, HEAD + TRIAL_TABLE + RULE))
    [finding] = findings(pack, tmp_path)
    assert finding.outcome == {"history": "capped"}
    assert "row 3 of 'trial-history'" in finding.why


def test_a_table_about_another_subject_is_refused_where_predict_names_it(tmp_path):
    text = HEAD + TRIAL_TABLE.replace("subject: policy", "subject: binding") + RULE
    message = refused(tmp_path, text)
    assert "predicts for a binding, and this rule judges policies" in message
    assert ":30:14:" in message  # the value of predict:


def test_predict_and_outcome_together_are_refused(tmp_path):
    text = HEAD + TRIAL_TABLE + RULE + "    outcome: {history: capped}\n"
    assert "'predict' (a table) or 'outcome', not both" in refused(tmp_path, text)


@pytest.mark.parametrize(
    ("key", "kind"),
    [("key: [email]", "check"), ("pattern: [{as: a, action: add-user}]", "check")],
)
def test_a_key_the_rule_kind_does_not_read_is_refused(tmp_path, key, kind):
    text = HEAD + TRIAL_TABLE + RULE + f"    {key}\n"
    message = refused(tmp_path, text)
    assert f"a {kind} rule does not read '{key.split(':')[0]}'" in message


def test_a_table_input_reads_the_fields_of_its_subject_only(tmp_path):
    text = HEAD + TRIAL_TABLE.replace("expr: plan,", "expr: bindings,") + RULE
    assert "unknown name 'bindings'" in refused(tmp_path, text)


def test_a_policy_exclusivity_rule_reads_instance_fields_in_where(tmp_path):
    rule = """\
rules:
  - id: KB950-001
    kind: exclusivity
    title: One policy per name
    severity: warning
    cites: {section: background}
    summary: Policies named alike.
    over: policies
    key: [policy]
    distinct: instance
    where: riva_version WHERE
    message: "{policy} is in two instances"
    examples: [{file: ex.yaml, expect: fail}]
"""
    seen = {}
    for test in ("== null", "!= null"):
        pack = load_pack(write(tmp_path, HEAD + rule.replace("WHERE", test)))
        seen[test] = len(findings(pack, tmp_path))
    # Only the server gives a version: neither test keeps two policies, so neither fires; the
    # where is read (it used to be ignored, and both fired).
    assert seen == {"== null": 0, "!= null": 0}
    pack = load_pack(write(tmp_path, HEAD + rule.replace("    where: riva_version WHERE\n", "")))
    assert len(findings(pack, tmp_path)) == 1


def claims_findings(tmp_path: Path, claims: str) -> list[str]:
    pack = load_pack(write(tmp_path, HEAD + TRIAL_TABLE + RULE + claims))
    return [f.message for f in check_claims(PackSource(pack, load_document(pack.path)))]


def test_a_claim_over_two_values_of_an_input_is_checked_against_every_row(tmp_path):
    claim = """\
claims:
  - id: C1
    says: Whatever the plan, a short history is kept in full.
    cites: {section: background}
    table: trial-history
    given: {plan: [trial, paid], long: false}
    holds: {history: full}
  - id: C2
    says: Nothing is refused.
    cites: {section: background}
    table: trial-history
    given: {plan: [paid, trial]}
    holds: {history: capped}
"""
    messages = claims_findings(tmp_path, claim)
    assert not any("claim C1" in m for m in messages), messages
    # C2 is checked against row 1 (paid) and row 2 (trial, short): both break it.
    assert sum("breaks claim C2" in m for m in messages) == 2, messages
    assert not any("covers no case" in m for m in messages)


def test_a_claim_with_a_where_reads_the_subject_of_its_table(tmp_path):
    claim = """\
claims:
  - id: C1
    says: A trial with more than 15 days is capped.
    cites: {section: background}
    table: trial-history
    given: {plan: trial}
    where: history_days > 15
    holds: {history: capped}
"""
    assert claims_findings(tmp_path, claim) == []
    broken = claims_findings(tmp_path, claim.replace("capped}", "refused}"))
    assert any("row 3 of 'trial-history'" in m and "claim C1" in m for m in broken), broken


def test_a_table_no_rule_uses_is_reported(tmp_path):
    pack = load_pack(write(tmp_path, HEAD + TRIAL_TABLE + RULE.replace("predict:", "#")))
    messages = [f.message for f in check_tables(PackSource(pack, load_document(pack.path)))]
    assert "table 'trial-history' is used by no rule and no procedure step" in messages
