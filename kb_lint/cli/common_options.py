"""The options most commands share, declared once: ``--rules`` (the packs' folder, before the
config's), ``--config`` (the config file) and ``--color`` (and whether text output is then in
colour). Light to import: argparse only, so a command's startup pays for nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_rules_option(
    parser: argparse.ArgumentParser, said: str = "rule packs folder (default: from config)"
) -> None:
    """``--rules FOLDER``; ``said``, its help where the command reads more of the packs."""
    parser.add_argument("--rules", type=Path, help=said)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="kb-lint.toml or pyproject.toml to use")


def add_color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output"
    )


def colored(args: argparse.Namespace, to_file: bool = False) -> bool:
    """Whether text output is in colour: ``--color always``; on ``auto``, when it goes to a
    terminal (not to a file) and ``NO_COLOR`` is not set."""
    return args.color == "always" or (
        args.color == "auto"
        and not to_file
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
