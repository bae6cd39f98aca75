"""Benchmark rules that count the events before each event (``<as>.earlier``) on long timelines.

    python bench/bench_earlier.py                    # 2,000 and 20,000 events
    python bench/bench_earlier.py --sizes 2000 20000 --repeat 3

The estate is one Riva Cloud instance whose users are removed one by one, the licence count
noted and cleared every 100 removals; the rules are test pack KB996
(``tests/timeline/earlier-pack``): a sequence step that counts the removals before it at every
removal, a check rule over events that asks whether each removed mailbox is among the earlier
events', and a procedure whose ``applies`` counts earlier removals at each clearing. The
baseline, from the same run, is the same file without its ``timeline``. Each measurement is a
fresh process (the best of ``--repeat``). An ``earlier`` copied per event would cost O(n²): ten
times the events, about ten times the milliseconds per event; read as a prefix of one log with
its index it costs about the same per event at both sizes (the last column, the ratio of the
larger size's cost per event to the smaller's).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "tests/timeline/earlier-pack"


def estate(events: int, timeline: bool) -> dict:
    users = [f"user{n}@acme.example" for n in range(events)]
    entries: list[dict] = []
    for n, email in enumerate(users):
        if n and n % 100 == 0:
            entries += [
                {"action": "note-users", "instance": "cloud"},
                {"action": "clear-licences", "instance": "cloud"},
            ]
        entries.append(
            {"action": "remove-user", "instance": "cloud", "policy": "A", "email": email}
            | {"crm_user": email}
        )
    policy = {"name": "A", "users": [{"email": e, "crm_user": e} for e in users]}
    data: dict = {"instances": [{"name": "cloud", "kind": "cloud", "policies": [policy]}]}
    if timeline:
        data["timeline"] = entries
    return data


def timed(path: Path, packs: Path, repeat: int) -> float:
    best = float("inf")
    command = [sys.executable, "-m", "kb_lint", "check", "--rules", str(packs), str(path)]
    command += ["--format", "json"]
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'events':>8} {'baseline s':>11} {'check s':>8} {'ms/event':>9} {'vs first':>9}")
    first = None
    with tempfile.TemporaryDirectory() as folder:
        packs = Path(folder) / "rules"
        shutil.copytree(PACK, packs / "kb-996")  # KB996 alone: no other test pack's rules
        for size in args.sizes:
            paths = []
            for timeline in (False, True):
                path = Path(folder) / f"{size}-{timeline}.json"
                path.write_text(json.dumps(estate(size, timeline)), "utf-8")
                paths.append(path)
            base, full = (timed(p, packs, args.repeat) for p in paths)
            events = len(estate(size, True)["timeline"])
            per_event = (full - base) * 1000 / events
            first = first or per_event
            print(
                f"{events:>8,} {base:>11.2f} {full:>8.2f} {per_event:>9.3f} "
                f"{per_event / first:>8.2f}x"
            )


if __name__ == "__main__":
    main()
