"""The pure renderer: rule packs, articles and outcomes in, Markdown pages out."""

from __future__ import annotations

import builtins
import html
import json
import posixpath
import re
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.utils.yaml import get_yaml_loader
from sitecopy import FIXTURES, HOSTILE, ROOT, copy_project, edit_pack, make_hostile

from kb_lint.docs.article_pages import render_article
from kb_lint.docs.escape import code, text
from kb_lint.docs.outcomes import show_value
from kb_lint.docs.render import render_site, site_nav
from kb_lint.docs.sources import SiteSources, collect

EXTENSIONS = [
    next(iter(e)) if isinstance(e, dict) else e
    for e in yaml.load(  # MkDocs' loader: mkdocs.yml reads SITE_URL with !ENV
        (ROOT / "mkdocs.yml").read_text("utf-8"), Loader=get_yaml_loader()
    )["markdown_extensions"]
]


def sources_of(root: Path, simulate=None) -> SiteSources:
    return collect(root / "rules", FIXTURES / "articles", FIXTURES, simulate)


@pytest.fixture(scope="module")
def sources() -> SiteSources:
    return sources_of(ROOT)


@pytest.fixture(scope="module")
def pages(sources: SiteSources) -> dict[str, str]:
    return render_site(sources)


PACK_PAGES = ("index", "outcomes", "assumptions", "history")  # every pack has these


def test_every_page_of_the_site_is_rendered(sources, pages):
    assert {
        "rules/index.md",
        "packs/kb105/index.md",
        "packs/kb105/outcomes.md",
        "packs/kb105/assumptions.md",
        "packs/kb105/history.md",
        "packs/kb105/tables/expected-challenges.md",
        "packs/kb105/procedures/kb105-p1.md",
        "packs/kb105/procedures/kb105-p2.md",
    } <= set(pages)
    expected = {"rules/index.md", "reference/deployment-format.md", "reference/expressions.md"}
    expected.add("reference/pack-format.md")
    for pack in sources.packs:
        folder = f"packs/{pack.id.lower()}"
        expected |= {f"{folder}/{page}.md" for page in PACK_PAGES}
        expected |= {f"{folder}/tables/{table}.md" for table in pack.tables}
        expected |= {f"{folder}/procedures/{proc.lower()}.md" for proc in pack.procedures}
        expected |= {f"rules/{rule.id.lower()}.md" for rule in pack.rules}
    expected |= {
        f"rules/{style.name}/{rule.id.lower()}.md"
        for style in sources.styles
        for rule in style.rules
        if rule.style == style.name
    }
    assert set(pages) == expected
    assert [style.name for style in sources.styles] == ["common", "riva", "troubleshooting"]


def test_article_rules_get_pages_and_index_entries_from_their_definitions(sources, pages):
    riva = next(style for style in sources.styles if style.name == "riva")
    rule = riva.rule("KB-STYLE-001")
    page = pages["rules/riva/kb-style-001.md"]
    assert "# KB-STYLE-001: Product names and terms as the style writes them\n" in page
    assert re.findall(r"^## (.+)$", page, re.M) == [
        "What it checks",
        "Why is this bad?",
        "Example",
        "Use instead",
        "Fix",
        "Settings",
        "Ignoring or waiving it",
    ]
    assert f"```markdown\n{rule.example.rstrip()}\n```" in page
    assert "```diff\n--- flagged\n+++ corrected\n" in page
    assert (
        "<!-- kb-lint disable-next-line KB-STYLE-001: quoted as the customer wrote it -->" in page
    )
    index = pages["rules/index.md"]
    assert "## Article rules: the riva style" in index
    assert "| [KB-STYLE-001](riva/kb-style-001.md) | <code>terminology</code> |" in index
    # a rule is listed under the style that defines it, not under those that inherit it
    assert "(riva/kb-style-002.md)" not in index and "(common/kb-style-002.md)" in index


def test_rules_index_lists_id_title_severity_article_and_version(sources, pages):
    index = pages["rules/index.md"]
    for rule in sources.packs[0].rules:
        row = next(line for line in index.splitlines() if f"[{rule.id}]" in line)
        assert rule.title in row
        assert f"kb-lint-{rule.severity}" in row
        assert f"| {rule.since} | {rule.changed} |" in row
    assert "[KB 105 › Background](../articles/kb-105.md#background)" in index


def test_rule_page_reads_like_a_ruff_rule_page(sources, pages):
    page = pages["rules/kb105-001.md"]
    rule = sources.packs[0].rule("KB105-001")
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
        "Ignoring or waiving it",
    ]
    assert page.startswith(
        "---\nsearch:\n  boost: 2\n"
        'tags: ["Sync errors", "Copies in the mailbox", "Duplicate CRM records"]\n'
        "---\n\n# KB105-001: One Riva instance"
    )
    assert f"**Since:** {rule.since}" in page and f"**Last changed:** {rule.changed}" in page
    # the article text it encodes, quoted from the cited section
    assert "> Some clients would like to use Riva Cloud to test functionality" in page
    # the failing example whole, numbered as the file is, the lines the finding names marked
    failing = (ROOT / "rules/kb-105/examples/two-instances-same-names.yaml").read_text()
    assert f'```yaml linenums="1" hl_lines="10 17"\n{failing.strip()}\n```' in page
    assert "- <code>10:13</code> user@email.com ↔ user@email.com is synced by 2" in page
    # the message as written on it, the template folded away for pack authors
    assert "> user@email.com ↔ user@email.com is synced by 2 Riva instances" in page
    assert "<details><summary>The message template, for pack authors</summary>" in page
    assert "&#123;len(distinct(bindings.instance))&#125;" in page
    # Use instead: the same deployment fixed, as a diff
    use = page.split("## Use instead")[1].split("## ")[0]
    assert "(<code>two-instances-same-names-fixed.yaml</code>): it passes every rule" in use
    assert "```diff\n--- two-instances-same-names.yaml\n+++ two-instances-same-names-fixed" in use
    assert "\n-  - name: riva-cloud\n" in use and "\n   - name: riva-onprem\n" in use
    # predicted outcome in words, fix and the linked procedures
    assert "(../packs/kb105/tables/expected-challenges.md)" in page
    assert (
        '<span title="copies of each CRM item in the mailbox">Copies in the mailbox</span>' in page
    )
    assert "| <code>three-instances.yaml</code> | yes | 3 | yes |" in page
    assert 'ignore = ["KB105-001"]' in page and 'subject = "user@email.com"' in page
    assert (
        "[Move a user from Riva Cloud to Riva On-Premise (Exchange)]"
        "(../packs/kb105/procedures/kb105-p1.md)" in page
    )


def test_a_cited_item_is_quoted_alone(sources, pages):
    page = pages["rules/kb105-001.md"]
    table = pages["packs/kb105/tables/expected-challenges.md"]
    assert "use the same Category and folder names, then errors will be reported" in table
    assert "Sync all items" not in page.split("## What the article says")[1].split("##")[0]


def test_decision_table_is_a_markdown_table_in_words_with_its_status_and_assumptions(pages):
    page = pages["packs/kb105/tables/expected-challenges.md"]
    assert "| # | Category names | Folder names | Sync all items | <span title=" in page
    assert ">Sync errors</span> | <span title=" in page
    assert "| 1 | same | any | none | yes <sup>" in page
    assert "| 8 | different | different | some or all | no | one per instance | yes | " in page
    assert "| Folder names | same, different | same when two of the instances share" in page
    # the expressions only folded away, for pack authors
    tables = [line for line in page.splitlines() if line.startswith("|")]
    assert not any("<code>" in line for line in tables)
    authors = page.split("<details><summary>The expressions, for pack authors</summary>")[1]
    assert "row 8, mailbox&#95;copies: <code>len(bindings)</code>" in authors
    assert (
        "- Row 1: Each instance meets items under its category that it did not create (A10)."
        in page
    )
    assert "Complete and consistent: each of the 18 combinations of inputs matches a row" in page
    assert "**A1 Three or more instances.**" in page
    # only the assumptions that decide its rows or a rule predicting from it (trial 7 #12)
    assert "**A11 " in page  # decides KB105-001, which predicts from the table
    assert "**A3 " not in page and "**A8 " not in page  # KB105-002, KB105-P1's steps


def test_an_assumption_that_decides_nothing_is_listed_once_on_the_pack_page(pages):
    index = pages["packs/kb105/index.md"]
    nothing = index.split("## Assumptions that decide no row, step or rule")[1].split("## ")[0]
    assert "**A5 Data types.**" in nothing and "**A6 Identity.**" in nothing
    assert "**A1 " not in nothing
    tables = [p for name, p in pages.items() if name.startswith("packs/kb105/tables/")]
    assert tables and not any("**A5 " in p for p in tables)


def _row_cells(page: str, number: int) -> list[str]:
    line = next(line for line in page.splitlines() if line.startswith(f"| {number} | "))
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def _assumption(page: str, assumption: str, label: str) -> str:
    """The link to ``assumption``'s entry from a page ``page`` (a path from the docs folder)."""
    target = posixpath.relpath("packs/kb105/assumptions.md", posixpath.dirname(page))
    return f"[{label}]({target}#{assumption.lower()} "


def _whole_row(claim, row) -> bool:
    """The claim's class holds every case of the row."""
    given = claim.given.items()
    return claim.where is None and all(k in row.when and {*row.when[k]} <= {*v} for k, v in given)


def test_every_row_and_outcome_cell_says_article_item_or_assumption(sources, pages):
    pack = sources.packs[0]
    name = "packs/kb105/tables/expected-challenges.md"
    page = pages[name]
    decision = pack.tables["expected-challenges"]
    columns = page.split("## Rows")[1].split("\n| --- ")[0].strip().strip("|").split(" | ")
    assert columns[-1].strip() == "Source"
    outcomes = [n for n in pack.outcomes if any(n in row.then for row in decision.rows)]
    first = 1 + len(decision.inputs)
    deciders = {
        row.number: [
            a["id"]
            for a in pack.data["assumptions"]
            if row.number in a.get("decides", {}).get(decision.id, ())
        ]
        for row in decision.rows
    }
    # row 1 cites item 1 of the article and A10, whose decides names it; A7 does not
    assert deciders[1] == ["A10"]
    source = _row_cells(page, 1)[-1]
    assert source.startswith(
        "[article § expected-challenges, item 1](../../../articles/kb-105.md#expected-challenges)"
    )
    assert _assumption(name, "A10", "assumption A10") in source
    assert "A7" not in source
    for row in decision.rows:
        cells = _row_cells(page, row.number)
        assert f"[article § {row.cites.section}, item {row.cites.item}](" in cells[-1]
        for assumption in deciders[row.number]:
            assert _assumption(name, assumption, f"assumption {assumption}") in cells[-1]
        assert cells[-1].count("[assumption ") == len(deciders[row.number])
        for outcome, cell in zip(outcomes, cells[first:-1], strict=True):
            # a cell is marked unless a claim holds its outcome over the whole row
            claimed = any(c.states(outcome) and _whole_row(c, row) for c in pack.claims)
            marked = [] if claimed else deciders[row.number]
            assert ("<sup>" in cell) == bool(marked), (row.number, outcome, cell)
            for assumption in marked:
                assert _assumption(name, assumption, assumption) in cell
    # row 2 (same names, sync all items): C3 says duplicates, A7 and A10 the rest
    cells = dict(zip(outcomes, _row_cells(page, 2)[first:-1], strict=True))
    assert cells["crm_duplicates"] == "yes"
    assert _assumption(name, "A7", "A7") in cells["sync_errors"]
    # row 7 is the article's alone
    assert _row_cells(page, 7)[first:] == [
        "no",
        "one per instance",
        "no",
        "[article § expected-challenges, item 2](../../../articles/kb-105.md#expected-challenges)",
    ]
    # the anchors exist on the assumptions page
    assert "## A10: Copies under the same names {#a10}" in pages["packs/kb105/assumptions.md"]


def test_a_rule_page_says_where_its_why_comes_from(pages):
    page = pages["rules/kb105-002.md"]
    why = page.split("## Why is this bad?")[1].split("## ")[0]
    assert (
        "Source: [article § best-practice](../articles/kb-105.md#best-practice); "
        + _assumption("rules/kb105-002.md", "A3", "assumption A3")
        in why
    )
    # the outcome every finding predicts is A3's decision, marked on each cell
    predicted = page.split("Every finding predicts:")[1].split("For the failing")[0]
    cells = [line for line in predicted.splitlines() if line.startswith("| <span")]
    assert cells and all(_assumption("rules/kb105-002.md", "A3", "A3") in c for c in cells)
    # a rule no assumption decides names only the article
    plain = pages["rules/kb105-003.md"].split("## Why is this bad?")[1].split("## ")[0]
    assert "Source: [article § explanation](" in plain and "assumption" not in plain


def test_procedure_steps_say_where_they_come_from(pages):
    """A step is numbered as the article numbers it (step 3, bullet 1) and its source says so in
    the findings' words; "item" is left to a section's items (never a procedure's step)."""
    page = pages["packs/kb105/procedures/kb105-p1.md"]
    assert "Do the steps in order (the bullets of one step in any order)." in page
    step = page.split("- [ ] **Step 3, bullet 1.**")[1].split("- [ ] **Step 3, bullet 2.**")[0]
    assert (
        "    - Source: [article § steps-for-exchange-accounts, step 3, bullet 1]"
        "(../../../articles/kb-105.md#steps-for-exchange-accounts)" in step
    )
    assert _assumption("packs/kb105/procedures/kb105-p1.md", "A9", "assumption A9") in step
    assert "<sup>" + _assumption("packs/kb105/procedures/kb105-p1.md", "A9", "A9") in step
    last = page.split("- [ ] **Step 4.**")[1]
    assert "[article § steps-for-exchange-accounts, step 4](" in last
    assert "**Step 5" not in page and "**8.**" not in page  # the article has four steps
    for name, rendered in pages.items():
        assert "article, item" not in rendered and "article, [item" not in rendered, name
        if name.startswith("packs/kb105/procedures/"):
            for source in re.findall(r"Source: \[article § ([^\]]*)\]", rendered):
                assert re.fullmatch(r"steps-for-[\w-]+, step \d(, bullet \d)?", source), source


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
        place = procedure.place(step).capitalize()
        assert item.startswith(f"**{place}.** {text(step.text)}")
        assert f"Timeline action: <code>{step.action}</code>" in item
        shown = item.split("<details>")[0]
        for name, value in step.residue.items():
            spec = sources.packs[0].outcomes[name]
            said = show_value(value, step.says.get(name))
            assert f"        - {text(spec.heading)}: {said}" in shown
            assert "<code>" not in said
        if step.residue_table:
            assert "If skipped: the overlap goes on, as [" in item
    assert "- Dormant assignment: yes (a disabled instance still holds" in page
    assert "When: The user's mailbox is on GroupWise, and the user moves" in page


def test_outcome_table_per_overlap_case_with_the_simulated_column():
    def simulate(path: Path, vocabulary=None) -> dict[str, dict]:
        same = path.name == "two-instances-same-names.yaml"
        return {
            "user@email.com": {"sync_errors": same, "mailbox_copies": 7},
            "bystander@email.com": {"crm_duplicates": True},
        }

    plain = render_site(sources_of(ROOT))["packs/kb105/outcomes.md"]
    assert "Simulated" not in plain
    page = render_site(sources_of(ROOT, simulate))["packs/kb105/outcomes.md"]
    cases = re.findall(r"^## (.+)$", page, re.M)
    assert cases[:3] == [
        "Summary",
        "two-instances-same-names.yaml {#case-two-instances-same-names.yaml}",
        "two-instances-different-names.yaml {#case-two-instances-different-names.yaml}",
    ]
    assert not any(case.startswith("clean.yaml") for case in cases)
    summary = page.split("## Summary")[1].split("\n## ")[0]
    assert (
        "| [two-instances-same-names.yaml](#case-two-instances-same-names.yaml) | [KB105-001]"
        in summary
    )
    assert "| Sync errors: yes | **no**, explained below |" in summary
    assert "| Outcome | Predicted by the rules | Simulated | Agree |" in page
    same = page.split("## two-instances-same-names.yaml")[1].split("\n## ")[0]
    assert "errors are reported on every sync attempt | yes | yes | yes |" in same
    assert "copies of each CRM item in the mailbox | 2 | 7 | **no** |" in same
    assert '!!! warning "Unexplained"' in same  # this stand-in model is wrong, and says so
    # only the mailboxes the findings are about count
    assert "duplicate records are created in the CRM" not in same  # as by default, both sides
    assert "Every other outcome is as by default, on both sides." in same


def test_since_and_changed_come_from_the_rule_or_the_pack_version(tmp_path):
    root = copy_project(tmp_path)

    def version(data):
        data["pack"]["version"] = "1.1.0"
        data["pack"]["history"] = [
            {"version": "1.1.0", "date": "2024-06-01", "changes": "KB105-002 message reworded."},
            {"version": "1.0.0", "date": "2024-01-01", "changes": "First release."},
        ]
        for rule in data["rules"]:
            rule["since"] = rule["changed"] = "1.0.0"
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
    # nothing of the article is lost or moved: added are the badges, the metadata line and
    # the admonition a shouted prohibition becomes (its lines indented under it)
    extra = [*added, *(line for line in annotated.splitlines() if "kb-lint-metadata" in line)]
    assert [
        line.strip()
        for line in annotated.splitlines()
        if line and line not in extra and not line.startswith("!!! warning")
    ] == [line.strip() for line in original.splitlines() if line]


def test_article_page_shows_its_metadata_and_warnings(sources):
    article = sources.article(105)
    original = (FIXTURES / "articles" / "kb-105.md").read_text("utf-8")
    shown = render_article(original, article, sources)
    title = shown.split("# Do Not Run")[1].split("\n## ")[0]
    assert "**Article:** 105 · **Revision:** 10 · **Last updated:** 2017-03-27" in title
    warning = shown.split('!!! warning "Warning"\n\n')[1].split("\n\n")[0]
    assert warning.startswith("    ") and "DO NOT configure a duplicate instance" in warning
    rendered = markdown.markdown(shown, extensions=EXTENSIONS)
    assert '<div class="admonition warning">' in rendered


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


def test_a_pack_no_model_simulates_shows_no_simulated_column(tmp_path):
    root = copy_project(tmp_path)
    edit_pack(root, lambda data: data.pop("simulation"))

    def simulate(path: Path, vocabulary=None) -> dict[str, dict]:
        return {"user@email.com": {"sync_errors": True, "mailbox_copies": 7}}

    page = render_site(sources_of(root, simulate))["packs/kb105/outcomes.md"]
    assert "| Outcome | Predicted by the rules |" in page
    assert "Simulated" not in page


def test_the_deployment_format_reference_lists_every_field_from_the_schema(sources, pages):
    page = pages["reference/deployment-format.md"]
    schema = sources.deployment_schema
    objects = [schema, *(d for d in schema["$defs"].values() if "properties" in d)]
    for spec in objects:
        for name, field in spec["properties"].items():
            # one row per record holding the field (an event's category has no default)
            rows = [line for line in page.splitlines() if line.startswith(f"| {code(name)} |")]
            assert rows, name
            if "default" in field:
                assert any(code(json.dumps(field["default"])) in row for row in rows), name
    assert "| <code>folders.root</code> | string |  |  |  | Name of the SmartConvert" in page
    assert "| <code>records&#91;&#93;.type</code> | one of" in page
    assert "## Policy {#def-policy}" in page
    assert "| <code>policies</code> | list of [policy](#def-policy) |" in page
    assert "| <code>what</code> | [what](#def-what) or list of [what](#def-what) |" in page
    assert (
        '| <code>email&#95;system</code> | one of <code>"exchange"</code>, '
        '<code>"groupwise"</code>, <code>"google"</code>' in page
    )


def test_the_reference_follows_the_schema_it_is_given():
    from kb_lint.docs.schema_pages import schema_reference

    schema = {
        "type": "object",
        "required": ["pack_field"],
        "properties": {"pack_field": {"$ref": "#/$defs/added", "description": "From a pack."}},
        "$defs": {
            "added": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}},
            "unused": {"type": "object", "properties": {"never": {"type": "string"}}},
        },
    }
    page = schema_reference(schema, "Extended")
    assert (
        "| <code>pack&#95;field</code> | [added](#def-added) | yes |  |  | From a pack. |" in page
    )
    assert "| <code>n</code> | integer ≥ 1 |" in page
    assert "never" not in page  # only what the file can reach


def test_an_outcome_the_model_does_not_measure_is_no_disagreement():
    """KB1508's model measures change_refused, not full_resync: a case whose measured outcomes
    agree is no disagreement, and gets no "Unexplained" warning."""

    def simulate(path: Path, vocabulary=None) -> dict[str, dict]:
        return {"ann.lee@acme.example": {"change_refused": True}}

    page = render_site(sources_of(ROOT, simulate))["packs/kb1508/outcomes.md"]
    summary = page.split("## Summary")[1].split("\n## ")[0]
    row = next(line for line in summary.splitlines() if "category-change-after-save.yaml" in line)
    assert row.endswith("| yes |")
    case = page.split("## category-change-after-save.yaml")[1].split("\n## ")[0]
    assert "| yes | not measured | — |" in case
    assert "Unexplained" not in case


def test_a_case_whose_outcomes_nothing_measured_says_not_measured(tmp_path):
    """KB105 measured for dormant alone: a case that predicts copies and errors compares
    nothing, so its summary says "not measured", never that the simulation agrees."""
    root = copy_project(tmp_path)
    edit_pack(root, lambda data: data["simulation"].update(measures=["dormant"]))

    def simulate(path: Path, vocabulary=None) -> dict[str, dict]:
        return {"user@email.com": {"sync_errors": True, "mailbox_copies": 2, "dormant": False}}

    page = render_site(sources_of(root, simulate))["packs/kb105/outcomes.md"]
    summary = page.split("## Summary")[1].split("\n## ")[0]
    row = next(line for line in summary.splitlines() if "two-instances-same-names.yaml" in line)
    assert row.endswith("| not measured |")
    # where the rules predict the defaults, the model's dormant is compared: it agrees
    row = next(line for line in summary.splitlines() if "two-policies-one-instance" in line)
    assert row.endswith("| nothing beyond the defaults | yes |")
    same = page.split("## two-instances-same-names.yaml")[1].split("\n## ")[0]
    assert "| not measured | — |" in same and "Unexplained" not in same


def test_a_list_outcome_is_shown_sorted_on_the_table_page_as_in_findings(tmp_path):
    """One formatter for list outcomes: a cell written ``[crm, address book]`` reads
    "address book, crm" on the table page, as the findings and the outcomes page say it."""
    root = copy_project(tmp_path)
    path = root / "rules/kb-519/pack.yaml"
    written = "then: {duplicate_contacts: [address book, crm], certainty: certain}"
    text = path.read_text("utf-8")
    assert text.count(written) == 1
    path.write_text(
        text.replace(written, written.replace("address book, crm", "crm, address book"))
    )
    page = render_site(sources_of(root))["packs/kb519/tables/duplicate-sources.md"]
    assert "address book, crm" in page and "crm, address book" not in page
