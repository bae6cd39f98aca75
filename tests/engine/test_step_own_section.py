"""A procedure step whose ``cites`` names another section than its procedure's is shown under
that section, as an item of it (in a finding's ``why`` and on the procedure's page), and keeps
its place among the procedure's steps."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STEP = '        cites: {item: 2, fingerprint: "sha256:7d46442484e66ff1"}'
OWN = (
    '        cites: {section: expected-challenges, item: 1, fingerprint: "sha256:d5b1d06b30d3f9af"}'
)
EXAMPLE = ROOT / "rules" / "kb-105" / "examples" / "migration-out-of-order.yaml"


def rules(tmp_path: Path, cites: str) -> Path:
    """KB105 whose step 2 of KB105-P1 cites ``cites``."""
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "kb-105", folder / "kb-105")
    pack = folder / "kb-105" / "pack.yaml"
    text = pack.read_text("utf-8")
    assert text.count(STEP) == 1
    article = ROOT / "docs" / "articles" / "kb-105-do-not-run-riva-twice.md"
    text = text.replace(
        "source: ../../docs/articles/kb-105-do-not-run-riva-twice.md", f"source: {article}"
    )
    pack.write_text(text.replace(STEP, cites), "utf-8")
    return folder


def test_the_why_names_the_steps_own_section(kb_lint, tmp_path):
    proc = kb_lint("check", "--rules", rules(tmp_path, OWN), EXAMPLE)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        "= why: step 2 of KB105-P1 comes after the change; the estate at the end holds nothing "
        "it would remove (article § expected-challenges, item 1, assumption A8)"
    ) in proc.stdout
    proc = kb_lint("check", "--rules", rules(tmp_path / "as-shipped", STEP), EXAMPLE)
    assert "(article § steps-for-exchange-accounts, step 2, assumption A8)" in proc.stdout


def test_the_procedure_page_links_the_steps_own_section(kb_lint, tmp_path):
    site = tmp_path / "site"
    proc = kb_lint("docs", "export", site, "--rules", rules(tmp_path, OWN), "--no-simulate")
    assert proc.returncode == 0, proc.stderr
    [page] = site.rglob("kb105-p1.md")
    text = page.read_text("utf-8")
    step = text[text.index("**Step 2.**") : text.index("**Step 3")]
    assert "expected-challenges" in step and "item 1" in step, step
    assert "steps-for-exchange-accounts" not in step, step
