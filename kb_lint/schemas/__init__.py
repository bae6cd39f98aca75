"""JSON Schemas for deployment files and rule packs, published for editors."""

from pathlib import Path

FOLDER = Path(__file__).parent


def schema_text(name: str) -> str:
    """The text of the schema file ``name``, read from this package's folder (every check reads
    two: ``importlib.resources`` would cost more to import than the reads)."""
    return (FOLDER / name).read_text("utf-8")
