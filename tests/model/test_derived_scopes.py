"""What a computed default (``default_from``) reads: what a check rule over its record sees.
Pack KB964 (``tests/model/cap-pack/kb-964``) names the poll cap that applies once, as a policy
field over the policy's cap, its connection's and its instance's CRM Agent cap; a user field
reads its policy's; an event that sets the instance's cap computes each of its policies' cap
again (``kb_lint.model.derived``)."""

from __future__ import annotations

import shutil
from pathlib import Path

PACKS = Path(__file__).parent / "cap-pack"
EXAMPLES = PACKS / "kb-964" / "examples"


def test_the_cap_that_applies_reads_the_instance_cap(kb_lint):
    done = kb_lint("check", EXAMPLES / "agent-cap.yaml", "--rules", PACKS)
    assert done.returncode == 1, done.stderr
    assert "KB964-001 warning ann@acme.example has 300 CRM items to sync with a cap of 250" in (
        done.stdout
    )


def test_an_event_setting_the_instance_cap_computes_the_policy_cap_again(tmp_path, kb_lint):
    text = (EXAMPLES / "agent-cap-raised.yaml").read_text("utf-8")
    text += "timeline:\n"
    text += (
        "  - {at: 2026-12-01, action: set-agent-limit, instance: onprem, agent_poll_limit: 250}\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    done = kb_lint("check", path, "--rules", PACKS)
    assert done.returncode == 1, done.stderr
    assert "with a cap of 250 a cycle, from set-agent-limit on 2026-12-01" in done.stdout


def test_a_user_field_default_reads_its_policy(kb_lint):
    done = kb_lint("check", EXAMPLES / "connection-cap.yaml", "--rules", PACKS)
    assert done.returncode == 1, done.stderr
    assert (
        "KB964-002 warning ann@acme.example has more CRM items than the connection's cap of 200"
        in (done.stdout)
    )


def test_an_action_cannot_set_what_a_user_field_default_reads(tmp_path, kb_lint):
    """A timeline computes a policy's defaults again, not each user's: refused where it is
    set."""
    shutil.copytree(PACKS, tmp_path / "rules")
    pack = tmp_path / "rules" / "kb-964" / "pack.yaml"
    text = pack.read_text("utf-8")
    pack.write_text(
        text.replace(
            "needs: [instance, agent_poll_limit]\n    sets: [agent_poll_limit]",
            "needs: [instance, policy]\n    sets: [agent_poll_limit, connection_poll_limit]",
        ),
        "utf-8",
    )
    done = kb_lint("rules", "check", "--rules", tmp_path / "rules")
    assert done.returncode == 2, done.stdout
    assert (
        "pack.yaml:50:30: KB-RULES-010 error 'connection_poll_limit' decides the default of the "
        "user field 'over_connection', which a timeline does not compute again for each user: "
        "an action cannot set it"
    ) in done.stdout + done.stderr
