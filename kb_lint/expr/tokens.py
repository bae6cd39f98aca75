"""The tokens of an expression, each at its offset in a ``Source`` (the text and where it sits
in its file, for the position of every error): numbers, strings, names, operators and the end.
One pass over the text, O(length); a character the language has no use for is an error at it,
with a hint where one is likely meant ('=' for '==', '&' for 'and')."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from kb_lint.errors import InputError


class Source:
    """The expression's text and where it sits in its file: ``position`` gives the line and
    column of each character, or else every line of the text starts at ``column``."""

    def __init__(
        self,
        text: str,
        path: str,
        line: int,
        column: int,
        position: Callable[[int], tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.path = path
        self.line = line
        self.column = column
        self.position = position

    def error(self, offset: int, message: str) -> InputError:
        if self.position is not None:
            return InputError(self.path, *self.position(offset), message)
        lines_before = self.text.count("\n", 0, offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return InputError(
            self.path, self.line + lines_before, self.column + offset - line_start, message
        )


class Token(NamedTuple):
    kind: str  # number, string, name, op, end
    text: str
    value: Any
    start: int


_TOKEN = re.compile(
    r"(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|[-+*/<>()\[\].,])",
    re.ASCII,
)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t"}
_CHARACTER_HINTS = {
    "=": "use '==' to compare",
    "!": "use 'not' or '!='",
    "&": "use 'and'",
    "|": "use 'or'",
}
WORD_HINTS = {
    "True": "write 'true'",
    "False": "write 'false'",
    "None": "write 'null'",
    "is": "write '==' or '!='",
}


def tokenize(src: Source) -> list[Token]:
    text = src.text
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif char in "'\"":
            value, end = _scan_string(src, pos)
            tokens.append(Token("string", text[pos:end], value, pos))
            pos = end
        elif match := _TOKEN.match(text, pos):
            kind = match.lastgroup or "op"
            if kind == "number" and re.match(r"[A-Za-z0-9_.]", text[match.end() : match.end() + 1]):
                raise src.error(pos, f"malformed number '{text[pos : match.end() + 1]}'")
            value = None
            if kind == "number":
                value = float(match[0]) if re.search("[.eE]", match[0]) else int(match[0])
            tokens.append(Token(kind, match[0], value, pos))
            pos = match.end()
        else:
            hint = _CHARACTER_HINTS.get(char)
            raise src.error(pos, f"unexpected character '{char}'" + (f"; {hint}" if hint else ""))
    tokens.append(Token("end", "", None, len(text)))
    return tokens


def _scan_string(src: Source, start: int) -> tuple[str, int]:
    text, quote = src.text, src.text[start]
    parts: list[str] = []
    pos = start + 1
    while pos < len(text) and text[pos] != "\n":
        char = text[pos]
        if char == quote:
            return "".join(parts), pos + 1
        if char == "\\" and pos + 1 < len(text):
            escape = text[pos + 1]
            if escape not in _ESCAPES:
                raise src.error(pos, f"unknown escape '\\{escape}'; use '\\\\' for a backslash")
            parts.append(_ESCAPES[escape])
            pos += 2
        else:
            parts.append(char)
            pos += 1
    raise src.error(start, f"unterminated string: no closing {quote} on this line")
