"""Steps that must FOLLOW a change (``change: true`` on a step before the last of a ``change:
event`` procedure), through a pack of the tests' own (``after-pack/pack.yaml``, KB984): a look
at the licence count before a refresh, a restart and a second look after it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of
from tests.conftest import fixture_pack_passes, instances_timeline, refused_at

HERE = Path(__file__).parent / "after-pack"
PACK = load_pack(HERE / "pack.yaml")
AFTER = {"restart", "look-again"}  # the steps after the change


def _findings(path: Path) -> list[Finding]:
    return check_deployment(read_deployment(path, vocabulary_of([PACK])), [PACK])


def test_each_refresh_needs_its_steps_after_it_in_order_before_the_next_refresh():
    """onprem looks again before its restart (step 4 out of order, a warning: no residue);
    onprem-2 does nothing around its refresh (step 1 missing before; steps 3 and 4, one
    finding, after: the procedure is the pack's own); onprem-3 restarts only after its second
    refresh, which ends the first refresh's time (step 3 not done after the first; its look
    between the refreshes does step 4)."""
    found = [(f.location.line, f.severity, f.message) for f in _findings(HERE / "refreshes.yaml")]
    assert found == [
        (
            16,
            "warning",
            "KB984-P1 step 4 (Look at the licence count again.) comes out of order after "
            "refresh-licenses of onprem: no consequence the pack predicts",
        ),
        (
            19,
            "warning",
            "KB984-P1 step 1 (Look at the licence count.) is missing before refresh-licenses "
            "of onprem-2: no consequence the pack predicts",
        ),
        (
            19,
            "error",
            "KB984-P1 steps 3 and 4 (Restart the service. Look at the licence count again.) "
            "are not done after refresh-licenses of onprem-2: the licence count shown is the one "
            "before the refresh",
        ),
        (
            21,
            "error",
            "KB984-P1 step 3 (Restart the service.) is not done after refresh-licenses of "
            "onprem-3: the licence count shown is the one before the refresh",
        ),
    ]


def test_the_finding_says_where_an_early_step_was_done_and_what_leaving_one_out_leaves():
    early, _, both, _ = _findings(HERE / "refreshes.yaml")
    assert [(r.line, r.note) for r in early.related] == [(17, "step 4 done here")]
    assert early.why == (
        "step 4 of KB984-P1 comes out of order after the change; its residue says no more "
        "than the pack's defaults"
    )
    assert both.subject == {
        "email": None,
        "crm_user": None,
        "instance": "onprem-2",
        "policy": None,
        "procedure": "KB984-P1",
        "step": ["restart", "look-again"],
        "events": [5],
    }
    assert both.outcome == {"count_stale": True}
    assert both.why == (
        "steps 3 and 4 of KB984-P1 are not done after the change; what leaving step 3 out "
        "leaves: the licence count shown is the one before the refresh"
    )


def test_the_cli_reports_a_step_not_done_after_the_change_and_passes_the_fix(kb_lint, tmp_path):
    """A real run: the pack's rules check and its examples pass; ``check`` exits 1 on the
    timeline with the findings and 0 on the one that follows the steps."""
    shutil.copytree(HERE, tmp_path / "kb-984")
    fixture_pack_passes(kb_lint, tmp_path, 2)
    bad = kb_lint("check", "--rules", tmp_path, HERE / "refreshes.yaml", "--format", "json")
    assert bad.returncode == 1, bad.stderr
    problems = [
        f["message"].split(" refresh-licenses")[0] for f in json.loads(bad.stdout)["findings"]
    ]
    assert "KB984-P1 step 3 (Restart the service.) is not done after" in problems
    good = kb_lint("check", "--rules", tmp_path, HERE / "followed.yaml")
    assert (good.returncode, good.stdout.strip()) == (0, "All checks passed (1 file)."), good.stdout


REFRESH = "      - {id: refresh, step: 2, text: Refresh the licences., action: refresh-licenses"


@pytest.mark.parametrize(
    ("old", "new", "at", "says"),
    [
        (
            "    change: event\n",
            "",
            "true}",
            "a move is the procedure's last step: only a 'change: event' procedure's change "
            "may have steps after it",
        ),
        (
            "        action: restart-service\n",
            "        action: restart-service\n        change: true\n",
            "true\n",
            "step 'refresh' is the change already: a procedure has one change",
        ),
        (
            ", change: true}",
            "}",
            None,
            None,
        ),
        (
            "        residue: {count_stale: true}\n",
            "        residue: {count_stale: true}\n        done: 'false'\n",
            "'false'",
            "'done' (already so just before the change) is read only on the steps before the "
            "change: a step after it is done by an event after it",
        ),
        (
            "change: true}",
            "change: true, residue: {count_stale: true}}",
            "{count_stale: true}}",
            "this step is the change itself (an event of its action), never left out nor done "
            "early: 'residue' is read only on the steps around it",
        ),
        (
            "change: true}",
            "change: false}",
            "false}",
            "say 'change: true' on the step that is the change, or nothing",
        ),
    ],
    ids=["on-a-move", "twice", "last-step", "done-after", "residue-on-change", "false"],
)
def test_a_change_step_said_where_it_does_nothing_is_an_error_at_its_place(
    tmp_path, old, new, at, says
):
    """``change: true`` on a move (whose change is the last step), on a second step, or on the
    last step (the change already); ``done`` after the change; a key the change never reads;
    ``change: false``: each refused where it is written."""
    text = (HERE / "pack.yaml").read_text("utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    if at is None:  # the change marked on the last step instead
        last = "        match: event.instance == change.instance\nrules:"
        assert text.count(last) == 1
        text = text.replace(last, last.replace("\nrules:", "\n        change: true\nrules:"))
        at, says = "true\nrules:", "the last step is the change unless another says so"
    refused_at(HERE, text, at, says, tmp_path)


def test_a_step_after_the_change_with_the_change_s_action_is_unreachable(kb_lint, tmp_path):
    """``rules check`` says a step after the change whose action is the change's is never done:
    its event is the next change."""
    shutil.copytree(HERE, tmp_path / "kb-984")
    pack = tmp_path / "kb-984" / "pack.yaml"
    text = pack.read_text("utf-8")
    pack.write_text(text.replace("action: restart-service\n", "action: refresh-licenses\n"))
    checked = kb_lint("rules", "check", "--rules", tmp_path, "--color", "never")
    assert checked.returncode == 1
    assert (
        "KB-RULES-005 error step 'restart' of KB984-P1 has the action of the trigger (step "
        "'refresh', refresh-licenses): the event that performs it is the next change, which "
        "ends the time the steps after it are done in" in checked.stdout
    ), checked.stdout


# Properties (Hypothesis, bounded): timelines over two instances and the pack's three actions.
INSTANCES = ("a", "b")
ACTIONS = ("view-licences", "refresh-licenses", "restart-service")
NOISE = st.tuples(st.sampled_from(("view-licences", "restart-service")), st.sampled_from(INSTANCES))
EVENTS = st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(INSTANCES)), max_size=12)
SETTINGS = {"deadline": None, "derandomize": True, "max_examples": 60}


def _verdict(tmp_path: Path, events: list[tuple[str, str]]) -> list[tuple]:
    """Each finding's severity, change instance, steps and outcome, with the change's place
    among that instance's refreshes (not its timeline index, which an insertion moves)."""
    path = instances_timeline(tmp_path, (*INSTANCES, "c"), events)
    verdict = []
    for f in _findings(path):
        subject = f.subject or {}
        index = subject["events"][0] - 1
        nth = events[:index].count(("refresh-licenses", subject["instance"]))
        step = subject["step"] if isinstance(subject["step"], list) else [subject["step"]]
        verdict.append((f.severity, subject["instance"], nth, step, f.message.split(" of ")[0]))
    return sorted(verdict)


@settings(**SETTINGS)
@given(EVENTS, st.data())
def test_an_event_of_an_instance_no_refresh_names_never_changes_the_verdict(
    tmp_path_factory, events, data
):
    tmp_path = tmp_path_factory.mktemp("insert")
    at = data.draw(st.integers(0, len(events)))
    other = (data.draw(st.sampled_from(("view-licences", "restart-service"))), "c")
    note(f"{events} + {other} at {at}")
    assert _verdict(tmp_path, [*events[:at], other, *events[at:]]) == _verdict(tmp_path, events)


@settings(**SETTINGS)
@given(st.lists(st.tuples(st.sampled_from(INSTANCES), *[st.lists(NOISE, max_size=3)] * 3)))
def test_a_refresh_followed_by_a_restart_and_a_look_never_misses_a_step_after_it(
    tmp_path_factory, blocks
):
    """Each refresh of an instance followed, with any looks and restarts between, by its
    restart and then its look, before its next refresh: no step after any change is broken."""
    events: list[tuple[str, str]] = []
    for instance, first, second, third in blocks:
        events += [("refresh-licenses", instance), *first, ("restart-service", instance)]
        events += [*second, ("view-licences", instance), *third]
    note(str(events))
    tmp_path = tmp_path_factory.mktemp("followed")
    assert [v for v in _verdict(tmp_path, events) if AFTER & set(v[3])] == []


def test_the_guide_s_example_is_the_test_pack_s_procedure():
    """The authoring guide's "Steps after the change" example is KB984-P1 as the pack writes
    it (so it loads and its examples run)."""
    import yaml

    guide = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text("utf-8")
    section = guide.split("### Steps after the change", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    pack = yaml.safe_load((HERE / "pack.yaml").read_text("utf-8"))
    assert yaml.safe_load(block)["procedures"] == pack["procedures"]
