"""Each check of ``kb-lint rules check`` catches its deliberately broken pack, and only that."""

from __future__ import annotations

import shutil

import pytest
from review_fixtures import PACKS, ROOT, broken_lines

from kb_lint.articles.citations import fingerprint
from kb_lint.articles.model import parse_article
from kb_lint.review import CHECKS, review_packs


def test_the_valid_fixture_pack_passes_every_check():
    assert review_packs(PACKS / "valid").findings == []


def test_the_shipped_rule_packs_pass_every_check():
    review = review_packs(ROOT / "rules")
    assert [f"{f.location.line}: {f.rule} {f.message}" for f in review.findings] == []
    assert review.files >= 1


@pytest.mark.parametrize(
    ("folder", "check", "phrases"),
    [
        ("gap", "KB-RULES-001", ["table 'outcomes' has no row for categories=different"]),
        (
            "contradiction",
            "KB-RULES-002",
            [
                "rows 2 and 3 of table 'outcomes' both match categories=different and disagree on "
                "sync_errors (false vs true)"
            ],
        ),
        (
            "unresolved",
            "KB-RULES-003",
            [
                "rule KB990-001 cites section 'rules' of article 990, which has no such heading "
                "(did you mean 'rule'?)",
                "table outcomes row 2 cites item 3 of 'Outcomes' of article 990, which has 2 list "
                "items",
            ],
        ),
        (
            "stale",
            "KB-RULES-004",
            [
                "rule KB990-001: the text of 'Rule' of article 990 changed since it was confirmed "
                "(fingerprint sha256:0123456789abcdef, now sha256:",
                "table outcomes row 2 cites item 2 of 'Outcomes' of article 990 without a "
                "fingerprint: confirm the rule against the text, then add fingerprint: sha256:",
            ],
        ),
        (
            "unreachable",
            "KB-RULES-005",
            [
                "step 'disable-old-policy' of KB990-P2 has action 'disable-polcy', which no "
                "timeline event has (did you mean 'disable-policy'?)",
                "step 'remove-items' of KB990-P2 covers 'calendar', which no remove-riva-data "
                "event removes",
                "procedure KB990-P3 is run by no rule of kind procedure",
                "step 'disable-old-policy' of KB990-P3 covers items, but a disable-policy event "
                "removes nothing",
                "the last step of KB990-P3 ('remove-items') is its trigger, but a remove-riva-data "
                "event names no binding",
            ],
        ),
        ("missing-examples", "KB-RULES-006", ["rule KB990-001 has no example with expect: pass"]),
        (
            "failing-example",
            "KB-RULES-007",
            ["example same-category.yaml of KB990-001: outcome mailbox_copies: expected 2, got 1"],
        ),
        (
            "redundant",
            "KB-RULES-008",
            [
                "rows 2 and 3 of table 'outcomes' both match categories=different and predict the "
                "same outcome"
            ],
        ),
        (
            "shadowed",
            "KB-RULES-008",
            [
                "row 3 of table 'outcomes' never applies: with hit policy first, rows 1, 2 decide "
                "every case it matches"
            ],
        ),
        (
            "duplicate-id",
            "KB-RULES-009",
            [
                "assumption id in pack KB990 'A1' is used twice (first at line",
                "step id in procedure KB990-P1 'remove-items' is used twice (first at line",
            ],
        ),
        ("invalid", "KB-RULES-010", ["critical"]),
        (
            "missing-prose",
            "KB-RULES-013",
            ["'mailbox_copies' in row 2 of table outcomes is shown without words: add says"],
        ),
        (
            "unversioned",
            "KB-RULES-014",
            [
                "rule KB990-001 changed since 1.0.0: set changed: to the new pack version (and "
                "give it a history entry); then rules check --fix confirms fingerprint: sha256:"
            ],
        ),
        (
            "passing-breaks",
            "KB-RULES-015",
            [
                "example same-category.yaml passes KB990-002 but KB990-001 reports 9:13: mailbox "
                "user@email.com is synced by 2 instances"
            ],
        ),
        (
            "stale-breaks",
            "KB-RULES-015",
            [
                "example move-by-the-book.yaml of KB990-002: breaks KB990-001: KB990-001 does not "
                "report the example: remove the entry"
            ],
        ),
        (
            "missing-fix",
            "KB-RULES-016",
            ["rule KB990-001: no passing example fixes one of its failing examples"],
        ),
        (
            "claim",
            "KB-RULES-018",
            [
                "row 1 of 'outcomes' (categories=same) breaks claim C1 (article § outcomes, "
                "item 2): mailbox_copies: 1, the article says 2; the row is decided by "
                "assumption A1",
                "claim C2 (article § outcomes, item 2) covers no case of table 'outcomes'",
            ],
        ),
    ],
)
def test_each_broken_pack_is_caught_on_its_broken_lines(folder, check, phrases):
    findings = review_packs(PACKS / folder).findings
    assert {f.rule for f in findings} == {check}
    assert sorted({f.location.line for f in findings}) == broken_lines(folder)
    assert all(f.location.path.endswith(f"{folder}/kb-990/pack.yaml") for f in findings)
    messages = [f.message for f in findings]
    for phrase in phrases:
        assert any(phrase in m for m in messages), (phrase, messages)


def test_a_stale_finding_gives_the_fingerprint_to_paste():
    article = parse_article(PACKS / "articles" / "kb-990.md")
    current = fingerprint(article.section("rule").text)
    stale = [f for f in review_packs(PACKS / "stale").findings if "Rule" in f.message]
    assert len(stale) == 1
    assert stale[0].message.endswith(f"set fingerprint: {current}")


def test_a_broken_claim_is_at_the_claim_and_points_at_the_row_and_the_assumption():
    broken = [f for f in review_packs(PACKS / "claim").findings if "breaks" in f.message]
    assert [r.note for f in broken for r in f.related] == ["row 1", "assumption A1"]


def test_a_contradiction_points_at_both_rows():
    (finding,) = review_packs(PACKS / "contradiction").findings
    assert [r.note for r in finding.related] == ["row 2"]
    assert finding.related[0].line < finding.location.line


def test_every_check_is_documented_with_a_stable_unique_id():
    ids = [c.id for c in CHECKS]
    assert ids == sorted(ids) == [f"KB-RULES-{n:03d}" for n in range(1, len(ids) + 1)]
    for check in CHECKS:
        assert check.severity in ("error", "warning", "info")
        assert all((check.name, check.what, check.why, check.example, check.fix)), check.id


def test_a_missing_rules_folder_is_an_input_error(tmp_path):
    from kb_lint.errors import InputError

    with pytest.raises(InputError, match="rules folder not found"):
        review_packs(tmp_path / "nowhere")


def valid_copy(tmp_path):
    """A copy of the valid fixture pack, its examples and article, to break; its pack file."""
    for folder in ("valid", "examples", "articles"):
        shutil.copytree(PACKS / folder, tmp_path / ("packs" if folder == "valid" else folder))
    return tmp_path / "packs" / "kb-990" / "pack.yaml"


def test_fixes_must_name_a_failing_example_of_the_same_rule(tmp_path):
    pack = valid_copy(tmp_path)
    text = pack.read_text("utf-8")
    wrong = "fixes: ../../examples/move-keeping-items.yaml}"
    assert text.count("fixes: ../../examples/same-category.yaml}") == 1
    pack.write_text(text.replace("fixes: ../../examples/same-category.yaml}", wrong), "utf-8")
    messages = [f"{f.rule} {f.message}" for f in review_packs(tmp_path / "packs").findings]
    assert messages == [  # in file order: the rule, then its example
        "KB-RULES-016 rule KB990-001: no passing example fixes one of its failing examples",
        "KB-RULES-016 example one-instance.yaml of KB990-001: fixes: must name a failing example "
        "of the same rule, and the example must pass",
    ]


def test_a_fixes_that_names_no_file_is_an_input_error_at_its_position(tmp_path):
    from kb_lint.errors import InputError
    from kb_lint.pack import load_pack

    pack = valid_copy(tmp_path)
    text = pack.read_text("utf-8").replace(
        "fixes: ../../examples/same-category.yaml", "fixes: ../../examples/nowhere.yaml"
    )
    pack.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(pack)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "nowhere.yaml" in t)
    assert (caught.value.line, caught.value.message) == (
        line,
        "example file not found: ../../examples/nowhere.yaml",
    )


def test_every_rule_names_versions_the_pack_knows(tmp_path):
    pack = valid_copy(tmp_path)
    text = pack.read_text("utf-8")
    first, second = text.split("  - id: KB990-002")
    first = first.replace("    since: 1.0.0\n", "", 1)
    second = second.replace("    changed: 1.0.0\n", "    changed: 1.2.0\n", 1)
    pack.write_text(f"{first}  - id: KB990-002{second}", "utf-8")
    messages = [f"{f.rule} {f.message}" for f in review_packs(tmp_path / "packs").findings]
    assert messages == [
        "KB-RULES-014 rule KB990-001 has no since",
        "KB-RULES-014 rule KB990-002: changed 1.2.0 is neither the pack version nor in its history",
    ]


@pytest.mark.parametrize(
    ("severity", "fix", "asked"),
    [
        ("error", "", True),
        ("info", "", False),  # states a consequence: nothing to use instead
        ("info", "    fix: Move the mailbox.\n", True),
    ],
)
def test_only_a_rule_with_something_to_fix_needs_a_fixing_example(tmp_path, severity, fix, asked):
    pack = valid_copy(tmp_path)
    text = pack.read_text("utf-8")
    text = text.replace(", fixes: ../../examples/same-category.yaml}", "}", 1)
    text = text.replace(
        "    severity: error\n    cites: {section: rule,",
        f"    severity: {severity}\n{fix}    cites: {{section: rule,",
        1,
    )
    pack.write_text(text, "utf-8")
    found = [f for f in review_packs(tmp_path / "packs").findings if f.rule == "KB-RULES-016"]
    assert bool(found) == asked, found


def test_a_file_in_the_pack_folder_that_no_rule_lists_is_reported(tmp_path):
    """Trial 4 F19: an example no rule lists and a scenario kept beside the pack (broken, even)
    were never read; a file nothing could read (a README) is left alone."""
    pack = valid_copy(tmp_path)
    (pack.parent / "examples").mkdir(exist_ok=True)
    (pack.parent / "examples" / "orphan.yaml").write_text("instances: []\n", "utf-8")
    (pack.parent / "scenarios").mkdir()
    (pack.parent / "scenarios" / "broken.yaml").write_text("instances: [\n", "utf-8")
    (pack.parent / "README.md").write_text("# notes\n", "utf-8")
    found = [f for f in review_packs(tmp_path / "packs").findings if f.rule == "KB-RULES-024"]
    assert [(f.location.path.rsplit("/", 2)[-2:], f.message) for f in found] == [
        (
            ["examples", "orphan.yaml"],
            "no rule of KB990 lists examples/orphan.yaml: `rules test` never runs it",
        ),
        (
            ["scenarios", "broken.yaml"],
            "no rule of KB990 lists scenarios/broken.yaml: `rules test` never runs it",
        ),
    ]
