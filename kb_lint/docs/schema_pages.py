"""A file format's reference page, generated from its JSON Schema: every object, each field with
its type, whether it is required, its default, an example value and its description.

``schema_reference`` is the one function: the site feeds it the deployment schema (deployments
and simulation scenarios share it) and the rule-pack schema (``pack_format``, which ``kb-lint
explain pack-format`` prints too). It walks the root object, then each ``$defs`` entry the root
reaches, in order of first reference: linear in the size of the schema.
"""

from __future__ import annotations

import json
from typing import Any

from kb_lint.docs.escape import code, link, table, text, title
from kb_lint.pack.load import pack_schema
from kb_lint.simulate.measures import MODEL
from kb_lint.simulate.measures import reference as measures_reference

DEFS = "#/$defs/"


def schema_reference(schema: dict[str, Any], heading: str, intro: str = "") -> str:
    """The Markdown reference page of the format ``schema`` describes."""
    parts = [f"# {title(heading)}"]
    if schema.get("description"):
        parts.append(text(schema["description"]))
    if intro:
        parts.append(intro)
    defs = schema.get("$defs", {})
    for name in _reached(schema, defs):
        spec = schema if name is None else defs[name]
        label = "The file" if name is None else _def_title(name, spec)
        parts.append(f"## {text(label)} {{#{_anchor(name)}}}")
        if name is not None and spec.get("description"):
            parts.append(text(spec["description"]))
        if "properties" in spec:
            parts.append(_fields(spec))
            if spec.get("additionalProperties") is False:
                parts.append("Any other key is an error (with a suggestion when it is a typo).")
        else:
            parts.append(f"One of: {_type(spec)}.")
    return "\n\n".join(parts) + "\n"


def _reached(schema: dict[str, Any], defs: dict[str, Any]) -> list[str | None]:
    """The root (None), then the definitions it reaches, in order of first reference."""
    order: list[str | None] = [None]
    queue: list[Any] = [schema.get("properties", {})]
    while queue:
        for ref in _refs(queue.pop(0)):
            if ref in defs and ref not in order:
                order.append(ref)
                queue.append(defs[ref])
    return order


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"].removeprefix(DEFS)] if "$ref" in value else []
        return found + [r for k, v in value.items() if k != "$defs" for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def _fields(spec: dict[str, Any]) -> str:
    rows = [
        [
            code(name),
            _type(field),
            "yes" if required else "",
            _json(field["default"]) if "default" in field else "",
            _example(field),
            text(field.get("description", "")),
        ]
        for name, field, required in _flattened(spec)
    ]
    return table(["Field", "Type", "Required", "Default", "Example", "What it is"], rows)


def _flattened(spec: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any], bool]]:
    """Each field of an object, then the fields of its inline objects under dotted names
    (``folders.root``; ``records[].type`` for a list of inline objects)."""
    required = set(spec.get("required", ()))
    out = []
    for name, field in spec.get("properties", {}).items():
        path = f"{prefix}{name}"
        out.append((path, field, name in required))
        if "properties" in field:
            out += _flattened(field, f"{path}.")
        items = field.get("items", {})
        if field.get("type") == "array" and "properties" in items:
            out += _flattened(items, f"{path}[].")
    return out


def _type(field: dict[str, Any]) -> str:
    """A field's type in words, with links to the definitions it uses."""
    if "$ref" in field:
        name = field["$ref"].removeprefix(DEFS)
        return link(text(name), f"#{_anchor(name)}")
    if "enum" in field:
        return "one of " + ", ".join(_json(v) for v in field["enum"])
    if "anyOf" in field:
        return " or ".join(_type(option) for option in field["anyOf"])
    kind = field.get("type", "any value")
    if kind == "array":
        items = field.get("items")
        return f"list of {_type(items)}" if items else "list"
    if kind == "object" and "properties" in field:
        return "object (fields below)"
    if kind == "object" and isinstance(field.get("additionalProperties"), dict):
        return f"map of names to {_type(field['additionalProperties'])}"
    if isinstance(kind, list):
        return " or ".join(text(k) for k in kind)
    bounds = f" ≥ {field['minimum']}" if "minimum" in field else ""
    formatted = f" ({text(field['format'])})" if "format" in field else ""
    return f"{text(kind)}{bounds}{formatted}"


def _example(field: dict[str, Any]) -> str:
    """The schema's own example, else, for a field without a default, its first allowed
    value: never the default again (the Default column shows it)."""
    examples = [e for e in field.get("examples", ()) if e != field.get("default")]
    if examples:
        return _json(examples[0])
    if field.get("enum") and "default" not in field:
        return _json(field["enum"][0])
    return ""


def _json(value: Any) -> str:
    return code(json.dumps(value, ensure_ascii=False))


def _def_title(name: str, spec: dict[str, Any]) -> str:
    return str(spec.get("title") or name).capitalize()


def _anchor(name: str | None) -> str:
    return "file" if name is None else f"def-{name}"


PACK_INTRO = (
    "A rule pack is a folder in rules/ with a pack.yaml and its example deployments; the "
    "authoring guide (kb-lint explain authoring) walks through writing one. This is every key "
    "of pack.yaml, generated from the schema kb-lint loads packs with "
    "(kb&#95;lint/schemas/rulepack.schema.json); `kb-lint explain pack-format` prints it."
)


def pack_format() -> str:
    """The reference of ``pack.yaml``, key by key, from the schema kb-lint loads packs with;
    then what ``simulation.measures`` may name, from the simulator's own table."""
    measures = f"## What {MODEL} measures {{#measures}}\n\n{measures_reference()}"
    return schema_reference(pack_schema(), "Rule pack files", PACK_INTRO) + "\n" + measures
