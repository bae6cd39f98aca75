"""Word kinds, run on the article's prose: terminology, "a" or "an", repeated words.

Each reads the prose once with one compiled pattern; offsets in the prose are offsets in the
article's text, so every hit has its exact position and its fix is a replacement of the span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb_lint.articles.fix import Edit
from kb_lint.articles.kind import Fail, Hit, Kind, Target

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule

VOWEL, CONSONANT = "an", "a"
# Letters whose names start with a vowel sound: "an F", "an MSP", "an SQL".
VOWEL_LETTERS = frozenset("aefhilmnorsx")


@dataclass(frozen=True)
class Swaps:
    pattern: re.Pattern[str]
    replacements: tuple[str, ...]


def _swaps(params: dict[str, Any], fail: Fail) -> Swaps:
    flags = re.IGNORECASE if params["ignore-case"] else 0
    groups = []
    for index, wrong in enumerate(params["swap"]):
        try:
            re.compile(wrong, flags)
        except re.error as exc:
            raise fail(("swap", wrong), f"bad pattern: {exc}", key=True) from None
        groups.append(f"(?P<s{index}>{wrong})")
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)", flags)
    return Swaps(pattern, tuple(params["swap"].values()))


def _substitution(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    swaps: Swaps = rule.prepared
    for match in swaps.pattern.finditer(target.prose):
        wanted = swaps.replacements[int(str(match.lastgroup)[1:])]
        written = match.group()
        if written != wanted:
            yield target.hit_at(
                match.start(),
                f'write "{wanted}", not "{written}"',
                edit=Edit(match.start(), match.end(), wanted),
                fix=f'replace with "{wanted}"',
            )


# "a" or "an", the space (or one line break) after it, markup, then the word: the part that
# decides the sound, and the rest of a hyphenated word for the message.
ARTICLE = re.compile(
    r"(?<![\w\0'’./\\@-])(an?|An?)([ \t]*\n[ \t]*|[ \t]+)[*_\[(\"'“‘]*"
    r"([A-Za-z0-9]+)((?:-[A-Za-z0-9]+)*)"
)
SENTENCE_END = frozenset(".!?:;\"'“‘(>#*+-|\n\0")


class Sounds:
    """Whether a word starts with a vowel or a consonant sound, as far as spelling tells.

    The style's lists decide first (the longest match wins): ``vowel-sound`` and
    ``consonant-sound`` are patterns matched at the start of the lower-cased word, ``either``
    words take both ("a SQL" or "an SQL"). Acronyms are read letter by letter ("an MSP",
    "a URL") unless ``spoken-acronyms`` lists them ("a NATO"); numbers by how they are said
    ("an 8", "an 11", "a 100").
    """

    def __init__(self, params: dict[str, Any], fail: Fail) -> None:
        self.vowel = _compiled(params, "vowel-sound", fail)
        self.consonant = _compiled(params, "consonant-sound", fail)
        self.either = _compiled(params, "either", fail)
        self.spoken = frozenset(params["spoken-acronyms"])
        self.known: dict[str, str | None] = {}

    def sound(self, word: str) -> str | None:
        if word not in self.known:
            if len(self.known) > 10_000:
                self.known.clear()
            self.known[word] = self._sound(word)
        return self.known[word]

    def _sound(self, word: str) -> str | None:
        lower = word.lower()
        if any(p.match(lower) for p in self.either):
            return None
        if word[0].isdigit():
            return _number_sound(word)
        if len(word) == 1 or (word.isupper() and word not in self.spoken):
            return VOWEL if lower[0] in VOWEL_LETTERS else CONSONANT
        vowel = max((m.end() for p in self.vowel if (m := p.match(lower))), default=0)
        consonant = max((m.end() for p in self.consonant if (m := p.match(lower))), default=0)
        if vowel or consonant:
            return VOWEL if vowel > consonant else CONSONANT
        return VOWEL if lower[0] in "aeiou" else CONSONANT


def _compiled(params: dict[str, Any], key: str, fail: Fail) -> tuple[re.Pattern[str], ...]:
    out = []
    for index, pattern in enumerate(params[key]):
        try:
            out.append(re.compile(pattern))
        except re.error as exc:
            raise fail((key, index), f"bad pattern: {exc}") from None
    return tuple(out)


def _number_sound(word: str) -> str:
    digits = re.match(r"\d+", word)
    number = digits.group() if digits else word
    if number[0] == "8":
        return VOWEL
    # eleven, eighteen; eleven thousand, eighteen million...
    if number[:2] in ("11", "18") and len(number) % 3 == 2:
        return VOWEL
    return CONSONANT


def _indefinite_article(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    sounds: Sounds = rule.prepared
    prose = target.prose
    for match in ARTICLE.finditer(prose):
        written, word = match.group(1), match.group(3) + match.group(4)
        if written[0] == "A" and not _sentence_start(prose, match.start()):
            continue  # "Plan A", "Type A user": a label, not the article
        sound = sounds.sound(match.group(3))
        if sound is None or written.lower() == sound:
            continue
        wanted = sound if written[0] == "a" else sound.capitalize()
        yield target.hit_at(
            match.start(),
            f'write "{wanted} {word}", not "{written} {word}"',
            edit=Edit(match.start(), match.end(1), wanted),
            fix=f'write "{wanted}"',
        )


def _sentence_start(prose: str, offset: int) -> bool:
    index = offset - 1
    while index >= 0 and prose[index] in " \t":
        index -= 1
    return index < 0 or prose[index] in SENTENCE_END


REPEATED = re.compile(
    r"(?<![\w\0'’-])([^\W\d_]+)([ \t]*\n[ \t]*|[ \t]+)(\1)(?![\w'’-])", re.IGNORECASE
)


def _repetition(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    allowed = {word.casefold() for word in rule.params["allow"]}
    for match in REPEATED.finditer(target.prose):
        word = match.group(3)
        if word.casefold() in allowed:
            continue
        yield target.hit_at(
            match.start(3),
            f'"{word}" twice in a row',
            edit=Edit(match.end(1), match.end(3), ""),
            fix=f'delete the second "{word}"',
        )


STRINGS = {"type": "array", "items": {"type": "string"}, "default": []}

SUBSTITUTION = Kind(
    name="substitution",
    summary="Terms written the house way: each key of `swap` is a pattern (a whole word or "
    "phrase, case-sensitive unless `ignore-case`) and its value what to write instead.",
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["swap"],
        "properties": {
            "swap": {"type": "object", "additionalProperties": {"type": "string"}},
            "ignore-case": {"type": "boolean", "default": False},
        },
    },
    check=_substitution,
    prepare=_swaps,
    fixable=True,
)
INDEFINITE_ARTICLE = Kind(
    name="indefinite-article",
    summary='"a" before a consonant sound, "an" before a vowel sound, as the word is said.',
    params={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "vowel-sound": STRINGS,
            "consonant-sound": STRINGS,
            "either": STRINGS,
            "spoken-acronyms": STRINGS,
        },
    },
    check=_indefinite_article,
    prepare=Sounds,
    fixable=True,
)
REPETITION = Kind(
    name="repetition",
    summary='No word twice in a row ("the the"), except the words in `allow`.',
    params={
        "type": "object",
        "additionalProperties": False,
        "properties": {"allow": STRINGS},
    },
    check=_repetition,
    fixable=True,
)
