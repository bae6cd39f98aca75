"""A move between two policies of one instance is a move (trial 11 #2): trial 11's procedure
(``move-pack``, KB 24037823642260: clear in the source policy, then move) fires on a user
removed from one policy and added to another of its instance, where it never did."""

from __future__ import annotations

from pathlib import Path

RULES = Path(__file__).parent / "move-pack"
EXAMPLES = RULES / "kb-24037823642260" / "examples"


def test_the_pack_checks_and_its_examples_pass(kb_lint):
    checked = kb_lint("rules", "check", "--rules", RULES, "--color", "never")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = kb_lint("rules", "test", "--rules", RULES, "--color", "never")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 examples: 2 passed, 0 failed" in tested.stdout


def test_a_move_between_policies_of_one_instance_without_the_clear_is_a_finding(kb_lint):
    plan = EXAMPLES / "no-clear.yaml"
    proc = kb_lint("check", "--rules", RULES, plan, "--color", "never")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        ":18:5: KB24037823642260-001 error step 1 of KB24037823642260-P1 (Clear the user's synced "
        "data in the source policy.) is missing before add-user of ann.lee@acme.example to "
        "Mobile Users"
    ) in proc.stdout
    good = kb_lint("check", "--rules", RULES, EXAMPLES / "by-the-book.yaml")
    assert good.returncode == 0, good.stdout + good.stderr


def test_both_policies_syncing_the_moved_user_are_named_by_policy(kb_lint, tmp_path):
    """Added to the target before the source lets go: the overlap names the two policies of
    the one instance, not the instance twice."""
    text = (EXAMPLES / "no-clear.yaml").read_text("utf-8")
    remove = next(line for line in text.splitlines() if "action: remove-user" in line)
    add = next(line for line in text.splitlines() if "action: add-user" in line)
    plan = tmp_path / "add-first.yaml"
    plan.write_text(
        text.replace(remove, "@@")
        .replace(add, remove.replace("07-02", "07-03"))
        .replace("@@", add),
        "utf-8",
    )
    proc = kb_lint("check", "--rules", RULES, plan, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        "from 2024-07-02 until 2024-07-03: Internal Users and Mobile Users of onprem-1 both "
        "sync it" in proc.stdout
    )
