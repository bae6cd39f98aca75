"""A computed default (``default_from``) that fails on a deployment's record is an error at the
record, or at the value it read there, naming every value it read: not only at the pack's
expression, which says nothing of the deployment."""

from __future__ import annotations

import pytest

from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

PACK = """\
pack: {id: KB989, article: 989, title: Test, revision: 1, updated: 2024-01-01, version: 0.1.0}
fields:
  instance:
    seats: {type: integer, description: Seats.}
    spare: {type: integer, default_from: seats - 2, description: Spare seats.}
  policy:
    start: {type: string, description: When it started.}
    age: {type: integer, default_from: 'days(start, "2024-01-01")', description: Days since.}
rules: []
"""


@pytest.mark.parametrize(
    ("instance", "policy", "where", "says"),
    [
        (
            "",
            "",
            (2, 5),  # seats is null: the instance, at its name
            "the computed default of 'spare' (seats - 2, {pack}:5:48) fails here: '-' needs two "
            "numbers, got null and an int; it read seats = null",
        ),
        (
            "    seats: 3\n",
            "        start: soon\n",
            (7, 9),  # the value it read
            "the computed default of 'age' (days(start, \"2024-01-01\"), {pack}:8:46) fails "
            'here: days() needs a date (YYYY-MM-DD), got "soon"; it read start = "soon"',
        ),
    ],
)
def test_the_error_is_at_the_deployment_value_it_judged(tmp_path, instance, policy, where, says):
    (tmp_path / "pack.yaml").write_text(PACK, "utf-8")
    pack = load_pack(tmp_path / "pack.yaml")
    deployment = tmp_path / "d.yaml"
    deployment.write_text(
        "instances:\n  - name: a\n    kind: cloud\n"
        f"{instance}    policies:\n      - name: P\n{policy}",
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_deployment(deployment, vocabulary_of([pack]))
    error = caught.value
    assert (error.path, (error.line, error.column)) == (str(deployment), where)
    assert error.message == says.format(pack=tmp_path / "pack.yaml")
