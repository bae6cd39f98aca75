"""F3: a field's ``default`` is a value of its type, refused at the default when it is not,
worded as the deployment loader words the same value in a deployment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
FIELDS = "fields:\n  instance:\n"


def with_field(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of pack KB519 (its article beside it) with ``old`` made ``new``."""
    shutil.copytree(ROOT / "rules/kb-519", tmp_path / "rules/kb-519")
    shutil.copytree(ROOT / "docs/articles", tmp_path / "docs/articles")
    path = tmp_path / "rules/kb-519/pack.yaml"
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    return path


def place(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("field", "needle", "message"),
    [
        (
            "    stopped: {type: date, default: 31/08/2015, description: A day.}\n",
            "31/08",
            """'stopped' must be a date (YYYY-MM-DD), not "31/08/2015\"""",
        ),
        (
            "    seats: {type: integer, default: ten, description: Seats.}\n",
            "ten,",
            """'seats' must be an integer, not a string ("ten")""",
        ),
        (
            "    plan: {type: enum, values: [trial, paid], default: trail, description: Plan.}\n",
            "trail,",
            """'plan' must be one of trial, paid, not "trail" (did you mean 'trial'?)""",
        ),
        (
            "    kinds: {type: list, values: [a, b], default: [a, c], description: Kinds.}\n",
            "[a, c]",
            """item 2 of 'kinds' must be one of a, b, not "c\"""",
        ),
    ],
    ids=["date", "integer", "enum", "list"],
)
def test_a_default_not_of_the_fields_type_is_refused_at_it(tmp_path, field, needle, message):
    path = with_field(tmp_path, FIELDS, FIELDS + field)
    with pytest.raises(InputError) as caught:
        load_pack(path)
    assert (caught.value.line, caught.value.column) == place(path, needle)
    assert caught.value.message == message


def test_rules_check_reports_the_default_not_every_deployment(tmp_path, kb_lint):
    field = "    stopped: {type: date, default: 31/08/2015, description: A day.}\n"
    path = with_field(tmp_path, FIELDS, FIELDS + field)
    proc = kb_lint("rules", "check", "--rules", tmp_path / "rules", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    line, column = place(path, "31/08")
    assert f"pack.yaml:{line}:{column}: KB-RULES-010 error 'stopped' must be a date" in proc.stdout
