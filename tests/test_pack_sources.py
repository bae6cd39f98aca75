"""Where packs come from: shipped with kb-lint, published by installed packages, a folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kb_lint.guide import TOPICS

ROOT = Path(__file__).resolve().parents[1]


def test_outside_the_repository_the_shipped_packs_are_found(kb_lint, tmp_path):
    deployment = tmp_path / "deployment.yaml"
    shutil.copy(ROOT / "rules/kb-105/examples/two-instances-same-names.yaml", deployment)
    run = kb_lint("check", "deployment.yaml", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "KB105-001 error" in run.stdout
    listed = kb_lint("rules", "list", cwd=tmp_path)
    assert listed.returncode == 0
    assert "KB105" in listed.stdout and "shipped" in listed.stdout


def test_an_installed_package_adds_its_packs_through_the_entry_point(kb_lint, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests/packs/kb-900", site / "acme_packs/kb-900")
    (site / "acme_packs/__init__.py").write_text("")
    info = site / "acme_packs-2.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-packs\nVersion: 2.1.0\n")
    (info / "entry_points.txt").write_text("[kb_lint.packs]\nacme = acme_packs\n")
    listed = kb_lint("rules", "list", cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)})
    assert listed.returncode == 0, listed.stderr
    line = next(row for row in listed.stdout.splitlines() if row.startswith("KB900"))
    assert "installed: acme (acme-packs 2.1.0)" in line
    assert "KB105" in listed.stdout


def test_a_folder_without_packs_is_an_input_error(kb_lint, tmp_path):
    (tmp_path / "empty").mkdir()
    run = kb_lint("rules", "list", "--rules", "empty", cwd=tmp_path)
    assert run.returncode == 2
    assert "no rule pack found" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow
def test_the_wheel_ships_every_pack_of_rules(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, ROOT],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("kb_lint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in sorted((ROOT / "rules").glob("*/pack.yaml")):
        shipped = f"kb_lint/packs/{pack.parent.name}"
        assert f"{shipped}/pack.yaml" in names
        for example in pack.parent.glob("examples/*"):
            assert f"{shipped}/examples/{example.name}" in names
    for topic, page in TOPICS.items():  # `kb-lint explain TOPIC` reads them installed
        assert f"kb_lint/guides/{page}" in names, topic


def test_explain_prints_each_guide(kb_lint):
    for topic, page in TOPICS.items():
        proc = kb_lint("explain", topic)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == (ROOT / "docs" / page).read_text(encoding="utf-8")
