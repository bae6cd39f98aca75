"""The deployment format reference describes every field, and its Example column adds to the
Default column instead of repeating it."""

from __future__ import annotations

import json

from sitecopy import ROOT

from kb_lint.docs.schema_pages import pack_format, schema_reference

SCHEMA = json.loads((ROOT / "kb_lint/schemas/deployment.schema.json").read_text("utf-8"))


def field_rows(page: str) -> list[list[str]]:
    rows = []
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| <code>") and len(cells) == 6:
            rows.append(cells)
    return rows


def test_every_field_is_described_and_no_example_repeats_its_default():
    rows = field_rows(schema_reference(SCHEMA, "Deployment and scenario files"))
    assert len(rows) > 30  # the check read the tables
    assert [r[0] for r in rows if not r[5]] == []
    assert [r[0] for r in rows if r[4] and r[4] == r[3]] == []


def test_every_key_of_a_rule_pack_is_described_and_explain_prints_them(kb_lint):
    """The pack format reference is generated from the schema packs load with: a key added
    without a description would be a blank row on the site and in ``kb-lint explain``."""
    page = pack_format()
    rows = field_rows(page)
    assert len(rows) > 120  # every key of pack.yaml, the definitions' included
    assert [r[0] for r in rows if not r[5]] == []
    for definition in ("Outcome", "Table", "Procedure", "Rule", "Field", "Action", "Example"):
        assert f"## {definition} {{#def-" in page, definition
    printed = kb_lint("explain", "pack-format")
    assert printed.returncode == 0, printed.stderr
    assert "| <code>rows[].then</code> | object |" in printed.stdout  # read as text: no entities
    assert "&#" not in printed.stdout
