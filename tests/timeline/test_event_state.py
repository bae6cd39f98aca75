"""A check rule over events, and the event table it predicts from, see each event as a sequence
step does: ``before`` (its policy's settings; an instance event's instance fields), and its
instance's ``bindings`` and ``policies``, just before it (one replay, ``PlanState``), through a
pack of the tests' own (``event-state-pack/pack.yaml``, KB988)."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

HERE = Path(__file__).parent
PACK = load_pack(HERE / "event-state-pack" / "pack.yaml")


def test_each_cut_is_judged_on_the_pool_the_timeline_left_just_before_it():
    """cloud: 2 licences, 2 users. Cut to 1 (below its users), raised to 3 (no finding), cut to
    2 (smaller, both users fit); spare, with no users, cut from 5 to 0 (smaller)."""
    dep = read_deployment(HERE / "estate-pack" / "cuts.yaml", vocabulary_of([PACK]))
    found = [(f.location.line, f.message, f.outcome["pool"]) for f in check_deployment(dep, [PACK])]
    assert found == [
        (14, "cloud's pool cut from 2 to 1 licences (2 users synced)", "below-users"),
        (16, "cloud's pool cut from 3 to 2 licences (2 users synced)", "shrunk"),
        (17, "spare's pool cut from 5 to 0 licences (0 users synced)", "shrunk"),
    ]


def test_the_names_a_rule_over_events_sees_are_checked_and_listed(kb_lint, tmp_path):
    """The reference lists what a check rule over events sees, and a pack reading an unknown
    name of ``before`` is refused where it is written."""
    text = (HERE / "event-state-pack" / "pack.yaml").read_text("utf-8")
    pack = tmp_path / "kb-988" / "pack.yaml"
    pack.parent.mkdir()
    pack.write_text(text.replace("from {before.licences}", "from {before.licencs}", 1), "utf-8")
    proc = kb_lint("rules", "check", "--rules", tmp_path)
    assert proc.returncode == 2
    assert "licencs" in proc.stdout and "did you mean 'licences'" in proc.stdout, proc.stdout
    reference = kb_lint("explain", "expressions").stdout
    assert "check rule over events" in reference
    assert "just before the event" in reference
