"""``--plot``: one labelled panel per measure, CRM duplicates first, the timeline marked."""

from __future__ import annotations

from kb_lint.simulate import read_scenario, simulate
from kb_lint.simulate.plot import MEASURES, chart_spec
from tests.conftest import ROOT

SCENARIOS = ROOT / "examples" / "scenarios"


def test_each_measure_is_its_own_labelled_panel_with_the_timeline_marked():
    scenario = read_scenario(SCENARIOS / "migration-skipping-cleanup.yaml")
    spec = chart_spec(simulate(scenario), scenario.setup, "run")
    panels = spec["concat"]
    assert [p["title"] for p in panels] == [name for _, name, _, _ in MEASURES]
    assert [p["title"] for p in panels][:2] == ["CRM duplicates", "Mailbox copies"]
    for panel, (key, _, axis, _) in zip(panels, MEASURES, strict=True):
        line = panel["layer"][0]
        assert line["encoding"]["y"]["field"] == key and line["encoding"]["y"]["title"] == axis
        assert line["encoding"]["x"]["title"] == "cycle"
        rules = [layer for layer in panel["layer"] if layer["mark"]["type"] == "rule"]
        assert len(rules) == 1
        marks = rules[0]["data"]["values"]
    # Two events before cycle 3 and one before cycle 4, drawn between the cycles.
    assert sorted((m["at"], m["label"].split(":")[0]) for m in marks) == [
        (2.5, "3"),
        (2.5, "3"),
        (3.5, "4"),
    ]


def test_the_plot_is_drawn_to_svg_and_png(kb_lint, tmp_path):
    path = SCENARIOS / "sync-all-one-of-three.yaml"
    svg, png = tmp_path / "run.svg", tmp_path / "run.png"
    proc = kb_lint("simulate", path, "--cycles", "4", "--plot", svg)
    assert proc.returncode == 1, proc.stderr  # duplicates
    text = svg.read_text("utf-8")
    assert text.startswith("<svg") and "CRM duplicates" in text and "duplicate CRM records" in text
    assert "176" in text  # the last value, written beside the last point
    assert kb_lint("simulate", path, "--cycles", "4", "--plot", png).returncode == 1
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
