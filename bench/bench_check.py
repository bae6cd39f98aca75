"""Benchmark ``kb-lint check`` on generated deployments against the bare parse of the same file.

    python bench/bench_check.py                      # 1,000,000 assignments, 50 instances
    python bench/bench_check.py --sizes 250000 500000 1000000

Each measurement is a fresh process, timed from start to exit, with its peak memory (max RSS):
the baseline reads the file and parses it (``json.loads``, or PyYAML's C loader for YAML); the
check runs the real CLI, ``kb-lint check FILE --format json``, on the same file. The deployment
holds one Riva Cloud instance and 49 On-Premise servers with two policies each; one user in a
hundred (``--overlap``) is assigned in a second instance too, so that the report has thousands of
findings to locate; ``--overlap 0`` measures a clean deployment.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

PARSE = {
    ".json": "import json,sys; json.loads(open(sys.argv[1], encoding='utf-8').read())",
    ".yaml": "import yaml,sys; yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
    "Loader=yaml.CSafeLoader)",
}
CHILD = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, peak, done.returncode)
"""


def deployment(assignments: int, overlap: float, instances: int = 50, seed: int = 1) -> dict:
    """``assignments`` users spread over ``instances`` instances of two policies each; the
    share ``overlap`` of them is assigned to a user that another instance syncs too."""
    rng = random.Random(seed)
    per_policy = assignments // (instances * 2)
    users = iter(range(assignments))
    out = []
    for i in range(instances):
        policies = []
        for name in ("Sales", "Support"):
            rows = []
            for _ in range(per_policy):
                n = next(users)
                if rng.random() < overlap:
                    n = rng.randrange(assignments)
                rows.append({"email": f"user{n}@acme.example", "crm_user": f"user{n}@acme.example"})
            policies.append(
                {
                    "name": name,
                    "category": f"CRM {i} {name}",
                    "folders": {"root": f"CRM {i}"},
                    "sync_all_items": name == "Support",
                    "users": rows,
                }
            )
        kind = "cloud" if i == 0 else "on-premise"
        out.append({"name": f"riva-{i:02}", "kind": kind, "policies": policies})
    return {"instances": out}


def measure(command: list[str], repeat: int) -> tuple[float, float, int]:
    """Best wall time (s), its peak memory (MiB) and exit code over ``repeat`` fresh runs."""
    runs = []
    for _ in range(repeat):
        line = subprocess.run(
            [sys.executable, "-c", CHILD, *command], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append((float(line[0]), int(line[1]) / 1024, int(line[2])))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=sorted(PARSE), default=".json")
    parser.add_argument(
        "--overlap", type=float, nargs="+", default=[0.0, 0.01], help="shares of overlapping users"
    )
    args = parser.parse_args()
    cli = [sys.executable, "-m", "kb_lint", "check", "--format", "json"]
    rules = Path(__file__).resolve().parent.parent / "rules"
    print(
        f"{'assignments':>12} {'MB':>6} {'parse s':>8} {'check s':>8} {'ratio':>6} "
        f"{'µs/assign':>9} {'parse MiB':>9} {'check MiB':>9} findings"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size, overlap in [(s, o) for s in args.sizes for o in args.overlap]:
            path = Path(folder) / f"deployment-{size}-{overlap}{args.format}"
            data = deployment(size, overlap)
            if args.format == ".json":
                path.write_text(json.dumps(data, indent=1), encoding="utf-8")
            else:
                import yaml

                path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper), encoding="utf-8")
            parse, parse_mib, _ = measure(
                [sys.executable, "-c", PARSE[args.format], str(path)], args.repeat
            )
            check, check_mib, code = measure([*cli, "--rules", str(rules), str(path)], args.repeat)
            report = subprocess.run(
                [*cli, "--rules", str(rules), str(path)], capture_output=True, text=True
            )
            findings = json.loads(report.stdout)["summary"]["findings"] if code == 1 else 0
            megabytes = path.stat().st_size / 1e6
            print(
                f"{size:>12,} {megabytes:>6.0f} {parse:>8.2f} {check:>8.2f} {check / parse:>6.2f} "
                f"{check / size * 1e6:>9.2f} {parse_mib:>9.0f} {check_mib:>9.0f} {findings:,}"
            )


if __name__ == "__main__":
    main()
