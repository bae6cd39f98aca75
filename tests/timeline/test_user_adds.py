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
from tests.conftest import changed

ADDS = Path(__file__).parent / "adds"
PACK = ADDS / "kb-962" / "pack.yaml"


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of KB962 with each ``(old, new)`` of ``changes`` made once; its pack file."""
    shutil.copytree(ADDS / "kb-962", tmp_path / "kb-962")
    return changed(tmp_path / "kb-962" / "pack.yaml", *changes)


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
    bullets = found["KB962-P1 step 1, bullets 1–2 are missing before add-user of dee@acme.example"]
    assert "out leaves: the user was added before the mailbox and the CRM were shown" in bullets


def _line(timeline: str, text: str) -> int:
    """The line of ``timeline`` (a file of KB962's folder) that writes ``text``."""
    lines = (ADDS / "kb-962" / timeline).read_text("utf-8").splitlines()
    [line] = [n for n, written in enumerate(lines, 1) if text in written]
    return line


def test_a_limit_broken_in_a_batch_sits_at_the_event_that_broke_it():
    """Dee's add and Sales' save are one batch (one day): the group is over its licence from
    the add on, so the finding sits there and says so, not at the save after it."""
    [over] = findings("add-first.yaml", rule="KB962-001")
    assert over.message == "onprem syncs 2 users, from add-user on 2026-12-01"
    assert over.location.line == _line("add-first.yaml", "action: add-user")


def test_the_event_that_broke_a_limit_is_the_one_it_holds_from(tmp_path):
    """In one day, Dee's add puts onprem over its licence of one count, Ann's removal brings
    it back within, and Fay's add breaks it again for good: the finding sits at Fay's add, the
    one it holds from, not at Dee's, nor at the save after Fay's."""
    path = tmp_path / "kb-962" / "refill.yaml"
    edited(tmp_path)
    day = "{at: 2026-12-01, instance: onprem, policy: Sales"
    user = "email: {0}@acme.example, crm_user: {0}@acme.example"
    path.write_text(
        (ADDS / "kb-962" / "add-first.yaml").read_text("utf-8").split("timeline:")[0]
        + "timeline:\n"
        + "".join(
            f"  - {day}, action: {action}, {user.format(who)}}}\n"
            for action, who in (("add-user", "dee"), ("remove-user", "ann"), ("add-user", "fay"))
        )
        + f"  - {day}, action: save-policy}}\n",
        "utf-8",
    )
    [over] = findings("refill.yaml", tmp_path / "kb-962" / "pack.yaml", "KB962-001")
    assert over.location.line == 14  # Fay's add, the timeline's third entry
    assert over.message.endswith("from add-user on 2026-12-01")


def test_a_step_is_done_by_an_event_that_names_only_the_changes_instance(tmp_path):
    """The licence step with no ``done``: ``install-licence`` names the instance alone (no
    mailbox, no policy), and the CRM test names the instance and a CRM user: both do their
    steps before Dee's add, their ``match`` holding."""
    assert findings("by-the-book.yaml") == []
    done = "        done: len(distinct(change.bindings.email)) < change.before.email_licences\n"
    assert findings("by-the-book.yaml", edited(tmp_path, (done, ""))) == []


def test_an_event_naming_another_crm_user_does_not_do_the_step(tmp_path):
    """With no ``match`` on the CRM test step, a test of Bob's CRM user does not do Dee's."""
    match = "event.instance == change.instance and event.crm_user == change.crm_user"
    pack = edited(tmp_path, (f"        match: {match}\n", ""))
    timeline = pack.parent / "by-the-book.yaml"
    text = timeline.read_text("utf-8")
    timeline.write_text(text.replace("crm_user: dee@acme.example}", "crm_user: bob@acme.org}", 1))
    [missing] = findings("by-the-book.yaml", pack)
    assert missing.message == (
        "KB962-P1 step 1, bullet 2 is missing before add-user of dee@acme.example"
    )


CRM_STEP = "        cites: {item: 1}\n        residue: {unprepared: true}\n      - id: licence"
ELSEWHERE = "{section: expected-challenges, item: 1}"


def test_a_step_citing_only_another_section_cannot_take_a_cited_steps_number(tmp_path):
    """The CRM test cites an Expected Challenge alone: by its place it would be step 2, the
    licence's number; one numbering, so it is refused at its citation, saying how to cite."""
    new = CRM_STEP.replace("{item: 1}", ELSEWHERE)
    path = edited(tmp_path, (CRM_STEP, new))
    with pytest.raises(InputError) as caught:
        load_pack(path)
    assert caught.value.message == (
        "step 'test-crm' cites no item of § steps, so it is step 2, the one after step 1; "
        "'licence' cites item 2: cite the item of § steps this step is (or is a bullet of), with "
        "the other places it rests on in a list (cites: [{item: N}, {section: ..., item: ...}])"
    )
    line = path.read_text("utf-8").splitlines().index(f"        cites: {ELSEWHERE}") + 1
    assert (caught.value.line, caught.value.column) == (line, 16)


def test_a_step_cites_its_place_and_the_challenge_it_prevents(tmp_path):
    """The CRM test cites its step (item 1, a bullet) and the Expected Challenge it prevents:
    it keeps its place, step 1, bullet 2, and the why names both."""
    new = CRM_STEP.replace("{item: 1}", f"[{{item: 1}}, {ELSEWHERE}]")
    pack = edited(tmp_path, (CRM_STEP, new))
    [bullets, licence] = findings("add-first.yaml", pack, "KB962-002")
    assert bullets.message.startswith("KB962-P1 step 1, bullets 1–2 are missing")
    assert bullets.why.endswith("(article § steps, step 1, article § expected-challenges, item 1)")
    assert licence.message.startswith("KB962-P1 step 2 is missing")


def test_a_step_is_one_step_of_its_procedure(tmp_path):
    path = edited(tmp_path, (CRM_STEP, CRM_STEP.replace("{item: 1}", "[{item: 1}, {item: 2}]")))
    with pytest.raises(InputError) as caught:
        load_pack(path)
    assert caught.value.message == (
        "a step is one step of the procedure (or a bullet of one): it cites item 1 of its "
        "section already, not item 2 too"
    )
