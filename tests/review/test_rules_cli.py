"""``kb-lint rules test`` and ``kb-lint rules check``, run as a user runs them."""

from __future__ import annotations

import json

from review_fixtures import PACKS, ROOT


def test_rules_test_passes_every_shipped_example(kb_lint):
    done = kb_lint("rules", "test")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    examples = [line for line in lines if line.startswith(("✓", "✗"))]
    assert examples and all(line.startswith("✓") for line in examples)
    assert "✓ KB105-001 examples/clean.yaml (expect pass)" in lines
    assert lines[-1] == f"{len(examples)} examples: {len(examples)} passed, 0 failed"


def test_rules_test_shows_expected_against_actual_for_a_failing_example(kb_lint):
    done = kb_lint("rules", "test", "--rules", PACKS / "failing-example")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[:9] == [
        "✗ KB990-001 ../../examples/same-category.yaml (expect fail)",
        "    --- expected",
        "    +++ actual",
        "      verdict: fail",
        "      sync_errors: true",
        "    - mailbox_copies: 2",
        "    + mailbox_copies: 1",
        "    findings (1):",
        "      9:13 error KB990-001: mailbox user@email.com is synced by 2 instances "
        "(outcome sync_errors: true, mailbox_copies: 1)",
    ]
    assert lines[9] == "✓ KB990-001 ../../examples/one-instance.yaml (expect pass)"
    assert lines[-1] == "4 examples: 3 passed, 1 failed"


def test_rules_test_shows_a_wrong_verdict(kb_lint, tmp_path):
    pack = tmp_path / "kb-990" / "pack.yaml"
    pack.parent.mkdir()
    text = (PACKS / "valid" / "kb-990" / "pack.yaml").read_text("utf-8")
    text = text.replace("../../", str(PACKS) + "/")
    pack.write_text(
        text.replace("one-instance.yaml, expect: pass", "one-instance.yaml, expect: fail")
    )
    done = kb_lint("rules", "test", "--rules", tmp_path)
    assert done.returncode == 1
    assert "    - verdict: fail\n    + verdict: pass\n    findings: none\n" in done.stdout


def test_rules_test_json_gives_each_example_with_its_verdict_and_outcome(kb_lint):
    done = kb_lint("rules", "test", "--rules", PACKS / "failing-example", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["summary"] == {
        "examples": 4,
        "passed": 3,
        "failed": 1,
        "packs_not_loaded": 0,
        "packs_not_loaded_files": [],
        "packs_without_rules": [],
    }
    (failed,) = [e for e in report["examples"] if not e["passed"]]
    assert failed["rule"] == "KB990-001"
    assert failed["verdict"] == "fail"
    assert failed["expected_outcome"] == {"sync_errors": True, "mailbox_copies": 2}
    assert failed["outcome"]["mailbox_copies"] == 1
    assert failed["problems"] == ["outcome mailbox_copies: expected 2, got 1"]
    assert failed["findings"][0]["rule"] == "KB990-001"


def test_rules_test_on_a_pack_that_does_not_load_is_an_input_error(kb_lint):
    done = kb_lint("rules", "test", "--rules", PACKS / "invalid")
    assert done.returncode == 2
    pack = (PACKS / "invalid" / "kb-990" / "pack.yaml").relative_to(ROOT)
    assert done.stdout.endswith(
        f"0 examples: 0 passed, 0 failed; 1 pack did not load ({pack}; its error above): its "
        "examples were not run\n"
    ), done.stdout
    assert done.stderr.startswith("kb-lint: ")
    assert "invalid/kb-990/pack.yaml:" in done.stderr
    assert "Traceback" not in done.stderr


def test_rules_check_passes_the_shipped_packs(kb_lint):
    done = kb_lint("rules", "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_rules_check_locates_findings_in_the_rule_file(kb_lint):
    done = kb_lint("rules", "check", "--rules", PACKS / "gap", "--format", "json")
    assert done.returncode == 1
    (finding,) = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "KB-RULES-001"
    assert finding["path"].endswith("gap/kb-990/pack.yaml")
    assert finding["line"] > 1


def test_rules_check_sarif_describes_the_checks_it_reports(kb_lint):
    done = kb_lint("rules", "check", "--rules", PACKS / "contradiction", "--format", "sarif")
    assert done.returncode == 1
    run = json.loads(done.stdout)["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "KB-RULES-002"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("contradiction/kb-990/pack.yaml")
    assert result["relatedLocations"]
    assert "KB-RULES-002" in {rule["id"] for rule in run["tool"]["driver"]["rules"]}


def test_rules_check_github_annotations(kb_lint):
    done = kb_lint("rules", "check", "--rules", PACKS / "stale", "--format", "github")
    assert done.returncode == 1
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    assert all(line.startswith("::warning file=") for line in annotations)


def test_rules_check_select_and_ignore_pick_checks(kb_lint):
    unreachable = PACKS / "unreachable"
    done = kb_lint("rules", "check", "--rules", unreachable, "--ignore", "KB-RULES-005")
    assert done.returncode == 0, done.stdout
    done = kb_lint("rules", "check", "--rules", unreachable, "--select", "KB-RULES-001")
    assert done.returncode == 0, done.stdout


def test_rules_check_reports_a_pack_that_does_not_load_as_a_finding(kb_lint):
    done = kb_lint("rules", "check", "--rules", PACKS / "invalid", "--format", "json")
    assert done.returncode == 2  # said first on stderr too: an input error
    assert done.stderr.startswith("kb-lint: ")
    (finding,) = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "KB-RULES-010"


def test_rules_check_runs_from_another_folder_with_the_config_default(kb_lint, tmp_path):
    done = kb_lint("rules", "check", "--rules", ROOT / "rules", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
