"""Exit codes: 0 clean, 1 findings (``--fail-on``), 2 usage or input error, 3 internal error;
every error one line, never a traceback unless ``--debug`` asks for it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DEPLOYMENT = ROOT / "examples" / "deployment.yaml"
SCENARIO = ROOT / "examples" / "scenarios" / "same-names.yaml"
# A real kb-lint process with one command broken, as a bug in kb-lint would break it.
CRASH = (
    "import sys, kb_lint.cli.check as check\n"
    "def broken(args):\n"
    "    raise KeyError('bool')\n"
    "check.run = broken\n"
    "from kb_lint.cli import main\n"
    "raise SystemExit(main(sys.argv[1:]))\n"
)


def crash(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CRASH, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_an_internal_error_is_one_line_and_exit_3():
    proc = crash("check", str(DEPLOYMENT))
    assert proc.returncode == 3
    [line] = proc.stderr.strip().splitlines()
    assert line == (
        "kb-lint: internal error: KeyError: 'bool' (run with --debug for the traceback)"
    )


def test_debug_shows_the_traceback_wherever_it_is_given():
    for argv in (("--debug", "check", str(DEPLOYMENT)), ("check", str(DEPLOYMENT), "--debug")):
        proc = crash(*argv)
        assert proc.returncode == 3
        assert "Traceback (most recent call last)" in proc.stderr
        assert proc.stderr.strip().endswith("kb-lint: internal error: KeyError: 'bool'")


def test_a_report_step_fails_on_an_internal_error_and_passes_findings(kb_lint):
    step = '"$@" || [ $? -eq 1 ]'  # docs/ci.md: the rules diff step, which only reports
    python = [sys.executable, "-c", CRASH]
    crashed = subprocess.run(
        ["sh", "-c", step, "sh", *python, "check", str(DEPLOYMENT)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert crashed.returncode != 0
    found = subprocess.run(
        ["sh", "-c", step, "sh", sys.executable, "-m", "kb_lint", "check", str(DEPLOYMENT)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert found.returncode == 0
    assert "--output rules-diff.md || [ $? -eq 1 ]" in (ROOT / "docs/ci.md").read_text()


@pytest.mark.parametrize(("fail_on", "code"), [("info", 1), ("warning", 1), ("error", 0)])
def test_fail_on_decides_which_findings_fail(kb_lint, fail_on, code):
    only_warning = ["--select", "KB105-002"]  # the example's one warning
    proc = kb_lint("check", DEPLOYMENT, *only_warning, "--fail-on", fail_on)
    assert proc.returncode == code
    assert "KB105-002 warning" in proc.stdout  # reported either way


OUTPUT_COMMANDS = [
    ("check", str(DEPLOYMENT)),
    ("articles", "docs/articles"),
    ("rules", "check"),
    ("rules", "diff", "HEAD"),
]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/nonexistent/x.txt", "cannot write /nonexistent/x.txt: No such file or directory"),
        ("/tmp", "'/tmp' is a folder, not a file"),
        ("", "the output file name is empty"),
    ],
)
def test_a_bad_output_file_is_one_line_and_exit_2(kb_lint, command, target, message):
    proc = kb_lint(*command, "-o", target)
    assert proc.returncode == 2, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert message in line and "Traceback" not in proc.stderr


def test_a_plot_into_a_missing_folder_is_one_line_and_exit_2(kb_lint, tmp_path):
    proc = kb_lint("simulate", SCENARIO, "--plot", tmp_path / "missing" / "run.svg")
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert "cannot write" in line and "No such file or directory" in line


def test_docs_export_onto_a_file_is_a_usage_error(kb_lint, tmp_path):
    target = tmp_path / "site.md"
    target.write_text("")
    proc = kb_lint("docs", "export", target, "--no-simulate")
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert "is a file, not a folder" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_docs_export_into_a_read_only_folder_is_one_line(kb_lint, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        proc = kb_lint("docs", "export", folder, "--no-simulate")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert "cannot write the pages to" in line and "Permission denied" in line


@pytest.mark.parametrize("value", ["abc", "-3"])
def test_a_bad_cycle_count_names_no_internal_function(kb_lint, value):
    proc = kb_lint("simulate", SCENARIO, "--cycles", value)
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert "_count" not in line and "--cycles" in line


def test_simulate_json_contract_is_unchanged_when_it_exits_1(kb_lint):
    proc = kb_lint("simulate", SCENARIO, "--format", "json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["final"]["errors_total"] > 0


def test_a_pipe_closed_before_the_report_is_never_a_pass():
    """``kb-lint check … | head -1``: when the reader is gone before the report is written,
    the verdict never reached anyone, so the exit code says so (141, as a shell reports a tool
    stopped by a closed pipe), never 0."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb_lint", "check", str(DEPLOYMENT)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader leaves before kb-lint has loaded its packs
    assert proc.wait(timeout=60) == 141
    assert proc.stderr.read() == b""


# A report far larger than a pipe's buffer (64 KB), of warnings only: with ``--fail-on error``
# the whole report passes, so only the cut makes the run fail.
_USERS = 3000
_WARNINGS_DEPLOYMENT = {
    "instances": [
        {
            "name": "o",
            "kind": "on-premise",
            "policies": [
                {
                    "name": name,
                    "email_system": "exchange",
                    "users": [
                        {"email": f"u{i}@g.example", "crm_user": f"u{i}"} for i in range(_USERS)
                    ],
                }
                for name in ("P", "Q")
            ],
        }
    ]
}
_WARNINGS_ARTICLE = "# Many Slips\n\n" + "Send a email to the user.\n\n" * _USERS


def _warnings_only(tmp_path, command: str) -> list[str]:
    if command == "check":
        (tmp_path / "warn.json").write_text(json.dumps(_WARNINGS_DEPLOYMENT), encoding="utf-8")
        return ["check", "warn.json"]
    (tmp_path / "kb-9005-many-slips.md").write_text(_WARNINGS_ARTICLE, encoding="utf-8")
    return ["articles", "kb-9005-many-slips.md", "--select", "KB-STYLE-002"]


@pytest.mark.parametrize("command", ["check", "articles"])
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_report_cut_after_its_first_line_is_never_a_pass(tmp_path, command, output):
    """``kb-lint check warn.json --fail-on error | head -1``: a report larger than the pipe's
    buffer, of warnings only, cut after its first line. The part the pipe took is not the
    report, so the run ends 141, not 0, and without a traceback."""
    argv = [*_warnings_only(tmp_path, command), "--fail-on", "error", "--format", output]
    whole = subprocess.run(
        [sys.executable, "-m", "kb_lint", *argv], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert whole.returncode == 0 and len(whole.stdout) > 256 * 1024
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb_lint", *argv],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == whole.stdout.splitlines(keepends=True)[0]
    proc.stdout.close()  # as ``head -1`` does
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == whole.stderr  # the same notes, nothing more


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_report_written_to_a_full_disk_is_one_line_and_exit_2():
    """``kb-lint check … > /dev/full``: the report cannot be written, which is the user's
    environment, not a bug of kb-lint (never exit 3) and never a pass."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "kb_lint", "check", str(DEPLOYMENT)],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    assert proc.stderr == "kb-lint: cannot write the report: No space left on device\n"


@pytest.mark.parametrize("command", [["rules", "check"], ["rules", "test"]])
def test_a_rules_folder_with_no_pack_is_never_a_pass(kb_lint, tmp_path, command):
    """A review of nothing would pass: a folder without */pack.yaml is an input error."""
    proc = kb_lint(*command, "--rules", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr == f"kb-lint: {tmp_path}:1:1: no rule pack found (no */pack.yaml here)\n"
