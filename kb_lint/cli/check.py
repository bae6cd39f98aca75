"""``kb-lint check``: lint deployments and migration plans against the rule packs."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb_lint.cli.output import add_output_options, emit
from kb_lint.config import load_config
from kb_lint.engine import check_deployment, rule_infos
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_packs
from kb_lint.waivers import apply_waivers


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check",
        help="lint deployment files against the rules",
        description="Lint Riva deployment files (YAML, JSON or CSV) against the rule packs, "
        "predicting what Riva will do for each violation.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="deployment files")
    parser.add_argument("--rules", type=Path, help="rule packs folder (default: from config)")
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config).with_selection(args.select, args.ignore)
    packs = load_packs(args.rules or config.rules)
    findings = []
    for path in args.files:
        deployment = read_deployment(path)
        shown = str(path)
        findings.extend(
            check_deployment(deployment, packs, lambda rule_id: config.selects(rule_id, shown))
        )
    findings = apply_waivers(findings, config.waivers)
    return emit(args, findings, len(args.files), rule_infos(packs))
