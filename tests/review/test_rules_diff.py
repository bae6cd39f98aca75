"""``kb-lint rules diff`` end to end, in a temporary git repository with real commits."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from review_fixtures import PACKS

from tests.conftest import GIT_ENV, ROOT
from tests.test_authoring_guide import BLOCK

ROW_1_BEFORE = "then: {sync_errors: true, mailbox_copies: 1}"
ROW_1_AFTER = "then: {sync_errors: true, mailbox_copies: 2}"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout


def copy_valid_pack(repo: Path) -> Path:
    """The valid fixture pack as rules/kb-990, with its examples and article inside the repo."""
    pack = repo / "rules" / "kb-990"
    shutil.copytree(PACKS / "examples", pack / "examples")
    shutil.copytree(PACKS / "articles", repo / "articles")
    text = (PACKS / "valid" / "kb-990" / "pack.yaml").read_text("utf-8")
    (pack / "pack.yaml").write_text(text.replace("../../examples/", "examples/"), "utf-8")
    return pack / "pack.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose second commit changes row 1 of the decision table and the version."""
    pack = copy_valid_pack(tmp_path)
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "KB 990 rules")
    edit(pack, ROW_1_BEFORE, ROW_1_AFTER)
    edit(pack, "version: 1.0.0", "version: 1.1.0")
    git(tmp_path, "commit", "--quiet", "-am", "Same category: two copies")
    return tmp_path


EXPECTED_MARKDOWN = """\
## Rules diff against `HEAD~1` (`{commit}`)

### Article statements this change breaks

None: every claim of the packs still holds in the new decision tables.

### Deployments

1 of 4 example deployments gets a different verdict or outcome: 0 verdicts flip, 1 outcome moves.

#### Outcomes that move

| deployment | rule | before | after |
| --- | --- | --- | --- |
| `rules/kb-990/examples/same-category.yaml` | `KB990-001` | {before} | {after} |

### Rules against the Riva sync model

No pack is simulated by the Riva sync model.

### What changed

| pack | version | article revision |
| --- | --- | --- |
| `KB990` | 1.0.0 → 1.1.0 | 1 |

#### Rules

| rule | title | change | what changed |
| --- | --- | --- | --- |
| `KB990-001` | One instance per mailbox | changed | decision table outcomes |
| `KB990-002` | Move a mailbox step by step | changed | decision table outcomes |

#### Decision tables

| table | row | change | when | what changed |
| --- | --- | --- | --- | --- |
| `outcomes` | 1 | changed | categories: same | mailbox_copies: 1 → 2 |
"""


@pytest.mark.slow
def test_rules_diff_markdown_shows_the_changed_row_and_its_impact(kb_lint, repo):
    done = kb_lint("rules", "diff", "HEAD~1", cwd=repo)
    assert done.returncode == 1, done.stderr
    commit = git(repo, "rev-parse", "HEAD~1").strip()[:12]
    before, after = (f"fail (1 error) — mailbox_copies: {n}" for n in (1, 2))
    assert done.stdout == EXPECTED_MARKDOWN.format(commit=commit, before=before, after=after)


@pytest.mark.slow
def test_rules_diff_json_has_the_same_content(kb_lint, repo):
    done = kb_lint("rules", "diff", "HEAD~1", "--format", "json", cwd=repo)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["base"]["revision"] == "HEAD~1"
    assert report["packs"][0]["version"] == {"before": "1.0.0", "after": "1.1.0"}
    assert [(r["rule"], r["change"]) for r in report["rules"]] == [
        ("KB990-001", "changed"),
        ("KB990-002", "changed"),
    ]
    (row,) = report["tables"]
    assert (row["table"], row["row"], row["detail"]) == ("outcomes", 1, "mailbox_copies: 1 → 2")
    assert report["impact"]["deployments"] == 4
    (impact,) = report["impact"]["changed"]
    assert impact["deployment"] == "rules/kb-990/examples/same-category.yaml"
    assert impact["before"]["outcome"]["mailbox_copies"] == 1
    assert impact["after"]["outcome"]["mailbox_copies"] == 2
    assert impact["after"]["verdict"] == "fail"


@pytest.mark.slow
def test_rules_diff_reports_added_and_removed_rules_and_verdicts(kb_lint, repo):
    pack = repo / "rules" / "kb-990" / "pack.yaml"
    edit(pack, "  - id: KB990-002\n", "  - id: KB990-003\n")
    done = kb_lint("rules", "diff", "HEAD", "--format", "text", cwd=repo)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert "rule KB990-002 removed" in lines
    assert "rule KB990-003 added" in lines
    assert "note: KB990 changed but its pack version is still 1.1.0" in lines
    assert (
        "  verdict flips: rules/kb-990/examples/move-keeping-items.yaml KB990-002: "
        "fail (1 error) — "
        "sync_errors: false, mailbox_copies: 2 -> — (no such rule)"
    ) in lines


@pytest.mark.slow
def test_rules_diff_without_changes_exits_0(kb_lint, repo):
    done = kb_lint("rules", "diff", "HEAD", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "No rule, decision table or procedure changed." in done.stdout
    assert "None of the 4 example deployments gets a different verdict or outcome." in done.stdout


@pytest.mark.slow
def test_rules_diff_with_a_bad_revision_is_a_clear_error(kb_lint, repo):
    done = kb_lint("rules", "diff", "no-such-branch", cwd=repo)
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr == "kb-lint: rules diff no-such-branch: unknown git revision 'no-such-branch'\n"
    )


@pytest.mark.slow
def test_rules_diff_outside_a_git_repository_is_a_clear_error(kb_lint, tmp_path):
    copy_valid_pack(tmp_path)
    done = kb_lint(
        "rules",
        "diff",
        "HEAD",
        cwd=tmp_path,
        env={**GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )
    assert done.returncode == 2
    assert done.stderr.startswith("kb-lint: rules diff HEAD: ")
    assert "not a git repository" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_rules_diff_names_a_broken_base_pack_by_revision(kb_lint, repo):
    pack = repo / "rules" / "kb-990" / "pack.yaml"
    edit(
        pack,
        "severity: error\n    cites: {section: rule",
        "severity: fatal\n    cites: {section: rule",
    )
    git(repo, "commit", "--quiet", "-am", "broken")
    edit(pack, "severity: fatal", "severity: error")
    done = kb_lint("rules", "diff", "HEAD", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.startswith("kb-lint: HEAD:rules/kb-990/pack.yaml:")
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (
            "pack.yaml",
            "severity: error\n    cites: {section: rule",
            "severity: fatal\n    cites: {section: rule",
            "pack.yaml:",
        ),
        (
            "examples/same-category.yaml",
            "instances:",
            "instances: [}",
            "examples/same-category.yaml:2:13:",
        ),
    ],
    ids=["pack", "example"],
)
def test_rules_diff_on_a_broken_working_tree_names_the_place_and_exits_2(
    kb_lint, repo, file, old, new, where
):
    """A pack, or an example deployment, that the new version cannot read: its file:line:col
    and exit 2; never a traceback, never a diff that silently leaves the file out (an example
    unreadable under both versions would otherwise give the same verdict twice)."""
    edit(repo / "rules" / "kb-990" / file, old, new)
    done = kb_lint("rules", "diff", "HEAD", cwd=repo)
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith(f"kb-lint: {repo}/rules/kb-990/{where}"), done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_new_pack_s_examples_the_old_rules_cannot_read_are_new_not_flips(kb_lint, repo):
    """A pack added with fields of its own (the authoring guide's worked example): the old
    rules cannot read its examples, which is no verdict of theirs that flips."""
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    for name, text in BLOCK.findall(guide):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, "utf-8")
    done = kb_lint("rules", "diff", "HEAD", "--format", "json", cwd=repo)
    impact = json.loads(done.stdout)["impact"]
    assert impact["new"] == [
        f"rules/kb-2001/examples/{name}.yaml"
        for name in ("standard-30-days", "trial-15-days", "trial-30-days")
    ]
    assert [(c["rule"], c["before"], c["after"]["verdict"]) for c in impact["changed"]] == [
        ("KB2001-001", None, "fail")  # the new rule flags its own failing example
    ]
    text = kb_lint("rules", "diff", "HEAD", "--format", "text", cwd=repo).stdout
    assert "3 new example deployments use what only the new rules declare" in text
