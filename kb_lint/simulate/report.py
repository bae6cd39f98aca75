"""A simulation as text (the per-cycle table and the final line) or as the SPEC's JSON object."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from kb_lint.simulate.run import Result
from kb_lint.simulate.sweep import CaseResult

COLUMNS = (
    ("cycle", "cycle"),
    ("mailbox_items", "mailbox items"),
    ("crm_records", "CRM records"),
    ("mailbox_copies_max", "max copies"),
    ("errors", "errors"),
    ("leftovers", "leftovers"),
)


def as_json(
    result: Result, scenario: str, seed: int, not_modelled: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "seed": seed,
        "cycles": [c.as_dict() for c in result.cycles],
        "final": result.final(),
        "mailboxes": result.mailboxes,
        "not_modelled": list(not_modelled),
    }


def render_json(result: Result, scenario: str, seed: int, not_modelled: Sequence[str] = ()) -> str:
    data = as_json(result, scenario, seed, not_modelled)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_text(result: Result, scenario: str, seed: int, not_modelled: Sequence[str] = ()) -> str:
    """The per-cycle table, the final line, and what the scenario gives that the model does not
    run (``kb_lint.simulate.coverage``)."""
    rows = [[str(getattr(c, key)) for key, _ in COLUMNS] for c in result.cycles]
    headers = [label for _, label in COLUMNS]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = [f"{scenario} (seed {seed})", _line(headers, widths, str.rjust)]
    lines += [_line(row, widths, str.rjust) for row in rows]
    lines.append(final_line(result))
    lines += not_modelled
    return "\n".join(lines) + "\n"


def _line(cells: list[str], widths: list[int], align: Callable[[str, int], str]) -> str:
    return "  ".join(align(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def final_line(result: Result) -> str:
    f = result.final()
    return (
        f"final: {f['crm_records']} CRM records ({f['crm_duplicates']} duplicates), "
        f"at most {f['mailbox_copies_max']} {_plural(f['mailbox_copies_max'], 'copy', 'copies')} "
        f"of a CRM record in a mailbox, {f['errors_total']} "
        f"{_plural(f['errors_total'], 'error', 'errors')} ({f['errors_last_cycle']} in the last "
        f"cycle), {f['leftovers']} {_plural(f['leftovers'], 'leftover', 'leftovers')}"
    )


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


SWEEP_FIELDS = (
    ("sync_errors", "errors"),
    ("mailbox_copies", "copies"),
    ("crm_duplicates", "CRM duplicates"),
)


def render_sweep(results: list[CaseResult], fmt: str) -> str:
    """The outcome matrix: each case, the rules' prediction / the simulated outcome, and a mark
    where they disagree."""
    if fmt == "json":
        return json.dumps([_sweep_json(r) for r in results], indent=2) + "\n"
    headers = ["names", "sync all", "email system", "instances"]
    headers += [label for _, label in SWEEP_FIELDS] + ["agree"]
    rows = []
    for r in results:
        c = r.case
        row = [c.names, "/".join("on" if s else "off" for s in c.sync_all), c.email_system, c.pair]
        row += [
            f"{_show(r.predicted.get(k))} / {_show(r.simulated.get(k))}" for k, _ in SWEEP_FIELDS
        ]
        row.append("yes" if not r.differences else "NO")
        rows.append(row)
    return table(
        headers, rows, fmt, "predicted by the rules / simulated", agreement(results, "cases")
    )


def agreement(results: Sequence[Any], what: str) -> str:
    """How many of ``results`` (each with ``differences``) the rules and the model agree on."""
    wrong = sum(1 for r in results if r.differences)
    if not wrong:
        return f"{len(results)} {what}: rules / model agree on all"
    return f"{len(results)} {what}: rules and model DISAGREE on {wrong}"


def table(headers: list[str], rows: list[list[str]], fmt: str, cells: str, summary: str) -> str:
    """``rows`` under ``headers`` as aligned text or a Markdown table, then what each cell holds
    and the summary."""
    if fmt == "markdown":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join([*lines, "", f"Each cell: {cells}. {summary}."]) + "\n"
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    lines = [_line(headers, widths, str.ljust)]
    lines += [_line(row, widths, str.ljust) for row in rows]
    lines.append(f"each cell: {cells}; {summary}")
    return "\n".join(lines) + "\n"


def _sweep_json(result: CaseResult) -> dict[str, Any]:
    c = result.case
    return {
        "names": c.names,
        "sync_all_items": list(c.sync_all),
        "email_system": c.email_system,
        "instances": c.pair,
        "predicted": result.predicted,
        "simulated": result.simulated,
        "differences": result.differences,
    }


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "-" if value is None else str(value)
