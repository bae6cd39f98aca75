"""Inline suppressions: their scopes, prefixes, and what a bad one is."""

from __future__ import annotations

import pytest

SLIP = "It is a email.\n"
WORDS = ("KB-STYLE", "KB-SUPPRESS")


def rules(lint, body: str) -> list[tuple[str, int]]:
    text = "# T\n\n" + body
    return [(f.rule, f.location.line) for f in lint(text) if f.rule.startswith(WORDS)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a range, closed by enable: the slip after it is reported again
        (
            "<!-- kb-lint disable KB-STYLE-002: quoted -->\n\n"
            + SLIP
            + "\n<!-- kb-lint enable KB-STYLE-002 -->\n\n"
            + SLIP,
            [("KB-STYLE-002", 9)],
        ),
        # a prefix covers every rule it starts
        ("<!-- kb-lint disable-next-line KB-STYLE: quoted -->\n" + "It is a e-mail.\n", []),
        # the whole file, wherever the comment is
        (SLIP + "\n<!-- kb-lint disable-file KB-STYLE-002: the seed as published -->\n", []),
        # the line it is on
        (
            "It is a email. <!-- kb-lint disable-line KB-STYLE-002: quoted -->\n\n" + SLIP,
            [("KB-STYLE-002", 5)],
        ),
        # the paragraph or list item it ends, from its first line
        (
            "It is a email,\nwrapped. <!-- kb-lint disable-line KB-STYLE-002: quoted -->\n\n"
            "- It is a email,\n  wrapped,\n  twice. <!-- kb-lint disable-line KB-STYLE-002: q -->\n"
            "- It is a email.\n\n"
            "It is a email,\nand <!-- kb-lint disable-line KB-STYLE-002: not the end -->\nmore.\n",
            [("KB-STYLE-002", 9), ("KB-STYLE-002", 11), ("KB-SUPPRESS-002", 12)],
        ),
        # only the next line
        (
            "<!-- kb-lint disable-next-line KB-STYLE-002: quoted -->\n" + SLIP + SLIP,
            [("KB-STYLE-002", 5)],
        ),
    ],
)
def test_suppression_scopes(lint, body, expected):
    assert rules(lint, body) == expected


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- kb-lint disable-next-line KB-STYLE-002 -->", "needs a reason"),
        (
            "<!-- kb-lint disable-next-line KB-STYLE-020: why -->",
            "unknown rule KB-STYLE-020 (did you mean",
        ),
        ("<!-- kb-lint disable-next-line : why -->", "names no rule"),
        ("<!-- kb-lint ignore KB-STYLE-002: why -->", "unknown kb-lint directive 'ignore'"),
        ("<!-- kb-lint enable KB-STYLE-002 -->", "follows no 'kb-lint disable KB-STYLE-002'"),
    ],
)
def test_a_bad_directive_is_reported_and_suppresses_nothing(lint, comment, message):
    found = [f for f in lint("# T\n\n" + comment + "\n" + SLIP) if f.rule.startswith(WORDS)]
    findings = sorted(found, key=lambda f: f.location.line)
    assert [f.rule for f in findings] == ["KB-SUPPRESS-001", "KB-STYLE-002"]
    assert message in findings[0].message
    assert (findings[0].location.line, findings[0].location.column) == (3, 1)


def test_an_indented_directive_is_reported_at_its_own_column(lint):
    text = (
        "# T\n\n   <!-- kb-lint disable-next-line KB-STYLE-099: why -->\nx\n\n- item\n\n"
        "  <!-- kb-lint disable-next-line KB-STYLE-099: why -->\n  x\n"
    )
    found = [f for f in lint(text) if f.rule == "KB-SUPPRESS-001"]
    assert [(f.location.line, f.location.column) for f in found] == [(3, 4), (8, 3)]


def test_a_comment_in_code_is_not_a_directive(lint):
    text = (
        "# T\n\n```markdown\n<!-- kb-lint disable-file KB-STYLE-002 -->\n```\n\n"
        "`<!-- kb-lint x -->`\n\n" + SLIP
    )
    assert [f.rule for f in lint(text) if f.rule.startswith(WORDS)] == ["KB-STYLE-002"]


def test_an_unused_suppression_of_a_rule_that_did_not_run_is_not_reported(riva, tmp_path):
    from kb_lint.articles.run import Run, lint_source
    from kb_lint.articles.source import SourceText
    from kb_lint.config import Config

    run = Run(riva, Config(root=tmp_path, rules=tmp_path, ignore=("KB-STYLE-002",)))
    text = "# T\n\n<!-- kb-lint disable-next-line KB-STYLE-002: quoted -->\n" + SLIP
    assert [
        f.rule for f in lint_source(SourceText("a.md", text), run) if f.rule.startswith(WORDS)
    ] == []
