"""Schema validation: one message at the right place, defaults filled in, bulk equals exact."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb_lint.errors import InputError
from kb_lint.load import load_text
from kb_lint.load.schema_bulk import bulk_check
from kb_lint.load.schema_errors import SchemaError
from kb_lint.load.validate import Compiler, compile_schema

SCHEMA = json.loads(
    resources.files("kb_lint.schemas").joinpath("deployment.schema.json").read_text("utf-8")
)
VALIDATOR = compile_schema(SCHEMA)

POLICY = "instances:\n  - name: cloud\n    kind: cloud\n    policies:\n      - name: Trial\n"


def validate(text: str):
    return VALIDATOR.validate(load_text("d.yaml", text))


def test_defaults_are_filled_in():
    [policy] = validate(POLICY)["instances"][0]["policies"]
    assert policy == {
        "name": "Trial",
        "enabled": True,
        "saved": True,
        "email_system": "exchange",
        "category": "CRM",
        "folders": {},
        "sync_all_items": False,
        "data_types": ["contacts", "leads", "appointments", "tasks"],
        "users": [],
    }


@pytest.mark.parametrize(
    ("extra", "where", "message"),
    [
        (
            "        sync_al_items: true\n",
            (6, 9),
            "unknown key 'sync_al_items' in policy (did you mean 'sync_all_items'?)",
        ),
        ("        enabled: 1\n", (6, 18), "'enabled' must be a boolean, not an integer (1)"),
        (
            "        email_system: exchang\n",
            (6, 23),
            "'exchang' is not a value of 'email_system' (exchange, groupwise, google); "
            "did you mean 'exchange'?",
        ),
        (  # no hint to quote it: "5" is not on the list either
            "        email_system: 5\n",
            (6, 23),
            "'email_system' must be one of exchange, groupwise, google, not an integer (5)",
        ),
        (
            "        data_types: [contacts, notes]\n",
            (6, 32),
            "'notes' is not a value of item 2 of 'data_types' (contacts,",
        ),
        ("        users: [{email: a@b}]\n", (6, 17), "user needs 'crm_user'"),
        (
            "        users: [{email: a@b, crm_user: 7}]\n",
            (6, 40),
            "'crm_user' must be a string, not an integer (7)",
        ),
        ("        folders: CRM\n", (6, 18), "'folders' must be a mapping, not a string (\"CRM\")"),
    ],
)
def test_each_problem_is_one_message_at_its_place(extra, where, message):
    with pytest.raises(InputError) as caught:
        validate(POLICY + extra)
    assert (caught.value.line, caught.value.column) == where
    assert message in caught.value.message


@pytest.mark.parametrize(("written", "hint"), [("5", False), ("true", False)])
def test_quotes_are_suggested_only_for_a_text_on_the_list(written, hint):
    with pytest.raises(InputError) as caught:
        validate(POLICY + f"        email_system: {written}\n")
    assert ("in quotes" in caught.value.message) is hint


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        (
            "{at: 2024-02-30, action: add-user}",
            "'at' must be a date (YYYY-MM-DD), not \"2024-02-30\"",
        ),
        ("{cycle: -1, action: add-user}", "'cycle' must be at least 0, not -1"),
        (
            "{action: remove-riva-data, what: 3}",
            "'what' must be a string or list, not an integer (3)",
        ),
        ("{action: remove-riva-data, what: []}", "'what' needs at least 1 item"),
        (
            "{action: remove-riva-data, what: [items, cats]}",
            "'cats' is not a value of item 2 of 'what' (all,",
        ),
        ("{at: 2024-01-01}", "timeline entry needs 'action'"),
    ],
)
def test_timeline_entries_are_checked(event, problem):
    with pytest.raises(InputError) as caught:
        validate(f"timeline:\n  - {event}\n")
    assert problem in caught.value.message


def test_what_takes_a_word_or_a_list_of_words():
    """Left out, ``what`` stays out of the data (the model reads it as all), so that a ``what``
    on another action is known to be written, and refused (``check_required``)."""
    timeline = validate(
        "timeline:\n  - {action: remove-riva-data, what: [items, folders]}\n"
        "  - {action: remove-riva-data}\n"
    )["timeline"]
    assert [event.get("what") for event in timeline] == [["items", "folders"], None]


def test_the_file_must_be_a_mapping():
    with pytest.raises(InputError, match="the file must be a mapping, not a list"):
        validate("- a\n")


USER = SCHEMA["$defs"]["user"]
records = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"email": st.text(max_size=3), "crm_user": st.text(max_size=3)},
            optional={"extra": st.integers()},
        ),
        st.fixed_dictionaries(
            {"email": st.one_of(st.none(), st.integers()), "crm_user": st.text()}
        ),
        st.dictionaries(
            st.sampled_from(["email", "crm_user", "x"]), st.one_of(st.none(), st.text(max_size=2))
        ),
        st.integers(),
    ),
    max_size=6,
)


@given(records)
def test_the_bulk_check_accepts_exactly_what_the_item_by_item_check_accepts(value):
    compiler = Compiler(SCHEMA)
    bulk = bulk_check(compiler.resolve(USER))
    item = compiler.compile(USER, "user")
    try:
        for index, record in enumerate(value):
            item(record, ("users", index))
        exact = True
    except SchemaError:
        exact = False
    assert bulk(value) == exact


addresses = st.lists(
    st.fixed_dictionaries(
        {
            "email": st.text(alphabet="a@ .\t\n\xad\u200b\ue000", max_size=6),
            "crm_user": st.just("c"),
        }
    ),
    max_size=5,
)


@given(addresses)
def test_addresses_in_bulk_are_judged_as_one_by_one(value):
    """The bulk test of addresses (printable, one ``@`` between text) agrees with the regex
    each address meets, spaces around it, private-use and invisible characters included."""
    compiler = Compiler(SCHEMA)
    item = compiler.compile(USER, "user")
    try:
        for index, record in enumerate(value):
            item(record, ("users", index))
        exact = True
    except SchemaError:
        exact = False
    assert bulk_check(compiler.resolve(USER))(value) == exact


# A user record as a pack extends it: an optional enum with a default (KB519's address book).
PACK_USER = {
    **USER,
    "properties": {
        **USER["properties"],
        "book": {"enum": ["unknown", "empty", 1], "default": "unknown"},
        "score": {"type": "integer", "default": 0},
    },
}
pack_records = st.lists(
    st.fixed_dictionaries(
        {"email": st.sampled_from(["a@b", "", " a@b", "a@@b", "é@b"]), "crm_user": st.just("c")},
        optional={
            "book": st.sampled_from(["unknown", "empty", "other", 1, True, 1.0, None]),
            "score": st.one_of(st.integers(), st.booleans(), st.text(max_size=1)),
            "x": st.just(1),
        },
    ),
    max_size=5,
)


@given(pack_records)
def test_optional_fields_in_bulk_are_judged_and_filled_as_one_by_one(value):
    compiler = Compiler(SCHEMA)
    item = compiler.compile(PACK_USER, "user")
    try:
        exact = [item(record, ("users", index)) for index, record in enumerate(value)]
    except SchemaError:
        exact = None
    records = [dict(record) for record in value]
    assert bulk_check(compiler.resolve(PACK_USER))(records) == (exact is not None)
    if exact is not None:
        assert records == exact


@pytest.mark.parametrize(
    ("schema", "said"),
    [
        ({"const": 1}, "'const' is not a keyword kb-lint checks"),
        ({"type": "array", "maxItems": 2}, "'maxItems' is not a keyword kb-lint checks"),
        ({"type": "string", "minLenght": 2}, "'minLenght' is not a keyword kb-lint checks"),
        ({"type": "string", "format": "uri"}, "'format' must be one of date, email, not"),
        ({"properties": {"a": {"uniqueItems": True}}}, "'uniqueItems' is not a keyword"),
    ],
)
def test_a_keyword_the_compiler_would_skip_is_refused(schema, said):
    with pytest.raises(ValueError, match=said):
        compile_schema(schema)


def test_every_keyword_of_the_published_schemas_is_read():
    for name in ("deployment.schema.json", "rulepack.schema.json"):
        schema = json.loads(resources.files("kb_lint.schemas").joinpath(name).read_text())
        compile_schema(schema)  # refuses a keyword it would not read


def test_a_mapping_with_fewer_keys_than_min_properties_is_refused():
    validator = compile_schema({"type": "object", "minProperties": 1})
    with pytest.raises(InputError, match="must have a key, not 0"):
        validator.validate(load_text("x.json", "{}"))
    validator.validate(load_text("x.json", '{"a": 1}'))
