"""A binding rule reading a user's own fields is decided once per signature of those values,
and still fires at exactly the rows whose values break it (KB519-001 on ``address_book``)."""

from __future__ import annotations

import json

import pytest

MIXED = ["empty", "has-crm-contacts", "unknown", "has-crm-contacts", "empty"] * 40


@pytest.mark.parametrize(
    "books",
    [MIXED, ["has-crm-contacts"] * 50, ["unknown"] * 50],
    ids=["one column varies", "every row breaks it", "no row breaks it"],
)
def test_a_user_field_rule_fires_at_each_row_that_breaks_it_and_no_other(kb_lint, tmp_path, books):
    users = [
        {"email": f"u{i}@acme.example", "crm_user": f"u{i}@acme.example", "address_book": book}
        for i, book in enumerate(books)
    ]
    deployment = {
        "instances": [
            {
                "name": "onprem",
                "kind": "on-premise",
                "policies": [{"name": "Sales", "users": users}],
            }
        ]
    }
    path = tmp_path / "deployment.json"
    path.write_text(json.dumps(deployment, indent=1), encoding="utf-8")
    proc = kb_lint("check", path, "--select", "KB519-001", "--format", "json")
    found = json.loads(proc.stdout)["findings"]
    flagged = sorted(f["subject"]["email"] for f in found)
    assert flagged == sorted(
        f"u{i}@acme.example" for i, book in enumerate(books) if book == "has-crm-contacts"
    )
    assert len({f["line"] for f in found}) == len(found)  # each at its own user
