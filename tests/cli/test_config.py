"""The configuration is validated key by key, each error at its line; ``select``/``ignore``
that name no rule are errors; path globs are relative to the config file's folder."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT, one_error

DEPLOYMENT = ROOT / "examples" / "deployment.yaml"
RULES = f'rules = "{(ROOT / "rules").as_posix()}"\n'
WAIVER = '\n[[waivers]]\nrule = "KB105-001"\nreason = "trial ends Friday"\n'


@pytest.fixture
def project(tmp_path):
    shutil.copy(DEPLOYMENT, tmp_path / "deployment.yaml")
    return tmp_path


def run_with(kb_lint, project, config: str):
    (project / "kb-lint.toml").write_text(config)
    return kb_lint("check", "deployment.yaml", cwd=project)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("expires = 2026", "waiver 'expires' must be a date (YYYY-MM-DD), not a number (2026)"),
        (
            "expires = 10:00:00",
            "waiver 'expires' must be a date (YYYY-MM-DD), not a date or time (10:00:00)",
        ),
        ('expires = "soon"', "waiver 'expires' ('soon') is not a date (YYYY-MM-DD)"),
        ("subject = 5", "waiver 'subject' must be a string, not a number (5)"),
        ("owner = {a=1}", "waiver 'owner' must be a string, not a table"),
        ('owner = " "', "waiver 'owner' is empty"),
        ("ownr = 'ops'", "unknown waiver key 'ownr' (did you mean 'owner'?)"),
    ],
)
def test_a_waiver_field_of_the_wrong_type_is_an_error_at_its_line(kb_lint, project, field, message):
    line = one_error(run_with(kb_lint, project, RULES + WAIVER + field + "\n"))
    assert line == f"kb-lint: kb-lint.toml:6:1: {message}"


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        ('select = ["KB999"]\n', "2:11", "'select' names KB999: no rule has this id or prefix"),
        ('ignore = [\n  "KB105",\n  "KB10-001",\n]\n', "4:3", "'ignore' names KB10-001"),
        ("style = 3\n", "2:1", "'style' must be a non-empty string, not a number (3)"),
        ('selct = ["KB105"]\n', "2:1", "unknown config key 'selct' (did you mean 'select'?)"),
        ('select = "KB105", 1\n', "2:17", "invalid TOML"),
        ('[per-file-ignores]\n"*.yaml" = [1]\n', "3:13", "'*.yaml' must be a list of strings"),
        (  # a typo in a per-file ignore would ignore nothing, without a word
            '[per-file-ignores]\n"*.yaml" = ["KB105-001", "KB105-0002"]\n',
            "3:26",
            "'per-file-ignores' names KB105-0002: no rule has this id or prefix (did you mean",
        ),
        (
            '[per-file-ignores]\n"a.yaml" = ["KB105"]\n"*.yaml" = [\n  "KB105",\n  "KB-105",\n]\n',
            "6:3",
            "'per-file-ignores' names KB-105",
        ),
    ],
)
def test_a_config_error_is_at_its_key(kb_lint, project, config, where, message):
    line = one_error(run_with(kb_lint, project, RULES + config))
    assert line.startswith(f"kb-lint: kb-lint.toml:{where}: {message}"), line


def test_config_errors_in_pyproject_are_at_their_line(kb_lint, project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.kb-lint]\n' + RULES + "select = [5]\n"
    )
    line = one_error(kb_lint("check", "deployment.yaml", cwd=project))
    assert line.startswith("kb-lint: pyproject.toml:6:11: 'select' must be a list of strings")


def test_per_file_ignores_are_relative_to_the_config_file(kb_lint, project):
    (project / "deploy").mkdir()
    shutil.move(project / "deployment.yaml", project / "deploy" / "acme.yaml")
    (project / "kb-lint.toml").write_text(
        RULES + '[per-file-ignores]\n"deploy/acme.yaml" = ["KB105"]\n'
    )
    elsewhere = project / "deploy"
    assert kb_lint("check", "acme.yaml", cwd=elsewhere).returncode == 0
    assert kb_lint("check", "deploy/acme.yaml", cwd=project).returncode == 0


def test_an_expired_waiver_is_reported_at_its_line(kb_lint, project):
    waiver = WAIVER + 'subject = "ann.lee@acme.example"\nexpires = 2020-01-01\n'
    proc = run_with(kb_lint, project, RULES + waiver)
    assert proc.returncode == 1
    assert (
        "kb-lint.toml:3:1: KB-WAIVER-001 warning waiver for KB105-001 of ann.lee@acme.example "
        "expired on 2020-01-01 (trial ends Friday)"
    ) in proc.stdout


@pytest.mark.parametrize(
    ("waiver", "where", "message"),
    [
        (  # trial 14 #29: a typo in the rule id waived nothing, reported only as unused
            'rule = "KB105-0X2"\nsubject = "nobody@acme.example"\nreason = "x"\n',
            "3:1",
            "waiver 'rule' names KB105-0X2: no rule has this id or prefix (did you mean",
        ),
        (  # trial 14 #30
            'rule = "KB105-001"\nreason = ""\n',
            "4:1",
            "waiver 'reason' is empty: say why the finding is accepted",
        ),
        ('rule = ""\nreason = "x"\n', "3:1", "waiver 'rule' is empty: name the rule it waives"),
    ],
)
def test_a_waiver_that_cannot_hold_is_refused_at_its_key(kb_lint, project, waiver, where, message):
    line = one_error(run_with(kb_lint, project, RULES + "[[waivers]]\n" + waiver))
    assert line.startswith(f"kb-lint: kb-lint.toml:{where}: {message}"), line


def test_an_unused_waiver_names_its_rule_subject_and_path(kb_lint, project):
    waiver = '[[waivers]]\nrule = "KB105-002"\nsubject = "nobody@acme.example"\nreason = "x"\n'
    waiver += 'path = "staging/*.yaml"\n'
    proc = run_with(kb_lint, project, RULES + waiver)
    assert proc.returncode == 1
    assert (
        "kb-lint.toml:2:1: KB-WAIVER-002 warning waiver for KB105-002 of nobody@acme.example in "
        "staging/*.yaml suppresses nothing (x)"
    ) in proc.stdout
