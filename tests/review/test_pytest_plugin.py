"""The pytest plugin collects each rule example as a test item named by rule id and file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from review_fixtures import PACKS

# Load the plugin explicitly, whether or not its entry point is installed.
ENV = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def write_project(root: Path, folder: str, ini: str = "[pytest]\n") -> None:
    """A project with the fixture pack ``folder`` as rules/kb-990, examples inside it."""
    pack = root / "rules" / "kb-990"
    shutil.copytree(PACKS / "examples", pack / "examples")
    shutil.copytree(PACKS / "articles", root / "articles")
    text = (PACKS / folder / "kb-990" / "pack.yaml").read_text("utf-8")
    (pack / "pack.yaml").write_text(text.replace("../../examples/", "examples/"), "utf-8")
    (root / "pytest.ini").write_text(ini, "utf-8")


def pytest_run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "kb_lint.pytest_plugin",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def passed_items(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The ids of the items a ``-v`` run passed, sorted."""
    return sorted(line.split(" ")[0] for line in done.stdout.splitlines() if " PASSED" in line)


def test_each_example_is_an_item_under_its_rule(tmp_path):
    write_project(tmp_path, "valid")
    done = pytest_run(tmp_path, "rules", "-v")
    assert done.returncode == 0, done.stdout
    passed = passed_items(done)
    assert passed == [
        "rules/kb-990/pack.yaml::KB990-001::one-instance.yaml",
        "rules/kb-990/pack.yaml::KB990-001::same-category.yaml",
        "rules/kb-990/pack.yaml::KB990-002::move-by-the-book.yaml",
        "rules/kb-990/pack.yaml::KB990-002::move-keeping-items.yaml",
    ]


def test_a_failing_example_shows_expected_against_actual(tmp_path):
    write_project(tmp_path, "failing-example")
    done = pytest_run(tmp_path, "rules")
    assert done.returncode == 1
    assert "FAILED rules/kb-990/pack.yaml::KB990-001::same-category.yaml" in done.stdout
    assert "- mailbox_copies: 2\n+ mailbox_copies: 1" in done.stdout
    assert "3 passed" in done.stdout


def test_one_rule_runs_alone_by_node_id(tmp_path):
    write_project(tmp_path, "valid")
    done = pytest_run(tmp_path, "rules/kb-990/pack.yaml::KB990-002", "-q")
    assert done.returncode == 0, done.stdout
    assert "2 passed" in done.stdout


def test_a_pack_that_does_not_load_is_a_collection_error_without_traceback(tmp_path):
    write_project(tmp_path, "invalid")
    done = pytest_run(tmp_path, "rules")
    assert done.returncode == 2
    assert "rules/kb-990/pack.yaml:" in done.stdout
    assert "Traceback" not in done.stdout


def test_only_packs_in_the_configured_folders_are_collected(tmp_path):
    write_project(tmp_path, "valid", ini="[pytest]\nkb_lint_rules = elsewhere\n")
    done = pytest_run(tmp_path, "rules")
    assert done.returncode == 5  # no tests collected


def test_an_example_naming_another_packs_action_and_field_runs_as_rules_test_runs_it(tmp_path):
    """KB976's examples name KB1508's ``change-history-filter`` and ``plan``: beside KB1508
    (one rules folder) they run with the folder's vocabulary, as ``rules test`` runs them."""
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "tests" / "other-actions" / "kb-976", tmp_path / "rules" / "kb-976")
    shutil.copytree(root / "rules" / "kb-1508", tmp_path / "rules" / "kb-1508")
    shutil.copytree(root / "docs" / "articles", tmp_path / "docs" / "articles")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", "utf-8")
    done = pytest_run(tmp_path, "rules/kb-976", "-v")
    assert done.returncode == 0, done.stdout
    passed = passed_items(done)
    assert passed == [
        "rules/kb-976/pack.yaml::KB976-001::filter-after-backup.yaml",
        "rules/kb-976/pack.yaml::KB976-001::filter-no-backup.yaml",
        "rules/kb-976/pack.yaml::KB976-002::filter-after-backup.yaml",
        "rules/kb-976/pack.yaml::KB976-002::filter-other-backup.yaml",
    ]
