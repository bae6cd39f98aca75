"""--fix: only the flagged spans change, atomically, idempotently, and no text is ever lost."""

from __future__ import annotations

import os
import shutil
import stat

from article_fixtures import ARTICLE, SLIPS, packed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_lint.articles.fix import Change
from kb_lint.articles.run import Run, fix_source, lint_file, lint_source
from kb_lint.articles.source import SourceText
from kb_lint.config import Config


def test_fixing_the_seed_slips_gives_the_shipped_article(tmp_path, fixture_run):
    copy = tmp_path / "kb-105.md"
    shutil.copy(SLIPS, copy)
    linted = lint_file(copy, fixture_run, fix=True)
    changes = [c for round_ in linted.rounds for c in round_]
    assert [(c.rule, c.line, c.column, c.before, c.after) for c in changes] == [
        ("KB-STYLE-002", 35, 26, "a", "an"),
        ("KB-STYLE-002", 57, 37, "a", "an"),
    ]
    assert packed(linted.findings) == []
    assert copy.read_bytes() == ARTICLE.read_bytes()
    again = lint_file(copy, fixture_run, fix=True)
    assert again.rounds == [] and copy.read_bytes() == ARTICLE.read_bytes()


def test_fix_keeps_line_endings_bom_and_mode_and_leaves_no_temporary_file(tmp_path, fixture_run):
    text = "---\r\nid: 1\r\n---\r\n\r\n# T\r\n\r\nIt is a email and the the\r\nRiva On-Prem.\r\n"
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    path.chmod(0o640)
    lint_file(path, fixture_run, fix=True)
    fixed = "---\r\nid: 1\r\n---\r\n\r\n# T\r\n\r\nIt is an email and the\r\nRiva On-Premise.\r\n"
    assert path.read_bytes() == b"\xef\xbb\xbf" + fixed.encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.md"]


def test_steps_are_renumbered_from_one(riva):
    run = Run(riva, Config(root=ARTICLE.parent, rules=ARTICLE.parent / "none"))
    text = "## Steps\n\n1. one\n3. two\n3. three\n\n    1. sub\n    1. sub\n"
    fixed, _, rounds = fix_source(SourceText("a.md", text), run)
    assert fixed.raw == "## Steps\n\n1. one\n2. two\n3. three\n\n    1. sub\n    2. sub\n"
    assert len(rounds) == 1


def test_a_step_is_not_renumbered_when_the_lines_under_it_would_leave_it(riva):
    run = Run(riva, Config(root=ARTICLE.parent, rules=ARTICLE.parent / "none"))
    steps = "".join(f"{n}. step {n}\n" for n in range(1, 10))
    text = f"## Steps\n\n{steps}9. step ten\n   - under step ten\n"
    fixed, findings, rounds = fix_source(SourceText("a.md", text), run)
    assert fixed.raw == text and rounds == []
    (finding,) = [f for f in findings if f.rule == "KB-STRUCT-003"]
    assert finding.message == "step 10 is numbered 9" and "edit" not in finding.extra
    assert finding.fix is not None and "indent the lines under it" in finding.fix
    eight = "".join(f"{n}. step {n}\n" for n in range(1, 9))
    narrower = f"## Steps\n\n{eight}10. step nine\n\n    Under step nine.\n"
    assert fix_source(SourceText("a.md", narrower), run)[2] == []
    plain = f"## Steps\n\n{steps}9. step ten\n"
    fixed, _, _ = fix_source(SourceText("a.md", plain), run)
    assert fixed.raw.endswith("9. step 9\n10. step ten\n")


def test_a_fix_that_reveals_another_is_applied_in_the_next_round(riva):
    run = Run(riva, Config(root=ARTICLE.parent, rules=ARTICLE.parent / "none"))
    fixed, _, rounds = fix_source(SourceText("a.md", "# T\n\nUse an SFDC login.\n"), run)
    assert fixed.raw == "# T\n\nUse a Salesforce login.\n"
    assert [[c.rule for c in round_] for round_ in rounds] == [["KB-STYLE-001"], ["KB-STYLE-002"]]


def undo(text: str, rounds: list[list[Change]]) -> str:
    """The text before the fixes: each change reverted, the last one applied first."""
    for changes in reversed(rounds):
        for change in reversed(changes):
            end = change.start + len(change.after)
            assert text[change.start : end] == change.after
            text = text[: change.start] + change.before + text[end:]
    return text


SLIP = st.sampled_from(
    [
        "a email ",
        "an user ",
        "A hour ",
        "a MSP ",
        "Riva On-Prem ",
        "Groupwise ",
        "the the ",
        "e-mail ",
        "1. one\n",
        "3. three\n",
        "    2. sub\n",
        "## Steps for Exchange\n",
        "- x\n",
        "`a email` ",
        "<!-- kb-lint disable-line KB-STYLE-002: quoted -->",
        "\n",
        "\n\n",
        "\r\n",
        "> ",
        "    ",
        "[a e-mail](a.md) ",
        "---\n",
        "\t",
        "é",
        "\u2028",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(SLIP, st.text(max_size=12)), max_size=40).map("".join))
def test_fixing_never_loses_text_and_is_idempotent(riva, text):
    run = Run(riva, Config(root=ARTICLE.parent, rules=ARTICLE.parent / "none"))
    source = SourceText("a.md", text)
    fixed, _, rounds = fix_source(source, run)
    assert undo(fixed.raw, rounds) == text
    _, _, again = fix_source(fixed, run)
    assert again == []


def test_a_file_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path, fixture_run):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "a.md"
    path.write_text("# T\n\nIt is a email.\n")
    folder.chmod(0o500)
    try:
        linted = lint_file(path, fixture_run, fix=True)
    finally:
        folder.chmod(0o700)
    if os.geteuid() != 0:  # root writes anywhere
        assert linted.error is not None and "cannot write the fixed article" in linted.error[3]
    assert path.read_text() in ("# T\n\nIt is a email.\n", "# T\n\nIt is an email.\n")


def test_the_raw_line_starts_of_a_crlf_file_are_computed_once():
    """--fix maps every edit to the raw text: recomputing the line starts each time made it
    quadratic on CRLF files."""
    source = SourceText("a.md", "one\r\ntwo\rthree\n")
    assert source.raw_starts is source.raw_starts
    assert [source.raw_offset(source.offset(n, 1)) for n in (1, 2, 3)] == [0, 5, 9]


def test_fix_writes_through_a_symbolic_link(tmp_path, fixture_run):
    real = tmp_path / "real.md"
    real.write_text("# T\n\nIt is a email.\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    linted = lint_file(link, fixture_run, fix=True)
    assert linted.error is None and linted.rounds
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == "# T\n\nIt is an email.\n"


def test_a_read_only_file_is_refused_not_rewritten(tmp_path, fixture_run):
    path = tmp_path / "a.md"
    path.write_text("# T\n\nIt is a email.\n")
    path.chmod(0o444)
    linted = lint_file(path, fixture_run, fix=True)
    message = "cannot write the fixed article: the file is read-only"
    assert linted.error == (str(path), 1, 1, message)
    assert path.read_text() == "# T\n\nIt is a email.\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    clean = tmp_path / "clean.md"
    clean.write_text("# T\n\nIt is an email.\n")
    clean.chmod(0o444)
    assert lint_file(clean, fixture_run, fix=True).error is None  # nothing to write


def test_text_in_a_heading_is_fixed_only_when_the_heading_keeps_its_anchor(riva):
    run = Run(riva, Config(root=ARTICLE.parent, rules=ARTICLE.parent / "none"))
    text = (
        "# T\n\n## Using Riva On-Prem\n\nSee [it](#using-riva-on-prem).\n\n"
        "## Riva On-Prem again {#again}\n\nRiva On-Prem.\n"
    )
    fixed, findings, _ = fix_source(SourceText("a.md", text), run)
    assert fixed.raw == (
        "# T\n\n## Using Riva On-Prem\n\nSee [it](#using-riva-on-prem).\n\n"
        "## Riva On-Premise again {#again}\n\nRiva On-Premise.\n"
    )
    (left,) = [f for f in findings if f.rule == "KB-STYLE-001"]
    assert (left.location.line, "edit" not in left.extra) == (3, True)
    assert left.fix is not None and left.fix.startswith('replace with "On-Premise" by hand')
    assert not [f for f in findings if f.rule == "KB-LINK-001"]


def test_a_change_is_reported_where_its_finding_is(riva):
    """The doubled word's edit starts at the space before it; the report says where the
    finding is, at the word."""
    run = Run(riva, Config(root=ARTICLE.parent, rules=ARTICLE.parent / "none"))
    source = SourceText("a.md", "# T\n\nIt is the the end of a email.\n")
    found = {
        f.rule: (f.location.line, f.location.column)
        for f in lint_source(source, run)
        if f.rule.startswith("KB-STYLE")
    }
    _, _, rounds = fix_source(source, run)
    assert {c.rule: (c.line, c.column) for c in rounds[0]} == found
    assert found == {"KB-STYLE-003": (3, 11), "KB-STYLE-002": (3, 22)}
