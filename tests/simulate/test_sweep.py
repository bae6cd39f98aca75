"""Sweeps over one's own grid: grid files, a scenario's ``sweep:``, JSON, CSV, executors."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.sources import rule_set
from kb_lint.simulate.executor import DASK_HINT, ExecutorError, batches, run_sweep
from kb_lint.simulate.grid import read_grid
from kb_lint.simulate.sweep import Sweep
from tests.conftest import ROOT

SCENARIOS = ROOT / "examples" / "scenarios"
GRID = """\
title: names and sizes
scenario: {base}
axes:
  - {{field: instances.onprem-prod.policies.Sales.sync_all_items, values: [false, true]}}
  - {{field: users, values: [1, 3]}}
  - {{field: seed, values: [1, 2]}}
  - name: timeline
    variants:
      none: {{timeline: []}}
      disable cloud:
        timeline: [{{cycle: 2, action: disable-policy, instance: riva-cloud, policy: Trial}}]
"""


def write_grid(folder: Path, text: str = GRID) -> Path:
    path = folder / "grid.yaml"
    path.write_text(text.format(base=SCENARIOS / "different-names.yaml"), encoding="utf-8")
    return path


def test_a_grid_file_sweeps_fields_sizes_seeds_and_timelines(kb_lint, tmp_path):
    proc = kb_lint("simulate", "--grid", write_grid(tmp_path), "--format", "json")
    sweep = json.loads(proc.stdout)
    # Exit 1 exactly when the rules and the model disagree on a case.
    assert proc.returncode == (1 if any(c["differences"] for c in sweep["cases"]) else 0)
    assert [a["name"] for a in sweep["grid"]["axes"]] == [
        "instances.onprem-prod.policies.Sales.sync_all_items",
        "users",
        "seed",
        "timeline",
    ]
    cases = sweep["cases"]
    assert len(cases) == sweep["grid"]["cases"] == 16
    assert [c["case"] for c in cases] == list(range(16))
    assert {c["seed"] for c in cases} == {1, 2}
    sync_all = "instances.onprem-prod.policies.Sales.sync_all_items"
    for case in cases:
        final, values = case["final"], case["values"]
        # Sync all items in one of two instances duplicates records; without it, none.
        assert (final["crm_duplicates"] > 0) == values[sync_all], case
        assert case["simulated"]["crm_duplicates"] == values[sync_all]
    # Three copies of the two users are three times the two: 20 original records each.
    small = next(c for c in cases if c["values"]["users"] == 1 and not c["values"][sync_all])
    big = next(c for c in cases if c["values"]["users"] == 3 and not c["values"][sync_all])
    assert (small["final"]["crm_records"], big["final"]["crm_records"]) == (40, 120)


def test_the_csv_has_one_row_per_case(kb_lint, tmp_path):
    proc = kb_lint("simulate", "--grid", write_grid(tmp_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 16
    assert {"case", "users", "seed", "final.crm_duplicates", "simulated.sync_errors"} <= set(
        rows[0]
    )
    assert rows[5]["case"] == "5" and rows[5]["timeline"] == "disable cloud"


def test_a_scenario_sweeps_its_own_grid(kb_lint):
    path = SCENARIOS / "sync-all-one-of-three.yaml"
    proc = kb_lint("simulate", "--sweep", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    sweep = json.loads(proc.stdout)
    assert sweep["grid"]["mailbox"] == "ann.lee@acme.example"
    cases = sweep["cases"]
    assert len(cases) == 12 and not any(c["differences"] for c in cases)
    # Sync all items in any one of three instances duplicates records, at any estate size;
    # fifty users are fifty times one.
    assert all(c["final"]["crm_duplicates"] for c in cases)
    by_size = {(c["values"]["sync all items in"], c["values"]["cycles"]): [] for c in cases}
    for c in cases:
        by_size[c["values"]["sync all items in"], c["values"]["cycles"]].append(c)
    for one, fifty in by_size.values():
        assert fifty["final"]["crm_duplicates"] == 50 * one["final"]["crm_duplicates"]


@pytest.mark.parametrize(
    ("axes", "line", "message"),
    [
        ("  - {field: instances.*.policies.*.colour, values: [red]}", 4, "unknown policy field"),
        ("  - {field: instances.nobody.enabled, values: [true]}", 4, "matches nothing"),
        ("  - {field: users, values: [0]}", 4, "users (the estate size) is 1 to"),
        ("  - {field: instances.*.policies.*.email_system, values: [lotus]}", 4, "bad scenario"),
        ("  - {field: cycles, values: [2], size: 3}", 4, "unknown key 'size'"),
    ],
)
def test_a_bad_grid_is_one_message_at_its_place(kb_lint, tmp_path, axes, line, message):
    path = tmp_path / "grid.yaml"
    path.write_text(
        f"scenario: {SCENARIOS / 'same-names.yaml'}\naxes:\n  - {{field: seed, values: [1]}}\n"
        f"{axes}\n",
        encoding="utf-8",
    )
    proc = kb_lint("simulate", "--grid", path)
    assert proc.returncode == 2, proc.stdout
    assert f"grid.yaml:{line}:" in proc.stderr and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_batches_cover_every_case_once():
    for size, workers in ((1, 1), (7, 2), (10_000, 2), (10_000, 100)):
        numbers = [n for batch in batches(size, workers) for n in batch]
        assert numbers == list(range(size))


@pytest.fixture(scope="module")
def sweep() -> Sweep:
    packs = rule_set(None, None)
    grid = read_grid(ROOT / "rules" / "kb-105" / "grid.yaml", vocabulary_of(packs))
    return Sweep.of(grid, None, None, None, None)


def test_local_processes_give_the_one_process_records(sweep):
    assert run_sweep(sweep, "local", jobs=2) == run_sweep(sweep)


def test_a_dask_local_cluster_gives_the_one_process_records(sweep):
    pytest.importorskip("dask.distributed")
    assert run_sweep(sweep, "dask", jobs=2, processes=False) == run_sweep(sweep)


def test_without_dask_the_executor_says_how_to_get_it(sweep, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ExecutorError, match=r"pip install \"kb-lint\[dask\]\""):
        run_sweep(sweep, "dask")
    assert "kb-lint[dask]" in DASK_HINT


def test_the_cli_on_a_local_cluster_prints_the_one_process_json(kb_lint, tmp_path):
    pytest.importorskip("dask.distributed")
    path = write_grid(tmp_path)
    one = kb_lint("simulate", "--grid", path, "--format", "json")
    cluster = kb_lint(
        "simulate", "--grid", path, "--format", "json", "--executor", "dask", "--jobs", "2"
    )
    assert cluster.returncode == one.returncode, cluster.stderr
    assert cluster.stdout == one.stdout
