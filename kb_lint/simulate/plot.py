"""The per-cycle curves of a run as a Vega-Lite chart: one labelled panel per measure (CRM
duplicates and mailbox copies first), the timeline's events marked where they happen.

``chart_spec`` builds the Vega-Lite specification with altair (the site embeds it, interactive);
``render`` draws it to SVG or PNG with vl-convert, without a browser. An event scheduled before
cycle N is drawn as a dashed line at N - 0.5, between the cycle before it and the one it
precedes, labelled with its action; each panel writes its last value beside the last point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt

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


def chart_spec(result: Result, setup: Setup, title: str) -> dict[str, Any]:
    """The Vega-Lite specification: one panel per measure, two across."""
    rows = [c.as_dict() for c in result.cycles]
    marks = events_of(setup)
    last = max(setup.cycles, 1)
    x = alt.X("cycle:Q", title="cycle", scale=alt.Scale(domain=[0.5, last + 0.5], nice=False))
    x = x.axis(
        values=_ticks(list(range(1, last + 1)))[1:] if last > 12 else list(range(1, last + 1)),
        format="d",
    )
    panels = []
    for key, name, axis, colour in MEASURES:
        ticks = _ticks([row[key] for row in rows])
        y = alt.Y(f"{key}:Q", title=axis, scale=alt.Scale(domain=[0, ticks[-1]], nice=False))
        line = (
            alt.Chart(alt.Data(values=rows))
            .mark_line(point=alt.OverlayMarkDef(color=colour, size=30), color=colour)
            .encode(
                x=x,
                y=y.axis(values=ticks, format="d"),
                tooltip=[alt.Tooltip("cycle:Q"), alt.Tooltip(f"{key}:Q", title=name)],
            )
        )
        final = (
            alt.Chart(alt.Data(values=rows[-1:]))
            .mark_text(align="right", dx=-6, dy=-8, fontWeight="bold", color=colour)
            .encode(x="cycle:Q", y=y, text=alt.Text(f"{key}:Q", format=","))
        )
        layers: list[Any] = [line, final]
        if marks:
            events = alt.Chart(alt.Data(values=marks))
            layers.append(
                events.mark_rule(strokeDash=[4, 3], color="#555").encode(
                    x="at:Q", tooltip=["label:N", "cycle:Q"]
                )
            )
            layers.append(
                events.mark_text(
                    align="left", dx=3, fontSize=9, color="#333", limit=PANEL_WIDTH - 20
                ).encode(x="at:Q", y=alt.Y("y:Q", scale=None, axis=None), text="label:N")
            )
        panels.append(
            alt.layer(*layers).properties(title=name, width=PANEL_WIDTH, height=PANEL_HEIGHT)
        )
    chart = alt.concat(*panels, columns=2).properties(title=title)
    return chart.to_dict()


def render(spec: dict[str, Any], suffix: str) -> bytes:
    """The chart as SVG or PNG bytes."""
    import vl_convert

    if suffix == ".png":
        return bytes(vl_convert.vegalite_to_png(spec, scale=2))
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def write_plot(path: Path, result: Result, setup: Setup, title: str) -> None:
    """Draw the run into ``path``, SVG or PNG by its extension."""
    path.write_bytes(render(chart_spec(result, setup, title), path.suffix.lower()))
