"""Benchmark: the docs site for a pack of 200 rules, built through the kb-lint plugin, against the
same site with its pages pre-rendered as plain Markdown (target: plugin overhead <= 50%).

    .venv/bin/python bench/bench_docs.py [--rules 200] [--repeat 3]

Both sites use the repository's mkdocs.yml, read as MkDocs reads it (theme, extensions,
validation; ``!ENV`` values from the environment), without mike; the plain one drops the
kb-lint plugin and lists the exported pages in its nav instead. The overhead is printed beside
its target; exit 0 whether it is met or not (a figure, not a failure), 1 when a build fails.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from kb_lint.docs.export import export_pages
from kb_lint.docs.render import site_nav
from kb_lint.docs.sources import collect
from kb_lint.docs.stylesheet import STYLESHEET, STYLESHEET_PATH

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "kb-105"


def pack_data() -> dict:
    return yaml.safe_load((PACK / "pack.yaml").read_text("utf-8"))


def generate_pack(rules_dir: Path, count: int) -> None:
    """A copy of the KB105 pack (its examples and every file it names) with its rules, under
    the ids its claims and procedures name, then copies of them under new ids (from 100 on)
    up to ``count`` rules."""
    target = rules_dir / PACK.name
    shutil.copytree(PACK, target)
    data = pack_data()
    data["pack"]["source"] = f"../../docs/articles/{Path(data['pack']['source']).name}"
    originals = data["rules"]
    rules = list(originals)
    for n in range(len(originals), count):
        rule = copy.deepcopy(originals[n % len(originals)])
        rule["id"] = f"{data['pack']['id']}-{n + 100:03d}"
        rule["title"] = f"{rule['title']} (variant {n // len(originals) + 1})"
        rules.append(rule)
    data["rules"] = rules
    (target / "pack.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def make_sites(work: Path, count: int) -> tuple[Path, Path]:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as file:
        config = yaml_load(file)  # MkDocs' own reading: its tags (!ENV), INHERIT
    config["plugins"] = [p for p in config["plugins"] if p != "mike" and "mike" not in p]
    config.pop("extra", None)
    plugin_site, plain_site = work / "plugin", work / "plain"
    for site in (plugin_site, plain_site):
        shutil.copytree(ROOT / "docs", site / "docs")
        shutil.copytree(ROOT / "examples", site / "examples")  # the simulator guide's charts
        generate_pack(site / "rules", count)
    (plugin_site / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")

    docs = plain_site / "docs"
    sources = collect(plain_site / "rules", docs / "articles", docs)
    for relative, markdown in export_pages(sources).items():
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_text(markdown, "utf-8")
    (docs / STYLESHEET_PATH).parent.mkdir(parents=True, exist_ok=True)
    (docs / STYLESHEET_PATH).write_text(STYLESHEET, "utf-8")
    plain = dict(config)
    plain["plugins"] = [
        p for p in config["plugins"] if not (isinstance(p, dict) and "kb-lint" in p)
    ]
    plain["nav"] = [*config["nav"], *site_nav(sources)]
    plain["extra_css"] = [STYLESHEET_PATH]
    (plain_site / "mkdocs.yml").write_text(yaml.safe_dump(plain), "utf-8")
    return plugin_site, plain_site


def build_time(site: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site / "out")],
        cwd=site,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=200, help="rules in the generated pack")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each site")
    args = parser.parse_args()
    if args.rules < len(pack_data()["rules"]):
        parser.error(f"--rules {args.rules}: at least the {len(pack_data()['rules'])} of KB105")
    with tempfile.TemporaryDirectory(prefix="kb-lint-bench-docs-") as tmp:
        plugin_site, plain_site = make_sites(Path(tmp), args.rules)
        pages = sum(1 for _ in (plain_site / "docs").rglob("*.md"))
        times: dict[str, list[float]] = {"plugin": [], "plain": []}
        for _ in range(args.repeat):
            times["plugin"].append(build_time(plugin_site))
            times["plain"].append(build_time(plain_site))
    plugin, plain = statistics.median(times["plugin"]), statistics.median(times["plain"])
    overhead = plugin / plain - 1
    print(
        f"{args.rules} rules, {pages} pages, median of {args.repeat} builds (mkdocs build --strict)"
    )
    print(f"  through the kb-lint plugin:     {plugin:6.2f} s")
    print(f"  pre-rendered plain Markdown:    {plain:6.2f} s")
    print(f"  plugin overhead:                {overhead:6.1%} (target <= 50%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
