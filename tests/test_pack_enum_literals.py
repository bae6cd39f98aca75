"""A string literal compared with an enum field, or looked for in a list of its values, must be
one of the field's values (an event's ``action``: a built-in action or a loaded pack's), and so
must a table input's ``values`` when its expression gives an enum field as it is: else the pack
is refused at the literal, with a near value suggested (trial 8 #4, #5).

Each pack here is written to a temporary folder as an author would write it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack

HEAD = """\
pack: {id: KB951, article: 951, title: Enums, revision: 1, updated: 2024-01-01, version: 0.1.0}
fields:
  instance:
    plan: {type: enum, values: [trial, paid], default: paid, description: The plan.}
actions:
  - {name: refresh-licenses, needs: [instance], description: Licences are refreshed.}
outcomes:
  flagged: {type: boolean, merge: any, default: false}
"""


def rule(over: str, when: str) -> str:
    return f"""\
rules:
  - id: KB951-001
    kind: check
    title: A rule
    severity: warning
    cites: {{section: background}}
    summary: A rule.
    over: {over}
    when: {when}
    message: "flagged"
    outcome: {{flagged: true}}
    examples: [{{file: ex.yaml, expect: fail}}]
"""


DEPLOYMENT = """\
instances:
  - name: cloud
    kind: cloud
    plan: trial
    policies:
      - name: Sales
        users: [{email: ann@example.com, crm_user: ann@example.com}]
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "ex.yaml").write_text(DEPLOYMENT)
    path = tmp_path / "pack.yaml"
    path.write_text(text)
    return path


def refused(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_pack(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("over", "when", "column", "message"),
    [
        # a pack's enum field, either side of == and !=
        (
            "policies",
            'plan == "trail"',
            20,
            "'trail' is not a value of plan (trial, paid); did you mean 'trial'?",
        ),
        (
            "policies",
            '"payd" != plan',
            12,
            "'payd' is not a value of plan (trial, paid); did you mean 'paid'?",
        ),
        # each element of a list literal; with no near value, the values
        (
            "policies",
            'plan in ["trial", "free"]',
            30,
            "'free' is not a value of plan (trial, paid)",
        ),
        # a built-in enum field, read through a record of an event
        (
            "events",
            'before.instance_kind == "on-premises"',
            36,
            "'on-premises' is not a value of instance_kind (cloud, on-premise); "
            "did you mean 'on-premise'?",
        ),
        # an event's action: the built-in actions and the loaded packs'
        (
            "events",
            'action == "refresh-license"',
            22,
            "'refresh-license' is not a value of action (disable-policy, …); "
            "did you mean 'refresh-licenses'?",
        ),
        (
            "events",
            'action not in ["add-user", "remove-usr"]',
            39,
            "'remove-usr' is not a value of action (disable-policy, …); "
            "did you mean 'remove-user'?",
        ),
        # an element of a list field with values, looked for in it
        (
            "policies",
            '"contact" in data_types',
            12,
            "'contact' is not a value of data_types (contacts, leads, appointments, tasks); "
            "did you mean 'contacts'?",
        ),
    ],
)
def test_a_literal_that_is_no_value_of_its_enum_is_refused_at_it(
    tmp_path, over, when, column, message
):
    text = HEAD + rule(over, f"'{when}'")
    error = refused(tmp_path, text)
    start, _, end = message.partition("…")  # the actions, listed in full, are elided
    assert start in error and end in error and error.index(start) < error.rindex(end)
    assert f"pack.yaml:17:{column}:" in error


def test_a_literal_that_is_a_value_loads(tmp_path):
    when = """'action == "refresh-licenses" and before.instance_kind in ["cloud", "on-premise"]'"""
    path = write(tmp_path, HEAD + rule("events", when))
    assert load_pack(path).rules[0].id == "KB951-001"


def test_a_literal_in_a_field_default_is_checked_too(tmp_path):
    text = HEAD.replace(
        "default: paid, description: The plan.}",
        "description: The plan., "
        """default_from: '"trial" if instance_kind == "onprem" else "paid"'}""",
    )
    assert "'onprem' is not a value of instance_kind" in refused(
        tmp_path, text + rule("policies", "plan == 'trial'")
    )


TABLE = """\
tables:
  - id: refresh
    title: Refresh by kind
    subject: event
    inputs:
      - {name: kind, expr: before.instance_kind, values: [on-premises, cloud]}
    rows:
      - {when: {kind: cloud}, then: {flagged: true}}
"""


def test_a_table_input_value_that_is_no_value_of_its_enum_field_is_refused_at_it(tmp_path):
    error = refused(tmp_path, HEAD + TABLE + rule("events", "'action == \"refresh-licenses\"'"))
    assert "'on-premises' is not a value of instance_kind" in error
    assert "did you mean 'on-premise'?" in error
    assert "pack.yaml:14:59:" in error
