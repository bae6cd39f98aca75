"""The server's parts on their own: what a document is, schema descriptions, debouncing, and
the ranges findings get."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pygls.workspace.position_codec import PositionCodec

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
