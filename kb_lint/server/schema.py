"""What the deployment schema says about a field: its description, type, allowed values and
default, found by walking the schema along the field's pointer (``$ref``, ``items``,
``properties`` and the branches of ``anyOf`` / ``oneOf`` / ``allOf``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kb_lint.load import Pointer


def describe_field(schema: dict[str, Any], pointer: Pointer) -> str | None:
    """Markdown for the field at ``pointer``; None when the schema does not know it."""
    node = _walk(schema, schema, pointer)
    if node is None:
        return None
    parts = [f"**`{pointer[-1]}`** ({_type(schema, node)})"]
    if node.get("description"):
        parts.append(node["description"])
    allowed = _enum(schema, node)
    if allowed:
        parts.append("One of " + ", ".join(f"`{value}`" for value in allowed) + ".")
    if "default" in node:
        parts.append(f"Default: `{json.dumps(node['default'])}`.")
    return "\n\n".join(parts)


def _walk(root: dict[str, Any], node: dict[str, Any], pointer: Pointer) -> dict[str, Any] | None:
    if not pointer:
        return node
    part, rest = pointer[0], pointer[1:]
    for branch in _branches(root, node):
        if isinstance(part, int):
            child = branch.get("items")
        else:
            child = branch.get("properties", {}).get(part)
        if isinstance(child, dict):
            found = _walk(root, _resolve(root, child), rest)
            if found is not None:
                return found
    return None


def _branches(root: dict[str, Any], node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The node and, depth first, every schema its ``anyOf``, ``oneOf`` or ``allOf`` allows."""
    node = _resolve(root, node)
    yield node
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key, ()):
            yield from _branches(root, branch)


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _type(root: dict[str, Any], node: dict[str, Any]) -> str:
    types = []
    for branch in _branches(root, node):
        kind = branch.get("type")
        if kind is None and branch.get("enum"):
            kind = sorted({_JSON_TYPES.get(type(v), "any") for v in branch["enum"]})
        if kind == "array" and isinstance(branch.get("items"), dict):
            kind = f"list of {_type(root, branch['items'])}"
        for name in kind if isinstance(kind, list) else [kind] if kind else []:
            if name not in types:
                types.append(name)
    return " or ".join(types) or "any"


def _enum(root: dict[str, Any], node: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    for branch in _branches(root, node):
        found.extend(v for v in branch.get("enum", ()) if v not in found)
        items = branch.get("items")
        if isinstance(items, dict):
            found.extend(v for v in _enum(root, items) if v not in found)
    return found
