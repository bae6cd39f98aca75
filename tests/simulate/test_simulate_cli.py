"""``kb-lint simulate`` end to end: the table, the JSON contract, the plot, the sweep, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.conftest import ROOT, one_error

SCENARIOS = ROOT / "examples" / "scenarios"


def test_the_table_shows_every_cycle_and_the_final_line(kb_lint):
    proc = kb_lint("simulate", SCENARIOS / "same-names.yaml", "--cycles", "3")
    assert proc.returncode == 1, proc.stderr  # the run shows sync errors
    lines = proc.stdout.splitlines()
    assert lines[1].split() == [
        "cycle",
        "mailbox",
        "items",
        "CRM",
        "records",
        "CRM",
        "duplicates",
        "max",
        "copies",
        "errors",
        "leftovers",
    ]
    # Cycle 1: the instance that syncs second errs on the first one's 20 copies and on its
    # folder structure, in each of the two mailboxes; from cycle 2 both err on each other's.
    assert [line.split() for line in lines[2:5]] == [
        ["1", "80", "40", "0", "2", "42", "0"],
        ["2", "80", "40", "0", "2", "82", "0"],
        ["3", "80", "40", "0", "2", "82", "0"],
    ]
    assert lines[5] == (
        "final: 40 CRM records (0 duplicates), at most 2 copies of a CRM record in a mailbox, "
        "206 errors (82 in the last cycle), 0 leftovers"
    )


def test_json_follows_the_contract(kb_lint):
    proc = kb_lint("simulate", SCENARIOS / "sync-all-items.yaml", "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the run shows CRM duplicates
    report = json.loads(proc.stdout)
    assert len(report["cycles"]) == 8
    assert {"cycle", "mailbox_items", "crm_records", "errors"} <= report["cycles"][0].keys()
    final = report["final"]
    assert set(final) >= {
        "crm_records",
        "crm_duplicates",
        "mailbox_copies_max",
        "errors_total",
        "errors_last_cycle",
        "leftovers",
    }
    # 20 original records, and one record for each of the user's own two items: the rest are
    # duplicates.
    assert final["crm_duplicates"] == final["crm_records"] - 20 - 2 > 0
    assert report["mailboxes"]["ann.lee@acme.example"]["crm_duplicates"] is True


def test_a_seed_gives_the_same_run_every_time(kb_lint):
    def run(seed: str) -> str:
        return kb_lint("simulate", SCENARIOS / "sync-all-items.yaml", "--seed", seed).stdout

    assert run("3") == run("3")
    assert "(seed 3)" in run("3")


def test_a_clean_run_exits_0(kb_lint):
    proc = kb_lint("simulate", SCENARIOS / "migration-by-the-book.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_item_level_and_fast_path_print_the_same(kb_lint):
    path = SCENARIOS / "different-names.yaml"
    assert kb_lint("simulate", path).stdout == kb_lint("simulate", path, "--item-level").stdout


def test_the_sweep_sets_the_rules_beside_the_model_and_they_agree(kb_lint):
    proc = kb_lint("simulate", "--sweep")
    assert proc.returncode == 0, proc.stdout
    grid, readded, meetings, locked, folder, contacts, procedures, without = proc.stdout.split(
        "\n\n"
    )
    title, *lines = grid.splitlines()
    assert title == "KB105: Article 105's options (kb-105/grid.yaml)"
    assert len(lines) == 1 + 32 + 1
    # each pack with a model sweeps its own grid, judged by its own rules
    assert folder.startswith("KB1668: Article 1668's master folder rename (kb-1668/grid.yaml)")
    assert folder.splitlines()[-1].endswith(
        "8 cases: rules / model agree on all; 0 with duplicate CRM records"
    )
    assert sum(" yes / yes " in line for line in folder.splitlines()) == 4  # renamed: refused
    assert readded.startswith("KB1270: Article 1270's remove and re-add (kb-1270/grid.yaml)")
    assert readded.splitlines()[-1].endswith(
        "32 cases: rules / model agree on all; 0 with duplicate CRM records"
    )
    # M14: a new address for the CRM user, on each side of Riva 2.4.39.24181
    assert sum("crm_id_conflict / crm_id_conflict" in line for line in readded.splitlines()) == 4
    assert (
        sum(
            "first_sync_duplicates / first_sync_duplicates" in line for line in readded.splitlines()
        )
        == 4
    )
    assert meetings.startswith("KB1507: Article 1507's contact matching for meetings")
    assert meetings.splitlines()[-1].endswith(
        "48 cases: rules / model agree on all; 0 with duplicate CRM records"
    )
    # M16: Must Match skips five meetings per email system (with colleagues under Exclusivity
    # or without Create, with strangers without Create); Create makes both kinds of contact
    # where Exclusivity is off and the meeting is with strangers
    assert sum(" yes / yes " in line for line in meetings.splitlines()) == 10
    assert (
        sum("employee,external / employee,external" in line for line in meetings.splitlines()) == 4
    )
    assert locked.startswith("KB1508: Article 1508's settings fixed at the first save")
    assert locked.splitlines()[-1].endswith(
        "16 cases: rules / model agree on all; 0 with duplicate CRM records"
    )
    # M15: another category or contact folder option refused on Riva Cloud
    assert sum(" cloud " in line and "yes / yes" in line for line in locked.splitlines()) == 4
    assert contacts.startswith("KB519: Article 519's duplicate contacts (kb-519/grid.yaml)")
    assert contacts.splitlines()[-1].endswith(
        "24 cases: rules / model agree on all; 0 with duplicate CRM records"
    )
    # M13: the address book's own contacts and the CRM's doubles, each where contacts sync
    both = [line for line in contacts.splitlines() if "address book,crm / address book,crm" in line]
    assert len(both) == 2 and all("has-crm-contacts  yes" in line for line in both)
    # each pack without a model says why
    assert len(without.splitlines()) == 5
    assert "KB475: no model: The model has no private flag" in without
    assert lines[-1].endswith(
        "32 cases: rules / model agree on all; 24 with duplicate CRM records, at most 48"
    )
    # the procedures: done right, each step left out, each two steps the article orders swapped
    moves = procedures.splitlines()
    assert len(moves) == 1 + 48 + 1
    assert moves[-1].endswith("48 procedure cases: rules / model agree on all")
    for system, steps, bullets in (("exchange", 8, 5), ("groupwise", 7, 4)):
        cases = [line for line in moves if f" {system} " in line]
        swapped = steps * (steps - 1) // 2 - bullets * (bullets - 1) // 2
        assert len(cases) == 1 + (steps - 1) + swapped
    [skipped] = [line for line in moves if "exchange      without step 3, bullet 5 " in line]
    assert "categories / categories" in skipped  # the Master Category List left behind
    same = next(line for line in lines if line.split()[:3] == ["same", "no", "no"])
    assert "yes / yes" in same and "2 / 2" in same


def test_the_sweep_lists_a_model_pack_without_a_grid_and_why(kb_lint, tmp_path):
    """A pack the model measures but that names no grid is not swept: the sweep says so, with
    the reason, beside the packs without a model (never left out silently)."""
    for pack in ("kb-1668", "kb-1508", "kb-22"):
        shutil.copytree(ROOT / "rules" / pack, tmp_path / pack)
    pack = tmp_path / "kb-1508" / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("  grid: grid.yaml\n", ""), "utf-8")
    proc = kb_lint("simulate", "--sweep", "--rules", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("KB1668: ")  # the one grid left
    assert (
        "KB1508: no grid: riva-sync measures change_refused, but the pack names no grid to "
        "sweep (simulation: {grid: grid.yaml}, a file beside the pack)\nKB22: no model: "
    ) in proc.stdout
    every = json.loads(
        kb_lint("simulate", "--sweep", "--rules", tmp_path, "--format", "json").stdout
    )
    assert [w["pack"] for w in every["without_grid"]] == ["KB1508"]
    assert [w["pack"] for w in every["without_model"]] == ["KB22"]


def test_the_sweep_as_markdown_and_json(kb_lint):
    markdown = kb_lint("simulate", "--sweep", "--format", "markdown").stdout
    assert markdown.startswith(
        "### KB105: Article 105's options (kb-105/grid.yaml)\n\n"
        "| names | sync all (first) | sync all (second) | email system | instances |"
    )
    every = json.loads(kb_lint("simulate", "--sweep", "--format", "json").stdout)
    assert [s["pack"] for s in every["sweeps"]] == [
        "KB105",
        "KB1270",
        "KB1507",
        "KB1508",
        "KB1668",
        "KB519",
    ]
    assert [w["pack"] for w in every["without_model"]][:2] == ["KB22", "KB24140811230740"]
    assert every["without_grid"] == []  # every shipped pack with a model has its grid
    sweep = every["sweeps"][0] | {"procedures": every["procedures"]}
    assert [a["name"] for a in sweep["grid"]["axes"]][:3] == [
        "names",
        "sync all (first)",
        "sync all (second)",
    ]
    cases, moves = sweep["cases"], sweep["procedures"]
    assert len(cases) == sweep["grid"]["cases"] == 32 and len(moves) == 48
    assert not any(case["differences"] for case in (*cases, *moves))
    book = next(m for m in moves if m["procedure"] == "KB105-P1" and m["case"] == "by the book")
    assert book["simulated"]["mailbox_copies"] == 1 and book["steps"][-1] == "add-to-on-premise"
    # The article: sync all items in either instance duplicates CRM records, whatever the
    # names; different category and folder names sync without errors.
    sync_all = [
        c for c in cases if c["values"]["sync all (first)"] or c["values"]["sync all (second)"]
    ]
    assert len(sync_all) == 24 and all(c["simulated"]["crm_duplicates"] for c in sync_all)
    assert all(c["final"]["crm_duplicates"] > 0 for c in sync_all)
    different = [c for c in cases if c["values"]["names"] == "different"]
    assert not any(c["simulated"]["sync_errors"] for c in different)
    # CSV: the grid's rows, then one per procedure case
    rows = list(
        csv.DictReader(io.StringIO(kb_lint("simulate", "--sweep", "--format", "csv").stdout))
    )
    grids = {"KB105": 32, "KB1270": 32, "KB1507": 48, "KB1508": 16, "KB1668": 8, "KB519": 24}
    cases = sum(grids.values())
    assert [r["procedure"] for r in rows].count("") == cases
    assert len(rows) == cases + 48
    assert [r["pack"] for r in rows[:cases]] == [p for p, n in grids.items() for _ in range(n)]
    assert {r["procedure_case"] for r in rows[cases:]} >= {"by the book"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "simulate needs a SCENARIO file, --sweep or --grid FILE"),
        ((SCENARIOS / "same-names.yaml", "--plot", "x.pdf"), "--plot writes .svg, .png files"),
        ((SCENARIOS / "same-names.yaml", "--trace-cycles", "2"), "filter a --trace"),
        (
            (SCENARIOS / "same-names.yaml", "--trace", "-", "--trace-mailbox", "x@y.z"),
            "no such mailbox",
        ),
        ((SCENARIOS / "same-names.yaml", "--jobs", "2"), "--jobs and --executor run sweeps"),
        (("--sweep", SCENARIOS / "same-names.yaml"), "same-names.yaml has no sweep: to run"),
        (
            (SCENARIOS / "same-names.yaml", "--format", "markdown"),
            "--format markdown is for sweeps",
        ),
        ((ROOT / "no-such-file.yaml",), "no-such-file.yaml:1:1: cannot read file"),
    ],
)
def test_wrong_use_exits_2_with_one_message(kb_lint, args, message):
    proc = kb_lint("simulate", *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("text", ["{}\n", "instances: []\n"])
def test_a_scenario_of_nothing_is_an_input_error(kb_lint, tmp_path, text):
    """A run of no instance would exit 0 and show an empty table: nothing true of any estate
    (trial 14's follow-up, as ``check`` refuses the same file)."""
    scenario = tmp_path / "empty.yaml"
    scenario.write_text(text, "utf-8")
    proc = one_error(kb_lint("simulate", scenario))
    assert proc == (
        f"kb-lint: {scenario}:1:1: nothing to simulate: the deployment has no instance and no "
        "timeline entry (its Riva instances go under 'instances')"
    )
