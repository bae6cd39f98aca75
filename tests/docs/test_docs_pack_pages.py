"""The rendered pages of a pack: its decision tables (rows in words, status, gaps and overlaps),
its procedures as checklists, its assumptions, and the source every row, cell, step and rule
names: an article item, or an assumption linked to its entry."""

from __future__ import annotations

import posixpath
import re

from rendering import sources_of
from sitecopy import copy_project, edit_pack

from kb_lint.docs.escape import text
from kb_lint.docs.outcomes import show_value
from kb_lint.docs.render import render_site


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
