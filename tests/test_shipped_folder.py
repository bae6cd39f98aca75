"""The shipped packs' folder is named with its links resolved: in a checkout ``kb_lint/packs``
links to ``rules``, and an error in a pack names ``rules/...``, the file the user edits."""

from __future__ import annotations

from pathlib import Path

from kb_lint.pack.sources import shipped

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_folder_is_the_checkouts_rules_folder():
    assert shipped() == shipped().resolve()
    if (ROOT / "kb_lint" / "packs").is_symlink():
        assert shipped() == ROOT / "rules"
