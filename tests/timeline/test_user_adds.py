"""Users added under a licence (test pack KB962, ``tests/timeline/adds``): a limit that its
table alone decides, placed at the event that breaks it; a procedure's steps done by events
that name only the instance (and a CRM user); findings whose ``why`` says the table's citation
and the step's own words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack, load_packs
from kb_lint.pack.load import vocabulary_of

ADDS = Path(__file__).parent / "adds"
PACK = ADDS / "kb-962" / "pack.yaml"


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of KB962 with each ``(old, new)`` of ``changes`` made once; its pack file."""
    shutil.copytree(ADDS / "kb-962", tmp_path / "kb-962")
    path = tmp_path / "kb-962" / "pack.yaml"
    text = path.read_text("utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return path


def findings(timeline: str, pack: Path = PACK, rule: str = "") -> list[Finding]:
    """The findings of KB962 (of ``rule``, when given) on the timeline file ``timeline``."""
    packs = load_packs(pack.parent.parent)
    dep = read_deployment(pack.parent / timeline, vocabulary_of(packs))
    return [f for f in check_deployment(dep, packs) if f.rule.startswith(rule)]


def test_a_limit_with_predict_alone_fires_where_its_table_predicts_more_than_the_defaults():
    """KB962-001 gives ``predict: licence-use`` and no ``when``: Dee's add puts onprem over
    both counts (row 1); with a licence of two counts (row 4, the defaults) it is silent."""
    [over] = findings("add-first.yaml", rule="KB962-001")
    assert over.outcome == {"over_licence": ["crm", "email"], "unprepared": False}
    assert findings("by-the-book.yaml", rule="KB962-001") == []


def test_a_limit_without_when_and_predict_is_refused_naming_both(tmp_path):
    path = edited(tmp_path, ("    predict: licence-use\n", ""))
    with pytest.raises(InputError) as caught:
        load_pack(path)
    assert caught.value.message == (
        "an exclusivity rule needs 'distinct' (at most one value per key), or, for a limit, "
        "'when' (each group whose 'when' holds is a finding) or 'predict' alone (each group "
        "its table predicts more than the outcomes' defaults for)"
    )
    rule = path.read_text("utf-8").splitlines().index("  - id: KB962-001") + 1
    assert (caught.value.line, caught.value.column) == (rule, 5)


def test_a_rows_why_names_the_tables_citation_and_reads_its_operands_in_order():
    """Rows of 'licence-use' cite nothing of their own: they say the table's item. Each input
    lists what it read in its expression's order (the counts, then the users), and the email
    users as the CRM users."""
    [over] = findings("add-first.yaml", rule="KB962-001")
    users = "ann@acme.example, dee@acme.example"
    assert over.why == (
        f"row 1 of 'licence-use': email_short: yes (1, {users}); crm_short: yes (1, {users}) "
        "(article § explanation, item 1)"
    )


def test_a_procedure_findings_why_says_what_the_step_leaves_in_the_packs_words():
    """The licence step's residue is an expression: the why says its ``says``; the bullets of
    step 1 leave a literal: the why says the outcome's description."""
    found = {f.message: f.why for f in findings("add-first.yaml", rule="KB962-002")}
    assert found["KB962-P1 step 2 is missing before add-user of dee@acme.example"] == (
        "step 2 of KB962-P1 is left out; what leaving step 2 out leaves: the licences the "
        "instance's users fill before the add (article § steps, step 2)"
    )
    bullets = found["KB962-P1 step 1, bullets 1–2 is missing before add-user of dee@acme.example"]
    assert "out leaves: the user was added before the mailbox and the CRM were shown" in bullets
