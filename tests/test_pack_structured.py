"""Structured fields: a record, or a list of records (one set of options per policy page),
checked by the deployment schema, read by expressions, and judged per element with ``each:``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from kb_lint.engine.run import check_deployment
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

PACK = """\
pack: {id: KB960, article: 960, title: Pages, revision: 1, updated: 2024-01-01, version: 0.1.0}
fields:
  policy:
    pages:
      type: list
      description: The option pages of the policy.
      fields:
        page: {type: enum, values: [contacts, calendar, email], description: The page.}
        smart_convert: {type: boolean, default: false, description: SmartConvert on this page.}
        attendees: {type: boolean, default: false, description: Sync attendees.}
    owner:
      type: record
      description: Who owns the policy.
      fields:
        team: {type: string, description: The team.}
outcomes:
  skipped: {type: list, merge: union, default: []}
rules:
  - id: KB960-001
    kind: check
    title: Attendees on GroupWise
    severity: warning
    cites: {section: background}
    summary: A GroupWise policy's calendar page syncs no attendees.
    over: policies
    each: pages
    where: email_system == "groupwise"
    when: pages.attendees
    message: "{policy} syncs attendees on its {pages.page} page; owner {owner.team}"
    outcome: {skipped: '[pages.page]'}
    examples: [{file: ex.yaml, expect: fail}]
  - id: KB960-002
    kind: exclusivity
    title: One policy per page option set
    severity: info
    cites: {section: background}
    summary: Two policies of one instance with one page's options.
    over: policies
    key: [instance]
    each: pages
    distinct: policy
    message: "{pages.page} page options shared by {distinct(bindings.policy)}"
    examples: [{file: ex.yaml, expect: fail}]
"""

DEPLOYMENT = """\
instances:
  - name: cloud
    kind: cloud
    policies:
      - name: Sales
        email_system: groupwise
        owner: {team: sales}
        pages:
          - {page: contacts, smart_convert: true}
          - {page: calendar, attendees: true}
        users: [{email: a@example.com, crm_user: a@example.com}]
      - name: Support
        email_system: groupwise
        category: Support Sync
        pages:
          - {page: calendar, attendees: true}
        users: [{email: b@example.com, crm_user: b@example.com}]
"""


def loaded(tmp_path: Path, pack: str = PACK, deployment: str = DEPLOYMENT):
    (tmp_path / "ex.yaml").write_text(deployment)
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(pack))
    rules = load_pack(tmp_path / "pack.yaml")
    return rules, read_deployment(tmp_path / "ex.yaml", vocabulary_of([rules]))


def test_a_check_rule_is_judged_per_element_of_a_list_of_records(tmp_path):
    pack, dep = loaded(tmp_path)
    found = [f for f in check_deployment(dep, [pack]) if f.rule == "KB960-001"]
    assert [f.message for f in found] == [
        "Sales syncs attendees on its calendar page; owner sales",
        "Support syncs attendees on its calendar page; owner not given",
    ]
    assert [f.outcome for f in found] == [{"skipped": ["calendar"]}] * 2


def test_an_exclusivity_rule_groups_per_element_record(tmp_path):
    pack, dep = loaded(tmp_path)
    [found] = [f for f in check_deployment(dep, [pack]) if f.rule == "KB960-002"]
    assert found.message == "calendar page options shared by Sales, Support"


def test_a_key_the_record_does_not_have_is_refused_in_the_deployment(tmp_path):
    with pytest.raises(InputError) as caught:
        loaded(
            tmp_path,
            deployment=DEPLOYMENT.replace(
                "attendees: true}\n        users: [{email: a",
                "atendees: true}\n        users: [{email: a",
            ),
        )
    assert "ex.yaml:10:" in str(caught.value) and "atendees" in str(caught.value)


def test_an_expression_reading_a_key_no_record_has_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        loaded(tmp_path, pack=PACK.replace("when: pages.attendees", "when: pages.atendees"))
    assert "atendees" in str(caught.value) and "pack.yaml:28:17:" in str(caught.value)


def test_the_deployment_schema_describes_the_records(tmp_path, kb_lint):
    (tmp_path / "rules" / "kb-960").mkdir(parents=True)
    (tmp_path / "rules" / "kb-960" / "pack.yaml").write_text(PACK)
    (tmp_path / "rules" / "kb-960" / "ex.yaml").write_text(DEPLOYMENT)
    proc = kb_lint("schema", "--rules", tmp_path / "rules")
    pages = json.loads(proc.stdout)["$defs"]["policy"]["properties"]["pages"]
    assert pages["items"]["properties"]["attendees"]["default"] is False
    assert pages["items"]["additionalProperties"] is False
