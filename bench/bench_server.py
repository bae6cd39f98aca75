"""Benchmark: how long ``kb-lint server`` takes from a change to its diagnostics, for a deployment
of 1,000 assignments and for a long article (the issue's target: within 200 ms).

    .venv/bin/python bench/bench_server.py [--assignments 1000] [--article-lines 2000]
                                           [--edits 40] [--debounce-ms 50] [--seed 15]

A real client (pygls, over stdio, as an editor) opens each document in a workspace whose
config names the project's rule packs, then makes ``--edits`` one-character edits, each after
the diagnostics of the one before have arrived (a writer typing, pausing), and measures from
sending each ``didChange`` to receiving the ``publishDiagnostics`` of that version. The
deployment is bench_check.py's generator (50 instances, two policies each, 1% of the users in a
second instance too), written as YAML; the article is bench_articles.py's generator, its
"Explanation" section grown to ``--article-lines`` lines of paragraphs, lists and tables.

Baseline, in the same run on the same texts: the lint alone, in this process
(``kb_lint.server.lint.lint_document``, what the server runs for a change). What is left of
the best change-to-diagnostics time after the debounce delay and the best lint is the server's
own cost (messages, text sync, conversion to diagnostics); bests are compared because the
medians move with whatever else the machine runs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_articles import Prose, article, bullets, paragraph, table
from bench_check import deployment

from kb_lint.server.lint import Context, lint_document
from kb_lint.server.server import DEFAULT_DELAY_MS

ROOT = Path(__file__).resolve().parent.parent


def long_article(lines: int, seed: int) -> str:
    """An article whose Explanation runs to about ``lines`` lines."""
    prose = Prose(random.Random(seed))
    text = article(prose, 105, 1)
    extra: list[str] = []
    while sum(part.count("\n") + 2 for part in extra) + text.count("\n") < lines:
        extra += [paragraph(prose), bullets(prose), paragraph(prose), table(prose)]
    head, tail = text.split("## Expected Challenges", 1)
    return head + "\n\n".join(extra) + "\n\n## Expected Challenges" + tail


class Timer:
    """Sends edits to one open document and times each until its diagnostics arrive."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.waiting: dict[tuple[str, int], asyncio.Future[int]] = {}

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            future = self.waiting.pop((params.uri, params.version or 0), None)
            if future is not None and not future.done():
                future.set_result(len(params.diagnostics))

    def expect(self, uri: str, version: int) -> asyncio.Future[int]:
        future = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = future
        return future

    async def open(self, uri: str, language: str, text: str) -> tuple[float, int]:
        started = time.perf_counter()
        arrived = self.expect(uri, 1)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
            )
        )
        found = await asyncio.wait_for(arrived, 120)
        return time.perf_counter() - started, found

    async def edits(self, uri: str, text: str, count: int, line: int) -> list[float]:
        """``count`` edits on ``line`` (0-based): a character typed, then deleted, in turn."""
        times = []
        column = len(text.split("\n")[line])
        for version in range(2, count + 2):
            typed = version % 2 == 0
            at = types.Position(line, column)
            end = types.Position(line, column + (0 if typed else 1))
            change = types.TextDocumentContentChangePartial(
                range=types.Range(at, end), text="x" if typed else ""
            )
            arrived = self.expect(uri, version)
            started = time.perf_counter()
            self.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version=version, uri=uri), [change]
                )
            )
            await asyncio.wait_for(arrived, 120)
            times.append(time.perf_counter() - started)
        return times


def lint_alone(folder: Path, path: Path, text: str, repeat: int) -> list[float]:
    """The baseline: the server's lint of ``text``, in this process, after a first warm-up."""
    context = Context.of_folder(folder)
    lint_document(context, path, text)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        lint_document(context, path, text)
        times.append(time.perf_counter() - started)
    return times


async def measure(args: argparse.Namespace, folder: Path, cases: list[tuple]) -> list[tuple]:
    client = LanguageClient("bench", "1")
    timer = Timer(client)
    command = [sys.executable, "-m", "kb_lint", "server", "--debounce-ms", str(args.debounce_ms)]
    await client.start_io(*command)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="bench")],
        )
    )
    client.initialized(types.InitializedParams())
    results = []
    for name, language, path, text, line in cases:
        uri = path.as_uri()
        opened, found = await timer.open(uri, language, text)
        times = await timer.edits(uri, text, args.edits, line)
        results.append((name, text, opened, found, times))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=1000)
    parser.add_argument("--article-lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--debounce-ms", type=int, default=DEFAULT_DELAY_MS)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "kb-lint.toml").write_text(f'rules = "{(ROOT / "rules").as_posix()}"\n')
        plan = yaml.safe_dump(deployment(args.assignments, 0.01, seed=args.seed), sort_keys=False)
        text = long_article(args.article_lines, args.seed)
        # Edit a user's email (the deployment), and a paragraph in the middle (the article).
        plan_line = next(i for i, s in enumerate(plan.split("\n")) if "email:" in s and i > 200)
        middle = len(text.split("\n")) // 2
        article_line = next(i for i, s in enumerate(text.split("\n")) if i > middle and s.strip())
        cases = [
            ("deployment", "yaml", folder / "deploy.yaml", plan, plan_line),
            ("article", "markdown", folder / "kb-105.md", text, article_line),
        ]
        results = asyncio.run(measure(args, folder, cases))
        print(
            f"kb-lint server, {args.edits} edits per document, debounce {args.debounce_ms} ms; "
            "times from didChange to publishDiagnostics"
        )
        header = (
            "| document | size | diagnostics | open | change → diagnostics: best | median | p90 "
            "| max | lint alone (baseline): best | median | server's own (best) |"
        )
        print(header)
        print("| --- " + "| ---: " * 10 + "|")
        for (name, _, path, _, _), (_, text, opened, found, times) in zip(
            cases, results, strict=True
        ):
            alone = lint_alone(folder, path, text, args.edits)
            median = statistics.median(times)
            p90 = statistics.quantiles(times, n=10)[-1]
            own = min(times) - min(alone) - args.debounce_ms / 1000
            size = f"{len(text.split(chr(10))):,} lines, {len(text.encode()) / 1024:.0f} KiB"
            print(
                f"| {name} | {size} | {found} | {ms(opened)} | {ms(min(times))} | {ms(median)} "
                f"| {ms(p90)} | {ms(max(times))} | {ms(min(alone))} | "
                f"{ms(statistics.median(alone))} | {ms(own)} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
