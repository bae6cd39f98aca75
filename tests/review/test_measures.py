"""F13: a pack's ``simulation.measures`` names only what the model measures (KB-RULES-023),
at the entry, naming the model's measures; the outcome pages and ``simulate`` then treat the
refused name as not measured."""

from __future__ import annotations

import shutil

from review_fixtures import PACKS

from kb_lint.review import review_packs
from kb_lint.simulate.measures import MEASURES, unmeasurable

MEASURED = "simulation:\n  model: riva-sync\n  measures: [sync_errors, held_twice]\n"


def model_copy(tmp_path):
    """The valid fixture pack measured by riva-sync, with an outcome the model never shows."""
    for folder in ("valid", "examples", "articles"):
        shutil.copytree(PACKS / folder, tmp_path / ("packs" if folder == "valid" else folder))
    pack = tmp_path / "packs" / "kb-990" / "pack.yaml"
    text = pack.read_text("utf-8")
    text = text[: text.index("simulation:\n")] + MEASURED  # the last key of the pack
    text = text.replace(
        "outcomes:\n", "outcomes:\n  held_twice: {type: list, merge: union, default: []}\n"
    )
    pack.write_text(text, "utf-8")
    return pack


def test_a_measure_the_model_never_shows_is_an_error_at_the_entry(tmp_path, kb_lint):
    pack = model_copy(tmp_path)
    line = pack.read_text("utf-8").splitlines().index("  measures: [sync_errors, held_twice]") + 1
    found = [f for f in review_packs(tmp_path / "packs").findings if f.rule == "KB-RULES-023"]
    assert [(f.location.line, f.location.column) for f in found] == [(line, 27)]
    assert found[0].message == (
        "riva-sync does not measure 'held_twice'; it measures " + ", ".join(MEASURES)
    )
    proc = kb_lint("rules", "check", "--rules", tmp_path / "packs")
    assert proc.returncode == 1, proc.stderr
    assert f"kb-990/pack.yaml:{line}:27: KB-RULES-023 error riva-sync does not measure" in (
        proc.stdout
    )


def test_a_measure_of_another_type_is_refused_too():
    assert unmeasurable("mailbox_copies", "boolean") == (
        "riva-sync measures 'mailbox_copies' as a integer, not a boolean"
    )
    assert unmeasurable("mailbox_copies", "integer") is None


def test_the_pack_format_reference_lists_every_measure(kb_lint):
    printed = kb_lint("explain", "pack-format")
    assert printed.returncode == 0, printed.stderr
    table = printed.stdout.split("## What riva-sync measures")[1]
    for measure in MEASURES.values():
        assert f"| `{measure.name}` | {measure.type} | {measure.mechanism} |" in table
