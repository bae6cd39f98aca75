"""The pure renderer: rule packs, articles and outcomes in, Markdown pages out. Here the site
as a whole (its pages, nav, hostile values, reading no file), the rule pages and the reference
pages; the pack pages, outcome pages and article pages have their own files."""

from __future__ import annotations

import builtins
import html
import json
import re
from pathlib import Path

import markdown
from rendering import EXTENSIONS, sources_of
from sitecopy import HOSTILE, ROOT, copy_project, edit_pack, make_hostile

from kb_lint.docs.escape import code
from kb_lint.docs.render import render_site, site_nav

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


def test_rendering_reads_no_file(sources, pages, monkeypatch):
    def no_io(*args, **kwargs):
        raise AssertionError("render_site read a file")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(Path, "read_text", no_io)
    assert render_site(sources) == pages


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
