"""Anchors of linked articles: a quick scan, and the full parse whenever the scan misses."""

from __future__ import annotations

from article_fixtures import ARTICLE, FIXTURES

from kb_lint.articles.anchors import Anchors, scanned_anchors
from kb_lint.articles.model import parse_article


def test_the_scan_finds_the_anchors_of_the_atx_headings_as_the_parse_does():
    for path in [ARTICLE, *sorted(FIXTURES.glob("*/pass.md"))]:
        exact = {s.anchor for s in parse_article(path).sections}
        assert scanned_anchors(path.read_text("utf-8")) == exact, path


def test_headings_the_scan_cannot_see_are_found_by_the_parse(tmp_path):
    other = tmp_path / "other.md"
    other.write_text("# Title\n\nSetext\n------\n\n- ## In a list\n\n```\n# not a heading\n```\n")
    assert scanned_anchors(other.read_text()) == {"title"}
    anchors = Anchors()
    assert anchors.of(str(other), "title") == {"title"}
    assert anchors.of(str(other), "setext") == {"title", "setext", "in-a-list"}
    assert anchors.of(str(other), "not-a-heading") == {"title", "setext", "in-a-list"}
    assert anchors.of(str(tmp_path / "missing.md"), "x") is None


def test_a_link_to_a_heading_only_the_parse_sees_is_not_reported(lint, tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\nSetext\n------\n")
    article = tmp_path / "a.md"
    article.write_text("# A\n\nSee [it](other.md#setext) and [not](other.md#nowhere).\n")
    (message,) = [f.message for f in lint(article) if f.rule == "KB-LINK-001"]
    assert message.startswith('the link to "other.md#nowhere" names no heading of other.md')
