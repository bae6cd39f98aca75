"""The rule reference on the docs site is generated from the style data, and up to date."""

from __future__ import annotations

from article_fixtures import ROOT

from kb_lint.articles.reference import BEGIN, END, SHIPPED, shipped_reference, with_reference
from kb_lint.articles.style import load_style

PAGE = ROOT / "docs" / "writing-articles.md"


def test_the_writing_articles_page_has_the_current_rule_reference():
    page = PAGE.read_text("utf-8")
    assert with_reference(page) == page, (
        "docs/writing-articles.md is out of date: "
        "run `python -m kb_lint.articles.reference docs/writing-articles.md`"
    )
    assert page.index(BEGIN) < page.index(END)


def test_the_reference_documents_every_rule_and_kind_once():
    reference = shipped_reference()
    for name in SHIPPED:
        for rule in load_style(name).rules:
            if rule.style == name:
                assert reference.count(f"{{#{name}-{rule.id.lower()}}}") == 1, rule.id
                assert rule.why in reference
    assert reference.count("{#kind-") == 15
