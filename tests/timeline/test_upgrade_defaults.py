"""A computed default (``default_from``) follows a field a timeline action sets
(``kb_lint.model.derived``): pack KB963's ``cap_applies`` reads ``riva_version``, which its
``upgrade-riva`` action sets; the events after an upgrade see the value computed again."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import changed

PACKS = Path(__file__).parent / "packs"
EXAMPLES = PACKS / "kb-963-upgrade" / "examples"


def _check(tmp_path: Path, kb_lint, text: str):
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    return kb_lint("check", path, "--rules", PACKS, "--select", "KB963-001")


def test_an_upgrade_before_the_cap_makes_the_cap_apply(kb_lint):
    ignored = kb_lint("check", EXAMPLES / "ignored.yaml", "--rules", PACKS)
    assert ignored.returncode == 1, ignored.stderr
    assert "sets a poll cap its release ignores, from set-poll-limit" in ignored.stdout
    upgraded = kb_lint("check", EXAMPLES / "upgraded-first.yaml", "--rules", PACKS)
    assert (upgraded.returncode, upgraded.stdout.strip()) == (0, "All checks passed (1 file).")


def test_a_downgrade_after_the_cap_is_a_finding_at_the_downgrade(tmp_path, kb_lint):
    text = (EXAMPLES / "upgraded-first.yaml").read_text("utf-8")
    text += '  - {at: 2027-01-01, action: upgrade-riva, instance: onprem, riva_version: "2.4.30"}\n'
    done = _check(tmp_path, kb_lint, text)
    assert done.returncode == 1, done.stderr
    assert "plan.yaml:13:5: KB963-001 warning" in done.stdout
    assert "from upgrade-riva on 2027-01-01" in done.stdout


def test_a_default_the_file_gives_is_not_computed_again(tmp_path, kb_lint):
    text = (EXAMPLES / "upgraded-first.yaml").read_text("utf-8")
    given = text.replace(
        'riva_version: "2.4.35"\n', 'riva_version: "2.4.35"\n    cap_applies: false\n'
    )
    assert given != text
    done = _check(tmp_path, kb_lint, given)
    assert done.returncode == 1, done.stderr
    assert "from set-poll-limit on 2026-12-01" in done.stdout


def _with_actions(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """KB963 copied to ``tmp_path/rules`` with ``changes`` made to its pack: the rules folder."""
    shutil.copytree(PACKS / "kb-963-upgrade", tmp_path / "rules" / "kb-963-upgrade")
    changed(tmp_path / "rules" / "kb-963-upgrade" / "pack.yaml", *changes)
    return tmp_path / "rules"


SET_CAP = (
    "  - name: upgrade-riva\n",
    "  - name: set-cap\n    needs: [instance, cap_applies]\n    sets: [cap_applies]\n"
    "    description: The release's cap switch is set by hand.\n  - name: upgrade-riva\n",
)


def test_a_value_an_event_writes_wins_over_a_later_recompute(tmp_path, kb_lint):
    """``cap_applies`` written by an event before the upgrade is the instance's own from then
    on: the upgrade, which changes what its default reads, does not compute it again."""
    rules = _with_actions(tmp_path, SET_CAP)
    text = (
        (EXAMPLES / "upgraded-first.yaml")
        .read_text("utf-8")
        .replace(
            "timeline:\n",
            "timeline:\n"
            "  - {at: 2026-10-01, action: set-cap, instance: onprem, cap_applies: false}\n",
        )
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    done = kb_lint("check", path, "--rules", rules, "--select", "KB963-001")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "from set-poll-limit on 2026-12-01" in done.stdout
    without = kb_lint("check", EXAMPLES / "upgraded-first.yaml", "--rules", rules)
    assert without.returncode == 0, without.stdout  # computed: the upgrade makes it apply


def test_a_value_the_changing_event_writes_wins_over_its_own_recompute(tmp_path, kb_lint):
    """An upgrade that gives ``cap_applies`` with the release keeps the value it gives."""
    rules = _with_actions(
        tmp_path, ("    sets: [riva_version]\n", "    sets: [riva_version, cap_applies]\n")
    )
    text = (
        (EXAMPLES / "upgraded-first.yaml")
        .read_text("utf-8")
        .replace('riva_version: "2.4.37"}', 'riva_version: "2.4.37", cap_applies: false}')
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    done = kb_lint("check", path, "--rules", rules, "--select", "KB963-001")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "from set-poll-limit on 2026-12-01" in done.stdout
