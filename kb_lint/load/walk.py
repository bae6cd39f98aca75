"""The files under a folder a user names, walked with a bound.

``named_files`` is what every command that takes files and folders makes of them: the files
named and the wanted ones under the folders named, each once, and for each path it cannot use
one input error (a missing name, a link that leads nowhere, a folder with nothing to check).

A folder is walked depth first, one ``os.scandir`` at a time: hidden entries (a name starting
with ``.``: ``.git``, ``.venv``, ``.tox``) are skipped without being entered, a link to a folder
is listed but never entered (so a loop of links cannot be walked round), and every other entry
counts towards ``limit``. Past it the walk stops with an input error at the folder, naming the
limit and how to lift it: a half-walked folder would be a silent cut; so is a folder under it
that cannot be read, an input error at that folder. Cost: one ``lstat`` per
entry seen, at most ``limit`` of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from kb_lint.errors import InputError
from kb_lint.limits import MAX_FOLDER_ENTRIES
from kb_lint.load.estate import file_key
from kb_lint.load.read import link_problem


def is_article(path: Path) -> bool:
    """Is ``path`` a KB article (Markdown), by its name?"""
    return path.suffix.lower() == ".md"


def named_files(
    paths: Iterable[Path],
    wanted: Callable[[Path], bool],
    what: str,
    problems: list[InputError],
    limit: int | None = MAX_FOLDER_ENTRIES,
) -> list[Path]:
    """The files named and the ``wanted`` files under the folders named (``folder_entries``,
    at most ``limit`` entries each), in order, each once however it is named. Each path that
    cannot be used is added to ``problems`` and the others go on: a name that does not exist,
    a symbolic link that leads nowhere (broken, or a loop: named as given), a folder with no
    ``what`` in it (a wrong folder would otherwise pass), a folder past ``limit``."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            errors = len(problems)
            entries = folder_entries(path, limit, "--max-files", problems)
            found = [p for p in entries if wanted(p) and _leads_somewhere(p, problems)]
            found = [p for p in found if p.is_file()]  # not a link to a folder, not a device
            if not found and len(problems) == errors:
                problems.append(InputError(str(path), 0, 0, f"no {what} in this folder"))
        elif path.is_symlink() or path.exists():
            found = [path] if _leads_somewhere(path, problems) else []
        else:
            problems.append(InputError(str(path), 0, 0, "no such file or folder"))
            continue
        for file in found:
            if (key := file_key(file)) not in seen:
                seen.add(key)
                files.append(file)
    return files


def _leads_somewhere(path: Path, problems: list[InputError]) -> bool:
    """False, with the input error added to ``problems``, for a broken link or a loop."""
    broken = link_problem(path) if path.is_symlink() else None
    if broken:
        problems.append(InputError(str(path), 0, 0, f"not checked: {broken}"))
    return not broken


def folder_entries(
    folder: Path,
    limit: int | None = MAX_FOLDER_ENTRIES,
    option: str | None = None,
    problems: list[InputError] | None = None,
) -> list[Path]:
    """Every entry under ``folder`` that is not a folder (files, links, devices), sorted;
    hidden ones skipped. More than ``limit`` entries (None: no limit) is an ``InputError`` at
    ``folder``, added to ``problems`` (none of its entries then) or else raised; ``option`` is
    the command-line option that sets the limit, named in it."""
    try:
        return _walk(folder, limit, option)
    except InputError as exc:
        if problems is None:
            raise
        problems.append(exc)
        return []


def _walk(folder: Path, limit: int | None, option: str | None) -> list[Path]:
    found: list[Path] = []
    pending = [folder]
    seen = 0
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    seen += 1
                    if limit is not None and seen > limit:
                        raise InputError(str(folder), 0, 0, _too_many(limit, option))
                    path = current / entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(path)
                    else:
                        found.append(path)
        except (FileNotFoundError, NotADirectoryError):
            continue  # gone since it was listed: as if it were not there
        except PermissionError:
            raise InputError(str(current), 0, 0, _unreadable(current, folder)) from None
    return sorted(found)


def _unreadable(current: Path, folder: Path) -> str:
    under = "" if current == folder else f" (under {folder})"
    return (
        f"this folder{under} cannot be read (permission denied), so none of the files under "
        f"{folder} are checked: give read access, or name a folder without it"
    )


def _too_many(limit: int, option: str | None) -> str:
    lift = f"{option} sets the limit, 0 for none; or" if option else "move some out, or"
    return (
        f"more than {limit:,} files and folders under this folder, hidden ones skipped "
        f"({lift} name a narrower folder)"
    )
