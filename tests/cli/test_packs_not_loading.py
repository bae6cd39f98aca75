"""A pack that does not load is never hidden: every command that loads packs says its error
first, at file:line:col, runs with the other packs, and exits 2 at the end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import one_error

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    """KB1508 with a misspelt value at a known place, beside a sound KB22."""
    folder = tmp_path_factory.mktemp("rules")
    for name in ("kb-1508", "kb-22"):
        shutil.copytree(ROOT / "rules" / name, folder / name)
    pack = folder / "kb-1508" / "pack.yaml"
    text = pack.read_text("utf-8")
    assert text.count("    over: policies\n") == 1
    pack.write_text(text.replace("    over: policies\n", "    over: policys\n"), "utf-8")
    return folder


def where(rules: Path) -> str:
    pack = rules / "kb-1508" / "pack.yaml"
    line = pack.read_text("utf-8").splitlines().index("    over: policys") + 1
    return f"kb-lint: {pack}:{line}:11: 'policys' is not a value of 'over' ("


COMMANDS = {
    "check": (["check", "examples/deployment.yaml"], "Found"),
    "rules test": (["rules", "test"], "✓ KB22-001"),
    "rules list": (["rules", "list"], "KB22 "),
    "explain": (["explain", "KB22-001"], "KB22-001: "),
    "schema": (["schema"], '"instances"'),
    "articles": (["articles", "docs/articles/kb-22-lost-and-found.md"], "Found 0 findings"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_the_load_error_comes_first_and_the_rest_still_runs(kb_lint, rules, command):
    args, rest = COMMANDS[command]
    proc = kb_lint(*args, "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(where(rules)), proc.stderr
    assert proc.stderr.count("is not a value of 'over'") == 1, proc.stderr
    assert rest in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_rules_check_reports_the_load_error_once(kb_lint, rules):
    """``rules check``'s report is about the packs: its KB-RULES-010 finding is the load error,
    not repeated on stderr; a report in another format says it on stderr too, for the log."""
    proc = kb_lint("rules", "check", "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    said = where(rules).removeprefix("kb-lint: ")
    assert (proc.stdout + proc.stderr).count("is not a value of 'over'") == 1, proc.stdout
    assert (
        f"{said.split(': ')[0]}: KB-RULES-010 error 'policys' is not a value of 'over'"
        in proc.stdout
    )
    assert "Traceback" not in proc.stderr
    proc = kb_lint("rules", "check", "--rules", rules, "--format", "json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(where(rules)), proc.stderr
    assert proc.stderr.count("is not a value of 'over'") == 1, proc.stderr


def unloaded(rules: Path, what: str) -> str:
    """What a summary says of the one pack of ``rules`` that did not load: named, and what of
    it was not run."""
    return f"1 pack did not load ({rules / 'kb-1508' / 'pack.yaml'}; its error above): its {what}"


EXAMPLES = "examples were not run"
CHECKS = "other checks and examples were not run"


def test_rules_test_summary_says_the_pack_whose_examples_were_not_run(kb_lint, rules):
    """Trial 12 P6: the count is KB22's examples alone, and the summary says why."""
    proc = kb_lint("rules", "test", "--rules", rules)
    assert proc.returncode == 2 and proc.stderr.startswith(where(rules)), proc.stderr
    assert "KB1508" not in proc.stdout
    count = proc.stdout.count("✓ KB22-")
    last = proc.stdout.splitlines()[-1]
    expected = f"{count} examples: {count} passed, 0 failed; {unloaded(rules, EXAMPLES)}"
    assert count and last == expected, proc.stdout
    proc = kb_lint("rules", "test", "--rules", rules, "--format", "json")
    assert proc.returncode == 2 and proc.stderr.startswith(where(rules)), proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert summary == {
        "examples": count,
        "passed": count,
        "failed": 0,
        "packs_not_loaded": 1,
        "packs_not_loaded_files": [str(rules / "kb-1508" / "pack.yaml")],
        "packs_without_rules": [],
    }


def test_rules_check_summary_says_the_pack_it_could_not_review(kb_lint, rules):
    proc = kb_lint("rules", "check", "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    last = proc.stdout.splitlines()[-1]
    assert last.endswith(f" in 2 files; {unloaded(rules, CHECKS)}."), last
    # a selection without KB-RULES-010 leaves the error out of the report: stderr says it
    proc = kb_lint("rules", "check", "--rules", rules, "--select", "KB-RULES-007")
    assert proc.returncode == 2 and proc.stderr.startswith(where(rules)), proc.stderr
    assert proc.stdout == (f"Found 0 findings in 2 files; {unloaded(rules, CHECKS)}.\n")


@pytest.mark.parametrize("form", ["json", "sarif", "github"])
def test_every_format_of_rules_check_counts_and_names_the_pack_it_could_not_review(
    kb_lint, rules, form
):
    """The finding is the load error; the summary of each format says the pack was not
    reviewed, by name, so that no report of it reads as a review of every pack given."""
    pack = str(rules / "kb-1508" / "pack.yaml")
    proc = kb_lint("rules", "check", "--rules", rules, "--format", form)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(where(rules)), proc.stderr
    if form == "json":
        report = json.loads(proc.stdout)
        assert [f["path"] for f in report["findings"] if f["rule"] == "KB-RULES-010"] == [pack]
        summary = report["summary"]
        assert summary["files"] == 2, summary
        assert summary["packs_not_loaded"] == 1, summary
        assert summary["packs_not_loaded_files"] == [pack], summary
    elif form == "sarif":
        run = json.loads(proc.stdout)["runs"][0]
        assert [r["ruleId"] for r in run["results"]].count("KB-RULES-010") == 1
        [invocation] = run["invocations"]
        assert invocation["executionSuccessful"] is False
        assert invocation["properties"] == {"packs_not_loaded": 1}
        [note] = invocation["toolExecutionNotifications"]
        [place] = note["locations"]
        assert place["physicalLocation"]["artifactLocation"]["uri"].endswith("kb-1508/pack.yaml")
        assert note["message"]["text"] == unloaded(rules, CHECKS)
    else:
        lines = proc.stdout.splitlines()
        assert sum("title=KB-RULES-010::" in line for line in lines) == 1, proc.stdout
        assert lines[-1] == f"::error title=packs not loaded::{unloaded(rules, CHECKS)}"


def test_rules_test_with_no_pack_that_loads_still_gives_its_summary(kb_lint, rules, tmp_path):
    """Not one example to run: the report says so and names the pack, in text and JSON."""
    shutil.copytree(rules / "kb-1508", tmp_path / "kb-1508")
    proc = kb_lint("rules", "test", "--rules", tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith(where(tmp_path)), proc.stderr
    assert proc.stdout.splitlines()[-1] == (
        f"0 examples: 0 passed, 0 failed; {unloaded(tmp_path, EXAMPLES)}"
    )
    proc = kb_lint("rules", "test", "--rules", tmp_path, "--format", "json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["examples"] == []
    assert report["summary"]["packs_not_loaded_files"] == [str(tmp_path / "kb-1508/pack.yaml")]


def test_check_summary_says_the_pack_whose_rules_were_not_run(kb_lint, rules):
    proc = kb_lint("check", "--rules", rules, "examples/deployment.yaml")
    assert proc.returncode == 2 and proc.stderr.startswith(where(rules)), proc.stderr
    last = proc.stdout.splitlines()[-1]
    assert last.endswith("; 1 pack load error (those packs' rules not run)."), last


def test_docs_export_renders_the_other_packs(kb_lint, rules, tmp_path):
    proc = kb_lint("docs", "export", tmp_path / "site", "--rules", rules, "--no-simulate")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(where(rules))
    assert list((tmp_path / "site").rglob("kb22-001.md"))


def copies(folder: Path, count: int, with_id: bool) -> Path:
    """``count`` copies of KB 22's article (with its ``id``, or without the line), in ``folder``:
    more than one process's share (``PARALLEL_FROM``), so that workers lint them."""
    text = (ROOT / "docs" / "articles" / "kb-22-lost-and-found.md").read_text("utf-8")
    if not with_id:
        assert text.count("id: 22\n") == 1
        text = text.replace("id: 22\n", "")
    folder.mkdir()
    for number in range(count):
        (folder / f"kb-22-{number:03d}.md").write_text(text, "utf-8")
    return folder


def test_workers_that_read_a_broken_pack_say_it_once(kb_lint, rules, tmp_path):
    articles = copies(tmp_path / "articles", 80, with_id=True)
    proc = kb_lint("articles", articles, "--rules", rules, "--jobs", "2", "--select", "KB-TRACE")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(where(rules)), proc.stderr
    assert proc.stderr.count("is not a value of 'over'") == 1, proc.stderr
    assert "Found 0 findings in 80 files" in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_articles_no_pack_can_cite_read_no_pack(kb_lint, rules, tmp_path, jobs):
    """Without an ``id``, no ``cites`` block can name an article: the packs are not read, so the
    broken one goes unsaid (the traceability checks have nothing to check)."""
    articles = copies(tmp_path / "articles", 80, with_id=False)
    proc = kb_lint("articles", articles, "--rules", rules, "--jobs", jobs, "--select", "KB-TRACE")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == "", proc.stderr
    assert proc.stdout == "All checks passed (80 files).\n"


def test_independent_errors_of_one_pack_come_in_one_run(kb_lint, tmp_path):
    """A misspelt name in one rule and a misspelt action in another: both, in file order."""
    shutil.copytree(ROOT / "rules" / "kb-1508", tmp_path / "kb-1508")
    pack = tmp_path / "kb-1508" / "pack.yaml"
    text = pack.read_text("utf-8")
    text = text.replace("when: history_days != null", "when: history_dayz != null")
    text = text.replace(
        "action: change-sync-category\n        where:", "action: change-sync\n        where:"
    )
    pack.write_text(text, "utf-8")
    lines = text.splitlines()
    proc = kb_lint("rules", "list", "--rules", tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    first = next(i for i, line in enumerate(lines) if "history_dayz" in line) + 1
    second = next(i for i, line in enumerate(lines) if "action: change-sync\n" in line + "\n") + 1
    assert proc.stderr.splitlines() == [
        f"kb-lint: {pack}:{first}:11: unknown name 'history_dayz' (did you mean 'history_days'?)",
        f"kb-lint: {pack}:{second}:17: unknown action 'change-sync' (did you mean "
        "'change-sync-category'?)",
    ]


def test_a_field_of_a_pack_that_did_not_load_says_so(kb_lint, rules):
    example = rules / "kb-1508" / "examples" / "trial-history-30-days.yaml"
    proc = kb_lint("check", example, "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.splitlines()[1].endswith(
        "unknown key 'plan' in instance (a pack that did not load, its error above, may declare it)"
    )


def test_an_action_of_a_pack_that_did_not_load_says_so(kb_lint, rules, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "instances:\n  - name: onprem\n    kind: on-premise\n"
        "    policies: [{name: Sales, category: CRM}]\ntimeline:\n"
        "  - {at: 2026-12-01, action: change-history-filter, instance: onprem, policy: Sales}\n",
        "utf-8",
    )
    proc = kb_lint("check", plan, "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    last = proc.stderr.splitlines()[-1]
    assert last.startswith(
        f"kb-lint: {plan}:6:30: 'change-history-filter' is not a value of 'action' ("
    ), last
    assert last.endswith("(a pack that did not load, its error above, may declare it)"), last


def test_simulate_shows_only_the_load_error_as_the_cause(kb_lint, rules):
    """A scenario that uses a field of the pack that did not load is not simulated, and no
    second error sends the reader to the scenario's key."""
    example = rules / "kb-1508" / "examples" / "trial-history-30-days.yaml"
    proc = kb_lint("simulate", example, "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    first, note = proc.stderr.splitlines()
    assert first.startswith(where(rules)), first
    assert note == (
        f"kb-lint: {example} not simulated: it uses what a pack that did not load (its error "
        "above) may declare"
    )
    assert proc.stdout == ""


@pytest.mark.parametrize("command", ["rules check", "rules test", "rules list", "check"])
def test_a_folder_without_a_pack_file_is_a_pack_that_did_not_load(kb_lint, tmp_path, command):
    """A pack folder whose file is misnamed (``pack.yml``), or not written yet, would be
    skipped without a word: each is an error at the folder, its other packs still run."""
    shutil.copytree(ROOT / "rules" / "kb-22", tmp_path / "kb-22")
    shutil.copytree(ROOT / "rules" / "kb-22" / "examples", tmp_path / "kb-1" / "examples")
    (tmp_path / "kb-2").mkdir()
    shutil.copy(ROOT / "rules" / "kb-22" / "pack.yaml", tmp_path / "kb-2" / "pack.yml")
    for skipped in (".git", "__pycache__"):  # hidden, or a package's: not packs
        (tmp_path / skipped).mkdir()
    (tmp_path / "notes").mkdir()  # no YAML, no examples: not a pack's
    (tmp_path / "notes" / "to-do.md").write_text("KB 1: write its pack.\n", "utf-8")
    shutil.copytree(ROOT / "rules" / "kb-1508", tmp_path / "more" / "kb-1508")  # a folder of packs
    args = [*command.split(), "--rules", tmp_path]
    proc = kb_lint(*args, *(["examples/deployment.yaml"] if command == "check" else []))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    rest = (
        "each folder of a rules folder that holds YAML files or examples is a pack, its file "
        "named pack.yaml"
    )
    said = [
        (f"{tmp_path / 'kb-1'}:1:1", f"no pack.yaml in this folder: {rest}"),
        (
            f"{tmp_path / 'kb-2'}:1:1",
            f"no pack.yaml in this folder (it holds pack.yml: name it pack.yaml): {rest}",
        ),
    ]
    if command == "rules check":  # findings of the report
        for place, message in said:
            assert f"{place}: KB-RULES-010 error {message}\n" in proc.stdout, proc.stdout
    else:
        assert proc.stderr.splitlines() == [f"kb-lint: {p}: {m}" for p, m in said]
    ran = {"rules check": "kb-22/pack.yaml:", "rules test": "✓ KB22-", "rules list": "KB22 "}
    assert ran.get(command, "Found 0 findings in 1 file") in proc.stdout  # KB22 still ran
    for skipped in (".git", "__pycache__", "notes", "more"):
        assert f"{tmp_path / skipped}:" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("command", ["rules check", "rules test", "check"])
def test_a_packs_own_folder_given_as_the_rules_folder_is_told_its_parent(kb_lint, command):
    """``--rules rules/kb-22`` (the pack, not the folder of packs): one error saying so, not
    its ``examples`` folder taken for a pack without its file."""
    args = [*command.split(), "--rules", "rules/kb-22"]
    line = one_error(kb_lint(*args, *(["examples/deployment.yaml"] if command == "check" else [])))
    assert line == (
        "kb-lint: rules/kb-22:1:1: this is a pack's folder (it holds pack.yaml): name the folder "
        "of packs, rules"
    )
