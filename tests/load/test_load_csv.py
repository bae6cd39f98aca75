"""CSV of assignments: rows become instances and policies, and every value keeps its cell."""

from __future__ import annotations

import pytest

from kb_lint.errors import InputError
from kb_lint.load import load_text

TEXT = """\
instance,kind,policy,email,crm_user,category,sync_all_items,data_types
riva-cloud,cloud,Trial,ann@acme.example,ann@acme.example,My Sync (Cloud),no,contacts;leads
onprem,on-premise,Sales,ann@acme.example,ann@acme.example,,yes,
riva-cloud,cloud,Trial,"Bob, Jr@acme.example",bob@acme.example,,,

onprem,on-premise,Sales,bob@acme.example,bob@acme.example,,,
"""


def test_rows_become_instances_with_their_policies_and_users():
    doc = load_text("a.csv", TEXT)
    assert doc.data == {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [
                    {
                        "name": "Trial",
                        "category": "My Sync (Cloud)",
                        "sync_all_items": False,
                        "data_types": ["contacts", "leads"],
                        "users": [
                            {"email": "ann@acme.example", "crm_user": "ann@acme.example"},
                            {"email": "Bob, Jr@acme.example", "crm_user": "bob@acme.example"},
                        ],
                    }
                ],
            },
            {
                "name": "onprem",
                "kind": "on-premise",
                "policies": [
                    {
                        "name": "Sales",
                        "sync_all_items": True,
                        "users": [
                            {"email": "ann@acme.example", "crm_user": "ann@acme.example"},
                            {"email": "bob@acme.example", "crm_user": "bob@acme.example"},
                        ],
                    }
                ],
            },
        ]
    }


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        (("instances", 0, "policies", 0, "users", 1), (4, 1)),
        (("instances", 0, "policies", 0, "users", 1, "crm_user"), (4, 47)),
        (("instances", 1, "policies", 0, "users", 1, "email"), (6, 25)),
        (("instances", 1, "policies", 0, "sync_all_items"), (3, 60)),
        (("instances", 0, "policies", 0, "name"), (2, 18)),
        (("instances", 1, "kind"), (3, 8)),
        (("instances", 1, "name"), (3, 1)),
    ],
)
def test_values_are_located_at_their_cell(pointer, where):
    assert load_text("a.csv", TEXT).locate(pointer) == where


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("instance,kind,policy,email\n", (1, 1), "missing column crm_user"),
        ("instance,kind,policy,email,crm_user,catgory\n", (1, 37), "did you mean 'category'?"),
        (
            "instance,kind,policy,email,crm_user\na,cloud,P,x,y\na,on-premise,P,z,w\n",
            (3, 3),
            "kind 'on-premise' differs from the value on line 2",
        ),
        (
            "instance,kind,policy,email,crm_user\na,cloud,P,x\n",
            (2, 1),
            "row has 4 cells, the header 5",
        ),
        ('instance,kind,policy,email,crm_user\na,cloud,P,"x,y\n', (2, 1), "unexpected end of data"),
        ("instance,kind,policy,email,crm_user,email\n", (1, 37), "column 'email' is given twice"),
        (
            'instance,kind,policy,email,crm_user\na,cloud,P,"x\ny",z\na,\ton-premise,P,u,v\n',
            (4, 3),
            "kind 'on-premise' differs from the value on line 2",
        ),
    ],
)
def test_bad_csv_is_one_error_with_its_position(text, where, message):
    with pytest.raises(InputError) as caught:
        load_text("a.csv", text)
    assert (caught.value.line, caught.value.column) == where
    assert message in caught.value.message


def test_names_are_trimmed_and_a_line_separator_is_just_a_character():
    text = "instance,kind,policy,email,crm_user\na,cloud,P,x\u2028y,z\n a ,cloud, P ,u,v\n"
    [instance] = load_text("a.csv", text).data["instances"]
    [policy] = instance["policies"]
    assert (instance["name"], policy["name"]) == ("a", "P")
    assert [u["email"] for u in policy["users"]] == ["x\u2028y", "u"]
