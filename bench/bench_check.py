"""Benchmark ``kb-lint check`` on generated deployments against the bare parse of the same file.

    python bench/bench_check.py                      # 1,000,000 assignments, 50 instances
    python bench/bench_check.py --sizes 250000 500000 1000000
    python bench/bench_check.py --stages             # where the time goes, stage by stage
    python bench/bench_check.py --against ../before  # before and after a change, interleaved

Each measurement is a fresh process, timed from start to exit, with its peak memory (max RSS):
the baseline reads the file and parses it with the standard library's ``json.loads`` (its C
scanner; PyYAML's C loader for YAML), the baseline issue 23 set its targets against; the check
runs the real CLI, ``kb-lint check FILE --format json``, on the same file. kb-lint parses JSON
with msgspec (json's data and errors kept: a text msgspec does not take is parsed by json) and
no hook: it refuses a repeated key by counting the keys the data kept against the colons of the
text (``kb_lint.load.json_source``); a file of ASCII bytes is parsed and counted as bytes. So
for JSON a second baseline is measured too, msgspec's bare parse of the file's bytes, and every
ratio is given against both.
``--stages`` runs the same pipeline in one process instead and prints the CPU time of each stage
(read, parse with the key count, schema validation, model, each rule, positions, report) beside
a bare ``json.loads`` of the same text. An ASCII file (these are) is parsed from its bytes and
decoded only when a finding's position is asked for: at 1% overlapping, "positions" holds that
decoding. The deployment holds one Riva Cloud instance and 49
On-Premise servers with two policies each; one user in a hundred (``--overlap``) is assigned in a
second instance too, so that the report has thousands of findings to locate; ``--overlap 0``
measures a clean deployment. On a shared machine compare the CPU columns (user and system time
of each process, least of the runs): the wall time moves with the other processes' load.
``--against CHECKOUT`` compares two versions of kb-lint in one run: per round the bare parses,
the check of ``CHECKOUT`` (its own ``kb_lint`` and ``rules``), then this checkout's, each a fresh
process, so that both meet the same load; the least CPU time of the rounds (``--repeat``).

The figures, with the command, the load they were measured under and where the time goes, are
in README.md ("Benchmarks", "Deployments").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import record

# Issue 23's targets: the CPU ratio to json.loads at 1,000,000 assignments, by overlap.
TARGETS = {(1_000_000, 0.0): "deployments-clean", (1_000_000, 0.01): "deployments-overlapping"}
PARSE = {
    ".json": "import json,sys; json.loads(open(sys.argv[1], encoding='utf-8').read())",
    ".yaml": "import yaml,sys; yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
    "Loader=yaml.CSafeLoader)",
}
# The parser kb-lint runs on JSON, bare: msgspec on the file's bytes (its fastest way in).
MSGSPEC = "import msgspec,sys; msgspec.json.decode(open(sys.argv[1], 'rb').read())"
CHILD = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, used.ru_maxrss, done.returncode, used.ru_utime + used.ru_stime)
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


class Laps:
    """CPU time per named stage, each lap from the end of the last."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.start = time.process_time()

    def __call__(self, name: str) -> None:
        now = time.process_time()
        self.times[name] = self.times.get(name, 0.0) + now - self.start
        self.start = now


def staged_run(path: Path, rules: Path) -> tuple[dict[str, float], int]:
    """One run of ``kb-lint check --format json``'s pipeline on ``path``, with a bare
    ``json.loads`` of the same text: the CPU time of each stage and the number of findings."""
    from kb_lint.cli.check import paused_cycle_collection

    with paused_cycle_collection():  # as kb-lint check does
        return _staged(path, rules)


def _staged(path: Path, rules: Path) -> tuple[dict[str, float], int]:
    import msgspec

    from kb_lint.engine.draft import locate
    from kb_lint.engine.run import KINDS, plan, rule_infos
    from kb_lint.engine.subjects import kept
    from kb_lint.findings import Finding, Summary
    from kb_lint.load.read import load_bytes, read_input
    from kb_lint.model.deployment import build_deployment, deployment_validator
    from kb_lint.pack.load import vocabulary_of
    from kb_lint.pack.sources import rule_set
    from kb_lint.reporters import render

    lap = Laps()
    packs = rule_set(rules, None, [])
    vocabulary = vocabulary_of(packs)
    validator = deployment_validator(vocabulary)
    lap("packs")
    raw = read_input(path, None)
    lap("read")
    # before kb-lint's parse, so that both find the same memory in use; of the file's text, as
    # the baseline reads it
    json.loads(raw.decode("utf-8"))
    lap("bare json.loads")
    msgspec.json.decode(raw)  # the parser kb-lint runs, bare, on the same bytes
    lap("bare msgspec")
    doc = load_bytes(str(path), raw)  # an ASCII file is parsed from its bytes, not decoded
    lap("parse")
    data = validator.validate(doc)
    lap("validate")
    dep = build_deployment(doc, data, vocabulary)
    lap("model")
    drafts = []
    for pack in packs:
        for rule in pack.rules:
            drafts.extend(KINDS[rule.kind](rule, pack, dep))
            lap(f"rule {rule.id}")
    exclusive = [(r, p) for p in packs for r in p.rules if r.kind == "exclusivity"]
    drafts.extend(plan.check(exclusive, dep))
    lap("plan")
    found = sorted(locate(kept(drafts), doc), key=Finding.sort_key)
    lap("positions")
    render("json", found, Summary.of(found, 1), rules=rule_infos(packs))
    lap("report")
    return lap.times, len(found)


def stages(path: Path, repeat: int) -> None:
    """The CPU time of each stage, best of ``repeat`` runs in this process; rules under 0.02 s
    summed as one line."""
    rules = Path(__file__).resolve().parent.parent / "rules"
    best: dict[str, float] = {}
    for _ in range(repeat):
        times, findings = staged_run(path, rules)
        best = {k: min(v, best.get(k, v)) for k, v in times.items()}
    total = sum(v for k, v in best.items() if not k.startswith("bare "))
    print(f"{path.name}: {total:.2f} s of CPU in all stages, {findings:,} findings")
    shown = {k: v for k, v in best.items() if not k.startswith("rule ") or v >= 0.02}
    for name, seconds in shown.items():
        print(f"  {name:<24} {seconds:6.2f} s")
    rest = sum(v for k, v in best.items() if k.startswith("rule ") and k not in shown)
    print(f"  {'other rules':<24} {rest:6.2f} s")


def measure(
    command: list[str], repeat: int, pythonpath: Path | None = None
) -> tuple[float, float, int, float]:
    """Best wall time (s), its peak memory (MiB) and exit code over ``repeat`` fresh runs, and
    the least CPU time (user and system, s) of those runs: on a shared machine the CPU time
    moves less than the wall time. ``pythonpath``: the checkout whose ``kb_lint`` runs, run
    from it (``python -m`` puts the current folder before ``PYTHONPATH``)."""
    runs = []
    # Byte code cached, as an installed package has it (a shell may set this to keep trees clean).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    for _ in range(repeat):
        line = subprocess.run(
            [sys.executable, "-c", CHILD, *command],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=pythonpath,
        ).stdout.split()
        runs.append((float(line[0]), int(line[1]) / 1024, int(line[2]), float(line[3])))
    wall, mib, code, _ = min(runs)
    return wall, mib, code, min(run[3] for run in runs)


def interleaved(path: Path, against: Path, rounds: int) -> None:
    """Per round the bare parses (``json.loads``; for JSON msgspec's too), ``kb-lint check`` of
    ``against`` and of this checkout, each a fresh process; print the least CPU time of each
    and the checks' ratios to each bare parse."""
    here = Path(__file__).resolve().parent.parent
    parses = {"json.loads": PARSE[path.suffix]} | (
        {"msgspec": MSGSPEC} if path.suffix == ".json" else {}
    )
    cpu: dict[str, list[float]] = {name: [] for name in (*parses, "before", "after")}
    for _ in range(rounds):
        for name, code in parses.items():
            cpu[name].append(measure([sys.executable, "-c", code, str(path)], 1)[3])
        for name, tree in (("before", against.resolve()), ("after", here)):
            check = [sys.executable, "-m", "kb_lint", "check", "--format", "json"]
            command = [*check, "--rules", str(tree / "rules"), str(path)]
            cpu[name].append(measure(command, 1, pythonpath=tree)[3])
    least = {name: min(times) for name, times in cpu.items()}
    bare = ", ".join(f"{name} {least[name]:.2f} s" for name in parses)
    checks = [(against.name, least["before"]), ("this checkout", least["after"])]
    shown = "; ".join(
        f"{name} {seconds:.2f} s ("
        + ", ".join(f"{seconds / least[p]:.2f}x {p}" for p in parses)
        + ")"
        for name, seconds in checks
    )
    print(f"{path.name}: bare parse {bare}; {shown}; CPU, least of {rounds} rounds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=sorted(PARSE), default=".json")
    parser.add_argument(
        "--overlap", type=float, nargs="+", default=[0.0, 0.01], help="shares of overlapping users"
    )
    parser.add_argument(
        "--stages", action="store_true", help="time each stage in one process (JSON only)"
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="time another checkout's kb-lint check too, round by round with this one's",
    )
    args = parser.parse_args()
    print(_load("before"))
    cli = [sys.executable, "-m", "kb_lint", "check", "--format", "json"]
    rules = Path(__file__).resolve().parent.parent / "rules"
    if args.stages and args.against:
        parser.error("--stages and --against measure apart: give one")
    if args.against is not None and not (args.against / "kb_lint").is_dir():
        parser.error(f"--against {args.against}: no kb_lint folder there")
    if not args.stages and args.against is None:
        print(
            f"{'assignments':>12} {'MB':>6} {'parse s':>8} {'check s':>8} {'ratio':>6} "
            f"{'CPU s':>11} {'CPU ratio':>9} {'msgspec':>7} {'µs/assign':>9} {'parse MiB':>9} "
            f"{'check MiB':>9} findings"
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
            if args.stages:
                stages(path, args.repeat)
                continue
            if args.against is not None:
                interleaved(path, args.against, args.repeat)
                continue
            parse, parse_mib, _, parse_cpu = measure(
                [sys.executable, "-c", PARSE[args.format], str(path)], args.repeat
            )
            msgspec_cpu = (  # JSON only: msgspec reads no YAML here
                measure([sys.executable, "-c", MSGSPEC, str(path)], args.repeat)[3]
                if args.format == ".json"
                else None
            )
            check, check_mib, code, check_cpu = measure(
                [*cli, "--rules", str(rules), str(path)], args.repeat
            )
            report = subprocess.run(
                [*cli, "--rules", str(rules), str(path)], capture_output=True, text=True
            )
            findings = json.loads(report.stdout)["summary"]["findings"] if code == 1 else 0
            megabytes = path.stat().st_size / 1e6
            print(
                f"{size:>12,} {megabytes:>6.0f} {parse:>8.2f} {check:>8.2f} {check / parse:>6.2f} "
                f"{parse_cpu:>5.2f}/{check_cpu:<5.2f} {check_cpu / parse_cpu:>9.2f} "
                f"{f'{check_cpu / msgspec_cpu:.2f}' if msgspec_cpu else '-':>7} "
                f"{check / size * 1e6:>9.2f} {parse_mib:>9.0f} {check_mib:>9.0f} {findings:,}"
            )
            if (size, overlap) in TARGETS and args.format == ".json":
                spent = f"json.loads {parse_cpu:.2f} s, check {check_cpu:.2f} s of CPU"
                ratio = check_cpu / parse_cpu
                record(TARGETS[size, overlap], f"{size:,} assignments", ratio, spent)
    print(_load("after"))


def _load(when: str) -> str:
    """The machine's load average: on a shared machine, what the figures were measured under."""
    return "load average {} (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(when, *os.getloadavg())


if __name__ == "__main__":
    main()
