"""House styles are data: shipped styles, project styles, and clear errors in style files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from article_fixtures import FIXTURES

from kb_lint.articles.kinds import KINDS
from kb_lint.articles.reference import SHIPPED
from kb_lint.articles.style import BUILTIN, load_style
from kb_lint.errors import InputError


def test_the_troubleshooting_style_is_data_only(lint):
    style = load_style("troubleshooting")
    assert {rule.style for rule in style.rules} == {"common", "troubleshooting"}
    assert lint(FIXTURES / "troubleshooting" / "pass.md", style=style) == []
    found = [
        (f.rule, f.location.line, f.location.column)
        for f in lint(FIXTURES / "troubleshooting" / "fail.md", style=style)
    ]
    assert sorted(found) == [
        ("KB-STRUCT-001", 15, 1),
        ("KB-STRUCT-003", 22, 1),
        ("KB-STYLE-001", 13, 61),
        ("KB-STYLE-001", 17, 57),
        ("KB-STYLE-001", 17, 76),
        ("KB-STYLE-002", 13, 59),
    ]


def test_the_riva_style_extends_the_common_one():
    riva = load_style("riva")
    assert riva.extends == "common"
    assert {r.id for r in load_style("common").rules} < {r.id for r in riva.rules}
    assert [r.id for r in riva.rules] == sorted(r.id for r in riva.rules)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_rule_documents_itself_and_its_examples_hold(lint, name):
    style = load_style(name)
    for rule in (r for r in style.rules if r.style == name):
        assert all((rule.summary, rule.why, rule.example, rule.fix)), rule.id
        if rule.kind in ("encoding", "citations", "coverage"):
            continue  # their examples need bytes or a rule pack: see the fixtures
        assert rule.id in {f.rule for f in lint(rule.example, style=style)}, rule.id
        assert rule.passing is not None, rule.id
        assert rule.id not in {f.rule for f in lint(rule.passing, style=style)}, rule.id


# Rules that judge a whole article (its front matter, title and sections): an example is a passage
# of one, so they do not judge it.
WHOLE_ARTICLE = {"front-matter", "required-keys", "sections", "heading-levels"}


@pytest.mark.parametrize("name", SHIPPED)
def test_every_use_instead_passes_every_rule_the_prose_rules_included(lint, name):
    """The site shows ``passing`` as "Use instead": it must not teach another slip."""
    style = load_style(name)
    kinds = {rule.id: rule.kind for rule in style.rules}
    for rule in (r for r in style.rules if r.style == name and r.passing is not None):
        if rule.kind in ("encoding", "citations", "coverage"):
            continue  # their examples need bytes or a rule pack: see the fixtures
        found = [
            (f.rule, f.message)
            for f in lint(rule.passing, style=style)
            if kinds[f.rule] not in WHOLE_ARTICLE or f.rule == rule.id
        ]
        assert found == [], rule.id


def test_every_kind_is_used_by_a_shipped_style():
    used = {rule.kind for name in SHIPPED for rule in load_style(name).rules}
    assert used == set(KINDS)


def project_style(tmp_path: Path, rules: dict[str, str], style: str = "") -> Path:
    folder = tmp_path / "styles" / "house"
    (folder / "rules").mkdir(parents=True)
    (folder / "style.yaml").write_text(style or "title: House\ndescription: Ours.\nextends: riva\n")
    for name, text in rules.items():
        (folder / "rules" / name).write_text(textwrap.dedent(text))
    return folder


RULE = """\
    id: KB-STYLE-001
    name: terminology
    kind: substitution
    severity: error
    summary: Our words.
    why: Because.
    example: Foo.
    fix: Write ours.
    with:
      swap: {Bar: [Foo]}
"""


def test_a_project_style_extends_a_shipped_one_and_replaces_a_rule(lint, tmp_path):
    folder = project_style(tmp_path, {"terminology.yaml": RULE})
    style = load_style("house", folder.parent)
    rule = style.rule("KB-STYLE-001")
    assert (rule.style, rule.severity) == ("house", "error")
    assert len(style.rules) == len(load_style("riva").rules)
    findings = [
        f for f in lint("# T\n\nFoo and Riva On-Prem.\n", style=style) if f.rule == "KB-STYLE-001"
    ]
    assert [f.message for f in findings] == ['write "Bar", not "Foo"']


@pytest.mark.parametrize(
    ("rule", "position", "message"),
    [
        (
            RULE.replace("kind: substitution", "kind: substitutoin"),
            (3, 7),
            "did you mean 'substitution'?",
        ),
        (
            RULE.replace("swap: {Bar: [Foo]}", "swap: {Bar: [Foo], Baz: [Qux, Foo]}"),
            (10, 33),
            "'Foo' is also listed under 'Bar'",
        ),
        (
            RULE.replace("swap: {Bar: [Foo]}", "swap: {Bar: [Foo]}\n      ignorecase: true"),
            (11, 3),
            "unknown key 'ignorecase'",
        ),
        (RULE.replace("    why: Because.\n", ""), (1, 1), "needs 'why'"),
        (RULE.replace("KB-STYLE-001", "KB-STYLE-1"), (1, 5), "must match"),
        (
            RULE.replace("severity: error", "severity: fatal"),
            (4, 11),
            "'fatal' is not a value of 'severity' (error, warning, info)",
        ),
    ],
)
def test_a_mistake_in_a_rule_file_is_an_input_error_at_its_position(
    tmp_path, rule, position, message
):
    folder = project_style(tmp_path, {"terminology.yaml": rule})
    with pytest.raises(InputError) as caught:
        load_style(str(folder))
    error = caught.value
    assert error.path.endswith("terminology.yaml")
    assert ((error.line, error.column), message in error.message) == (position, True), error


@pytest.mark.parametrize(
    ("style", "rules", "position", "message"),
    [
        (
            "title: H\ndescription: D\nextends: rivaa\n",
            {},
            (3, 10),
            "unknown style 'rivaa' (did you mean 'riva'?)",
        ),
        (
            "title: H\ndescription: D\nextends: riva\ndisable: [KB-STYLE-009]\n",
            {},
            (4, 11),
            "has no rule KB-STYLE-009",
        ),
        ("title: H\ndescription: D\nextend: riva\n", {}, (3, 1), "unknown key 'extend'"),
        (
            "title: H\ndescription: D\n",
            {"a.yaml": RULE, "b.yaml": RULE},
            (1, 5),
            "KB-STYLE-001 is also defined in",
        ),
    ],
)
def test_a_mistake_in_a_style_is_an_input_error_at_its_position(
    tmp_path, style, rules, position, message
):
    folder = project_style(tmp_path, rules, style)
    with pytest.raises(InputError) as caught:
        load_style(str(folder))
    assert ((caught.value.line, caught.value.column), message in caught.value.message) == (
        position,
        True,
    ), caught.value


def test_a_style_can_drop_a_rule_of_its_parent(tmp_path):
    folder = project_style(
        tmp_path, {}, "title: H\ndescription: D\nextends: riva\ndisable: [KB-TRACE-002]\n"
    )
    assert load_style(str(folder)).rule("KB-TRACE-002") is None


def test_every_shipped_style_file_is_yaml_so_the_package_data_pattern_ships_it():
    """pyproject ships ``styles/**/*.yaml``: a file of any other kind would be left out."""
    shipped = [p.relative_to(BUILTIN).as_posix() for p in BUILTIN.rglob("*") if p.is_file()]
    assert "riva/style.yaml" in shipped
    assert [name for name in shipped if not name.endswith(".yaml")] == []


def test_a_run_pickles_for_the_worker_processes(fixture_run):
    import pickle

    again = pickle.loads(pickle.dumps(fixture_run))
    assert [r.id for r in again.style.rules] == [r.id for r in fixture_run.style.rules]
    assert again.style.rule("KB-META-003").prepared.validators.keys() == {
        "id",
        "title",
        "revision",
        "updated",
        "products",
        "also_read",
    }


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("said-as-words: [SIP]\nsaid-as-letters: [sip]\n", (2, 19), "'sip' is also listed"),
        ("said-as-word: [SIP]\n", (1, 1), "said-as-word"),
        ("either: [two words]\n", (1, 10), "must match"),
    ],
)
def test_a_mistake_in_a_pronunciations_file_is_an_error_at_its_place(
    tmp_path, text, position, message
):
    folder = project_style(tmp_path, {})
    (folder / "pronunciations.yaml").write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_style(str(folder))
    assert caught.value.path.endswith("pronunciations.yaml")
    assert (caught.value.line, caught.value.column) == position
    assert message in caught.value.message


def test_a_house_pronunciation_moves_a_word_out_of_the_parents_lists(lint, tmp_path):
    folder = project_style(tmp_path, {})
    (folder / "pronunciations.yaml").write_text("said-as-letters: [sip]\n", "utf-8")
    house = load_style(str(folder))
    assert "sip" not in house.pronunciations["said-as-words"]
    text = (FIXTURES / "KB-STYLE-002" / "pass-said-as-words.md").read_text("utf-8")
    found = [f.message for f in lint(text, style=house) if f.rule == "KB-STYLE-002"]
    assert found == ['write "an SIP", not "a SIP"', 'write "an SIP-enabled", not "a SIP-enabled"']
