"""Where rule packs come from: the packs that ship with kb-lint, those installed Python
packages publish, and a folder of the user's.

A team publishes its packs as a wheel whose package holds ``<name>/pack.yaml`` folders and
declares it in the ``kb_lint.packs`` entry-point group (``[project.entry-points."kb_lint.packs"]
acme = "acme_kb_packs"``). With no folder named, a run loads the shipped packs, every installed
group member, and the configured folder when it exists; a pack id found twice is taken from the
most local place (the folder, then an installed package, then the shipped copy). A folder named
on the command line (``--rules``) is the whole set.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from kb_lint.errors import InputError, shown_path
from kb_lint.load import Document
from kb_lint.pack.declared import PACK_FILE, SHIPPED, declared, read_packs
from kb_lint.pack.load import agreeing, compile_packs, load_packs, sharing_declarations
from kb_lint.pack.model import RulePack

GROUP = "kb_lint.packs"


def shipped() -> Path:
    """The folder of the packs that ship with kb-lint (rules/ of the source tree), its links
    resolved: in a checkout ``kb_lint/packs`` links to ``rules``, and errors and findings name
    the file the user edits there."""
    return SHIPPED


def installed() -> list[tuple[str, Path]]:
    """Each ``kb_lint.packs`` entry point: its label and the folder of its package."""
    from importlib import metadata  # only when installed packs are looked for: 20 ms to import

    found = []
    for point in metadata.entry_points(group=GROUP):
        try:
            module = importlib.import_module(point.value)
        except ImportError as exc:
            raise InputError(point.value, 1, 1, f"entry point {point.name}: {exc}") from None
        dist = f" ({point.dist.name} {point.dist.version})" if point.dist else ""
        found.append((f"installed: {point.name}{dist}", Path(next(iter(module.__path__)))))
    return found


def rule_set(
    explicit: Path | None, configured: Path | None, broken: list[InputError] | None = None
) -> list[RulePack]:
    """The packs of a run: ``explicit`` alone when given; else the shipped, installed and
    ``configured`` packs, the most local copy of each id. No pack at all is an input error."""
    if explicit is not None:
        packs = _labelled(load_packs(explicit, broken), f"folder: {explicit}")
        if not packs and not broken:
            raise InputError(str(explicit), 1, 1, f"no rule pack found (no */{PACK_FILE} here)")
        return packs
    places = [(f"shipped: {shown_path(shipped())}", shipped()), *installed()]
    if configured is not None and configured.is_dir():
        places.append((f"folder: {configured}", configured))
    read: list[tuple[str, list[Document]]] = []
    seen: set[Path] = set()
    for label, folder in places:
        if folder.resolve() not in seen:
            seen.add(folder.resolve())
            read.append((label, read_packs(folder, broken)))
    # a pack names the actions and fields of every pack of the run, from whichever place
    together = declared(doc for _, docs in read for doc in docs)
    by_id: dict[str, RulePack] = {}
    for label, docs in read:
        for pack in _labelled(agreeing(compile_packs(docs, together, broken), broken), label):
            by_id[pack.id] = pack
    if not by_id and not broken:
        where = configured or shipped()
        raise InputError(str(where), 1, 1, f"no rule pack found (no */{PACK_FILE} here)")
    # packs from different places must agree on shared fields and actions too
    return sharing_declarations(sorted(by_id.values(), key=lambda p: p.id), broken)


def _labelled(packs: list[RulePack], origin: str) -> list[RulePack]:
    return [replace(pack, origin=origin) for pack in packs]


def loaded_beside(pack: RulePack, path: str | Path) -> tuple[RulePack, ...]:
    """``pack`` and the other packs of the rules folder its file ``path`` is in, as a run
    loading that folder loads them beside it (a pack checked alone, in an editor or a test
    run, reads its examples with their fields and actions); those that do not load are left
    out. Packs that disagree on a shared field are an input error, as in that run."""
    others = load_packs(Path(path).parent.parent, [])
    return (pack, *(p for p in others if p.id != pack.id))
