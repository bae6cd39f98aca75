"""A sweep case the model has no mechanism for is "not modelled", never an agreement: a policy
of an email system with no mailbox in the model (``email_system: google``, M17) or one never
saved (``saved: false``, M12) makes its case's cells, its agree column, its JSON ``verdict``
and its CSV ``agree`` say so, names the values, and keeps it out of the exit code."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from tests.conftest import ROOT

BASE = ROOT / "examples" / "scenarios" / "different-names.yaml"
SALES = "instances.onprem-prod.policies.Sales"
GRID = f"""\
title: email systems and the first save
scenario: {BASE}
axes:
  - {{field: {SALES}.email_system, values: [exchange, groupwise, google]}}
  - {{field: {SALES}.saved, values: [true, false]}}
"""


def grid(tmp_path: Path) -> Path:
    path = tmp_path / "grid.yaml"
    path.write_text(GRID, "utf-8")
    return path


def test_the_json_names_each_case_not_modelled_and_why(kb_lint, tmp_path):
    done = kb_lint("simulate", "--grid", grid(tmp_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    cases = json.loads(done.stdout)["cases"]
    verdicts = {
        (c["values"][f"{SALES}.email_system"], c["values"][f"{SALES}.saved"]): c["verdict"]
        for c in cases
    }
    assert verdicts == {
        ("exchange", True): "agree",
        ("groupwise", True): "agree",
        ("google", True): "not modelled",
        ("exchange", False): "not modelled",
        ("groupwise", False): "not modelled",
        ("google", False): "not modelled",
    }
    for case in cases:
        values = [(v["field"], v["value"]) for p in case["not_modelled"] for v in p["values"]]
        system, saved = case["values"][f"{SALES}.email_system"], case["values"][f"{SALES}.saved"]
        wanted = [("email_system", "google")] if system == "google" else []
        wanted += [] if saved else [("saved", "false")]
        assert values == wanted, case
        assert case["not_modelled"] == [] or case["differences"] == []  # never compared


def test_the_table_says_not_modelled_in_every_cell_of_such_a_case(kb_lint, tmp_path):
    done = kb_lint("simulate", "--grid", grid(tmp_path))
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    cells = [re.split(r"\s{2,}", row.strip()) for row in rows[1:-1]]
    assert len(cells) == 6
    for system, saved, *outcomes, duplicates, agree in cells:
        if system == "google" or saved == "no":
            # every outcome cell shows the rules' prediction, if any, beside "not modelled"
            assert all(cell.endswith("not modelled") for cell in outcomes), outcomes
            assert (duplicates, agree) == ("not modelled", "not modelled")
        else:
            assert agree == "yes" and "not modelled" not in " ".join(outcomes)
    summary = rows[-1]
    assert "6 cases: rules / model agree on all 2 compared; 4 not modelled (" in summary
    assert "email_system google: the model has no such mailbox" in summary
    assert "saved false: the model has no policy editor" in summary


def test_the_csv_agree_column_says_not_modelled(kb_lint, tmp_path):
    done = kb_lint("simulate", "--grid", grid(tmp_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    agree = [(r[f"{SALES}.email_system"], r[f"{SALES}.saved"], r["agree"]) for r in rows]
    assert agree == [
        ("exchange", "True", "True"),
        ("exchange", "False", "not modelled"),
        ("groupwise", "True", "True"),
        ("groupwise", "False", "not modelled"),
        ("google", "True", "not modelled"),
        ("google", "False", "not modelled"),
    ]
