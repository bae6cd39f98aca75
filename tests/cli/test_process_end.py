"""The end of a check: the ``kb-lint`` process ends without freeing the checked deployments
(``kb_lint.cli.entry``), with its whole report out; ``main`` in a process that goes on frees
them as it returns."""

from __future__ import annotations

import gc
import json
import weakref

from kb_lint import cli
from kb_lint.cli import check, main
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
DEPLOYMENTS = [EXAMPLES / "deployment.yaml", EXAMPLES / "scenarios" / "same-names.yaml"]


def test_a_check_process_ends_with_its_whole_report_and_its_exit_code(kb_lint, tmp_path):
    piped = kb_lint("check", "--format", "json", *DEPLOYMENTS)
    assert piped.returncode == 1
    report = json.loads(piped.stdout)
    assert report["summary"]["findings"] == len(report["findings"]) > 0
    written = kb_lint("check", "--format", "json", "-o", tmp_path / "r.json", *DEPLOYMENTS)
    assert written.returncode == 1
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == piped.stdout


def test_main_frees_what_a_check_left_as_it_returns(monkeypatch, capsys):
    left: list[weakref.ref] = []

    def watched(value: tuple) -> None:
        estates, deployment = value
        left.extend(map(weakref.ref, (*estates, deployment)))
        cli.leave(value)

    monkeypatch.setattr(check, "leave", watched)
    assert main(["check", "--format", "json", *map(str, DEPLOYMENTS)]) == 1
    assert json.loads(capsys.readouterr().out)["findings"]
    gc.collect()
    assert len(left) == 3 and all(ref() is None for ref in left)
