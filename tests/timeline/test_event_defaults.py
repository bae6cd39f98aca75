"""F2: an event field's ``default_from`` is evaluated over the event's own keys (``at``,
``policy``, the pack's other event fields), with the rules of every other record: a value
outside an enum's values is an error at the field, in the pack."""

from __future__ import annotations

import shutil
from pathlib import Path

PACK = Path(__file__).resolve().parents[1] / "packs" / "kb-902-sequence"
FIELDS = """  event:
    noted:
      type: date
      default_from: at
      description: The day the change was noted, the event's own date unless it says another.
    how:
      type: enum
      values: [moved, renamed]
      default_from: HOW
      description: Whether the user moved policies or was renamed.
"""
MESSAGE = '"{added.email} re-added for CRM user {added.crm_user}, removed as {removed.email}"'


def pack_with(tmp_path: Path, how: str) -> Path:
    """Pack KB902 with two computed event fields, its rule's message reading them."""
    folder = tmp_path / "rules" / PACK.name
    shutil.copytree(PACK, folder)
    path = folder / "pack.yaml"
    text = path.read_text("utf-8").replace("  event:\n", FIELDS.replace("HOW", how), 1)
    shown = MESSAGE[:-1] + ' ({added.how}, noted {added.noted})"'
    path.write_text(text.replace(MESSAGE, shown), "utf-8")
    return folder


def test_an_event_field_default_from_reads_the_event(tmp_path, kb_lint):
    folder = pack_with(tmp_path, """'"moved" if policy == "Support" else "renamed"'""")
    example = folder / "examples" / "remove-then-add.yaml"
    proc = kb_lint("check", example, "--rules", folder.parent, "--select", "KB902-002")
    assert proc.returncode == 1, proc.stderr
    assert "removed as old@example.com (moved, noted 2024-03-01)" in proc.stdout
    given = example.read_text("utf-8").replace("policy: Support,", "policy: Support, how: renamed,")
    example.write_text(given, "utf-8")  # a value the event gives wins
    proc = kb_lint("check", example, "--rules", folder.parent, "--select", "KB902-002")
    assert "(renamed, noted 2024-03-01)" in proc.stdout


def test_an_event_default_outside_the_enum_is_an_error_at_the_field(tmp_path, kb_lint):
    folder = pack_with(tmp_path, "policy")
    example = folder / "examples" / "remove-then-add.yaml"
    proc = kb_lint("check", example, "--rules", folder.parent)
    assert proc.returncode == 2, proc.stderr
    lines = (folder / "pack.yaml").read_text("utf-8").splitlines()
    line = lines.index("    how:") + 2  # the field's mapping, as for a policy field
    assert f"pack.yaml:{line}:7: default_from of 'how' gave 'Sales', not one of moved, renamed" in (
        proc.stderr + proc.stdout
    )
