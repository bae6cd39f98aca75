"""Fuzzing every input kb-lint reads: deployments (YAML, JSON, CSV), the config, a house style,
a rule pack and an article, over raw bytes and over edits of valid files.

Whatever the input, ``kb-lint`` exits 0, 1 or 2; on 2 it prints exactly one line naming the
file, a line and a column; it never prints a traceback (an internal error would exit 3); and
each run ends within the Hypothesis deadline. The runs are in-process (``kb_lint.cli.main``)
so that a few hundred of them take seconds; ``tests/cli`` runs the same CLI as a subprocess.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_lint.cli import main
from tests.conftest import ROOT

RULES = ROOT / "rules"
DEPLOYMENT = ROOT / "examples" / "deployment.yaml"
ARTICLE = ROOT / "docs" / "articles" / "kb-105-do-not-run-riva-twice.md"
CSV = (
    "instance,kind,policy,email,crm_user,category,sync_all_items\n"
    "riva-cloud,cloud,Trial,ann@acme.example,ann@acme.example,Riva,false\n"
    "onprem-1,on-premise,Sales,ann@acme.example,ann@acme.example,Riva,yes\n"
)
CONFIG = (
    'rules = "rules"\nselect = ["KB105"]\nignore = ["KB105-002"]\n'
    '[per-file-ignores]\n"staging/*.yaml" = ["KB105-005"]\n'
    '[[waivers]]\nrule = "KB105-001"\nsubject = "ann.lee@acme.example"\n'
    'reason = "trial ends Friday"\nowner = "it-ops"\nexpires = 2026-12-04\n'
)
ONE_ERROR = re.compile(  # an error: one line, at its file, line and column
    r"kb-lint: .+:\d+:\d+: \S.*"
)
FUZZ = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters that matter to the parsers, and a few that should not.
SPECIAL = st.sampled_from(
    [*"\n\r\t :-,[]{}\"'#&*!|>%@`\\", "\x00", "\x07", "\u2028", "é", "\ufeff", "- ", "  "]
)
TEXT = st.one_of(SPECIAL, st.text(max_size=4), st.sampled_from(["yes", "NO", "1e400", "~", "<<"]))


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few characters inserted, deleted or replaced: near-valid input."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(TEXT) + text[at + cut :]
    return text


def pointers(value: object, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from pointers(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from pointers(item, (*prefix, index))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def replaced(draw: st.DrawFn, data: dict) -> dict:
    """``data`` with the value at one pointer replaced by any JSON value: valid syntax, wrong
    structure."""
    data = json.loads(json.dumps(data, default=str))
    target = draw(st.sampled_from(list(pointers(data))[1:]))
    holder = data
    for part in target[:-1]:
        holder = holder[part]
    holder[target[-1]] = draw(JSON_VALUES)
    return data


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    """A fresh working folder (Hypothesis examples cannot share pytest's tmp_path)."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as name:
        os.chdir(name)
        try:
            yield Path(name)
        finally:
            os.chdir(here)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def assert_well_behaved(code: int, out: str, err: str, name: str) -> None:
    assert code in (0, 1, 2), err
    assert "Traceback" not in out + err
    if code == 2:  # one line per error (a pack's schema errors all at once), each at its place
        lines = [x for x in err.splitlines() if not x.startswith("kb-lint: note:")]
        assert lines, err
        for line in lines:
            assert ONE_ERROR.fullmatch(line), line
            assert name in line, line


def check_file(name: str, content: str | bytes, *args: str) -> None:
    with folder() as here:
        path = here / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        assert_well_behaved(*run("check", "--rules", RULES, name, *args), name)


# -- deployments ---------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["d.yaml", "d.json", "d.csv"]))
def test_deployment_bytes(content, name):
    check_file(name, content)


@FUZZ
@given(edited(DEPLOYMENT.read_text()))
def test_edited_yaml_deployment(text):
    check_file("d.yaml", text)


VALID = yaml.safe_load(DEPLOYMENT.read_text())


@FUZZ
@given(edited(json.dumps(VALID, default=str, indent=1)))
def test_edited_json_deployment(text):
    check_file("d.json", text)


@FUZZ
@given(edited(CSV))
def test_edited_csv_deployment(text):
    check_file("d.csv", text)


@FUZZ
@given(replaced(VALID), st.sampled_from(["yaml", "json"]))
def test_deployment_with_a_value_of_any_type(data, fmt):
    text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data)
    check_file(f"d.{fmt}", text)


# -- config --------------------------------------------------------------------------------


def check_with_config(config: str | bytes) -> None:
    with folder() as here:
        shutil.copytree(RULES, here / "rules")
        shutil.copy(DEPLOYMENT, here / "d.yaml")
        path = here / "kb-lint.toml"
        path.write_bytes(config if isinstance(config, bytes) else config.encode("utf-8"))
        assert_well_behaved(*run("check", "d.yaml"), "kb-lint.toml")


@FUZZ
@given(st.binary(max_size=300))
def test_config_bytes(content):
    check_with_config(content)


@FUZZ
@given(edited(CONFIG))
def test_edited_config(text):
    check_with_config(text)


TOML_VALUES = st.recursive(
    st.booleans()
    | st.integers(-5, 3000)
    | st.text(max_size=8)
    | st.dates().map(lambda d: d.isoformat())
    | st.just("10:00:00"),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=4,
)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d", value):
        return value  # a TOML date or time
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["rules", "select", "ignore", "articles", "style", "styles", "x"]),
        TOML_VALUES,
        max_size=3,
    ),
    st.lists(
        st.dictionaries(
            st.sampled_from(["rule", "reason", "path", "subject", "owner", "expires", "y"]),
            TOML_VALUES,
            max_size=5,
        ),
        max_size=2,
    ),
)
def test_config_keys_of_any_type(keys, waivers):
    lines = [f"{key} = {toml_value(value)}" for key, value in keys.items()]
    for waiver in waivers:
        lines.append("[[waivers]]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in waiver.items())
    check_with_config("\n".join(lines) + "\n")


# -- a house style, a rule pack, an article --------------------------------------------------

STYLE = ROOT / "kb_lint" / "styles" / "riva"
STYLE_FILES = sorted(p.name for p in (STYLE / "rules").glob("*.yaml"))


@FUZZ
@given(st.sampled_from(STYLE_FILES), st.data())
def test_edited_style_rule(name, data):
    original = (STYLE / "rules" / name).read_text()
    text = data.draw(edited(original))
    with folder() as here:
        shutil.copytree(STYLE, here / "style")
        (here / "style" / "rules" / name).write_text(text, encoding="utf-8", newline="")
        shutil.copy(ARTICLE, here / "a.md")
        result = run("articles", "a.md", "--style", "style", "--rules", RULES)
        assert_well_behaved(*result, "")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        # found by test_edited_style_rule: an internal error comparing a length with a string
        (
            "minItems: 1",
            "minItems: :1",
            "'minItems' must be a whole number, 0 or more, not a string (\":1\")",
        ),
        ("minItems: 1", "minItems: -1", "'minItems' must be a whole number, 0 or more"),
        # a keyword the validator does not read is refused, never a check silently skipped
        ("minItems: 1", "const: [x]", "'const' is not a keyword kb-lint checks"),
        ("minItems: 1", "maxItems: 3", "'maxItems' is not a keyword kb-lint checks"),
        (
            "revision: {type: integer, minimum: 1}",
            "revision: {type: integer, minimum: one}",
            "'minimum' must be a number, not a string (\"one\")",
        ),
    ],
)
def test_a_style_rule_schema_bound_of_the_wrong_type_is_refused(old, new, said):
    original = (STYLE / "rules" / "metadata-types.yaml").read_text()
    assert original.count(old) == 1
    with folder() as here:
        shutil.copytree(STYLE, here / "style")
        rule = here / "style" / "rules" / "metadata-types.yaml"
        rule.write_text(original.replace(old, new), encoding="utf-8")
        shutil.copy(ARTICLE, here / "a.md")
        code, out, err = run("articles", "a.md", "--style", "style", "--rules", RULES)
        assert code == 2, out + err
        assert "metadata-types.yaml:" in err and said in err, err
        assert_well_behaved(code, out, err, "metadata-types.yaml")


PACK = (RULES / "kb-105" / "pack.yaml").read_text()


@FUZZ
@given(edited(PACK))
def test_edited_pack(text):
    with folder() as here:
        shutil.copytree(RULES, here / "rules")
        (here / "rules" / "kb-105" / "pack.yaml").write_text(text, encoding="utf-8", newline="")
        result = run("check", "--rules", "rules", DEPLOYMENT)
        assert_well_behaved(*result, "pack.yaml")


@FUZZ
@given(st.one_of(st.binary(max_size=400), edited(ARTICLE.read_text()[:1500])))
def test_article_bytes_and_edits(content):
    with folder() as here:
        path = here / "a.md"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        assert_well_behaved(*run("articles", "a.md", "--rules", RULES), "a.md")
