"""The environment the expression tests evaluate in, and two ways to evaluate."""

from __future__ import annotations

from typing import Any

import pytest

from kb_lint.errors import InputError
from kb_lint.expr import compile_expr

BINDINGS = [
    {
        "instance": "cloud-1",
        "category": "Riva",
        "sync_all_items": False,
        "data_types": ["contacts", "tasks"],
    },
    {"instance": "onprem-1", "category": "Riva", "sync_all_items": True, "data_types": ["tasks"]},
    {
        "instance": "onprem-2",
        "category": "CRM",
        "sync_all_items": False,
        "data_types": ["tasks", "leads"],
    },
]
ENV = {
    "policy": {"enabled": True, "sync_all_items": False},
    "bindings": BINDINGS,
    "instance": {"kind": "cloud"},
    "email": "A@B.com",
    "step": {"action": "remove-user"},
    "n": 3,
    "s": "Hello",
    "nothing": None,
    "items": [1, 2, 3],
    "nested": {"a": {"b": [10, 20]}},
}


def ev(source: str, env: dict[str, Any] | None = None) -> Any:
    return compile_expr(source)(ENV if env is None else env)


def error_of(source: str, env: dict[str, Any] | None = None, **where: Any) -> str:
    """The ``path:line:col: message`` of the InputError that compiling or evaluating raises."""
    with pytest.raises(InputError) as caught:
        compile_expr(source, **where)(ENV if env is None else env)
    return str(caught.value)
