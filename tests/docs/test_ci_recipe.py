"""The GitHub Actions recipe of docs/ci.md, run as written against a good change and a wrong one.

The workflow is parsed from the page's own YAML block. Its ``run:`` steps run with bash (as
Actions runs them: ``-e -o pipefail``) in a temporary repository holding the project's rules and
articles, on a branch off ``main`` cloned from an "upstream" one, so ``origin/main`` exists. The
``if:`` conditions and ``${{ }}`` expressions are evaluated for the few contexts the recipe uses;
anything else fails the test. ``uses:`` steps are the runner's: the checkout is the temporary
repository, Python is this one, and an upload is checked to find the SARIF file it uploads.
The GitHub CLI (``gh pr comment``) is a script that keeps the comment's body.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import GIT_ENV

ROOT = Path(__file__).resolve().parents[2]
KB105 = Path("rules/kb-105/pack.yaml")
# The ${{ }} values of a pull request into main.
GITHUB = {
    "github.event_name": "pull_request",
    "github.base_ref": "main",
    "github.token": "token-not-used",
    "github.event.pull_request.number": "7",
}
GH_SCRIPT = '#!/bin/sh\n[ "$1 $2" = "pr comment" ] || exit 9\ncp "$5" "$GH_COMMENT"\n'


def recipe() -> dict:
    """The first YAML block of the GitHub Actions section of docs/ci.md."""
    page = (ROOT / "docs" / "ci.md").read_text("utf-8")
    section = page[page.index("## GitHub Actions") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "docs/ci.md: no YAML block under 'GitHub Actions'"
    return yaml.safe_load(block.group(1))


def expression(text: str, env: dict[str, str], failed: bool) -> object:
    """An Actions expression, for the functions and contexts the recipe uses."""
    python = text.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    python = re.sub(r"\benv\.(\w+)", lambda m: repr(env.get(m.group(1), "")), python)
    for name, value in GITHUB.items():
        python = python.replace(name, repr(value))
    names = {
        "always": lambda: True,
        "cancelled": lambda: False,
        "success": lambda: not failed,
        "failure": lambda: failed,
    }
    return eval(python, {"__builtins__": {}}, names)  # the recipe's own text, in a test


def condition(step: dict, env: dict[str, str], failed: bool) -> bool:
    text = str(step.get("if", "success()"))
    inner = re.fullmatch(r"\$\{\{(.*)\}\}", text.strip(), re.S)
    return bool(expression(inner.group(1) if inner else text, env, failed))


def substitute(script: str, env: dict[str, str]) -> str:
    return re.sub(
        r"\$\{\{\s*(.*?)\s*\}\}", lambda m: str(expression(m.group(1), env, False)), script
    )


@dataclass
class Job:
    steps: dict[str, str] = field(default_factory=dict)  # step name -> success/failure/skipped
    logs: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return "failure" in self.steps.values()


def run_job(workflow: dict, repo: Path, tmp: Path, **env_overrides: str) -> Job:
    [job_spec] = workflow["jobs"].values()
    env = {k: str(v) for k, v in workflow.get("env", {}).items()} | env_overrides
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(GH_SCRIPT)
    (bin_dir / "gh").chmod(0o755)
    path = f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}"
    job = Job()
    for n, step in enumerate(job_spec["steps"]):
        name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
        name = f"{n}: {name}"
        if not condition(step, env, job.failed):
            job.steps[name] = "skipped"
            continue
        if "uses" in step:
            job.steps[name] = uses(step, repo)
            continue
        if "pip install" in step["run"]:
            check_pin(step["run"])
            job.steps[name] = "success"  # this kb-lint is the one on PATH
            continue
        step_env = {k: substitute(str(v), env) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            [
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                substitute(step["run"], env),
            ],
            cwd=repo,
            env={
                **GIT_ENV,
                **env,
                **step_env,
                "PATH": path,
                "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
                "GH_COMMENT": str(tmp / "comment.md"),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        job.steps[name] = "success" if done.returncode == 0 else "failure"
        job.logs[name] = done.stdout + done.stderr
    return job


def uses(step: dict, repo: Path) -> str:
    action = step["uses"].split("@")[0]
    if action in ("actions/checkout", "actions/setup-python"):
        return "success"
    assert action == "github/codeql-action/upload-sarif", f"unknown action {action}"
    sarif = repo / step["with"]["sarif_file"]
    return "success" if sarif.is_file() and '"runs"' in sarif.read_text("utf-8") else "failure"


def check_pin(script: str) -> None:
    """The install step names kb-lint's ``main`` branch (no release tag yet; the page says how
    to pin a commit instead)."""
    pin = re.search(r"kb-lint@([\w.-]+)\"", script)
    assert pin and pin.group(1) == "main", f"the install step names no main branch: {script}"


def test_the_workflow_and_pre_commit_name_one_version_and_say_how_to_pin_it():
    """The workflow installs ``main``; the pre-commit block of the page and the hooks file's
    usage comment say ``rev: main`` too, and the page says how to pin a commit instead (trial
    14 #36: a commit pinned in the docs fell 681 commits behind)."""
    page = (ROOT / "docs" / "ci.md").read_text("utf-8")
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    revs = re.findall(r"^#?\s+rev: (\S+)", page + hooks, re.M)
    assert revs == ["main", "main"], revs
    assert "git ls-remote https://github.com/OWNER/kb-lint main" in page
    assert "pre-commit autoupdate --freeze" in page and "pre-commit autoupdate --freeze" in hooks


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of rules and articles: this project's, committed on main."""
    repo = tmp_path_factory.mktemp("upstream")
    shutil.copytree(ROOT / "rules", repo / "rules")
    shutil.copytree(ROOT / "docs" / "articles", repo / "docs" / "articles")
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "Rules and articles")
    return repo


def pull_request(upstream: Path, tmp: Path, change) -> Path:
    repo = tmp / "clone"
    git(tmp, "clone", "--quiet", str(upstream), str(repo))
    git(repo, "switch", "--quiet", "-c", "change")
    change(repo / KB105)
    git(repo, "commit", "--quiet", "-am", "A change to KB 105")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


FLIPPED_ROW = """\
      - when: {categories: different, folders: different, sync_all_items: none}
        then: {sync_errors: %s,"""
WRONG_EXAMPLES = (  # the examples that row decides (the others share a folder root)
    "examples/two-instances-different-names.yaml, expect: fail, outcome: {sync_errors: %s",
)


def wrong_change(pack: Path) -> None:
    """Different names now "give sync errors" (article 105 says they sync), examples to match."""
    for text in (FLIPPED_ROW, *WRONG_EXAMPLES):
        edit(pack, text % "false", text % "true")


def good_change(pack: Path) -> None:
    """A row's note reworded, released as a new pack version with KB105-001 re-fingerprinted."""
    edit(
        pack,
        "note: Data syncs, but every CRM item appears once per instance.",
        "note: Data syncs; the mailbox holds every CRM item once per instance.",
    )
    released = re.search(r"^  version: (\d+)\.(\d+)\.(\d+)$", pack.read_text("utf-8"), re.M)
    major, minor, patch = map(int, released.groups())
    version = f"{major}.{minor}.{patch + 1}"
    edit(pack, f"  version: {major}.{minor}.{patch}\n", f"  version: {version}\n")
    edit(
        pack,
        "  history:\n",
        f"  history:\n    - {{version: {version}, date: 2026-12-07, "
        'changes: "A row note reworded."}\n',
    )
    text = pack.read_text("utf-8")
    start = text.index("  - id: KB105-001\n")
    rule = text[start : text.index("  - id: KB105-", start + 1)]
    marked = re.sub(r"\n    changed: [\d.]+\n", f"\n    changed: {version}\n", rule, count=1)
    pack.write_text(text.replace(rule, marked), "utf-8")
    subprocess.run(  # the new version marked, --fix confirms the rule's fingerprint
        [sys.executable, "-m", "kb_lint", "rules", "check", "--select", "KB-RULES-014", "--fix"],
        cwd=pack.parents[2],
        capture_output=True,
        text=True,
        check=True,
    )


pytestmark = pytest.mark.slow


def test_the_recipe_refuses_a_row_flipped_against_the_article(upstream, tmp_path):
    repo = pull_request(upstream, tmp_path, wrong_change)
    job = run_job(recipe(), repo, tmp_path)
    failed = [name for name, status in job.steps.items() if status == "failure"]
    assert any("rules check" in name or "Rule packs" in name for name in failed), job.steps
    assert any("model" in name for name in failed), job.steps
    rules_log = next(log for name, log in job.logs.items() if "Rule packs" in name)
    assert rules_log == "" or "KB-RULES" in rules_log
    sarif = (repo / "kb-lint-rules.sarif").read_text("utf-8")
    assert "breaks claim C2" in sarif
    assert "DISAGREE" in next(log for name, log in job.logs.items() if "model" in name)
    comment = (tmp_path / "comment.md").read_text("utf-8")
    assert "C2" in comment.split("###")[1], comment  # the article statement leads the comment


def test_the_recipe_passes_a_change_that_keeps_the_article(upstream, tmp_path):
    repo = pull_request(upstream, tmp_path, good_change)
    job = run_job(recipe(), repo, tmp_path)
    assert not job.failed, {n: job.logs.get(n) for n, s in job.steps.items() if s == "failure"}
    deployments = [s for n, s in job.steps.items() if "Deployments" in n]
    assert deployments == ["skipped"]  # optional: no KB_LINT_DEPLOYMENTS in a rules repository
    assert (tmp_path / "comment.md").is_file()


def test_the_estate_step_checks_the_deployments_it_is_pointed_at(upstream, tmp_path):
    repo = pull_request(upstream, tmp_path, good_change)
    steps = {
        "jobs": {
            "kb-lint": {
                "steps": [
                    s for s in recipe()["jobs"]["kb-lint"]["steps"] if "estate" in s.get("run", "")
                ]
            }
        },
        "env": recipe()["env"],
    }
    clean = run_job(steps, repo, tmp_path, KB_LINT_DEPLOYMENTS="rules/kb-105/examples/clean.yaml")
    assert not clean.failed and list(clean.steps.values()) == ["success"], clean.logs
    broken = run_job(
        steps, repo, tmp_path, KB_LINT_DEPLOYMENTS="rules/kb-105/examples/three-instances.yaml"
    )
    assert broken.failed, broken.logs
    missing = run_job(steps, repo, tmp_path, KB_LINT_DEPLOYMENTS="deployments/")
    assert missing.failed and "deployments" in "".join(missing.logs.values())
