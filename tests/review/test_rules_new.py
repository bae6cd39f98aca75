"""``kb-lint rules new``: a pack started from its article, which rules check then drives."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import yaml

from kb_lint.review.scaffold import schema_from

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "docs/articles/kb-105-do-not-run-riva-twice.md"


def test_new_writes_a_pack_from_the_article_and_never_overwrites_it(kb_lint, tmp_path):
    shutil.copy(ARTICLE, tmp_path / "article.md")
    made = kb_lint("rules", "new", "article.md", "--rules", "rules", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    pack = tmp_path / "rules/kb-105/pack.yaml"
    text = pack.read_text("utf-8")
    data = yaml.safe_load(text)
    assert data["pack"] == {
        "id": "KB105",
        "article": 105,
        "title": "Do Not Run Riva CRM Integration Twice Against the Same User",
        "revision": 10,
        "updated": datetime.date(2017, 3, 27),
        "version": "0.1.0",  # unreleased: no history, so no version marks asked for yet
        "source": "../../article.md",
    }
    assert f"#   - {{version: 0.1.0, date: {datetime.date.today()}, changes: First" in text
    # a citation ready to use, with the fingerprint rules check would ask for
    cites = '{section: expected-challenges, item: 1, fingerprint: "sha256:d5b1d06b30d3f9af"}'
    assert f"#     cites: {cites}" in text
    assert "constraint? Do not configure the same email and CRM user combination" in text
    checked = kb_lint("rules", "check", "--rules", "rules", cwd=tmp_path)
    assert checked.returncode == 0 and "KB-RULES-011 info" in checked.stdout  # until a rule
    pack.write_text("kept", "utf-8")
    again = kb_lint("rules", "new", "article.md", "--rules", "rules", cwd=tmp_path)
    assert again.returncode == 2 and "never overwrites" in again.stderr
    assert pack.read_text("utf-8") == "kept"


def test_new_keeps_an_address_in_its_sentence_and_names_the_schema(kb_lint, tmp_path):
    """A sentence is not cut at the dots of an address; the pack's first line points editors
    at the pack schema kb-lint validates with (KB-RULES-010's fix names that line)."""
    article = ARTICLE.read_text("utf-8").replace(
        "\n## ",
        "\n## Source\n\nThis must be read with <https://support.rivacrm.com/hc/en-us/articles/"
        "24202894113684> in mind. Then more.\n\n## ",
        1,
    )
    (tmp_path / "article.md").write_text(article, "utf-8")
    made = kb_lint("rules", "new", "article.md", "--rules", "rules", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "rules/kb-105/pack.yaml").read_text("utf-8")
    assert "#   constraint? This must be read with <https://support.rivacrm.com/hc/en-us/" in text
    assert "constraint? com/" not in text
    # kb-lint is installed outside this project: a path to its schema would hold on this
    # machine alone, so the first line names the language server instead (trial 14 #41)
    assert text.splitlines()[0] == (
        "# In an editor, `kb-lint server` checks this pack as you type (kb-lint explain editors)."
    )
    assert "$schema" not in text and str(ROOT) not in text


def test_a_pack_in_the_project_holding_the_schema_names_it_by_a_relative_path():
    """In kb-lint's own checkout (or a project holding its virtual environment) the schema is
    where every clone has it: named from the pack's folder, as the shipped packs name it."""
    shipped = (ROOT / "rules/kb-22/pack.yaml").read_text("utf-8").splitlines()[0]
    schema = schema_from(ROOT / "rules" / "kb-9001", ROOT)
    assert f"# yaml-language-server: $schema={schema}" == shipped
    assert schema_from(ROOT / "rules" / "kb-9001", ROOT / "rules") is None


def test_each_list_item_is_listed_once_and_a_constraint_item_says_so(kb_lint, tmp_path):
    """Expected Challenges: its three items once each (items 1 and 3, "if … then", marked as
    constraints), not again as the constraint sentences of the section; the sentence before the
    list, which says no constraint, is no longer one (it was, glued to the items)."""
    shutil.copy(ARTICLE, tmp_path / "article.md")
    made = kb_lint("rules", "new", "article.md", "--rules", "rules", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "rules/kb-105/pack.yaml").read_text("utf-8")
    section = text.split("# section 'Expected Challenges':\n", 1)[1].split("# section", 1)[0]
    said = [line.split(":", 1)[0] for line in section.splitlines() if "cites:" not in line]
    assert said == ["#   item 1 (constraint?)", "#   item 2", "#   item 3 (constraint?)"]
    assert text.count('If "Sync all items" is enabled') == 1
