"""The pure renderer: rule packs, articles and outcomes in, Markdown pages out."""

from __future__ import annotations

import builtins
import html
import re
from pathlib import Path

import markdown
import pytest
import yaml
from sitecopy import FIXTURES, HOSTILE, ROOT, copy_project, edit_pack, make_hostile

from kb_lint.docs.article_pages import render_article
from kb_lint.docs.escape import code, text
from kb_lint.docs.outcomes import show_value
from kb_lint.docs.render import render_site, site_nav
from kb_lint.docs.sources import SiteSources, collect

EXTENSIONS = [
    next(iter(e)) if isinstance(e, dict) else e
    for e in yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"]
]


def sources_of(root: Path, simulate=None) -> SiteSources:
    return collect(root / "rules", FIXTURES / "articles", FIXTURES, simulate)


@pytest.fixture(scope="module")
def sources() -> SiteSources:
    return sources_of(ROOT)


@pytest.fixture(scope="module")
def pages(sources: SiteSources) -> dict[str, str]:
    return render_site(sources)


def test_every_page_of_the_site_is_rendered(sources, pages):
    (pack,) = sources.packs
    expected = {
        "rules/index.md",
        "packs/kb105/index.md",
        "packs/kb105/outcomes.md",
        "packs/kb105/assumptions.md",
        "packs/kb105/history.md",
        "packs/kb105/tables/expected-challenges.md",
        "packs/kb105/procedures/kb105-p1.md",
        "packs/kb105/procedures/kb105-p2.md",
    }
    expected |= {f"rules/{rule.id.lower()}.md" for rule in pack.rules}
    assert set(pages) == expected


def test_rules_index_lists_id_title_severity_article_and_version(sources, pages):
    index = pages["rules/index.md"]
    for rule in sources.packs[0].rules:
        row = next(line for line in index.splitlines() if f"[{rule.id}]" in line)
        assert rule.title in row
        assert f"kb-lint-{rule.severity}" in row
        assert "| 1.0.0 | 1.0.0 |" in row
    assert "[KB 105 › Background](../articles/kb-105.md#background)" in index


def test_rule_page_reads_like_a_ruff_rule_page(pages):
    page = pages["rules/kb105-001.md"]
    headings = re.findall(r"^## (.+)$", page, re.M)
    assert headings == [
        "What it checks",
        "Why is this bad?",
        "What the article says",
        "Message",
        "Example",
        "Use instead",
        "Other examples",
        "Predicted outcome",
        "Fix",
    ]
    assert page.startswith("# KB105-001: One Riva instance per email user and CRM user\n")
    assert "**Since:** 1.0.0" in page and "**Last changed:** 1.0.0" in page
    # the article text it encodes, quoted from the cited section
    assert "> Some clients would like to use Riva Cloud to test functionality" in page
    # the failing and the passing example deployment, as YAML
    failing = (ROOT / "rules/kb-105/examples/two-instances-same-names.yaml").read_text()
    body = failing[failing.index("instances:") :].strip()
    assert f"```yaml\n{body}\n```" in page
    assert "This deployment passes (<code>clean.yaml</code>)" in page
    assert "is synced by 2 Riva instances (riva-cloud, riva-onprem)" in page
    # predicted outcome, fix and the linked procedures
    assert "(../packs/kb105/tables/expected-challenges.md)" in page
    assert "| <code>three-instances.yaml</code> | yes | 3 | yes |" in page
    assert (
        "[Move a user from Riva Cloud to Riva On-Premise (Exchange)]"
        "(../packs/kb105/procedures/kb105-p1.md)" in page
    )


def test_a_cited_item_is_quoted_alone(sources, pages):
    page = pages["rules/kb105-001.md"]
    table = pages["packs/kb105/tables/expected-challenges.md"]
    assert "use the same Category and folder names, then errors will be reported" in table
    assert "Sync all items" not in page.split("## What the article says")[1].split("##")[0]


def test_decision_table_is_a_markdown_table_with_its_status_and_assumptions(pages):
    page = pages["packs/kb105/tables/expected-challenges.md"]
    assert (
        "| # | Category names | Folder names | Sync all items | sync errors | mailbox copies |"
        in page
    )
    assert "| 1 | same | any | none | yes | <code>len(bindings)</code> | no |" in page
    assert (
        "| 8 | different | different | some or all | no | <code>len(bindings)</code> | yes |"
        in page
    )
    assert (
        "- Row 1: Each instance meets items under its category that it did not create (A10)."
        in page
    )
    assert "Complete and consistent: each of the 18 combinations of inputs matches a row" in page
    assert "**A1 Three or more instances.**" in page


def test_table_status_names_gaps_and_overlaps(tmp_path):
    root = copy_project(tmp_path)

    def break_table(data):
        rows = data["tables"][0]["rows"]
        del rows[5]  # different categories, same folders, sync all items: now two gaps
        overlap = {"categories": "some shared", "folders": "different", "sync_all_items": "all"}
        rows.append({"when": overlap, "then": {"sync_errors": True}})  # overlaps row 4

    edit_pack(root, break_table)
    page = render_site(sources_of(root))["packs/kb105/tables/expected-challenges.md"]
    assert "**Not complete:** 2 gaps, 1 overlap." in page
    assert (
        "- Gap: no row matches <code>categories</code> = different, <code>folders</code> = "
        "same, <code>sync&#95;all&#95;items</code> = some." in page
    )
    assert (
        "- Overlap: rows 4, 8 all match <code>categories</code> = some shared, "
        "<code>folders</code> = different, <code>sync&#95;all&#95;items</code> = all." in page
    )


def test_procedures_are_checklists_with_each_steps_residue(sources, pages):
    procedure = sources.packs[0].procedures["KB105-P2"]
    page = pages["packs/kb105/procedures/kb105-p2.md"]
    items = page.split("\n- [ ] ")[1:]
    assert len(items) == len(procedure.steps)
    for item, step in zip(items, procedure.steps, strict=True):
        assert item.startswith(f"**{step.number}.** {text(step.text)}")
        assert f"Timeline action: <code>{step.action}</code>" in item
        for name, value in step.residue.items():
            assert f"{code(name)} = {show_value(value)}" in item
        if step.residue_table:
            assert "If skipped: the overlap goes on, as [" in item
    assert "If skipped: <code>dormant</code> = yes (a disabled instance still holds" in page


def test_outcome_table_per_overlap_case_with_the_simulated_column():
    def simulate(path: Path) -> dict[str, dict]:
        same = path.name == "two-instances-same-names.yaml"
        return {
            "user@email.com": {"sync_errors": same, "mailbox_copies": 7},
            "bystander@email.com": {"crm_duplicates": True},
        }

    plain = render_site(sources_of(ROOT))["packs/kb105/outcomes.md"]
    assert "Simulated" not in plain
    page = render_site(sources_of(ROOT, simulate))["packs/kb105/outcomes.md"]
    cases = re.findall(r"^## (.+)$", page, re.M)
    assert cases[:2] == ["two-instances-same-names.yaml", "two-instances-different-names.yaml"]
    assert "clean.yaml" not in cases
    assert "| Outcome | Predicted by the rules | Simulated | Agree |" in page
    same = page.split("## two-instances-same-names.yaml")[1].split("## ")[0]
    assert "errors are reported on every sync attempt | yes | yes | yes |" in same
    assert "copies of each CRM item in the mailbox | 2 | 7 | **no** |" in same
    # only the mailboxes the findings are about count
    assert "duplicate records are created in the CRM | no | no | yes |" in same


def test_since_and_changed_come_from_the_rule_or_the_pack_version(tmp_path):
    root = copy_project(tmp_path)

    def version(data):
        data["pack"]["version"] = "1.1.0"
        data["pack"]["history"] = [
            {"version": "1.1.0", "date": "2024-06-01", "changes": "KB105-002 message reworded."},
            {"version": "1.0.0", "date": "2024-01-01", "changes": "First release."},
        ]
        for rule in data["rules"]:
            rule["since"] = "1.0.0"
        data["rules"][1]["changed"] = "1.1.0"

    edit_pack(root, version)
    pages = render_site(sources_of(root))
    assert "**Since:** 1.0.0 · **Last changed:** 1.1.0" in pages["rules/kb105-002.md"]
    assert "**Since:** 1.0.0 · **Last changed:** 1.0.0" in pages["rules/kb105-001.md"]
    history = pages["packs/kb105/history.md"]
    assert history.index("## 1.1.0") < history.index("## 1.0.0")
    newest = history.split("## 1.1.0")[1].split("## 1.0.0")[0]
    assert "*2024-06-01* — KB105-002 message reworded." in newest
    assert "Changed:\n\n- [KB105-002]" in newest and "KB105-001" not in newest


def test_every_value_from_rule_files_renders_as_text(tmp_path):
    root = copy_project(tmp_path)
    edit_pack(root, make_hostile)
    pages = render_site(sources_of(root))
    for path, source in pages.items():
        assert "<script" not in source and "<img" not in source and "<iframe" not in source, path
        rendered = markdown.markdown(source, extensions=EXTENSIONS)
        assert not re.search(r"<(script|img|iframe)\b", rendered), path
        assert not any("javascript" in href for href in re.findall(r'href="([^"]*)"', rendered))
    rule = markdown.markdown(pages["rules/kb105-001.md"], extensions=EXTENSIONS)
    shown = html.unescape(re.sub(r"<[^>]+>", "", rule))  # what a reader sees
    # titles go through theme filters that decode entities, so their angle brackets are replaced
    assert (
        'KB105-001: ‹script›alert("kb-lint")‹/script› ‹img src=x onerror=alert(1)› **bold**'
        in shown
    )
    assert f"{HOSTILE} {{email}} [click](javascript:alert(1))" in shown
    assert "<strong>bold</strong>" not in rule and "<h1" not in rule.split("</h1>", 1)[1]


def test_rendering_reads_no_file(sources, pages, monkeypatch):
    def no_io(*args, **kwargs):
        raise AssertionError("render_site read a file")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(Path, "read_text", no_io)
    assert render_site(sources) == pages


def test_nav_holds_every_generated_page_once(sources, pages):
    listed: list[str] = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, str):
                listed.append(entry)
            else:
                for value in entry.values():
                    walk(value)

    walk(site_nav(sources))
    assert sorted(listed) == sorted([*pages, "articles/kb-105.md"])


def test_article_badges_link_the_rules_citing_each_section(sources):
    article = sources.article(105)
    original = (FIXTURES / "articles" / "kb-105.md").read_text("utf-8")
    annotated = render_article(original, article, sources)
    added = [line for line in annotated.splitlines() if "kb-lint-badges" in line]
    assert len(added) == 6
    background = annotated.split("## Background\n\n")[1].splitlines()[0]
    assert (
        '[KB105-001](../rules/kb105-001.md "One Riva instance per email user and CRM user")'
        in background
    )
    practice = annotated.split("## Best Practice\n\n")[1].splitlines()[0]
    assert all(f"[{rule}]" in practice for rule in ("KB105-002", "KB105-005", "KB105-010"))
    challenges = annotated.split("## Expected Challenges\n\n")[1].splitlines()[0]
    assert "(../packs/kb105/tables/expected-challenges.md" in challenges
    # nothing of the article is lost or moved
    assert [line for line in annotated.splitlines() if line and line not in added] == [
        line for line in original.splitlines() if line
    ]


def test_raw_html_in_an_article_is_shown_as_text_and_comments_dropped(sources):
    article = sources.article(105)
    source = (
        "## Background\n\n"
        "Text <b>bold</b> and `<i>code</i>` <!-- kb-lint disable KB-STYLE-003: quoted -->\n\n"
        "<script>\nalert(1)\n</script>\n\n"
        "<!--\nhidden\n-->\n\n"
        "```html\n<div>kept</div>\n```\n"
    )
    shown = render_article(source, article, sources)
    assert "Text &lt;b&gt;bold&lt;/b&gt; and `<i>code</i>` \n" in shown
    assert "&lt;script&gt;\nalert(1)\n&lt;/script&gt;\n" in shown
    assert "hidden" not in shown and "kb-lint disable" not in shown
    assert "```html\n<div>kept</div>\n```\n" in shown
    rendered = markdown.markdown(shown, extensions=EXTENSIONS)
    assert not re.search(r"<(script|b|i)>", rendered)
