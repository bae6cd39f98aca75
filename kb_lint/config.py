"""Project configuration: ``[tool.kb-lint]`` in pyproject.toml, or a ``kb-lint.toml`` file.

Rule selection works like Ruff's: ``select`` and ``ignore`` take rule ids or id prefixes
(``KB105`` selects every rule of pack 105); ``per-file-ignores`` maps path globs to ids.
Waivers accept a known finding with a reason, and optionally an owner and an expiry date.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_lint.errors import InputError, did_you_mean

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

    def selects(self, rule_id: str, path: str | None = None) -> bool:
        """Is ``rule_id`` on for ``path``? The longest matching prefix decides, as in Ruff."""
        if not _decide(rule_id, self.select or ("",), self.ignore):
            return False
        if path is None:
            return True
        for pattern, ids in self.per_file_ignores.items():
            if _glob(path, pattern) and any(rule_id.startswith(i) for i in ids):
                return False
        return True

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


def _glob(path: str, pattern: str) -> bool:
    posix = Path(path).as_posix()
    return fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(Path(path).name, pattern)


def find_config(start: Path) -> Path | None:
    """The nearest kb-lint.toml, or pyproject.toml with [tool.kb-lint], at or above start."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_section(candidate)):
                return candidate
    return None


def _has_section(pyproject: Path) -> bool:
    try:
        return "kb-lint" in tomllib.loads(pyproject.read_text("utf-8")).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """Load ``explicit``, else the nearest config file, else the defaults."""
    path = explicit or find_config((start or Path.cwd()).resolve())
    if path is None:
        root = (start or Path.cwd()).resolve()
        return Config(root=root, rules=root / "rules")
    name = str(path)
    try:
        doc = tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise InputError(name, 1, 1, f"cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(name, 1, 1, f"config is not UTF-8: {exc.reason}") from None
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise InputError(name, line, col, f"invalid TOML: {exc}") from None
    table = doc.get("tool", {}).get("kb-lint", {}) if path.name == "pyproject.toml" else doc
    return _parse(table, Path(path).resolve().parent, name)


def _toml_position(message: str) -> tuple[int, int]:
    import re

    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found[1]), int(found[2])) if found else (1, 1)


def _parse(table: dict[str, Any], root: Path, source: str) -> Config:
    for key in table:
        if key not in KEYS:
            raise InputError(source, 1, 1, f"unknown config key '{key}'{did_you_mean(key, KEYS)}")
    ids = lambda key: tuple(_strings(table.get(key, []), key, source))  # noqa: E731
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise InputError(source, 1, 1, "'per-file-ignores' must be a table of glob = [ids]")
    return Config(
        root=root,
        rules=root / str(table.get("rules", "rules")),
        select=ids("select"),
        ignore=ids("ignore"),
        per_file_ignores={g: tuple(_strings(v, g, source)) for g, v in pfi.items()},
        articles=tuple(root / p for p in _strings(table.get("articles", []), "articles", source)),
        styles=root / str(table["styles"]) if "styles" in table else None,
        style=str(table.get("style", "riva")),
        waivers=tuple(_waiver(w, source) for w in table.get("waivers", [])),
        source=source,
    )


def _strings(value: Any, key: str, source: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(source, 1, 1, f"'{key}' must be a list of strings")
    return value


def _waiver(entry: Any, source: str) -> Waiver:
    if not isinstance(entry, dict):
        raise InputError(source, 1, 1, "each waiver must be a table")
    for key in entry:
        if key not in WAIVER_KEYS:
            hint = did_you_mean(key, WAIVER_KEYS)
            raise InputError(source, 1, 1, f"unknown waiver key '{key}'{hint}")
    if not entry.get("rule") or not entry.get("reason"):
        raise InputError(source, 1, 1, "a waiver needs a 'rule' and a 'reason'")
    expires = entry.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise InputError(source, 1, 1, f"waiver expiry '{expires}' is not a date") from None
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    return Waiver(
        rule=str(entry["rule"]),
        reason=str(entry["reason"]),
        path=str(entry.get("path", "*")),
        subject=entry.get("subject"),
        owner=entry.get("owner"),
        expires=expires,
        source=source,
    )
