"""The pieces behind the checks and the diff: gap collapsing, fingerprints, row matching."""

from __future__ import annotations

import copy
from dataclasses import replace

from review_fixtures import PACKS

from kb_lint.articles.citations import fingerprint
from kb_lint.expr import compile_expr
from kb_lint.findings import Location
from kb_lint.pack import load_pack
from kb_lint.pack.model import Input
from kb_lint.review.diff import diff_packs
from kb_lint.review.tables import ANY, collapse, describe

VALID = PACKS / "valid" / "kb-990" / "pack.yaml"


def inputs(**values: list[str]) -> tuple[Input, ...]:
    expr = compile_expr("1", path="pack.yaml", line=1, column=1, names=("bindings",))
    return tuple(
        Input(name, name, expr, tuple(vals), Location("pack.yaml")) for name, vals in values.items()
    )


def test_gaps_that_cover_an_input_entirely_collapse_to_any():
    spec = inputs(a=["x", "y"], b=["1", "2", "3"], c=["on", "off"])
    gaps = [("x", b, c) for b in ("1", "2", "3") for c in ("on", "off")] + [("y", "1", "on")]
    cubes = collapse(gaps, spec)
    assert cubes == [("x", ANY, ANY), ("y", "1", "on")]
    assert [describe(cube, spec) for cube in cubes] == ["a=x", "a=y, b=1, c=on"]


def test_collapse_keeps_cases_that_do_not_cover_an_input():
    spec = inputs(a=["x", "y", "z"], b=["1", "2"])
    assert collapse([("x", "1"), ("y", "1")], spec) == [("x", "1"), ("y", "1")]
    assert describe((ANY, ANY), spec) == "every case"


def test_fingerprints_ignore_wrapping_and_typography_but_not_words():
    text = "Do not configure the “same” email user – ever."
    assert fingerprint(text) == fingerprint('Do not configure\n  the "same" email user - ever. ')
    assert fingerprint(text) != fingerprint("Do not configure the same CRM user - ever.")
    assert fingerprint(text).startswith("sha256:")
    assert len(fingerprint(text)) == len("sha256:") + 16


def packs_with(edit) -> tuple[list, list]:
    base = load_pack(VALID)
    head = replace(base, data=copy.deepcopy(base.data))
    edit(head.data)
    return [base], [head]


def test_an_inserted_row_is_added_and_the_others_are_unchanged():
    def insert(data):
        row = {"when": {}, "then": {"sync_errors": False}}
        data["tables"][0]["rows"].insert(0, row)

    diff = diff_packs(*packs_with(insert))
    assert [(c.row, c.change, c.when) for c in diff.tables] == [(1, "added", "any case")]


def test_a_row_whose_when_changed_in_place_is_one_changed_row():
    def narrow(data):
        data["tables"][0]["rows"][1]["when"] = {"categories": ["same", "different"]}

    (change,) = diff_packs(*packs_with(narrow)).tables
    assert (change.row, change.change) == (2, "changed")
    assert change.when == "categories: different → categories: [same, different]"
    assert change.detail == "when"


def test_rule_aspects_name_the_part_that_changed():
    def edit(data):
        rule = data["rules"][0]
        rule["severity"] = "warning"
        rule["key"] = ["email", "crm_user"]
        rule["message"] = "changed"

    (change,) = diff_packs(*packs_with(edit)).rules
    assert change.aspects == ("condition", "severity", "message")


def test_a_reordered_procedure_and_a_changed_step_are_reported():
    def edit(data):
        steps = data["procedures"][0]["steps"]
        steps[0], steps[1] = steps[1], steps[0]
        steps[0]["covers"] = ["contacts"]

    diff = diff_packs(*packs_with(edit))
    assert [(c.step, c.change, c.detail) for c in diff.steps] == [
        (None, "changed", "step order"),
        ("remove-items", "changed", "covers"),
    ]
    assert diff.rules[0].rule == "KB990-002"
    assert diff.rules[0].aspects == ("procedure KB990-P1",)
