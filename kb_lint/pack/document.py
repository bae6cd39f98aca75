"""A loaded rule pack together with its YAML document, so checks can point into the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb_lint.errors import InputError
from kb_lint.findings import Location
from kb_lint.load import Document, Pointer
from kb_lint.pack.declared import declared, read_packs
from kb_lint.pack.load import compile_packs, sharing_declarations
from kb_lint.pack.model import RulePack


@dataclass(frozen=True)
class PackSource:
    """A pack, its document, and the packs loaded beside it (a rule's fingerprint covers the
    fields of theirs that the fields it reads ``refines``)."""

    pack: RulePack
    document: Document
    beside: tuple[RulePack, ...] = ()

    def at(self, pointer: Pointer) -> Location:
        """The file position of the value at ``pointer`` (keys and list indexes)."""
        line, column = self.document.locate(pointer)
        return Location(self.document.path, line, column)


def read_sources(
    rules_dir: str | Path, edited: Document | None = None
) -> tuple[list[PackSource], list[InputError]]:
    """The packs under ``rules_dir`` that load, compiled as every run loads a rules folder
    (``compile_packs``: each naming the others' actions and fields; one declaring one of them
    differently from an earlier pack does not load: ``sharing_declarations``), each with its
    document and the others beside it; and every error of each one that does not load.
    ``edited``, a pack file's text as an editor holds it, is read in place of that file (the
    language server checks it as ``rules check`` does)."""
    errors: list[InputError] = []
    docs = read_packs(rules_dir, errors)
    if edited is not None:
        own = Path(edited.path).resolve()
        errors = [e for e in errors if Path(e.path).resolve() != own]
        kept = [doc for doc in docs if Path(doc.path).resolve() != own]
        docs = sorted([*kept, edited], key=lambda doc: Path(doc.path))
    loaded = tuple(sharing_declarations(compile_packs(docs, declared(docs), errors), errors))
    document = {Path(doc.path): doc for doc in docs}
    return [PackSource(pack, document[pack.path], loaded) for pack in loaded], errors
