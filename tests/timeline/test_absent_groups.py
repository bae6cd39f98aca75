"""An absent group: a sequence step with ``absent: true`` and its own ``pattern:`` forbids its
steps, in order, between the steps around it (to the end of the timeline when it comes last),
through a pack of the tests' own (``absent-group-pack/pack.yaml``, KB983): a refresh not
followed by a close and then an open of the same instance's Riva Manager."""

from __future__ import annotations

import json
import shutil
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of
from tests.conftest import fixture_pack_passes, instances_timeline, refused_at

HERE = Path(__file__).parent / "absent-group-pack"
PACK = load_pack(HERE / "pack.yaml")


def _found(path: Path) -> list[tuple[int, str, str]]:
    dep = read_deployment(path, vocabulary_of([PACK]))
    return [(f.location.line, f.rule, f.message) for f in check_deployment(dep, [PACK])]


def test_a_refresh_is_flagged_until_a_close_and_then_an_open_of_its_instance():
    """onprem is opened before it is closed, and closed again, never closed then opened;
    onprem-2 is only opened; onprem's close and onprem-2's open are no restart of either. The
    count read between onprem's refresh and its (missing) restart is read too early."""
    assert _found(HERE / "managers.yaml") == [
        (
            8,
            "KB983-001",
            "onprem's licences were refreshed at timeline entry 1, and its Riva Manager was "
            "never closed and then opened again",
        ),
        (
            11,
            "KB983-002",
            "the licence count of onprem was read at timeline entry 4, after the refresh at "
            "timeline entry 1 and before Riva Manager was closed and opened again",
        ),
        (
            12,
            "KB983-001",
            "onprem-2's licences were refreshed at timeline entry 5, and its Riva Manager was "
            "never closed and then opened again",
        ),
    ]
    assert _found(HERE / "restarted.yaml") == []


def test_the_cli_reports_an_absent_group_and_passes_the_fix(kb_lint, tmp_path):
    """A real run: the pack's rules check and its examples pass; ``check`` exits 1 on the
    timeline with the findings and 0 on the one with each restart."""
    shutil.copytree(HERE, tmp_path / "kb-983")
    fixture_pack_passes(kb_lint, tmp_path, 4)
    bad = kb_lint("check", "--rules", tmp_path, HERE / "managers.yaml", "--format", "json")
    assert bad.returncode == 1, bad.stderr
    found = [(f["rule"], f["line"]) for f in json.loads(bad.stdout)["findings"]]
    assert found == [("KB983-001", 8), ("KB983-002", 11), ("KB983-001", 12)]
    good = kb_lint("check", "--rules", tmp_path, HERE / "restarted.yaml")
    assert (good.returncode, good.stdout.strip()) == (0, "All checks passed (1 file)."), good.stdout


GROUP = "      - absent: true\n        pattern:\n"
CLOSED = "{as: closed, action: close-manager, where: closed.instance == refreshed.instance}"
OPENED = "          - {as: opened, action: open-manager, where: opened.instance == closed.instance}"


@pytest.mark.parametrize(
    ("old", "new", "at", "says"),
    [
        (
            GROUP,
            "      - pattern:\n",
            "pattern:\n          - {as: closed",
            "give it 'absent: true'",
        ),
        (GROUP, "      - absent: false\n        pattern:\n", "false\n", "give it 'absent: true'"),
        (
            GROUP,
            "      - absent: true\n        as: restart\n        pattern:\n",
            "restart\n",
            "an absent group has no 'as' of its own: its steps say theirs",
        ),
        (OPENED + "\n", "", "- " + CLOSED, "an absent group is two or more steps in order"),
        (
            "        pattern:\n          - " + CLOSED + "\n" + OPENED + "\n",
            "        pattern: []\n",
            "[]",
            "an absent group is two or more steps in order",
        ),
        (OPENED, OPENED.replace("}", ", absent: true}"), "absent: true}", "unknown key 'absent'"),
        (
            OPENED,
            "          - {as: refreshed, action: open-manager}",
            "refreshed, action: open",
            "'refreshed' names an earlier event of the pattern",
        ),
        (
            CLOSED,
            CLOSED.replace("refreshed.instance}", "opened.instance}"),
            "opened.instance}",
            "unknown name 'opened' (known: closed, refreshed)",
        ),
        (
            "      - {as: refreshed, action: refresh-licenses}\n" + GROUP,
            "      - {action: refresh-licenses}\n" + GROUP,
            "{action: refresh",
            "a step needs 'as' (an absent group: 'absent: true' and 'pattern')",
        ),
        (OPENED, OPENED.replace("open-manager", "open-manger"), "open-manger", "did you mean"),
    ],
    ids=[
        "not-absent",
        "absent-false",
        "as-on-group",
        "one-step",
        "empty",
        "nested-absent",
        "name-twice",
        "reads-a-later-step",
        "step-without-as",
        "unknown-action",
    ],
)
def test_an_absent_group_said_wrong_is_an_error_at_its_place(tmp_path, old, new, at, says):
    """Each misuse of a group (not absent, a key of its steps on it, fewer than two steps, a
    step that is itself absent, a name taken, a ``where`` reading a later step of the group),
    and a step without ``as``, is refused where it is written, in the first rule."""
    text = (HERE / "pack.yaml").read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    refused_at(HERE, text, at, says, tmp_path)


# Properties (Hypothesis, bounded): timelines over two instances and the pack's four actions,
# judged against the rule said by brute force.
INSTANCES = ("a", "b")
ACTIONS = ("refresh-licenses", "close-manager", "open-manager", "view-licences")
EVENTS = st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(INSTANCES)), max_size=10)
SETTINGS = {"deadline": None, "derandomize": True, "max_examples": 80}


def _verdict(tmp_path: Path, events: list[tuple[str, str]]) -> list[tuple[str, list[int]]]:
    """Each finding's rule and the timeline entries it matched."""
    path = instances_timeline(tmp_path, (*INSTANCES, "c"), events)
    dep = read_deployment(path, vocabulary_of([PACK]))
    return sorted((f.rule, (f.subject or {})["events"]) for f in check_deployment(dep, [PACK]))


def _restarted(events: list[tuple[str, str]], instance: str, since: int, until: int) -> bool:
    """A close and then an open of ``instance`` in entries ``since`` < … < ``until``."""
    between = events[since + 1 : until]
    return any(
        between[i] == ("close-manager", instance) and between[j] == ("open-manager", instance)
        for i, j in combinations(range(len(between)), 2)
    )


def _said(events: list[tuple[str, str]]) -> list[tuple[str, list[int]]]:
    """The rules as the article says them, by brute force over every pair of entries."""
    found = []
    for i, (action, instance) in enumerate(events):
        if action != "refresh-licenses":
            continue
        if not _restarted(events, instance, i, len(events)):
            found.append(("KB983-001", [i + 1]))
        for k in range(i + 1, len(events)):
            if events[k] == ("view-licences", instance) and not _restarted(events, instance, i, k):
                found.append(("KB983-002", [i + 1, k + 1]))
    return sorted(found)


@settings(**SETTINGS)
@given(EVENTS)
def test_an_absent_group_flags_exactly_what_the_article_says(tmp_path_factory, events):
    note(str(events))
    assert _verdict(tmp_path_factory.mktemp("said"), events) == _said(events)


@settings(**SETTINGS)
@given(EVENTS, st.data())
def test_an_event_of_an_instance_no_step_names_never_changes_the_verdict(
    tmp_path_factory, events, data
):
    """An event of instance c, which no refresh names: the same findings, at the same events
    (their entries shifted past it)."""
    at = data.draw(st.integers(0, len(events)))
    other = (data.draw(st.sampled_from(ACTIONS[1:])), "c")
    note(f"{events} + {other} at {at}")
    tmp_path = tmp_path_factory.mktemp("insert")
    shifted = [
        (rule, [n + (n > at) for n in entries]) for rule, entries in _verdict(tmp_path, events)
    ]
    assert _verdict(tmp_path, [*events[:at], other, *events[at:]]) == sorted(shifted)


def test_the_guide_s_example_is_the_test_pack_s_pattern():
    """The authoring guide's absent group is KB983-001's pattern (so it loads and runs)."""
    import yaml

    guide = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text("utf-8")
    section = guide.split("An absent group forbids several events", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    [rule, _] = yaml.safe_load((HERE / "pack.yaml").read_text("utf-8"))["rules"]
    assert yaml.safe_load(block)["pattern"] == rule["pattern"]


def test_a_gap_that_starts_a_group_too_many_ways_is_an_error_not_a_hang(tmp_path):
    """Each close after a refresh starts a partial match of the group (its open reads which
    close it follows): more than MAX_PARTIAL of them in one gap is an error at the rule."""
    from kb_lint.engine.sequence import MAX_PARTIAL

    closes = "  - {action: close-manager, instance: a}\n" * (MAX_PARTIAL + 1)
    path = tmp_path / "closes.yaml"
    path.write_text(
        "instances:\n  - {name: a, kind: on-premise}\ntimeline:\n"
        "  - {action: refresh-licenses, instance: a}\n"
        f"{closes}  - {{action: view-licences, instance: a}}\n",
        "utf-8",
    )
    dep = read_deployment(path, vocabulary_of([PACK]))
    with pytest.raises(InputError) as caught:
        check_deployment(dep, [PACK])
    assert "matches the first steps of an absent group more than 10,000 ways" in str(caught.value)
