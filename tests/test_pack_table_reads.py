"""A table input that reads another table's outcome for the same subject (``table:`` and
``outcome:`` instead of ``expr:``). Pack KB965 (``tests/table-reads/kb-965``) decides whether a
poll cap works once, row by row, in ``cap-effect`` (about a policy); ``backlog-cycles`` (about a
binding, which sees its policy's fields) reads that outcome. Each test fails if the key stops
having its effect, or a misuse stops being refused at its place."""

from __future__ import annotations

import shutil
from pathlib import Path

PACKS = Path(__file__).parent / "table-reads"
EXAMPLES = PACKS / "kb-965" / "examples"
CAPPED = "{name: capped, expr: poll_limit != null, values: [true, false], says: a cap is set}"


def _pack(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the packs with one change to KB965's pack.yaml."""
    shutil.copytree(PACKS, tmp_path / "rules")
    pack = tmp_path / "rules" / "kb-965" / "pack.yaml"
    text = pack.read_text("utf-8")
    assert old in text
    pack.write_text(text.replace(old, new), "utf-8")
    return tmp_path / "rules"


def test_the_why_shows_the_row_of_the_table_read(kb_lint):
    done = kb_lint("check", EXAMPLES / "over-cap.yaml", "--rules", PACKS)
    assert done.returncode == 1, done.stderr
    assert (
        "= why: row 1 of 'backlog-cycles': cap ignored: no (row 4 of 'cap-effect'); over: yes "
        "(250, 300)"
    ) in done.stdout
    ignored = kb_lint("check", EXAMPLES / "over-ignored-cap.yaml", "--rules", PACKS)
    assert "cap ignored: yes (row 3 of 'cap-effect')" in ignored.stdout


def test_rules_check_proves_completeness_over_the_outcome_values(tmp_path, kb_lint):
    assert kb_lint("rules", "check", "--rules", PACKS).returncode == 0
    rules = _pack(
        tmp_path,
        "      - when: {ignored: true}\n        then: {more_cycles: false}\n",
        "",
    )
    done = kb_lint("rules", "check", "--rules", rules)
    assert done.returncode == 1, done.stderr
    assert "table 'backlog-cycles' has no row for ignored=True" in done.stdout


def test_a_circle_of_tables_is_an_error_at_the_input(tmp_path, kb_lint):
    rules = _pack(
        tmp_path,
        CAPPED,
        "{name: capped, table: backlog-cycles, outcome: more_cycles}",
    )
    done = kb_lint("rules", "check", "--rules", rules)
    assert done.returncode == 2, done.stdout
    out = done.stdout + done.stderr
    assert "tables read each other in a circle: backlog-cycles -> cap-effect -> backlog-cycles" in (
        out
    )


def test_an_input_reading_a_table_lists_no_values(tmp_path, kb_lint):
    rules = _pack(
        tmp_path,
        "table: cap-effect, outcome: cap_ignored,",
        "table: cap-effect, outcome: cap_ignored, values: [true, false],",
    )
    done = kb_lint("rules", "check", "--rules", rules)
    assert done.returncode == 2, done.stdout
    assert (
        "pack.yaml:84:74: KB-RULES-010 error an input reads another table's outcome or an "
        "expression, not both: its values are those table 'cap-effect' gives; leave 'values' out"
    ) in done.stdout


def test_a_table_about_a_policy_cannot_read_one_about_a_binding(tmp_path, kb_lint):
    rules = _pack(
        tmp_path,
        CAPPED,
        "{name: capped, table: backlog-cycles, outcome: more_cycles}",
    )
    rules_text = (rules / "kb-965" / "pack.yaml").read_text("utf-8")
    (rules / "kb-965" / "pack.yaml").write_text(
        rules_text.replace(
            "{name: ignored, table: cap-effect, outcome: cap_ignored, label: cap ignored}",
            "{name: ignored, expr: crm_backlog > 0, values: [true, false]}",
        ),
        "utf-8",
    )
    done = kb_lint("rules", "check", "--rules", rules)
    assert done.returncode == 2, done.stdout
    assert (
        "table 'backlog-cycles' is about one binding; a table about a policy reads a table about "
        "a policy or an instance"
    ) in done.stdout


def test_an_assumption_decides_one_case_of_a_row(tmp_path, kb_lint):
    """KB965's A1 decides rows 3 and 4 of cap-effect where the CRM system is unknown only: the
    why names it for that case, not for Salesforce; the site marks the case."""
    text = (EXAMPLES / "over-cap.yaml").read_text("utf-8")
    path = tmp_path / "unknown-crm.yaml"
    path.write_text(text.replace("        crm_system: salesforce\n", ""), "utf-8")
    done = kb_lint("check", path, "--rules", PACKS)
    assert "cap ignored: no (row 4 of 'cap-effect': assumption A1)" in done.stdout
    named = kb_lint("check", EXAMPLES / "over-cap.yaml", "--rules", PACKS)
    assert "assumption A1" not in named.stdout
    site = tmp_path / "site"
    assert kb_lint("docs", "export", site, "--rules", PACKS).returncode == 0
    page = (site / "packs" / "kb965" / "tables" / "cap-effect.md").read_text("utf-8")
    [row] = [line for line in page.splitlines() if line.startswith("| 4 |")]
    assert row.endswith(
        '[assumption A1](../assumptions.md#a1 "A1: An unknown CRM system applies the cap") '
        "where crm is unknown |"
    )


def test_a_case_the_row_does_not_match_is_an_error_at_it(tmp_path, kb_lint):
    rules = _pack(tmp_path, "{row: 3, given: {crm: unknown}}", "{row: 3, given: {crm: dynamics}}")
    done = kb_lint("rules", "check", "--rules", rules)
    assert done.returncode == 2, done.stdout
    assert (
        "KB-RULES-010 error row 3 of 'cap-effect' matches crm salesforce, sugar, unknown only, "
        "not dynamics"
    ) in done.stdout
