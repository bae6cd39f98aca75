"""Benchmark: how many findings of each prose rule are real slips, on real support articles.

    .venv/bin/python bench/bench_precision.py [--corpus ../shared/corpus/exchange] [--style riva]
    .venv/bin/python bench/bench_precision.py --show KB-STYLE-002     # findings not judged yet

It lints a corpus of others' Markdown where it lies (read in place, never copied) with a house
style, and compares each prose rule's findings (the kinds that read prose: terminology, "a" or
"an", doubled words) with the verdicts a person gave them, kept in ``bench/precision/<rule
id>.jsonl``: one JSON object a line with the finding's ``path`` (relative to the corpus),
``line`` and ``column``, a ``verdict`` (``true``: a slip the writer would fix; ``false``: noise)
and a one-line ``reason`` (no sentence of the corpus is quoted).

For each rule it prints:

- findings: what the rule finds now; judged: how many of them have a verdict;
- precision: true verdicts among the judged findings found now;
- recall: true verdicts found now among all true verdicts kept (a verdict outlives the finding,
  so a change that loses a real slip shows here);
- noise removed: false verdicts no longer found.

Then the seed article's two "a email" slips (tests/articles/fixtures/kb-105-with-seed-slips.md),
which must still be found. It exits 1 when a rule is below ``--target`` precision, a known true
slip is lost, or the seed's slips are not both found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kb_lint.articles.run import Run, article_files, lint_files
from kb_lint.articles.style import load_style
from kb_lint.config import Config

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "exchange"
VERDICTS = ROOT / "bench" / "precision"
SEED = ROOT / "tests" / "articles" / "fixtures" / "kb-105-with-seed-slips.md"
SEED_SLIPS = {("KB-STYLE-002", 35, 26), ("KB-STYLE-002", 57, 37)}
PROSE_KINDS = ("substitution", "indefinite-article", "repetition")
Place = tuple[str, int, int]


@dataclass
class Verdicts:
    """One rule's judged findings: place → (verdict, reason)."""

    rule: str
    judged: dict[Place, tuple[bool, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, rule: str) -> Verdicts:
        verdicts = cls(rule)
        path = VERDICTS / f"{rule}.jsonl"
        if not path.is_file():
            return verdicts
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry["verdict"] not in ("true", "false") or not entry.get("reason"):
                sys.exit(f"{path}:{number}:1: a verdict is 'true' or 'false', with a reason")
            place = (entry["path"], entry["line"], entry["column"])
            verdicts.judged[place] = (entry["verdict"] == "true", entry["reason"])
        return verdicts


def lint_corpus(corpus: Path, style: str) -> dict[str, list[Place]]:
    """Each prose rule's findings on the corpus, as places relative to it."""
    chosen = load_style(style)
    prose = [rule.id for rule in chosen.rules if rule.kind in PROSE_KINDS]
    run = Run(chosen, Config(root=corpus, rules=corpus / "no-rules", select=tuple(prose)))
    linted = lint_files(article_files([corpus]), run, jobs=os.cpu_count() or 1)
    found: dict[str, list[Place]] = {rule: [] for rule in prose}
    for result in linted:
        for finding in result.findings:
            if finding.rule in found:
                where = finding.location
                relative = str(Path(where.path).relative_to(corpus))
                found[finding.rule].append((relative, where.line, where.column))
    return found


def seed_slips(style: str) -> int:
    run = Run(load_style(style), Config(root=ROOT, rules=ROOT / "no-rules"))
    (linted,) = lint_files([SEED], run)
    found = {(f.rule, f.location.line, f.location.column) for f in linted.findings}
    return len(SEED_SLIPS & found)


def show(corpus: Path, rule: str, places: list[Place], verdicts: Verdicts) -> None:
    """The findings of ``rule`` that have no verdict yet, each with its line, for judging."""
    for path, line, column in places:
        if (path, line, column) not in verdicts.judged:
            text = (corpus / path).read_text("utf-8").splitlines()[line - 1]
            print(f"{path}:{line}:{column}: {text[max(0, column - 70) : column + 50]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--style", default="riva")
    parser.add_argument("--target", type=float, default=0.9)
    parser.add_argument("--show", metavar="RULE", help="print the findings of RULE not judged")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus}:1:1: no corpus there (see ../shared/corpus/)", file=sys.stderr)
        return 2
    corpus = args.corpus.resolve()
    found = lint_corpus(corpus, args.style)
    if args.show:
        show(corpus, args.show, found.get(args.show, []), Verdicts.load(args.show))
        return 0
    print(f"corpus: {corpus} ({len(article_files([corpus]))} files), style: {args.style}")
    header = ("rule", "findings", "judged", "true", "false", "precision", "recall", "removed")
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    failed = False
    for rule, places in found.items():
        verdicts = Verdicts.load(rule)
        now = set(places)
        judged = [verdicts.judged[p][0] for p in now if p in verdicts.judged]
        true = sum(judged)
        known = [p for p, (verdict, _) in verdicts.judged.items() if verdict]
        kept = sum(p in now for p in known)
        removed = sum(1 for p, (v, _) in verdicts.judged.items() if not v and p not in now)
        precision = true / len(judged) if judged else None
        recall = kept / len(known) if known else None
        failed |= precision is None or precision < args.target or kept < len(known)
        print(
            f"| {rule} | {len(now)} | {len(judged)} | {true} | {len(judged) - true} "
            f"| {_percent(precision)} | {_percent(recall)} ({kept}/{len(known)}) | {removed} |"
        )
    slips = seed_slips(args.style)
    print(f'seed article: {slips} of {len(SEED_SLIPS)} "a email" slips found')
    return 1 if failed or slips < len(SEED_SLIPS) else 0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


if __name__ == "__main__":
    sys.exit(main())
