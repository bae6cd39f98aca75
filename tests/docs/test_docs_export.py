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


def test_export_never_overwrites_a_file_it_did_not_write(kb_lint, project, tmp_path):
    """A folder holding a file no export wrote is refused, the file named, nothing written;
    a folder an earlier export made (its .kb-lint-export lists the pages) is written again,
    its pages that the site no longer has removed."""
    out = tmp_path / "pages"
    (out / "rules").mkdir(parents=True)
    (out / "rules" / "index.md").write_text("my own notes\n", encoding="utf-8")
    refused = kb_lint("docs", "export", out, cwd=project)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"kb-lint: {out / 'rules' / 'index.md'}:1:1: not written by an earlier kb-lint docs "
        f"export (not listed in {out / '.kb-lint-export'}), so not overwritten: export into a new "
        "or empty folder\n"
    )
    assert {p.relative_to(out).as_posix() for p in out.rglob("*")} == {"rules", "rules/index.md"}
    assert (out / "rules" / "index.md").read_text(encoding="utf-8") == "my own notes\n"

    (out / "rules" / "index.md").unlink()
    first = kb_lint("docs", "export", out, cwd=project)
    assert first.returncode == 0, first.stderr
    marker = (out / ".kb-lint-export").read_text(encoding="utf-8").splitlines()
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert marker[1:] == written and "rules/index.md" in written
    with (out / ".kb-lint-export").open("a", encoding="utf-8") as listed:
        listed.write("rules/gone.md\n")  # a page an earlier export wrote, which the site lost
    (out / "rules" / "gone.md").write_text("old page\n", encoding="utf-8")
    again = kb_lint("docs", "export", out, cwd=project)
    assert again.returncode == 0, again.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == written

    (out / "mine.md").write_text("mine\n", encoding="utf-8")
    added = kb_lint("docs", "export", out, cwd=project)
    assert added.returncode == 2
    assert f"{out / 'mine.md'}:1:1: not written by an earlier kb-lint docs export" in added.stderr
    assert (out / "mine.md").read_text(encoding="utf-8") == "mine\n"
