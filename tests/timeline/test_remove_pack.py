"""Trial 12's pack (KB 24039177255444, remove a user for good, ``remove-pack``): the steps of a
procedure are numbered by the items they cite only when the procedure names its section (P1,
P2)."""

from __future__ import annotations

import shutil
from pathlib import Path

RULES = Path(__file__).parent / "remove-pack"
PACK = "kb-24039177255444/pack.yaml"
OWN_SECTION = '    cites: {section: steps, fingerprint: "sha256:8de00a7272667e92"}\n    in_order'


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    """The pack in a rules folder of its own, ``old`` (found once) made ``new``."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    pack = folder / PACK
    text = pack.read_text("utf-8")
    assert text.count(old) == 1
    pack.write_text(text.replace(old, new), "utf-8")
    return folder


def test_the_pack_as_written_numbers_its_steps_by_the_items_they_cite(kb_lint):
    proc = kb_lint(
        "check", "--rules", RULES, RULES / "kb-24039177255444/examples/remove-no-release.yaml"
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "KB24039177255444-P1 step 5 (Release the removed user's licence.) is not done" in (
        proc.stdout
    )


def test_steps_citing_items_of_a_procedure_that_cites_no_section_are_an_error_at_the_cite(
    kb_lint, tmp_path
):
    """Without the procedure's ``cites`` the steps were numbered 1..6 by position ("step 6
    (Release …)", a step the article does not have); now the first step citing an item is an
    error at its ``cites``, which says how to number them by the article."""
    rules = _copy(tmp_path, OWN_SECTION, "    in_order")
    proc = kb_lint("rules", "check", "--rules", rules, "--color", "never")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    text = (rules / PACK).read_text("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if "- id: password" in t) + 5
    assert text[line - 1].startswith("        cites: [{section: steps, item: 1")
    assert (
        f"{PACK}:{line}:17: KB-RULES-010 error step 'password' cites item 1 of § steps, but "
        "KB24039177255444-P1 cites no section, so its steps would be numbered by their "
        "position, not by the items they cite: give the procedure the section its steps are "
        "items of (cites: {section: steps})"
    ) in proc.stdout
    checked = kb_lint(
        "check", "--rules", rules, rules / "kb-24039177255444/examples/remove-no-release.yaml"
    )
    assert checked.returncode == 2 and "step 6" not in checked.stdout + checked.stderr


def test_in_order_on_a_step_of_one_entry_names_the_entry(kb_lint, tmp_path):
    rules = _copy(tmp_path, "    in_order: [4]", "    in_order: [5]")
    proc = kb_lint("rules", "check", "--rules", rules, "--color", "never")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert (
        "KB-RULES-010 error step 5 has one entry ('release'): 'in_order' lists the steps of two "
        "to 26 entries"
    ) in proc.stdout


def test_a_step_after_the_change_done_only_before_it_comes_out_of_order_where_it_was_done(
    kb_lint,
):
    """P7: the licence released the day before the removal is shown where it was done, "comes
    out of order after" the change, as the guide says, not "is not done after"."""
    plan = RULES / "kb-24039177255444/examples/remove-release-before.yaml"
    proc = kb_lint("check", "--rules", RULES, plan, "--color", "never")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        f"{plan.relative_to(Path.cwd()) if plan.is_relative_to(Path.cwd()) else plan}:20:5: "
        "KB24039177255444-001 error KB24039177255444-P1 step 5 (Release the removed user's "
        "licence.) comes out of order after remove-user of ann.lee@acme.example from Sales: the "
        "removed user's licence cannot be given to a new target user\n"
    ) in proc.stdout
    assert ":18:5 (step 5 done here)" in proc.stdout
