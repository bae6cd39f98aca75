"""F12: messages say what the file must write: a date, never "a string", and no hint to quote
a null; an input's values as YAML writes them (true, false), a quoted "false" told to drop its
quotes; ``kb-lint explain`` renders the fix of a rule with one procedure, and says a placeholder
it cannot render is filled in for each finding."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import ROOT, one_error, shipped_copy

PLAN = """instances:
  - name: onprem
    kind: on-premise
    policies:
      - name: Sales
        category: CRM
        users: [{email: ann@example.com, crm_user: ann@example.com}]
timeline:
  - {at: null, action: disable-policy, instance: onprem, policy: Sales}
"""


def test_a_null_date_must_be_a_date_with_no_hint_to_quote_it(tmp_path, kb_lint):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, "utf-8")
    proc = kb_lint("check", plan)
    assert proc.returncode == 2
    assert "plan.yaml:9:10: 'at' must be a date (YYYY-MM-DD), not null\n" in proc.stderr


def test_a_quoted_false_on_a_boolean_input_is_told_to_drop_the_quotes(tmp_path, kb_lint):
    shipped_copy(tmp_path, "kb-519", ("- when: {syncs: false}", '- when: {syncs: "false"}'))
    proc = kb_lint("rules", "check", "--rules", tmp_path / "rules", cwd=tmp_path)
    assert proc.returncode == 2
    assert (
        "'false' is not a value of input 'syncs' (true, false); \"false\" in quotes is text: "
        "write false without quotes"
    ) in proc.stdout


def test_explain_renders_a_fix_from_the_rules_own_procedure(tmp_path, kb_lint):
    shutil.copytree(ROOT / "tests/packs/kb-903-each-step", tmp_path / "kb-903")
    path = tmp_path / "kb-903/pack.yaml"
    text = path.read_text("utf-8")
    old = "    procedures: [KB903-P1]\n"
    path.write_text(text.replace(old, old + "    fix: Follow {procedure.id} step by step.\n"))
    shown = kb_lint("explain", "KB903-002", "--rules", tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Fix: Follow KB903-P1 step by step." in shown.stdout
    several = kb_lint("explain", "KB105-010").stdout  # four procedures: one per finding
    assert 'Fix: Follow {procedure.id}, "{procedure.title}", step by step. (each {...} is' in (
        several
    )


def test_a_quoted_yes_where_a_boolean_is_wanted_is_told_the_spelling(tmp_path, kb_lint):
    """Quoting ``yes`` (as the YAML 1.1 message offers for text) on a boolean field leads to
    ``true``, never to another quoting hint."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.replace("category: CRM", 'category: CRM\n        enabled: "yes"'))
    proc = kb_lint("check", plan)
    assert proc.returncode == 2
    assert "'enabled' must be a boolean, not a string (\"yes\"): write true, unquoted\n" in (
        proc.stderr
    )


BAD = ROOT / "tests" / "check" / "bad"


@pytest.mark.parametrize("name", ["empty.yaml", "comments-only.yaml", "empty.json"])
def test_a_file_with_nothing_in_it_is_said_to_be_empty(kb_lint, name):
    """Trial 14 #17: an empty file, or one of comments only, was 'must be a mapping, not
    null', which a user who saved an empty file does not read as 'empty'."""
    line = one_error(kb_lint("check", name, cwd=BAD))
    assert line == (
        f"kb-lint: {name}:1:1: the file is empty (nothing in it but blank lines, comments or null)"
    )


def test_an_invisible_character_in_a_value_is_shown_as_its_escape(kb_lint):
    """Trial 14 #32: a zero-width space echoed raw makes the refused value look valid."""
    proc = kb_lint("check", "zero-width-email.yaml", cwd=BAD)
    assert one_error(proc) == (
        "kb-lint: zero-width-email.yaml:7:21: 'email' must be an email address (name@domain), "
        'not "ann@acme.example\\u200b"'
    )
    as_json = kb_lint("check", "zero-width-email.yaml", "--format", "json", cwd=BAD)
    assert "\u200b" not in as_json.stdout  # written as its \u escape
    [error] = json.loads(as_json.stdout)["input_errors"]
    assert error["message"].endswith('not "ann@acme.example\u200b"')


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_huge_value_is_cut_in_the_lines_of_text_and_github_reports(kb_lint, tmp_path, fmt):
    """Trial 14 #19: a value of 50,000,000 characters was echoed whole in the finding's why
    line and its GitHub annotation. A line keeps its first 1,000 and last 200 characters and
    says how many it leaves out; JSON keeps the value whole."""
    category = "C" * 30_000
    plan = (ROOT / "examples" / "deployment.yaml").read_text("utf-8")
    (tmp_path / "d.yaml").write_text(plan.replace("category: ", f"category: {category}", 1))
    proc = kb_lint("check", "d.yaml", "--format", fmt, cwd=tmp_path)
    assert proc.returncode == 1
    assert "characters left out) … " in proc.stdout
    assert max(map(len, proc.stdout.splitlines())) < 3 * 2_000
    whole = kb_lint("check", "d.yaml", "--format", "json", cwd=tmp_path)
    assert category in whole.stdout
