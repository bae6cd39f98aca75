"""Any Markdown, any bytes: findings or a clear error, never a traceback, and never slow."""

from __future__ import annotations

import time
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_lint.articles.run import lint_file
from kb_lint.articles.style import Style, load_style

ROW = "| " + " | ".join(f"a email {i}" for i in range(20)) + " |\n"
PATHOLOGICAL = {
    "empty": "",
    "only dashes": "---",
    "unclosed front matter": "---\nid: 1\n# T\n",
    "front matter list": "---\n- 1\n- 2\n---\n# T\n",
    "front matter scalar": "---\njust text\n---\n",
    "front matter invalid": "---\nid: [1,\n---\n",
    "front matter alias bomb": "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    + "---\n",
    "front matter deep": "---\nid: " + "[" * 5000 + "]" * 5000 + "\n---\n",
    "huge table": "# T\n\n" + ROW + "|" + " --- |" * 20 + "\n" + ROW * 5000,
    "deep list": "".join("  " * i + "- a email\n" for i in range(1000)),
    "deep ordered list": "## Steps\n\n" + "".join("   " * i + "3. a email\n" for i in range(1000)),
    "deep quote": ">" * 1000 + " a email\n",
    "deep quoted lists": "".join("> " * i + "- x\n" for i in range(1000)),
    "brackets": "[" * 20000 + "a email" + "]" * 20000,
    "emphasis": "*a " * 20000,
    "backticks": "`a email " * 20000,
    "comments": "a <!-- kb-lint disable " * 5000,
    "links": "[a](" * 20000,
    "domains and paths": "a." * 20000 + " a/" * 20000 + " a@" * 20000 + " ~/" * 20000,
    "nul": "# T\0\n\na\0email\n",
    "control characters": "".join(map(chr, range(32))) * 100,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_is_linted_quickly(lint, name):
    """A guard against hangs, not a speed measure (bench/ measures speed): the CPU time of this
    process, which other jobs on a shared machine do not inflate as they do the wall clock."""
    started = time.process_time()
    findings = lint(PATHOLOGICAL[name])
    assert time.process_time() - started < 10, name
    assert all(f.location.line >= 1 and f.location.column >= 1 for f in findings)


def test_front_matter_that_is_not_a_mapping_is_a_finding_with_its_position(lint):
    findings = {f.rule: f for f in lint(PATHOLOGICAL["front matter list"])}
    meta = findings["KB-META-001"]
    assert (meta.location.line, meta.message) == (
        2,
        "the front matter must be a mapping of keys to values, not a list",
    )
    invalid = {f.rule: f for f in lint(PATHOLOGICAL["front matter invalid"])}["KB-META-001"]
    assert invalid.message.startswith("the front matter is not valid: invalid YAML")
    assert invalid.location.line == 3


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_gives_findings_never_an_exception(lint, text):
    for finding in lint(text):
        assert finding.location.line >= 1


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary())
def test_any_bytes_give_findings_never_an_exception(tmp_path, fixture_run, data):
    path = tmp_path / "a.md"
    path.write_bytes(data)
    linted = lint_file(path, fixture_run)
    assert linted.error is None
    assert all(f.location.path == str(path) for f in linted.findings)


WORDY = st.sampled_from(
    [
        "a email ",
        "an user ",
        "A hour ",
        "a MSP ",
        "an URL ",
        "a x86 ",
        "a or ",
        "b, a ",
        "to-do ",
        "Riva On-Prem ",
        "On-Premise ",
        "Groupwise ",
        "GroupWise-based ",
        "the the ",
        "The the, ",
        "the\nthe ",
        "e-mail ",
        "E-mail ",
        "sub calendar ",
        "sub-calendar ",
        "Lost and Found ",
        "lost and found ",
        "Assign To ",
        "assign to ",
        "Assign\nTo ",
        "’the the ",
        "the’ the ",
        "Zoë ",
        "javaſcript ",
        "Javascript ",
        "O365’s ",
        "“e-mail” ",
        "\u00a0",
        "`a email` ",
        "[a e-mail](a.md) ",
        "<b>the the</b> ",
        "data email ",
        "than apple ",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "# ",
        "> ",
        "    ",
        "---\n",
        "é",
        "’",
        ". ",
        ", ",
        "(",
        ")",
        "*",
        "_",
    ]
)


@cache
def _style(name: str) -> Style:
    return load_style(name)


@pytest.mark.parametrize("style", ["riva", "troubleshooting"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.one_of(WORDY, st.text(max_size=6)), max_size=50).map("".join))
def test_the_quick_prechecks_never_hide_a_finding(lint, style, text):
    """The word kinds skip an article when a C-speed test says nothing can match; with the
    tests made to always say "maybe", the findings are the same (troubleshooting's terms
    ignore case)."""
    from unittest import mock

    from kb_lint.articles.kind import Target
    from kb_lint.articles.kinds import words

    house = _style(style)
    quick = [(f.rule, f.location, f.message) for f in lint(text, style=house)]
    with (
        mock.patch.object(Target, "words", property(lambda self: None)),
        mock.patch.object(words.Swaps, "possible", lambda self, target: True),
        mock.patch.object(words, "_may_mismatch", lambda target, sounds: True),
    ):
        slow = [(f.rule, f.location, f.message) for f in lint(text, style=house)]
    assert quick == slow
