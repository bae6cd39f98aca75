"""The docs build reads a rules folder's packs as `rules check` and `rules test` do (trial 11
P6): a pack whose examples name another pack's action and instance field (KB976, beside
KB1508's ``change-history-filter`` and ``plan``) builds with `mkdocs build --strict`, its
examples checked with the folder's vocabulary; alone, the build stops at the name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitecopy import ROOT, mkdocs_build

KB976 = ROOT / "tests" / "other-actions" / "kb-976"
MKDOCS = "site_name: other actions\nplugins:\n  - kb-lint:\n      rules: rules\n"


def project(tmp_path: Path, *shipped: str) -> Path:
    """A small site: KB976 and the shipped packs named in its rules folder, no articles."""
    root = tmp_path / "project"
    shutil.copytree(KB976, root / "rules" / "kb-976")
    for pack in shipped:
        shutil.copytree(ROOT / "rules" / pack, root / "rules" / pack)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Rules\n", "utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, "utf-8")
    return root


@pytest.mark.slow
def test_a_pack_example_naming_another_packs_action_builds_strictly(kb_lint, tmp_path):
    root = project(tmp_path, "kb-1508")
    tested = kb_lint("rules", "test", "--rules", root / "rules")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    site = tmp_path / "site"
    built = mkdocs_build(root, site)
    assert built.returncode == 0, built.stderr
    page = (site / "rules" / "kb976-002" / "index.html").read_text("utf-8")
    assert "action: change-history-filter, instance: cloud-eu" in page
    assert "Support of cloud-eu is changed on 2026-12-01 after a backup of cloud only" in page


@pytest.mark.slow
def test_alone_the_build_stops_at_the_name_as_rules_check_does(kb_lint, tmp_path):
    root = project(tmp_path)
    built = mkdocs_build(root, tmp_path / "site")
    assert built.returncode == 1, built.stderr
    pack = root / "rules" / "kb-976" / "pack.yaml"
    assert f"kb-lint: {pack}:" in built.stderr
    assert "KB1508 declares it" in built.stderr and "Traceback" not in built.stderr
