"""Front matter kinds: the block is there and is a mapping; required keys; each key's schema."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kb_lint.articles.fix import Edit
from kb_lint.articles.kind import NO_PARAMS, Fail, Hit, Kind, Target
from kb_lint.errors import InputError, did_you_mean
from kb_lint.load import Document
from kb_lint.load.patterns import Place, place
from kb_lint.load.schema_errors import describe
from kb_lint.load.validate import KEYWORDS, Validator, compile_schema

if TYPE_CHECKING:
    from kb_lint.articles.style import ArticleRule


def _front_matter(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    article = target.article
    meta = article.meta
    if meta is None:
        if article.source.lines[0].rstrip() == "---":
            yield Hit(1, 1, "the front matter is not closed: end it with a line of three dashes")
        else:
            yield Hit(
                1,
                1,
                "the article has no front matter: start it with a YAML block between two lines "
                "of three dashes (---)",
            )
    elif meta.error is not None:
        line, column, message = meta.error
        yield Hit(line, column, f"the front matter is not valid: {message}")
    elif meta.value is None:
        yield Hit(meta.line, 1, "the front matter is empty")
    elif not isinstance(meta.value, dict):
        yield Hit(
            meta.line + 1,
            1,
            f"the front matter must be a mapping of keys to values, not {describe(meta.value)}",
        )


def _required_keys(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    meta = target.article.meta
    if meta is None or not isinstance(meta.value, dict):
        return
    values = meta.value
    for key in rule.params["keys"]:
        if key not in values:
            yield Hit(meta.line, 1, f"the front matter lacks '{key}'", fix=f"add '{key}: ...'")
        elif values[key] is None or values[key] == "":
            line, column = meta.locate((key,))
            yield Hit(line, column, f"'{key}' in the front matter is empty")


class KeySchemas:
    """One validator per key, so that every key's problem is reported, not just the first.

    Validators are closures, which do not pickle: a worker process gets the parameters and
    compiles them again."""

    def __init__(
        self, params: dict[str, Any], fail: Fail, places: dict[str, Place] | None = None
    ) -> None:
        self.params = params
        self.additional: bool = params["additional"]
        self.validators: dict[str, Validator] = {}
        self.places = places or {
            key: place(fail(("properties", key), "")) for key in ("", *params["properties"])
        }
        for key, schema in params["properties"].items():
            try:
                self.validators[key] = compile_schema(
                    {"type": "object", "properties": {key: schema}}, self.places[key]
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise fail(("properties", key), f"bad schema for '{key}': {exc}") from None
        self.all = compile_schema(
            {"type": "object", "properties": params["properties"]}, self.places[""]
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (KeySchemas, (self.params, _unreachable, self.places))


def _unreachable(pointer: Any, message: str, key: bool = False) -> InputError:
    raise AssertionError("the parameters compiled before they were pickled")


def _key_schema(target: Target, rule: ArticleRule) -> Iterator[Hit]:
    meta = target.article.meta
    if meta is None or meta.document is None or not isinstance(meta.value, dict):
        return
    schemas: KeySchemas = rule.prepared
    known = schemas.additional or all(key in schemas.validators for key in meta.value)
    if known and _valid(schemas.all, meta.document):
        return  # the common case, in one pass
    for key in meta.value:
        validator = schemas.validators.get(key)
        if validator is not None:
            try:
                validator.validate(meta.document)
            except InputError as exc:
                edit, fix = _certain_fix(target, key, schemas.params["properties"][key], exc)
                yield Hit(exc.line, exc.column, f"front matter: {exc.message}", edit, fix)
        elif not schemas.additional:
            line, column = meta.locate((key,), key=True)
            hint = _hint(str(key), tuple(schemas.validators))
            yield Hit(line, column, f"unknown front matter key '{key}'{hint}")


def _certain_fix(
    target: Target, key: str, schema: dict[str, Any], error: InputError
) -> tuple[Edit | None, str | None]:
    """The edit for a value the error points at that is one of the schema's allowed values
    misspelt, when that value is certain: the only allowed value close to it, and either
    the same but for case and spaces, a shortening of it, or nearly the same (ratio 0.85)."""
    meta = target.article.meta
    value = meta.value[key] if meta is not None and isinstance(meta.value, dict) else None
    allowed = schema.get("enum") or (schema.get("items") or {}).get("enum") or ()
    found = [((key,), value)] if isinstance(value, str) else []
    if isinstance(value, list):
        found = [((key, i), item) for i, item in enumerate(value) if isinstance(item, str)]
    for pointer, bad in found:
        if meta is None or bad in allowed or meta.locate(pointer) != (error.line, error.column):
            continue
        good = _certain(bad, [str(v) for v in allowed])
        start = target.article.source.offset(error.line, error.column)
        if good is None or target.article.source.text[start : start + len(bad)] != bad:
            return None, None  # quoted or escaped in the file: left to the writer
        return Edit(start, start + len(bad), good), f"Write '{good}' (`--fix` does it)."
    return None, None


def _certain(bad: str, allowed: list[str]) -> str | None:
    close = difflib.get_close_matches(bad, allowed, n=2, cutoff=0.6)
    if len(close) != 1 or YAML_SPECIAL.search(close[0]):
        return None
    good = close[0]
    squeezed = "".join(bad.split()).lower()
    if squeezed == "".join(good.split()).lower() or good.lower().startswith(bad.lower()):
        return good
    return good if difflib.SequenceMatcher(None, bad, good).ratio() >= CERTAIN else None


def _valid(validator: Validator, document: Document) -> bool:
    try:
        validator.validate(document)
    except InputError:
        return False
    return True


FRONT_MATTER = Kind(
    name="front-matter",
    summary="The article starts with a YAML front matter block that loads as a mapping.",
    params=NO_PARAMS,
    check=_front_matter,
)
REQUIRED_KEYS = Kind(
    name="required-keys",
    summary="The front matter has each of `keys`, with a value.",
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["keys"],
        "properties": {"keys": {"type": "array", "minItems": 1, "items": {"type": "string"}}},
    },
    check=_required_keys,
)
KEY_SCHEMA = Kind(
    name="key-schema",
    summary="Each front matter key in `properties` matches its JSON Schema; with "
    "`additional: false`, no other key is allowed. The schema's keywords: "
    + ", ".join(f"`{k}`" for k in sorted(KEYWORDS, key=str.lower))
    + " (`format`: `date` or `email`), besides `description`, `title` and other annotations;"
    " any other keyword is an error where it is written.",
    params={
        "type": "object",
        "additionalProperties": False,
        "required": ["properties"],
        "properties": {
            "properties": {"type": "object", "additionalProperties": {"type": "object"}},
            "additional": {"type": "boolean", "default": True},
        },
    },
    check=_key_schema,
    prepare=KeySchemas,
    fixable=True,
)


CERTAIN = 0.85  # how alike a misspelt value and its only close allowed value must be to fix it
YAML_SPECIAL = re.compile(r"[,\[\]{}:#&*!|>'\"%@`]")


@lru_cache(maxsize=4096)
def _hint(key: str, known: tuple[str, ...]) -> str:
    """``did_you_mean`` for an unknown key; a corpus repeats its keys in every article."""
    return did_you_mean(key, known)
