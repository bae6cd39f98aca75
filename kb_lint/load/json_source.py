"""JSON files: parsed at C speed; positions found afterwards, only for the values asked about.

The parse is msgspec's, with json's (the standard library's) data and errors: a text msgspec
does not take is parsed by json (``_parsed``).

Python's json (as msgspec) keeps the last of a repeated key. Rather than a hook on every
mapping, the keys the data kept are counted (in bulk, level by level) against the colons of the
text (``_all_kept``); only a file where they differ is parsed again with the hook that finds the
repeated key.

``json`` keeps no positions, so the locator walks the text again along the wanted pointers
only: members and elements off the path are skipped with the C scanner, and an array of flat
objects (a policy's users) is indexed with one C search for its ``{`` characters.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from itertools import chain, compress, repeat
from json.decoder import scanstring
from json.scanner import make_scanner
from operator import is_, not_
from typing import Any

import msgspec

from kb_lint.errors import InputError
from kb_lint.limits import MAX_DIGITS
from kb_lint.load.document import TOO_LONG, AsciiText, Document, Pointer, Position, positions
from kb_lint.load.schema_errors import EMPTY_FILE

_WS = re.compile(r"[ \t\n\r]*")
_OPEN_BRACE = re.compile(r"\{")
_LONG_NUMBER = re.compile(r"-?\d{" + str(MAX_DIGITS + 1) + ",}")
_scan = make_scanner(json.JSONDecoder())

Trie = dict[Any, "Trie"]
HERE = object()  # trie key: a pointer ends at this node
_PLAIN = {str, int, float, bool, type(None)}


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise Refused
    return value


def _refuse(name: str) -> None:
    raise Refused


class Refused(Exception):
    """Valid to Python's json, but not JSON: a repeated key (json would keep the last one), or
    NaN or Infinity."""


def _parsed(text: str | bytes) -> Any:
    """``json.loads(text)``, NaN and Infinity refused, at msgspec's speed: its parser gives
    json's data for every text it takes (``tests/load/test_json_parsers.py``). A text it does
    not take is parsed by json, whose errors are kb-lint's: invalid JSON, and what json takes
    and msgspec does not (1e400, a lone surrogate's escape, nesting past its depth). ``text``
    may be ASCII bytes (json reads them as UTF-8: the same text)."""
    try:  # a text of other than ASCII in UTF-8: as a str, msgspec would keep its UTF-8 copy
        return msgspec.json.decode(
            text if isinstance(text, bytes) or text.isascii() else text.encode()
        )
    except (msgspec.MsgspecError, RecursionError, UnicodeEncodeError):  # the last: a surrogate
        return json.loads(text, parse_constant=_refuse)


def load_json(path: str, source: str | AsciiText) -> Document:
    """The JSON file at ``path``: ``source`` is its text, or its bytes when they are ASCII
    (``AsciiText``: parsed and counted as bytes, the text made only when a position is asked
    for, so that a file without findings is never decoded)."""
    written = source if isinstance(source, str) else source.octets
    try:
        data = _parsed(written)
        keys, deepest, counted = _census(written, data)
        if not _all_kept(written, data, keys):
            data = json.loads(written, object_pairs_hook=_unique, parse_constant=_refuse)
            counted = {}  # of the lists parsed first
    except json.JSONDecodeError as exc:
        if not written.strip():
            raise InputError(path, 1, 1, EMPTY_FILE) from None
        raise InputError(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except Refused:
        raise _refused(path, _text(source)) from None
    except RecursionError:
        text = _text(source)
        line, column = positions(text, {(): _too_deep(text)})[()]
        raise InputError(path, line, column, "invalid JSON: nested too deeply") from None
    except ValueError:  # an integer longer than Python converts
        text = _text(source)
        found = _LONG_NUMBER.search(text)
        line, column = positions(text, {(): found.start() if found else 0})[()]
        raise InputError(path, line, column, TOO_LONG) from None
    return Document(path, source, data, JsonLocator(source, data, deepest), counted=counted)


def _text(source: str | AsciiText) -> str:
    return source if isinstance(source, str) else source.text


def _count(text: str | bytes, mark: str) -> int:
    """How often ``mark`` is written in ``text`` (of str or ASCII bytes)."""
    return text.count(mark) if isinstance(text, str) else text.count(mark.encode("ascii"))


def _census(text: str | bytes, data: Any) -> tuple[int, int | None, dict[int, int]]:
    """The number of keys ``data`` (parsed from ``text``) holds; the depth below which no
    mapping lies, when each ``{`` of the text starts one of its mappings (none is inside a
    string, none was lost to a repeated key), else None; and the members of the mappings of
    each long list of mappings alone (a policy's users), by the list's id, which bulk
    validation takes instead of counting them again (``Document.counted``)."""
    braces = _count(text, "{")
    keys = mappings = 0
    counted: dict[int, int] = {}
    for depth, group, dicts, members, whole in _levels(data):
        keys += members
        mappings += len(dicts)
        if whole and dicts is group:
            counted[id(group)] = members
        if mappings == braces:  # every mapping counted: the levels below hold none
            return keys, depth, counted
    return keys, None, counted


def _all_kept(text: str | bytes, data: Any, keys: int) -> bool:
    """Whether ``data`` (parsed from ``text``) kept every key written, so that none repeats.
    Each key written is followed by a colon; the other colons of the text are inside strings,
    and without ``\\u`` escapes each of those is one colon of a string of the data. A repeated
    key loses its first member, key and value: its colons and keys are then missing from the
    data (``keys`` it holds). The strings are counted only when the keys alone do not add up."""
    written = _count(text, ":")
    if keys == written:
        return True
    if _count(text, "\\u"):  # a colon written as an escape: the counts cannot tell
        return False
    colons = 0
    for _, level, dicts, _, _ in _levels(data):
        strings = compress(level, map(is_, map(type, level), repeat(str)))
        colons += "".join(chain(strings, chain.from_iterable(dicts))).count(":")
    return keys + colons == written


LONG = 1024  # elements of a list that is a group of its own (``_levels``)


def _levels(data: Any) -> Iterator[tuple[int, list[Any], list[dict[str, Any]], int, bool]]:
    """The values of ``data`` level by level (the top, then the members of its mappings and the
    elements of its lists, and so on), in groups, each with its depth, its mappings, their
    number of members, and whether it is one list of the data; in bulk, at C speed. Members
    and elements are apart, and a list of ``LONG`` elements or more is a group of its own: a
    list of mappings only (a policy's users) needs no look at the type of each, nor a copy."""
    groups: list[tuple[list[Any], bool]] = [([data], False)]
    depth = 0
    while groups:
        mappings: list[list[dict[str, Any]]] = []
        lists: list[list[Any]] = []
        for group, whole in groups:
            try:
                members = sum(map(dict.__len__, group))
                dicts = group
            except TypeError:
                types = list(map(type, group))
                dicts = list(compress(group, map(is_, types, repeat(dict))))
                lists.extend(compress(group, map(is_, types, repeat(list))))
                members = sum(map(len, dicts))
            yield depth, group, dicts, members, whole
            mappings.append(dicts)
        # the level below made once this one is seen whole (a reader may stop at its end)
        values = list(chain.from_iterable(map(dict.values, chain.from_iterable(mappings))))
        long = list(map(LONG.__le__, map(len, lists)))
        elements = list(chain.from_iterable(compress(lists, map(not_, long))))
        own = [(g, True) for g in compress(lists, long)]
        groups = [(g, False) for g in (values, elements) if g] + own
        depth += 1


def _too_deep(text: str, depth: int = 200) -> int:
    """The offset of the first ``[`` or ``{`` nested ``depth`` deep (strings skipped)."""
    level = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{\]}]', text):
        char = match[0]
        if char in "[{":
            level += 1
            if level >= depth:
                return match.start()
        elif char in "]}":
            level -= 1
    return 0


def _refused(path: str, text: str) -> InputError:
    try:
        offset, problem = JsonText(text).first_refused()
    except RecursionError:
        line, column = positions(text, {(): _too_deep(text)})[()]
        return InputError(path, line, column, "invalid JSON: nested too deeply")
    line, column = positions(text, {(): offset})[()]
    return InputError(path, line, column, problem)


class JsonText:
    """A walk over text that Python's json accepts: offsets of members and elements. The text
    of an ``AsciiText`` is made when the walk first reads it."""

    def __init__(self, source: str | AsciiText) -> None:
        self.source = source

    @property
    def text(self) -> str:
        return _text(self.source)

    def ws(self, i: int) -> int:
        return _WS.match(self.text, i).end()

    def end(self, i: int) -> int:
        """The offset just past the value that starts at ``i``."""
        return _scan(self.text, i)[1]

    def object(self, i: int, member: Callable[[str, int, int], int | None]) -> int:
        """Call ``member(key, key offset, value offset)`` for each member of the object at
        ``i``; it gives back where the value ends, or None to have it skipped. Returns the
        object's end."""
        text = self.text
        i = self.ws(i + 1)
        while text[i] != "}":
            key, j = scanstring(text, i + 1)
            start = self.ws(self.ws(j) + 1)
            end = member(key, i, start)
            i = self.ws(self.end(start) if end is None else end)
            if text[i] == ",":
                i = self.ws(i + 1)
        return i + 1

    def array(self, i: int, element: Callable[[int, int], int | None]) -> int:
        """Call ``element(index, offset)`` for each element of the array at ``i``, as
        ``object`` does for members."""
        text = self.text
        i, index = self.ws(i + 1), 0
        while text[i] != "]":
            end = element(index, i)
            i = self.ws(self.end(i) if end is None else end)
            if text[i] == ",":
                i = self.ws(i + 1)
            index += 1
        return i + 1

    def first_refused(self) -> tuple[int, str]:
        """Offset and description of the first repeated key or non-finite number."""
        problems: list[tuple[int, str]] = []

        def value(i: int) -> int:
            if self.text[i] == "{":
                seen: dict[str, int] = {}

                def member(key: str, key_at: int, start: int) -> int:
                    if key in seen:
                        first = self.text.count("\n", 0, seen[key]) + 1
                        problems.append((key_at, f"duplicate key '{key}' (first on line {first})"))
                    seen.setdefault(key, key_at)
                    return value(start)

                return self.object(i, member)
            if self.text[i] == "[":
                return self.array(i, lambda _, start: value(start))
            scalar, end = _scan(self.text, i)
            # NaN and Infinity are not JSON; a number too large for a float (1e400) is.
            written = self.text[i:end]
            if isinstance(scalar, float) and not math.isfinite(scalar) and written[-1:] in "yN":
                problems.append((i, f"{written} is not a JSON number"))
            return end

        value(self.ws(0))
        return min(problems)


class JsonLocator:
    """``deepest``: when every ``{`` of the text starts a mapping of ``data``, the depth (the
    length of a pointer) below which no mapping lies; else None."""

    def __init__(self, source: str | AsciiText, data: Any, deepest: int | None = None) -> None:
        self.walk = JsonText(source)
        self.data = data
        self.deepest = deepest

    def values(self, pointers: set[Pointer]) -> dict[Pointer, Position]:
        values, _ = self._offsets(pointers)
        return positions(self.walk.text, values) if values else {}

    def span(self, pointer: Pointer) -> tuple[int, int] | None:
        values, _ = self._offsets({pointer})
        start = values[pointer]
        return start, self.walk.end(start)

    def key(self, pointer: Pointer) -> Position:
        values, keys = self._offsets({pointer})
        return positions(self.walk.text, {pointer: keys.get(pointer, values[pointer])})[pointer]

    def _offsets(self, pointers: set[Pointer]) -> tuple[dict[Pointer, int], dict[Pointer, int]]:
        trie: Trie = {}
        for pointer in pointers:
            node = trie
            for part in pointer:
                node = node.setdefault(part, {})
            node[HERE] = {}
        values: dict[Pointer, int] = {}
        keys: dict[Pointer, int] = {}
        if not trie:  # nothing asked: the text is not read (nor, from bytes, made)
            return values, keys
        start = self.walk.ws(0)
        if trie.keys() - {HERE}:  # below the top: walk (the top alone needs no walk)
            self._visit(start, self.data, trie, (), values, keys)
        else:
            values[()] = start
        return values, keys

    def _visit(
        self,
        i: int,
        value: Any,
        trie: Trie,
        prefix: Pointer,
        values: dict[Pointer, int],
        keys: dict[Pointer, int],
    ) -> int:
        """Record the wanted offsets under the value at ``i``; return where the value ends."""
        if HERE in trie:
            values[prefix] = i
        wanted = {part: sub for part, sub in trie.items() if part is not HERE}
        if not wanted or not isinstance(value, dict | list):
            _fall_back(wanted, prefix, i, values)
            return self.walk.end(i)
        if isinstance(value, dict):

            def member(key: str, key_at: int, start: int) -> int | None:
                sub = wanted.pop(key, None)
                if sub is None:
                    return None
                keys[(*prefix, key)] = key_at
                return self._visit(start, value[key], sub, (*prefix, key), values, keys)

            end = self.walk.object(i, member)
        elif _flat(value, self.deepest is not None and self.deepest <= len(prefix) + 1):
            # No other brace in the elements: the n-th "{" of the array starts its n-th element.
            indexes = sorted(k for k in wanted if isinstance(k, int) and 0 <= k < len(value))
            starts = _braces(self.walk, i, [*indexes, len(value) - 1])
            for index, start in zip(indexes, starts, strict=False):
                sub = wanted.pop(index)
                if sub.keys() == {HERE}:  # the element itself, nothing below it
                    values[(*prefix, index)] = start
                else:
                    self._visit(start, value[index], sub, (*prefix, index), values, keys)
            end = self.walk.ws(self.walk.end(starts[-1])) + 1
        else:

            def element(index: int, start: int) -> int | None:
                sub = wanted.pop(index, None)
                if sub is None:
                    return None
                return self._visit(start, value[index], sub, (*prefix, index), values, keys)

            end = self.walk.array(i, element)
        _fall_back(wanted, prefix, i, values)
        return end


def _braces(walk: JsonText, start: int, indexes: list[int]) -> list[int]:
    """The offsets of the ``indexes``-th ``{`` (in order, from 0) after ``start``. Each is
    looked for in one window that, at the mean width of the elements passed, ends half an
    element past it: the window's braces are counted at C speed, and the few the estimate is
    off by (``STEPS`` at most) are stepped over one by one, back from the window's end or on
    from it. A window off by more is halved (too many braces) or passed (too few), and the
    width estimated again. Cost: about one count and two steps per index."""
    text = walk.text
    first = text.index("{", start)
    width = walk.end(first) - first + 1.0  # characters per element: the first one's, at first
    at, passed, offsets = first, 0, []  # ``passed`` braces lie before ``at``
    for index in indexes:
        need = index - passed + 1  # braces from ``at`` up to the one wanted, with it
        while True:
            end = min(at + max(int((need - 0.5) * width), 1), len(text))
            found = text.count("{", at, end)
            if found >= need:  # the one wanted is in the window
                if found - need < STEPS:
                    for _ in range(found - need + 1):
                        end = text.rfind("{", at, end)
                    break
                width /= 2
            elif need - found <= STEPS or end == len(text):  # a few braces past the window
                end -= 1
                for _ in range(need - found):
                    end = text.index("{", end + 1)
                break
            else:
                at, need, passed = end, need - found, passed + found
                width = (at - first) / passed if passed else width
        at, passed = end, index
        width = (at - first) / passed if passed else width
        offsets.append(at)
    return offsets


STEPS = 8  # braces stepped over one by one, at most, when a window's estimate is off


def _flat(value: list[Any], no_mapping_below: bool) -> bool:
    """A list of mappings in whose text no ``{`` but their own is written: known at once when
    the parse found every ``{`` of the file a mapping and none below these (``no_mapping_below``);
    else mappings of plain values with no brace in any key or value (a million users are a few
    joins at C speed)."""
    if not value or not set(map(type, value)) <= {dict}:
        return False
    if no_mapping_below:
        return True
    keys = set(chain.from_iterable(value))
    try:  # string values (users) in one join
        text = "".join(chain(keys, chain.from_iterable(map(dict.values, value))))
    except TypeError:  # numbers, booleans, nulls beside them; or a nested value
        values = list(chain.from_iterable(map(dict.values, value)))
        if not set(map(type, values)) <= _PLAIN:
            return False
        text = "".join(chain(keys, compress(values, map(isinstance, values, repeat(str)))))
    return "{" not in text and "}" not in text


def _fall_back(wanted: Trie, prefix: Pointer, offset: int, values: dict[Pointer, int]) -> None:
    """Pointers below a part that is not there are located at their deepest existing parent."""
    for part, sub in wanted.items():
        for tail in _ends(sub):
            values[(*prefix, part, *tail)] = offset


def _ends(trie: Trie) -> list[Pointer]:
    found: list[Pointer] = [()] if HERE in trie else []
    for part, sub in trie.items():
        if part is not HERE:
            found.extend((part, *tail) for tail in _ends(sub))
    return found
