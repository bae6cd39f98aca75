"""Check rules over bindings decided once per policy or per signature of the columns they read
(``kb_lint.engine.single``), and exclusivity rules over what bindings really sync and over list
keys (``kb_lint.engine.exclusivity``), through a pack of the tests' own (``check-pack/``,
KB994); through the shipped packs, a rule that supersedes another on a mailbox
(``kb_lint.engine.run``) and an overlap whose partition no two bindings share."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack, load_packs
from kb_lint.pack.load import vocabulary_of
from tests.conftest import ROOT

HERE = Path(__file__).parent / "check-pack"
PACK = load_pack(HERE / "pack.yaml")


def _found(rule: str, file: Path = HERE / "estate.yaml") -> list[Finding]:
    dep = read_deployment(file, vocabulary_of([PACK]))
    return [f for f in check_deployment(dep, [PACK]) if f.rule == rule]


def _shown(found: list[Finding]) -> list[tuple[int, str]]:
    return [(f.location.line, f.message) for f in found]


def test_rows_that_agree_on_one_column_read_are_told_apart_by_the_other():
    """Ann and Bob hold 20 seats, Bob and Cay are VIPs: the signature is both columns."""
    assert _shown(_found("KB994-001")) == [(16, "bob@x.example is a VIP with 20 seats")]


def test_a_rule_over_each_data_type_fires_for_the_policy_when_one_element_does():
    """Sales syncs contacts and tasks: the rule fires for tasks, for every user of it; its
    list outcome is in one order, whatever order the rule wrote it in."""
    found = _found("KB994-002")
    assert _shown(found) == [
        (15, "ann@x.example gets tasks from Sales"),
        (16, "bob@x.example gets tasks from Sales"),
        (17, "cay@x.example gets tasks from Sales"),
        (24, "ann@x.example gets tasks from Tasks"),
    ]
    assert [f.outcome for f in found] == [{"modules": ["contacts", "tasks"]}] * 4


def test_an_exclusivity_rule_reads_what_each_binding_really_syncs(tmp_path):
    """Ann is in Sales and Tasks, both with tasks: with force user exclusivity on (the default)
    only Sales syncs them, so no module comes from two policies; with it off (Riva 2.4.40)
    both do."""
    assert _found("KB994-003") == []
    text = (HERE / "estate.yaml").read_text("utf-8")
    off = tmp_path / "switch-off.yaml"
    off.write_text(text.replace("kind: on-premise", 'kind: on-premise\n    riva_version: "2.4.40"'))
    assert _shown(_found("KB994-003", off)) == [(16, "ann@x.example gets tasks from Sales, Tasks")]


def test_a_key_that_is_a_list_of_short_codes_stays_a_list():
    """The regions [eu, us] are a list of two-letter codes, not a record of one key."""
    assert _shown(_found("KB994-004")) == [(10, "Sales, Tasks of onprem both serve eu, us")]


def test_an_element_of_a_list_of_records_is_read_as_a_record():
    """Sales and Tasks share their calendar page's options: the group's element is a record
    again for the message (``pages.page``)."""
    assert _shown(_found("KB994-005")) == [(10, "Sales, Tasks of onprem share their calendar page")]


def test_a_rule_that_supersedes_another_reports_alone_for_that_mailbox():
    """KB433-002 supersedes KB105-002 (KB 433 A4): one user in two policies of one server with
    different modules and the switch on is KB433-002's finding only."""
    packs = load_packs(ROOT / "rules")
    file = ROOT / "rules/kb-433/examples/different-modules-2.4.51.yaml"
    found = check_deployment(read_deployment(file, vocabulary_of(packs)), packs)
    rules = {f.rule for f in found}
    assert "KB433-002" in rules
    assert "KB105-002" not in rules
    without = [p for p in packs if p.id != "KB433"]
    kept = check_deployment(read_deployment(file, vocabulary_of(without)), without)
    assert "KB105-002" in {f.rule for f in kept}  # what KB433-002 supersedes is there to drop


def test_an_overlap_on_no_shared_data_type_predicts_nothing_from_the_table():
    """KB105-001 on a user synced by two instances that share no data type: the table's
    partition (synced types) has no value two bindings share, so no row applies."""
    packs = load_packs(ROOT / "rules")
    file = ROOT / "rules/kb-105/examples/shared-folder-root.yaml"
    found = check_deployment(read_deployment(file, vocabulary_of(packs)), packs)
    [overlap] = [f for f in found if f.rule == "KB105-001"]
    assert overlap.why == (
        "no two of them sync the same synced_types: no row of 'expected-challenges' applies "
        "(assumption A11)"
    )
    assert overlap.outcome is not None and overlap.outcome["sync_errors"] is False


def test_a_subject_no_row_of_the_table_matches_is_an_error_at_the_table():
    """KB996's table has no row for a plain user: Ann (not a VIP) is one error at the table,
    naming the input that matched no row and the assignment judged."""
    gap = load_pack(HERE / "gap.yaml")
    dep = read_deployment(HERE / "estate.yaml", vocabulary_of([PACK, gap]))
    errors: list[InputError] = []
    assert check_deployment(dep, [gap], errors=errors) == []
    assert [(e.line, e.message) for e in errors] == [
        (
            10,
            "table 'by-kind': no row matches kind=plain (rule KB996-001, judging onprem / Sales "
            f"at {HERE / 'estate.yaml'}:15:13)",
        )
    ]


def test_a_why_names_five_values_of_a_field_and_counts_the_rest(tmp_path):
    """Trial 5 F13: a group's why named every value it read (3,777 characters for 200 users);
    now five of each field, and how many more."""
    instances = "\n".join(
        f"  - name: i{n}\n    kind: on-premise\n    policies:\n"
        f"      - name: P\n        category: Cat {n}\n"
        "        users: [{email: ann@x.example, crm_user: ann@x.example}]"
        for n in range(7)
    )
    file = tmp_path / "seven.yaml"
    file.write_text(f"instances:\n{instances}\n", "utf-8")
    packs = load_packs(ROOT / "rules")
    found = check_deployment(read_deployment(file, vocabulary_of(packs)), packs)
    [overlap] = [f for f in found if f.rule == "KB105-001"]
    assert "(Cat 0, Cat 1, Cat 2, Cat 3, Cat 4, and 2 more)" in overlap.why, overlap.why
