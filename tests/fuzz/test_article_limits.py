"""Articles whose size is in one place: a long paragraph full of links, front matter with many
keys. The cost must grow with the input, not with its square; each test counts the work that
grew with the square before (no clock), and checks that the positions are still exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.articles import model
from kb_lint.articles.model import parse_source
from kb_lint.articles.run import Run, lint_file
from kb_lint.articles.source import SourceText
from kb_lint.articles.style import load_style
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
