"""Deployments: instances, policies and their users, drawn from small pools of names."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

from kb_lint.model.fields import Vocabulary
from kb_lint.model.identity import normalise_crm_user, normalise_email
from kb_lint.model.timeline import ITEM_TYPES
from kb_lint.simulate.world import MODELLED_SYSTEMS

Data = dict[str, Any]

# Each person: the spellings of their address, and the CRM user ids they may be synced with.
PEOPLE = (
    (("ann@acme.example", " Ann@Acme.example "), ("ann@acme.example", "005A0000001abcD")),
    (("bob@acme.example", "BOB@acme.example"), ("bob@acme.example",)),
    (("cy@acme.example",), ("cy@acme.example",)),
)
CATEGORIES = ("CRM", "My Sync (Cloud)", "My Sync (On-Premise)")
FOLDER_ROOTS = ("CRM", "Riva")
POLICY_NAMES = ("Sales", "Support", "Marketing")
# Every email system a deployment may give (Google included, which the model does not run:
# M17), and those the model runs, which a migration of article 105 moves between.
SYSTEMS: tuple[str, ...] = Vocabulary.of((), ()).binding_fields()["email_system"].values
MIGRATED = MODELLED_SYSTEMS


def email_systems() -> st.SearchStrategy[str]:
    """Any email system a deployment may give; one the model runs (M1) more often than one it
    does not (Google, M17), whose mailboxes the properties leave out by name."""
    return st.sampled_from((*MIGRATED, *MIGRATED, *SYSTEMS))


def to_yaml(data: Data) -> str:
    """The data as the YAML a person would write (keys in the order they were drawn)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def data_types() -> st.SearchStrategy[list[str]]:
    """A non-empty set of data types, in the usual order."""
    return st.sets(st.sampled_from(ITEM_TYPES), min_size=1).map(
        lambda chosen: [t for t in ITEM_TYPES if t in chosen]
    )


def crm_data(max_per_type: int = 3) -> st.SearchStrategy[Data]:
    """``crm: {records_per_user: ...}`` with at least one record of every type per CRM user, so
    that every overlap has something to collide on."""
    return st.fixed_dictionaries({t: st.integers(1, max_per_type) for t in ITEM_TYPES}).map(
        lambda counts: {"records_per_user": counts}
    )


@st.composite
def users(draw: st.DrawFn, max_size: int = 3) -> list[dict[str, str]]:
    """Assignments of one policy: people from the pool, in any spelling, never twice."""
    chosen = draw(st.lists(st.integers(0, len(PEOPLE) - 1), max_size=max_size, unique=True))
    out = []
    for person in chosen:
        spellings, crm_users = PEOPLE[person]
        out.append(
            {
                "email": draw(st.sampled_from(spellings)),
                "crm_user": draw(st.sampled_from(crm_users)),
            }
        )
    return out


@st.composite
def policy(draw: st.DrawFn, name: str, system: str, with_users: bool = True) -> Data:
    """One policy of ``system``; now and then one never saved (``saved: false``, which the model
    runs as saved: M12)."""
    data: Data = {
        "name": name,
        "enabled": draw(st.sampled_from((True, True, True, False))),
        "email_system": system,
        "category": draw(st.sampled_from(CATEGORIES)),
        "folders": {"root": draw(st.sampled_from(FOLDER_ROOTS))},
        "sync_all_items": draw(st.booleans()),
        "data_types": draw(data_types()),
    }
    if draw(st.integers(0, 15)) == 0:
        data["saved"] = False
    if with_users:
        data["users"] = draw(users())
    return data


def instance_name(kind: str, number: int) -> str:
    return f"riva-cloud-{number}" if kind == "cloud" else f"onprem-{number}"


@st.composite
def deployments(draw: st.DrawFn, max_instances: int = 3, max_policies: int = 2) -> Data:
    """Any deployment of 1 to ``max_instances`` instances, with CRM data and a cycle count.

    Mostly one email system; sometimes a policy declares another (any a deployment may give,
    Google included).
    """
    system = draw(email_systems())
    instances = []
    for number in range(1, draw(st.integers(1, max_instances)) + 1):
        kind = draw(st.sampled_from(("cloud", "on-premise")))
        count = draw(st.integers(1, max_policies))
        policies = [
            draw(policy(POLICY_NAMES[j], draw(st.sampled_from((system,) * 6 + SYSTEMS))))
            for j in range(count)
        ]
        instances.append({"name": instance_name(kind, number), "kind": kind, "policies": policies})
    return {"instances": instances, "crm": draw(crm_data()), "cycles": draw(st.integers(2, 4))}


@st.composite
def clean_deployments(draw: st.DrawFn, max_instances: int = 3, max_policies: int = 2) -> Data:
    """Deployments built to follow article 105: each mailbox is synced by one instance, each
    email user / CRM user combination by one policy, in one email system."""
    system = draw(email_systems())
    shells = []
    for number in range(1, draw(st.integers(1, max_instances)) + 1):
        kind = draw(st.sampled_from(("cloud", "on-premise")))
        count = draw(st.integers(1, max_policies))
        shells.append(
            {
                "name": instance_name(kind, number),
                "kind": kind,
                "policies": [draw(policy(POLICY_NAMES[j], system, False)) for j in range(count)],
            }
        )
    for spellings, crm_users in PEOPLE:
        home = draw(st.integers(-1, len(shells) - 1))  # -1: nobody syncs this person
        if home < 0:
            continue
        policies = shells[home]["policies"]
        for crm_user in draw(st.lists(st.sampled_from(crm_users), min_size=1, unique=True)):
            chosen = policies[draw(st.integers(0, len(policies) - 1))]
            email = draw(st.sampled_from(spellings))
            chosen.setdefault("users", []).append({"email": email, "crm_user": crm_user})
    return {"instances": shells, "crm": draw(crm_data()), "cycles": draw(st.integers(1, 6))}


def assignment(held: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    """An assignment ``(instance, policy, email, crm_user)`` as kb-lint compares it (emails and
    CRM users normalised)."""
    instance, policy, email, crm_user = held
    return instance, policy, normalise_email(email), normalise_crm_user(crm_user)
