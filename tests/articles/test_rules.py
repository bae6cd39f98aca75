"""Every rule of the shipped styles has a failing and a passing fixture (fixtures/<rule id>/).

Each ``pass.md`` is a whole article with no finding at all; each ``fail.md`` gives exactly the
findings in ``EXPECTED`` (rule, line, column, and a phrase of the message), and no other.
Beside them, ``pass-<case>.md`` files hold what a rule once got wrong on real articles (a
class of false positive each) and give no finding of that rule; ``fail-<case>.md`` files give
exactly the findings in ``MORE``. The
traceability fixtures are article 950, which the pack in fixtures/rules cites. A failing
fixture that is not text at all is ``fail.bin`` (tools that read every .md file as UTF-8, such
as ruff's formatter, would stop at it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from article_fixtures import FIXTURES, packed

from kb_lint.articles.reference import SHIPPED
from kb_lint.articles.run import Run, lint_file
from kb_lint.articles.style import load_style

Finding = tuple[str, int, int, str]
EXPECTED: dict[str, list[Finding]] = {
    "KB-FILE-001": [("KB-FILE-001", 18, 44, "byte 0xe9")],
    "KB-META-001": [("KB-META-001", 1, 1, "no front matter")],
    "KB-META-002": [("KB-META-002", 1, 1, "lacks 'revision'")],
    "KB-META-003": [
        ("KB-META-003", 4, 1, "unknown front matter key 'revison' (did you mean 'revision'?)"),
        ("KB-META-003", 5, 11, "'revision' must be an integer"),
        ("KB-META-003", 6, 10, "'updated' must be a date"),
        ("KB-META-003", 7, 24, "'Riva On-Prem' is not a value of item 2 of 'products' ("),
    ],
    "KB-STRUCT-001": [
        ("KB-STRUCT-001", 16, 1, "the section 'Explanation' is missing (before 'Expected"),
        ("KB-STRUCT-001", 21, 1, "write the heading as 'Best Practice', not 'Best practice'"),
    ],
    "KB-STRUCT-002": [
        ("KB-STRUCT-002", 10, 1, "differs from the front matter's title"),
        ("KB-STRUCT-002", 27, 1, "jumps from 2 to 4"),
        ("KB-STRUCT-002", 40, 1, "a second level-1 heading"),
    ],
    "KB-STRUCT-003": [
        ("KB-STRUCT-003", 32, 1, "step 2 is numbered 3"),
        ("KB-STRUCT-003", 35, 1, "split into separate lists here: the list at line 33 is not"),
        ("KB-STRUCT-003", 37, 1, "'Steps for GroupWise accounts' has no numbered steps"),
        ("KB-STRUCT-003", 46, 1, "step 2 is numbered 3"),
        ("KB-STRUCT-003", 49, 3, "item 2 of the quoted list is numbered 3"),
        ("KB-STRUCT-003", 62, 1, "step 10 is numbered 9"),
    ],
    "KB-STYLE-001": [
        ("KB-STYLE-001", 14, 53, 'write "On-Premise", not "On-Prem"'),
        ("KB-STYLE-001", 18, 29, 'write "GroupWise", not "Groupwise"'),
        ("KB-STYLE-001", 18, 45, 'write "email", not "e-mail"'),
        ("KB-STYLE-001", 18, 56, 'write "sub-calendar", not "sub calendar"'),
        ("KB-STYLE-001", 27, 52, 'write "GroupWise", not "Groupwise"'),
    ],
    "KB-STYLE-002": [
        ("KB-STYLE-002", 18, 1, 'write "An email", not "A email"'),
        ("KB-STYLE-002", 27, 11, 'write "an email", not "a email"'),
        ("KB-STYLE-002", 27, 25, 'write "an MSP", not "a MSP"'),
        ("KB-STYLE-002", 27, 35, 'write "a user", not "an user"'),
        ("KB-STYLE-002", 28, 5, 'write "a URL", not "an URL"'),
        ("KB-STYLE-002", 28, 15, 'write "an hour", not "a hour"'),
        ("KB-STYLE-002", 29, 9, 'write "an x86", not "a x86"'),
    ],
    "KB-STYLE-003": [
        ("KB-STYLE-003", 31, 16, '"the" twice in a row'),
        ("KB-STYLE-003", 31, 51, '"and" twice in a row'),
        ("KB-STYLE-003", 32, 1, '"then" twice in a row'),
    ],
    "KB-LINK-001": [
        ("KB-LINK-001", 7, 13, 'also_read: the link to "kb-107-missing.md" leads nowhere'),
        ("KB-LINK-001", 27, 53, 'the link to "kb-106-missing.md" leads nowhere'),
        ("KB-LINK-001", 28, 1, "names no heading of ../KB-STYLE-003/pass.md (did you mean"),
        ("KB-LINK-001", 28, 56, "names no heading of this article (did you mean 'background'?)"),
    ],
    "KB-SUPPRESS-001": [
        ("KB-SUPPRESS-001", 27, 1, "a suppression needs a reason"),
        ("KB-STYLE-002", 28, 11, 'write "an email"'),
        (
            "KB-SUPPRESS-001",
            28,
            46,
            "unknown kb-lint directive 'disabel' (did you mean 'disable'?)",
        ),
    ],
    "KB-SUPPRESS-002": [
        ("KB-SUPPRESS-002", 27, 1, "'kb-lint disable-next-line KB-STYLE-002' suppresses nothing")
    ],
    "KB-TRACE-001": [
        ("KB-TRACE-001", 20, 1, "row 2 cites item 2 of 'Expected Challenges' of article 950"),
    ],
    "KB-TRACE-002": [("KB-TRACE-002", 24, 1, "item 3 of 'Expected Challenges' is cited by no")],
}


MORE: dict[tuple[str, str], list[Finding]] = {
    ("KB-STYLE-001", "fail-alt-text.md"): [
        ("KB-STYLE-001", 27, 15, 'write "Email", not "E-mail"'),
    ],
    ("KB-STYLE-001", "fail-line-break.md"): [
        ("KB-STYLE-001", 27, 12, 'write "GroupWise", not "Groupwise"'),
        ("KB-STYLE-001", 27, 22, 'write "sub-calendar", not "sub calendar"'),
        ("KB-STYLE-001", 28, 61, 'write "email", not "e-mail"'),
    ],
    ("KB-STYLE-001", "fail-lead-label.md"): [
        ("KB-STYLE-001", 27, 14, 'write "email", not "e-mail"'),
    ],
    ("KB-STYLE-001", "fail-menu-path.md"): [
        ("KB-STYLE-001", 27, 17, 'write "GroupWise", not "Groupwise"'),
        ("KB-STYLE-001", 27, 65, 'write "email", not "e-mail"'),
        ("KB-STYLE-001", 29, 3, 'write "Email", not "E-mail"'),
    ],
    ("KB-STYLE-001", "fail-riva-on-premises.md"): [
        ("KB-STYLE-001", 27, 9, 'write "Riva On-Premise", not "Riva On-Premises"'),
    ],
    ("KB-STYLE-002", "fail-acronym-letters.md"): [
        ("KB-STYLE-002", 27, 5, 'write "a UDF", not "an UDF"'),
        ("KB-STYLE-002", 27, 35, 'write "an IT", not "a IT"'),
        ("KB-STYLE-002", 27, 65, 'write "an FQDN", not "a FQDN"'),
        ("KB-STYLE-002", 28, 12, 'write "an hour", not "a hour"'),
    ],
    ("KB-STYLE-002", "fail-pronounced.md"): [
        ("KB-STYLE-002", 27, 18, 'write "an xml", not "a xml"'),
        ("KB-STYLE-002", 27, 30, 'write "an https", not "a https"'),
        ("KB-STYLE-002", 27, 47, 'write "an exe", not "a exe"'),
        ("KB-STYLE-002", 27, 74, 'write "a SIP", not "an SIP"'),
        ("KB-STYLE-002", 28, 5, 'write "a REST", not "an REST"'),
        ("KB-STYLE-002", 28, 18, 'write "an eDiscovery", not "a eDiscovery"'),
        ("KB-STYLE-002", 28, 37, 'write "a OneDrive", not "an OneDrive"'),
        ("KB-STYLE-002", 28, 55, 'write "a UEM", not "an UEM"'),
        ("KB-STYLE-002", 28, 66, 'write "an FQDN", not "a FQDN"'),
    ],
    ("KB-STYLE-003", "fail-markup.md"): [
        ("KB-STYLE-003", 27, 10, '"the" twice in a row'),
        ("KB-STYLE-003", 27, 54, '"use" twice in a row'),
        ("KB-STYLE-003", 27, 82, '"check" twice in a row'),
        ("KB-STYLE-003", 28, 1, '"the" twice in a row'),
        ("KB-STYLE-003", 28, 24, '"to" twice in a row'),
        ("KB-STYLE-003", 30, 14, '"for" twice in a row'),
    ],
    ("KB-STYLE-003", "fail-slips.md"): [
        ("KB-STYLE-003", 27, 5, '"the" twice in a row'),
        ("KB-STYLE-003", 27, 34, '"use" twice in a row'),
        ("KB-STYLE-003", 27, 42, '"the" twice in a row'),
        ("KB-STYLE-003", 27, 55, '"or" twice in a row'),
        ("KB-STYLE-003", 28, 8, '"Server" twice in a row'),
        ("KB-STYLE-003", 28, 38, '"a" twice in a row'),
    ],
}
QUIET = sorted((path.parent.name, path.name) for path in FIXTURES.glob("KB-*/pass-*.md"))


def fixture(rule: str, name: str) -> Path:
    path = FIXTURES / rule / name
    return path if name == "pass.md" or path.is_file() else path.with_suffix(".bin")


def found(run: Run, rule: str, name: str) -> list[Finding]:
    linted = lint_file(fixture(rule, name), run)
    assert linted.error is None
    return [
        (f.rule, f.location.line, f.location.column, f.message) for f in packed(linted.findings)
    ]


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_the_passing_fixture_is_clean(fixture_run, rule):
    assert found(fixture_run, rule, "pass.md") == []


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_the_failing_fixture_gives_exactly_the_expected_findings(fixture_run, rule):
    assert_exactly(found(fixture_run, rule, "fail.md"), EXPECTED[rule])


def assert_exactly(found: list[Finding], expected: list[Finding]) -> None:
    """The findings, in order of position, are the expected ones, each message with its phrase."""
    findings = sorted(found, key=lambda f: (f[1], f[2]))
    assert [f[:3] for f in findings] == [e[:3] for e in expected]
    for (_, _, _, message), (_, _, _, phrase) in zip(findings, expected, strict=True):
        assert phrase in message


@pytest.mark.parametrize(("rule", "name"), QUIET, ids=["/".join(case) for case in QUIET])
def test_a_false_positive_of_real_articles_stays_quiet(fixture_run, rule, name):
    assert [f for f in found(fixture_run, rule, name) if f[0] == rule] == []


@pytest.mark.parametrize(("rule", "name"), sorted(MORE), ids=["/".join(case) for case in MORE])
def test_each_slip_of_a_failing_case_is_found_and_nothing_else(fixture_run, rule, name):
    assert_exactly(found(fixture_run, rule, name), MORE[rule, name])


def test_every_failing_case_has_its_expectations():
    cases = {(p.parent.name, p.name) for p in FIXTURES.glob("KB-*/fail-*.md")}
    assert cases == set(MORE)
    assert len(QUIET) >= 6


def test_every_rule_of_every_shipped_style_has_its_fixtures():
    ids = {rule.id for name in SHIPPED for rule in load_style(name).rules}
    assert ids == set(EXPECTED)
    assert all(fixture(i, "fail.md").is_file() and fixture(i, "pass.md").is_file() for i in ids)


def test_the_failing_traceability_fixture_points_at_the_citation_in_the_pack(fixture_run):
    (finding,) = lint_file(FIXTURES / "KB-TRACE-001" / "fail.md", fixture_run).findings
    (related,) = finding.related
    assert related.path.endswith("rules/kb-950/pack.yaml")
    assert (related.line, related.note) == (30, "cited by table expected-challenges row 2")
