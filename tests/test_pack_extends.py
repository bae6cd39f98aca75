"""``extends:``: a pack adds values to another pack's enum (trial 10 #1). Pack KB978
(``tests/extends/kb-978``) adds the re-init type ``none`` to KB22's ``reinit_type``, which
KB454 declares alike: where they are loaded together, a plan written with KB22's
``reinitialize-user`` may say None and KB978 judges it; ``kb-lint explain fields`` and
``explain actions`` list the vocabulary with the packs that declare it; a clash is an error at
its place."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import beside_shipped, changed, one_error, place


def first_error(proc) -> str:
    """The pack's load error, said first (the plan's own error, a value or an action the pack
    would have given, follows)."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr.splitlines()[0]


ROOT = Path(__file__).resolve().parents[1]
KB978 = ROOT / "tests" / "extends" / "kb-978"
OLD = KB978 / "examples" / "none-on-2.4.25.yaml"


def folder(tmp_path: Path, *shipped: str) -> Path:
    """A rules folder holding KB978 and the shipped packs named."""
    return beside_shipped(tmp_path, KB978, *shipped)


def test_the_added_value_is_the_fields_and_judged(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-22", "kb-454")
    checked = kb_lint("rules", "check", "--rules", rules)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (3 files).\n"), (
        checked.stdout + checked.stderr
    )
    done = kb_lint("check", "--rules", rules, OLD)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        f"{OLD.relative_to(ROOT)}:11:5: KB978-001 error dev.rao@example.com's re-init None on "
        "onprem (Riva 2.4.25) is not offered"
    ) in done.stdout


def test_without_the_extension_none_is_no_value(kb_lint, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "kb-22", rules / "kb-22")
    line = one_error(kb_lint("check", "--rules", rules, OLD))
    assert "'none' is not a value of 'reinit_type' (full, resync, clear)" in line, line


def test_explain_lists_every_field_and_action_with_its_packs(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-22", "kb-454")
    fields = kb_lint("explain", "fields", "--rules", rules)
    assert fields.returncode == 0, fields.stderr
    assert (
        "  reinit_type  enum: full, resync, clear, none (added by KB978)  (KB22, KB454, KB978)\n"
    ) in fields.stdout
    actions = kb_lint("explain", "actions", "--rules", rules)
    assert actions.returncode == 0, actions.stderr
    assert (
        "reinitialize-user  (KB22, KB454)\n    gives: instance, policy, email, reinit_type\n"
    ) in actions.stdout


def test_rules_new_points_to_them(kb_lint, tmp_path):
    article = tmp_path / "kb-978.md"
    shutil.copy(KB978 / "article.md", article)
    done = kb_lint("rules", "new", article, "--rules", tmp_path / "rules")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kb-lint explain actions; kb-lint explain fields" in done.stdout
    written = (tmp_path / "rules" / "kb-978" / "pack.yaml").read_text("utf-8")
    assert "(kb-lint explain fields, kb-lint explain actions)" in written


def test_a_value_the_other_pack_has_is_an_error_at_it(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-22")
    pack = changed(rules / "kb-978/pack.yaml", ("values: [none]", "values: [none, clear]"))
    line = first_error(kb_lint("check", "--rules", rules, OLD))
    at = place(pack, "clear]")
    assert line.startswith(
        f"kb-lint: {pack}:{at[0]}:{at[1]}: 'clear' is already a value of KB22's reinit_type ("
    ), line
    assert line.endswith("): list only the values this pack adds"), line


def test_alone_the_extension_says_which_pack_to_load(kb_lint, tmp_path):
    rules = folder(tmp_path)
    pack = rules / "kb-978/pack.yaml"
    line = first_error(kb_lint("check", "--rules", rules, OLD))
    at = place(pack, "      extends: KB22")
    assert line.startswith(
        f"kb-lint: {pack}:{at[0]}:{at[1] + 15}: no pack loaded with this one declares KB22's event "
        "enum 'reinit_type'; KB22 declares it (rules/kb-22/pack.yaml), which is not loaded"
    ), line


def test_one_value_added_by_two_packs_is_an_error(kb_lint, tmp_path):
    rules = folder(tmp_path, "kb-22")
    shutil.copytree(rules / "kb-978", rules / "kb-979")
    changed(
        rules / "kb-979/pack.yaml",
        ("  id: KB978\n", "  id: KB979\n"),
        ("- id: KB978-001", "- id: KB979-001"),
    )
    line = first_error(kb_lint("check", "--rules", rules, OLD))
    assert "'none' is added to reinit_type by KB978 too" in line, line


def test_the_rules_fingerprint_covers_the_extended_field(tmp_path):
    """KB978-001 reads reinit_type: KB22's declaration of it is part of what the rule means."""
    from kb_lint.pack import load_packs
    from kb_lint.pack.reads import definitions

    packs = {p.id: p for p in load_packs(folder(tmp_path, "kb-22"))}
    found = definitions(packs["KB978"].rules[0], packs["KB978"], packs.values())
    assert found["refined"]["KB22 event.reinit_type"]["values"] == ["full", "resync", "clear"]
