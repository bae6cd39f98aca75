"""A sequence step sees its instance as the timeline has changed it, just before its event
(``bindings``: the assignments the instance syncs; ``policies``: its policies and their
settings), through a pack of the tests' own (``estate-pack/pack.yaml``, KB997)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

HERE = Path(__file__).parent / "estate-pack"
PACK = load_pack(HERE / "pack.yaml")


def _found(path: Path) -> list[tuple[str, int, str]]:
    dep = read_deployment(path, vocabulary_of([PACK]))
    return [(f.rule, f.subject["events"][0], f.message) for f in check_deployment(dep, [PACK])]


def test_a_step_reads_the_licence_pool_and_the_users_synced_as_the_timeline_leaves_them():
    """Ann is synced under A when she is added to B; Dan meets a full pool (Ann, Bob); once Bob
    and Dan leave, Eve fits, since Cy's disabled policy takes no licence (``synced`` leaves it
    out); Cy fills the pool, and no enabled policy synced her before, though her disabled
    policy still holds her (``bindings`` has her: the four assignments of A, B and C)."""
    assert _found(HERE / "adds.yaml") == [
        (
            "KB997-002",
            1,
            "ann@x.example added to B; cloud already syncs them (2 of its 3 policies enabled)",
        ),
        ("KB997-001", 2, "dan@x.example added to A while cloud syncs 2 users on 2 licences"),
        ("KB997-001", 6, "cy@x.example added to B while cloud syncs 2 users on 2 licences"),
        (
            "KB997-004",
            6,
            "cy@x.example added to B; a disabled policy of cloud still holds them "
            "(4 assignments, 3 synced)",
        ),
    ]


def test_an_enabled_policy_counts_its_users_and_a_larger_pool_fits_them(tmp_path):
    """With C enabled, Cy takes a licence: Eve meets a full pool, and Cy's addition to B is to a
    user the instance syncs already. With three licences (C disabled) no addition fills the
    pool; Cy's, whom disabled C holds, is still one a disabled policy holds."""
    text = (HERE / "adds.yaml").read_text("utf-8")
    enabled = tmp_path / "enabled.yaml"
    enabled.write_text(text.replace("enabled: false", "enabled: true"), "utf-8")
    assert [(rule, event) for rule, event, _ in _found(enabled)] == [
        ("KB997-002", 1),
        ("KB997-001", 2),
        ("KB997-001", 5),
        ("KB997-002", 6),
    ]
    larger = tmp_path / "larger.yaml"
    larger.write_text(text.replace("licences: 2", "licences: 3"), "utf-8")
    assert [(rule, event) for rule, event, _ in _found(larger)] == [
        ("KB997-002", 1),
        ("KB997-004", 6),
    ]


def test_an_instance_event_sees_the_instance_fields_as_the_timeline_left_them():
    """``before`` of an event that names an instance and no policy is that instance's fields
    just before it: 2, then the 1 the first cut set, then the 3 of the rise."""
    assert _found(HERE / "cuts.yaml") == [
        ("KB997-003", 1, "cloud's pool cut from 2 to 1 licences while it syncs 2 users"),
    ]
    dep = read_deployment(HERE / "cuts.yaml", vocabulary_of([PACK]))
    rule = next(r for r in PACK.rules if r.id == "KB997-003")
    step = rule.pattern[0]
    seen = [
        (before["licences"], event.settings["licences"])
        for event, before in zip(dep.timeline, _befores(dep), strict=True)
    ]
    assert step.action == "set-licences"
    assert seen == [(2, 1), (1, 3), (3, 2), (5, 0)]


def _befores(dep):
    from kb_lint.engine.state import PlanState

    state = PlanState(dep)
    for event in dep.timeline:
        yield state.seen(event, with_state=False)["before"]
        state.apply(event)


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        (
            "    licences: {type",
            "    bindings: {type",
            (7, 15),
            "'bindings' is a name a sequence step gives its event",
        ),
        (
            "      - {as: added, action: add-user, where:",
            "      - {as: added, action: add-user, each: policies, where:",
            (37, 45),
            "unknown event field 'policies'",
        ),
        (  # an event naming an instance and no policy: before is the instance's fields
            "cut.before.licences != null and",
            "cut.before.enabled and",
            (52, 22),
            "unknown key 'enabled' of instance",
        ),
        (  # an event naming no instance has no before
            "        action: set-licences\n",
            "        action: remove-riva-data\n",
            (52, 15),
            "unknown key 'before' of event",
        ),
    ],
)
def test_the_state_names_are_no_field_and_no_each(tmp_path, old, new, where, says):
    text = (HERE / "pack.yaml").read_text("utf-8")
    assert old in text
    (tmp_path / "pack.yaml").write_text(text.replace(old, new), "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(tmp_path / "pack.yaml")
    error = getattr(caught.value, "errors", [caught.value])[0]
    assert ((error.line, error.column), says in error.message) == (where, True), error.message


def test_a_step_met_once_per_user_it_syncs_is_about_that_users_mailbox():
    """``each: synced`` meets the disable once per assignment its instance syncs, the finding
    at the event and about the element's mailbox; ``everywhere`` holds the same mailboxes'
    assignments on every instance, so Bob, whom the server syncs too, is not reported, and a
    policy disabled already syncs no one to meet."""
    dep = read_deployment(HERE / "disables.yaml", vocabulary_of([PACK]))
    found = [f for f in check_deployment(dep, [PACK]) if f.rule == "KB997-005"]
    assert [(f.subject["email"], f.subject["events"], f.location.line) for f in found] == [
        ("ann@x.example", [1], 27),
        ("cy@x.example", [2], 28),
    ]
    assert found[0].message == (
        "disabling A of cloud stops ann@x.example (5 assignments of cloud's mailboxes on every "
        "instance)"
    )


def test_each_names_the_estate_on_a_sequence_step_only(tmp_path):
    """A check rule over events reads the same estate, but judges its event once: ``each:
    synced`` there is refused where it is written."""
    text = (HERE / "pack.yaml").read_text("utf-8")
    start, end = text.index("  - id: KB997-005"), text.index("\nsimulation:")
    check = (
        "  - id: KB997-005\n    kind: check\n    over: events\n    each: synced\n"
        "    title: t\n    severity: info\n    cites: {section: background}\n    summary: s\n"
        '    when: "len(synced) > 0"\n    message: m\n'
        "    examples: [{file: pack.yaml, expect: pass}]\n"
    )
    (tmp_path / "pack.yaml").write_text(text[:start] + check + text[end:], "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(tmp_path / "pack.yaml")
    error = getattr(caught.value, "errors", [caught.value])[0]
    assert "unknown event field 'synced'" in error.message, error.message


def test_only_the_events_of_a_step_that_reads_the_state_build_it(monkeypatch):
    """Building an instance's state is a pass over its users: a rule whose state-reading step
    is disable-policy (KB105-007) builds it at the disable, not at each add-user its absent
    steps watch (a 5,000-event migration took 125 s when every event built it)."""
    from kb_lint.engine.state import PlanState

    rules = Path(__file__).resolve().parents[2] / "rules"
    kb105 = load_pack(rules / "kb-105" / "pack.yaml")
    built: list[str] = []
    real = PlanState.instance_state

    def counted(self, instance):
        built.append(instance)
        return real(self, instance)

    monkeypatch.setattr(PlanState, "instance_state", counted)
    example = rules / "kb-105" / "examples" / "shared-policy-move.yaml"
    dep = read_deployment(example, vocabulary_of([kb105]))
    found = check_deployment(dep, [kb105], selects=lambda rule: rule == "KB105-007")
    disables = [e for e in dep.timeline if e.action == "disable-policy"]
    assert [f.rule for f in found] == ["KB105-007"]  # still found
    assert len(built) == len(disables) < len(dep.timeline)
