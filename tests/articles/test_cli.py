"""kb-lint articles and kb-lint check on articles, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from article_fixtures import ARTICLE, FIXTURES, ROOT, SLIPS


def _all_clean(folder: Path) -> str:
    """The summary of a clean run over the articles of ``folder``, each counted once."""
    count = len(list(folder.glob("*.md")))
    return f"All checks passed ({count} file{'s' if count > 1 else ''}).\n"


def test_the_shipped_articles_are_clean(kb_lint):
    done = kb_lint("articles", "docs/articles/")
    assert (done.returncode, done.stdout, done.stderr) == (0, _all_clean(ARTICLE.parent), "")


def test_the_seed_slips_are_found_with_line_and_column(kb_lint):
    done = kb_lint("articles", SLIPS.relative_to(ROOT))
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if not line.startswith("  = ")]
    where = "tests/articles/fixtures/kb-105-with-seed-slips.md"
    unpacked = (  # the fixtures' rules folder packs article 950, not this copy of 105
        "info item {} of 'Expected Challenges' is encoded by no rule: no rule pack in "
        f"tests/articles/fixtures/rules cites article 105 yet (`kb-lint rules new {where}` starts "
        "one; --rules names another folder), or waive it with a reason"
    )
    assert lines == [
        *(
            f"{where}:{line}:1: KB-TRACE-002 {unpacked.format(n)}"
            for n, line in ((1, 29), (2, 30), (3, 31))
        ),
        f'{where}:35:26: KB-STYLE-002 warning write "an email", not "a email"',
        f'{where}:57:37: KB-STYLE-002 warning write "an email", not "a email"',
        "Found 5 findings (2 warnings, 3 info) in 1 file.",
    ]


def test_fix_repairs_the_file_and_says_what_it_changed(kb_lint, tmp_path):
    copy = tmp_path / "kb-105.md"
    shutil.copy(SLIPS, copy)
    done = kb_lint("articles", copy, "--fix")
    assert done.returncode == 0, done.stdout
    assert done.stderr.splitlines() == [
        f"{copy}: fixed 2",
        '  35:26 KB-STYLE-002 "a" -> "an"',
        '  57:37 KB-STYLE-002 "a" -> "an"',
        "Fixed 2 problems in 1 file.",
    ]
    assert copy.read_bytes() == ARTICLE.read_bytes()
    again = kb_lint("articles", copy, "--fix")
    assert (again.returncode, again.stderr) == (0, "Fixed 0 problems in 0 files.\n")


def test_a_missing_cited_section_names_the_rules_that_cite_it(kb_lint, tmp_path):
    moved = tmp_path / "kb-105.md"
    moved.write_text(
        ARTICLE.read_text("utf-8").replace("## Expected Challenges", "## Known Problems")
    )
    done = kb_lint("articles", moved, "--format", "json", "--select", "KB-TRACE")
    assert done.returncode == 1
    (finding,) = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "KB-TRACE-001"
    assert (
        "cites section 'expected-challenges' of article 105, which has no such heading"
        in finding["message"]
    )
    assert (finding["line"], finding["column"]) == (2, 5)  # the article's id
    notes = [r["note"] for r in finding["related"]]
    assert "cited by table expected-challenges row 1" in notes
    assert all(r["path"].endswith("rules/kb-105/pack.yaml") for r in finding["related"])


def test_selection_per_file_ignores_and_waivers_come_from_the_config(kb_lint, tmp_path):
    shutil.copy(SLIPS, tmp_path / "a.md")
    shutil.copy(FIXTURES / "KB-STYLE-003" / "fail.md", tmp_path / "b.md")
    (tmp_path / "kb-lint.toml").write_text(
        'articles = ["."]\n'
        '[per-file-ignores]\n"b.md" = ["KB-STYLE-003"]\n'
        '[[waivers]]\nrule = "KB-STYLE-002"\npath = "*a.md"\nreason = "the seed as published"\n'
    )
    done = kb_lint("articles", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "All checks passed (2 files).\n")
    done = kb_lint("articles", "--ignore", "KB-STYLE-002", "--select", "KB-STYLE", cwd=tmp_path)
    assert done.returncode == 1 and "KB-WAIVER-002" in done.stdout


def test_check_lints_articles_given_or_configured(kb_lint, tmp_path):
    shutil.copy(SLIPS, tmp_path / "kb-105.md")
    (tmp_path / "kb-lint.toml").write_text('articles = ["."]\nrules = "nowhere"\n')
    missing = kb_lint("check", "--format", "json", cwd=tmp_path)  # never a silent fallback
    assert missing.returncode == 2
    assert "kb-lint.toml:2:1: rules folder" in missing.stderr
    (tmp_path / "kb-lint.toml").write_text('articles = ["."]\n')
    done = kb_lint("check", "--format", "json", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert [f["rule"] for f in report["findings"]] == ["KB-STYLE-002", "KB-STYLE-002"]
    assert report["summary"]["files"] == 1
    given = kb_lint("check", ARTICLE, "examples/deployment.yaml", "--format", "json")
    rules = {f["rule"] for f in json.loads(given.stdout)["findings"]}
    assert rules and all(r.startswith("KB105-") for r in rules)


def test_usage_and_input_errors_are_one_line_and_exit_2(kb_lint, tmp_path):
    unknown = kb_lint("articles", ARTICLE, "--style", "rivaa")
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "kb-lint: unknown style 'rivaa' (did you mean 'riva'?); "
        "known: common, riva, troubleshooting\n"
    )
    missing = kb_lint("articles", tmp_path / "nope.md")
    assert (missing.returncode, missing.stderr) == (
        2,
        f"kb-lint: {tmp_path / 'nope.md'}:1:1: no such file or folder\n",
    )
    unreadable = tmp_path / "locked.md"
    unreadable.write_text("# T\n")
    unreadable.chmod(0)
    done = kb_lint("articles", unreadable)
    if done.returncode == 2:  # root reads anything
        assert done.stderr == f"kb-lint: {unreadable}:1:1: cannot read article: Permission denied\n"
    nothing = kb_lint("articles", cwd=tmp_path)
    assert nothing.returncode == 2 and nothing.stderr.startswith("kb-lint: no articles to lint")
    assert "Traceback" not in unknown.stderr + missing.stderr + done.stderr + nothing.stderr


def test_a_file_that_is_not_utf8_is_a_finding_with_the_byte_position(kb_lint):
    done = kb_lint("articles", FIXTURES / "KB-FILE-001" / "fail.bin", "--format", "github")
    assert done.returncode == 1
    assert "line=18,col=44" in done.stdout and "byte 0xe9" in done.stdout


def test_explain_prints_a_rule_documentation(kb_lint):
    done = kb_lint("articles", "--explain", "kb-struct-003")
    assert done.returncode == 0
    assert done.stdout.startswith("KB-STRUCT-003: steps\nerror · article rule (steps)")
    assert "\nFlagged:\n" in done.stdout and "fixable with --fix" in done.stdout
    assert "**" not in done.stdout and "{#" not in done.stdout
    typo = kb_lint("articles", "--explain", "KB-STRUCT-033")
    assert typo.returncode == 2 and "did you mean 'KB-STRUCT-003'" in typo.stderr


def test_many_files_are_linted_by_several_processes_with_the_same_result(kb_lint, tmp_path):
    for n in range(70):
        shutil.copy(SLIPS if n % 2 else ARTICLE, tmp_path / f"kb-{n:03d}.md")
    serial = kb_lint("articles", tmp_path, "--jobs", "1", "--format", "json", "--rules", "rules")
    parallel = kb_lint("articles", tmp_path, "--jobs", "2", "--format", "json", "--rules", "rules")
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert json.loads(serial.stdout)["summary"]["findings"] == 70


def test_fixes_are_reported_even_when_a_later_file_is_an_error(kb_lint, tmp_path):
    (tmp_path / "a.md").write_text("# A\n\nIt is a email.\n")
    (tmp_path / "b.md").write_bytes("# B\n\nCaf\u00e9.\n".encode("latin-1"))
    done = kb_lint("articles", "--fix", "--ignore", "KB-FILE-001", tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{tmp_path / 'a.md'}: fixed 1",
        '  3:7 KB-STYLE-002 "a" -> "an"',
        "Fixed 1 problem in 1 file.",
        f"kb-lint: {tmp_path / 'b.md'}:3:4: the file is not UTF-8: byte 0xe9 cannot start or "
        "continue a character",
    ]
    assert (tmp_path / "a.md").read_text() == "# A\n\nIt is an email.\n"


def test_a_read_only_file_is_an_input_error_with_fix(kb_lint, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# A\n\nIt is a email.\n")
    path.chmod(0o444)
    done = kb_lint("articles", "--fix", path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"kb-lint: {path}:1:1: cannot write the fixed article: the file is read-only"
    )
    assert path.read_text() == "# A\n\nIt is a email.\n"


def test_the_rules_folder_is_found_beside_the_articles_wherever_kb_lint_runs(kb_lint, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "rules", project / "rules")
    (project / "docs").mkdir()
    moved = project / "docs" / "kb-105.md"
    moved.write_text(
        ARTICLE.read_text("utf-8").replace("## Expected Challenges", "## Known Problems")
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = kb_lint("articles", moved, "--select", "KB-TRACE", cwd=elsewhere)
    assert done.returncode == 1 and "KB-TRACE-001" in done.stdout
    assert done.stderr == ""


def test_traceability_not_checked_is_said_once_on_stderr(kb_lint, tmp_path):
    for name in ("a.md", "b.md"):
        shutil.copy(ARTICLE, tmp_path / name)
    done = kb_lint("articles", "a.md", "b.md", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "All checks passed (2 files).\n")
    assert done.stderr == (
        "kb-lint: note: KB-TRACE-001, KB-TRACE-002 not checked: no `rules` folder of rule packs "
        "at or above the articles' folder, nor here; name one with --rules DIR, or with `rules` "
        "in the config\n"
    )
    (tmp_path / "kb-lint.toml").write_text('rules = "packs"\n')
    configured = kb_lint("articles", "a.md", cwd=tmp_path)  # a typo is not a silent skip
    assert (configured.returncode, configured.stderr) == (
        2,
        f"kb-lint: kb-lint.toml:1:1: rules folder '{tmp_path / 'packs'}' does not exist (or is "
        "not a folder)\n",
    )
    quiet = kb_lint("articles", "a.md", "--ignore", "KB-TRACE", cwd=tmp_path)
    assert quiet.stderr == ""


def test_a_file_named_twice_is_linted_once(kb_lint):
    folder = ARTICLE.parent.relative_to(ROOT)
    done = kb_lint("articles", ARTICLE, folder / ARTICLE.name, folder)
    assert (done.returncode, done.stdout) == (0, _all_clean(ARTICLE.parent))


def test_an_article_no_pack_cites_has_its_uncovered_challenges_noted(kb_lint, tmp_path):
    """KB 455 under another id: no pack cites it, so each of its Expected Challenges that is not
    waived is a note (information: the pack is not written yet), not silence; its two waived
    items are not, and their waivers are used (no KB-SUPPRESS-002)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "rules", project / "rules")
    (project / "docs").mkdir()
    article = project / "docs" / "kb-4550.md"
    source = ROOT / "docs/articles/kb-455-move-users-different-category-names.md"
    article.write_text(source.read_text("utf-8").replace("\nid: 455\n", "\nid: 4550\n"), "utf-8")
    done = kb_lint("articles", article, "--select", "KB-TRACE,KB-SUPPRESS", cwd=project)
    assert done.returncode == 0, done.stdout
    lines = [line for line in done.stdout.splitlines() if "KB-" in line and "= fix" not in line]
    assert lines == [
        f"{article}:37:1: KB-TRACE-002 info item 1 of 'Expected Challenges' is encoded by no "
        f"rule: no rule pack in rules cites article 4550 yet (`kb-lint rules new {article}` "
        "starts one; --rules names another folder), or waive it with a reason"
    ]
    cited = kb_lint("articles", source, "--select", "KB-TRACE", cwd=ROOT)
    assert (cited.returncode, "KB-TRACE-002" in cited.stdout) == (0, False)  # its pack cites it


def test_with_a_pack_that_did_not_load_an_uncited_item_may_be_its_pack_s(kb_lint, tmp_path):
    """Trial 5 F14: with a broken pack, "no rule pack cites article 4550 yet" sent the writer
    to ``rules new``, which refuses (the pack exists): the note says a pack did not load."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "rules", project / "rules")
    (project / "rules" / "kb-4550").mkdir()
    (project / "rules" / "kb-4550" / "pack.yaml").write_text("pack: [\n", "utf-8")
    (project / "docs").mkdir()
    article = project / "docs" / "kb-4550.md"
    source = ROOT / "docs/articles/kb-455-move-users-different-category-names.md"
    article.write_text(source.read_text("utf-8").replace("\nid: 455\n", "\nid: 4550\n"), "utf-8")
    done = kb_lint("articles", article, "--select", "KB-TRACE", cwd=project)
    assert done.returncode == 2  # the pack's load error, said first
    assert "rules/kb-4550/pack.yaml:" in done.stderr, done.stderr
    lines = [line for line in done.stdout.splitlines() if ": KB-TRACE-002 " in line]
    assert lines == [
        f"{article}:37:1: KB-TRACE-002 info item 1 of 'Expected Challenges' is encoded by no "
        "rule of the packs that loaded: a pack that did not load (its error above) may cite "
        "article 4550"
    ]
