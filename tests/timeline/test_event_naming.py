"""An event names what its action reads, and nothing more: an instance action's ``email`` (or a
built-in action's field it does not need) is an error at its key, never a value read by nothing
(F7 of the KB 651 trial)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import changed, one_error

HERE = Path(__file__).parent


def _rules(tmp_path: Path) -> Path:
    """A rules folder of the estate pack alone (the pack that declares set-licences)."""
    shutil.copytree(HERE / "estate-pack", tmp_path / "rules" / "estate-pack")
    return tmp_path / "rules"


def test_an_email_on_an_instance_action_is_an_error_at_its_key(kb_lint, tmp_path):
    rules = _rules(tmp_path)
    cut = rules / "estate-pack/cut-names-a-user.yaml"
    line = one_error(kb_lint("check", "--rules", rules, cut))
    assert line == (
        f"kb-lint: {cut}:12:58: 'email' is not read by set-licences, whose events give "
        f"instance, licences: leave it out, or list it in the action's needs "
        f"({rules / 'estate-pack/pack.yaml'}:9) to read it"
    )


def test_a_built_in_action_refuses_a_field_it_does_not_read(kb_lint, tmp_path):
    """``what`` is remove-riva-data's; on an add-user it would remove nothing."""
    plan = tmp_path / "plan.yaml"
    text = (HERE / "estate-pack/adds.yaml").read_text("utf-8")
    plan.write_text(text.replace("eve@x.example}", "eve@x.example, what: all}"), "utf-8")
    line = one_error(kb_lint("check", "--rules", _rules(tmp_path), plan))
    assert line.endswith(
        "'what' is not read by add-user, whose events give instance, policy, email, "
        "crm_user: leave it out"
    ), line
    assert f"{plan}:22:" in line


def test_the_email_an_action_needs_is_read(kb_lint, tmp_path):
    """Listed in the action's needs, the email is the event's: the cut loads and is judged (a
    cut to one licence of an instance that syncs one user: clean)."""
    pack = tmp_path / "rules/kb-997"
    pack.mkdir(parents=True)
    text = (HERE / "estate-pack/pack.yaml").read_text("utf-8")
    needs = "needs: [instance, licences]"
    assert text.count(needs) == 1
    (pack / "pack.yaml").write_text(text.replace(needs, "needs: [instance, licences, email]"))
    cut = HERE / "estate-pack/cut-names-a-user.yaml"
    checked = kb_lint("check", "--rules", tmp_path / "rules", cut)
    assert (checked.returncode, checked.stderr) == (0, ""), checked.stdout + checked.stderr
    assert checked.stdout == "All checks passed (1 file).\n"


ADDS = HERE / "adds"
INSTALL = "action: install-licence, instance: onprem, email_licences: 2, crm_licences: 2}"


def test_an_event_giving_none_of_what_its_action_sets_is_an_error_at_the_event(kb_lint, tmp_path):
    """An install-licence that gives no licence count would change nothing (trial 7 #9)."""
    plan = tmp_path / "plan.yaml"
    text = (ADDS / "kb-962/by-the-book.yaml").read_text("utf-8")
    plan.write_text(text.replace(INSTALL, "action: install-licence, instance: onprem}"), "utf-8")
    line = one_error(kb_lint("check", "--rules", ADDS, plan))
    assert line == (
        f"kb-lint: {plan}:14:5: install-licence sets email_licences, crm_licences but this "
        "event gives none of them"
    )


def test_an_event_giving_some_of_what_its_action_sets_keeps_the_others(kb_lint, tmp_path):
    """Only the email count grows: the CRM count stays 1, and Dee's add outnumbers it."""
    plan = tmp_path / "plan.yaml"
    text = (ADDS / "kb-962/by-the-book.yaml").read_text("utf-8")
    given = INSTALL.replace(", crm_licences: 2", "")
    plan.write_text(text.replace(INSTALL, given), "utf-8")
    done = kb_lint("check", "--rules", ADDS, plan, "--format", "json")
    assert done.returncode == 1, done.stderr
    outcomes = [f["outcome"] for f in json.loads(done.stdout)["findings"]]
    assert {"over_licence": ["crm"]}.items() <= outcomes[0].items(), outcomes


REINIT = HERE / "reinit"


def test_a_pack_event_field_on_an_action_that_does_not_need_it_is_an_error_at_its_key(kb_lint):
    """Trial 10 #3: ``reinit`` is set-reinit's (its ``needs``); "save Sales with None" on a
    save-policy was accepted and the value dropped (All checks passed, exit 0)."""
    plan = REINIT / "save-with-reinit.yaml"
    line = one_error(kb_lint("check", "--rules", REINIT, plan))
    assert line == (
        f"kb-lint: {plan}:14:70: 'reinit' is read by set-reinit only (save-policy does not "
        "read it): leave it out"
    )


def test_a_pack_event_field_no_action_needs_is_a_note_any_event_gives(kb_lint):
    """``ticket`` belongs to no action: the set-reinit and the save both carry it, and the
    rule's message reads it."""
    clear = REINIT / "kb-975/examples/clear.yaml"
    done = kb_lint("check", "--rules", REINIT, clear)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout + done.stderr  # info only
    assert "ann@acme.example's synced items in Sales are cleared (CHG-7)" in done.stdout


def test_the_hint_names_the_field_the_action_reads(kb_lint, tmp_path):
    """A set-reinit that also gives a mistyped field of another action's is told both: which
    action reads it, and the field of its own it may mean."""
    rules = tmp_path / "rules"
    shutil.copytree(REINIT / "kb-975", rules / "kb-975")
    changed(
        rules / "kb-975/pack.yaml",
        ("    ticket: {", "    reinits: {type: string, description: Re-inits.}\n    ticket: {"),
        (
            "\nrules:",
            "\n  - name: count-reinits\n    needs: [instance, reinits]\n"
            "    description: Someone counts the re-inits of an instance.\nrules:",
        ),
    )
    plan = changed(
        shutil.copy(REINIT / "kb-975/examples/clear.yaml", tmp_path / "plan.yaml"),
        ("reinit: clear, ticket", "reinit: clear, reinits: one, ticket"),
    )
    line = one_error(kb_lint("check", "--rules", rules, plan))
    assert line.endswith(
        "'reinits' is read by count-reinits only (set-reinit does not read it): leave it out "
        "(did you mean 'reinit'?)"
    ), line


def test_new_name_is_rename_policys_alone(kb_lint, tmp_path):
    """The built-in ``new_name`` goes through the same check (one place for both)."""
    plan = changed(
        shutil.copy(REINIT / "kb-975/examples/clear.yaml", tmp_path / "plan.yaml"),
        ("policy: Sales, ticket: CHG-7}", "policy: Sales, ticket: CHG-7, new_name: S}"),
    )
    line = one_error(kb_lint("check", "--rules", REINIT, plan))
    assert line.endswith(
        "'new_name' is read by rename-policy only (save-policy does not read it): leave it out"
    ), line
