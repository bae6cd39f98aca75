"""``--trace``: every item-level event, why it happened, streamed, filtered; both paths agree."""

from __future__ import annotations

import json
import re

import pytest

from kb_lint.simulate import WorldTooLarge, read_scenario, run_items, run_scenario, simulate
from kb_lint.simulate.fast import run_fast
from kb_lint.simulate.trace import EVENTS, TraceFilter, collector
from tests.conftest import ROOT

SCENARIOS = ROOT / "examples" / "scenarios"
FIELDS = {"cycle", "event", "why", "instance", "policy", "mailbox", "type", "item", "record"}


def test_the_trace_counts_what_the_table_shows(kb_lint, tmp_path):
    out = tmp_path / "run.jsonl"
    path = SCENARIOS / "sync-all-one-of-three.yaml"
    proc = kb_lint("simulate", path, "--cycles", "4", "--trace", out, "--format", "json")
    final = json.loads(proc.stdout)["final"]
    events = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert all(set(e) >= FIELDS and e["event"] in EVENTS for e in events)
    duplicated = [e for e in events if e["event"] == "duplicated"]
    assert sum(e["weight"] for e in duplicated) == final["crm_duplicates"] == 176
    first = duplicated[0]
    assert first["why"] == "M4" and first["instance"] == "riva-branch"
    assert first["duplicate_of"] < first["record"]
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file is gone


def test_errors_skips_and_clean_ups_say_which_assumption_decided(kb_lint):
    seen = {}
    for name in (
        "same-names.yaml",
        "migration-by-the-book.yaml",
        "migration-skipping-cleanup.yaml",
    ):
        proc = kb_lint("simulate", SCENARIOS / name, "--trace", "-")
        assert proc.stderr.startswith("final: "), proc.stderr
        for line in proc.stdout.splitlines():
            event = json.loads(line)
            seen.setdefault(event["event"], set()).add(event["why"])
    assert seen["copied"] == {"M5"}
    assert seen["error"] <= {"M2", "M3"} and seen["error"]
    assert "M7" in seen["cleaned"]
    assert all(re.fullmatch(r"M\d+", why) for whys in seen.values() for why in whys)


def test_filters_by_mailbox_and_cycle(kb_lint):
    path = SCENARIOS / "same-names.yaml"
    everything = kb_lint("simulate", path, "--trace", "-").stdout.splitlines()
    mailbox = json.loads(everything[0])["mailbox"]
    kept = kb_lint(
        "simulate", path, "--trace", "-", "--trace-mailbox", mailbox, "--trace-cycles", "2-3"
    ).stdout.splitlines()
    events = [json.loads(line) for line in kept]
    assert events and all(e["mailbox"] == mailbox and 2 <= e["cycle"] <= 3 for e in events)
    assert kept == [
        line
        for line in everything
        if json.loads(line)["mailbox"] == mailbox and 2 <= json.loads(line)["cycle"] <= 3
    ]


def test_the_fast_path_and_the_item_level_path_give_the_same_trace():
    # Every mailbox of these scenarios is unlike the others, so the fast path runs them all.
    for name in ("sync-all-one-of-three.yaml", "migration-skipping-cleanup.yaml"):
        setup = read_scenario(SCENARIOS / name, cycles=4).setup
        fast, fast_sink = collector(TraceFilter())
        items, items_sink = collector(TraceFilter())
        run_fast(setup, fast_sink)
        run_items(setup, sink=items_sink)
        assert fast == items and fast


def test_identical_mailboxes_are_traced_once_with_their_weight():
    scenario = read_scenario(SCENARIOS / "same-names.yaml", cycles=2)
    fast, sink = collector(TraceFilter())
    items, items_sink = collector(TraceFilter())
    simulate(scenario, sink=sink)
    simulate(scenario, item_level=True, sink=items_sink)
    assert sum(e["weight"] for e in fast) == len(items)
    assert {e["weight"] for e in fast} == {2}


def test_the_python_api_returns_plain_records():
    run = run_scenario(SCENARIOS / "sync-all-one-of-three.yaml", cycles=3, trace=True)
    assert [c["cycle"] for c in run.cycles] == [1, 2, 3]
    assert run.final["crm_duplicates"] == sum(
        e["weight"] for e in run.trace if e["event"] == "duplicated"
    )
    json.dumps([run.cycles, run.final, run.mailboxes, run.trace])  # plain data


def guide_example(heading: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the first Python example of the simulator guide's section ``heading`` from the
    project's root; return its section."""
    guide = (ROOT / "docs" / "simulator.md").read_text("utf-8")
    section = guide[guide.index(heading) :]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    assert example and "run_scenario" in example.group(1)
    monkeypatch.chdir(ROOT)
    exec(compile(example.group(1), "docs/simulator.md", "exec"), {})
    return section


def test_the_worked_example_of_the_simulator_guide_runs(monkeypatch, capsys):
    pytest.importorskip("pandas")
    guide_example("## From Python", monkeypatch)
    printed = capsys.readouterr().out
    assert printed == "{1: 8, 2: 24, 3: 48, 4: 96, 5: 96, 6: 192}\n"  # new duplicates per cycle


def test_a_run_that_outgrows_the_limit_stops_with_the_cycle_that_did_it():
    scenario = read_scenario(SCENARIOS / "sync-all-one-of-three.yaml")
    with pytest.raises(WorldTooLarge, match=r"^cycle 6: the model holds 1,\d{3} CRM records"):
        run_fast(scenario.setup, limit=1_000)
    assert simulate(scenario, limits=False).final()["crm_duplicates"] == 15_344
