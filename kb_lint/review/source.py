"""A loaded rule pack together with its YAML document, so checks can point into the file."""

from __future__ import annotations

from dataclasses import dataclass

from kb_lint.findings import Location
from kb_lint.load import Document, Pointer
from kb_lint.pack.model import RulePack


@dataclass(frozen=True)
class PackSource:
    pack: RulePack
    document: Document

    def at(self, pointer: Pointer) -> Location:
        """The file position of the value at ``pointer`` (keys and list indexes)."""
        line, column = self.document.locate(pointer)
        return Location(self.document.path, line, column)
