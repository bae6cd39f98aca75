"""Loading input files: YAML, JSON or CSV in; plain data and a way back to file positions out.

Every value keeps its place in the file: ``Document.locate(pointer)`` gives the 1-based line and
column of the value at a pointer (a tuple of mapping keys and list indexes), so every error and
finding can point at the source.
"""

from kb_lint.load.document import Document, Pointer, Position
from kb_lint.load.read import load_document, load_text

__all__ = ["Document", "Pointer", "Position", "load_document", "load_text"]
