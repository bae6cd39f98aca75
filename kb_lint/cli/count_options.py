"""Options that are counts: a whole number from the command line, and ``--max-files N``, the
bound on each folder a command walks (``kb_lint.load.walk``)."""

from __future__ import annotations

import argparse

from kb_lint.limits import MAX_FOLDER_ENTRIES


def add_max_files(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-files",
        type=_limit,
        default=MAX_FOLDER_ENTRIES,
        metavar="N",
        help="most files and folders a folder named may hold, hidden ones not counted; past "
        f"it the folder is an input error (default: {MAX_FOLDER_ENTRIES:,}; 0: no limit)",
    )


def whole_number(value: str) -> int:
    """A count from the command line: a whole number, 0 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is not 0 or more")
    return number


def _limit(value: str) -> int | None:
    return whole_number(value) or None
