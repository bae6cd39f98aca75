"""The authoring guide's worked example is a real pack: written out, it loads and its examples
pass, and the schema kb-lint prints for editors carries its fields."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r'```(?:yaml|markdown) title="([^"]+)"\n(.*?)```', re.S)


def test_the_worked_example_is_a_pack_that_rules_check_passes_and_whose_examples_pass(
    kb_lint, tmp_path
):
    guide = (ROOT / "docs/authoring.md").read_text("utf-8")
    blocks = BLOCK.findall(guide)
    assert len(blocks) == 5  # the article, the pack and its three examples
    for name, text in blocks:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    checked = kb_lint("rules", "check", "--rules", "rules", cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (1 file).\n")
    tested = kb_lint("rules", "test", "--rules", "rules", "--color", "never", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "3 examples: 3 passed, 0 failed" in tested.stdout
    checked = kb_lint(
        "check", "--rules", "rules", "rules/kb-2001/examples/trial-30-days.yaml", cwd=tmp_path
    )
    assert checked.returncode == 1
    assert "Sales of riva-cloud asks for 30 days of history; a trial keeps 15" in checked.stdout
    assert "= outcome: history synced: truncated" in checked.stdout
    schema = json.loads(kb_lint("schema", "--rules", "rules", cwd=tmp_path).stdout)
    assert schema["$defs"]["instance"]["properties"]["plan"]["enum"] == ["trial", "standard"]
    days = schema["$defs"]["policy"]["properties"]["history_days"]
    assert days["type"] == "integer" and days["default"] == 15 and "(days)" in days["description"]


def test_the_worked_example_s_rule_without_when_fires_where_its_table_predicts(kb_lint, tmp_path):
    """Trial 4 F11: a check rule that predicts may leave out ``when``: the table's rows say
    which cases are violations (``truncated``, not the default ``full``), once."""
    guide = (ROOT / "docs/authoring.md").read_text("utf-8")
    for name, text in BLOCK.findall(guide):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    pack = tmp_path / "rules/kb-2001/pack.yaml"
    text = pack.read_text("utf-8")
    assert text.count('    when: plan == "trial" and history_days > 15\n') == 1
    pack.write_text(text.replace('    when: plan == "trial" and history_days > 15\n', ""), "utf-8")
    tested = kb_lint("rules", "test", "--rules", "rules", "--color", "never", cwd=tmp_path)
    assert "3 examples: 3 passed, 0 failed" in tested.stdout, tested.stdout + tested.stderr
    bare = text.replace('    when: plan == "trial" and history_days > 15\n', "")
    pack.write_text(bare.replace("    predict: history-read\n", ""), "utf-8")
    refused = kb_lint("rules", "check", "--rules", "rules", cwd=tmp_path)
    assert refused.returncode == 2  # the pack does not load: a finding at its place, exit 2
    assert "a check rule needs 'when', or 'predict' alone" in refused.stdout


def test_the_worked_example_s_article_passes_kb_lint_articles(kb_lint, tmp_path):
    """Trial 7 #11: the article has the sections the house style requires (§1 names them),
    and, with its pack beside it, every citation resolves."""
    guide = (ROOT / "docs/authoring.md").read_text("utf-8")
    for name, text in BLOCK.findall(guide):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    checked = kb_lint("articles", "docs/articles/", "--rules", "rules", cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (1 file).\n"), (
        checked.stdout + checked.stderr
    )
    assert "not checked" not in checked.stderr  # the citation checks ran, with the pack
