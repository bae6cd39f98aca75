"""The per-cycle curves of a simulation as an SVG: one small chart per measure, cycles across."""

from __future__ import annotations

from xml.sax.saxutils import escape

from kb_lint.simulate.run import Result

SERIES = (
    ("mailbox_items", "Mailbox items", "#1f77b4"),
    ("crm_records", "CRM records", "#2ca02c"),
    ("mailbox_copies_max", "Most copies of one CRM record", "#9467bd"),
    ("errors", "Errors per cycle", "#d62728"),
    ("leftovers", "Leftover Riva containers", "#8c564b"),
)
PANEL_W, PANEL_H = 300, 170
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 56, 14, 30, 30
COLUMNS = 3


def render_svg(result: Result, title: str) -> str:
    rows = -(-len(SERIES) // COLUMNS)
    width, height = COLUMNS * PANEL_W, rows * PANEL_H + 36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for n, (key, label, colour) in enumerate(SERIES):
        x0, y0 = (n % COLUMNS) * PANEL_W, 36 + (n // COLUMNS) * PANEL_H
        values = [getattr(c, key) for c in result.cycles]
        parts.append(_panel(x0, y0, label, colour, [c.cycle for c in result.cycles], values))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _panel(x0: int, y0: int, label: str, colour: str, cycles: list[int], values: list[int]) -> str:
    left, top = x0 + MARGIN_L, y0 + MARGIN_T
    w, h = PANEL_W - MARGIN_L - MARGIN_R, PANEL_H - MARGIN_T - MARGIN_B
    top_value = max(values, default=0) or 1
    first, last = (cycles[0], cycles[-1]) if cycles else (1, 1)
    span = (last - first) or 1

    def x(cycle: int) -> float:
        return left + (cycle - first) / span * w

    def y(value: int) -> float:
        return top + h - value / top_value * h

    points = " ".join(f"{x(c):.1f},{y(v):.1f}" for c, v in zip(cycles, values, strict=True))
    dots = "".join(
        f'<circle cx="{x(c):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"/>'
        for c, v in zip(cycles, values, strict=True)
    )
    return (
        f'<g><text x="{left}" y="{y0 + 18}" font-weight="bold">{escape(label)}</text>'
        f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#888"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#888"/>'
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{top_value}</text>'
        f'<text x="{left - 6}" y="{top + h + 4}" text-anchor="end">0</text>'
        f'<text x="{left}" y="{top + h + 16}" text-anchor="middle">{first}</text>'
        f'<text x="{left + w}" y="{top + h + 16}" text-anchor="middle">{last}</text>'
        f'<text x="{left + w / 2}" y="{top + h + 16}" text-anchor="middle" fill="#666">cycle</text>'
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        f"{dots}</g>"
    )
