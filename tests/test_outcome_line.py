"""The text report's ``= outcome:`` line says what the rule predicts (the fields its table,
``outcome`` or procedure sets), not another field's default; the JSON report keeps every
boolean and integer field, at its default where the rule says nothing (trial 7 #10)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PACK = Path(__file__).parent / "timeline" / "packs" / "kb-963-upgrade"
CYCLES = """  cycles:
    type: integer
    merge: max
    default: 1
    describe: the sync cycles a backlog takes at least
"""


def test_the_outcome_line_leaves_out_a_default_the_rule_does_not_predict(kb_lint, tmp_path):
    folder = tmp_path / "rules" / PACK.name
    shutil.copytree(PACK, folder)
    pack = folder / "pack.yaml"
    text = pack.read_text("utf-8")
    pack.write_text(text.replace("outcomes:\n", "outcomes:\n" + CYCLES, 1), "utf-8")
    example = folder / "examples" / "ignored.yaml"
    shown = kb_lint("check", "--rules", tmp_path / "rules", example)
    assert shown.returncode == 1, shown.stderr
    [line] = [x for x in shown.stdout.splitlines() if x.startswith("  = outcome:")]
    assert line == "  = outcome: cap ignored"
    report = kb_lint("check", "--rules", tmp_path / "rules", example, "--format", "json")
    [finding] = json.loads(report.stdout)["findings"]
    assert finding["outcome"] == {"cap_ignored": True, "cycles": 1}
