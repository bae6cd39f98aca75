"""A file in a pack's folder that nothing reads (KB-RULES-024): an example no rule lists is
never run by ``rules test``, and a scenario kept beside the pack is never checked."""

from __future__ import annotations

from pathlib import Path

from kb_lint.findings import Finding, Location
from kb_lint.load.walk import folder_entries
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check
from kb_lint.review.impact import DEPLOYMENT_SUFFIXES

UNREAD_FILE = Check(
    id="KB-RULES-024",
    name="unread-file",
    severity="warning",
    what="A deployment, timeline or scenario file (YAML, JSON, CSV) in a pack's folder that no "
    "rule's `examples` lists (and that is neither the pack nor its sweep grid).",
    why="`rules test` runs only the examples rules list, and `rules check` reads only those: a "
    "file beside them looks tested but is never read, broken or not. (`rules diff` does judge "
    "every file of `examples/`, so an unlisted one can even show a verdict no test holds.)",
    example="rules/kb-653/examples/orphan.yaml        # no rule lists it\n"
    "rules/kb-653/scenarios/enable-first.yaml # nor this\n",
    fix="List the file under the rule it shows (`expect: fail`, `pass` or `miss`); a scenario "
    "for `kb-lint simulate` is an example too, in `examples/`. Or move it out of the pack.",
)


def check_unread(source: PackSource) -> list[Finding]:
    pack = source.pack
    folder = pack.path.parent
    grid = pack.simulation.grid if pack.simulation else None
    read = {pack.path.resolve()} | ({grid.resolve()} if grid else set())
    for rule in pack.rules:
        for example in rule.examples:
            read.add(example.file.resolve())
            if example.fixes is not None:
                read.add(example.fixes.resolve())
    return [
        UNREAD_FILE.finding(
            Location(str(Path(source.document.path).parent / path.relative_to(folder)), 1, 1),
            f"no rule of {pack.id} lists {path.relative_to(folder).as_posix()}: "
            "`rules test` never runs it",
        )
        for path in folder_entries(folder)
        if path.suffix in DEPLOYMENT_SUFFIXES and path.is_file() and path.resolve() not in read
    ]
