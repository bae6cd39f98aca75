"""The article's procedures, swept: each move done right, with each step left out, and with each
two steps the article orders swapped, simulated, with the rules' prediction beside the outcome.

A case is a user moved from Riva Cloud to Riva On-Premise (different categories, Riva's default
folder root) on Exchange or GroupWise, one event per cycle from cycle 2 (Riva Cloud has synced
once), its events written from the pack's procedure for that email system: each step's action
on the move's instances. The clean-up bullets of one article step are not ordered by the
article, so they are never swapped with each other.

What the rules predict for the end of the run is what the plan's own verdicts say of its
replayed end state: the findings ``kb-lint check`` reports on the estate the timeline leaves
(the replayed assignments, enabled policies and deleted accounts, without the timeline), with
the residue the procedure rule predicts for each step it finds broken. The model runs the plan
and settles (M11).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.model.deployment import make_binding
from kb_lint.model.estate import Estate
from kb_lint.pack import RulePack
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Procedure, Step
from kb_lint.simulate.compare import Outcome, differences, measured, predictions, with_defaults
from kb_lint.simulate.measures import MODEL
from kb_lint.simulate.report import agreement, show, table
from kb_lint.simulate.run import run_items
from kb_lint.simulate.scenario import scenario_from_data
from kb_lint.simulate.sweep import simulated_by

SETTLE = 3  # cycles after the last event (M11: two are enough)
USER = "user@email.com"
RECORDS = {"contacts": 2, "leads": 1, "appointments": 2, "tasks": 1}
KINDS = ("cloud", "on-premise")


@dataclass(frozen=True)
class MoveCase:
    procedure: str
    email_system: str
    label: str  # "by the book", "without step 2", "step 1 ⇄ step 4"
    steps: tuple[Step, ...]  # the events, in the order the case does them


@dataclass(frozen=True)
class MoveResult:
    case: MoveCase
    predicted: Outcome
    simulated: Outcome

    @property
    def differences(self) -> list[str]:
        return differences(self.predicted, self.simulated)


def cases(packs: list[RulePack]) -> Iterator[MoveCase]:
    """Every procedure of the packs the model simulates that moves a user from Riva Cloud to
    Riva On-Premise, on the email system it applies to."""
    for pack in simulated_by(packs, MODEL):
        for procedure in pack.procedures.values():
            system = _system(procedure)
            if system is None:
                continue
            steps = procedure.steps
            name = procedure.id
            yield MoveCase(name, system, "by the book", steps)
            for i, step in enumerate(steps[:-1]):
                yield MoveCase(
                    name, system, f"without {procedure.place(step)}", steps[:i] + steps[i + 1 :]
                )
            for i, first in enumerate(steps):
                for j in range(i + 1, len(steps)):
                    second = steps[j]
                    if first.item == second.item and not first.part:
                        continue  # bullets of one article step: the article does not order them
                    order = list(steps)
                    order[i], order[j] = second, first
                    label = f"{procedure.place(first)} ⇄ {procedure.place(second)}"
                    yield MoveCase(name, system, label, tuple(order))


def _system(procedure: Procedure) -> str | None:
    """The email system a Cloud to On-Premise procedure applies to, or None (a procedure whose
    change is no move too)."""
    if procedure.change != "move":
        return None
    for system in ("exchange", "groupwise"):
        if procedure.applies is not None and procedure.applies(_move(system)):
            return system
    return None


def _move(system: str) -> dict[str, Any]:
    """The source and target bindings of every case's move on ``system``, as the procedure
    rules see a move: the Riva Cloud assignment, and the one the ``add-user`` event makes."""
    deployment = scenario_from_data({"instances": _instances(system)}, "<move>").deployment
    source = deployment.binding(0)
    onprem = deployment.policies[1]
    target = make_binding(onprem, source.email, source.crm_user, onprem.pointer)
    return {"source": source.env(), "target": target.env()}


def _instances(system: str) -> list[dict[str, Any]]:
    """Riva Cloud syncing the user, and Riva On-Premise with an empty policy, on ``system``."""
    return [
        {
            "name": name,
            "kind": kind,
            "policies": [
                {
                    "name": "Sales",
                    "email_system": system,
                    "category": f"My Sync ({name})",
                    "users": [{"email": USER, "crm_user": USER}] if kind == "cloud" else [],
                }
            ],
        }
        for name, kind in (("riva-cloud", "cloud"), ("onprem", "on-premise"))
    ]


def scenario(case: MoveCase, seed: int) -> dict[str, Any]:
    timeline = [_event(step, cycle) for cycle, step in enumerate(case.steps, start=2)]
    return {
        "instances": _instances(case.email_system),
        "crm": {"records_per_user": RECORDS},
        "timeline": timeline,
        "cycles": len(timeline) + 1 + SETTLE,
        "seed": seed,
    }


def _event(step: Step, cycle: int) -> dict[str, Any]:
    """The event that does ``step`` for the case's move."""
    event: dict[str, Any] = {"cycle": cycle, "action": step.action}
    if step.action in ("disable-policy", "enable-policy"):
        event |= {"instance": "riva-cloud", "policy": "Sales"}
    elif step.action == "delete-account":
        event |= {"instance": "riva-cloud", "email": USER}
    elif step.action == "remove-riva-data":
        event |= {"email": USER, "what": sorted(step.covers)}
    elif step.action == "add-user":
        event |= {"instance": "onprem", "policy": "Sales", "email": USER, "crm_user": USER}
    return event


def end_state(data: dict[str, Any], vocabulary: Any) -> dict[str, Any]:
    """The deployment the plan leaves: its timeline replayed on the estate, then dropped."""
    deployment = scenario_from_data(data, "<move>", vocabulary).deployment
    columns = deployment.bindings
    estate: Estate[None] = Estate(
        deployment.policies,
        (
            (columns.policy[row], (columns.email[row], columns.crm_user[row]), None)
            for row in range(len(columns))
        ),
    )
    for event in deployment.timeline:
        estate.apply(event)
    instances = []
    for instance in data["instances"]:
        policies = []
        for policy in instance["policies"]:
            index = estate.policy_index(instance["name"], policy["name"])
            assert index is not None
            users = [
                {"email": email, "crm_user": crm_user}
                for email, crm_user in estate.users[index]
                if estate.account(instance["name"], email)
            ]
            policies.append(policy | {"enabled": estate.enabled[index], "users": users})
        instances.append(instance | {"policies": policies})
    return {"instances": instances}


def run_moves(packs: list[RulePack], seed: int = 0) -> list[MoveResult]:
    """Each case simulated; the rules' prediction of how it ends beside the model's."""
    vocabulary = vocabulary_of(packs)
    judged = simulated_by(packs, MODEL)
    results = []
    for case in cases(packs):
        data = scenario(case, seed)
        plan = scenario_from_data(data, f"<sweep: {case.procedure} {case.label}>", vocabulary)
        at_end = scenario_from_data(end_state(data, vocabulary), "<end>", vocabulary)
        findings = [
            *(f for f in check_deployment(plan.deployment, packs) if _is_procedure(f, packs)),
            *check_deployment(at_end.deployment, packs),
        ]
        simulated = run_items(plan.setup).mailboxes[USER]
        predicted: Outcome = {}
        for pack in judged:
            fields = measured(pack, simulated, case.procedure in pack.procedures)
            outcome = predictions(findings, fields).get(USER, with_defaults({}, fields))
            predicted.update(outcome or {})
        results.append(MoveResult(case, predicted, simulated))
    return results


def _is_procedure(finding: Any, packs: list[RulePack]) -> bool:
    return any(r.id == finding.rule and r.kind == "procedure" for p in packs for r in p.rules)


HEADERS = ["procedure", "email system", "case", "errors", "copies", "CRM duplicates", "left"]
HEADERS += ["dormant", "agree"]
SHOWN = ("sync_errors", "mailbox_copies", "crm_duplicates", "leftovers", "dormant")


def render_moves(results: list[MoveResult], fmt: str) -> str:
    """The procedure cases as a table (text or markdown): each field as predicted / simulated,
    and whether they agree; then how many agree."""
    rows = []
    for r in results:
        c = r.case
        row = [c.procedure, c.email_system, c.label]
        row += [f"{show(r.predicted.get(n))} / {show(r.simulated.get(n))}" for n in SHOWN]
        row.append("yes" if not r.differences else "NO")
        rows.append(row)
    cells = "at the end of the run, predicted / simulated"
    return table(HEADERS, rows, fmt, cells, agreement(results, "procedure cases"))


def moves_json(result: MoveResult) -> dict[str, Any]:
    c = result.case
    return {
        "procedure": c.procedure,
        "email_system": c.email_system,
        "case": c.label,
        "steps": [s.id for s in c.steps],
        "predicted": result.predicted,
        "simulated": result.simulated,
        "differences": result.differences,
    }


def moves_row(result: MoveResult) -> dict[str, Any]:
    """A procedure case as a CSV row: ``procedure``, ``email_system``, ``procedure_case``,
    ``steps``, then ``simulated.*`` and ``predicted.*`` columns."""
    c = result.case
    row: dict[str, Any] = {"procedure": c.procedure, "email_system": c.email_system}
    row |= {"procedure_case": c.label, "steps": [s.id for s in c.steps]}
    for part, outcome in (("simulated", result.simulated), ("predicted", result.predicted)):
        row |= {f"{part}.{k}": v for k, v in outcome.items()}
    row["agree"] = not result.differences
    return row
