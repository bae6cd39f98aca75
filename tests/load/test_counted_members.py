"""The parser's count of the members of long lists of mappings (``Document.counted``), which
bulk validation takes instead of counting them again: right wherever it is given, and the
validation it spares gives the same data, the same errors and the same ``Read``."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from kb_lint.errors import InputError
from kb_lint.load import json_source, load_text
from kb_lint.load.validate import compile_schema
from tests.load.test_load_json import values
from tests.load.test_load_validate import PACK_USER, SCHEMA, pack_records


def _lists(value: Any) -> list[list[Any]]:
    """Every list in ``value``, at any depth."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            found.append(item)
            stack.extend(item)
    return found


@given(values, st.integers(1, 3))
def test_each_count_is_the_members_of_its_list_of_mappings(value, long):
    text = json.dumps(value)
    with patch.object(json_source, "LONG", long):
        doc = load_text("d.json", text)
    by_id = {id(found): found for found in _lists(doc.data)}
    for key, members in doc.counted.items():
        counted = by_id[key]
        assert len(counted) >= long and all(type(m) is dict for m in counted)
        assert members == sum(map(len, counted))


USERS = {"type": "object", "properties": {"users": {"type": "array", "items": PACK_USER}}}
USERS_SCHEMA = {**SCHEMA, **USERS}


@given(pack_records)
def test_validation_with_the_parser_s_count_is_validation_without(records):
    text = json.dumps({"users": records})
    outcomes = []
    for long in (1, 10**9):  # every list counted; none
        with patch.object(json_source, "LONG", long):
            doc = load_text("d.json", text)
        assert bool(doc.counted) == (long == 1 and bool(records) and "users" in doc.data)
        try:
            data = compile_schema(USERS_SCHEMA).validate(doc)
        except InputError as exc:
            outcomes.append(str(exc))
        else:
            read = [(r.only_required, r.bare, r.lower) for r in doc.read.values()]
            outcomes.append((data, read))
    assert outcomes[0] == outcomes[1]
