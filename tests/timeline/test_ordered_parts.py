"""The entries of one article step done in the order written (``in_order``), trial 9 P1: the
article's step 2 is "disable the policy, and then save it", so KB981-P1's two entries citing
item 2 are its parts, step 2a then step 2b, judged in that order; without ``in_order`` they are
the step's bullets, in any order. Also: ``step:`` beside a cited item (trial 10 #4), what
``{consequence}`` says of a ``change: event`` procedure (trial 10 #5), and the words of its
findings, pages and needs (trial 9 P7). Pack KB981 is ``order-pack/kb-981``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kb_lint.docs.procedure_pages import render_procedure
from kb_lint.docs.sources import collect
from kb_lint.pack import load_pack
from tests.conftest import changed, one_error, place

RULES = Path(__file__).parent / "order-pack"
PACK = RULES / "kb-981" / "pack.yaml"
EXAMPLES = RULES / "kb-981" / "examples"
RESIDUE = "the policy is removed without the backup file that disabling and then saving it writes"


def _copy(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The pack in a rules folder of its own under ``tmp_path``, each change made once; its
    pack file."""
    shutil.copytree(RULES, tmp_path / "rules")
    return changed(tmp_path / "rules" / "kb-981" / "pack.yaml", *changes)


def _plan(tmp_path: Path, *timeline: str, enabled: bool = True) -> Path:
    """Pilot (enabled or not) on onprem, with ``timeline``'s actions on it, in that order."""
    plan = tmp_path / "plan.yaml"
    events = "\n".join(f"  - {{action: {a}, instance: onprem, policy: Pilot}}" for a in timeline)
    plan.write_text(
        "instances:\n  - name: onprem\n    kind: on-premise\n    policies:\n"
        f"      - {{name: Pilot, enabled: {str(enabled).lower()}, users: "
        "[{email: bob@x.example, crm_user: bob@x.example}]}\n"
        f"timeline:\n{events}\n",
        "utf-8",
    )
    return plan


def _refused(proc: subprocess.CompletedProcess[str], pack: Path) -> str:
    """The one finding ``rules check`` gives ``pack`` when it does not load (exit 2)."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    first = proc.stdout.splitlines()[0]
    pack = first.split(":")[0]  # the finding is at the pack file, which the summary names
    assert proc.stdout.splitlines()[-1] == (
        f"Found 1 finding (1 error) in 1 file; 1 pack did not load ({pack}; its error above): "
        "its other checks and examples were not run."
    )
    return first


def test_the_pack_checks_and_its_examples_pass(kb_lint):
    checked = kb_lint("rules", "check", "--rules", RULES)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = kb_lint("rules", "test", "--rules", RULES, "--color", "never")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "3 examples: 3 passed" in tested.stdout


def test_a_save_before_the_disable_comes_out_of_order(kb_lint):
    """The save (step 2b) is written before the disable (step 2a): the backup it writes is of
    the enabled policy."""
    plan = EXAMPLES / "saved-before-disable.yaml"
    proc = kb_lint("check", "--rules", RULES, plan)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        f"{plan}:13:5: KB981-001 error KB981-P1 step 2b (Save the disabled policy.) comes out of "
        f"order before remove-policy of Pilot: {RESIDUE}"
    )
    assert f"  = also: {plan}:11:5 (step 2b done here)" in lines
    assert "Found 1 finding (1 error) in 1 file." in lines


def test_both_parts_left_out_are_one_finding_for_the_articles_step(kb_lint):
    proc = kb_lint("check", "--rules", RULES, EXAMPLES / "not-saved.yaml")
    assert proc.returncode == 1, proc.stderr
    assert (
        "KB981-P1 steps 2a and 2b (Disable the policy. Save the disabled policy.) are missing "
        f"before remove-policy of Pilot: {RESIDUE}"
    ) in proc.stdout
    assert "= why: steps 2a and 2b of KB981-P1 are left out; what leaving" in proc.stdout


@pytest.mark.parametrize(
    ("timeline", "enabled"),
    [
        (("disable-policy", "save-policy", "remove-policy"), True),  # by the book
        (("save-policy", "disable-policy", "save-policy", "remove-policy"), True),  # saved again
        (("save-policy", "remove-policy"), False),  # disabled before the timeline: 2a is done
    ],
)
def test_parts_done_in_order_are_followed(kb_lint, tmp_path, timeline, enabled):
    proc = kb_lint("check", "--rules", RULES, _plan(tmp_path, *timeline, enabled=enabled))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_without_in_order_the_entries_are_bullets_in_any_order(kb_lint, tmp_path):
    """The same entries without ``in_order``: bullets 1 and 2 of step 2, whose order the
    procedure leaves open (KB105's clean-up bullets)."""
    rules = _copy(tmp_path, ("    in_order: [2]\n", "")).parent.parent
    bullets = kb_lint("check", "--rules", rules, EXAMPLES / "saved-before-disable.yaml")
    assert bullets.returncode == 0, bullets.stdout
    missing = kb_lint("check", "--rules", rules, EXAMPLES / "not-saved.yaml")
    assert "KB981-P1 step 2, bullets 1–2 (Disable the policy. Save the disabled policy.) are " in (
        missing.stdout
    )


@pytest.mark.parametrize(
    ("listed", "problem"),
    [
        ("[3]", "step 3 has one entry ('remove'): 'in_order' lists the steps of two to 26 entries"),
        ("[9]", "step 9 has no entry: 'in_order' lists the steps of two to 26 entries"),
        ("[2, 2]", "step 2 is listed in 'in_order' already"),
    ],
)
def test_in_order_names_a_step_of_several_entries_once(kb_lint, tmp_path, listed, problem):
    pack = _copy(tmp_path, ("    in_order: [2]\n", f"    in_order: {listed}\n"))
    line = _refused(kb_lint("rules", "check", "--rules", pack.parent.parent), pack)
    at, col = place(pack, "in_order: [")
    element = col + len("in_order: [") + (3 if listed == "[2, 2]" else 0)
    assert line.startswith(f"{pack}:{at}:{element}: KB-RULES-010 error {problem}"), line


def test_a_step_number_beside_a_cited_item_says_to_drop_it(kb_lint, tmp_path):
    """Trial 10 #4: ``step: 2`` on an entry that cites item 2, in a procedure that cites no
    section yet: the item gives the number, so the message says to drop ``step:``, at it."""
    pack = _copy(
        tmp_path,
        ('    cites: {section: steps, fingerprint: "sha256:f12dd6f6e659a8bb"}\n', ""),
        ("      - id: disable\n", "      - id: disable\n        step: 2\n"),
    )
    line = _refused(kb_lint("rules", "check", "--rules", pack.parent.parent), pack)
    at, col = place(pack, "step: 2")
    assert line.startswith(f"{pack}:{at}:{col + len('step: ')}: KB-RULES-010 error "), line
    assert line.endswith(
        "the step cites item 2, which gives its number (step 2): drop 'step: 2' ('step:' "
        "numbers the steps of a procedure of the pack's own, which cite no item)"
    ), line


def test_a_pack_action_without_what_it_needs_says_where_the_needs_are(kb_lint, tmp_path):
    plan = tmp_path / "plan.yaml"
    text = (EXAMPLES / "not-saved.yaml").read_text("utf-8")
    plan.write_text(text.replace(", policy: Pilot}", "}"), "utf-8")
    line = one_error(kb_lint("check", "--rules", RULES, plan))
    at, _ = place(PACK, "- {name: remove-policy")
    assert line == (
        f"kb-lint: {plan}:10:5: remove-policy needs policy: give it (the action's needs, "
        f"{PACK}:{at})"
    )


def test_the_procedure_page_numbers_the_parts_and_says_the_residue_once():
    sources = collect(RULES, None, RULES)
    [pack] = sources.packs
    page = render_procedure(pack, pack.procedures["KB981-P1"], sources)
    assert "**Step 2a.** Disable the policy." in page
    assert "**Step 2b.** Save the disabled policy." in page
    assert "**Step 3.** Remove the policy." in page
    assert page.count(RESIDUE) == 2  # once under each part


def test_places_are_computed_once_at_load():
    procedure = load_pack(PACK).procedures["KB981-P1"]
    assert [procedure.place(s) for s in procedure.steps] == ["step 2a", "step 2b", "step 3"]
