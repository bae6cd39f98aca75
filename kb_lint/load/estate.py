"""An estate: deployment files read as one (``kb-lint check --estate``, and ``include:``).

Riva Cloud's assignments may be in one file and Riva On-Premise's in another (a CSV export):
an overlap split across them is found only when they are checked together. Each file is loaded
and validated on its own, so every error names its file, line and column; then the validated
data are merged (``instances`` and ``timeline`` concatenated, in the order the files come) into
one ``Document`` whose locator sends each pointer back to the file, and the pointer within it,
that holds the value. A file's ``include:`` list names more files, relative to its folder; each
file is read once, however often it is named or included. An include stays in the project (the
config file's folder, or the including file's folder tree): a path or a link that leaves it is
refused at its line, so no error ever quotes a file from outside.

Decisions: an instance defined in two files is an error (one instance is one file's); a
top-level setting other than the two lists (``seed``, ``cycles``, ``crm``) may come from one
file only. Cost: one extra pass over the top-level lists; positions are found by each file's
own locator, in one call per file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError
from kb_lint.limits import MAX_BYTES, MAX_INCLUDE_DEPTH
from kb_lint.load.csv_source import Column
from kb_lint.load.document import Document, Pointer, Position
from kb_lint.load.read import load_document

INCLUDE = "include"
LISTS = ("instances", "timeline")
Validate = Callable[[Document], Any]


@dataclass
class Part:
    """One file of the estate: its document, validated data, and where its lists start."""

    doc: Document
    data: dict[str, Any]
    starts: dict[str, int]  # list name -> index of the file's first item in the merged list


@dataclass
class Loaded:
    """What reading an estate gave: the merged document and data (None when no file could be
    read), the files read, and the error of each file that could not be."""

    doc: Document | None
    data: dict[str, Any] | None
    files: list[Path]
    problems: list[InputError]


def file_key(path: Path) -> Path:
    """One key per file, however it is named (``./a.yaml``, ``a.yaml``, a symbolic link)."""
    return path.resolve()


def load_estate(
    paths: list[Path],
    validate: Validate,
    limit: int | None = MAX_BYTES,
    columns: Mapping[str, Column] | None = None,
    project: Path | None = None,
) -> Loaded:
    """Read ``paths`` and the files they include (depth first, each file once) as one estate;
    a file that cannot be read or is invalid is left out and its error kept. ``project`` is the
    config file's folder: an include may name a file under it, or under the including file's
    folder (nothing else: a deployment in a pull request must not read the runner's files)."""
    parts: list[Part] = []
    files: list[Path] = []
    problems: list[InputError] = []
    seen: set[Path] = set()
    # Depth first without recursion: (file, how many includes led to it), next file on top.
    stack: list[tuple[Path, int]] = [(path, 0) for path in reversed(paths)]
    while stack:
        path, depth = stack.pop()
        key = file_key(path)
        if key in seen:
            continue
        seen.add(key)
        files.append(path)
        try:
            doc = load_document(path, limit, columns)
            data = validate(doc) or {}
        except InputError as exc:
            problems.append(exc)
            continue
        parts.append(Part(doc, data, {}))
        found = []
        for index, name in enumerate(data.get(INCLUDE, [])):
            try:
                found.append((included(doc, index, name, path, project, depth), depth + 1))
            except InputError as exc:
                problems.append(exc)
        stack.extend(reversed(found))
    if not parts:
        return Loaded(None, None, files, problems)
    try:
        doc, data = merge(parts)
    except InputError as exc:
        return Loaded(None, None, files, [*problems, exc])
    return Loaded(doc, data, files, problems)


def included(
    doc: Document, index: int, name: str, path: Path, project: Path | None, depth: int
) -> Path:
    """The file ``include:`` item ``index`` names, relative to ``path``; refused at its place
    when it leaves the project (an absolute path, ``..``, or a link that points out of it),
    is missing or is not a regular file, or nests includes more than MAX_INCLUDE_DEPTH deep."""

    def refuse(message: str) -> InputError:
        return InputError(doc.path, *doc.locate((INCLUDE, index)), message)

    if depth >= MAX_INCLUDE_DEPTH:
        raise refuse(f"included file '{name}': includes nest more than {MAX_INCLUDE_DEPTH} deep")
    target = path.parent / name
    try:
        resolved = target.resolve(strict=True)
    except FileNotFoundError:
        raise refuse(f"included file '{name}' not found") from None
    except (OSError, RuntimeError) as exc:  # a loop of links, a name too long
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a loop of links"
        raise refuse(f"included file '{name}' cannot be read: {reason}") from None
    homes = [path.parent.resolve(), *([project.resolve()] if project else [])]
    if not any(resolved.is_relative_to(home) for home in homes):
        where = "the including file's folder" + (" or the project" if project else "")
        raise refuse(f"included file '{name}' is outside {where}: includes stay in the project")
    if not resolved.is_file():
        raise refuse(f"included file '{name}' is not a regular file")
    return target


def merge(parts: list[Part]) -> tuple[Document, dict[str, Any]]:
    """One document and its data from the parts; one part is returned as it is."""
    if len(parts) == 1:
        return parts[0].doc, parts[0].data
    merged: dict[str, Any] = {name: [] for name in LISTS}
    owner: dict[str, Part] = {}
    defined: dict[str, tuple[Part, int]] = {}
    for part in parts:
        for key, value in part.data.items():
            if key in LISTS:
                part.starts[key] = len(merged[key])
                merged[key].extend(value)
            elif key != INCLUDE and (key not in merged or _written(part, key)):
                if key in owner and _written(part, key):
                    message = (
                        f"'{key}' is given in {owner[key].doc.path} too; an estate takes it "
                        "from one file"
                    )
                    raise _error(part, (key,), message, at_key=True)
                if _written(part, key):
                    owner[key] = part
                merged[key] = value
        for index, instance in enumerate(part.data.get("instances", [])):
            name = instance["name"]
            if name in defined and defined[name][0] is not part:
                first, first_index = defined[name]
                line, _ = first.doc.locate(("instances", first_index, "name"))
                message = f"instance '{name}' is defined in {first.doc.path} too (line {line})"
                raise _error(part, ("instances", index, "name"), message)
            defined.setdefault(name, (part, index))
    for name in LISTS:
        if not merged[name]:
            del merged[name]
    first = parts[0].doc
    read = {key: value for part in parts for key, value in part.doc.read.items()}
    estate = Estate(first.path, "", merged, EstateLocator(parts, owner), parts, owner, read=read)
    return estate, merged


def _written(part: Part, key: str) -> bool:
    """Is ``key`` written in the part's file (not a default the schema filled in)?"""
    return isinstance(part.doc.data, dict) and key in part.doc.data


def _error(part: Part, pointer: Pointer, message: str, at_key: bool = False) -> InputError:
    locate = part.doc.locate_key if at_key else part.doc.locate
    return InputError(part.doc.path, *locate(pointer), message)


def route(parts: list[Part], owner: dict[str, Part], pointer: Pointer) -> tuple[Part, Pointer]:
    """The part that holds the value at ``pointer`` of the merged data, and its pointer there."""
    if not pointer:
        return parts[0], ()
    head = pointer[0]
    if head in LISTS and len(pointer) > 1 and isinstance(pointer[1], int):
        index = pointer[1]
        holders = [p for p in parts if head in p.starts and p.starts[head] <= index]
        if holders:
            part = max(holders, key=lambda p: p.starts[head])
            return part, (head, index - part.starts[head], *pointer[2:])
    if isinstance(head, str) and head in owner:
        return owner[head], pointer
    holder = next((p for p in parts if head in p.starts), parts[0])
    return holder, pointer


@dataclass
class Estate(Document):
    """A document merged from several files: each pointer's file is the one that holds it."""

    parts: list[Part]
    owner: dict[str, Part]

    def path_of(self, pointer: Pointer) -> str:
        return route(self.parts, self.owner, pointer)[0].doc.path


class EstateLocator:
    """Positions from the locator of the file that holds each value."""

    def __init__(self, parts: list[Part], owner: dict[str, Part]) -> None:
        self.parts = parts
        self.owner = owner

    def values(self, pointers: set[Pointer]) -> dict[Pointer, Position]:
        by_part: dict[int, dict[Pointer, Pointer]] = {}
        for pointer in pointers:
            part, local = route(self.parts, self.owner, pointer)
            by_part.setdefault(id(part), {})[pointer] = local
        found: dict[Pointer, Position] = {}
        for part in self.parts:
            wanted = by_part.get(id(part))
            if wanted:
                where = part.doc.locator.values(set(wanted.values()))
                found.update((pointer, where[local]) for pointer, local in wanted.items())
        return found

    def key(self, pointer: Pointer) -> Position:
        part, local = route(self.parts, self.owner, pointer)
        return part.doc.locator.key(local)

    def span(self, pointer: Pointer) -> tuple[int, int] | None:
        return None  # the merged text is no file's text
