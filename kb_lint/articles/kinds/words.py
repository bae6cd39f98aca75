"""Word kinds, run on the article's prose: terminology, "a" or "an", repeated words.

Each reads the prose with one compiled pattern, written so that the regex engine can skip
ahead at C speed to where a match may start (a literal first, not a lookbehind); offsets in
the prose are offsets in the article's text, so every hit has its exact position and its fix
is a replacement of the span. Most articles have no such finding: before the prose is built
and the pattern run, a test at C speed on the whole text (``Target.words``, substring
searches) rules that out. Each test is looser than its pattern, never stricter, which a
Hypothesis test checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import compress, islice
from operator import eq
from typing import TYPE_CHECKING, Any

from kb_lint.articles.fix import Edit
from kb_lint.articles.kind import SCAN, Fail, Hit, Kind, Target, split_words
from kb_lint.load.patterns import compile_pattern, place

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule

VOWEL, CONSONANT = "an", "a"
# Letters whose names start with a vowel sound: "an F", "an MSP", "an SQL".
VOWEL_LETTERS = frozenset("aefhilmnorsx")


@dataclass(frozen=True)
class Swaps:
    """Every wrong spelling in one pattern of literals, and the term to write for each.

    A wrong spelling is found as a word of its own, or at the start of a hyphenated word
    ("Groupwise-based", "Javascript-enabled"); not after a hyphen ("non-Groupwise" may be a
    name of its own).
    """

    pattern: re.Pattern[str]
    wanted: dict[str, str]
    ignore_case: bool
    literals: tuple[tuple[str, list[str], frozenset[str]], ...]
    """Each wrong spelling, with its lower-cased words as ``Target.words`` splits them."""
    vocabulary: frozenset[str]

    def possible(self, target: Target) -> bool:
        """Whether the article's words have all those of a wrong spelling, in a row, and,
        unless case does not matter, its text has the spelling as written. Each test is
        looser than the pattern, never stricter; the quickest go first."""
        words = target.words
        if words is None:
            return True
        present = self.vocabulary.intersection(words)
        text = target.article.source.text
        return any(
            (self.ignore_case or wrong in text) and _in_a_row(words, needed)
            for wrong, needed, each in self.literals
            if each <= present
        )

    def term(self, written: str) -> str:
        wanted = self.wanted[written.casefold() if self.ignore_case else written]
        if written[0].isupper() and wanted[0].islower():
            return wanted[0].upper() + wanted[1:]  # "E-mail" at the start of a sentence
        return wanted


def _in_a_row(words: list[str], needed: list[str]) -> bool:
    first, size = needed[0], len(needed)
    index = words.index(first)
    while words[index : index + size] != needed:
        try:
            index = words.index(first, index + 1)
        except ValueError:
            return False
    return True


def _swaps(params: dict[str, Any], fail: Fail) -> Swaps:
    ignore_case = params["ignore-case"]
    wanted: dict[str, str] = {}
    for term, wrongs in params["swap"].items():
        for index, wrong in enumerate(wrongs):
            key = wrong.casefold() if ignore_case else wrong
            if key in wanted:
                message = f"'{wrong}' is also listed under '{wanted[key]}'"
                raise fail(("swap", term, index), message)
            wanted[key] = term
    # Longest first, so that "On-Premises" is not read as "On-Prem" and then "ises". An
    # alternation of literals starts with a literal: the engine skips to its first letters.
    literals = sorted(wanted, key=len, reverse=True)
    either = "|".join(map(re.escape, literals))
    flags = re.IGNORECASE if ignore_case else 0
    split = [(wrong, split_words(wrong)) for wrong in literals]
    words = tuple((wrong, needed, frozenset(needed)) for wrong, needed in split)
    vocabulary = frozenset(word for _, needed in split for word in needed)
    pattern = re.compile(rf"(?:{either})(?!\w)", flags)
    return Swaps(pattern, wanted, ignore_case, words, vocabulary)


def _substitution(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    swaps: Swaps = rule.prepared
    if not swaps.possible(target):
        return
    prose = target.prose
    for match in swaps.pattern.finditer(prose):
        start = match.start()
        if start and (prose[start - 1].isalnum() or prose[start - 1] in "_\0-"):
            continue  # inside a word, after a hyphen, or glued to code
        written = match.group()
        wanted = swaps.term(written)
        if written != wanted:
            yield target.hit_at(
                start,
                f'write "{wanted}", not "{written}"',
                edit=Edit(start, match.end(), wanted),
                fix=f'replace with "{wanted}"',
            )


# "a" or "an" after a character that does not join words (the engine stops only at an "a");
# then, looked ahead at so that the next "a" can be found too, the space or one line break,
# markup, and the word: the part that decides the sound, and the rest of a hyphenated word.
ARTICLE = re.compile(
    r"[aA](?<=[^\w\0'’./\\@-][aA])n?(?=([ \t]*\n[ \t]*|[ \t]+)[*_\[(\"'“‘]*"
    r"([A-Za-z0-9]+)((?:-[A-Za-z0-9]+)*))"
)
SENTENCE_END = frozenset(".!?:;\"'“‘(>#*+-|\n\0")
# Words after which "a" is a letter used as a label ("press a or b", "a to z"), not the article.
LABEL_FOLLOWERS = frozenset({"and", "or", "nor", "to", "through", "vs", "versus"})
# A letter in a list of letters just before an "a" ("b, a", "b or a"): that "a" is one too.
LETTER_LIST = re.compile(r"(?<![\w'’])[A-Za-z](?:,[ \t]*|[ \t]+(?:and|or|nor)[ \t]+)$")


class Sounds:
    """Whether a word starts with a vowel or a consonant sound, as far as spelling tells.

    The style's lists decide first (the longest match wins): ``vowel-sound`` and
    ``consonant-sound`` are patterns matched at the start of the lower-cased word, ``either``
    words take both ("a SQL" or "an SQL"). Acronyms, and a letter before a digit, are read
    letter by letter ("an MSP", "a URL", "an x86") unless ``spoken-acronyms`` lists them ("a
    NATO"); numbers by how they are said ("an 8", "an 11", "a 100").
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
        if len(word) == 1 or word[1].isdigit() or (word.isupper() and word not in self.spoken):
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
            out.append(compile_pattern(pattern, 0, place(fail((key, index), ""))))
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
    if not _may_mismatch(target, sounds):
        return
    prose = target.prose
    for match in ARTICLE.finditer(target.scan):
        written, word = match.group(), match.group(2) + match.group(3)
        start = match.start() - SCAN
        if written[0] == "A" and not _sentence_start(prose, start):
            continue  # "Plan A", "Type A user": a label, not the article
        if _a_letter(prose, start, match):
            continue
        sound = sounds.sound(match.group(2))
        if sound is None or written.lower() == sound:
            continue
        wanted = sound if written[0] == "a" else sound.capitalize()
        yield target.hit_at(
            start,
            f'write "{wanted} {word}", not "{written} {word}"',
            edit=Edit(start, start + len(written), wanted),
            fix=f'write "{wanted}"',
        )


# "a" or "an" as a word, and the word after it (looked ahead at: the next "a" may be that
# word); each pattern starts with its letter, so that the engine stops only there.
FOLLOWED = r"(n?)(?=(?:[ \t]*\n[ \t]*|[ \t]+)[*_\[(\"'“‘]*([A-Za-z0-9]+))"
LOWER_A = re.compile(rf"a(?<=[^\w'’./\\@-]a){FOLLOWED}")
UPPER_A = re.compile(rf"A(?<=[^\w'’./\\@-]A){FOLLOWED}")


def _may_mismatch(target: Target, sounds: Sounds) -> bool:
    """False when no "a" or "an" in the text is followed by a word of the other sound: what
    ``ARTICLE`` finds in the prose, without its boundary and masks (so more), found by a fast
    search for the letter "a" and looked at only where a word follows."""
    text = "\n" + target.article.source.text
    for n, word in (*LOWER_A.findall(text), *UPPER_A.findall(text)):
        sound = sounds.sound(word)
        if sound is not None and sound != "a" + n:
            return True
    return False


def _a_letter(prose: str, start: int, match: re.Match[str]) -> bool:
    """Whether the "a" at ``start`` is a letter used as a label: before "or", "and", "to"...
    (a word alone, not "a to-do"), or after another letter in a list."""
    if not match.group(3) and match.group(2).lower() in LABEL_FOLLOWERS:
        return True
    return LETTER_LIST.search(prose, max(0, start - 12), start) is not None


def _sentence_start(prose: str, offset: int) -> bool:
    index = offset - 1
    while index >= 0 and prose[index] in " \t":
        index -= 1
    return index < 0 or prose[index] in SENTENCE_END


# A word after a character that does not join words, then (looked ahead at) the space or one
# line break after it and the same word again, in any case.
REPEATED = re.compile(r"[^\w\0'’-]([^\W\d_]++)(?=([ \t]*\n[ \t]*|[ \t]+)((?i:\1))(?![\w'’-]))")


def _repeats(target: Target) -> Iterator[tuple[int, int, int]]:
    """(end of the first word, start of the second, length) for each word twice in a row, as
    offsets in ``Target.scan``.

    Matching ``REPEATED`` stops at every word. In ASCII text there is a quicker way: a word
    twice in a row is two equal neighbours among the lower-cased ``Target.words``; only those
    few words are then looked for, by a pattern that starts with the word itself and so is
    found by a fast substring search.
    """
    words = target.words
    if words is None:
        for match in REPEATED.finditer(target.scan):
            yield match.end(1), match.start(3), len(match.group(1))
        return
    twice = {w for w in compress(words, map(eq, words, islice(words, 1, None))) if w.isalpha()}
    patterns = [
        (
            word,
            re.compile(rf"{word}(?<=[^\w\0'-]{word})(?=([ \t]*\n[ \t]*|[ \t]+){word}(?![\w'-]))"),
        )
        for word in sorted(twice)
    ]
    # The prose is the text with parts masked: what is not twice in the text is not in it.
    text = "\n" + target.article.source.text.lower()
    patterns = [(word, again) for word, again in patterns if again.search(text)]
    if not patterns:
        return
    lowered = target.scan.lower()
    for word, again in patterns:
        for match in again.finditer(lowered):
            yield match.end(), match.end(1), len(word)


def _repetition(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    allowed = {word.casefold() for word in rule.params["allow"]}
    for first_end, second, length in _repeats(target):
        word = target.scan[second : second + length]
        if word.casefold() in allowed:
            continue
        start = second - SCAN
        yield target.hit_at(
            start,
            f'"{word}" twice in a row',
            edit=Edit(first_end - SCAN, start + len(word), ""),
            fix=f'delete the second "{word}"',
        )


STRINGS = {"type": "array", "items": {"type": "string"}, "default": []}

SUBSTITUTION = Kind(
    name="substitution",
    summary="Terms written the house way: each key of `swap` is the term to write, its value "
    "the spellings to replace with it (whole words or phrases, as written, or in any case with "
    '`ignore-case`; at the start of a hyphenated word too: "Javascript-enabled").',
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["swap"],
        "properties": {
            "swap": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "pattern": r"^\S(.*\S)?$"},
                },
            },
            "ignore-case": {"type": "boolean", "default": False},
        },
    },
    check=_substitution,
    prepare=_swaps,
    fixable=True,
)
INDEFINITE_ARTICLE = Kind(
    name="indefinite-article",
    summary='"a" before a consonant sound, "an" before a vowel sound, as the word is said. '
    'A letter used as a label ("press a or b", "from a to z") is not the article.',
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
