"""Anchors of linked articles: the full parse of each file linked with an #anchor, once per run."""

from __future__ import annotations

import shutil

from article_fixtures import ARTICLE

from kb_lint.articles.anchors import Anchors
from kb_lint.articles.model import parse_article
from kb_lint.articles.source import SourceText, read_source

SOURCE = (
    "---\nid: 9\n---\n\n# S\n\nSee [x](target.md#old-section) and [y](#old).\n\n<!--\n## Old\n-->\n"
)
TARGET = "---\nid: 8\n---\n\n# T\n\n<!--\n## Old section\n-->\n\n<div>\n\n## In div\n\n</div>\n"


def test_the_anchors_of_a_linked_file_are_those_of_its_parse(tmp_path):
    other = tmp_path / "other.md"
    other.write_text(
        "# Title\n\nSetext\n------\n\n- ## In a list\n\n```\n# not a heading\n```\n\n"
        "<!--\n## In a comment\n-->\n"
    )
    anchors = Anchors()
    assert anchors.of(str(other)) == {"title", "setext", "in-a-list"}
    assert anchors.of(str(other)) == {s.anchor for s in parse_article(other).sections}
    assert anchors.of(str(tmp_path / "missing.md")) is None
    shutil.copy(ARTICLE, tmp_path / "a.md")
    assert anchors.of(str(tmp_path / "a.md")) == {s.anchor for s in parse_article(ARTICLE).sections}


def test_a_linked_file_linted_later_is_parsed_once(tmp_path):
    other = tmp_path / "other.md"
    other.write_text("# Other\n\n## Setup\n")
    anchors = Anchors()
    anchors.expect([tmp_path / "a.md", other])
    assert anchors.of(str(other)) == {"other", "setup"}
    (kept,) = anchors.kept.values()
    assert anchors.article(read_source(other)) is kept and not anchors.kept
    changed = SourceText(str(other), "# Other\n\n## Set up\n")
    assert anchors.article(changed).sections[1].anchor == "set-up"
    assert anchors.of(str(other)) == {"other", "set-up"}


def test_a_link_to_a_heading_only_the_parse_sees_is_not_reported(lint, tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\nSetext\n------\n")
    article = tmp_path / "a.md"
    article.write_text("# A\n\nSee [it](other.md#setext) and [not](other.md#nowhere).\n")
    (message,) = [f.message for f in lint(article) if f.rule == "KB-LINK-001"]
    assert message.startswith('the link to "other.md#nowhere" names no heading of other.md')


def test_link_findings_do_not_depend_on_the_order_of_the_files(kb_lint, tmp_path):
    """A heading inside an HTML comment is no heading, whether or not the linked file was
    linted first."""
    (tmp_path / "src.md").write_text(SOURCE)
    (tmp_path / "target.md").write_text(TARGET)
    runs = [
        kb_lint("articles", "--select", "KB-LINK", *names, cwd=tmp_path)
        for names in (["src.md", "target.md"], ["target.md", "src.md"], ["src.md"])
    ]
    assert all(run.returncode == 1 for run in runs)
    reports = [run.stdout.replace("2 files", "1 file") for run in runs]
    assert reports[0] == reports[1] == reports[2]
    assert 'the link to "target.md#old-section" names no heading of target.md' in reports[0]
    assert 'the link to "#old" names no heading of this article' in reports[0]


def test_a_link_without_an_anchor_only_needs_its_file_to_exist(lint, tmp_path):
    """Its file is not parsed (one stat, cached), so a file with no heading or not even UTF-8
    still satisfies it; a missing file does not."""
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe not UTF-8")
    article = tmp_path / "a.md"
    article.write_text("# A\n\n[b](binary.md), [c](missing.md) and [d](binary.md#x).\n")
    messages = [f.message for f in lint(article) if f.rule == "KB-LINK-001"]
    assert messages == [
        'the link to "missing.md" leads nowhere: there is no file missing.md',
        'the link to "binary.md#x" names no heading of binary.md',
    ]
    anchors = Anchors()
    assert anchors.exists(str(tmp_path / "binary.md")) and not anchors.found
    assert not anchors.exists(str(tmp_path / "missing.md"))
