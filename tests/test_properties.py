"""The rules proved against the model (Hypothesis): what kb-lint predicts is what Riva does.

1. A deployment with no findings ends, after any number of cycles, with exactly one mailbox
   copy of every CRM record it syncs, no errors and no duplicate CRM records.
2. For every mailbox, the merged outcome of the findings about it is the outcome the model
   shows (mailboxes with a finding that predicts nothing are skipped: the rule says so).
3. Each migration procedure, followed, ends as a fresh single-instance sync; dropping any one
   step leaves exactly the residue the pack names for that step.
4. The fast path gives the item-level result.

Settings: see ``EXAMPLES``. Every failing example is printed as the YAML deployment (``note``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, find, given, note, settings
from hypothesis import strategies as st

from kb_lint.engine import check_deployment
from kb_lint.pack import RulePack, load_packs
from kb_lint.simulate import Setup, run_fast, run_items, scenario_from_data
from kb_lint.simulate.compare import differences, predictions, with_defaults
from kb_lint.strategies import clean_deployments, deployments, migrations, to_yaml
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
[KB105] = [p for p in PACKS if p.id == "KB105"]
PROCEDURES = {"exchange": KB105.procedures["KB105-P1"], "groupwise": KB105.procedures["KB105-P2"]}

# Examples per property, chosen so that the file runs in about a minute on two cores while each
# property still meets every row of the decision table and every step of both procedures many
# times over (the strategies draw names from small pools, so overlaps are the common case).
EXAMPLES = {"clean": 150, "agree": 400, "migrate": 60, "fast": 80}
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "print_blob": True}


def synced_mailboxes(setup: Setup) -> set[str]:
    return {email for p in setup.policies if p.enabled for email, _ in p.users}


def disagreements(data: dict[str, Any], packs: list[RulePack]) -> dict[str, list[str]]:
    """Property 2's body: each mailbox where the merged prediction differs from the model."""
    scenario = scenario_from_data(data)
    [pack] = [p for p in packs if p.id == "KB105"]
    predicted = predictions(check_deployment(scenario.deployment, packs), pack.outcomes)
    result = run_items(scenario.setup)
    found = {}
    for email in synced_mailboxes(scenario.setup):
        want = predicted.get(email, with_defaults({}, pack.outcomes))
        if want is not None and (diff := differences(want, result.mailboxes[email])):
            found[email] = diff
    return found


@settings(max_examples=EXAMPLES["clean"], **SETTINGS)
@given(clean_deployments())
def test_a_clean_deployment_syncs_one_copy_of_every_record(data):
    note(to_yaml(data))
    scenario = scenario_from_data(data)
    assume(not check_deployment(scenario.deployment, PACKS))
    per_type = data["crm"]["records_per_user"]
    expected = sum(
        per_type[kind]
        for policy in scenario.setup.policies
        if policy.enabled
        for _ in dict.fromkeys(policy.users)
        for kind in policy.data_types
    )
    result = run_items(scenario.setup)
    for cycle in result.cycles:
        assert cycle.errors == 0
        assert cycle.crm_records == result.originals
        assert cycle.mailbox_items == expected
        assert cycle.mailbox_copies_max == (1 if expected else 0)
        assert cycle.leftovers == 0
    for email in synced_mailboxes(scenario.setup):
        assert result.mailboxes[email] == with_defaults({}, KB105.outcomes)


@settings(max_examples=EXAMPLES["agree"], **SETTINGS)
@given(deployments())
def test_the_rules_predict_what_the_model_shows(data):
    note(to_yaml(data))
    assert disagreements(data, PACKS) == {}


def _state(data: dict[str, Any], email: str) -> tuple:
    result = run_items(scenario_from_data(data).setup)
    last = result.cycles[-1]
    measures = (
        last.mailbox_items,
        last.crm_records,
        last.mailbox_copies_max,
        last.errors,
        last.leftovers,
    )
    return result.mailboxes[email], measures


@settings(max_examples=EXAMPLES["migrate"], **SETTINGS)
@given(migrations())
def test_a_migration_followed_ends_fresh_and_every_skipped_step_leaves_its_residue(migration):
    procedure = PROCEDURES[migration.source["email_system"]]
    steps = [(n, step.action, step.covers) for n, step in enumerate(procedure.steps)]
    followed = migration.scenario(steps)
    note(to_yaml(followed))
    assert not check_deployment(scenario_from_data(followed).deployment, PACKS)
    assert _state(followed, migration.email) == _state(migration.fresh(), migration.email)
    for skipped in procedure.steps[:-1]:
        data = migration.scenario(s for s in steps if s[0] != skipped.number - 1)
        note(f"without step {skipped.id}:\n{to_yaml(data)}")
        findings = check_deployment(scenario_from_data(data).deployment, PACKS)
        assert [f.subject.get("step") for f in findings] == [skipped.id]
        residue = with_defaults(findings[0].outcome, KB105.outcomes)
        simulated, _ = _state(data, migration.email)
        assert differences(residue, simulated) == [], skipped.id


@st.composite
def moves(draw: st.DrawFn) -> dict[str, Any]:
    """A Riva Cloud to Riva On-Premise move, by the book or with one step left out."""
    migration = draw(migrations())
    procedure = PROCEDURES[migration.source["email_system"]]
    skipped = draw(st.integers(-1, len(procedure.steps) - 2))
    steps = [(n, s.action, s.covers) for n, s in enumerate(procedure.steps) if n != skipped]
    return migration.scenario(steps)


@settings(max_examples=EXAMPLES["fast"], **SETTINGS)
@given(
    st.lists(st.one_of(deployments(max_instances=2), moves()), min_size=1, max_size=3),
    st.integers(1, 3),
)
def test_the_fast_path_gives_the_item_level_result(parts, copies):
    """Organisations made of repeated departments: the fast path runs one of each."""
    data = organisation(parts, copies)
    note(to_yaml(data))
    setup = scenario_from_data(data).setup
    item_level, fast = run_items(setup), run_fast(setup)
    assert fast.cycles == item_level.cycles
    assert fast.mailboxes == item_level.mailboxes


def organisation(parts: list[dict[str, Any]], copies: int) -> dict[str, Any]:
    """The deployments side by side, each ``copies`` times with its own users (and their own
    timeline events); instances with the same name are merged, policy by policy."""
    instances: dict[str, dict[str, Any]] = {}
    timeline: list[dict[str, Any]] = []

    def own(copy: int, entry: dict[str, Any]) -> dict[str, Any]:
        renamed = {k: f"d{copy}.{entry[k].strip()}" for k in ("email", "crm_user") if k in entry}
        return {**entry, **renamed}

    for n, part in enumerate(parts):
        for copy in range(copies):
            for inst in part["instances"]:
                merged = instances.setdefault(
                    inst["name"], {"name": inst["name"], "kind": inst["kind"], "policies": []}
                )
                for policy in inst["policies"]:
                    name = f"{policy['name']} {n}"
                    target = next((p for p in merged["policies"] if p["name"] == name), None)
                    if target is None:
                        target = {**policy, "name": name, "users": []}
                        merged["policies"].append(target)
                    target["users"] += [own(copy, u) for u in policy.get("users", [])]
            for event in part.get("timeline", []):
                renamed = own(copy, event)
                if "policy" in event:
                    renamed["policy"] = f"{event['policy']} {n}"
                timeline.append(renamed)
    return {
        "instances": list(instances.values()),
        "timeline": sorted(timeline, key=lambda event: event["cycle"]),
        "crm": parts[0]["crm"],
        "cycles": max(part["cycles"] for part in parts),
        "seed": 7,
    }


def test_a_skipped_policy_beside_a_second_instance():
    """Riva Cloud assigns the user twice (A3: only "Sales" syncs it); Riva On-Premise shares
    Sales's category. The model shows one copy, and so does the table: ``first_per: instance``
    leaves "Support" out."""
    policy = {
        "email_system": "exchange",
        "folders": {"root": "CRM"},
        "users": [{"email": "bob@acme.example", "crm_user": "bob@acme.example"}],
    }
    data = {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [
                    {**policy, "name": "Sales", "category": "CRM"},
                    {**policy, "name": "Support", "category": "My Sync (Cloud)"},
                ],
            },
            {
                "name": "onprem-1",
                "kind": "on-premise",
                "policies": [
                    {**policy, "name": "Sales", "category": "CRM", "folders": {"root": "Riva"}},
                ],
            },
        ],
        "crm": {"records_per_user": {"contacts": 1, "leads": 1, "appointments": 1, "tasks": 1}},
    }
    assert disagreements(data, PACKS) == {}


def test_a_broken_rule_is_caught(tmp_path):
    """Flip the first row of the decision table (same category: errors) in a copy of rules/:
    property 2 finds a deployment where the rules and the model disagree."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    pack_file = rules / "kb-105" / "pack.yaml"
    data = yaml.safe_load(pack_file.read_text("utf-8"))
    [table] = [t for t in data["tables"] if t["id"] == "expected-challenges"]
    assert table["rows"][0]["when"] == {"categories": "same", "sync_all_items": "none"}
    table["rows"][0]["then"]["sync_errors"] = False
    data["pack"]["source"] = str(ROOT / "docs" / "articles" / Path(data["pack"]["source"]).name)
    pack_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    broken = load_packs(rules)

    counterexample = find(
        deployments(max_instances=2, max_policies=1),
        lambda d: bool(disagreements(d, broken)),
        settings=settings(max_examples=300, database=None, **SETTINGS),
    )
    print(to_yaml(counterexample))
    problems = disagreements(counterexample, broken)
    assert any("sync_errors: rules False, model True" in p for p in problems.values()), problems
    assert disagreements(counterexample, PACKS) == {}
