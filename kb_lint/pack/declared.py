"""The actions the pack files of a run declare, read before any pack compiles, so that each
pack may name the actions of the packs loaded with it (``action == "change-history-filter"``,
a sequence step on another pack's action), and a name no loaded pack declares is told which
shipped pack does. Reading the declarations costs nothing more than the parse each pack's load
does anyway (the parsed files are compiled next); ``actions_beside`` and the shipped packs'
declarations (only on an error) parse their files once more.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from kb_lint.errors import InputError, shown_path
from kb_lint.load import Document, load_document

PACK_FILE = "pack.yaml"
# The packs that ship with kb-lint (rules/ of the source tree), its links resolved: in a
# checkout ``kb_lint/packs`` links to ``rules``, and errors name the file the user edits there.
SHIPPED = Path(__file__).parent.parent.joinpath("packs").resolve()


def read_packs(rules_dir: str | Path, broken: list[InputError] | None = None) -> list[Document]:
    """The pack files under ``rules_dir`` (each ``*/pack.yaml``), parsed, sorted by path; one
    that does not parse is an error (added to ``broken`` when given)."""
    folder = Path(rules_dir)
    if not folder.is_dir():
        raise InputError(str(folder), 1, 1, "rules folder not found")
    docs = []
    for path in sorted(folder.glob(f"*/{PACK_FILE}")):
        try:
            docs.append(load_document(path))
        except InputError as exc:
            if broken is None:
                raise
            broken.extend(getattr(exc, "errors", [exc]))
    return docs


class Declared(NamedTuple):
    """An action as a pack file declares it, read before any pack compiles: its pack's id,
    the pack file, and the event fields it needs."""

    pack: str
    path: str
    needs: tuple[str, ...]


def declared_actions(docs: Iterable[Document]) -> dict[str, Declared]:
    """The actions the parsed pack files declare, by name (the first file's, where two do; a
    file that is not a valid pack says so when it compiles)."""
    found: dict[str, Declared] = {}
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        meta, actions = data.get("pack"), data.get("actions")
        pack = meta.get("id") if isinstance(meta, dict) else None
        if not isinstance(pack, str) or not isinstance(actions, list):
            continue
        for spec in actions:
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                needs = spec.get("needs") if isinstance(spec.get("needs"), list) else []
                named = tuple(n for n in needs if isinstance(n, str))
                found.setdefault(spec["name"], Declared(pack, doc.path, named))
    return found


def actions_beside(path: str | Path) -> dict[str, Declared]:
    """The actions of the other packs of the rules folder the pack file ``path`` is in (a pack
    checked on its own, in an editor or a test run, names them as a run loading the folder
    does); a sibling that does not parse declares nothing."""
    own = Path(path).resolve()
    docs = read_packs(own.parent.parent, [])
    return declared_actions(d for d in docs if Path(d.path).resolve() != own)


def shipped_actions() -> dict[str, Declared]:
    """The actions the packs that ship with kb-lint declare (read when a literal names an
    action no loaded pack declares, to say which pack does)."""
    return _shipped_actions(str(SHIPPED))


@cache
def _shipped_actions(folder: str) -> dict[str, Declared]:
    return declared_actions(read_packs(folder, [])) if Path(folder).is_dir() else {}


def unloaded_action(name: str) -> str:
    """What to add to the message of an ``action`` literal no pack loaded with the pack
    declares: the shipped pack that declares it, which must be loaded with it."""
    declared = shipped_actions().get(name)
    if declared is None:
        return ""
    return (
        f"; {declared.pack} declares it ({shown_path(Path(declared.path))}), which is not "
        "loaded with this pack: a pack names the actions of the packs loaded with it (its "
        f"rules folder), so put {declared.pack} beside it"
    )
