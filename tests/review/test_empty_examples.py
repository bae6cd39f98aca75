"""An example deployment that describes nothing (no instance, no timeline entry) is refused as
``kb-lint check`` refuses it: a passing example of it would test nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "cli" / "packs" / "kb-909-action-clash"
NOTHING = "nothing to check: the deployment has no instance and no timeline entry"


def test_an_example_that_describes_nothing_is_no_pass(kb_lint, tmp_path):
    pack = tmp_path / "kb-909-action-clash"
    shutil.copytree(FIXTURE, pack)
    (pack / "examples" / "no-reinit.yaml").write_text("{}\n", "utf-8")
    tested = kb_lint("rules", "test", "--rules", tmp_path, "--format", "json")
    assert tested.returncode == 2, tested.stdout + tested.stderr
    [empty] = [
        e for e in json.loads(tested.stdout)["examples"] if e["file"].endswith("no-reinit.yaml")
    ]
    assert empty["passed"] is False and NOTHING in empty["error"], empty
    checked = kb_lint("rules", "check", "--rules", tmp_path, "--format", "json")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    [finding] = [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "KB-RULES-007"]
    assert (
        f"example no-reinit.yaml of KB909-001: {pack / 'examples' / 'no-reinit.yaml'}:1:1: "
        in (finding["message"])
    )
    assert NOTHING in finding["message"]
