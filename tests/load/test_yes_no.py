"""An unquoted ``yes``/``no``/``on``/``off`` on a boolean field, in a deployment, a scenario or a
timeline event, is refused at its line and column with a message that names the field and says
to write ``true`` or ``false`` (item 4 of the KB 651 trial: the generic YAML 1.1 hint named
neither)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, one_error

DEPLOYMENT = ROOT / "rules/kb-1508/examples/contact-folder-option-change.yaml"
SCENARIO = ROOT / "examples/scenarios/sync-all-items.yaml"


@pytest.mark.parametrize(
    ("source", "written", "command", "field", "word", "reads"),
    [
        (
            DEPLOYMENT,
            "separate_contact_folder: false\n",
            "check",
            "separate_contact_folder",
            "no",
            "false",
        ),
        (
            DEPLOYMENT,
            "separate_contact_folder: true}",
            "check",
            "separate_contact_folder",
            "on",
            "true",
        ),
        (SCENARIO, "sync_all_items: true", "simulate", "sync_all_items", "Yes", "true"),
    ],
    ids=["deployment", "timeline event", "scenario"],
)
def test_a_yaml_1_1_boolean_names_its_field_and_the_spelling(
    kb_lint, tmp_path: Path, source, written, command, field, word, reads
):
    text = source.read_text("utf-8")
    assert text.count(written) == 1
    changed = written.replace(f": {reads}", f": {word}")
    path = tmp_path / source.name
    path.write_text(text.replace(written, changed), "utf-8")
    line = one_error(kb_lint(command, path))
    at = _place(path.read_text("utf-8"), changed)
    assert line == (
        f"kb-lint: {path}:{at}: '{field}' is given {word}, which YAML 1.1 reads as {reads}: "
        f'write {field}: {reads} (a boolean is true or false), or "{word}" in quotes for the text'
    )


def _place(text: str, written: str) -> str:
    """line:column of the value in ``written`` (after its ``: ``) within ``text``."""
    offset = text.index(written) + written.index(": ") + 2
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - text.rfind(chr(10), 0, offset)}"
