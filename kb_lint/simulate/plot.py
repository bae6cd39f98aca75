"""The per-cycle curves of a run as a Vega-Lite chart: one labelled panel per measure (CRM
duplicates and mailbox copies first), the timeline's events marked where they happen.

``chart_spec`` writes the Vega-Lite specification as data (the site embeds it, interactive; a
builder such as altair took 0.5 s and more per chart, and the site draws dozens); ``render``
draws it to SVG or PNG with vl-convert (Vega-Lite's own engine), without a browser. An event
scheduled before cycle N is drawn as a dashed line at N - 0.5, between the cycle before it and
the one it precedes, labelled with its action; each panel writes its last value beside its last
point. A measure that spans orders of magnitude (the CRM doubling each cycle under sync all
items) gets a logarithmic axis, said in its title (symlog, so that a cycle at 0 is drawn).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_lint.simulate.run import Result
from kb_lint.simulate.scenario import Setup

# Each measure of a cycle: the record's key, the panel's title, the y axis, the colour.
MEASURES = (
    ("crm_duplicates", "CRM duplicates", "duplicate CRM records", "#d62728"),
    ("mailbox_copies_max", "Mailbox copies", "most copies of one CRM record", "#9467bd"),
    ("errors", "Sync errors", "errors in the cycle", "#ff7f0e"),
    ("crm_records", "CRM records", "records in the CRM", "#2ca02c"),
    ("mailbox_items", "Mailbox items", "items in the mailboxes", "#1f77b4"),
    ("leftovers", "Leftovers", "unused Riva containers", "#8c564b"),
)
FORMATS = (".svg", ".png")
VEGA_LITE = "https://vega.github.io/schema/vega-lite/v6.json"  # the version vl-convert draws
PANEL_WIDTH, PANEL_HEIGHT = 300, 150


def events_of(setup: Setup) -> list[dict[str, Any]]:
    """The timeline's events as plot marks: the cycle they precede and a short label."""
    marks: list[dict[str, Any]] = []
    for cycle in sorted(setup.schedule):
        if cycle > setup.cycles:
            continue
        for event in setup.schedule[cycle]:
            who = event.policy or event.email or ""
            label = f"{cycle}: {event.action} {event.instance or ''} {who}".strip()
            marks.append(
                {"at": cycle - 0.5, "cycle": cycle, "label": label, "y": 8 + 11 * len(marks)}
            )
    return marks


def _ticks(values: list[int]) -> list[int]:
    """Whole-number ticks from 0 past the largest value, 1, 2 or 5 times a power of ten apart,
    at most six."""
    top = max([*values, 1])
    step = 1
    while step * 5 < top:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return list(range(0, -(-top // step) * step + 1, step))


def _spans_orders(values: list[int]) -> bool:
    """The values reach 10,000 and span more than three orders of magnitude: a linear axis
    would flatten all but the last few points, so the panel's axis is logarithmic."""
    positive = [v for v in values if v > 0]
    return bool(positive) and max(positive) >= 10_000 and max(positive) > 1000 * min(positive)


def chart_spec(result: Result, setup: Setup, title: str) -> dict[str, Any]:
    """The Vega-Lite specification: one panel per measure, two across."""
    rows = [c.as_dict() for c in result.cycles]
    marks = events_of(setup)
    last = max(setup.cycles, 1)
    cycles = list(range(1, last + 1))
    x = {
        "field": "cycle",
        "type": "quantitative",
        "title": "cycle",
        "scale": {"domain": [0.5, last + 0.5], "nice": False},
        "axis": {"values": _ticks(cycles)[1:] if last > 12 else cycles, "format": "d"},
    }
    panels = [_panel(measure, rows, marks, x) for measure in MEASURES]
    return {"$schema": VEGA_LITE, "title": title, "columns": 2, "concat": panels}


def _panel(
    measure: tuple[str, str, str, str],
    rows: list[dict[str, int]],
    marks: list[dict[str, Any]],
    x: dict[str, Any],
) -> dict[str, Any]:
    """One measure's panel: its line, its last value, and the timeline's events."""
    key, name, axis, colour = measure
    values = [row[key] for row in rows]
    if _spans_orders(values):
        powers = [10**n for n in range(len(str(max(values))))]
        y = {
            "field": key,
            "type": "quantitative",
            "title": f"{axis} (log scale)",
            "scale": {"type": "symlog", "domain": [0, powers[-1] * 10], "nice": False},
            "axis": {
                "values": [0, *powers[:: -(-len(powers) // 6)]],
                "labelExpr": "datum.value == 0 ? '0' : format(datum.value, '.0e')",
            },
        }
    else:
        ticks = _ticks(values)
        y = {
            "field": key,
            "type": "quantitative",
            "title": axis,
            "scale": {"domain": [0, ticks[-1]], "nice": False},
            "axis": {"values": ticks, "format": "d"},
        }
    value = {"field": key, "type": "quantitative", "title": name}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": rows},
            "mark": {"type": "line", "color": colour, "point": {"color": colour, "size": 30}},
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": [{"field": "cycle", "type": "quantitative"}, value],
            },
        },
        {
            "data": {"values": rows[-1:]},
            "mark": {
                "type": "text",
                "align": "right",
                "dx": -6,
                "dy": -8,
                "fontWeight": "bold",
                "color": colour,
            },
            "encoding": {"x": x, "y": y, "text": {**value, "format": ","}},
        },
    ]
    if marks:
        at = {"field": "at", "type": "quantitative"}
        layers += [
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#555"},
                "encoding": {"x": at, "tooltip": [{"field": "label", "type": "nominal"}]},
            },
            {
                "data": {"values": marks},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 3,
                    "fontSize": 9,
                    "color": "#333",
                    "limit": PANEL_WIDTH - 20,
                },
                "encoding": {
                    "x": at,
                    "y": {"field": "y", "type": "quantitative", "scale": None, "axis": None},
                    "text": {"field": "label", "type": "nominal"},
                },
            },
        ]
    return {"title": name, "width": PANEL_WIDTH, "height": PANEL_HEIGHT, "layer": layers}


def render(spec: dict[str, Any], suffix: str) -> bytes:
    """The chart as SVG or PNG bytes."""
    import vl_convert

    if suffix == ".png":
        return bytes(vl_convert.vegalite_to_png(spec, scale=2))
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def write_plot(path: Path, result: Result, setup: Setup, title: str) -> None:
    """Draw the run into ``path``, SVG or PNG by its extension."""
    path.write_bytes(render(chart_spec(result, setup, title), path.suffix.lower()))
