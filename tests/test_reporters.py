"""Reporters: golden files for every format, the SARIF schema, GitHub escaping, the JSON contract.

Regenerate the golden files after an intended change with
``KB_LINT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reporters.py`` and review the diff.
"""

from __future__ import annotations

import datetime
import json
import os
import random
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from kb_lint.errors import InputError, one_line
from kb_lint.findings import Finding, Location, RuleInfo, Summary
from kb_lint.reporters import FORMATS, render, sarif
from kb_lint.reporters.github import escape_data, escape_property
from kb_lint.reporters.text import outcome_words

HERE = Path(__file__).parent / "reporters"
SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
GOLDEN = {
    "text": "expected.txt",
    "json": "expected.json",
    "sarif": "expected.sarif",
    "github": "expected-github.txt",
}

OVERLAP = Finding(
    rule="KB105-001",
    severity="error",
    message="user@email.com ↔ user@email.com is synced by 2 instances (riva-cloud, riva-onprem)",
    location=Location("examples/overlap.yaml", 14, 15),
    related=(Location("examples/overlap.yaml", 27, 15, "riva-onprem / Sales"),),
    subject={
        "email": "user@email.com",
        "crm_user": "user@email.com",
        "bindings": [
            {"instance": "riva-cloud", "policy": "Sales"},
            {"instance": "riva-onprem", "policy": "Sales"},
        ],
    },
    outcome={"sync_errors": True, "mailbox_copies": 1, "crm_duplicates": False},
    fix="procedure KB105-P1 (Exchange: move a user from Riva Cloud to On-Premise)",
    cites="KB 105 § Expected challenges item 1",
)
ODD_TEXT = Finding(
    rule="KB105-003",
    severity="warning",
    message="policy 'Sales, EU: 100%' syncs {all} items\nin [both] instances\r\nsee below",
    location=Location("deploy/acme prod.yaml", 3, 7),
    fix="turn 'sync all items' off",
)
UNICODE_INFO = Finding(
    rule="KB105-900",
    severity="info",
    message="Zoë Øster's mailbox keeps 2 copies — 日本語 category names sort last",
    location=Location("examples/overlap.yaml", 40, 3),
    related=(
        Location("examples/timeline.yaml", 2, 5, "step [3] \\ cleanup"),
        Location("examples/timeline.yaml", 9, 5),
    ),
    outcome={"leftovers": ["category My Sync", "folder CRM"], "mailbox_copies": 2, "late": None},
    help_uri="https://kb.example/rules/KB105-900",
)
FIRST_FILE = Finding(
    rule="KB105-001",
    severity="error",
    message="a@b.example ↔ a@b.example is synced by 2 instances (c1, c2)",
    location=Location("examples/a.yaml", 5, 9),
    related=(Location("examples/a.yaml", 12, 9, "c2 / Sales"),),
    subject={
        "email": "a@b.example",
        "crm_user": "a@b.example",
        "bindings": [{"instance": "c1", "policy": "Sales"}, {"instance": "c2", "policy": "Sales"}],
    },
    outcome={"sync_errors": True, "mailbox_copies": 1, "crm_duplicates": False},
)
FINDINGS = [UNICODE_INFO, OVERLAP, ODD_TEXT, FIRST_FILE]
SUMMARY = Summary.of(FINDINGS, files=4)
RULES = {
    "KB105-001": RuleInfo(
        "KB105-001",
        "One combination, one Riva instance",
        "error",
        "An email user and CRM user pair is synced by at most one instance.",
        "https://kb.example/rules/KB105-001",
    ),
    "KB105-003": RuleInfo("KB105-003", "Sync all items duplicates CRM records", "warning"),
    "KB105-004": RuleInfo("KB105-004", "Rule with no findings", "info", "Listed all the same."),
}


@pytest.fixture(autouse=True)
def fixed_homepage(monkeypatch):
    """The SARIF driver's informationUri comes from package metadata: pin it for golden files."""
    monkeypatch.setattr(sarif, "information_uri", lambda: "https://kb-lint.example/")


def report(fmt: str, findings: list[Finding] = FINDINGS, **kwargs) -> str:
    summary = Summary.of(findings, files=4)
    return render(fmt, findings, summary, rules=RULES, tool="kb-lint", version="0.1.0", **kwargs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_matches_golden_file(fmt):
    golden = HERE / GOLDEN[fmt]
    out = report(fmt)
    if os.environ.get("KB_LINT_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8", newline="")
    assert out == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_does_not_depend_on_finding_order(fmt):
    shuffled = FINDINGS[:]
    random.Random(7).shuffle(shuffled)
    assert report(fmt, shuffled) == report(fmt, sorted(FINDINGS, key=Finding.sort_key))


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render("xml", [], Summary.of([], 1))


# --- text ---------------------------------------------------------------------------------


def test_text_clean_run_says_so_with_the_file_count():
    assert render("text", [], Summary.of([], 1)) == "All checks passed (1 file).\n"
    assert render("text", [], Summary.of([], 3)) == "All checks passed (3 files).\n"


def test_text_summary_counts_each_severity_present():
    one = report("text", [OVERLAP]).splitlines()[-1]
    assert one == "Found 1 finding (1 error) in 4 files."
    assert report("text").splitlines()[-1] == (
        "Found 4 findings (2 errors, 1 warning, 1 info) in 4 files."
    )


def test_text_has_no_escape_codes_unless_coloured():
    assert "\x1b" not in report("text")
    coloured = report("text", [OVERLAP], color=True)
    head = coloured.splitlines()[0]
    assert head.startswith("\x1b[1mexamples/overlap.yaml:14:15\x1b[0m: ")
    assert "\x1b[1m\x1b[31mKB105-001\x1b[0m \x1b[31merror\x1b[0m user@email.com" in head
    warning = report("text", [ODD_TEXT], color=True)
    assert "\x1b[33mwarning\x1b[0m" in warning


def test_text_makes_control_characters_and_line_breaks_visible():
    finding = Finding("R1", "error", "bell\x07 and\x1b[2J clear\nnext", Location("x.yaml", 1, 1))
    spoofed = Finding("R1", "error", "user\u202eliame\x9b", Location("x.yaml", 1, 1))
    assert "user\\u202eliame\\x9b" in render("text", [spoofed], Summary.of([spoofed], 1))
    lines = render("text", [finding], Summary.of([finding], 1)).splitlines()
    assert lines[0] == "x.yaml:1:1: R1 error bell\\x07 and\\x1b[2J clear\\x0anext"


def test_outcome_words_say_what_will_happen():
    words = outcome_words(
        {
            "sync_errors": True,
            "crm_duplicates": False,
            "mailbox_copies": 3,
            "leftovers": [],
            "removed": ["items", "folders"],
            "note": None,
            "owner": "riva-cloud",
        }
    )
    # a list outcome is written sorted, as it is compared (one formatter for every report)
    assert words == "sync errors; mailbox copies: 3; removed: folders, items; owner: riva-cloud"
    assert outcome_words({"crm_duplicates": False, "leftovers": []}) == ""


# --- json ---------------------------------------------------------------------------------


def test_json_follows_the_public_contract():
    data = json.loads(report("json"))
    assert list(data) == ["findings", "input_errors", "summary"]
    assert data["input_errors"] == []
    assert data["summary"] == {
        "files": 4,
        "findings": 4,
        "errors": 2,
        "warnings": 1,
        "infos": 1,
        "input_errors": 0,
    }
    by_rule = {f["rule"] + f["path"]: f for f in data["findings"]}
    overlap = by_rule["KB105-001examples/overlap.yaml"]
    assert list(overlap) == [
        "rule",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "subject",
        "outcome",
        "related",
        "fix",
        "cites",
    ]
    assert overlap["related"] == [
        {"path": "examples/overlap.yaml", "line": 27, "column": 15, "note": "riva-onprem / Sales"}
    ]
    assert overlap["outcome"] == {"sync_errors": True, "mailbox_copies": 1, "crm_duplicates": False}
    odd = by_rule["KB105-003deploy/acme prod.yaml"]
    assert list(odd) == ["rule", "severity", "message", "path", "line", "column", "related", "fix"]
    assert odd["related"] == []  # the contract's key, on every finding
    assert odd["message"] == ODD_TEXT.message


def test_json_has_a_finding_a_line_unicode_and_a_trailing_newline():
    out = report("json", [UNICODE_INFO, UNICODE_INFO])
    assert out.endswith("}\n") and not out.endswith("\n\n")
    lines = out.splitlines()
    assert lines[0] == '{"findings": [' and lines[3] == "],"
    assert [json.loads(line.rstrip(","))["rule"] for line in lines[1:3]] == [UNICODE_INFO.rule] * 2
    assert "Zoë Øster" in out and "日本語" in out


def test_json_escapes_what_a_terminal_acts_on_in_ascii_lines_too():
    """DEL is the one such character in ASCII text; C1 controls and bidirectional overrides
    are not ASCII. Each is a ``\\u`` escape, the value the same once parsed."""
    messages = ["del\x7f", "c1\x9b", "bidi\u202e", "Zoë", "plain"]
    findings = [
        Finding("R1", "error", m, Location("x.md", n, 1)) for n, m in enumerate(messages, 1)
    ]
    out = render("json", findings, Summary.of(findings, 1))
    assert "\\u007f" in out and "\\u009b" in out and "\\u202e" in out and "Zoë" in out
    assert not any(c in out for c in "\x7f\x9b\u202e")
    assert [f["message"] for f in json.loads(out)["findings"]] == messages


def test_json_never_fails_on_values_json_lacks():
    finding = Finding(
        "R1",
        "warning",
        "late",
        Location("t.yaml", 2, 3),
        subject={"at": datetime.date(2024, 5, 1), "what": {"items", "folders"}},
    )
    data = json.loads(render("json", [finding], Summary.of([finding], 1)))
    assert data["findings"][0]["subject"] == {"at": "2024-05-01", "what": ["folders", "items"]}


# --- sarif --------------------------------------------------------------------------------


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "clean"])
def test_sarif_is_valid_against_the_official_schema(findings):
    log = json.loads(report("sarif", findings))
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log))
    assert errors == []


PROBLEMS = [
    InputError("deploy/bad.yaml", 6, 9, "unknown key 'sync_all_item'"),
    InputError("deploy/gone.csv", 0, 0, "no such file or folder"),
]


def test_sarif_with_input_errors_is_valid_and_says_the_run_did_not_succeed():
    log = json.loads(report("sarif", problems=PROBLEMS))
    assert list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log)) == []
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [p.message for p in PROBLEMS]
    regions = [n["locations"][0]["physicalLocation"]["region"] for n in notes]
    assert regions == [{"startLine": 6, "startColumn": 9}, {"startLine": 1, "startColumn": 1}]


def test_every_format_reports_input_errors():
    text = report("text", problems=PROBLEMS)
    assert text.endswith("Found 4 findings in 4 files; 2 input errors (not checked).\n")
    data = json.loads(report("json", problems=PROBLEMS))
    assert data["input_errors"][0] == {
        "path": "deploy/bad.yaml",
        "line": 6,
        "column": 9,
        "message": "unknown key 'sync_all_item'",
    }
    assert data["summary"]["input_errors"] == 2
    github = report("github", problems=PROBLEMS).splitlines()
    assert github[:2] == [
        "::error file=deploy/bad.yaml,line=6,col=9,title=input error::unknown key 'sync_all_item'",
        "::error file=deploy/gone.csv,title=input error::no such file or folder",
    ]


def test_sarif_rules_and_results_fit_github_code_scanning():
    log = json.loads(report("sarif"))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kb-lint", "0.1.0")
    assert driver["informationUri"] == "https://kb-lint.example/"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["KB105-001", "KB105-003", "KB105-004", "KB105-900"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["physicalLocation"]["region"]["startLine"] >= 1
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"KB105-001": "error", "KB105-003": "warning", "KB105-900": "note"}
    rule = driver["rules"][0]
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["helpUri"] == "https://kb.example/rules/KB105-001"
    assert driver["rules"][3]["helpUri"] == "https://kb.example/rules/KB105-900"


def test_sarif_related_locations_are_linked_from_the_message():
    (result,) = json.loads(report("sarif", [UNICODE_INFO]))["runs"][0]["results"]
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["message"]["text"] == "step [3] \\ cleanup"
    assert related[1]["message"]["text"] == "examples/timeline.yaml:9:5"
    assert result["message"]["text"].endswith(
        "Also: [step \\[3\\] \\\\ cleanup](1), [examples/timeline.yaml:9:5](2)."
    )
    assert result["properties"] == {"outcome": UNICODE_INFO.outcome}


def test_sarif_messages_keep_braces_literal_and_paths_as_uris():
    (result,) = json.loads(report("sarif", [ODD_TEXT]))["runs"][0]["results"]
    assert result["message"]["text"] == ODD_TEXT.message.replace("{", "{{").replace("}", "}}")
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "deploy/acme%20prod.yaml", "uriBaseId": "%SRCROOT%"}
    absolute = Finding("R1", "error", "m", Location("/srv/repo/deploy.yaml", 1, 1))
    (result,) = json.loads(report("sarif", [absolute]))["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///srv/repo/deploy.yaml"}


def fingerprint(finding: Finding) -> str:
    (result,) = json.loads(report("sarif", [finding]))["runs"][0]["results"]
    return result["partialFingerprints"]["primaryLocationLineHash"]


def test_sarif_fingerprint_follows_rule_path_and_subject_not_lines():
    moved = replace(
        OVERLAP,
        location=Location("examples/overlap.yaml", 90, 3),
        message=OVERLAP.message + " (reworded)",
    )
    assert fingerprint(moved) == fingerprint(OVERLAP)
    reordered = replace(OVERLAP, subject=dict(reversed(OVERLAP.subject.items())))
    assert fingerprint(reordered) == fingerprint(OVERLAP)
    other_user = replace(OVERLAP, subject={**OVERLAP.subject, "email": "x@y.z"})
    assert fingerprint(other_user) != fingerprint(OVERLAP)
    other_file = replace(OVERLAP, location=Location("examples/b.yaml", 14, 15))
    assert fingerprint(other_file) != fingerprint(OVERLAP)


def test_sarif_fingerprints_of_twin_findings_are_numbered():
    twin = replace(OVERLAP, location=Location("examples/overlap.yaml", 50, 1))
    results = json.loads(report("sarif", [twin, OVERLAP]))["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert hashes[0].rsplit(":", 1)[0] == hashes[1].rsplit(":", 1)[0]
    assert [h.rsplit(":", 1)[1] for h in hashes] == ["1", "2"]


# --- github -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain text", "plain text", "plain text"),
        ("100% done", "100%25 done", "100%25 done"),
        ("%0A stays literal", "%250A stays literal", "%250A stays literal"),
        ("two\nlines\r\nhere", "two%0Alines%0D%0Ahere", "two\\x0alines\\x0d\\x0ahere"),
        ("\x1b[2J", "\x1b[2J", "\\x1b[2J"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("::error::", "::error::", "%3A%3Aerror%3A%3A"),
        ("Zoë ↔ 日本", "Zoë ↔ 日本", "Zoë ↔ 日本"),
    ],
)
def test_github_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def unescape(text: str, prop: bool = False) -> str:
    """What the runner does to a command's data (and, with ``prop``, to a property value)."""
    if prop:
        text = text.replace("%2C", ",").replace("%3A", ":")
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def test_github_annotation_round_trips_through_the_runner():
    (line,) = report("github", [ODD_TEXT]).splitlines()
    head, _, data = line.partition("::")[2].partition("::")
    command, _, props = head.partition(" ")
    assert command == "warning"
    values = dict(p.split("=", 1) for p in props.split(","))
    assert {k: unescape(v, prop=True) for k, v in values.items()} == {
        "file": "deploy/acme prod.yaml",
        "line": "3",
        "col": "7",
        "title": "KB105-003",
    }
    assert unescape(data) == one_line(ODD_TEXT.message) + "\nfix: turn 'sync all items' off"


def test_github_commands_per_severity_with_related_locations():
    lines = report("github").splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::warning",
        "::error",
        "::error",
        "::notice",
    ]
    assert "%0Aalso: examples/overlap.yaml:27:15 (riva-onprem / Sales)" in lines[2]
    assert report("github", []) == ""


def test_no_character_json_escapes_is_printable():
    """The JSON report skips its search for unsafe characters when every line prints: that
    holds only while each of them is unprintable, whatever Unicode version Python has."""
    from kb_lint.errors import UNSAFE_IN_JSON

    unsafe = [chr(c) for c in range(0x110000) if UNSAFE_IN_JSON.fullmatch(chr(c))]
    assert len(unsafe) == 56 and not any(c.isprintable() for c in unsafe)
