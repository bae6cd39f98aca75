"""The rendered outcomes page of a pack: one table per overlap case, the rules' prediction beside
the simulation's (a stand-in ``simulate`` here), and what it says where the model measures
nothing, or not the outcome predicted."""

from __future__ import annotations

import re
from pathlib import Path

from rendering import sources_of
from sitecopy import ROOT, copy_project, edit_pack

from kb_lint.docs.render import render_site


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


def test_a_pack_no_model_simulates_shows_no_simulated_column(tmp_path):
    root = copy_project(tmp_path)
    edit_pack(root, lambda data: data.pop("simulation"))

    def simulate(path: Path, vocabulary=None) -> dict[str, dict]:
        return {"user@email.com": {"sync_errors": True, "mailbox_copies": 7}}

    page = render_site(sources_of(root, simulate))["packs/kb105/outcomes.md"]
    assert "| Outcome | Predicted by the rules |" in page
    assert "Simulated" not in page


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
