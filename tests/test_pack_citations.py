"""A rule rests on several places: ``cites`` is one place or a list of them (pack KB908 in
``tests/packs``: the challenge and the limit it rests on), in this article or another. Every
consumer follows: ``rules check`` resolves and fingerprints each place (``--fix`` writes each),
findings (text, JSON, SARIF) and ``explain`` name each, the site lists the rule under each
section and quotes each, ``articles`` counts each as covering its item. An empty list is an
error at its place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kb_lint.articles.model import parse_article
from kb_lint.docs.article_pages import badges_by_section
from kb_lint.docs.rule_pages import render_index, render_rule
from kb_lint.docs.sources import ArticlePage, SiteSources
from kb_lint.pack import load_pack
from tests.conftest import shipped_copy

ROOT = Path(__file__).resolve().parents[1]
KB908 = ROOT / "tests" / "packs" / "kb-908-bounds"
TEXT = (KB908 / "pack.yaml").read_text("utf-8")
BOTH = "KB 908 § expected-challenges item 1; KB 908 § history-filters item 1"
PLACES = """\
    cites:  # the challenge, and the limit it rests on
      - {section: expected-challenges, item: 1, fingerprint: "sha256:12699c521ab4baed"}
      - {section: history-filters, item: 1, fingerprint: "sha256:a92332f0f196ab3a"}
"""
KB905_ARTICLE = ROOT / "tests" / "packs" / "kb-905-pages" / "article.md"


def rules(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """KB908 alone in a rules folder (KB905's article beside its own), ``old`` made ``new``."""
    folder = tmp_path / "rules"
    shutil.copytree(KB908, folder / "kb-908")
    shutil.copy(KB905_ARTICLE, folder / "kb-908" / "kb-905.md")
    assert not old or TEXT.count(old) == 1, old
    (folder / "kb-908" / "pack.yaml").write_text(TEXT.replace(old, new), "utf-8")
    return folder


def test_every_place_is_loaded_in_order(tmp_path):
    rule = load_pack(rules(tmp_path) / "kb-908" / "pack.yaml").rules[0]
    assert [(c.section, c.item) for c in rule.cites] == [
        ("expected-challenges", 1),
        ("history-filters", 1),
    ]
    assert (
        rule.cites[1].location.line
        == TEXT[: TEXT.index("      - {section: history")].count("\n") + 1
    )


def test_one_place_is_still_written_as_a_mapping(tmp_path):
    one = PLACES.splitlines()[1].replace("      - ", "    cites: ") + "\n"
    folder = rules(tmp_path, PLACES, one)
    assert len(load_pack(folder / "kb-908" / "pack.yaml").rules[0].cites) == 1


def test_findings_and_explain_name_every_place(kb_lint, tmp_path):
    folder = rules(tmp_path)
    example = folder / "kb-908" / "examples" / "trial-30-days.yaml"
    shown = kb_lint("check", "--rules", folder, example)
    assert shown.returncode == 1 and f"  = cites: {BOTH}\n" in shown.stdout, shown.stdout
    as_json = kb_lint("check", "--rules", folder, example, "--format", "json")
    [finding] = json.loads(as_json.stdout)["findings"]
    assert finding["cites"] == BOTH
    assert BOTH in kb_lint("check", "--rules", folder, example, "--format", "sarif").stdout
    explained = kb_lint("explain", "KB908-001", "--rules", folder)
    assert f"Cites: {BOTH}\n" in explained.stdout, explained.stdout


def test_rules_check_resolves_and_fix_fingerprints_every_place(kb_lint, tmp_path):
    bare = PLACES.replace(', fingerprint: "sha256:a92332f0f196ab3a"', "")
    folder = rules(tmp_path, PLACES, bare + "      - {article: 905, section: the-option-pages}\n")
    pack = folder / "kb-908" / "pack.yaml"
    stale = kb_lint("rules", "check", "--rules", folder)
    assert stale.returncode == 1
    assert stale.stdout.count("KB-RULES-004") == 2, stale.stdout  # the 2nd and 3rd places
    fixed = kb_lint("rules", "check", "--fix", "--rules", folder)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = pack.read_text("utf-8")
    assert (
        '      - {section: history-filters, item: 1, fingerprint: "sha256:a92332f0f196ab3a"}'
        in text
    )
    assert "      - {article: 905, section: the-option-pages, fingerprint: " in text
    # a place that is not there is an error at that place
    text = text.replace("section: the-option-pages", "section: the-option-page")
    pack.write_text(text, "utf-8")
    wrong = kb_lint("rules", "check", "--rules", folder)
    at = text.index("the-option-page,")
    line, column = text[:at].count("\n") + 1, at - text.rfind("\n", 0, at)
    assert (
        f"pack.yaml:{line}:{column}: KB-RULES-003 error rule KB908-001 cites section "
        in wrong.stdout
    )
    assert "did you mean 'the-option-pages'?" in wrong.stdout


def test_an_empty_list_is_an_error_at_its_place(kb_lint, tmp_path):
    folder = rules(tmp_path, PLACES, "    cites: []\n")
    done = kb_lint("rules", "check", "--rules", folder)
    assert done.returncode == 2
    text = TEXT.replace(PLACES, "    cites: []\n")
    line = text[: text.index("    cites: []")].count("\n") + 1
    assert f"pack.yaml:{line}:12: " in done.stdout + done.stderr, done.stdout + done.stderr


def test_the_site_lists_and_quotes_the_rule_under_every_section_it_cites(tmp_path):
    pack = load_pack(rules(tmp_path) / "kb-908" / "pack.yaml")
    article = ArticlePage(parse_article(KB908 / "article.md"), "articles/kb-908.md")
    sources = SiteSources((pack,), (article,), {})
    sections = badges_by_section(sources, 908)
    assert [b.label for b in sections["expected-challenges"]] == ["KB908-001"]
    assert [b.label for b in sections["history-filters"]] == ["KB908-001", "decision table"]
    page = render_rule(pack.rules[0], pack, sources)
    assert "KB 908 › Expected Challenges, item 1" in page
    assert "KB 908 › History Filters, item 1" in page
    assert "A trial plan reads at most 15 days of history" in page  # the second place, quoted
    assert "trial policy that asks for more than 15 days" in page  # the first
    index = render_index(sources)
    assert "Expected Challenges, item 1](" in index and "History Filters, item 1](" in index


def test_articles_counts_each_place_as_covering_its_item(kb_lint, tmp_path):
    """The article's one Expected Challenge is cited by the rule's first place only: with the
    rule citing the limit alone, ``articles`` notes the challenge as encoded by no rule."""
    folder = rules(tmp_path)
    article = tmp_path / "kb-908.md"
    shutil.copy(KB908 / "article.md", article)
    cited = kb_lint("articles", article, "--rules", folder, "--select", "KB-TRACE")
    assert "KB-TRACE-002" not in cited.stdout, cited.stdout
    alone = PLACES.split("\n", 2)[0] + "\n" + PLACES.split("\n")[2] + "\n"
    folder = rules(tmp_path / "alone", PLACES, alone)
    uncited = kb_lint("articles", article, "--rules", folder, "--select", "KB-TRACE")
    assert (
        "KB-TRACE-002 error item 1 of 'Expected Challenges' is cited by no rule" in uncited.stdout
    )


def test_a_row_citation_with_no_section_anywhere_is_refused_where_it_is_written(kb_lint, tmp_path):
    """A table row citing an item of no section (its table cites none) was dropped without a
    word: now an error at the row's cites."""
    shipped_copy(
        tmp_path,
        "kb-105",
        (
            "    cites: {article: 105, section: expected-challenges, fingerprint: "
            '"sha256:03d596124aa0d9e2"}\n',
            "",
        ),
    )
    refused = kb_lint("rules", "check", "--rules", tmp_path / "rules")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "this citation names no section, nor does its table's or procedure's 'cites'" in (
        refused.stdout + refused.stderr
    )
