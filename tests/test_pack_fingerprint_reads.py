"""A rule's fingerprint covers what it reads from the rest of its pack: the fields its
expressions read, the actions its steps name or that set those fields, the outcome fields it
predicts, the tables and procedures it uses and the assumptions that decide it. Changing any of
them after a release asks for the rule to be confirmed (KB-RULES-014), and ``rules diff`` names
the definition (test packs KB901 and KB902, both released, in ``tests/packs``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_lint.pack import load_pack
from kb_lint.pack.reads import rule_reads
from kb_lint.review.diff import diff_packs
from kb_lint.review.versions import content_fingerprint
from tests.conftest import changed, shipped_copy

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT / "tests" / "packs"


def copied(tmp_path: Path, folder: str, old: str = "", new: str = "") -> Path:
    """The pack in ``tests/packs/FOLDER`` alone in a rules folder, ``old`` made ``new``."""
    target = tmp_path / "rules" / folder
    shutil.copytree(PACKS / folder, target)
    text = (target / "pack.yaml").read_text("utf-8")
    assert not old or text.count(old) == 1, old
    (target / "pack.yaml").write_text(text.replace(old, new), "utf-8")
    return target / "pack.yaml"


def asked(kb_lint, pack: Path) -> list[str]:
    """The rules ``rules check`` asks to be confirmed again."""
    done = kb_lint("rules", "check", "--rules", pack.parent.parent)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if "KB-RULES-014" in line]
    return sorted(line.split(" error rule ")[1].split()[0] for line in lines)


def test_what_each_rule_reads():
    kb901 = load_pack(PACKS / "kb-901-check" / "pack.yaml")
    reads = {rule.id: rule_reads(rule, kb901) for rule in kb901.rules}
    assert reads["KB901-002"]["fields"] == ("plan", "history_days")
    assert reads["KB901-002"]["outcomes"] == ("history", "note")
    assert reads["KB901-003"]["fields"] == ("plan", "role")
    assert reads["KB901-003"]["outcomes"] == ("seats_used",)
    assert reads["KB901-004"]["fields"] == ("ticket",)
    kb902 = load_pack(PACKS / "kb-902-sequence" / "pack.yaml")
    named = {rule.id: rule_reads(rule, kb902)["actions"] for rule in kb902.rules}
    assert "rename-category" in named["KB902-001"]


@pytest.mark.parametrize(
    ("folder", "old", "new", "rules"),
    [
        # a field's definition: the rules that read it, and only those
        ("kb-901-check", "      default: 30\n", "      default: 45\n", ["KB901-002"]),
        (
            "kb-901-check",
            "      values: [member, admin]\n",
            "      values: [member, admin, owner]\n",
            ["KB901-003"],
        ),
        # an outcome field a rule predicts
        (
            "kb-901-check",
            "    describe: trial seats used up\n",
            "    describe: trial seats taken\n",
            ["KB901-003"],
        ),
        # an assumption that says it decides a rule
        (
            "kb-901-check",
            "outcomes:\n",
            "assumptions:\n  - id: A1\n    title: Tickets\n    text: Every change has one.\n"
            "    decides: {rules: [KB901-004]}\n\noutcomes:\n",
            ["KB901-004"],
        ),
        # an action a sequence step names
        (
            "kb-902-sequence",
            "    description: Give a policy a new category name.\n",
            "    description: Give a policy another category name.\n",
            ["KB902-001"],
        ),
    ],
)
def test_a_change_to_what_a_rule_reads_asks_for_its_confirmation(
    kb_lint, tmp_path, folder, old, new, rules
):
    assert asked(kb_lint, copied(tmp_path / "before", folder)) == []
    assert asked(kb_lint, copied(tmp_path / "after", folder, old, new)) == rules


def test_rules_diff_names_the_definition_a_rule_reads(tmp_path):
    before = load_pack(copied(tmp_path / "before", "kb-901-check"))
    after = load_pack(
        copied(tmp_path / "after", "kb-901-check", "      default: 30\n", "      default: 45\n")
    )
    [change] = diff_packs([before], [after]).rules
    assert (change.rule, change.change, change.aspects) == (
        "KB901-002",
        "changed",
        ("field policy.history_days",),
    )


def test_the_change_is_confirmed_by_a_new_version_and_fix(kb_lint, tmp_path):
    pack = copied(tmp_path, "kb-901-check", "      default: 30\n", "      default: 45\n")
    text = pack.read_text("utf-8")
    text = text.replace("  version: 0.1.0\n", "  version: 0.2.0\n").replace(
        "  history:\n",
        "  history:\n    - {version: 0.2.0, date: 2026-12-07, changes: A longer default.}\n",
        1,  # the pack's history, not the outcome of that name
    )
    start = text.index("  - id: KB901-002")
    end = text.index("  - id: KB901-003")
    rule = text[start:end].replace("    changed: 0.1.0\n", "    changed: 0.2.0\n")
    fingerprint = rule.split('\n    fingerprint: "')[1].split('"')[0]
    rule = rule.replace(fingerprint, f"{fingerprint}@0.1.0")  # as --fix stamps it
    pack.write_text(text[:start] + rule + text[end:], "utf-8")
    fixed = kb_lint("rules", "check", "--fix", "--rules", pack.parent.parent)
    assert "rule KB901-002 content fingerprint" in fixed.stdout + fixed.stderr
    assert asked(kb_lint, pack) == []
    assert "@0.2.0" in pack.read_text("utf-8")


def test_a_fingerprint_of_the_rule_alone_is_confirmed_again_at_its_version(kb_lint, tmp_path):
    """A fingerprint an older kb-lint stamped covers the rule alone: rules check asks for it to
    be confirmed again, naming what the rule reads, and --fix does it at the same version."""
    pack_file = copied(tmp_path, "kb-901-check")
    pack = load_pack(pack_file)
    rule = pack.rules[1]
    older = content_fingerprint(rule, pack, reads=False)
    text = pack_file.read_text("utf-8")
    assert text.count(rule.fingerprint) == 1
    pack_file.write_text(text.replace(rule.fingerprint, f"{older}@0.1.0"), "utf-8")
    done = kb_lint("rules", "check", "--rules", pack_file.parent.parent)
    assert done.returncode == 1
    assert (
        "rule KB901-002: its fingerprint covers the rule alone, as kb-lint stamped it before it "
        "covered what a rule reads from its pack (field instance.plan, policy.history_days; "
        "outcome field "
        "history, note); rules check --fix confirms it again at 0.1.0: "
        f"{content_fingerprint(rule, pack)}@0.1.0"
    ) in done.stdout, done.stdout
    kb_lint("rules", "check", "--fix", "--rules", pack_file.parent.parent)
    assert asked(kb_lint, pack_file) == []
    assert f'fingerprint: "{content_fingerprint(rule, pack)}@0.1.0"' in pack_file.read_text()


# KB906 (tests/packs/kb-906-refines) released beside the shipped KB1508: its `subscription`,
# which KB906-001 reads, refines KB1508's `plan`.
RELEASED = (
    (
        "  version: 0.1.0\n",
        "  version: 0.1.0\n  history:\n    - {version: 0.1.0, date: 2026-12-07, changes: One.}\n",
    ),
    ("  - id: KB906-001\n", "  - id: KB906-001\n    since: 0.1.0\n    changed: 0.1.0\n"),
)
PLAN = "Riva Cloud subscription: a trial, or a paid subscription (payment established)."


def refining(kb_lint, tmp_path: Path) -> tuple[Path, Path]:
    """KB1508 and the released KB906 in one rules folder, KB906-001's fingerprint stamped by
    ``rules check --fix``: (KB1508's pack file, KB906's)."""
    kb1508 = shipped_copy(tmp_path, "kb-1508")
    shutil.copytree(PACKS / "kb-906-refines", tmp_path / "rules" / "kb-906")
    kb906 = changed(tmp_path / "rules" / "kb-906" / "pack.yaml", *RELEASED)
    kb_lint("rules", "check", "--fix", "--rules", tmp_path / "rules")
    assert '    fingerprint: "sha256:' in kb906.read_text("utf-8")
    assert asked(kb_lint, kb906) == []
    return kb1508, kb906


def test_a_change_to_the_refined_field_of_another_pack_asks_for_confirmation(kb_lint, tmp_path):
    kb1508, kb906 = refining(kb_lint, tmp_path)
    changed(kb1508, (PLAN, PLAN.replace("a paid subscription", "a paid one")))
    assert asked(kb_lint, kb906) == ["KB1508-001", "KB906-001"]  # the two that read it
    done = kb_lint("rules", "check", "--rules", tmp_path / "rules")
    [line] = [x for x in done.stdout.splitlines() if "rule KB906-001" in x]
    assert "rule KB906-001 changed since 0.1.0: set changed: to the new pack version" in line


def test_a_change_to_another_field_of_that_pack_asks_nothing_of_the_refining_rule(
    kb_lint, tmp_path
):
    kb1508, kb906 = refining(kb_lint, tmp_path)
    changed(kb1508, ("How far back the historic item filter reaches", "How far back it reaches"))
    assert "KB906-001" not in asked(kb_lint, kb906)


def test_without_the_refined_pack_the_fingerprint_cannot_be_confirmed(kb_lint, tmp_path):
    kb1508, kb906 = refining(kb_lint, tmp_path)
    shutil.rmtree(kb1508.parent)
    before = kb906.read_text("utf-8")
    kb_lint("rules", "check", "--fix", "--rules", tmp_path / "rules")
    assert kb906.read_text("utf-8") == before  # --fix does not stamp what it cannot know
    done = kb_lint("rules", "check", "--rules", tmp_path / "rules")
    assert done.returncode == 1
    assert (
        "KB-RULES-014 error rule KB906-001 reads KB1508 instance.plan through a field that "
        "refines it, and KB1508 is not loaded beside its pack: its fingerprint can only be "
        "confirmed with both packs in the rules folder"
    ) in done.stdout


def test_rules_diff_names_the_refined_field(kb_lint, tmp_path):
    kb1508, kb906 = refining(kb_lint, tmp_path)
    before = [load_pack(kb1508), load_pack(kb906)]
    changed(kb1508, (PLAN, PLAN.replace("a paid subscription", "a paid one")))
    after = [load_pack(kb1508), load_pack(kb906)]
    [change] = [c for c in diff_packs(before, after).rules if c.pack == "KB906"]
    assert change.aspects == ("refined field KB1508 instance.plan",)
