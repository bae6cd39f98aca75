"""Articles whose size is in one place: a long paragraph full of links, front matter with many
keys. The cost must grow with the input, not with its square; each test counts the work that
grew with the square before (no clock), and checks that the positions are still exact."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb_lint.articles import kind, model
from kb_lint.articles.model import parse_source
from kb_lint.articles.run import Run, lint_file
from kb_lint.articles.source import SourceText
from kb_lint.articles.style import load_style
from kb_lint.articles.suppress import read_suppressions
from kb_lint.config import Config
from kb_lint.load import yaml_source

LINKS = 3000


def test_every_link_of_a_long_paragraph_is_placed_matching_each_line_once(monkeypatch):
    calls = []
    column = model._Walk._column

    def counted(walk, line, text):
        calls.append(line)
        return column(walk, line, text)

    monkeypatch.setattr(model._Walk, "_column", counted)
    words = [f"see [page {i}](p{i}.md) now" for i in range(LINKS)]
    lines = [" ".join(words[i : i + 100]) for i in range(0, LINKS, 100)]
    article = parse_source(SourceText("long.md", "# Title\n\n" + "\n".join(lines) + "\n"))
    assert len(article.links) == LINKS
    assert len(calls) <= len(lines)  # once a line: O(text), not O(text × links)
    for link in article.links[::97]:
        source = article.source.lines[link.line - 1]
        assert source[link.column - 1 :].startswith(f"[page {link.href[1:-3]}]")


@pytest.mark.parametrize("keys", [2000])
def test_front_matter_with_many_keys_locates_each_key_once(monkeypatch, tmp_path: Path, keys):
    built = []
    string = yaml_source.SCALARS[yaml_source.TAG + "str"]

    def counted(node):
        built.append(node)
        return string(node)

    monkeypatch.setitem(yaml_source.SCALARS, yaml_source.TAG + "str", counted)
    article = tmp_path / "many-keys.md"
    front = "".join(f"key{i}: value {i}\n" for i in range(keys))
    article.write_text(f"---\n{front}---\n\n# Title\n\nBody.\n", "utf-8")
    style = load_style("riva")
    run = Run(style, Config(root=tmp_path, rules=tmp_path / "none", select=("KB-META-003",)))
    linted = lint_file(article, run)
    unknown = [f for f in linted.findings if "unknown front matter key" in f.message]
    assert len(unknown) == keys
    assert [f.location.line for f in unknown[:3]] == [2, 3, 4]
    assert len(built) <= 5 * keys  # each key read a few times, not once per other key


# One stretch of prose with a slip of each word kind, and text the kinds must leave alone: a
# quoted slip, a bold label, a word repeated across an inline tag (which looks back for "[").
UNIT = 'a email and the the e-mail box, not "a email" nor **E-mail**; <b>check</b> check. '
# Each slip: the rule, its offset in UNIT, and whether ``--fix`` changes it.
SLIPS = [("KB-STYLE-002", 0, True), ("KB-STYLE-003", 16, True), ("KB-STYLE-001", 20, True)]
SLIPS.append(("KB-STYLE-003", UNIT.index("check."), False))
UNITS = 2000


class Scanned(str):
    """A text that adds up the characters its searches and slices go over (``covered``)."""

    covered = 0

    def _cover(self, start: int | None, end: int | None) -> None:
        first, last, _ = slice(start, end).indices(len(self))
        Scanned.covered += max(0, last - first)

    def count(self, sub, start=None, end=None):  # type: ignore[override]
        self._cover(start, end)
        return super().count(sub, start, end)

    def find(self, sub, start=None, end=None):  # type: ignore[override]
        self._cover(start, end)
        return super().find(sub, start, end)

    def rfind(self, sub, start=None, end=None):  # type: ignore[override]
        self._cover(start, end)
        return super().rfind(sub, start, end)

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, slice):
            self._cover(key.start, key.stop)
        return super().__getitem__(key)


def _long_line(tmp_path: Path) -> tuple[Path, Run]:
    article = tmp_path / "long-line.md"
    article.write_text(f"---\nid: 1\n---\n\n# Title\n\n{UNIT * UNITS}\n", "utf-8")
    config = Config(root=tmp_path, rules=tmp_path / "none", select=("KB-STYLE",))
    return article, Run(load_style("riva"), config)


def test_word_findings_on_one_long_line_cost_the_line_once_not_once_each(monkeypatch, tmp_path):
    """Issue 23: whether a slip is quoted, in bold or in a link's text was asked by scanning
    its line from the start, per finding (a 49 MB line with 10,000 slips: 471 s). The prose's
    searches and slices must now cover it a bounded number of times, however many findings."""
    prose_text = kind.prose_text
    monkeypatch.setattr(kind, "prose_text", lambda article: Scanned(prose_text(article)))

    def scan(target: kind.Target) -> str:
        if "_scan" not in target.__dict__:
            target.__dict__["_scan"] = Scanned("\n" + target.prose)
        return target.__dict__["_scan"]

    monkeypatch.setattr(kind.Target, "scan", property(scan))
    article, run = _long_line(tmp_path)
    Scanned.covered = 0
    findings = lint_file(article, run).findings
    assert len(findings) == len(SLIPS) * UNITS
    assert Scanned.covered <= 4 * len(UNIT) * UNITS  # was about UNITS / 2 times the line


def test_findings_and_fixes_on_one_long_line_are_at_their_columns(tmp_path):
    article, run = _long_line(tmp_path)
    findings = lint_file(article, run).findings
    expected = sorted(
        (rule, 7, unit * len(UNIT) + offset + 1)
        for unit in range(UNITS)
        for rule, offset, _ in SLIPS
    )
    found = sorted((f.rule, f.location.line, f.location.column) for f in findings)
    assert found == expected
    linted = lint_file(article, run, fix=True)
    fixed = UNIT.replace("a email and the the e-mail", "an email and the email", 1)
    lines = article.read_text("utf-8").split("\n")
    assert lines[6] == fixed * UNITS  # one line still, each slip fixed in place
    assert [(c.line, c.column) for c in linted.rounds[0][:2]] == [(7, 1), (7, 17)]
    assert [f.rule for f in linted.findings] == ["KB-STYLE-003"] * UNITS  # left for a hand fix


def test_suppressions_in_one_long_comment_block_are_placed_by_one_pass(monkeypatch):
    """Each directive's line and column was a count of the block's text before it."""
    directive = "<!-- kb-lint disable-file KB-STYLE-002: quoted -->"
    count = 3000
    text = f"# Title\n\n{directive * count}\n{directive}\n\nText.\n"
    article = parse_source(SourceText("many.md", text))
    article.html[:] = [replace(html, content=Scanned(html.content)) for html in article.html]
    Scanned.covered = 0
    found, problems = read_suppressions(article, ["KB-STYLE-002"])
    assert not problems
    assert [(s.line, s.column) for s in found[:2]] == [(3, 1), (3, 1 + len(directive))]
    assert (found[-1].line, found[-1].column) == (4, 1)
    assert len(found) == count + 1
    assert Scanned.covered <= 4 * len(text)  # was about count / 2 times the block


@given(st.text(alphabet="aB1-_ .\n\té", max_size=60), st.integers(1, 8))
def test_words_split_a_chunk_at_a_time_are_the_words_of_the_whole_text(text, chunk):
    with mock.patch.object(kind, "WORDS_CHUNK", chunk):
        words = kind.split_words(text)
    assert words == text.translate(kind.SPACES).lower().replace("-", " - ").split()


def test_a_long_texts_repeated_words_are_one_string_each():
    """A 49 MB line's words took 1.1 GB as strings of their own (issue 23)."""
    words = kind.split_words("Mailbox sync-ed " * 50_000)
    assert len(words) == 200_000
    assert len({id(word) for word in words}) == 4  # "mailbox", "sync", "-", "ed"
