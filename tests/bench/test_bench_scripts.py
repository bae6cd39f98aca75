"""Every benchmark script runs, at its smallest sizes, as `make bench` runs it: a real process
that exits 0 and prints its result lines, and records (``bench/results.py``) issue 23's targets
only where it measures them. A script under bench/ with no run here fails the first test, so
that none can rot unseen again (bench_docs.py crashed for a day on mkdocs.yml's ``!ENV``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real Markdown read in place as a small corpus: its held-out half is 29 files.
CORPUS = ROOT / "tests" / "articles" / "fixtures"
ONE_PROCESS = r"kb-lint, 1 process / markdown-it-py parse: +\d+\.\d\dx"
# bench_docs.py's smallest pack: KB105's own rules, no copies.
KB105_RULES = len(yaml.safe_load((ROOT / "rules" / "kb-105" / "pack.yaml").read_text())["rules"])

# script, arguments, lines its output must hold (patterns), the targets it records
RUNS: list[tuple[str, list[str], list[str], set[str]]] = [
    (
        "bench_check.py",
        ["--sizes", "1000", "--repeat", "1"],
        [r"^ +1,000 +0 +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d .* 0$", r"^ +1,000 .* [1-9]\d*$"],
        set(),  # its targets are at 1,000,000 assignments
    ),
    (
        "bench_simulate.py",
        ["--users", "20", "--sample", "2", "--cycles", "1"],
        [r"^item level, 2 users .* item-syncs/s$", r"^fast path, 20 users: \d+\.\d\d s"],
        set(),
    ),
    (
        "bench_sweep.py",
        ["--cases", "4", "--counting-cycles", "1"],
        [r"^records identical in all three runs$", r"^speed-up over one process: --jobs 2 "],
        set(),
    ),
    (
        "bench_timeline.py",
        ["--sizes", "10", "--repeat", "1"],
        [r"^ +10 +\d+ +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d +-?\d+\.\d{3} \d+$"],
        set(),
    ),
    (
        "bench_earlier.py",
        ["--sizes", "200", "--repeat", "1"],
        [r"^ +\d+ +\d+\.\d\d +\d+\.\d\d +-?\d+\.\d{3} +1\.00x$"],
        set(),
    ),
    (
        "bench_docs.py",
        ["--rules", str(KB105_RULES), "--repeat", "1"],
        [r"^  plugin overhead: +-?\d+\.\d% \(target <= 50%\)$"],
        set(),
    ),
    (
        "bench_articles.py",
        ["--articles", "3", "--repeat", "1"],
        [r"^kb-lint, 1 process +\d+\.\d\d s", rf"^  {ONE_PROCESS}$", r"^Ratios of this run \(not"],
        set(),  # generated articles: not where issue 23 sets its targets
    ),
    (
        "bench_articles.py",
        ["--corpus", str(CORPUS), "--half", "held-out", "--repeat", "1"],
        [r"^29 articles", rf"^  {ONE_PROCESS}  \(target <= 1\.30x\)$"],
        {"articles-one-process", "articles-markdownlint"},
    ),
    (
        "bench_articles.py",
        ["--corpus", str(ROOT / "no-corpus"), "--half", "held-out"],
        [r"no-corpus: no corpus there .*: not measured$"],
        {"articles-one-process", "articles-markdownlint"},  # as not measured, with the reason
    ),
    (
        "bench_precision.py",
        ["--corpus", str(CORPUS), "--slips", "2"],
        [
            r"^\| riva \| KB-STYLE-001 terminology \| \d+ \| \d+ \|",
            r"^troubleshooting: KB-STYLE-003 repeated-word recall \d/2 ",
            r'^riva: seed article, 2 of 2 "a email" slips found$',
        ],
        {"precision", "recall"},
    ),
    (
        "bench_server.py",
        ["--assignments", "100", "--article-lines", "60", "--edits", "2"],
        [r"^\| deployment \| [\d,]+ lines", r"^\| article \| [\d,]+ lines"],
        set(),
    ),
    (
        "bench_hostile.py",
        ["--kind", "internal error: lone surrogate", "--jobs", "1"],
        [r"^inputs tried: 1 in 1 classes", r"^classes found: 0$"],
        set(),
    ),
    (
        "summary.py",
        [str(FIXTURES / "every-target.jsonl")],
        [r"^\| precision \(held-out half\) \| riva KB-STYLE-001 terminology \| 95\.1% .* met \|$"],
        set(),
    ),
]


def run(script: str, arguments: list[str], results: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BENCH_RESULTS": str(results), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, str(BENCH / script), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_every_script_has_a_run() -> None:
    scripts = {p.name for p in BENCH.glob("*.py") if '__name__ == "__main__"' in p.read_text()}
    assert scripts == {script for script, *_ in RUNS}


@pytest.mark.parametrize(
    ("script", "arguments", "lines", "targets"),
    RUNS,
    ids=[f"{script}-{n}" for n, (script, *_) in enumerate(RUNS)],
)
def test_script_runs_and_reports(
    tmp_path: Path, script: str, arguments: list[str], lines: list[str], targets: set[str]
) -> None:
    results = tmp_path / "results.jsonl"
    done = run(script, arguments, results)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    for line in lines:
        assert re.search(line, done.stdout, re.M), f"{line!r} not in:\n{done.stdout}"
    recorded = results.read_text().splitlines() if results.exists() else []
    assert {json.loads(line)["target"] for line in recorded} == targets


def test_summary_says_each_status_and_a_missing_target(tmp_path: Path) -> None:
    """Met, NOT met and not measured (with the reason) are figures: exit 0 when every target
    has a result; a target with none (its benchmark did not record it) is exit 1."""
    every = (FIXTURES / "every-target.jsonl").read_text().splitlines()
    done = run("summary.py", [str(FIXTURES / "every-target.jsonl")], tmp_path / "unused")
    assert done.returncode == 0, done.stderr
    assert len(re.findall(r"^\| .* \| (met|NOT met|not measured: .+) \|$", done.stdout, re.M)) == (
        len(every)
    )
    not_met = r"1 process / bare markdown-it-py parse .* 1\.35x .* NOT met \|$"
    assert re.search(not_met, done.stdout, re.M)
    assert "| not measured: no corpus at /elsewhere; make bench CORPUS=PATH |" in done.stdout
    partial = tmp_path / "partial.jsonl"
    partial.write_text("\n".join(line for line in every if "deployments" not in line) + "\n")
    done = run("summary.py", [str(partial)], tmp_path / "unused")
    assert done.returncode == 1
    assert "no result for: deployments-clean, deployments-overlapping" in done.stderr
    assert re.search(r"clean: .* \| not measured: no result recorded in .*partial", done.stdout)
