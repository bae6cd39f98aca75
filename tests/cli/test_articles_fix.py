"""``kb-lint articles --fix`` end to end: line structure kept, hard links kept, fixes that undo
each other neither written nor reported, and the fixes listed in the JSON report."""

from __future__ import annotations

import json
import os

from tests.conftest import ROOT

HEAD = "---\nid: 1\n---\n\n# Title\n\n"


def fix(kb_lint, path, *args: str):
    return kb_lint(
        "articles", path, "--fix", "--select", "KB-STYLE", "--rules", ROOT / "rules", *args
    )


def test_a_doubled_word_across_a_hard_line_break_keeps_the_break(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(HEAD + "Open the  \nthe policy list.\n")
    proc = fix(kb_lint, path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert path.read_text() == HEAD + "Open the  \npolicy list.\n"


def test_a_doubled_word_across_lines_keeps_the_lines(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(HEAD + "Open the\nthe\npolicy list.\n")
    fix(kb_lint, path)
    assert path.read_text() == HEAD + "Open the\npolicy list.\n"  # no paragraph split


def test_a_doubled_word_on_one_line_is_deleted_with_its_space(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(HEAD + "Open the the policy list.\n")
    fix(kb_lint, path)
    assert path.read_text() == HEAD + "Open the policy list.\n"


def test_a_hard_linked_article_is_fixed_under_every_name(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(HEAD + "Use a email address.\n")
    other = tmp_path / "b.md"
    os.link(path, other)
    proc = fix(kb_lint, path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert other.read_text() == path.read_text() == HEAD + "Use an email address.\n"
    assert path.stat().st_ino == other.stat().st_ino


def test_fixes_that_undo_each_other_are_not_written_nor_reported(kb_lint, tmp_path):
    style = tmp_path / "style"
    (style / "rules").mkdir(parents=True)
    (style / "style.yaml").write_text("title: Swaps\ndescription: Two terms that swap.\n")
    (style / "rules" / "swap.yaml").write_text(
        "id: KB-STYLE-901\nname: swap\nkind: substitution\nseverity: warning\n"
        "summary: Swaps.\nwhy: A test.\nexample: Foo\nfix: Swap.\n"
        "with:\n  swap:\n    Foo: [Bar]\n    Bar: [Foo]\n"
    )
    path = tmp_path / "a.md"
    text = HEAD + "Foo Bar.\n"
    path.write_text(text)
    proc = kb_lint("articles", path, "--fix", "--style", style, "--format", "json")
    assert path.read_text() == text
    assert proc.stderr.strip().endswith("Fixed 0 problems in 0 files.")
    assert "KB-STYLE-901" in proc.stdout  # the two terms are still reported
    assert json.loads(proc.stdout)["fixes"] == []


def test_the_json_report_lists_the_fixes(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(HEAD + "Use a email address.\n")
    proc = fix(kb_lint, path, "--format", "json")
    report = json.loads(proc.stdout)
    assert report["fixes"] == [
        {
            "path": str(path),
            "line": 7,
            "column": 5,
            "rule": "KB-STYLE-002",
            "before": "a",
            "after": "an",
        }
    ]
    assert report["findings"] == []


def test_without_fix_the_json_report_has_no_fixes_key(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(HEAD + "Use a email address.\n")
    proc = kb_lint("articles", path, "--format", "json", "--rules", ROOT / "rules")
    assert "fixes" not in json.loads(proc.stdout)


PRODUCTS = (
    "---\nid: 1\ntitle: T\nrevision: 1\nupdated: 2020-01-01\nproducts: [Riva Cloud, {}]\n---\n"
)


def test_a_front_matter_value_misspelt_is_fixed_when_the_suggestion_is_certain(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(PRODUCTS.format("Riva On-Prem") + "\n# T\n")
    proc = kb_lint("articles", path, "--select", "KB-META-003", "--rules", ROOT / "rules")
    assert "did you mean 'Riva On-Premise'?" in proc.stdout
    assert "= fix: Write 'Riva On-Premise' (`--fix` does it)." in proc.stdout
    done = kb_lint("articles", path, "--fix", "--select", "KB-META-003", "--rules", ROOT / "rules")
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.read_text() == PRODUCTS.format("Riva On-Premise") + "\n# T\n"


def test_a_front_matter_value_with_no_certain_suggestion_is_left_alone(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    text = PRODUCTS.format("Riva On-Premises Server") + "\n# T\n"  # close, but not certain
    path.write_text(text)
    done = kb_lint("articles", path, "--fix", "--select", "KB-META-003", "--rules", ROOT / "rules")
    assert done.returncode == 1
    assert path.read_text() == text
