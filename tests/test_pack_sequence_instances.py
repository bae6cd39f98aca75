"""A sequence step matches its action on any instance: only a ``where`` relating it to an
earlier step ties it to that step's instance (authoring guide, "A step's instance"; trial 8 #7).

The pack is written to a temporary folder as an author would write it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.engine.run import check_deployment
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

PACK = """\
pack: {id: KB953, article: 953, title: Steps, revision: 1, updated: 2024-01-01, version: 0.1.0}
actions:
  - {name: refresh-licenses, needs: [instance], description: Licences are refreshed.}
  - {name: close-manager, needs: [instance], description: The Riva Manager is closed.}
outcomes:
  restart_pending: {type: boolean, merge: any, default: false}
rules:
  - id: KB953-001
    kind: sequence
    title: Close the Riva Manager after a refresh
    severity: warning
    cites: {section: background}
    summary: A refresh asks for a restart.
    pattern:
      - {as: refreshed, action: refresh-licenses}
      - {as: closed, action: close-manager, absent: true WHERE}
    message: "{refreshed.instance} was never closed after the refresh"
    outcome: {restart_pending: true}
    examples: [{file: ex.yaml, expect: fail}]
"""

DEPLOYMENT = """\
instances:
  - name: onprem-1
    kind: on-premise
    policies: [{name: Sales, users: [{email: ann@example.com, crm_user: ann@example.com}]}]
  - name: onprem-2
    kind: on-premise
    policies: [{name: Sales, users: [{email: bob@example.com, crm_user: bob@example.com}]}]
timeline:
  - {at: 2026-12-01, action: refresh-licenses, instance: onprem-1}
  - {at: 2026-12-01, action: close-manager, instance: onprem-2}
"""


@pytest.mark.parametrize(
    ("where", "found"),
    [
        # the close of another instance's Riva Manager is the absent step's event: no finding
        ("", []),
        # tied to the refresh's instance, onprem-1 was never closed
        (
            ", where: closed.instance == refreshed.instance",
            ["onprem-1 was never closed after the refresh"],
        ),
    ],
)
def test_a_step_is_tied_to_an_earlier_steps_instance_only_by_its_where(
    tmp_path: Path, where: str, found: list[str]
):
    (tmp_path / "ex.yaml").write_text(DEPLOYMENT)
    (tmp_path / "pack.yaml").write_text(PACK.replace(" WHERE", where))
    pack = load_pack(tmp_path / "pack.yaml")
    deployment = read_deployment(tmp_path / "ex.yaml", vocabulary_of([pack]))
    assert [f.message for f in check_deployment(deployment, [pack])] == found
