"""Recall of the prose rules on slips planted into real paragraphs (``bench_precision.py``).

For each prose rule of a style, ``count`` slips are planted, each into its own copy of a
corpus file in a temporary folder (the corpus itself is only read), at a line where the rule
finds nothing before: a wrong spelling of the style's terminology, "a" or "an" before a word
of the other sound (known words, and acronyms the dictionary lacks, read by their letters),
and a word written twice. The placements cycle through what a writer types: plain prose, a
line break inside the slip, emphasis, a link, an image's alt text, a heading. A slip across a line
break splits its line in two there. A slip counts as found when the rule reports a finding
on its line (or the next, across a line break) where the unchanged file has none. Seeded:
the same seed plants the same slips.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kb_lint.articles.model import parse_article
from kb_lint.articles.run import Run, lint_files
from kb_lint.articles.style import ArticleRule, Style
from kb_lint.config import Config

# A line of plain prose, and a place in it between two lower-case words.
PLAIN_LINE = re.compile(r"[A-Za-z][A-Za-z ,.;:'()-]{30,}")
GAP = re.compile(r"(?<= )[a-z]{3,}(?= [a-z]{3,} )")
HEADING = re.compile(r"#{1,6} [A-Za-z][A-Za-z ,'-]{3,}")
# "a" or "an" written before a word of the other sound (the wrong article, the word).
ARTICLE_SLIPS = [
    ("a", "email"),
    ("a", "hour"),
    ("a", "update"),
    ("a", "Exchange"),
    ("a", "admin"),
    ("a", "IT"),
    ("a", "MSP"),
    ("a", "SMTP"),
    ("a", "FAQ"),
    ("an", "user"),
    ("an", "server"),
    ("an", "mailbox"),
    ("an", "URL"),
    ("an", "UDF"),
    ("an", "GPO"),
    ("an", "CSV"),
    ("an", "one-time"),
    ("an", "policy"),
]
DOUBLED = ["the", "to", "is", "and", "of", "for", "in", "a", "you", "can", "mailbox", "user"]
VARIANTS = {
    "substitution": ("plain", "line break", "emphasis", "alt text", "heading"),
    "indefinite-article": ("plain", "line break", "emphasis", "link", "alt text", "heading"),
    "repetition": ("plain", "line break", "emphasis", "bold", "link", "alt text", "heading"),
}


@dataclass(frozen=True)
class Slip:
    kind: str
    variant: str
    path: Path
    lines: tuple[int, ...]


@dataclass
class Candidate:
    """A corpus file and where in it a slip can go."""

    path: Path
    lines: list[str]
    plain: list[int]
    headings: list[int]


def candidates(files: list[Path], rng: random.Random, enough: int) -> list[Candidate]:
    """Up to ``enough`` files with a line of plain prose, picked at random."""
    shuffled = sorted(files)
    rng.shuffle(shuffled)
    found = []
    for path in shuffled:
        article = parse_article(path)
        lines = article.source.text.split("\n")
        headings = {section.line - 1 for section in article.sections}
        plain = [
            index
            for start, end in article.prose
            for index in range(start, end)
            if index not in headings and _plain(lines[index])
        ]
        titles = [i for i in headings if HEADING.fullmatch(lines[i])]
        if plain:
            found.append(Candidate(path, lines, plain, titles))
            if len(found) == enough:
                break
    return found


def _plain(line: str) -> bool:
    return PLAIN_LINE.fullmatch(line) is not None and GAP.search(line) is not None


def _wrongs(rule: ArticleRule) -> list[str]:
    return [wrong for wrongs in rule.params["swap"].values() for wrong in wrongs]


def _slip_text(kind: str, variant: str, rule: ArticleRule, number: int) -> tuple[str, str]:
    """The slip as two parts (written with a space or a line break between them)."""
    if kind == "substitution":
        wrongs = _wrongs(rule)
        if variant == "line break":  # a spelling of two words or more, split by the break
            wrongs = [wrong for wrong in wrongs if " " in wrong]
        wrong = wrongs[number % len(wrongs)]
        first, _, rest = wrong.partition(" ")
        return (first, rest) if rest else (wrong, "")
    if kind == "indefinite-article":
        return ARTICLE_SLIPS[number % len(ARTICLE_SLIPS)]
    word = DOUBLED[number % len(DOUBLED)]
    return word, word


def plant(candidate: Candidate, kind: str, variant: str, rule: ArticleRule, number: int):
    """The file's lines with one slip planted, and the 0-based lines the slip is on; None
    when the file has no place for this placement."""
    rng = random.Random(number)
    lines = list(candidate.lines)
    first, second = _slip_text(kind, variant, rule, number)
    words = f"{first} {second}".strip()
    if variant == "heading":
        if not candidate.headings:
            return None
        index = rng.choice(candidate.headings)
        joint = "for the" if kind == "substitution" else "with"
        lines[index] = f"{lines[index]} {joint} {words} step"
        return lines, (index,)
    index = rng.choice(candidate.plain)
    line = lines[index]
    gap = rng.choice(list(GAP.finditer(line))).end()
    if variant == "line break":  # the line split in two at the gap, the slip across the break
        lines[index : index + 1] = [f"{line[:gap]} {first}", f"{second}{line[gap:]}"]
        return lines, (index, index + 1)
    if variant == "plain":
        slip = words
    elif variant == "emphasis":
        slip = f"*{words}*" if kind == "substitution" else f"{first} *{second}*"
    elif variant == "bold":
        slip = f"**{first}** {second}"
    elif variant == "link":
        slip = f"{first} [{second} settings](https://example.com/settings)"
    elif variant == "alt text":
        slip = f"![Screen showing the {words} settings](media/settings.png)"
    else:
        raise ValueError(variant)
    lines[index] = f"{line[:gap]} {slip}{line[gap:]}"
    return lines, (index,)


def recall(files: list[Path], style: Style, count: int, seed: int) -> dict[str, tuple[int, int]]:
    """Plant ``count`` slips of each prose rule of ``style``; print recall by rule and by
    placement; return each rule's slips found and planted, by rule id."""
    rng = random.Random(seed)
    pool = candidates(files, rng, 2 * count)
    rules = [rule for rule in style.rules if rule.kind in VARIANTS]
    root = files[0].parent
    run = Run(style, Config(root=root, rules=root / "no-rules", select=tuple(r.id for r in rules)))
    before = {
        linted.path: {(f.rule, f.location.line) for f in linted.findings}
        for linted in lint_files([c.path for c in pool], run, jobs=os.cpu_count() or 1)
    }
    with tempfile.TemporaryDirectory(prefix="kb-lint-planted-") as folder:
        slips: list[tuple[ArticleRule, Slip]] = []
        turn = 0
        for rule in rules:
            variants = VARIANTS[rule.kind]
            number = tries = 0
            while number < count and tries < 50 * count:
                tries += 1
                candidate = pool[turn % len(pool)]
                turn += 1
                variant = variants[number % len(variants)]
                planted = plant(candidate, rule.kind, variant, rule, seed * 1000 + number)
                if planted is None:
                    continue
                lines, at = planted
                if (rule.id, at[0] + 1) in before[str(candidate.path)]:
                    continue  # the rule finds something on that line already
                path = Path(folder) / f"{rule.id}-{number}" / candidate.path.name
                path.parent.mkdir()
                path.write_text("\n".join(lines), "utf-8")
                slips.append((rule, Slip(rule.kind, variant, path, tuple(i + 1 for i in at))))
                number += 1
        linted = lint_files([slip.path for _, slip in slips], run, jobs=os.cpu_count() or 1)
        after = {r.path: {(f.rule, f.location.line) for f in r.findings} for r in linted}
    found: Counter[tuple[str, str]] = Counter()
    planted_count: Counter[tuple[str, str]] = Counter()
    for rule, slip in slips:
        planted_count[rule.id, slip.variant] += 1
        if any((rule.id, line) in after[str(slip.path)] for line in slip.lines):
            found[rule.id, slip.variant] += 1
    counts: dict[str, tuple[int, int]] = {}
    for rule in rules:
        total = sum(n for (r, _), n in planted_count.items() if r == rule.id)
        hits = sum(n for (r, _), n in found.items() if r == rule.id)
        by_variant = ", ".join(
            f"{variant} {found[rule.id, variant]}/{planted_count[rule.id, variant]}"
            for variant in VARIANTS[rule.kind]
        )
        share = f"{hits / total:.1%}" if total else "n/a"
        print(
            f"{style.name}: {rule.id} {rule.name} recall {hits}/{total} "
            f"({share}) on planted slips: {by_variant}"
        )
        counts[rule.id] = (hits, total)
    return counts
