"""pytest plugin: every rule example of every rule pack is a test item.

``pytest rules/`` collects each ``rules/<pack>/pack.yaml`` as a file of tests: one node per
rule, named by its id, and under it one item per example, named by the example's file, e.g.
``rules/kb-105/pack.yaml::KB105-001::clean.yaml``. A failing item shows the example's expected
verdict and outcome against the actual ones, as ``kb-lint rules test`` does.

Only packs directly inside the folders listed in the ``kb_lint_rules`` ini option (default:
``rules`` beside the pytest config) are collected, so test fixtures named ``pack.yaml``
elsewhere are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kb_lint.errors import InputError
from kb_lint.model.fields import Vocabulary
from kb_lint.pack import load_pack
from kb_lint.pack.declared import PACK_FILE, beside
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Example, Rule, RulePack
from kb_lint.pack.sources import loaded_beside
from kb_lint.review.example_runs import ExampleRun, explain, run_one

INI_NAME = "kb_lint_rules"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_NAME,
        type="paths",
        default=[],
        help="folders of kb-lint rule packs whose examples are collected as tests (default: rules)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> RulePackFile | None:
    if file_path.name != PACK_FILE:
        return None
    config = parent.config
    folders = config.getini(INI_NAME) or [config.rootpath / "rules"]
    if file_path.parent.parent.resolve() not in {Path(f).resolve() for f in folders}:
        return None
    return RulePackFile.from_parent(parent, path=file_path)


class RulePackFile(pytest.File):
    def collect(self) -> Iterator[RuleExamples]:
        try:
            pack = load_pack(self.path, beside(self.path))
            vocabulary = vocabulary_of(loaded_beside(pack, self.path))
        except InputError as exc:
            raise self.CollectError(str(exc)) from None
        for rule in pack.rules:
            yield RuleExamples.from_parent(
                self, name=rule.id, pack=pack, rule=rule, vocabulary=vocabulary
            )


class RuleExamples(pytest.Collector):
    def __init__(
        self, *, pack: RulePack, rule: Rule, vocabulary: Vocabulary, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.pack = pack
        self.rule = rule
        self.vocabulary = vocabulary  # of the packs of its rules folder, as rules test reads

    def collect(self) -> Iterator[ExampleItem]:
        for example in self.rule.examples:
            yield ExampleItem.from_parent(
                self,
                name=example.file.name,
                pack=self.pack,
                rule=self.rule,
                example=example,
                vocabulary=self.vocabulary,
            )


class ExampleFailed(Exception):
    def __init__(self, run: ExampleRun) -> None:
        super().__init__(run.example.file.name)
        self.run = run


class ExampleItem(pytest.Item):
    def __init__(
        self,
        *,
        pack: RulePack,
        rule: Rule,
        example: Example,
        vocabulary: Vocabulary,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.pack = pack
        self.rule = rule
        self.example = example
        self.vocabulary = vocabulary
        # An example takes no fixtures. Plugins read every item's funcargs as a test
        # function's (pytest-lsp's pytest_runtest_call fails on an item without them).
        self.funcargs: dict[str, Any] = {}

    def runtest(self) -> None:
        run = run_one(self.pack, self.rule, self.example, self.vocabulary)
        if not run.passed:
            raise ExampleFailed(run)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ExampleFailed):
            return "\n".join(explain(excinfo.value.run))
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = self.example.location.line - 1
        return self.path, line, f"{self.rule.id} example {self.example.file.name}"
