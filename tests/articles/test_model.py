"""The article model: what parse_article gives the docs site, the rule packs and the checks."""

from __future__ import annotations

import re

import pytest
from article_fixtures import ARTICLE, FIXTURES

from kb_lint.articles.model import parse_article, parse_source
from kb_lint.articles.source import NotUtf8, SourceText
from kb_lint.errors import InputError


def parsed(text: str):
    return parse_source(SourceText("a.md", text))


@pytest.fixture(scope="module")
def article():
    return parse_article(ARTICLE)


def test_article_105_is_the_seed_word_for_word_with_its_two_slips_corrected():
    seed = (FIXTURES / "seed-kb-105.txt").read_text("utf-8").splitlines()[1:]  # the site's name
    footer = re.compile(r"^(Article ID|Last updated|Revision|Views):|^Also (read|listed in)")
    words = "\n".join(line for line in seed if not footer.match(line))
    assert words.count("a email") == 2
    body = ARTICLE.read_text("utf-8").split("---\n", 2)[2]
    assert re.findall(r"\w+", body) == re.findall(r"\w+", words.replace("a email", "an email"))


def test_front_matter(article):
    assert article.front_matter == {
        "id": 105,
        "title": "Do Not Run Riva CRM Integration Twice Against the Same User",
        "revision": 10,
        "updated": "2017-03-27",
        "products": ["Riva Cloud", "Riva On-Premise"],
        "also_read": [],
    }


def test_sections_have_the_anchors_the_rule_packs_cite(article):
    assert [(s.level, s.anchor, s.line) for s in article.sections] == [
        (1, "do-not-run-riva-crm-integration-twice-against-the-same-user", 10),
        (2, "background", 12),
        (2, "explanation", 16),
        (2, "expected-challenges", 25),
        (2, "best-practice", 33),
        (2, "steps-for-exchange-accounts", 37),
        (2, "steps-for-groupwise-accounts", 55),
    ]
    assert article.section("best-practice").title == "Best Practice"
    assert article.section("nowhere") is None


def test_section_text_is_the_body_markdown(article):
    text = article.section("background").text
    assert text.startswith("Some clients would like to use Riva Cloud")
    assert text.endswith("at the same time.")
    assert article.section("explanation").text.splitlines()[2].startswith("- A Riva Cloud account")


def test_items_are_the_top_level_list_items_with_their_nested_lists(article):
    challenges = article.section("expected-challenges")
    assert len(challenges.items) == 3
    assert challenges.items[2].text.startswith('If "Sync all items" is enabled')
    exchange = article.section("steps-for-exchange-accounts")
    assert [i.number for i in exchange.items] == [1, 2, 3, 4]
    step3 = exchange.items[2].text.splitlines()
    assert step3[0] == "In the Outlook client:"
    assert step3[2].startswith("- View contacts and leads by category")
    assert len([line for line in step3 if line.startswith("- ")]) == 5
    step4 = exchange.items[3].text
    assert step4.endswith(
        "The initial sync will recreate fresh copies of the data that was removed at step 3."
    )
    assert (exchange.items[3].line, exchange.items[3].column) == (51, 1)


def test_lists_know_their_depth_and_parent_step(article):
    nested = [block for block in article.lists if block.depth == 1]
    assert [(b.line, b.column, b.parent.number) for b in nested] == [(45, 5, 3), (63, 5, 3)]


def test_explicit_ids_duplicates_and_setext_headings_get_mkdocs_anchors():
    article = parsed(
        "# Title\n\nSteps\n-----\n\n## Steps\n\n## Steps {#steps_1}\n\n## Q&A: *it* `works`\n"
    )
    assert [s.anchor for s in article.sections] == [
        "title",
        "steps",
        "steps_2",
        "steps_1",
        "qa-it-works",
    ]
    assert article.sections[3].title == "Steps"
    assert article.sections[4].title == "Q&A: it works"


def test_links_have_positions():
    article = parsed("# T\n\nSee [one](a.md#x) and\n  [two](<b c.md>), <https://e.com>.\n")
    assert [(link.href, link.line, link.column) for link in article.links] == [
        ("a.md#x", 3, 5),
        ("b%20c.md", 4, 3),
        ("https://e.com", 4, 20),
    ]


def test_positions_after_a_code_span_or_comment_over_two_lines_come_from_the_source():
    article = parsed(
        "# T\n\nText `code\nspan` more\n[one](#a) and <!-- a\nb --> then\n[two](#b)\n\n"
        "> - `x\n>   y` [three](#c) <!-- kb-lint disable-line KB-STYLE-002: why -->\n\n"
        "| a | b |\n| - | - |\n| [four](#d) | [five](#e) |\n"
    )
    assert [(link.href, link.line, link.column) for link in article.links] == [
        ("#a", 5, 1),
        ("#b", 7, 1),
        ("#c", 10, 8),
        ("#d", 14, 3),
        ("#e", 14, 16),
    ]
    assert [(html.line, html.column) for html in article.html] == [(10, 20)]


def test_kb_lint_comments_are_no_part_of_the_cited_text():
    article = parsed("## S\n\n- one <!-- kb-lint disable-line KB-TRACE-002: why -->\n- two\n")
    assert article.sections[0].items[0].text == "one"
    assert "kb-lint" not in article.sections[0].text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# T\n", None),
        ("---\n- a\n- b\n---\n# T\n", None),
        ("---\nplain\n---\n", None),
        ("---\nid: [\n---\n", "invalid YAML"),
        ("---\nid: 1\nid: 2\n---\n", "duplicate key 'id' (first on line 2)"),
    ],
)
def test_front_matter_that_is_not_a_mapping_gives_an_empty_dict(text, problem):
    article = parsed(text)
    assert article.front_matter == {}
    error = article.meta.error if article.meta else None
    assert (problem is None) == (error is None)
    if problem:
        assert problem in error[2]


def test_crlf_and_a_bom_keep_lines_and_columns():
    source = SourceText(
        "a.md",
        "---\r\nid: 1\r\n---\r\n\r\n## Background\r\n\r\nSee [x](#background).\r\n",
        bom=True,
    )
    article = parse_source(source)
    assert article.front_matter == {"id": 1}
    assert (article.sections[0].line, article.links[0].line, article.links[0].column) == (5, 7, 5)


def test_an_unreadable_or_undecodable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read article"):
        parse_article(tmp_path / "missing.md")
    (tmp_path / "latin.md").write_bytes(b"# T\n\nCaf\xe9\n")
    with pytest.raises(NotUtf8) as caught:
        parse_article(tmp_path / "latin.md")
    assert (caught.value.line, caught.value.column) == (3, 4)
    (tmp_path / "wide.md").write_bytes("# T\n".encode("utf-16"))
    with pytest.raises(NotUtf8, match="UTF-16"):
        parse_article(tmp_path / "wide.md")
