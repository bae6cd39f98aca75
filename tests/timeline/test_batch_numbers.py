"""An event's ``batch``: the number, from 1, of the events Riva sees together before it syncs
again (one date or one cycle, in a row; an event with neither is a batch of its own), which the
judges group by and rules read (``moved.batch > cleared.batch``: a sync ran between them; trial
11 could not say "the move waits for the next sync cycle")."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kb_lint.model.estate import batches
from kb_lint.model.timeline import Event, number_batches

HERE = Path(__file__).parent / "sequence-pack"
SAME_BATCH = """  - id: KB995-003
    kind: sequence
    title: Cleared in the batch of the move
    severity: info
    cites: {section: background}
    summary: A user added to a policy and cleared before Riva syncs again.
    pattern:
      - {as: added, action: add-user}
      - as: cleared
        action: clear-user
        where: cleared.email == added.email and cleared.batch == added.batch
    message: "{added.email} cleared in batch {cleared.batch}, the batch of the add ({added.when})"
    examples: [{file: pack.yaml, expect: pass}]
"""
TIMES = st.one_of(
    st.none(),
    st.sampled_from(["2026-12-01", "2026-12-02"]).map(lambda at: ("at", at)),
    st.integers(1, 2).map(lambda cycle: ("cycle", cycle)),
)


def _event(k: int, time: tuple[str, object] | None) -> Event:
    at = time[1] if time and time[0] == "at" else None
    cycle = time[1] if time and time[0] == "cycle" else None
    return Event(k, "add-user", ("timeline", k), at=at, cycle=cycle)  # type: ignore[arg-type]


@given(st.lists(TIMES, max_size=8))
def test_two_events_in_a_row_share_a_batch_exactly_when_they_give_one_time(times):
    events = number_batches([_event(k, t) for k, t in enumerate(times)])
    assert [e.batch for e in events[:1]] in ([], [1])
    for before, after, t0, t1 in zip(events, events[1:], times, times[1:], strict=False):
        assert after.batch == before.batch + (0 if t1 is not None and t1 == t0 else 1)
    assert [[e.index for e in b] for b in batches(events)] == [
        [e.index for e in events if e.batch == n] for n in sorted({e.batch for e in events})
    ]


def test_a_rule_reads_the_batch_of_each_step(kb_lint, tmp_path):
    folder = tmp_path / "rules" / "kb-995"
    folder.mkdir(parents=True)
    text = (HERE / "pack.yaml").read_text("utf-8")
    (folder / "pack.yaml").write_text(text.replace("\nsimulation:", SAME_BATCH + "\nsimulation:"))
    plan = (
        (HERE / "moves.yaml")
        .read_text("utf-8")
        .replace("  - {action:", "  - {at: 2026-12-01, action:")
    )
    plan = plan.replace(
        "{at: 2026-12-01, action: clear-user", "{at: 2026-12-0X, action: clear-user"
    )
    said = "ann@x.example cleared in batch 1, the batch of the add (on 2026-12-01)"
    for day, expected in (("1", [said]), ("2", [])):
        (tmp_path / "moves.yaml").write_text(plan.replace("2026-12-0X", f"2026-12-0{day}"))
        shown = kb_lint(
            "check", "--rules", tmp_path / "rules", "--select", "KB995-003", tmp_path / "moves.yaml"
        )
        assert shown.returncode == 0, shown.stderr  # an info finding fails nothing
        assert [
            line.split(" info ", 1)[1] for line in shown.stdout.splitlines() if " info " in line
        ] == expected
