"""``kb-lint simulate``: watch Riva instances sync a scenario, cycle by cycle, or sweep the grid."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kb_lint.cli import UsageError
from kb_lint.cli.common_options import add_config_option, add_rules_option
from kb_lint.cli.count_options import whole_number
from kb_lint.cli.output import output_path
from kb_lint.cli.packs import exit_code, knock_on, loaded
from kb_lint.config import load_config
from kb_lint.engine import refuse_empty
from kb_lint.errors import InputError
from kb_lint.limits import MAX_CYCLES, MAX_SWEEP_CYCLES
from kb_lint.pack import RulePack
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import Result, Scenario, WorldTooLarge, read_scenario, simulate
from kb_lint.simulate.coverage import not_modelled
from kb_lint.simulate.executor import ExecutorError, ProgressBar, executor_of, run_sweep
from kb_lint.simulate.grid import Grid, grid_of_scenario, read_grid
from kb_lint.simulate.measures import measured_by_model
from kb_lint.simulate.moves import moves_json, moves_row, render_moves, run_moves
from kb_lint.simulate.plot import FORMATS as PLOT_FORMATS
from kb_lint.simulate.plot import write_plot
from kb_lint.simulate.report import (
    csv_text,
    final_line,
    render_json,
    render_sweep,
    render_text,
    sweep_json,
    sweep_rows,
)
from kb_lint.simulate.sweep import Sweep, pack_grids
from kb_lint.simulate.trace import TraceFilter, cycles_of, writer


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "simulate",
        help="simulate Riva instances syncing a scenario",
        description="Simulate Riva instances syncing the mailboxes and CRM of a scenario file "
        "(a deployment plus optional crm, seed, cycles), cycle by cycle; or sweep a grid "
        "(--sweep: the packs' grid, article 105's options, or the SCENARIO's own sweep:; "
        "--grid FILE) and set the rules' predictions beside the outcomes. "
        "Exit 1 when the run shows what the article warns about (sync errors, CRM duplicates, "
        "more than one copy of a record in a mailbox), or, with --sweep, when rules and model "
        "disagree; an outcome the model does not measure is printed as not modelled and never "
        "fails the run (kb-lint check judges every rule).",
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        type=Path,
        metavar="SCENARIO",
        help="scenario or deployment file (YAML, JSON or CSV)",
    )
    parser.add_argument(
        "--cycles",
        type=whole_number,
        help=f"sync cycles (default: the file's, or 5; at most {MAX_CYCLES:,} without --no-limits)",
    )
    parser.add_argument("--seed", type=_seed, help="random seed (default: the file's, or 0)")
    parser.add_argument(
        "--no-limits",
        dest="limits",
        action="store_false",
        help="allow more cycles, CRM records per user and records and items in one run than "
        "the supported maxima",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown", "csv"),
        default="text",
        help="output format (markdown and csv: sweeps only; default: text)",
    )
    parser.add_argument(
        "--plot",
        type=output_path,
        metavar="FILE.svg|FILE.png",
        help="also draw the per-cycle curves into FILE (SVG or PNG, by the extension)",
    )
    parser.add_argument(
        "--trace",
        metavar="FILE.jsonl",
        help="write the item-level trace, one JSON object per event, to FILE ('-': standard "
        "output, instead of the table)",
    )
    parser.add_argument(
        "--trace-mailbox",
        action="append",
        default=[],
        metavar="EMAIL",
        help="trace only this mailbox (repeat for more)",
    )
    parser.add_argument(
        "--trace-cycles",
        type=_cycles,
        metavar="N|A-B",
        help="trace only cycle N, or cycles A to B (A- for A on)",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="sweep a grid: the SCENARIO's sweep:, or without one the grid a rule pack declares "
        "(article 105's options)",
    )
    parser.add_argument(
        "--grid",
        type=Path,
        metavar="FILE",
        help="sweep the grid in FILE (a base scenario and axes; see docs/simulator.md)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        help="sweep cases in N local processes (with --executor dask: N workers; default 1)",
    )
    parser.add_argument(
        "--executor",
        type=_executor,
        default="local",
        help="where sweep cases run: local (default), dask (a LocalCluster), or "
        "dask:tcp://HOST:PORT (a running Dask scheduler); Dask: pip install 'kb-lint[dask]'",
    )
    parser.add_argument(
        "--item-level",
        action="store_true",
        help="simulate every user (no fast path; same result, slower)",
    )
    parser.add_argument(
        "--counting",
        action="store_true",
        help="count classes of identical records and items instead of holding each (same "
        "result; runs whose CRM outgrows the others, such as 30 cycles of sync all items; the "
        "trace gets one event per class, with its count)",
    )
    add_rules_option(
        parser,
        "rule packs folder: the fields and actions a scenario may give, and --sweep's rules "
        "(default: from config)",
    )
    add_config_option(parser)
    parser.set_defaults(run=run)


def _jobs(value: str) -> int:
    number = whole_number(value)
    if not 1 <= number <= 1024:
        raise argparse.ArgumentTypeError(f"{number} is not 1 to 1024")
    return number


def _executor(value: str) -> str:
    try:
        return executor_of(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cycles(value: str) -> tuple[int, int | None]:
    try:
        return cycles_of(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None


def warned(result: Result) -> bool:
    """Does the run show what article 105 warns about: sync errors, duplicate CRM records, or
    more than one copy of a CRM record in a mailbox?"""
    final = result.final()
    return bool(final["errors_total"] or final["crm_duplicates"] or final["mailbox_copies_max"] > 1)


def run(args: argparse.Namespace) -> int:
    if args.sweep or args.grid is not None:
        return _sweep(args)
    _check_one_run(args)
    packs, broken = loaded(args.rules, load_config(args.config).rules)  # their fields, actions
    vocabulary = vocabulary_of(packs)
    try:
        scenario = read_scenario(args.scenario, args.cycles, args.seed, args.limits, vocabulary)
    except InputError as exc:
        if not knock_on(exc, broken):
            raise
        # the load error said above is the cause: not a second error at the scenario's key
        print(
            f"kb-lint: {args.scenario} not simulated: it uses what a pack that did not load "
            "(its error above) may declare",
            file=sys.stderr,
        )
        return exit_code(0, broken)
    refuse_empty(scenario.deployment, "simulate")
    if scenario.deployment.data and "sweep" in scenario.deployment.data:
        sys.stderr.write(f"note: {args.scenario} declares a sweep: --sweep runs it\n")
    unknown = [m for m in args.trace_mailbox if m not in scenario.setup.mailboxes]
    if unknown:
        raise UsageError(f"--trace-mailbox {unknown[0]}: no such mailbox in the scenario")
    name, seed = str(args.scenario), scenario.setup.seed
    try:
        if args.trace is None:
            result = simulate(scenario, sink=None, **_path(args))
        else:
            result = _traced(args, scenario)
    except WorldTooLarge as exc:
        raise InputError(name, 0, 0, str(exc)) from None
    render = render_json if args.format == "json" else render_text
    if args.plot is not None:
        try:
            write_plot(args.plot, result, scenario.setup, f"{name} (seed {seed})")
        except OSError as exc:
            raise UsageError(f"cannot write {args.plot}: {exc.strerror or exc}") from None
    if args.trace == "-":
        sys.stderr.write(final_line(result) + "\n")
    else:
        sys.stdout.write(render(result, name, seed, not_modelled(scenario.deployment, packs)))
    return exit_code(1 if warned(result) else 0, broken)


def _check_one_run(args: argparse.Namespace) -> None:
    """The options of one scenario's run: a SCENARIO, and none of a sweep's or two paths at
    once; a usage error at the first that is not (``_sweep`` checks a sweep's)."""
    if args.scenario is None:
        raise UsageError("simulate needs a SCENARIO file, --sweep or --grid FILE")
    if args.format in ("markdown", "csv"):
        raise UsageError(f"--format {args.format} is for sweeps; use text or json")
    if args.jobs != 1 or args.executor != "local":
        raise UsageError("--jobs and --executor run sweeps (--sweep, --grid FILE)")
    if args.plot is not None and args.plot.suffix.lower() not in PLOT_FORMATS:
        raise UsageError(f"--plot writes {', '.join(PLOT_FORMATS)} files, not '{args.plot.suffix}'")
    if args.item_level and args.counting:
        raise UsageError("--item-level and --counting are two different paths: choose one")
    if (args.trace_mailbox or args.trace_cycles) and args.trace is None:
        raise UsageError("--trace-mailbox and --trace-cycles filter a --trace")
    _check_cycles(args)


def _traced(args: argparse.Namespace, scenario: Scenario) -> Result:
    """Run with the trace streamed to standard output, or to a file written in place at the
    end (a temporary file beside it until then)."""
    first, last = args.trace_cycles or (0, None)
    keep = TraceFilter(frozenset(args.trace_mailbox), first, last)
    if args.trace == "-":
        sink = writer(sys.stdout, keep)
        return simulate(scenario, sink=sink, **_path(args))
    path = Path(args.trace)
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as stream:
            sink = writer(stream, keep)
            result = simulate(scenario, sink=sink, **_path(args))
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return result


def _path(args: argparse.Namespace) -> dict[str, bool]:
    """How ``simulate`` runs: the path the options choose, within the bounds or not."""
    return {"item_level": args.item_level, "counting": args.counting, "limits": args.limits}


def _check_cycles(args: argparse.Namespace, most: int = MAX_CYCLES, what: str = "") -> None:
    if args.limits and args.cycles is not None and args.cycles > most:
        raise UsageError(
            f"--cycles {args.cycles:,} is more than the supported {most:,}{what} "
            "(--no-limits lifts the limit)"
        )


def _sweep(args: argparse.Namespace) -> int:
    if args.plot is not None:
        raise UsageError("--plot draws one scenario's curves, not a sweep")
    if args.item_level or args.counting:
        raise UsageError(
            "--item-level and --counting choose how one scenario runs; a sweep runs each case "
            "through the fast path"
        )
    if args.trace is not None or args.trace_mailbox or args.trace_cycles:
        raise UsageError("--trace and its filters follow one scenario's run, not a sweep")
    _check_cycles(args, MAX_SWEEP_CYCLES, " for each case of a sweep")
    configured = load_config(args.config).rules_folder()
    packs, broken = loaded(args.rules, configured)
    # The packs' own sweep: every pack's grid, each judged by its pack, then their procedures,
    # each move settled (M11), then each pack no model simulates and why; a grid file or a
    # scenario's sweep: is that grid alone.
    own = args.grid is None and args.scenario is None
    grids = _pack_grids(packs) if own else [(None, _grid_of(args, packs))]
    swept = []
    for judge, grid in grids:
        sweep = _checked(
            args, Sweep.of(grid, args.cycles, args.seed, args.rules, configured, judge)
        )
        try:
            cases = run_sweep(sweep, args.executor, args.jobs, ProgressBar(sweep.size))
        except ExecutorError as exc:
            raise UsageError(str(exc)) from None
        swept.append((judge, grid, cases))
    moves = run_moves(packs, args.seed or 0) if own else []
    without = [
        _unswept(p) for p in packs if own and (p.simulation is None or not p.simulation.grid)
    ]
    _show_sweeps(args.format, swept, moves, without)
    wrong = any(c["differences"] for _, _, cases in swept for c in cases)
    return exit_code(1 if wrong or any(m.differences for m in moves) else 0, broken)


NO_MODEL = "no model"
NO_REASON = "the pack gives none (simulation: {model: none, reason: ...})"


def _unswept(pack: RulePack) -> tuple[str, str, str]:
    """Why the packs' own sweep leaves ``pack`` out: (pack, ``no model`` or ``no grid``, why)."""
    if pack.simulation is None:
        return pack.id, NO_MODEL, pack.no_model or NO_REASON
    measured = ", ".join(measured_by_model(pack)) or "none of its outcomes"
    why = (
        f"{pack.simulation.model} measures {measured}, but the pack names no grid to sweep "
        "(simulation: {grid: grid.yaml}, a file beside the pack)"
    )
    return pack.id, "no grid", why


def _pack_grids(packs: list) -> list[tuple[str | None, Grid]]:
    """Each pack's own grid (``simulation.grid``), in pack order: none is a usage error."""
    vocabulary = vocabulary_of(packs)
    grids = [(pack, read_grid(path, vocabulary)) for pack, path in pack_grids(packs)]
    if not grids:
        raise UsageError("--sweep runs the grids rule packs declare; none does: use --grid FILE")
    return grids


def _checked(args: argparse.Namespace, sweep: Sweep) -> Sweep:
    """The sweep, unless --cycles or --seed would override an axis of its grid."""
    for flag, path in (("cycles", ("cycles",)), ("seed", ("seed",))):
        if getattr(args, flag) is not None and any(
            s.path == path for a in sweep.axes for s in a.settings[0]
        ):
            raise UsageError(f"--{flag} would override the grid's {flag} axis; leave one out")
    return sweep


def _show_sweeps(
    fmt: str, swept: list[tuple[str | None, Grid, list]], moves: list, without: list
) -> None:
    """Each grid's cases, the procedures' cases, and the packs without a model, as ``fmt``."""
    if fmt == "json" and len(swept) == 1 and swept[0][0] is None:  # a grid file's or sweep:'s
        _, grid, cases = swept[0]
        every = sweep_json(grid, cases) | {"procedures": []}
        sys.stdout.write(json.dumps(every, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "json":
        every = {
            "sweeps": [{"pack": judge, **sweep_json(grid, cases)} for judge, grid, cases in swept],
            "procedures": [moves_json(m) for m in moves],
            "without_model": [
                {"pack": p, "reason": why} for p, no, why in without if no == NO_MODEL
            ],
            "without_grid": [
                {"pack": p, "reason": why} for p, no, why in without if no != NO_MODEL
            ],
        }
        sys.stdout.write(json.dumps(every, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        rows = [row for _, _, cases in swept for row in sweep_rows(cases)]
        sys.stdout.write(csv_text([*rows, *map(moves_row, moves)]))
        return
    tables = []
    for judge, grid, cases in swept:
        where = Path(grid.name)
        title = f"{judge}: {grid.title or where.name} ({where.parent.name}/{where.name})"
        title = (f"### {title}\n\n" if fmt == "markdown" else f"{title}\n") if judge else ""
        tables.append(title + render_sweep(grid, cases, fmt))
    if moves:
        tables.append(render_moves(moves, fmt))
    if without:
        tables.append("".join(f"{pack}: {no}: {why}\n" for pack, no, why in without))
    sys.stdout.write("\n".join(tables))


def _grid_of(args: argparse.Namespace, packs: list) -> Grid:
    """The grid to sweep: --grid FILE, or the SCENARIO's sweep:."""
    vocabulary = vocabulary_of(packs)
    if args.grid is not None:
        if args.scenario is not None:
            raise UsageError("--grid FILE names its own base scenario: give no SCENARIO")
        return read_grid(args.grid, vocabulary)
    scenario = read_scenario(args.scenario, None, None, args.limits, vocabulary)
    data = scenario.deployment.data or {}
    if "sweep" not in data:
        raise UsageError(f"{args.scenario} has no sweep: to run (or give --grid FILE)")
    return grid_of_scenario(scenario.deployment.document, data, vocabulary)
