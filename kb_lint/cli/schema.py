"""``kb-lint schema``: the JSON Schema of deployment files, with the fields the packs add, for
editors (``# yaml-language-server: $schema=...``) and other tools."""

from __future__ import annotations

import argparse
import json
import sys

from kb_lint.cli.common_options import add_config_option, add_rules_option
from kb_lint.cli.output import add_output_file, write_output
from kb_lint.cli.packs import exit_code, loaded
from kb_lint.config import load_config
from kb_lint.pack.load import vocabulary_of


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "schema",
        help="print the deployment file schema, with the packs' fields",
        description="Print the JSON Schema of deployment and scenario files: the built-in fields "
        "and every field and timeline action the loaded rule packs declare.",
    )
    add_rules_option(parser)
    add_config_option(parser)
    add_output_file(parser, "the schema")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    packs, broken = loaded(args.rules, load_config(args.config).rules_folder())
    text = json.dumps(vocabulary_of(packs).schema(), indent=2) + "\n"
    if args.output is not None:
        write_output(args.output, text)
    else:
        sys.stdout.write(text)
    return exit_code(0, broken)
