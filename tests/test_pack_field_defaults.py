"""F3: a field's ``default`` is a value of its type, refused at the default when it is not,
worded as the deployment loader words the same value in a deployment."""

from __future__ import annotations

import pytest

from kb_lint.errors import InputError
from kb_lint.pack import load_pack
from tests.conftest import place, shipped_copy

FIELDS = "fields:\n  instance:\n"


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
            "'trail' is not a value of 'plan' (trial, paid); did you mean 'trial'?",
        ),
        (
            "    kinds: {type: list, values: [a, b], default: [a, c], description: Kinds.}\n",
            "[a, c]",
            "'c' is not a value of item 2 of 'kinds' (a, b)",
        ),
    ],
    ids=["date", "integer", "enum", "list"],
)
def test_a_default_not_of_the_fields_type_is_refused_at_it(tmp_path, field, needle, message):
    path = shipped_copy(tmp_path, "kb-519", (FIELDS, FIELDS + field))
    with pytest.raises(InputError) as caught:
        load_pack(path)
    assert (caught.value.line, caught.value.column) == place(path, needle)
    assert caught.value.message == message


def test_rules_check_reports_the_default_not_every_deployment(tmp_path, kb_lint):
    field = "    stopped: {type: date, default: 31/08/2015, description: A day.}\n"
    path = shipped_copy(tmp_path, "kb-519", (FIELDS, FIELDS + field))
    proc = kb_lint("rules", "check", "--rules", tmp_path / "rules", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    line, column = place(path, "31/08")
    assert f"pack.yaml:{line}:{column}: KB-RULES-010 error 'stopped' must be a date" in proc.stdout
