"""``refines:``: a pack's enum details another pack's (pack KB906 in ``tests/packs``: a Riva
Cloud subscription, trial, standard or premium, that refines KB1508's plan, trial or paid).
A deployment gives the finer value once; every pack that reads the coarser field reads its
case; the two disagreeing, or a refinement the other pack cannot take, is an error at its
place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import changed

ROOT = Path(__file__).resolve().parents[1]
KB906 = ROOT / "tests" / "packs" / "kb-906-refines"
TEXT = (KB906 / "pack.yaml").read_text("utf-8")
TRIAL = """\
instances:
  - name: riva-cloud
    kind: cloud
    subscription: trial
    policies:
      - name: Sales
        history_days: 30
        users:
          - {email: ann@acme.example, crm_user: ann@acme.example}
"""


def rules(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """KB1508 beside KB906 (``old`` replaced by ``new`` in KB906's pack.yaml)."""
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "kb-1508", folder / "kb-1508")
    pack = folder / "kb-1508" / "pack.yaml"
    article = ROOT / "docs" / "articles" / "kb-1508-modify-a-riva-cloud-sync-policy.md"
    text = pack.read_text("utf-8").replace(
        "source: ../../docs/articles/kb-1508-modify-a-riva-cloud-sync-policy.md",
        f"source: {article}",
    )
    pack.write_text(text, "utf-8")
    shutil.copytree(KB906, folder / "kb-906")
    assert not old or TEXT.count(old) == 1, old
    (folder / "kb-906" / "pack.yaml").write_text(TEXT.replace(old, new), "utf-8")
    return folder


def deployment(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deployment.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_coarser_field_is_the_case_of_the_finer(kb_lint, tmp_path):
    """A trial subscription is KB1508's trial plan: its 15-day rule judges the policy."""
    folder = rules(tmp_path)
    proc = kb_lint("check", "--rules", folder, deployment(tmp_path, TRIAL))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "KB1508-001 warning Sales of riva-cloud sets the historic item filter 30" in proc.stdout
    premium = TRIAL.replace("subscription: trial", "subscription: premium")
    proc = kb_lint("check", "--rules", folder, deployment(tmp_path, premium))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_an_action_that_sets_the_finer_sets_the_coarser(kb_lint, tmp_path):
    text = TRIAL.replace("subscription: trial", "subscription: premium") + (
        "timeline:\n  - {at: 2026-12-01, action: change-subscription, instance: riva-cloud, "
        "subscription: trial}\n"
    )
    proc = kb_lint("check", "--rules", rules(tmp_path), deployment(tmp_path, text))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "15 days at most, from change-subscription on 2026-12-01" in proc.stdout


def test_both_given_and_disagreeing_is_an_error_at_the_coarser(kb_lint, tmp_path):
    text = TRIAL.replace("subscription: trial", "subscription: premium\n    plan: trial")
    path = deployment(tmp_path, text)
    proc = kb_lint("check", "--rules", rules(tmp_path), path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr == (
        f"kb-lint: {path}:5:5: plan 'trial' disagrees with subscription 'premium', which is plan "
        "'paid' (KB906 refines KB1508's plan)\n"
    )
    agreeing = text.replace("plan: trial", "plan: paid")
    proc = kb_lint("check", "--rules", rules(tmp_path / "b"), deployment(tmp_path, agreeing))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "premium: paid}",
            "premium: gold}",
            "'premium' is 'gold', not a value of KB1508's plan at {kb1508}:7 (trial, paid)",
        ),
        (
            "field: plan",
            "field: plans",
            "KB1508 declares no instance field 'plans' (did you mean 'plan'?)",
        ),
    ],
    ids=["value", "field"],
)
def test_a_refinement_the_other_pack_cannot_take_names_both(kb_lint, tmp_path, old, new, message):
    folder = rules(tmp_path, old, new)
    proc = kb_lint("rules", "list", "--rules", folder)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    pack = folder / "kb-906" / "pack.yaml"
    line = TEXT.splitlines().index("        field: plan") + 1
    kb1508 = folder / "kb-1508" / "pack.yaml"
    plan = kb1508.read_text("utf-8").splitlines().index("    plan:") + 2  # its value
    expected = message.format(kb1508=f"{kb1508}:{plan}")
    assert f"{pack}:{line}:16: {expected}" in proc.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("premium: paid}", "premium: paid, gold: paid}", "'gold' is not a value of 'subscription'"),
        (", premium: paid}", "}", "say which plan each value of 'subscription' is: premium"),
        ("pack: KB1508", "pack: KB906", "a field refines another pack's field, not its own"),
        (
            "type: enum\n      values: [trial, standard, premium]",
            "type: string",
            "only an enum refines another pack's enum; 'subscription' is of type string",
        ),
    ],
    ids=["unknown value", "missing value", "own pack", "not an enum"],
)
def test_a_refinement_is_checked_where_it_is_written(kb_lint, tmp_path, old, new, message):
    proc = kb_lint("rules", "list", "--rules", rules(tmp_path, old, new))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "kb-906/pack.yaml:" in proc.stderr and message in proc.stderr, proc.stderr


def test_the_schema_says_what_each_value_is(kb_lint, tmp_path):
    proc = kb_lint("schema", "--rules", rules(tmp_path))
    assert proc.returncode == 0, proc.stderr
    field = json.loads(proc.stdout)["$defs"]["instance"]["properties"]["subscription"]
    assert field["description"] == (
        "The Riva Cloud subscription. Refines KB1508's plan: trial is trial, standard is paid, "
        "premium is paid. [KB906]"
    )
    event = json.loads(proc.stdout)["$defs"]["event"]["properties"]
    assert "plan" in event  # change-subscription sets it too


def test_without_kb1508_the_refinement_reads_nothing(kb_lint):
    """Alone, KB906 passes its own checks: no loaded pack reads the plan."""
    proc = kb_lint("rules", "test", "--rules", KB906.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ KB906-001 examples/downgraded.yaml (expect fail)" in proc.stdout


# KB906's subscription computed (default_from) from the release: no release is a trial, one
# named is premium; and an action that sets the release, so that a timeline computes it again.
COMPUTED = (
    "      description: The Riva Cloud subscription.\n",
    '      default_from: \'"trial" if riva_version == null else "premium"\'\n'
    "      description: The Riva Cloud subscription.\n",
)
UPGRADE = (
    "actions:\n",
    "actions:\n  - name: upgrade-riva\n    needs: [instance, riva_version]\n"
    "    sets: [riva_version]\n    description: The release is upgraded.\n",
)
UNWRITTEN = TRIAL.replace("    subscription: trial\n", "")


def computed_rules(tmp_path: Path) -> Path:
    folder = rules(tmp_path)
    changed(folder / "kb-906" / "pack.yaml", COMPUTED, UPGRADE)
    return folder


def test_a_computed_finer_value_gives_the_coarser_its_case(kb_lint, tmp_path):
    """The trial subscription KB906 computes is KB1508's trial plan, as a written one is."""
    proc = kb_lint("check", "--rules", computed_rules(tmp_path), deployment(tmp_path, UNWRITTEN))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "KB1508-001 warning Sales of riva-cloud sets the historic item filter 30" in proc.stdout


def test_a_written_coarser_value_the_computed_finer_contradicts_is_an_error(kb_lint, tmp_path):
    text = UNWRITTEN.replace("    kind: cloud\n", "    kind: cloud\n    plan: paid\n")
    path = deployment(tmp_path, text)
    proc = kb_lint("check", "--rules", computed_rules(tmp_path), path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr == (
        f"kb-lint: {path}:4:5: plan 'paid' disagrees with subscription 'trial', its "
        "default_from's value here, which is plan 'trial' (KB906 refines KB1508's plan): write "
        "subscription too\n"
    )


def test_a_timeline_computes_the_finer_again_and_the_coarser_follows(kb_lint, tmp_path):
    """Upgraded, the account computes premium (plan paid): the longer filter set after the
    upgrade is no trial's; set before it, it is."""
    folder = computed_rules(tmp_path)
    start = UNWRITTEN.replace("history_days: 30", "history_days: 10")
    upgrade = (
        '  - {at: 2026-11-01, action: upgrade-riva, instance: riva-cloud, riva_version: "2.4.40"}\n'
    )
    longer = (
        "  - {at: 2026-12-01, action: change-history-filter, instance: riva-cloud, "
        "policy: Sales, history_days: 30}\n"
    )
    after = kb_lint(
        "check", "--rules", folder, deployment(tmp_path, f"{start}timeline:\n{upgrade}{longer}")
    )
    assert after.returncode == 0, after.stdout + after.stderr
    early = longer.replace("2026-12-01", "2026-10-01")
    before = kb_lint(
        "check", "--rules", folder, deployment(tmp_path, f"{start}timeline:\n{early}{upgrade}")
    )
    assert before.returncode == 1, before.stdout + before.stderr
    assert "from change-history-filter on 2026-10-01" in before.stdout
