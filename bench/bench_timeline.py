"""Benchmark ``kb-lint check`` on timelines of many events against the same estate without them.

    python bench/bench_timeline.py                   # 5,000 and 50,000 add-user events
    python bench/bench_timeline.py --sizes 5000 50000 --repeat 3

The estate is a migration in progress: one Riva Cloud policy holding every user and one Riva
On-Premise policy; the timeline moves each user with an ``add-user`` event, ten a day. Every
other user is moved by the book (the Cloud account deleted and the mailbox cleaned first, the
Cloud policy disabled only at the end, so step 1 comes late); the others are added with nothing
done, so every add is an overlap (KB105-001) and a broken procedure (KB105-010). The baseline,
from the same run, is the same file without its ``timeline``: the ratio and the milliseconds per
event are the cost of replaying the timeline alone. Each measurement is a fresh process (the
best of ``--repeat``); a timeline judged in O(n log n) costs about the same per event at both
sizes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def estate(users: int, timeline: bool) -> dict:
    emails = [f"user{n}@acme.example" for n in range(users)]
    events: list[dict] = []
    start = datetime.date(2024, 1, 1)
    for n, email in enumerate(emails):
        day = str(start + datetime.timedelta(days=n // 10))
        if n % 2 == 0:
            events += [
                {"at": day, "action": "delete-account", "instance": "riva-cloud", "email": email},
                {"at": day, "action": "remove-riva-data", "email": email, "what": "all"},
            ]
        events.append(
            {
                "at": day,
                "action": "add-user",
                "instance": "onprem",
                "policy": "Sales",
                "email": email,
                "crm_user": email,
            }
        )
    end = str(start + datetime.timedelta(days=users // 10 + 1))
    events.append(
        {"at": end, "action": "disable-policy", "instance": "riva-cloud", "policy": "Trial"}
    )
    users_of = [{"email": e, "crm_user": e} for e in emails]
    data = {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [{"name": "Trial", "category": "My Sync (Cloud)", "users": users_of}],
            },
            {
                "name": "onprem",
                "kind": "on-premise",
                "policies": [{"name": "Sales", "category": "My Sync (On-Premise)"}],
            },
        ]
    }
    if timeline:
        data["timeline"] = events
    return data


def measure(command: list[str], repeat: int) -> tuple[float, int]:
    """Best wall time (s) and the exit code over ``repeat`` fresh runs."""
    best, code = float("inf"), -1
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        best = min(best, time.perf_counter() - start)
        code = done.returncode
        if code not in (0, 1):
            sys.exit(f"kb-lint check failed ({code}): {done.stderr.decode()}")
    return best, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "kb_lint", "check", "--format", "json", "--max-size", "200"]
    print(
        f"{'add-user events':>15} {'events':>7} {'estate s':>8} {'timeline s':>10} "
        f"{'ratio':>6} {'ms/event':>8} findings"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            paths = {}
            for timeline in (False, True):
                paths[timeline] = Path(folder) / f"estate-{size}-{timeline}.json"
                paths[timeline].write_text(json.dumps(estate(size, timeline)), "utf-8")
            base, _ = measure([*cli, str(paths[False])], args.repeat)
            spent, _ = measure([*cli, str(paths[True])], args.repeat)
            report = subprocess.run([*cli, str(paths[True])], capture_output=True, text=True)
            findings = json.loads(report.stdout)["summary"]["findings"]
            events = len(estate(size, True)["timeline"])
            print(
                f"{size:>15,} {events:>7,} {base:>8.2f} {spent:>10.2f} {spent / base:>6.2f} "
                f"{(spent - base) / events * 1e3:>8.3f} {findings:,}"
            )


if __name__ == "__main__":
    main()
