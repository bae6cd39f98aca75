"""Every rule can judge every deployment it may meet (KB-RULES-020).

An expression that type-checks can still fail on a value (``len(distinct(x))`` where ``x`` is
missing, so null). ``kb-lint check`` reports such a failure as an error of the rule, at the
expression and the deployment value, and runs the other rules; this check finds it before a
user does. Each rule is run on two kinds of deployment:

1. every example deployment of every pack in the rules folder (``rules/*/examples``);
2. ``UNSET``: one instance of each kind, each with one policy and one user, where no field of
   any pack is written, so every field is at its default, or null when it has none.

It proves nothing about values no example holds (an empty list, a field set to null in an
event): an example that holds one is the way to cover it. Cost: one check of each example
file, and of ``UNSET``, against every pack.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.load import load_text
from kb_lint.model.deployment import (
    Deployment,
    build_deployment,
    deployment_validator,
    read_deployment,
)
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.document import PackSource
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import RulePack
from kb_lint.review.check import Check

RULE_FAILS = Check(
    id="KB-RULES-020",
    name="rule-fails-on-a-deployment",
    severity="error",
    what="A rule whose expression fails with an error on an example deployment of any pack, or "
    "on a deployment that sets none of the packs' fields (each at its default, or null).",
    why="`kb-lint check` cannot judge a deployment with that rule: it reports an error at the "
    "expression instead of a finding, and exits 2. The pack author should see it first.",
    example="fields:\n  policy:\n    exceptions: {type: list, description: ...}  # no default\n"
    "rules:\n  - when: len(distinct(exceptions)) < 3   # distinct() of null\n",
    fix="For a missing value (null), guard the expression (`exceptions and len(...)`) or give "
    "the field a `default:`; for a value of the wrong type, use the function made for it "
    "(`days(a.at, b.at)` for dates, `version(...)` for versions) or compare like with like.",
)
UNSET_PATH = "<a deployment that sets no pack field>"
UNSET = {
    "instances": [
        {
            "name": f"{kind}-1",
            "kind": kind,
            "policies": [
                {
                    "name": "Policy",
                    "users": [
                        {"email": f"user@{kind}.example", "crm_user": f"user@{kind}.example"}
                    ],
                }
            ],
        }
        for kind in ("on-premise", "cloud")
    ]
}


def check_judging(sources: list[PackSource]) -> list[Finding]:
    """One finding per failing expression: the first deployment it fails on, and how many more."""
    packs = [source.pack for source in sources]
    # A table that has no row, or two, for a case: KB-RULES-001 and 002 report it.
    tables = {
        (t.location.path, t.location.line, t.location.column)
        for p in packs
        for t in p.tables.values()
    }
    failures: dict[Location, list[InputError]] = {}
    for error in _errors(packs, vocabulary_of(packs), sources):
        if (error.path, error.line, error.column) not in tables:
            failures.setdefault(Location(error.path, error.line, error.column), []).append(error)
    findings = []
    for where, errors in failures.items():
        more = f"; and on {len(errors) - 1} more" if len(errors) > 1 else ""
        findings.append(RULE_FAILS.finding(where, errors[0].message + more))
    return findings


def _errors(
    packs: list[RulePack], vocabulary: Vocabulary, sources: list[PackSource]
) -> Iterator[InputError]:
    for deployment in _deployments(vocabulary, sources):
        errors: list[InputError] = []
        check_deployment(deployment, packs, errors=errors)
        yield from errors


def _deployments(vocabulary: Vocabulary, sources: list[PackSource]) -> Iterator[Deployment]:
    seen = set()
    for source in sources:
        for rule in source.pack.rules:
            for example in rule.examples:
                if example.file in seen:
                    continue
                seen.add(example.file)
                try:
                    yield read_deployment(example.file, vocabulary)
                except InputError:
                    continue  # the example's own pack reports it (KB-RULES-007)
    doc = load_text(UNSET_PATH, json.dumps(UNSET, indent=1), suffix=".json")
    yield build_deployment(doc, deployment_validator(vocabulary).validate(doc), vocabulary)
