"""The ``why`` of a table whose subject is an event names, for each input, the values its
expression read (``before.riva_version``: the release), not the whole record it read them from
(trial 8 #6).

The pack is written to a temporary folder as an author would write it.
"""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine.run import check_deployment
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

PACK = """\
pack: {id: KB952, article: 952, title: Why, revision: 1, updated: 2024-01-01, version: 0.1.0}
actions:
  - {name: refresh-licenses, needs: [instance], description: Licences are refreshed.}
outcomes:
  unavailable: {type: boolean, merge: any, default: false}
tables:
  - id: refresh
    title: Refresh by release
    subject: event
    inputs:
      - {name: kind, expr: before.instance_kind, values: [on-premise, cloud]}
      - name: release
        expr: '"older" if before.riva_version < version("2.4.48") else "later"'
        values: [older, later]
    rows:
      - {when: {kind: on-premise, release: older}, then: {unavailable: true}}
      - {when: {kind: on-premise, release: later}, then: {unavailable: false}}
      - {when: {kind: cloud}, then: {unavailable: false}}
rules:
  - id: KB952-001
    kind: check
    title: Refresh needs 2.4.48
    severity: error
    cites: {section: background}
    summary: No refresh before 2.4.48.
    over: events
    where: action == "refresh-licenses"
    predict: refresh
    message: "{instance} cannot refresh"
    examples: [{file: ex.yaml, expect: fail}]
"""

DEPLOYMENT = """\
instances:
  - name: onprem-1
    kind: on-premise
    riva_version: 2.4.40
    policies:
      - name: Sales
        users: [{email: ann@example.com, crm_user: ann@example.com}]
timeline:
  - {at: 2026-12-01, action: refresh-licenses, instance: onprem-1}
"""


def test_an_event_tables_why_names_the_values_each_input_read(tmp_path: Path):
    (tmp_path / "ex.yaml").write_text(DEPLOYMENT)
    (tmp_path / "pack.yaml").write_text(PACK)
    pack = load_pack(tmp_path / "pack.yaml")
    deployment = read_deployment(tmp_path / "ex.yaml", vocabulary_of([pack]))
    [finding] = check_deployment(deployment, [pack])
    assert (
        finding.why == "row 1 of 'refresh': kind: on-premise (on-premise); release: older (2.4.40)"
    )
