"""``kb-lint simulate``: watch Riva instances sync a scenario, cycle by cycle, or sweep the grid."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kb_lint.cli import UsageError
from kb_lint.cli.output import output_path, write_output
from kb_lint.cli.packs import exit_code, loaded
from kb_lint.config import load_config
from kb_lint.limits import MAX_CYCLES, MAX_SWEEP_CYCLES
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import Result, read_scenario, simulate
from kb_lint.simulate.coverage import not_modelled
from kb_lint.simulate.moves import moves_json, render_moves, run_moves
from kb_lint.simulate.plot import render_svg
from kb_lint.simulate.report import render_json, render_sweep, render_text
from kb_lint.simulate.sweep import SWEEP_CYCLES, run_sweep

PLOT_FORMATS = (".svg",)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "simulate",
        help="simulate Riva instances syncing a scenario",
        description="Simulate Riva instances syncing the mailboxes and CRM of a scenario file "
        "(a deployment plus optional crm, seed, cycles), cycle by cycle; or, with --sweep, "
        "run article 105's option grid and set the rules' predictions beside the outcomes. "
        "Exit 1 when the run shows what the article warns about (sync errors, CRM duplicates, "
        "more than one copy of a record in a mailbox), or, with --sweep, when rules and model "
        "disagree.",
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
        type=_count,
        help=f"sync cycles (default: the file's, or 5; at most {MAX_CYCLES:,} without --no-limits)",
    )
    parser.add_argument("--seed", type=_seed, help="random seed (default: the file's, or 0)")
    parser.add_argument(
        "--no-limits",
        dest="limits",
        action="store_false",
        help="allow more cycles and CRM records per user than the supported maxima",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="output format (markdown: --sweep only; default: text)",
    )
    parser.add_argument(
        "--plot",
        type=output_path,
        metavar="FILE.svg",
        help="also draw the per-cycle curves into FILE (SVG)",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="simulate article 105's option grid instead of a scenario",
    )
    parser.add_argument(
        "--item-level",
        action="store_true",
        help="simulate every user (no fast path; same result, slower)",
    )
    parser.add_argument(
        "--rules",
        type=Path,
        help="rule packs folder: the fields and actions a scenario may give, and --sweep's "
        "rules (default: from config)",
    )
    parser.add_argument("--config", type=Path, help="kb-lint.toml or pyproject.toml to use")
    parser.set_defaults(run=run)


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is not 0 or more")
    return number


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
    if args.sweep:
        return _sweep(args)
    if args.scenario is None:
        raise UsageError("simulate needs a SCENARIO file, or --sweep")
    if args.format == "markdown":
        raise UsageError("--format markdown is for --sweep; use text or json")
    if args.plot is not None and args.plot.suffix.lower() not in PLOT_FORMATS:
        raise UsageError(f"--plot writes {', '.join(PLOT_FORMATS)} files, not '{args.plot.suffix}'")
    _check_cycles(args)
    packs, broken = loaded(args.rules, load_config(args.config).rules)  # their fields, actions
    vocabulary = vocabulary_of(packs)
    scenario = read_scenario(args.scenario, args.cycles, args.seed, args.limits, vocabulary)
    result = simulate(scenario, item_level=args.item_level)
    name, seed = str(args.scenario), scenario.setup.seed
    render = render_json if args.format == "json" else render_text
    if args.plot is not None:
        write_output(args.plot, render_svg(result, f"{name} (seed {seed})"))
    sys.stdout.write(render(result, name, seed, not_modelled(scenario.deployment, packs)))
    return exit_code(1 if warned(result) else 0, broken)


def _check_cycles(args: argparse.Namespace, most: int = MAX_CYCLES, what: str = "") -> None:
    if args.limits and args.cycles is not None and args.cycles > most:
        raise UsageError(
            f"--cycles {args.cycles:,} is more than the supported {most:,}{what} "
            "(--no-limits lifts the limit)"
        )


def _sweep(args: argparse.Namespace) -> int:
    if args.scenario is not None:
        raise UsageError("--sweep runs its own grid: give no SCENARIO")
    if args.plot is not None:
        raise UsageError("--plot draws one scenario's curves, not a sweep")
    _check_cycles(args, MAX_SWEEP_CYCLES, " for each case of a sweep")
    packs, broken = loaded(args.rules, load_config(args.config).rules_folder())
    results = run_sweep(packs, SWEEP_CYCLES if args.cycles is None else args.cycles, args.seed or 0)
    moves = run_moves(packs, args.seed or 0)  # the procedures, each settled (M11)
    if args.format == "json":
        grid = json.loads(render_sweep(results, "json"))
        sys.stdout.write(json.dumps([*grid, *map(moves_json, moves)], indent=2) + "\n")
    else:
        tables = [render_sweep(results, args.format)]
        if moves:
            tables.append(render_moves(moves, args.format))
        sys.stdout.write("\n".join(tables))
    return exit_code(1 if any(r.differences for r in (*results, *moves)) else 0, broken)
