"""A simulation as text (the per-cycle table and the final line) or as the SPEC's JSON object."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from kb_lint.simulate.coverage import BUILT_IN_VALUES, NotModelled
from kb_lint.simulate.grid import Grid
from kb_lint.simulate.run import Result
from kb_lint.simulate.sweep import Case

COLUMNS = (
    ("cycle", "cycle"),
    ("mailbox_items", "mailbox items"),
    ("crm_records", "CRM records"),
    ("crm_duplicates", "CRM duplicates"),
    ("mailbox_copies_max", "max copies"),
    ("errors", "errors"),
    ("leftovers", "leftovers"),
)


def as_json(
    result: Result, scenario: str, seed: int, not_modelled: Sequence[NotModelled] = ()
) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "seed": seed,
        "cycles": [c.as_dict() for c in result.cycles],
        "final": result.final(),
        "mailboxes": result.mailboxes,
        "not_modelled": [part.as_dict() for part in not_modelled],
    }


def render_json(
    result: Result, scenario: str, seed: int, not_modelled: Sequence[NotModelled] = ()
) -> str:
    data = as_json(result, scenario, seed, not_modelled)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_text(
    result: Result, scenario: str, seed: int, not_modelled: Sequence[NotModelled] = ()
) -> str:
    """The per-cycle table, the final line, and what the scenario gives that the model does not
    run (``kb_lint.simulate.coverage``)."""
    rows = [[str(getattr(c, key)) for key, _ in COLUMNS] for c in result.cycles]
    headers = [label for _, label in COLUMNS]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = [f"{scenario} (seed {seed})", _line(headers, widths, str.rjust)]
    lines += [_line(row, widths, str.rjust) for row in rows]
    lines.append(final_line(result))
    lines += [part.text for part in not_modelled]
    return "\n".join(lines) + "\n"


def _line(cells: list[str], widths: list[int], align: Callable[[str, int], str]) -> str:
    return "  ".join(align(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def final_line(result: Result) -> str:
    f = result.final()
    return (
        f"final: {f['crm_records']:,} CRM records ({f['crm_duplicates']:,} duplicates), "
        f"at most {f['mailbox_copies_max']} {_plural(f['mailbox_copies_max'], 'copy', 'copies')} "
        f"of a CRM record in a mailbox, {f['errors_total']:,} "
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


def sweep_json(grid: Grid, cases: list[Case]) -> dict[str, Any]:
    """The sweep as one object: the grid (its axes and their values) and every case's record."""
    return {
        "grid": {
            "name": grid.name,
            "title": grid.title,
            "mailbox": grid.mailbox,
            "axes": [{"name": a.name, "values": list(a.labels)} for a in grid.axes],
            "cases": len(cases),
        },
        "cases": cases,
    }


def render_sweep(grid: Grid, cases: list[Case], fmt: str) -> str:
    """The sweep as JSON, CSV (one row per case, for pandas), or a table: each case's axis
    values, the rules' prediction / the simulated outcome, the duplicate CRM records, and a
    mark where rules and model disagree."""
    if fmt == "json":
        return json.dumps(sweep_json(grid, cases), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text(sweep_rows(cases))
    fields = _sweep_fields(cases)
    headers = [a.name for a in grid.axes] + [label for _, label in fields]
    headers += ["duplicate records", "agree"]
    rows = []
    for case in cases:
        row = [show(v) for v in case["values"].values()]
        predicted, simulated = case["predicted"], case["simulated"]
        gap = bool(case.get("not_modelled"))
        row += [
            f"{show(predicted.get(k))} / {NOT_MODELLED if gap else show(simulated.get(k))}"
            if predicted
            else NOT_MODELLED
            if gap
            else show(simulated.get(k))
            for k, _ in fields
        ]
        duplicates = NOT_MODELLED if gap else str(case["final"]["crm_duplicates"])
        row += [duplicates, AGREE[case["verdict"]]]
        rows.append(row)
    summary = sweep_summary(cases)
    cell = (
        "predicted by the rules / simulated"
        if any(c["predicted"] for c in cases)
        else "simulated (no pack predicts this model)"
    )
    return table(headers, rows, fmt, cell, summary)


NOT_MODELLED = "not modelled"
AGREE = {"agree": "yes", "disagree": "NO", "not modelled": NOT_MODELLED}  # the agree column


def _sweep_fields(cases: list[Case]) -> tuple[tuple[str, str], ...]:
    """The outcome columns of a sweep table: article 105's, or, for a grid whose pack does not
    predict all of them, the outcomes it predicts (M12's change_refused, M14's rename_result
    and sync_errors)."""
    predicted = list(dict.fromkeys(k for c in cases for k in c["predicted"]))
    if not predicted or all(k in predicted for k, _ in SWEEP_FIELDS):
        return SWEEP_FIELDS
    return tuple((k, k.replace("_", " ")) for k in predicted)


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


def sweep_summary(cases: list[Case]) -> str:
    """How many cases agree, disagree and are not modelled (with what the model leaves out),
    and how many end with duplicate CRM records."""
    wrong = sum(1 for c in cases if c["differences"])
    gaps = [c for c in cases if c.get("not_modelled")]
    modelled = [c for c in cases if not c.get("not_modelled")]
    duplicated = [c["final"]["crm_duplicates"] for c in modelled if c["final"]["crm_duplicates"]]
    most = f", at most {max(duplicated)}" if duplicated else ""
    agree = "rules / model agree on all" if not wrong else f"rules and model DISAGREE on {wrong}"
    if gaps:
        agree += f" {len(modelled)} compared; {len(gaps)} not modelled ({_left_out(gaps)})"
    return f"{len(cases)} cases: {agree}; {len(duplicated)} with duplicate CRM records{most}"


def _left_out(cases: list[Case]) -> str:
    """The built-in values the model has no mechanism for in ``cases``, each once, with the
    model's words for it: ``email_system google: the model has no such mailbox ... (M17)``."""
    found = dict.fromkeys(
        f"{v['field']} {v['value']}: {BUILT_IN_VALUES[v['field']]}"
        for case in cases
        for part in case["not_modelled"]
        for v in part["values"]
    )
    return ", ".join(found)


def sweep_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """One row per case: its number, axis values, seed, cycles, then ``final.*``,
    ``simulated.*`` and ``predicted.*`` columns."""
    rows = []
    for case in cases:
        row: dict[str, Any] = {"case": case["case"], **case["values"]}
        if "pack" in case:
            row = {"pack": case["pack"], **row}
        row |= {"seed": case["seed"], "cycles": case["cycles"], "mailbox": case["mailbox"]}
        for part in ("final", "simulated", "predicted"):
            row |= {f"{part}.{k}": v for k, v in case[part].items()}
        row["agree"] = NOT_MODELLED if case.get("not_modelled") else not case["differences"]
        rows.append(row)
    return rows


def csv_text(rows: list[dict[str, Any]]) -> str:
    """``rows`` as CSV: the union of their keys as columns (in first-seen order), a missing
    key an empty cell, lists joined with ``;``."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def show(value: Any) -> str:
    """A value as a table cell: yes/no, names joined by commas, other lists and records as
    JSON, and "-" for nothing."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value) or "-"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False) if value else "-"
    return "-" if value is None else str(value)
