"""No silent no-op in the pack language: every key of the pack schema is read, or refused.

The walk lists every key the rule-pack schema allows (``rulepack.schema.json``, through its
``$defs``), as a path such as ``tables.[].rows.[].says``. The pack in ``tests/every_key`` writes
each of them, at a value other than its default. For each key, the test removes it wherever it
is written and compares what kb-lint does with the pack and without the key: loading it (or
the error), ``rules check``'s findings, the findings of every example, and every page of the
site the pack renders to and the deployment schema its fields add. A key whose
removal changes none of these would be a key the author writes for nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from kb_lint.docs.render import render_site
from kb_lint.docs.sources import collect
from kb_lint.errors import InputError
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.review import review_packs

EVERY_KEY = Path(__file__).parent / "every_key"
PACK = EVERY_KEY / "kb-990"
Path_ = tuple[str, ...]


def schema_paths() -> list[Path_]:
    """Every key path of the pack schema: ``[]`` for a list's items, ``*`` for a map's values."""
    schema = json.loads(
        resources.files("kb_lint.schemas").joinpath("rulepack.schema.json").read_text("utf-8")
    )
    found: set[Path_] = set()

    def walk(node: dict[str, Any], path: Path_, refs: tuple[str, ...]) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in refs:
                walk(schema["$defs"][name], path, (*refs, name))
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, path, refs)
        for key, sub in node.get("properties", {}).items():
            found.add((*path, key))
            walk(sub, (*path, key), refs)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], (*path, "*"), refs)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "[]"), refs)

    walk(schema, (), ())
    return sorted(found)


def without(data: Any, path: Path_) -> tuple[Any, int]:
    """``data`` with the key at ``path`` removed wherever it is written; and how often it was."""
    head, *rest = path
    if head == "[]" and isinstance(data, list):
        parts = [without(item, tuple(rest)) for item in data]
        return [p for p, _ in parts], sum(n for _, n in parts)
    if head == "*" and isinstance(data, dict):
        parts = {k: without(v, tuple(rest)) for k, v in data.items()}
        return {k: p for k, (p, _) in parts.items()}, sum(n for _, n in parts.values())
    if not isinstance(data, dict) or head not in data:
        return data, 0
    if not rest:
        return {k: v for k, v in data.items() if k != head}, 1
    inner, count = without(data[head], tuple(rest))
    return {**data, head: inner}, count


POSITION = re.compile(r"(\.yaml|\.md):\d+(:\d+)?|line \d+|#L\d+")


def behaviour(folder: Path, tmp: Path) -> Iterator[str]:
    """What kb-lint does with the packs under ``folder``, without file positions: the review,
    then the site; made lazily, so that a comparison stops at the first difference."""
    try:
        review = [f"{f.rule} {f.message}" for f in review_packs(folder).findings]
        yield POSITION.sub("", json.dumps(review))
        yield json.dumps(vocabulary_of(load_packs(folder)).schema(), sort_keys=True)
        pages = render_site(collect(folder, None, tmp, styles=()))
        yield POSITION.sub("", json.dumps(pages, sort_keys=True))
    except InputError as error:
        yield f"refused: {error.message}"


def written(tmp: Path, name: str, data: Any) -> Path:
    """A copy of the every-key packs' folder whose KB990 pack.yaml is ``data`` (KB991, the
    pack its fields refine and extend, beside it)."""
    folder = tmp / name
    shutil.copytree(PACK, folder / PACK.name)
    shutil.copytree(EVERY_KEY / "kb-991", folder / "kb-991")
    (folder / PACK.name / "pack.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


@cache
def original() -> Any:
    return yaml.safe_load((PACK / "pack.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> list[str]:
    tmp = tmp_path_factory.mktemp("baseline")
    return list(behaviour(written(tmp, "with", original()), tmp))


def test_the_walk_finds_the_keys_of_every_section():
    paths = {".".join(p) for p in schema_paths()}
    for key in ("rules.[].predict", "tables.[].subject", "claims.[].where", "fields.policy.*.unit"):
        assert key in paths


def test_the_every_key_pack_loads_and_only_its_planted_example_fails(baseline):
    review, _, _ = baseline
    failing = [f for f in json.loads(review) if f.startswith("KB-RULES-007")]
    assert failing == [
        "KB-RULES-007 example trial-long.yaml of KB990-002: outcome copies: expected 3, got 2"
    ]


@pytest.mark.parametrize("path", schema_paths(), ids=".".join)
def test_each_key_is_read_or_refused(path: Path_, baseline: str, tmp_path: Path):
    data, count = without(original(), path)
    assert count, f"tests/every_key/kb-990/pack.yaml does not write {'.'.join(path)}: add it"
    changed = behaviour(written(tmp_path, "without", data), tmp_path)
    differs = any(new != old for new, old in zip(changed, baseline, strict=False))
    assert differs, f"removing {'.'.join(path)} changes nothing kb-lint does"
