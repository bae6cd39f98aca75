"""The actions and enum fields the pack files of a run declare, read before any pack
compiles, so that each pack may name the actions of the packs loaded with it (``action ==
"change-history-filter"``, a sequence step on another pack's action), a field may add values
to another pack's enum (``extends``), and a name no loaded pack declares is told which shipped
pack does. Reading the declarations costs nothing more than the parse each pack's load does
anyway (the parsed files are compiled next); ``beside`` and the shipped packs' declarations
(only on an error) parse their files once more.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from kb_lint.errors import InputError, closest, shown_path
from kb_lint.load import Document, load_document

PACK_FILE = "pack.yaml"
# The packs that ship with kb-lint (rules/ of the source tree), its links resolved: in a
# checkout ``kb_lint/packs`` links to ``rules``, and errors name the file the user edits there.
SHIPPED = Path(__file__).parent.parent.joinpath("packs").resolve()


def read_packs(rules_dir: str | Path, broken: list[InputError] | None = None) -> list[Document]:
    """The pack files under ``rules_dir`` (each ``*/pack.yaml``), parsed, sorted by path; one
    that does not parse, and a folder there without one (``_without_pack``), is an error
    (added to ``broken`` when given)."""
    folder = Path(rules_dir)
    if not folder.is_dir():
        raise InputError(str(folder), 1, 1, "rules folder not found")
    if (folder / PACK_FILE).is_file():
        parent = shown_path(folder.resolve().parent)
        message = (
            f"this is a pack's folder (it holds {PACK_FILE}): name the folder of packs, {parent}"
        )
        raise InputError(shown_path(folder), 0, 0, message)
    docs = []
    for path in sorted(folder.glob(f"*/{PACK_FILE}")):
        try:
            docs.append(load_document(path))
        except InputError as exc:
            if broken is None:
                raise
            broken.extend(getattr(exc, "errors", [exc]))
    for error in _without_pack(folder):
        if broken is None:
            raise error
        broken.append(error)
    return docs


def _without_pack(folder: Path) -> list[InputError]:
    """An error for each folder of the rules folder ``folder`` that looks like a pack's but
    holds no pack file (one not written yet, or misnamed, would be skipped without a word):
    empty, or holding a YAML file or an ``examples`` folder, and no pack folder of its own (a
    folder of packs is not a pack). The error names a file that looks like a misnamed pack
    file. Hidden folders, and those whose name starts with ``_`` (``__pycache__`` in an
    installed package), are not packs. Cost: one listing of each folder without a pack file."""
    errors = []
    for sub in sorted(folder.iterdir()):
        if sub.name.startswith((".", "_")) or not sub.is_dir() or (sub / PACK_FILE).exists():
            continue
        inside = list(sub.iterdir())
        if any((entry / PACK_FILE).is_file() for entry in inside):
            continue  # a folder of packs
        files = [entry.name for entry in inside if entry.is_file()]
        yaml = [name for name in files if name.lower().endswith((".yaml", ".yml"))]
        if inside and not yaml and not (sub / "examples").is_dir():
            continue  # notes, or anything else that is not a pack's
        close = closest(PACK_FILE, files)
        hint = f" (it holds {close}: name it {PACK_FILE})" if close else ""
        message = (
            f"no {PACK_FILE} in this folder{hint}: each folder of a rules folder that holds "
            f"YAML files or examples is a pack, its file named {PACK_FILE}"
        )
        errors.append(InputError(shown_path(sub), 0, 0, message))
    return errors


class Declared(NamedTuple):
    """An action as a pack file declares it, read before any pack compiles: its pack's id,
    the pack file, the event fields it needs, and the parsed file (whose declarations of those
    fields the packs loaded with it read)."""

    pack: str
    path: str
    needs: tuple[str, ...]
    document: Document


class DeclaredField(NamedTuple):
    """An enum field as a pack file declares it (not one that ``extends`` another's): its
    pack's id, the pack file, and its values."""

    pack: str
    path: str
    values: tuple[Any, ...]


class Declarations(NamedTuple):
    """What the pack files loaded together declare, read before any compiles: the actions by
    name, and the enum fields by (scope, name), the first file's where two declare one."""

    actions: dict[str, Declared]
    fields: dict[tuple[str, str], DeclaredField]

    def without(self, pack: str) -> Declarations:
        """Those of the other packs than ``pack``."""
        return Declarations(
            {n: d for n, d in self.actions.items() if d.pack != pack},
            {k: f for k, f in self.fields.items() if f.pack != pack},
        )


NOTHING = Declarations({}, {})


def declared(docs: Iterable[Document]) -> Declarations:
    """The actions and enum fields the parsed pack files declare (a file that is not a valid
    pack says so when it compiles)."""
    found = Declarations({}, {})
    for doc in docs:
        data = doc.data if isinstance(doc.data, dict) else {}
        meta = data.get("pack")
        pack = meta.get("id") if isinstance(meta, dict) else None
        if not isinstance(pack, str):
            continue
        actions = data.get("actions")
        for spec in actions if isinstance(actions, list) else ():
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                needs = spec.get("needs") if isinstance(spec.get("needs"), list) else []
                named = tuple(n for n in needs if isinstance(n, str))
                found.actions.setdefault(spec["name"], Declared(pack, doc.path, named, doc))
        fields = data.get("fields")
        for scope, named in fields.items() if isinstance(fields, dict) else ():
            for name, spec in named.items() if isinstance(named, dict) else ():
                if isinstance(spec, dict) and spec.get("type") == "enum" and "extends" not in spec:
                    values = spec.get("values") if isinstance(spec.get("values"), list) else []
                    field = DeclaredField(pack, doc.path, tuple(values))
                    found.fields.setdefault((scope, name), field)
    return found


def beside(path: str | Path) -> Declarations:
    """What the other packs of the rules folder the pack file ``path`` is in declare (a pack
    checked on its own, in an editor or a test run, names them as a run loading the folder
    does); a sibling that does not parse declares nothing."""
    own = Path(path).resolve()
    docs = read_packs(own.parent.parent, [])
    return declared(d for d in docs if Path(d.path).resolve() != own)


@cache
def shipped() -> Declarations:
    """What the packs that ship with kb-lint declare (read only when a name no loaded pack
    declares is met, to say which shipped pack does)."""
    return declared(read_packs(SHIPPED, [])) if SHIPPED.is_dir() else NOTHING


def unloaded_action(name: str) -> str:
    """What to add to the message of an ``action`` literal no pack loaded with the pack
    declares: the shipped pack that declares it, which must be loaded with it."""
    found = shipped().actions.get(name)
    return "" if found is None else _put_beside(found.pack, found.path)


def unloaded_field(scope: str, name: str, pack: str) -> str:
    """What to add to the message of an ``extends`` of a field no loaded pack declares: that
    the shipped ``pack`` declares it, and must be loaded with it."""
    found = shipped().fields.get((scope, name))
    return "" if found is None or found.pack != pack else _put_beside(found.pack, found.path)


def unloaded_event_field(name: str) -> str:
    """What to add to the message of an event key no pack loaded with the pack declares: the
    shipped pack one of whose actions needs it, which must be loaded with it."""
    for action, found in shipped().actions.items():
        if name in found.needs:
            return _put_beside(found.pack, found.path, f" for its action {action}")
    return ""


def _put_beside(pack: str, path: str, what: str = "") -> str:
    return (
        f"; {pack} declares it{what} ({shown_path(Path(path))}), which is not loaded with this "
        "pack: "
        "a pack names the actions and fields of the packs loaded with it (its rules folder), "
        f"so put {pack} beside it"
    )
