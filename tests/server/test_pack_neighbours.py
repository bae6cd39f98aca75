"""The server lints a pack with its rules folder loaded as ``rules check`` loads it (one
function, ``read_sources``), the text being edited in place of its file: a pack whose steps,
procedure and examples use KB22's ``reinitialize-user`` and read its ``reinit_type`` has no
diagnostic beside KB22 (it had one per example), the same findings as ``rules check``; an
unsaved edit is what is checked."""

from __future__ import annotations

from pathlib import Path

from kb_lint.config import Config
from kb_lint.server.lint import PACK, Context, lint_document
from tests.conftest import beside_shipped

ROOT = Path(__file__).resolve().parents[2]
KB2403 = ROOT / "tests" / "other-actions" / "kb-24037823642260"


def _lint(rules: Path, text: str | None = None) -> list[str]:
    pack = rules / "kb-24037823642260" / "pack.yaml"
    context = Context(Config(root=rules.parent, rules=rules))
    linted = lint_document(context, pack, text or pack.read_text("utf-8"), PACK)
    assert linted.error is None, linted.error
    return [f"{f.location.line}:{f.rule}: {f.message}" for f in linted.findings]


def test_a_pack_using_another_packs_action_lints_as_rules_check_does(kb_lint, tmp_path):
    rules = beside_shipped(tmp_path, KB2403, "kb-22", "kb-454")
    checked = kb_lint("rules", "check", "--rules", rules)
    assert checked.stdout == "All checks passed (3 files).\n", checked.stdout
    assert _lint(rules) == []


def test_the_edited_text_is_checked_in_place_of_the_file(tmp_path):
    rules = beside_shipped(tmp_path, KB2403, "kb-22", "kb-454")
    text = (rules / "kb-24037823642260" / "pack.yaml").read_text("utf-8")
    edited = text.replace('event.reinit_type == "clear"', 'event.reinit_typo == "clear"')
    found = _lint(rules, edited)
    assert len(found) == 1 and "KB-RULES-010: unknown key 'reinit_typo' of event" in found[0]
    assert "did you mean 'reinit_type'?" in found[0], found
