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
from kb_lint.articles.kind import NO_PARAMS, SCAN, Fail, Hit, Kind, Target, split_words
from kb_lint.articles.pronounce import Sounds

if TYPE_CHECKING:
    from kb_lint.articles.marks import Marks
    from kb_lint.articles.style import ArticleRule


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
    ascii: bool
    """Whether every spelling is ASCII, as ``Target.ascii_words`` needs."""

    def possible(self, target: Target) -> bool:
        """Whether the article's words have all those of a wrong spelling, in a row, and,
        unless case does not matter, its text has each word of the spelling as written
        ("Assign" and "To" for "Assign To": "assign to" is common English). Each test is
        looser than the pattern, never stricter; the quickest go first."""
        if not self.ascii:
            return True
        words = target.ascii_words
        present = self.vocabulary.intersection(words)
        text = target.article.source.text
        return any(
            (self.ignore_case or all(part in text for part in wrong.split(" ")))
            and _in_a_row(words, needed)
            for wrong, needed, each in self.literals
            if each <= present
        )

    def term(self, written: str) -> str:
        wanted = self.wanted[self.key(written)]
        if self.capitalised(written, wanted):
            return wanted[0].upper() + wanted[1:]  # "E-mail" at the start of a sentence
        return wanted

    def key(self, written: str) -> str:
        written = " ".join(written.split())  # a line break between the words is a space
        return written.casefold() if self.ignore_case else written

    @staticmethod
    def capitalised(written: str, term: str) -> bool:
        """Whether a term written in lower case ("email") is written with a capital here."""
        return written[0].isupper() and term[0].islower()


def _in_a_row(words: list[str], needed: list[str]) -> bool:
    first, size = needed[0], len(needed)
    index = words.index(first)
    while words[index : index + size] != needed:
        try:
            index = words.index(first, index + 1)
        except ValueError:
            return False
    return True


# The space between the words of a spelling, in the text: spaces, or one line break.
BREAK = r"(?:[ \t]*\n[ \t]*|[ \t]+)"


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
    either = "|".join(re.escape(wrong).replace(r"\ ", BREAK) for wrong in literals)
    flags = re.IGNORECASE if ignore_case else 0
    split = [(wrong, split_words(wrong)) for wrong in literals]
    words = tuple((wrong, needed, frozenset(needed)) for wrong, needed in split)
    vocabulary = frozenset(word for _, needed in split for word in needed)
    pattern = re.compile(rf"(?:{either})(?!\w)", flags)
    ascii = all(wrong.isascii() for wrong in literals)
    return Swaps(pattern, wanted, ignore_case, words, vocabulary, ascii)


def _substitution(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    swaps: Swaps = rule.prepared
    if not swaps.possible(target):
        return
    prose, marks = target.prose, target.marks
    for match in swaps.pattern.finditer(prose):
        start = match.start()
        if start and (prose[start - 1].isalnum() or prose[start - 1] in "_\0-"):
            continue  # inside a word, after a hyphen, or glued to code
        written = match.group()
        wanted = swaps.term(written)
        common = Swaps.capitalised(written, swaps.wanted[swaps.key(written)])
        if written == wanted or _quoted(marks, start):
            continue
        if not _quoted_name(marks, start, match.end(), common and _titled(written)):
            shown = " ".join(written.split())
            yield target.hit_at(
                start,
                f'write "{wanted}", not "{shown}"',
                edit=Edit(start, match.end(), wanted),
                fix=f'replace with "{wanted}"',
            )


# A bold label of the writer's own that leads a line: "- **Sender's e-mail address**: ...".
LEAD_LABEL = re.compile(r"[ \t>*+\d.-]*?(\*\*|__)[^*_\n]+\1:")
NEXT_WORD = re.compile(r"[ \t]+(\w)")
# A menu path written without bold, "Settings > E-mail > Accounts": labels the product shows,
# joined by ">" (or "->", "→", "›") with a label before it (so not a block quote's marker). A
# spelling is one of its labels when a separator stands next to it, or with up to three
# capitalised words between ("Settings > Junk E-mail", "E-mail Accounts > New"); each
# pattern looks at most ``PATH_REACH`` characters away.
SEPARATOR = r"[ \t]*(?:-?>|→|›)[ \t]*"
PATH_BEFORE = re.compile(rf"[\w*_]{SEPARATOR}(?:[A-Z0-9][\w'’&*-]*[ \t]+){{0,3}}\Z")
PATH_AFTER = re.compile(rf"(?:[ \t]+[A-Z0-9][\w'’&*-]*){{0,3}}{SEPARATOR}[\w*_]")
PATH_REACH = 80


def _quoted_name(marks: Marks, start: int, end: int, titled: bool) -> bool:
    """Whether the spelling at ``start`` belongs to a name the article quotes as written
    elsewhere, which the writer cannot change: a label in bold ("the **E-mail** box"; not a
    label leading a line, "**Sender's e-mail address**: ..."), the text of a link (another
    page's title; not an image's alt text), or a term in lower case written with capitals
    (``titled``) in a name: mid-sentence next to a capitalised word or as capitalised words of
    its own ("the Junk E-mail folder", "the Default Web Site", "the Web Site Settings"), or as
    a label of a menu path ("Settings > E-mail > Accounts", ``PATH_BEFORE``)."""
    prose, line = marks.prose, marks.line_start(start)
    bold = marks.count("**", line, start) + marks.count("__", line, start)
    if bold % 2 and not (bold == 1 and marks.matches_line(LEAD_LABEL, start)):
        return True
    bracket = marks.last("[", line, start)
    if bracket > line and prose[bracket - 1] == "!":
        bracket = -1  # an image's alt text: the writer's own words
    if bracket >= 0 and marks.last("]", bracket, start) < 0 and not marks.hidden(bracket, start):
        return True
    if titled and _menu_path(marks, line, start, end):
        return True  # "Settings > E-mail": not a house term misspelt ("Settings > Groupwise")
    if not titled or _sentence_start(prose, start):
        return False
    if " " in prose[start:end].strip():
        return True  # "Web Site" mid-sentence: every word capitalised, a name
    following = NEXT_WORD.match(prose, end)
    if following is not None and following.group(1)[0].isupper():
        return True
    previous = PREVIOUS_WORD.search(prose, max(0, start - 40), start)
    return previous is not None and _mid_sentence(prose, previous.start())


def _menu_path(marks: Marks, line: int, start: int, end: int) -> bool:
    """Whether the spelling at ``start``-``end`` is a label of a menu path (``PATH_BEFORE``)."""
    prose = marks.prose
    if PATH_BEFORE.search(prose, max(line, start - PATH_REACH), start):
        return True
    return PATH_AFTER.match(prose, end, end + PATH_REACH) is not None


def _mid_sentence(prose: str, offset: int) -> bool:
    """Whether a word or a comma comes before ``offset``, across spaces and a line break."""
    index = offset - 1
    while index >= 0 and prose[index] in " \t\n":
        index -= 1
    return index >= 0 and (prose[index].isalnum() or prose[index] in ",)")


def _titled(written: str) -> bool:
    """Whether every word of a spelling starts with a capital ("Web Site", "E-mail")."""
    return all(word[0].isupper() for word in written.split())


# A word just before a spelling, capitalised ("Junk" of "Junk E-mail").
PREVIOUS_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*[ \t]*\n?[ \t]*\Z")
# Quotation marks: text between them is quoted as written (an error message, a bounce, a
# value the user types), not the writer's prose.
STRAIGHT_QUOTE = '"'
# A single quote that opens (not after a letter: not "user's") and one that closes; each
# starts with its quote, so that the engine skips to the quotes.
OPENS = re.compile(r"['‘](?<![\w'’]['‘])(?=\w)")
CLOSES = re.compile(r"['’](?<=[\w.!?]['’])(?!\w)")


def _quoted(marks: Marks, start: int) -> bool:
    """Whether ``start`` is inside a quoted string of its line: after an odd number of
    straight double quotes, or after more opening quotes than closing ones (curly, or single
    quotes that open before a word and close after one: before the word's first letter, or
    at it, as if nothing followed)."""
    line = marks.line_start(start)
    if marks.count(STRAIGHT_QUOTE, line, start) % 2:
        return True
    if marks.count("“", line, start) > marks.count("”", line, start):
        return True
    closes = marks.count(CLOSES, line, start) + bool(CLOSES.match(marks.prose, start, start + 1))
    return marks.count(OPENS, line, start) > closes


# "a" or "an" after a character that does not join words (the engine stops only at an "a");
# then, looked ahead at so that the next "a" can be found too, the space or one line break,
# markup, and the word: the part that decides the sound, and the rest of a hyphenated word.
ARTICLE = re.compile(
    r"[aA](?<=[^\w\0'’./\\@-][aA])n?(?=([ \t]*\n[ \t]*|[ \t]+)[*_\[(\"'“‘]*"
    r"([A-Za-z0-9]+)((?:-[A-Za-z0-9]+)*))"
)
SENTENCE_END = frozenset(".!?:;\"'“‘(>#*+-|\n\0")
# Words that never follow the article: before one, "a" or "an" is another slip ("an then" for
# "and then", "a in a variable", "if a only"), which the other sound would not mend.
NOT_AFTER_ARTICLE = frozenset(
    "a an the then than to in on of at by for from with into onto "  # noqa: SIM905
    "another only and or but nor not so as is are was were be been this that "
    "these those its it their our your my his her".split()
)
PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
# Words after which "a" is a letter used as a label ("press a or b", "a to z"), not the article.
LABEL_FOLLOWERS = frozenset({"and", "or", "nor", "to", "through", "vs", "versus"})
# A letter in a list of letters just before an "a" ("b, a", "b or a"): that "a" is one too.
LETTER_LIST = re.compile(r"(?<![\w'’])[A-Za-z](?:,[ \t]*|[ \t]+(?:and|or|nor)[ \t]+)$")


def _indefinite_article(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    sounds = target.run.style.sounds
    if not _may_mismatch(target, sounds):
        return
    prose = target.prose
    for match in ARTICLE.finditer(target.scan):
        written, word = match.group(), match.group(2) + match.group(3)
        start = match.start() - SCAN
        if written[0] == "A" and not _sentence_start(prose, start):
            continue  # "Plan A", "Type A user": a label, not the article
        if _a_letter(prose, start, match) or _not_after_article(word):
            continue
        if PLURAL_ACRONYM.fullmatch(word):
            continue  # "also known a NDRs": no article fits a plural, the slip is elsewhere
        sound = sounds.sound(match.group(2))
        if sound is None or written.lower() == sound or _quoted(target.marks, start):
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


def _not_after_article(word: str) -> bool:
    """A word the article never comes before ("then", "it"); not an acronym that looks like
    one ("a IT" is a slip for "an IT")."""
    return word.lower() in NOT_AFTER_ARTICLE and not word.isupper()


def _may_mismatch(target: Target, sounds: Sounds) -> bool:
    """False when no "a" or "an" in the prose's lines is followed by a word of the other
    sound: what ``ARTICLE`` finds in the prose, without its boundary and masks (so more), found
    by a fast search for the letter "a" and looked at only where a word follows."""
    text = target.prose_lines(target.article.source.text)
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


# A word after a character that does not join words (nor a "/": "America/Sales Sales"), then
# (looked ahead at) the space or one line break after it and the same word again, in any case,
# not glued to an address or a path ("Postmaster postmaster@").
# Between the two: spaces or one line break, and around them emphasis, a link's brackets, its
# destination and inline tags (``UNSEEN``), a hard break's backslash: "the [the](page.md)",
# "*the* the", "the\\" then "the" on the next line.
BETWEEN = r"(?:[*_\]\\\x01]*(?:[ \t]*\n[ \t]*|[ \t]+)[*_\[\x01]*|\x01+)"
REPEATED = re.compile(rf"[^\w\0'’/-]([^\W\d_]++)(?=({BETWEEN})((?i:\1))(?![\w'’@/-]))")
QUOTES = '"“”'


def _repeats(target: Target) -> Iterator[tuple[int, int, int]]:
    """(end of the first word, start of the second, length) for each word twice in a row, in
    any case, as offsets in ``Target.scan``.

    Matching ``REPEATED`` stops at every word. In text whose letters are all ASCII (the
    other characters may be any) there is a quicker way: a word twice in a row is two equal
    neighbours among the lower-cased ``Target.words``; only those
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
            re.compile(rf"{word}(?<=[^\w\0'’/-]{word})(?=({BETWEEN}){word}(?![\w'’@/-]))"),
        )
        for word in sorted(twice)
    ]
    # The prose is the prose's lines with parts masked: what is not twice there is not in it.
    text = target.prose_lines(target.visible.lower())
    patterns = [(word, again) for word, again in patterns if again.search(text)]
    if not patterns:
        return
    lowered = target.scan.lower()
    found = [
        (match.end(), match.end(1), len(word))
        for word, again in patterns
        for match in again.finditer(lowered)
    ]
    yield from sorted(found)  # in text order, as the slow path finds them


def _slip(target: Target, first_end: int, second: int, length: int) -> bool:
    """Whether a word written twice in a row is a slip, not a name or a pattern.

    The two are written the same ("the the", "Server Server"), or a capitalised word that
    starts a sentence is repeated in lower case ("The the"); not a name and its own common
    noun ("Active Directory directory service", "Lync Server server"), nor identifiers that
    differ in case ("TaskBase taskBase", "or OR"). A single letter ("S S L") is no slip, but
    for "a" ("known a a rule"); nor three or more in a row ("ddd ddd ddd", a pattern), nor a
    word in an image's alt text or inside a quoted string (an error message quoted as the
    product shows it).
    """
    scan, marks = target.scan, target.marks
    first, word = scan[first_end - length : first_end], scan[second : second + length]
    if length == 1 and word != "a":
        return False
    if first != word and not (
        word.islower() and first == word.capitalize() and _sentence_start(scan, first_end - length)
    ):
        return False
    if _third(scan, first_end - length, second + length, word):
        return False
    if not _one_span(target, first_end - length, first_end, second):
        return False
    end = first_end - SCAN  # in the prose
    line = marks.line_start(end)
    return sum(marks.count(quote, line, end) for quote in QUOTES) % 2 == 0


def _one_span(target: Target, first: int, first_end: int, second: int) -> bool:
    """Whether markup that closes between the two words leaves them one phrase: emphasis of
    that word alone ("**check** check"), or a link's text ("see [the](page.md) the"); not a
    label of several words and its noun ("**Queued messages report** report"), nor an icon
    and its label ("![Add](add.png) **Add**")."""
    scan = target.scan
    closing = scan[first_end]
    if closing in "*_":
        run = len(scan[first_end:second]) - len(scan[first_end:second].lstrip(closing))
        return scan[first - run : first] == closing * run
    if closing in "]\x01":
        opening = target.marks.last("[", 0, first - SCAN)  # in the prose
        return not (opening > 0 and target.prose[opening - 1] == "!")
    return True


def _third(scan: str, first: int, end: int, word: str) -> bool:
    """Whether the word stands a third time just before ``first`` or just after ``end``."""
    again = rf"(?i:{re.escape(word)})"
    reach = len(word) + 8
    return bool(
        re.search(rf"(?<![\w'’/-]){again}[ \t\n]+\Z", scan[max(0, first - reach) : first])
        or re.match(rf"[ \t\n]+{again}(?![\w'’-])", scan[end : end + reach])
    )


def _repetition(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    allowed = {word.casefold() for word in rule.params["allow"]}
    for first_end, second, length in _repeats(target):
        scan = target.scan  # made by then: built only for an article that has a repeat
        word = scan[second : second + length]
        if word.casefold() in allowed or not _slip(target, first_end, second, length):
            continue
        start = second - SCAN
        if scan[first_end:second].isspace():
            edit, fix = Edit(first_end - SCAN, start + len(word), ""), f'delete the second "{word}"'
        else:  # markup between them: which to keep is the writer's choice
            edit, fix = None, f'delete one "{word}" and keep the markup right'
        yield target.hit_at(start, f'"{word}" twice in a row', edit=edit, fix=fix)


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
    summary='"a" before a consonant sound, "an" before a vowel sound, as the word is said: the '
    "CMU Pronouncing Dictionary and the style's `pronunciations.yaml` decide, nothing is said "
    'when the sound is in doubt ("a SIP" or "an SIP"). A letter used as a label ("press a or '
    'b", "from a to z") is not the article.',
    params=NO_PARAMS,
    check=_indefinite_article,
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
