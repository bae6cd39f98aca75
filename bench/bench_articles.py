"""Benchmark: kb-lint's article linter against a bare markdown-it-py parse of the same files,
and against two Markdown linters, pymarkdown (PyPI: pymarkdownlnt) and markdownlint-cli2 (npm).

    .venv/bin/python bench/bench_articles.py [--articles 2000] [--repeat 5] [--seed 105]
    .venv/bin/python bench/bench_articles.py --corpus ../shared/corpus/exchange [--repeat 3]

It writes realistic KB articles (front matter, headings, paragraphs, nested and numbered lists,
tables, code blocks, links between them, a few slips) into a temporary folder and times, in the
same run and on the same files:

- markdown-it-py: read each file and parse it (``MarkdownIt("commonmark")``, block and
  inline): the baseline. kb-lint's parsers use the same preset, with front matter, and parse
  inline only the headings and the blocks that can hold a link or HTML, with only the inline
  rules that make those (``kb_lint/articles/parser.py``): less than the baseline, which is
  what reading the Markdown costs whatever a linter then does;
- kb-lint in this process, on one process and on every CPU (the Riva style, the project's rule
  packs for the traceability checks): the cost of linting over parsing;
- the ``kb-lint articles`` command, on one process (``-j 1``) and with its default jobs (every
  CPU), interpreter start included, each with its default report (text);
- ``pymarkdown scan`` (with its front-matter extension) and ``markdownlint-cli2``, when
  installed, each with its default rules and report. They are not dependencies of kb-lint;
  ``make bench`` installs them for measuring only, outside the package's dependencies (the
  ``bench`` extra into the virtualenv; npm's package, when npm is on PATH, outside the
  repository):

      .venv/bin/pip install -e '.[bench]'
      npm install --prefix ~/.cache/kb-lint-bench markdownlint-cli2@0.22.1

With ``--corpus``, it measures the same on a folder of real Markdown instead, read where it
lies (the Exchange corpus beside the project: 2,292 support pages written by others).

Each figure is the best of ``--repeat`` rounds, the rounds interleaving the measurements (the
peers' too); ratios are against the baseline. Last, the two ratios issue 23 sets targets for:
one process against the bare parse (at most 1.3x), and ``markdownlint-cli2`` against the
``kb-lint articles`` command, each with its defaults (at least 5x). Those targets are for the
held-out half of the corpus (``--corpus PATH --half held-out``): that run says them and records
the ratios for ``make bench``'s summary (``results.py``); any other run prints the ratios as
its own, not as the targets'. The load average is printed
at the start and the end: on a shared machine, compare ratios of one run. The prose comes from
the project's own docs, so the corpus changes a little when they do.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench_precision import HALVES, corpus_files, corpus_half
from markdown_it import MarkdownIt
from results import TARGETS, record

from kb_lint.articles.kind import Target
from kb_lint.articles.kinds import KINDS
from kb_lint.articles.lint import _citations, lint_articles
from kb_lint.articles.run import Run
from kb_lint.articles.source import read_source
from kb_lint.articles.style import Style, load_style
from kb_lint.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
MARKDOWNLINT = (
    Path.home() / ".cache" / "kb-lint-bench" / "node_modules" / ".bin" / "markdownlint-cli2"
)

PRODUCTS = ["Riva Cloud", "Riva On-Premise"]
SLIPS = ["a email", "Riva On-Prem", "the the", "Groupwise"]
SLIP_RATE = 0.002  # of sentences: about one article in ten has a slip
WORD = re.compile(r"[\w@.'/-]+[,.:;]?")


class Prose:
    """Sentences made by walking the word triples of the project's own documentation (the
    articles and the site pages, without their code, and without the page on writing
    articles, which quotes slips): real vocabulary and word order."""

    def __init__(self, rng: random.Random) -> None:
        pages = sorted((ROOT / "docs").rglob("*.md"))
        # The page on writing articles quotes slips on purpose, to show them.
        texts = [p.read_text("utf-8") for p in pages if p.name != "writing-articles.md"]
        fences = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)
        markup = re.compile(r"`[^`]*`|\(.*?\)|^[#>|-].*$|^---$", re.M)
        plain = [markup.sub("", fences.sub("", text)) for text in texts]
        words = [w for text in plain for w in WORD.findall(text)]
        self.rng = rng
        self.next: dict[tuple[str, str], list[str]] = {}
        for first, second, third in zip(words, words[1:], words[2:], strict=False):
            self.next.setdefault((first, second), []).append(third)
        self.starts = [
            (first, second)
            for before, (first, second) in zip(words, pairwise(words[1:]), strict=False)
            if before.endswith(".") and first[0].isupper() and first.isalpha()
        ]
        # Nouns and such for titles and table cells: no "a", "an", "the", "to"...
        self.vocabulary = sorted({w for w in words if w.isalpha() and len(w) > 4})

    def sentence(self) -> str:
        rng = self.rng
        words = list(rng.choice(self.starts))
        while (len(words) < 40 and not words[-1].endswith(".")) or len(words) < 6:
            following = self.next.get((words[-2], words[-1]))
            words.extend([rng.choice(following)] if following else rng.choice(self.starts))
        text = " ".join(words).rstrip(",:;")
        if rng.random() < SLIP_RATE:
            place = rng.randrange(len(words))
            text = " ".join([*words[:place], rng.choice(SLIPS), *words[place:]])
        if rng.random() < 0.15:
            text = text.replace(" the ", f" `{rng.choice(self.vocabulary)}` ", 1)
        return text if text.endswith(".") else text + "."

    def title(self) -> str:
        words = self.rng.sample(self.vocabulary, self.rng.randint(4, 8))
        return " ".join(w[0].upper() + w[1:] for w in words)


def paragraph(prose: Prose) -> str:
    return " ".join(prose.sentence() for _ in range(prose.rng.randint(2, 5)))


def bullets(prose: Prose, indent: str = "") -> str:
    return "\n".join(f"{indent}- {prose.sentence()}" for _ in range(prose.rng.randint(2, 6)))


def table(prose: Prose) -> str:
    rng, words = prose.rng, prose.vocabulary
    columns = rng.randint(3, 5)
    head = "| " + " | ".join(w[0].upper() + w[1:] for w in rng.sample(words, columns)) + " |"
    rule = "|" + " --- |" * columns
    rows = [
        "| " + " | ".join(" ".join(cell) for cell in batched(rng.sample(words, 3 * columns))) + " |"
        for _ in range(rng.randint(3, 30))
    ]
    return "\n".join([head, rule, *rows])


def batched(words: list[str], size: int = 3) -> list[list[str]]:
    return [words[i : i + size] for i in range(0, len(words), size)]


def code(prose: Prose, indent: str = "") -> str:
    rng, words = prose.rng, prose.vocabulary
    lines = [f"{rng.choice(words).lower()}: {rng.choice(words)}" for _ in range(rng.randint(2, 8))]
    return "\n".join(f"{indent}{line}" for line in ["```yaml", *lines, "```"])


def steps(prose: Prose) -> str:
    out = []
    for number in range(1, prose.rng.randint(3, 10) + 1):
        out.append(f"{number}. {prose.sentence()}")
        roll = prose.rng.random()
        if roll < 0.25:
            out.append("\n" + bullets(prose, "    ") + "\n")
        elif roll < 0.35:
            out.append("\n" + code(prose, "    ") + "\n")
    return "\n".join(out)


def article(prose: Prose, number: int, total: int) -> str:
    rng = prose.rng
    title = prose.title()
    others = [f"kb-{rng.randrange(total):05d}.md" for _ in range(rng.randint(0, 3))]
    also = ", ".join(others)
    parts = [
        "---",
        f"id: {2000 + number}",
        f"title: {title}",
        f"revision: {rng.randint(1, 20)}",
        f"updated: 20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"products: [{', '.join(rng.sample(PRODUCTS, rng.randint(1, 2)))}]",
        f"also_read: [{also}]",
        "---",
        "",
        f"# {title}",
        "",
        "## Background",
        "",
        *[paragraph(prose) + "\n" for _ in range(rng.randint(1, 3))],
        "## Explanation",
        "",
        paragraph(prose),
        "",
        bullets(prose),
        "",
        "## Expected Challenges",
        "",
        bullets(prose),
        "",
        "## Best Practice",
        "",
        paragraph(prose),
        "",
    ]
    if rng.random() < 0.5:
        parts += [table(prose), ""]
    for system in rng.sample(["Exchange", "GroupWise"], rng.randint(1, 2)):
        parts += [f"## Steps for {system} accounts", "", paragraph(prose), "", steps(prose), ""]
    if others:
        links = ", ".join(f"[KB {o[3:8]}]({o}#background)" for o in others)
        parts += ["## More information", "", f"See {links}.", ""]
    return "\n".join(parts)


def generate(folder: Path, count: int, seed: int) -> list[Path]:
    prose = Prose(random.Random(seed))
    paths = []
    for number in range(count):
        path = folder / f"kb-{number:05d}.md"
        path.write_text(article(prose, number, count), "utf-8")
        paths.append(path)
    return paths


def fastest(repeat: int, work: dict[str, Callable[[], object] | None]) -> dict[str, float | None]:
    """The best time of each piece of work over ``repeat`` rounds. The rounds interleave the
    pieces, so that a slow spell of the machine does not fall on one of them only."""
    times: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(repeat):
        for name, run in work.items():
            if run is not None:
                started = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - started)
    return {name: min(spent) if spent else None for name, spent in times.items()}


def parse_all(paths: list[Path]) -> None:
    parser = MarkdownIt("commonmark")
    for path in paths:
        parser.parse(path.read_text("utf-8"))


def command(args: list[str]) -> Callable[[], object]:
    def run() -> None:
        done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")

    return run


def peers(targets: list[str]) -> dict[str, list[str] | None]:
    pymarkdown = Path(sys.executable).parent / "pymarkdown"
    markdownlint = MARKDOWNLINT if MARKDOWNLINT.is_file() else shutil.which("markdownlint-cli2")
    return {
        "pymarkdown scan": [
            *(str(pymarkdown), "--enable-extensions", "front-matter", "scan", "-r", *targets)
        ]
        if pymarkdown.is_file()
        else None,
        "markdownlint-cli2": [str(markdownlint), *targets] if markdownlint else None,
    }


def print_stages(paths: list[Path], config: Config, style: Style, rules: Path) -> None:
    """CPU time of each stage in one process: reading, the article model (markdown-it's block
    parse, inline parses for links, front matter), each rule's check, the suppressions."""
    run = Run(style, config, _citations(style, config, rules, paths))
    run.linked.expect(paths)
    spent: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        started = time.process_time()
        result = work()
        spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return result

    for path in paths:
        source = timed("read", lambda path=path: read_source(path))
        article = timed("article model (parse)", lambda source=source: run.linked.article(source))
        target = Target(article, run)
        for rule in run.selected(source.path):
            check = KINDS[rule.kind].check
            if check is not None:
                name = f"{rule.id} {rule.name}"
                timed(name, lambda c=check, r=rule, t=target: list(c(t, r)))
    total = sum(spent.values())
    print(f"CPU time by stage and rule, one process ({total:.2f} s in all):")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        if seconds >= 0.005 * total:
            print(f"  {name:<40} {seconds:6.2f} s  {seconds / total:6.1%}")


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--articles", type=int, default=2000)
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--seed", type=int, default=105)
    options.add_argument("--corpus", type=Path, help="a folder of Markdown files, read in place")
    options.add_argument(
        "--half",
        choices=HALVES,
        help="only this half of the corpus (bench_precision.py's split): held-out for reporting",
    )
    args = options.parse_args()
    if args.corpus is not None:
        held_out = args.half == "held-out"
        if not args.corpus.is_dir():  # the corpus lives beside the project, not in it
            reason = f"no corpus at {args.corpus}; make bench CORPUS=PATH"
            print(f"{args.corpus}: no corpus there (see ../shared/corpus/): not measured")
            for target in ("articles-one-process", "articles-markdownlint") if held_out else ():
                record(target, "held-out half", None, "-", reason)
            return 0
        folder = args.corpus.resolve()
        if args.half:
            paths = corpus_half(folder, args.half)
            return measure(folder, paths, args.repeat, listed=True, held_out=held_out)
        return measure(folder, corpus_files(folder), args.repeat)
    with tempfile.TemporaryDirectory(prefix="kb-lint-bench-") as temporary:
        folder = Path(temporary)
        return measure(folder, generate(folder, args.articles, args.seed), args.repeat)


def measure(
    folder: Path, paths: list[Path], repeat: int, listed: bool = False, held_out: bool = False
) -> int:
    """Time every piece of work on ``paths`` (in ``folder``) and print the table, then the two
    ratios issue 23 sets targets for; ``listed``: the commands are given the files, not the
    folder (a part of it); ``held_out``: ``paths`` are the held-out half, where issue 23 sets
    those targets: say them and record the ratios (``results.py``)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    config = load_config(start=ROOT)
    style = load_style("riva")
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} articles, {size / 1e6:.1f} MB, {cpus} CPUs, best of {repeat} rounds")
    print(f"load average at the start: {_load()}")
    rules = ROOT / "rules"
    findings = sum(len(r.findings) for r in lint_articles(paths, config, style, rules, jobs=1))
    print(f"kb-lint finds {findings} findings in them")
    targets = [str(p) for p in paths] if listed else [str(folder)]
    cli = [sys.executable, "-m", "kb_lint", "articles", *targets]
    globbed = targets if listed else [f"{folder}/**/*.md"]
    linters = peers(globbed)
    shown = "FILES" if listed else str(folder)
    print("Commands (each with its defaults: report format, rules, jobs):")
    print(f"  kb-lint articles {shown}  (as python -m kb_lint; -j 1 for one process)")
    for peer in filter(None, linters.values()):
        print(f"  {' '.join([Path(peer[0]).name, *peer[1 : -len(globbed)], shown])}")
    work: dict[str, Callable[[], object] | None] = {
        BASELINE: lambda: parse_all(paths),
        ONE_PROCESS: lambda: lint_articles(paths, config, style, rules, jobs=1),
        f"kb-lint, {cpus} processes": lambda: lint_articles(paths, config, style, rules, jobs=cpus),
        "kb-lint articles (command), 1 process": command([*cli, "-j", "1"]),
        COMMAND: command(cli),
        **{name: command(peer) if peer else None for name, peer in linters.items()},
    }
    print_stages(paths, config, style, rules)
    timings = fastest(repeat, work)
    baseline = timings[BASELINE] or 1.0
    width = max(map(len, timings))
    for name, seconds in timings.items():
        if seconds is None:
            print(f"{name:<{width}}  not installed (make bench installs it)")
        else:
            print(f"{name:<{width}}  {seconds:7.2f} s  {seconds / baseline:5.2f}x")
    print(f"load average at the end: {_load()}")
    if held_out:
        print("Targets (issue 23, on the held-out half), ratios of this run:")
    else:
        print(
            "Ratios of this run (not issue 23's targets, which are measured on the held-out "
            "half of the corpus: --corpus PATH --half held-out):"
        )
    for target, label, ratio, spent in target_ratios(timings):
        shown = f"{ratio:5.2f}x" if ratio else f"not measured: {NO_MARKDOWNLINT}"
        wanted = f"  (target {TARGETS[target].wanted()})" if held_out else ""
        print(f"  {label}:  {shown}{wanted}")
        if held_out:
            subject = f"held-out half, {len(paths)} files"
            record(target, subject, ratio, spent, "" if ratio else NO_MARKDOWNLINT)
    return 0


def target_ratios(
    timings: dict[str, float | None],
) -> list[tuple[str, str, float | None, str]]:
    """The two ratios issue 23 sets targets for, each as its target, label, value (None when
    a peer is not installed) and the times it is the ratio of."""
    baseline, one = timings[BASELINE] or 1.0, timings[ONE_PROCESS] or 0.0
    command, markdownlint = timings[COMMAND] or 1.0, timings["markdownlint-cli2"]
    peer = f"{markdownlint:.2f} s" if markdownlint else "not installed"
    return [
        (
            "articles-one-process",
            "kb-lint, 1 process / markdown-it-py parse",
            one / baseline,
            f"markdown-it-py parse {baseline:.2f} s; kb-lint, 1 process {one:.2f} s",
        ),
        (
            "articles-markdownlint",
            "markdownlint-cli2 / kb-lint articles (default jobs)",
            markdownlint / command if markdownlint else None,
            f"kb-lint articles {command:.2f} s; markdownlint-cli2 {peer}",
        ),
    ]


NO_MARKDOWNLINT = "markdownlint-cli2 not installed (make bench installs it when npm is on PATH)"
BASELINE = "markdown-it-py parse (baseline)"
ONE_PROCESS = "kb-lint, 1 process"
COMMAND = "kb-lint articles (command), default jobs"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
