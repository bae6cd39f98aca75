"""A step filters the events before its own (``[e in removed.earlier if ...]``): trial 12 P5,
"this user's CRM appointments are deleted" only when THIS user's mailbox was cleared before the
removal, not another user's, through a pack of the tests' own (``filter-pack``, KB992)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import fixture_pack_passes

HERE = Path(__file__).parent / "filter-pack"


def test_the_rule_fires_for_the_cleared_user_only(kb_lint, tmp_path):
    """A real run: the pack's rules check and its examples pass; on clears.yaml only Bob's
    removal (after two clears of his mailbox) is found, not Ann's (after Bob's clears) nor
    Cy's (after a full re-initialization of his), and only Bob's second clear is a repeat;
    kept.yaml, where Bob is kept, passes."""
    shutil.copytree(HERE, tmp_path / "kb-992")
    fixture_pack_passes(kb_lint, tmp_path, 4)
    bad = kb_lint("check", "--rules", tmp_path, HERE / "clears.yaml", "--format", "json")
    assert bad.returncode == 1, bad.stderr
    found = [(f["rule"], f["message"]) for f in json.loads(bad.stdout)["findings"]]
    assert found == [
        (
            "KB992-002",
            "bob@x.example cleared again (1 earlier clear(s) of them, of 1 on cloud)",
        ),
        (
            "KB992-001",
            "bob@x.example removed from cloud after 2 re-initialization(s) of their mailbox, "
            "the last a clear: their CRM appointments and tasks are deleted",
        ),
    ]
    good = kb_lint("check", "--rules", tmp_path, HERE / "kept.yaml")
    assert (good.returncode, good.stdout.strip()) == (0, "All checks passed (1 file)."), good.stdout


def test_a_misspelt_field_inside_a_filter_stops_the_pack_at_its_place(kb_lint, tmp_path):
    pack = (HERE / "pack.yaml").read_text("utf-8")
    assert pack.count("and e.email == removed.email]) > 0") == 1
    (tmp_path / "kb-992").mkdir()
    for name in ("article.md", "clears.yaml", "kept.yaml"):
        shutil.copy(HERE / name, tmp_path / "kb-992" / name)
    (tmp_path / "kb-992/pack.yaml").write_text(
        pack.replace("and e.email == removed.email]) > 0", "and e.mail == removed.email]) > 0"),
        "utf-8",
    )
    refused = kb_lint("check", "--rules", tmp_path, HERE / "clears.yaml")
    assert refused.returncode == 2
    assert "pack.yaml:30:46: unknown key 'mail' of event (did you mean 'email'?)" in (
        refused.stderr
    ), refused.stderr
