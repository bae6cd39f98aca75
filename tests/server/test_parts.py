"""The server's parts on their own: what a document is, schema descriptions, debouncing, and
the ranges findings get."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, Utf16

from kb_lint.config import Config
from kb_lint.server.debounce import Debouncer
from kb_lint.server.lint import ARTICLE, DEPLOYMENT, PACK, deployment_schema, kind_of
from kb_lint.server.positions import Text
from kb_lint.server.schema import describe_field

ROOT = Path("/work")


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("rules/kb-1/pack.yaml", "pack: {}\n", PACK),
        ("a.md", "---\nid: 1\n---\n# A\n", ARTICLE),
        ("README.md", "# kb-lint\n", None),
        ("deploy.yaml", "# a plan\ninstances:\n  - name: a\n", DEPLOYMENT),
        ("plan.json", '{"timeline": []}', DEPLOYMENT),
        ("mkdocs.yml", "site_name: x\n", None),
        ("users.csv", "instance,kind,policy,email,crm_user\n", DEPLOYMENT),
        ("other.csv", "name,value\n", None),
        ("x.yaml", "# yaml-language-server: $schema=../deployment.schema.json\n", DEPLOYMENT),
    ],
)
def test_what_a_document_is(name: str, text: str, kind: str | None):
    assert kind_of(ROOT / name, text, Config(ROOT, ROOT / "rules")) == kind


def test_configured_article_folders_decide_which_markdown_is_an_article():
    config = Config(ROOT, ROOT / "rules", articles=(ROOT / "kb",))
    assert kind_of(ROOT / "kb" / "a.md", "# no front matter\n", config) == ARTICLE
    assert kind_of(ROOT / "notes" / "a.md", "---\nid: 1\n---\n", config) is None


def test_field_descriptions_follow_refs_lists_and_branches():
    schema = deployment_schema()
    email = describe_field(schema, ("instances", 0, "policies", 2, "users", 5, "email"))
    assert email == (
        "**`email`** (string)\n\nEmail address; compared trimmed and case-insensitively."
    )
    system = describe_field(schema, ("instances", 0, "policies", 0, "email_system"))
    assert "One of `exchange`, `groupwise`, `google`." in system
    what = describe_field(schema, ("timeline", 3, "what"))
    assert what.startswith("**`what`** (string or list of string)\n\nremove-riva-data: ")
    assert "`all`" in what
    assert describe_field(schema, ("instances", 0, "colour")) is None


def test_a_burst_of_calls_runs_the_last_once():
    async def burst() -> list[int]:
        ran: list[int] = []
        debouncer = Debouncer(0.02)
        for n in range(5):

            async def action(n: int = n) -> None:
                ran.append(n)

            debouncer.call("doc", action)
        debouncer.call("other", lambda: asyncio.sleep(0))
        await asyncio.sleep(0.1)
        debouncer.call("doc", action)
        debouncer.cancel("doc")
        await asyncio.sleep(0.05)
        return ran

    assert asyncio.run(burst()) == [4]


@given(
    st.text(alphabet="ab\né€😀\U0001f600", max_size=30),
    st.integers(1, 4),
    st.integers(1, 40),
    st.sampled_from(list(types.PositionEncodingKind)),
)
def test_a_position_in_client_units_is_the_codecs(source, line, column, encoding):
    """``Text.to_client`` finds the units before a column by bisection; pygls' codec counts
    them one character at a time: the two agree, in every encoding."""
    codec = PositionCodec(encoding)
    text = Text(source, codec)
    line, column = text.clamp(line, column)
    server = ServerTextPosition(line - 1, column - 1)
    assert text.to_client(line, column) == codec.position_to_client_units(text.lines, server)


def test_diagnostics_on_one_long_line_count_its_wide_characters_once(monkeypatch):
    """1,000 positions on a 1 MB line took 150 s: each counted the units before it."""
    counted = []
    units = Utf16.code_units_for_char
    monkeypatch.setattr(
        Utf16, "code_units_for_char", lambda self, c: counted.append(c) or units(self, c)
    )
    text = Text("x\n" + "a email 😀 " * 10_000 + "\n", PositionCodec())
    for column in range(1, 100_000, 100):
        text.token(2, column, prose=True)
    assert text.to_client(2, 100_000).character == 100_000 - 1 + 10_000
    assert len(counted) <= 10_000 + 2  # each wide character once, not once a position


def test_a_finding_covers_its_word_or_value():
    text = Text(
        '  - {email: "a@b.com", crm_user: x}\ncategory: My Sync # c\nsee a email\n',
        PositionCodec(),
    )

    def span(line: int, column: int, prose: bool) -> tuple[int, int]:
        where = text.token(line, column, prose)
        return where.start.character, where.end.character

    assert span(1, 13, prose=False) == (12, 21)  # "a@b.com", quoted
    assert span(1, 34, prose=False) == (33, 34)  # x, before the brace
    assert span(2, 11, prose=False) == (10, 17)  # My Sync, not its comment
    assert span(3, 5, prose=True) == (4, 5)  # the word "a"
    assert span(9, 1, prose=True) == (0, 0)  # past the end: the last, empty line
