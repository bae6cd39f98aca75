"""A pack names the actions of the packs loaded with it (trial 9 P5): pack KB976
(``tests/other-actions/kb-976``, a folder of its own: alone it does not load) names KB1508's
``change-history-filter`` in a check rule's ``where`` and as a sequence step. Beside KB1508
(one rules folder, or a project folder run with the shipped packs) it loads, its examples run
and its rules judge plans; alone it is refused at each name, told which shipped pack declares
it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import beside_shipped, changed, place

ROOT = Path(__file__).resolve().parents[1]
KB976 = ROOT / "tests" / "other-actions" / "kb-976"
EXAMPLES = KB976 / "examples"
HINT = (
    "KB1508 declares it (rules/kb-1508/pack.yaml), which is not loaded with this pack: a pack "
    "names the actions and fields of the packs loaded with it (its rules folder), so put KB1508 "
    "beside it"
)


def folder(tmp_path: Path, *shipped: str) -> Path:
    """A rules folder holding KB976 and the shipped packs named."""
    return beside_shipped(tmp_path, KB976, *shipped)


def test_beside_the_declaring_pack_it_loads_and_its_examples_pass(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-1508")
    checked = kb_lint("rules", "check", "--rules", rules)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (2 files).\n"), (
        checked.stdout + checked.stderr
    )
    tested = kb_lint("rules", "test", "--rules", rules)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_its_rules_judge_the_other_packs_action(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-1508")
    done = kb_lint("check", "--rules", rules, EXAMPLES / "filter-no-backup.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "KB976-001 warning change-history-filter of Sales on cloud on 2026-12-01" in done.stdout
    done = kb_lint("check", "--rules", rules, EXAMPLES / "filter-other-backup.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "KB976-002 warning Support of cloud-eu is changed on 2026-12-01" in done.stdout


def test_a_project_folder_names_the_shipped_packs_actions(kb_lint, tmp_path):
    """With no --rules, a run loads the shipped packs and the configured folder together."""
    rules = folder(tmp_path)
    (tmp_path / "kb-lint.toml").write_text(f'rules = "{rules.as_posix()}"\n', "utf-8")
    done = kb_lint("check", EXAMPLES / "filter-no-backup.yaml", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "KB976-001 warning" in done.stdout


def test_alone_each_name_is_refused_saying_which_pack_declares_it(kb_lint, tmp_path):
    rules = folder(tmp_path)
    pack = rules / "kb-976" / "pack.yaml"
    checked = kb_lint("rules", "check", "--rules", rules)
    assert checked.returncode == 2, checked.stdout + checked.stderr
    line, column = place(pack, '"change-history-filter"')
    assert (
        f"{pack}:{line}:{column}: KB-RULES-010 error 'change-history-filter' is not a value of "
        "action (disable-policy, "
    ) in checked.stdout
    assert f"backup-configuration); {HINT}\n" in checked.stdout
    line, column = place(pack, "action: change-history-filter, where")
    assert (
        f"{pack}:{line}:{column + 8}: KB-RULES-010 error unknown action 'change-history-filter'; "
        f"{HINT}\n"
    ) in checked.stdout


def test_a_plan_checked_with_the_pack_alone_says_the_pack_did_not_load(kb_lint, tmp_path):
    rules = folder(tmp_path)
    proc = kb_lint("check", "--rules", rules, EXAMPLES / "filter-after-backup.yaml")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert HINT in proc.stderr


def test_an_action_no_pack_declares_is_told_the_values_only(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-1508")
    text = (rules / "kb-976/pack.yaml").read_text("utf-8")
    (rules / "kb-976/pack.yaml").write_text(
        text.replace('"change-history-filter"]', '"change-history-filtre"]'), "utf-8"
    )
    line = [
        ln
        for ln in kb_lint("rules", "check", "--rules", rules).stdout.splitlines()
        if "KB-RULES-010" in ln
    ]
    assert len(line) == 1 and line[0].endswith("did you mean 'change-history-filter'?"), line


# Trial 11 P1/P2: KB24037823642260's sequence steps and procedure step are KB22's
# reinitialize-user and read KB22's reinit_type, which the pack does not declare.
KB2403 = ROOT / "tests" / "other-actions" / "kb-24037823642260"


def test_another_packs_action_fields_are_read_where_its_events_are(kb_lint, tmp_path):
    rules = beside_shipped(tmp_path, KB2403, "kb-22", "kb-454")
    checked = kb_lint("rules", "check", "--rules", rules)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (3 files).\n"), (
        checked.stdout + checked.stderr
    )
    tested = kb_lint("rules", "test", "--rules", rules)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "KB24037823642260-006 examples/other-instance-no-clear.yaml" in tested.stdout


def test_a_procedure_step_on_another_packs_action_is_done_by_its_events(kb_lint, tmp_path):
    rules = beside_shipped(tmp_path, KB2403, "kb-22", "kb-454")
    examples = rules / "kb-24037823642260" / "examples"
    done = kb_lint("check", "--rules", rules, examples / "other-instance-no-clear.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "KB24037823642260-006 warning step 1 of KB24037823642260-P1 is missing" in done.stdout
    done = kb_lint("check", "--rules", rules, examples / "other-instance-cleared.yaml")
    assert "KB24037823642260-006" not in done.stdout, done.stdout + done.stderr


def test_alone_another_packs_event_field_is_told_which_pack_declares_it(kb_lint, tmp_path):
    rules = beside_shipped(tmp_path, KB2403)
    pack = rules / "kb-24037823642260" / "pack.yaml"
    checked = kb_lint("rules", "check", "--rules", rules)
    assert checked.returncode == 2, checked.stdout + checked.stderr
    line, column = place(pack, 'event.reinit_type == "clear"')
    assert (
        f"{pack}:{line}:{column + 6}: KB-RULES-010 error unknown key 'reinit_type' of event; KB22 "
        "declares it for its action reinitialize-user (rules/kb-22/pack.yaml), which is not "
        "loaded with this pack: a pack names the actions and fields of the packs loaded with it "
        "(its rules folder), so put KB22 beside it\n"
    ) in checked.stdout
    assert "did you mean" not in checked.stdout


def test_a_differing_declaration_of_another_packs_field_is_refused_at_its_place(kb_lint, tmp_path):
    rules = beside_shipped(tmp_path, KB2403, "kb-22", "kb-454")
    pack = changed(
        rules / "kb-24037823642260" / "pack.yaml",
        (
            "fields:\n  event:\n",
            "fields:\n  event:\n    reinit_type: {type: string, description: How.}\n",
        ),
    )
    checked = kb_lint("rules", "check", "--rules", rules)
    assert checked.returncode == 2, checked.stdout + checked.stderr
    line, column = place(pack, "reinit_type: {type")
    assert (
        f"{pack}:{line}:{column + 13}: KB-RULES-010 error field 'reinit_type' is declared "
        "differently by KB22 at "
    ) in checked.stdout


def test_redeclaring_another_packs_action_differently_says_what_differs(kb_lint, tmp_path):
    """Trial 12 P4: a pack adding a field to KB22's reinitialize-user is told which key
    differs, with both values, and what to do instead."""
    rules = beside_shipped(tmp_path, KB2403, "kb-22", "kb-454")
    pack = changed(
        rules / "kb-24037823642260" / "pack.yaml",
        (
            "actions:\n",
            "actions:\n  - name: reinitialize-user\n"
            "    needs: [instance, policy, email, reinit_type, reinit_modules]\n"
            "    description: Re-initialize one user of a policy (reinit_type says how).\n",
        ),
    )
    checked = kb_lint("rules", "check", "--rules", rules)
    assert checked.returncode == 2, checked.stdout + checked.stderr
    line, column = place(pack, "- name: reinitialize-user")
    kb22 = rules / "kb-22" / "pack.yaml"
    kb22_line, kb22_column = place(kb22, "- name: reinitialize-user")
    assert (
        f"{pack}:{line}:{column + 2}: KB-RULES-010 error action 'reinitialize-user' is already "
        f"declared by KB22 at "
        f"{kb22}:{kb22_line}:{kb22_column + 2}, differently: needs [instance, policy, email, "
        "reinit_type, reinit_modules] here, [instance, policy, email, reinit_type] there. Two "
        "packs declaring one action must declare it alike: leave this declaration out and use "
        "KB22's action as it is (a pack names the actions of the packs loaded with it); an "
        "event field KB22's action does not need (reinit_modules) is declared under fields: "
        "event: alone, a note any event may give"
    ) in checked.stdout
