"""CSV of assignments: one row per email user ↔ CRM user in a policy, standing in for ``instances``.

The columns ``instance,kind,policy,email,crm_user`` are required; the settings may follow:
the policy settings ``enabled, email_system, category, folder_root, sync_all_items,
data_types``, the instance settings ``riva_version, force_user_exclusivity``, and every field a
loaded pack declares for an instance, a policy or a user (``Column``: where it goes, and its
type). Blank cells take the defaults; a list is ``;``-separated; booleans read true/false,
yes/no or 1/0. Rows of one instance or policy must agree on its settings. The rows become the
``instances`` of a deployment file, so the schema and the rules see the same data as from YAML,
and every value keeps its cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kb_lint.errors import InputError, did_you_mean
from kb_lint.load.document import Document, Pointer, Position

REQUIRED = ("instance", "kind", "policy", "email", "crm_user")
BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True)
class Column:
    """A settings column: the record it belongs to (instance, policy or user) and its type
    (boolean, integer, number, list, or string for anything else)."""

    scope: str
    type: str = "string"


BUILT_IN_COLUMNS: Mapping[str, Column] = {
    "enabled": Column("policy", "boolean"),
    "email_system": Column("policy"),
    "category": Column("policy"),
    "folder_root": Column("policy"),
    "sync_all_items": Column("policy", "boolean"),
    "data_types": Column("policy", "list"),
    "riva_version": Column("instance"),
    "force_user_exclusivity": Column("instance", "boolean"),
}


def load_csv(path: str, text: str, columns: Mapping[str, Column] = BUILT_IN_COLUMNS) -> Document:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        table = Table(path, header, Cells(text), columns)
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                table.add(row, start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, reader.line_num or 1, 1, f"invalid CSV: {exc}") from None
    return Document(path, text, {"instances": table.instances}, table)


class Table:
    """Rows gathered into instances and policies, remembering the row of every value."""

    def __init__(
        self, path: str, header: list[str], cells: Cells, columns: Mapping[str, Column]
    ) -> None:
        self.path = path
        self.cells = cells
        self.header = header
        self.columns = columns
        known = (*REQUIRED, *columns)
        for index, name in enumerate(header):
            if name not in known:
                hint = did_you_mean(name, known)
                raise InputError(path, *cells.at(1, index), f"unknown column '{name}'{hint}")
            if header.index(name) != index:
                raise InputError(path, *cells.at(1, index), f"column '{name}' is given twice")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise InputError(
                path, 1, 1, f"missing column{'s' * (len(missing) > 1)} " + ", ".join(missing)
            )
        self.instances: list[dict[str, Any]] = []
        self.rows: dict[Pointer, dict[str, int]] = {}  # container -> field -> row line
        self.users: dict[Pointer, list[int]] = {}  # policy -> row line of each user
        self.index: dict[tuple[str, ...], Pointer] = {}

    def add(self, row: list[str], line: int) -> None:
        if len(row) != len(self.header):
            raise InputError(
                self.path, line, 1, f"row has {len(row)} cells, the header {len(self.header)}"
            )
        cells = dict(zip(self.header, row, strict=True))
        cells["instance"], cells["policy"] = cells["instance"].strip(), cells["policy"].strip()
        instance = self._container(("instances",), (cells["instance"],), line)
        self._setting(instance, "kind", cells["kind"], line)
        policy = self._container(
            (*instance, "policies"), (cells["instance"], cells["policy"]), line
        )
        user = {"email": cells["email"], "crm_user": cells["crm_user"]}
        for name, column in self.columns.items():
            if not cells.get(name, "").strip():
                continue
            if column.scope == "user":
                user[name] = _typed(column, cells[name].strip())
            else:
                self._setting(
                    instance if column.scope == "instance" else policy, name, cells[name], line
                )
        self._get(policy)["users"].append(user)
        self.users[policy].append(line)

    def _container(self, parent: Pointer, key: tuple[str, ...], line: int) -> Pointer:
        """The instance (key: its name) or policy (instance and policy name) a row belongs to."""
        if key not in self.index:
            siblings = self._get(parent)
            pointer = (*parent, len(siblings))
            is_instance = len(key) == 1
            children = "policies" if is_instance else "users"
            siblings.append({"name": key[-1], children: []})
            if not is_instance:
                self.users[pointer] = []
            self.rows[pointer] = {"": line, "instance" if is_instance else "policy": line}
            self.index[key] = pointer
        return self.index[key]

    def _get(self, pointer: Pointer) -> Any:
        value: Any = self.instances
        for part in pointer[1:]:
            value = value[part]
        return value

    def _setting(self, pointer: Pointer, name: str, raw: str, line: int) -> None:
        value = _typed(self.columns.get(name, Column("instance")), raw.strip())
        target = self._get(pointer)
        field = "folders" if name == "folder_root" else name
        stored = target.get(field)
        if name == "folder_root":
            value = {"root": value}
        if stored is None:
            target[field] = value
            self.rows[pointer][name] = line
        elif stored != value:
            first = self.rows[pointer][name]
            raise InputError(
                self.path,
                *self.cells.at(line, self.header.index(name)),
                f"{name} '{raw.strip()}' differs from the value on line {first} for the same "
                f"{'instance' if len(pointer) == 2 else 'policy'}",
            )

    # -- Locator -------------------------------------------------------------------------------

    def values(self, pointers: set[Pointer]) -> dict[Pointer, Position]:
        return {pointer: self._place(pointer) for pointer in pointers}

    def key(self, pointer: Pointer) -> Position:
        return self._place(pointer)

    def span(self, pointer: Pointer) -> tuple[int, int] | None:
        return None  # cells are not expressions: the value's start is enough

    def _place(self, pointer: Pointer) -> Position:
        """A user's row, or a container's first row; a field is its cell on that row."""
        for cut in range(len(pointer), 0, -1):
            head, tail = pointer[:cut], pointer[cut:]
            if len(head) >= 2 and head[-2] == "users" and head[:-2] in self.users:
                lines = self.users[head[:-2]]
                if isinstance(head[-1], int) and 0 <= head[-1] < len(lines):
                    return self._cell(lines[head[-1]], tail[0] if tail else "")
            if head in self.rows:
                field = _column_of(head, tail[0]) if tail else ""
                rows = self.rows[head]
                return self._cell(rows.get(field, rows[""]), field if field in rows else "")
        return 1, 1

    def _cell(self, line: int, field: str) -> Position:
        if field not in self.header:
            return line, 1
        return self.cells.at(line, self.header.index(field))


def _column_of(container: Pointer, part: str | int) -> str:
    """The CSV column that holds the field ``part`` of an instance or policy."""
    if part == "name":
        return "instance" if len(container) == 2 else "policy"
    return "folder_root" if part == "folders" else str(part)


def _typed(column: Column, raw: str) -> Any:
    """A cell's value in its column's type; a cell that is not one stays text, for the schema
    to report at its cell."""
    if column.type == "boolean":
        return BOOLEANS.get(raw.lower(), raw)
    if column.type == "list":
        return [part for part in re.split(r"[;|\s]+", raw) if part]
    if column.type in ("integer", "number") and re.fullmatch(r"[-+]?\d{1,18}", raw):
        return int(raw)
    if column.type == "number" and re.fullmatch(r"[-+]?\d{0,18}\.\d{1,18}", raw):
        return float(raw)
    return raw


class Cells:
    """Where the cells of a CSV record start, read from the text (a quoted cell may hold
    commas and newlines)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def line_starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def at(self, line: int, index: int) -> Position:
        """The position of cell ``index`` of the record that starts on ``line``."""
        if line > len(self.line_starts):
            return line, 1
        offset = self.line_starts[line - 1]
        quoted, cell, column = False, 0, 1
        while cell < index and offset < len(self.text):
            char = self.text[offset]
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                cell += 1
            elif char == "\n":
                line, column = line + 1, 0
            offset += 1
            column += 1
        return line, column
