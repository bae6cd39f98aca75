"""The counting path: classes of identical records and items, counted, give the item-level
result wherever both run, and answer what the item-level path cannot hold (30 cycles)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import (
    WorldTooLarge,
    read_scenario,
    run_counting,
    run_fast,
    run_items,
    run_scenario,
    scenario_from_data,
    simulate,
)
from kb_lint.simulate.plot import chart_spec
from kb_lint.simulate.trace import TraceFilter, collector
from kb_lint.strategies import (
    WHAT_WORDS,
    crm_data,
    deployments,
    migrations,
    plans,
    to_yaml,
    with_contacts,
    with_locked_change,
    with_meetings,
    with_new_address,
)
from tests.conftest import ROOT
from tests.simulate.test_trace import guide_example

SCENARIOS = ROOT / "examples" / "scenarios"
ONE_OF_THREE = SCENARIOS / "sync-all-one-of-three.yaml"
DUPLICATES_AFTER_30 = 318_504_944  # docs/simulator.md gives this figure
VOCABULARY = vocabulary_of(load_packs(ROOT / "rules"))  # KB519's fields, which M13 runs


def _totals(events: list[dict[str, Any]], counted: bool) -> Counter:
    """Items per kind of event: the counting path's events each stand for ``count`` items."""
    totals: Counter = Counter()
    for e in events:
        key = tuple(e.get(k) for k in ("cycle", "event", "why", "instance", "policy", "mailbox"))
        key += tuple(e.get(k) for k in ("type", "owner", "to", "folder", "crm_user", "weight"))
        totals[key] += e["count"] if counted else 1
    return totals


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_bundled_scenarios_count_as_they_run_item_by_item(path):
    setup = read_scenario(path).setup
    counted, fast = collector(TraceFilter())
    itemised, items = collector(TraceFilter())
    assert run_counting(setup, fast) == run_fast(setup, items)
    assert run_counting(setup) == run_items(setup)
    assert _totals(counted, True) == _totals(itemised, False)


@st.composite
def moves(draw: st.DrawFn) -> dict[str, Any]:
    """A move from Riva Cloud to Riva On-Premise, Riva data of some kinds removed midway."""
    covers = draw(st.sets(st.sampled_from(WHAT_WORDS), min_size=1))
    steps = ["disable-policy", "delete-account", "remove-riva-data", "add-user"]
    chosen = draw(st.permutations(steps))[: draw(st.integers(1, 4))]
    return draw(migrations()).scenario((n, action, covers) for n, action in enumerate(chosen))


@settings(max_examples=80, derandomize=True, deadline=None)
@given(
    st.one_of(plans(), deployments(), moves())
    .flatmap(with_contacts)
    .flatmap(with_new_address)
    .flatmap(with_locked_change)
    .flatmap(with_meetings),
    crm_data(),
    st.fixed_dictionaries({"contacts": st.integers(0, 2), "appointments": st.integers(0, 2)}),
    st.integers(1, 3),
    st.integers(0, 5),
)
def test_counting_gives_the_item_level_result(data, crm, own, more, seed):
    """Any deployment or plan, with CRM records and the user's own items, a few cycles past
    the last change, address books and CRMs holding contacts twice (M13), a user back under
    a new address (M14), a setting fixed at the first save changed (M12, M15), meetings
    matched under drawn Attendee Syncing options (M16): the same
    measures each cycle, the same outcomes, and as many items in the trace's events of each
    kind."""
    data = {**data, "crm": crm, "mailbox": {"user_items": own}, "seed": seed}
    data["cycles"] = data.get("cycles", 1) + more
    note(to_yaml(data))
    setup = scenario_from_data(data, vocabulary=VOCABULARY).setup
    counted, counted_sink = collector(TraceFilter())
    itemised, items_sink = collector(TraceFilter())
    assert run_counting(setup, counted_sink) == run_fast(setup, items_sink) == run_items(setup)
    assert _totals(counted, True) == _totals(itemised, False)


def test_thirty_cycles_of_sync_all_items_in_one_of_three_instances(kb_lint, tmp_path):
    trace = tmp_path / "dup.jsonl"
    proc = kb_lint(
        "simulate", ONE_OF_THREE, "--counting", "--cycles", "30", "--format", "json",
        "--trace", trace,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # duplicates
    run = json.loads(proc.stdout)
    assert run["final"]["crm_duplicates"] == DUPLICATES_AFTER_30
    assert len(run["cycles"]) == 30
    events = [json.loads(line) for line in trace.read_text("utf-8").splitlines()]
    duplicated = [e for e in events if e["event"] == "duplicated"]
    assert sum(e["count"] * e["weight"] for e in duplicated) == DUPLICATES_AFTER_30
    assert len(events) < 1_000  # one event per class and step, not per item
    assert {e["item"] for e in events} == {None}


def test_the_plot_of_thirty_cycles_reads_the_answer_on_a_log_scale():
    scenario = read_scenario(ONE_OF_THREE, cycles=30)
    spec = chart_spec(simulate(scenario, counting=True), scenario.setup, "run")
    duplicates, copies = spec["concat"][:2]
    line, last = duplicates["layer"][:2]
    assert line["encoding"]["y"]["title"] == "duplicate CRM records (log scale)"
    assert line["encoding"]["y"]["scale"]["type"] == "symlog"
    assert last["data"]["values"][0]["crm_duplicates"] == DUPLICATES_AFTER_30
    assert last["encoding"]["text"]["format"] == ","  # written 318,504,944 beside the point
    assert "scale" not in copies["layer"][0]["encoding"]["y"]["title"]  # 3 at most: linear


def test_the_trace_filters_keep_their_meaning_on_the_counting_path():
    run = run_scenario(ONE_OF_THREE, cycles=30, counting=True, trace=True, trace_cycles=(30, 30))
    before, last = run.cycles[-2]["crm_duplicates"], run.cycles[-1]["crm_duplicates"]
    assert {e["cycle"] for e in run.trace} == {30}
    assert sum(e["count"] for e in run.trace if e["event"] == "duplicated") == last - before
    other = run_scenario(ONE_OF_THREE, cycles=3, counting=True, trace=True, mailboxes=["x@y.z"])
    assert other.trace == []


def test_the_counting_path_is_bounded_by_classes_and_by_count(monkeypatch):
    setup = replace(read_scenario(ONE_OF_THREE).setup, cycles=30)
    with pytest.raises(WorldTooLarge, match=r"^cycle 1: the model holds \d+ classes of CRM"):
        run_counting(setup, limit=5)
    monkeypatch.setattr("kb_lint.simulate.run.MAX_COUNT", 10**6)
    with pytest.raises(WorldTooLarge, match=r"reaches about 10\^6, more than the supported 10\^6"):
        run_counting(setup)
    assert run_counting(setup, limit=None).final()["crm_duplicates"] == DUPLICATES_AFTER_30


def test_the_item_paths_point_to_the_counting_path_when_the_world_outgrows_them(kb_lint):
    setup = replace(read_scenario(ONE_OF_THREE).setup, cycles=30)
    with pytest.raises(
        WorldTooLarge, match=r"^cycle 6: .* \(fewer cycles, kb-lint simulate --count"
    ):
        run_fast(setup, limit=1_000)
    both = kb_lint("simulate", ONE_OF_THREE, "--counting", "--item-level")
    assert both.returncode == 2 and "choose one" in both.stderr


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--counting"], "a sweep runs each case through the fast path"),
        (["--item-level"], "a sweep runs each case through the fast path"),
        (["--trace", "-"], "--trace and its filters follow one scenario's run"),
        (["--trace-cycles", "2"], "--trace and its filters follow one scenario's run"),
    ],
)
def test_a_sweep_refuses_the_options_of_one_run(kb_lint, option, said):
    proc = kb_lint("simulate", "--sweep", ONE_OF_THREE, *option)
    assert proc.returncode == 2 and said in proc.stderr, proc.stderr


def test_the_worked_answer_of_the_simulator_guide_runs(monkeypatch, capsys):
    section = guide_example("## Thirty cycles", monkeypatch)
    printed = capsys.readouterr().out
    assert printed == "318,504,944 duplicates after 30 cycles, from 628 trace events\n"
    assert f"{DUPLICATES_AFTER_30:,} duplicate CRM records** after 30 cycles" in section
    assert f"({DUPLICATES_AFTER_30:,} duplicates)" in section  # the console block
