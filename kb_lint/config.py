"""Project configuration: ``[tool.kb-lint]`` in pyproject.toml, or a ``kb-lint.toml`` file.

Rule selection works like Ruff's: ``select`` and ``ignore`` take rule ids or id prefixes
(``KB105`` selects every rule of pack 105); ``per-file-ignores`` maps path globs to ids.
Waivers accept a known finding with a reason, and optionally an owner and an expiry date.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError, did_you_mean, shown_path

CONFIG_FILES = ("kb-lint.toml", "pyproject.toml")
KEYS = {
    "rules",
    "select",
    "ignore",
    "per-file-ignores",
    "articles",
    "styles",
    "style",
    "waivers",
}
WAIVER_KEYS = {"rule", "path", "subject", "reason", "owner", "expires"}
# What a waiver key left empty should say, where the key's name alone does not tell.
WHY_EMPTY = {"reason": ": say why the finding is accepted", "rule": ": name the rule it waives"}
Position = tuple[int, int]


@dataclass(frozen=True)
class Waiver:
    """An accepted finding: which rule, where (glob), optionally about whom, and why."""

    rule: str
    reason: str
    path: str = "*"
    subject: str | None = None
    owner: str | None = None
    expires: dt.date | None = None
    source: str = ""
    root: Path | None = None  # the config file's folder, where ``path`` globs start
    line: int = 1  # where the waiver is written in its config file

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True)
class Config:
    root: Path
    rules: Path
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    articles: tuple[Path, ...] = ()
    styles: Path | None = None
    style: str = "riva"
    waivers: tuple[Waiver, ...] = ()
    source: str | None = None
    lines: TomlLines | None = field(default=None, compare=False, repr=False)
    rules_written: bool = False  # does the config file name ``rules``?

    def rules_folder(self) -> Path | None:
        """The rules folder of the project: the one the config names, or ``rules`` at its root
        when that exists (None when it does not). A folder the config names that does not exist
        is an error at its key: the shipped packs would otherwise be used without a word."""
        if self.rules.is_dir():
            return self.rules
        if self.rules_written:
            raise self.error(
                "rules", f"rules folder '{self.rules}' does not exist (or is not a folder)"
            )
        return None

    def error(self, key: str, message: str) -> InputError:
        """An input error at ``key`` of the config file."""
        where = self.lines.find(key) if self.lines else (1, 1)
        return InputError(self.source or "kb-lint.toml", *where, message)

    def selects(self, rule_id: str, path: str | None = None) -> bool:
        """Is ``rule_id`` on for ``path``? The longest matching prefix decides, as in Ruff.
        ``per-file-ignores`` globs are relative to the config file's folder."""
        if not _decide(rule_id, self.select or ("",), self.ignore):
            return False
        if path is None:
            return True
        for pattern, ids in self.per_file_ignores.items():
            if matches(path, pattern, self.root) and any(rule_id.startswith(i) for i in ids):
                return False
        return True

    def named_rules(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Each rule id or prefix ``select``, ``ignore``, ``per-file-ignores`` and the waivers'
        ``rule`` name, with where it is written (its pointer in the config file)."""
        named: list[tuple[tuple[str | int, ...], str]] = []
        for key, ids in (("select", self.select), ("ignore", self.ignore)):
            named += [((key, index), rule_id) for index, rule_id in enumerate(ids)]
        for pattern, ids in self.per_file_ignores.items():
            named += [(("per-file-ignores", pattern, i), rule_id) for i, rule_id in enumerate(ids)]
        named += [(("waivers", i, "rule"), waiver.rule) for i, waiver in enumerate(self.waivers)]
        return named

    def check_selection(self, known: set[str]) -> None:
        """``select``, ``ignore``, ``per-file-ignores`` and waiver ``rule`` entries must name a
        rule (an id or a prefix of one), as on the command line: a typo would otherwise turn
        every rule off, or none, or waive nothing."""
        for pointer, rule_id in self.named_rules():
            if not any(k.startswith(rule_id) for k in known):
                where = self.lines.find(*pointer) if self.lines else (1, 1)
                key = "waiver 'rule'" if pointer[0] == "waivers" else f"'{pointer[0]}'"
                raise InputError(
                    self.source or "kb-lint.toml",
                    *where,
                    f"{key} names {rule_id}: no rule has this id or prefix"
                    + did_you_mean(rule_id, known),
                )

    def with_selection(self, select: list[str] | None, ignore: list[str] | None) -> Config:
        """This config with command-line ``--select``/``--ignore`` taking precedence."""
        from dataclasses import replace

        return replace(
            self,
            select=tuple(select) if select else self.select,
            ignore=self.ignore + tuple(ignore or ()),
        )


def _decide(rule_id: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    best_select = max((len(p) for p in select if rule_id.startswith(p)), default=-1)
    best_ignore = max((len(p) for p in ignore if rule_id.startswith(p)), default=-1)
    return best_select > best_ignore


def matches(path: str, pattern: str, root: Path | None) -> bool:
    """Does the glob ``pattern`` match ``path``: as written, relative to ``root`` (the config
    file's folder) when the file is under it, or by its name alone?"""
    given = Path(path)
    shown = [given.as_posix(), given.name]
    if root is not None:
        resolved = given.resolve()
        if resolved.is_relative_to(root):
            shown.append(resolved.relative_to(root).as_posix())
    return any(fnmatch.fnmatch(text, pattern) for text in shown)


def find_config(start: Path) -> Path | None:
    """The nearest kb-lint.toml, or pyproject.toml with [tool.kb-lint], at or above start."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_section(candidate)):
                return candidate
    return None


def _has_section(pyproject: Path) -> bool:
    """Does this pyproject.toml hold ``[tool.kb-lint]``? One that cannot be read, or whose
    ``tool`` is not a table, is another tool's business: not a config."""
    try:
        tool = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(tool, dict) and "kb-lint" in tool


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """Load ``explicit``, else the nearest config file, else the defaults."""
    path = explicit or find_config((start or Path.cwd()).resolve())
    if path is None:
        root = (start or Path.cwd()).resolve()
        return Config(root=root, rules=root / "rules")
    name = shown_path(Path(path))
    from kb_lint.load.read import read_input

    raw = read_input(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(name, line, 1, f"config is not UTF-8: {exc.reason}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise InputError(name, line, col, f"invalid TOML: {_toml_problem(str(exc))}") from None
    except RecursionError:
        raise InputError(name, 1, 1, "invalid TOML: nested too deeply") from None
    prefix: tuple[str, ...] = ()
    if Path(path).name == "pyproject.toml":
        prefix = ("tool", "kb-lint")
        tool = doc.get("tool", {})
        doc = tool.get("kb-lint", {}) if isinstance(tool, dict) else {}
        if not isinstance(doc, dict):
            raise InputError(
                name, *TomlLines(text, ()).find("tool", "kb-lint"), "[tool.kb-lint] must be a table"
            )
    return _parse(doc, Path(path).resolve().parent, name, TomlLines(text, prefix))


def _toml_position(message: str) -> tuple[int, int]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found[1]), int(found[2])) if found else (1, 1)


def _toml_problem(message: str) -> str:
    """tomllib's message without the position it ends with (the error line gives it)."""
    return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", message)


class TomlLines:
    """Where each key of a TOML file is written: tomllib keeps no positions, so the text is
    read again, a line at a time, for table headers (``[a.b]``, ``[[waivers]]``) and
    ``key = value`` lines. ``prefix`` is the table the config lives in (``tool.kb-lint``)."""

    HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")

    def __init__(self, text: str, prefix: tuple[str, ...]) -> None:
        self.where: dict[tuple[str | int, ...], Position] = {}
        table: tuple[str | int, ...] = ()
        counts: dict[tuple[str | int, ...], int] = {}
        array: tuple[tuple[str | int, ...], int] | None = None  # an array still open, items seen
        for number, line in enumerate(text.splitlines(), start=1):
            if array is not None:
                array = self._items(array, number, line, 0)
                continue
            header = self.HEADER.match(line)
            if header:
                table = tuple(_key_parts(header[2]))
                if header[1] == "[[":
                    counts[table] = counts.get(table, -1) + 1
                    self.where.setdefault(table, (number, header.start(2) + 1))
                    table = (*table, counts[table])
                self.where.setdefault(table, (number, header.start(2) + 1))
                continue
            key = self.KEY.match(line)
            if key:
                pointer = (*table, *_key_parts(key[1]))
                self.where.setdefault(pointer, (number, key.start(1) + 1))
                if line[key.end() :].lstrip().startswith("["):
                    array = self._items((pointer, 0), number, line, key.end())
        self.prefix = prefix

    def _items(
        self, array: tuple[tuple[str | int, ...], int], number: int, line: str, at: int
    ) -> tuple[tuple[str | int, ...], int] | None:
        """The string items of an array on one of its lines (``select = ["A", "B"]``, or one
        item a line); the array and the items seen so far while it is still open."""
        pointer, index = array
        for item in re.finditer(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|\]|[^\s,\[\]#]+', line[at:]):
            if item[0] == "]":
                return None
            self.where.setdefault((*pointer, index), (number, at + item.start() + 1))
            index += 1
        return pointer, index

    def find(self, *pointer: str | int) -> Position:
        """The position of the key (or item, or table) at ``pointer``, or of its nearest
        parent that is written down."""
        full = (*self.prefix, *pointer)
        for cut in range(len(full), 0, -1):
            if full[:cut] in self.where:
                return self.where[full[:cut]]
        return 1, 1


def _key_parts(key: str) -> list[str]:
    """``a."b.c".d`` as ``["a", "b.c", "d"]``."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s]+)', key)
    return [quoted or literal or bare for quoted, literal, bare in parts]


def _parse(table: dict[str, Any], root: Path, source: str, lines: TomlLines) -> Config:
    def fail(message: str, *pointer: str | int) -> InputError:
        return InputError(source, *lines.find(*pointer), message)

    for key in table:
        if key not in KEYS:
            raise fail(f"unknown config key '{key}'{did_you_mean(key, KEYS)}", key)

    def text(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"'{key}' must be a non-empty string, not {_describe(value)}", key)
        return value

    def strings(value: Any, *pointer: str | int) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise fail(
                f"'{pointer[-1]}' must be a list of strings, not {_describe(value)}", *pointer
            )
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise fail(
                    f"'{pointer[-1]}' must be a list of strings; item {index + 1} is "
                    f"{_describe(item)}",
                    *pointer,
                    index,
                )
        return tuple(value)

    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise fail("'per-file-ignores' must be a table of glob = [ids]", "per-file-ignores")
    waivers = table.get("waivers", [])
    if not isinstance(waivers, list):
        raise fail("'waivers' must be an array of tables ([[waivers]])", "waivers")
    return Config(
        root=root,
        rules=root / text("rules", "rules"),
        select=strings(table.get("select", []), "select"),
        ignore=strings(table.get("ignore", []), "ignore"),
        per_file_ignores={g: strings(v, "per-file-ignores", g) for g, v in pfi.items()},
        articles=tuple(root / p for p in strings(table.get("articles", []), "articles")),
        styles=root / text("styles", "") if "styles" in table else None,
        style=text("style", "riva"),
        waivers=tuple(
            _waiver(w, i, fail, root, source, lines.find("waivers", i)[0])
            for i, w in enumerate(waivers)
        ),
        source=source,
        lines=lines,
        rules_written="rules" in table,
    )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"a date or time ({value.isoformat()})"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a string ({value!r})" if isinstance(value, str) else type(value).__name__


def _waiver(
    entry: Any, index: int, fail: Callable[..., InputError], root: Path, source: str, line: int
) -> Waiver:
    if not isinstance(entry, dict):
        raise fail(f"each waiver must be a table, not {_describe(entry)}", "waivers", index)
    for key in entry:
        if key not in WAIVER_KEYS:
            hint = did_you_mean(key, WAIVER_KEYS)
            raise fail(f"unknown waiver key '{key}'{hint}", "waivers", index, key)
    for key in ("rule", "reason"):
        if key not in entry:
            raise fail(f"a waiver needs a '{key}'", "waivers", index)
    for key in WAIVER_KEYS - {"expires"}:
        if key in entry and not isinstance(entry[key], str):
            raise fail(
                f"waiver '{key}' must be a string, not {_describe(entry[key])}",
                "waivers",
                index,
                key,
            )
        if key in entry and not entry[key].strip():
            raise fail(f"waiver '{key}' is empty{WHY_EMPTY.get(key, '')}", "waivers", index, key)
    expires = entry.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise fail(
                f"waiver 'expires' ('{expires}') is not a date (YYYY-MM-DD)",
                "waivers",
                index,
                "expires",
            ) from None
    elif isinstance(expires, dt.datetime):
        expires = expires.date()
    elif expires is not None and (not isinstance(expires, dt.date)):
        raise fail(
            f"waiver 'expires' must be a date (YYYY-MM-DD), not {_describe(expires)}",
            "waivers",
            index,
            "expires",
        )
    return Waiver(
        rule=entry["rule"],
        reason=entry["reason"],
        path=entry.get("path", "*"),
        subject=entry.get("subject"),
        owner=entry.get("owner"),
        expires=expires,
        source=source,
        root=root,
        line=line,
    )
