"""`kb-lint docs export DIR`: the site's pages as Markdown files, for any static site generator."""

from __future__ import annotations

from kb_lint.docs.export import export_pages
from kb_lint.docs.simulated import simulator
from kb_lint.docs.sources import collect


def test_export_writes_the_same_pages_the_plugin_builds(kb_lint, project, tmp_path):
    out = tmp_path / "pages"
    result = kb_lint("docs", "export", out, cwd=project)
    assert result.returncode == 0, result.stderr
    docs = project / "docs"
    expected = export_pages(collect(project / "rules", docs / "articles", docs, simulator()))
    written = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.md")}
    assert written == expected
    assert "rules/kb105-001.md" in written
    assert "| Simulated | Agree |" in written["packs/kb105/outcomes.md"]
    articles = [page for page in written if page.startswith("articles/")]
    assert articles and all("kb-lint-badge" in written[page] for page in articles)
    assert f"wrote {len(written)} pages to {out}" in result.stdout


def test_export_refuses_to_overwrite_the_articles(kb_lint, project):
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    result = kb_lint("docs", "export", "docs", cwd=project)
    assert result.returncode == 2
    assert "export would overwrite the article itself" in result.stderr
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*.md")} == before
    assert not (project / "docs" / "rules").exists()


def test_export_reports_bad_input_with_its_position(kb_lint, project, tmp_path):
    missing = kb_lint("docs", "export", tmp_path / "out", "--articles", "nowhere", cwd=project)
    assert missing.returncode == 2
    assert missing.stderr.startswith("kb-lint: nowhere:1:1: articles folder not found")
    pack = project / "rules" / "kb-105" / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("where: enabled", "where: enabled and", 1))
    broken = kb_lint("docs", "export", tmp_path / "out", cwd=project)
    assert broken.returncode == 2
    assert "pack.yaml:" in broken.stderr and "Traceback" not in broken.stderr
