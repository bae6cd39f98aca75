"""M17: a Google policy (``email_system: google``) is shown as not modelled, never refused and
never run as an Exchange one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT

GOOGLE = ROOT / "tests" / "simulate" / "data" / "google-beside-exchange.yaml"
SAID = (
    "not modelled (built-in): email_system google (policy riva-cloud / Workspace): the model has "
    "no such mailbox and runs it as syncing nothing (M17)"
)


def test_a_google_policy_is_named_not_modelled(kb_lint):
    proc = kb_lint("simulate", GOOGLE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == SAID
    assert "0 errors (0 in the last cycle)" in proc.stdout


def test_the_json_report_names_the_field_and_value(kb_lint):
    proc = kb_lint("simulate", GOOGLE, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (part,) = json.loads(proc.stdout)["not_modelled"]
    assert part["pack"] == "built-in"
    assert part["values"] == [
        {"field": "email_system", "value": "google", "record": "policy riva-cloud / Workspace"}
    ]


def test_as_exchange_the_same_file_errs(kb_lint, tmp_path: Path):
    """The policy run as Exchange would share Ann's category with Riva On-Premise (KB 105)."""
    text = GOOGLE.read_text("utf-8")
    exchange = tmp_path / "exchange.yaml"
    exchange.write_text(text.replace("email_system: google", "email_system: exchange"), "utf-8")
    proc = kb_lint("simulate", exchange)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "not modelled" not in proc.stdout
    assert " 0 errors" not in proc.stdout


def test_rules_read_google(kb_lint):
    """The rules judge the value as it is: KB105-004 names both systems."""
    proc = kb_lint("check", GOOGLE, "--select", "KB105-004")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "is declared in 2 email systems (google, exchange)" in proc.stdout
