"""Limits with clear messages instead of hangs: cycles and CRM records per user, decision
tables too large to enumerate, house-style patterns that would backtrack, deep Markdown."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, one_error

SCENARIO = ROOT / "examples" / "scenarios" / "same-names.yaml"
DEPLOYMENT = ROOT / "examples" / "deployment.yaml"  # a scenario with no cycles nor crm
VALID_PACKS = ROOT / "tests" / "review" / "packs"


def test_a_billion_cycles_on_the_command_line_is_refused(kb_lint):
    line = one_error(kb_lint("simulate", SCENARIO, "--cycles", "1000000000"))
    assert "--cycles 1,000,000,000 is more than the supported 1,000 (--no-limits" in line


@pytest.mark.parametrize(
    ("extra", "where", "what"),
    [
        ("cycles: 1000000000\n", ":", "cycles 1,000,000,000 is more than the supported 1,000"),
        (
            "crm: {records_per_user: {contacts: 1000000000}}\n",
            ":",
            "contacts per user 1,000,000,000 is more than the supported 10,000",
        ),
    ],
)
def test_a_scenario_asking_too_much_is_refused_at_its_line(kb_lint, tmp_path, extra, where, what):
    path = tmp_path / "big.yaml"
    path.write_text(DEPLOYMENT.read_text() + extra)
    line = one_error(kb_lint("simulate", path))
    last = len(DEPLOYMENT.read_text().splitlines()) + 1
    assert f"big.yaml:{last}:" in line and what in line


def test_no_limits_lifts_the_cap(kb_lint, tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(DEPLOYMENT.read_text() + "cycles: 1001\n")
    assert kb_lint("simulate", path).returncode == 2
    assert kb_lint("simulate", path, "--no-limits", "--format", "json").returncode == 1


def _pack_with_inputs(folder: Path, count: int) -> Path:
    """The valid review pack, its table given ``count`` two-valued inputs."""
    shutil.copytree(VALID_PACKS / "valid", folder / "rules")
    shutil.copytree(VALID_PACKS / "examples", folder / "examples")
    shutil.copytree(VALID_PACKS / "articles", folder / "articles")
    pack = folder / "rules" / "kb-990" / "pack.yaml"
    extra = "".join(
        f"      - name: x{i}\n        expr: '\"a\"'\n        says: always a\n"
        "        values: [a, b]\n"
        for i in range(count - 1)
    )
    text = pack.read_text()
    anchor = "        values: [same, different]\n"
    pack.write_text(text.replace(anchor, anchor + extra, 1))
    return folder / "rules"


def test_a_decision_table_too_large_to_enumerate_is_refused_at_once(kb_lint, tmp_path):
    rules = _pack_with_inputs(tmp_path, 12)
    started = time.monotonic()
    proc = kb_lint("rules", "check", "--rules", rules, "--format", "json")
    assert time.monotonic() - started < 60
    assert proc.returncode == 1, proc.stderr
    assert "KB-RULES-017" in proc.stdout
    assert "531,441 partial cases (12 inputs)" in proc.stdout


def test_a_decision_table_of_ten_inputs_is_still_checked(kb_lint, tmp_path):
    rules = _pack_with_inputs(tmp_path, 10)
    proc = kb_lint("rules", "check", "--rules", rules)
    # the table is checked (its change is seen: the content fingerprint of each rule that reads
    # it, the one that predicts by it and the procedure rule whose residue does), not refused
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "KB-RULES-017" not in proc.stdout
    assert proc.stdout.count("KB-RULES-") == proc.stdout.count("KB-RULES-014") == 2


def test_a_style_pattern_runs_in_linear_time_and_a_look_around_is_refused_at_its_place(
    kb_lint, tmp_path
):
    style = tmp_path / "style"
    shutil.copytree(ROOT / "kb_lint" / "styles" / "riva", style)
    sections = style / "rules" / "sections.yaml"
    text = sections.read_text()
    assert "pattern: 'Steps( for .+)?'" in text
    sections.write_text(text.replace("pattern: 'Steps( for .+)?'", "pattern: '(a+)+$'"))
    article = tmp_path / "a.md"
    article.write_text("---\nid: 1\n---\n\n# Title\n\n## " + "a" * 100_000 + "!\n\nText.\n")
    started = time.monotonic()
    proc = kb_lint("articles", article, "--style", style, "--rules", ROOT / "rules")
    assert time.monotonic() - started < 30  # Python's re would take longer than the universe
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    sections.write_text(text.replace("pattern: 'Steps( for .+)?'", "pattern: '(?=Steps).*'"))
    line = one_error(kb_lint("articles", article, "--style", style, "--rules", ROOT / "rules"))
    assert "sections.yaml:" in line and "linear time (RE2)" in line and "(?=" in line


def test_ten_thousand_nested_lists_are_linted_in_bounded_time(kb_lint, tmp_path):
    article = tmp_path / "deep.md"
    article.write_text("---\nid: 1\n---\n\n# Deep\n\n" + "- " * 10_000 + "a\n")
    started = time.monotonic()
    proc = kb_lint("articles", article, "--rules", ROOT / "rules")
    assert time.monotonic() - started < 30
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr


def test_a_timeline_cycle_too_far_is_refused_when_it_sets_the_run_length(kb_lint, tmp_path):
    book = (ROOT / "examples" / "scenarios" / "migration-by-the-book.yaml").read_text()
    assert "cycles: 6\n" in book and "{cycle: 4," in book
    path = tmp_path / "far.yaml"
    path.write_text(book.replace("cycles: 6\n", "").replace("{cycle: 4,", "{cycle: 999999999,"))
    line = one_error(kb_lint("simulate", path))
    assert "far.yaml:" in line and "cycle 999,999,999 is more than the supported 998" in line
    # with the run's length given, a later event simply never comes
    path.write_text(book.replace("{cycle: 4,", "{cycle: 999999999,"))
    assert kb_lint("simulate", path).returncode in (0, 1)


def test_the_docs_do_not_go_through_a_table_too_large_to_enumerate(tmp_path):
    from kb_lint.docs.coverage import coverage
    from kb_lint.pack import load_pack

    rules = _pack_with_inputs(tmp_path, 17)  # 2**17 combinations, past rules check's bound
    (table,) = load_pack(rules / "kb-990" / "pack.yaml").tables.values()
    started = time.monotonic()
    result = coverage(table)
    assert time.monotonic() - started < 1
    assert (result.listed, result.complete, result.combinations) == (False, False, 2**17)
