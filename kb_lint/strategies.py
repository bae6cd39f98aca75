"""Hypothesis strategies for Riva deployments, CRM data and migration timelines.

Every strategy draws plain data in the deployment file format (a dict that ``to_yaml`` writes
and ``kb_lint.simulate.scenario_from_data`` loads), so a failing example can be printed as the
YAML a person would write. Names come from small pools, so that overlaps, shared categories and
shared folder roots happen often; addresses come in several spellings of one user::

    from hypothesis import given
    from kb_lint.simulate import scenario_from_data, simulate
    from kb_lint.strategies import deployments

    @given(deployments())
    def test_no_mailbox_holds_more_than_three_copies(data):
        result = simulate(scenario_from_data(data))
        assert result.final()["mailbox_copies_max"] <= 3
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

from kb_lint.model.fields import Vocabulary
from kb_lint.model.identity import normalise_crm_user, normalise_email
from kb_lint.model.timeline import ITEM_TYPES
from kb_lint.simulate.meetings import OPTIONS
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


@dataclass(frozen=True)
class Migration:
    """A user synced by a Riva Cloud policy, to be moved to a Riva On-Premise policy.

    ``scenario(steps)`` performs the given steps of a procedure on their own cycles: the
    source syncs for ``warmup`` cycles first, the steps follow ``spacing`` cycles apart (0: all
    before one cycle; a step left out leaves its cycle empty), and the target syncs ``settle``
    cycles after the last one.
    """

    source: Data
    target: Data
    user: dict[str, str]
    crm: Data
    warmup: int
    spacing: int
    settle: int

    @property
    def email(self) -> str:
        return normalise_email(self.user["email"])

    def cycle_of(self, number: int) -> int:
        """The cycle before which the step numbered ``number`` (from 0) happens."""
        return self.warmup + 1 + number * self.spacing

    def scenario(self, steps: Iterable[tuple[int, str, Iterable[str]]]) -> Data:
        """The migration with the given steps: ``(number, action, covers)``, in order."""
        steps = list(steps)
        last = max((self.cycle_of(n) for n, _, _ in steps), default=self.warmup + 1)
        return {
            "instances": [
                {
                    "name": "riva-cloud",
                    "kind": "cloud",
                    "policies": [{**self.source, "users": [self.user]}],
                },
                {"name": "onprem-1", "kind": "on-premise", "policies": [self.target]},
            ],
            "crm": self.crm,
            "cycles": last + self.settle - 1,
            "timeline": [self._event(n, action, covers) for n, action, covers in steps],
        }

    def fresh(self) -> Data:
        """The target policy syncing the user from the start, alone, for ``settle`` cycles."""
        return {
            "instances": [
                {
                    "name": "onprem-1",
                    "kind": "on-premise",
                    "policies": [{**self.target, "users": [self.user]}],
                }
            ],
            "crm": self.crm,
            "cycles": self.settle,
        }

    def _event(self, number: int, action: str, covers: Iterable[str]) -> Data:
        event: Data = {"cycle": self.cycle_of(number), "action": action}
        if action == "disable-policy":
            event.update(instance="riva-cloud", policy=self.source["name"])
        elif action == "delete-account":
            event.update(instance="riva-cloud", email=self.user["email"])
        elif action == "remove-riva-data":
            event.update(email=self.user["email"], what=sorted(covers))
        else:
            event.update(instance="onprem-1", policy=self.target["name"], **self.user)
        return event


@st.composite
def migrations(draw: st.DrawFn, system: str | None = None) -> Migration:
    """A Riva Cloud to Riva On-Premise move of one user, in one email system the model runs
    (article 105's procedures are for Exchange and GroupWise), between saved policies."""
    system = system or draw(st.sampled_from(MIGRATED))
    source = draw(policy("Sales", system, False))
    target = draw(policy("Sales", system, False))
    source["enabled"] = target["enabled"] = True
    source.pop("saved", None)
    target.pop("saved", None)
    for side in (source, target):  # every data type half of the time: each step has its residue
        side["data_types"] = draw(st.one_of(st.just(list(ITEM_TYPES)), data_types()))
    spellings, crm_users = PEOPLE[0]
    user = {"email": draw(st.sampled_from(spellings)), "crm_user": crm_users[0]}
    return Migration(
        source=source,
        target=target,
        user=user,
        crm=draw(crm_data()),
        warmup=draw(st.integers(1, 2)),
        spacing=draw(st.integers(0, 1)),
        settle=draw(st.integers(2, 3)),
    )


# The rows of article 105's decision table as overlap shapes: category names, folder names and
# who syncs all items (each a choice of values). ``shapes`` draws a row first, so that every row
# is met about as often as the others, however many cases it covers.
ANY_FOLDERS = ("same", "different")
SOME_OR_ALL = ("some", "all")
ROWS = (
    (("same",), ANY_FOLDERS, ("none",)),
    (("same",), ANY_FOLDERS, SOME_OR_ALL),
    (("some shared",), ANY_FOLDERS, ("none",)),
    (("some shared",), ANY_FOLDERS, SOME_OR_ALL),
    (("different",), ("same",), ("none",)),
    (("different",), ("same",), SOME_OR_ALL),
    (("different",), ("different",), ("none",)),
    (("different",), ("different",), SOME_OR_ALL),
)


@dataclass(frozen=True)
class Shape:
    """What an overlap looks like before any name is chosen: one case of the decision table
    (``categories``, ``folders``, ``sync_all``), how many instances, and ``default_folders``:
    whether the policies leave their folder names to Riva (which follows the category)."""

    instances: int
    categories: str
    folders: str
    sync_all: str
    default_folders: bool


@st.composite
def shapes(draw: st.DrawFn, max_instances: int = 4) -> Shape:
    """A row of the table, a case of it, then a number of instances that can show it: "some
    shared" needs three; a policy that configures no folder root gets Riva's default, "CRM",
    the same for every policy, so only the "same" folder shape can come from the defaults."""
    row_categories, row_folders, row_sync_all = draw(st.sampled_from(ROWS))
    categories = draw(st.sampled_from(row_categories))
    low = 3 if categories == "some shared" else 2
    folders = draw(st.sampled_from(row_folders))
    follows = folders == "same"
    return Shape(
        instances=draw(st.integers(low, max(low, max_instances))),
        categories=categories,
        folders=folders,
        sync_all=draw(st.sampled_from(row_sync_all)),
        default_folders=follows and draw(st.booleans()),
    )


def _pattern(draw: st.DrawFn, shape: str, n: int) -> list[int]:
    """Name indexes for ``n`` instances: all equal, all different, or some shared (at least one
    pair equal, not all equal)."""
    if shape == "same":
        return [0] * n
    if shape == "different":
        return list(range(n))
    pattern = draw(st.lists(st.integers(0, n - 2), min_size=n, max_size=n))  # one pair at least
    if len(set(pattern)) == 1:
        pattern = [0, 0, *range(1, n - 1)]
    return list(draw(st.permutations(pattern)))


def _flags(draw: st.DrawFn, shape: str, n: int) -> list[bool]:
    if shape in ("none", "all"):
        return [shape == "all"] * n
    flags = [True, False, *draw(st.lists(st.booleans(), min_size=n - 2, max_size=n - 2))]
    return list(draw(st.permutations(flags)))


@st.composite
def overlaps(draw: st.DrawFn, max_instances: int = 4) -> tuple[Shape, Data]:
    """One user synced by several instances in the shape drawn first (``shapes``), then the
    rest: instance kinds, one email system, the data types every instance syncs, CRM records
    (0 of a type included), the user's own items, a disabled policy that holds the user too
    (A4), a bystander another instance syncs alone, and 2 to 4 cycles. Returns the shape (for
    the coverage report) and the deployment."""
    shape = draw(shapes(max_instances))
    n = shape.instances
    system = draw(email_systems())
    types = draw(data_types())
    spellings, crm_users = PEOPLE[0]
    crm_user = draw(st.sampled_from(crm_users))
    categories = _pattern(draw, shape.categories, n)
    if shape.default_folders:
        roots: list[int | None] = [None] * n
    else:
        folders = shape.folders
        if folders == "same" and n > 2 and draw(st.booleans()):
            folders = "some shared"
        roots = list(_pattern(draw, folders, n))
    flags = _flags(draw, shape.sync_all, n)
    instances = []
    for k in range(n):
        kind = draw(st.sampled_from(("cloud", "on-premise")))
        policy: Data = {
            "name": "Sales",
            "email_system": system,
            "category": CATEGORY_NAMES[categories[k]],
            "sync_all_items": flags[k],
            "data_types": types,
            "users": [{"email": draw(st.sampled_from(spellings)), "crm_user": crm_user}],
        }
        if roots[k] is not None:
            policy["folders"] = {"root": f"Folders {roots[k]}"}
        policies = [policy]
        if draw(st.integers(0, 3)) == 0:  # a disabled policy that still holds the user (A4)
            old = {**policy, "name": "Old", "enabled": False, "category": "Old"}
            policies.append({**old, "users": list(policy["users"])})
        instances.append({"name": instance_name(kind, k + 1), "kind": kind, "policies": policies})
    bystander = PEOPLE[1][0][0]
    instances[0]["policies"][0]["users"].append({"email": bystander, "crm_user": bystander})
    none = draw(st.integers(0, 4)) == 0  # now and then, a CRM user without records
    return shape, {
        "instances": instances,
        "crm": {
            "records_per_user": {t: 0 if none else draw(st.integers(1, 2)) for t in ITEM_TYPES}
        },
        "mailbox": {"user_items": {t: draw(st.integers(0, 1)) for t in ITEM_TYPES}},
        "cycles": draw(st.integers(2, 4)),
    }


CATEGORY_NAMES = ("CRM", "My Sync (Cloud)", "My Sync (On-Premise)", "Riva Sync")


ACTIONS = ("disable-policy", "enable-policy", "add-user", "remove-user", "delete-account")
WHAT_WORDS = ("items", "contacts", "leads", "appointments", "tasks", "folders", "categories")


@st.composite
def plans(draw: st.DrawFn, max_events: int = 4) -> Data:
    """A deployment (``deployments``) and a timeline of 1 to ``max_events`` changes on cycles:
    policies disabled and enabled, people added to and removed from policies, accounts
    deleted, Riva data removed. Each removal names a user, account or mailbox the deployment
    has at that point (otherwise it is an input error). The run lasts two cycles past the last
    change (M11)."""
    data = draw(deployments(max_instances=3, max_policies=2))
    policies = [(i["name"], p["name"]) for i in data["instances"] for p in i["policies"]]
    held = [  # (instance, policy, email, crm_user) as written
        (i["name"], p["name"], u["email"], u["crm_user"])
        for i in data["instances"]
        for p in i["policies"]
        for u in p["users"]
    ]
    had = list(held)  # every assignment so far: its account and mailbox data outlive it
    timeline = []
    cycle = 1
    for _ in range(draw(st.integers(1, max_events))):
        cycle += draw(st.integers(0, 1))
        spellings, crm_users = draw(st.sampled_from(PEOPLE))
        email = draw(st.sampled_from(spellings))
        removals = (("remove-user",) if held else ()) + (
            ("delete-account", "remove-riva-data") if had else ()
        )
        action = draw(st.sampled_from((*ACTIONS, "remove-riva-data")))
        if action not in removals and action not in ("disable-policy", "enable-policy"):
            action = "add-user"
        entry: Data = {"cycle": cycle, "action": action}
        if action == "remove-riva-data":
            what = sorted(draw(st.sets(st.sampled_from(WHAT_WORDS), min_size=1)))
            entry.update(email=draw(st.sampled_from(had))[2], what=what)
        elif action == "delete-account":
            instance, _, email, _ = draw(st.sampled_from(had))
            entry.update(instance=instance, email=email)
        elif action == "remove-user":
            instance, policy, email, crm_user = draw(st.sampled_from(held))
            entry.update(instance=instance, policy=policy, email=email, crm_user=crm_user)
            held = [h for h in held if _user(h) != _user((instance, policy, email, crm_user))]
        else:
            instance, policy = draw(st.sampled_from(policies))
            entry.update(instance=instance, policy=policy)
            if action == "add-user":
                crm_user = draw(st.sampled_from(crm_users))
                entry.update(email=email, crm_user=crm_user)
                held.append((instance, policy, email, crm_user))
                had.append((instance, policy, email, crm_user))
        timeline.append(entry)
    return {**data, "timeline": timeline, "cycles": cycle + 2}


def _user(held: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    """An assignment as kb-lint compares it (emails and CRM users normalised)."""
    instance, policy, email, crm_user = held
    return instance, policy, normalise_email(email), normalise_crm_user(crm_user)


ADDRESS_BOOKS = ("unknown", "empty", "has-crm-contacts")  # pack KB519's address_book values


@st.composite
def with_contacts(draw: st.DrawFn, data: Data) -> Data:
    """``data`` with pack KB519's fields drawn (the simulator's M13; read the result with the
    pack's vocabulary): what each user's address book holds, and whether each instance's CRM
    holds a contact twice."""
    drawn = copy.deepcopy(data)
    for inst in drawn.get("instances", []):
        inst["crm_duplicate_contacts"] = draw(st.booleans())
        for policy in inst.get("policies", []):
            for user in policy.get("users", []):
                if isinstance(user, dict):
                    user["address_book"] = draw(st.sampled_from(ADDRESS_BOOKS))
    return drawn


MEETINGS = ("colleagues", "contacts", "strangers")  # pack KB1507's meeting_attendees values


@st.composite
def with_meetings(draw: st.DrawFn, data: Data) -> Data:
    """``data`` with pack KB1507's fields drawn (the simulator's M16; read the result with the
    pack's vocabulary): each policy's Attendee Syncing options, sometimes left out, and who
    each user's meetings are with, sometimes not said."""
    drawn = copy.deepcopy(data)
    for inst in drawn.get("instances", []):
        for policy in inst.get("policies", []):
            if draw(st.booleans()):
                for option in OPTIONS:
                    policy[option] = draw(st.booleans())
            for user in policy.get("users", []):
                if isinstance(user, dict) and draw(st.booleans()):
                    user["meeting_attendees"] = draw(st.sampled_from(MEETINGS))
    return drawn


RELEASES = (None, "2.4.38", "2.4.39.24181", "2.4.52")  # around KB 1270's 2.4.39.24181


@st.composite
def with_new_address(draw: st.DrawFn, data: Data) -> Data:
    """``data`` with one user of a Riva On-Premise policy removed and added back for the same
    CRM user under a new address, in the same policy or another of the instance, and the
    instance's release drawn (the simulator's M14); a user the timeline already removes is not
    drawn. Without such a user, ``data`` unchanged."""
    drawn = copy.deepcopy(data)
    removed = {
        _user((e["instance"], e["policy"], e["email"], e["crm_user"]))
        for e in drawn.get("timeline", [])
        if e.get("action") == "remove-user"
    }
    rows = [
        (inst, policy, user)
        for inst in drawn.get("instances", [])
        if inst["kind"] == "on-premise"
        for policy in inst.get("policies", [])
        for user in policy.get("users", [])
        if isinstance(user, dict)
        and _user((inst["name"], policy["name"], user["email"], user["crm_user"])) not in removed
    ]
    if not rows:
        return drawn
    inst, policy, user = draw(st.sampled_from(rows))
    release = draw(st.sampled_from(RELEASES))
    if release is not None:
        inst["riva_version"] = release
    target = draw(st.sampled_from(inst["policies"]))
    removed = draw(st.integers(2, 3))  # after a first sync registered the CRM user
    added = removed + draw(st.integers(0, 1))
    new = "new." + normalise_email(user["email"])
    common = {"action": "remove-user", "instance": inst["name"], "crm_user": user["crm_user"]}
    timeline = [
        *drawn.get("timeline", []),
        {**common, "cycle": removed, "policy": policy["name"], "email": user["email"]},
        {**common, "cycle": added, "action": "add-user", "policy": target["name"], "email": new},
    ]
    drawn["timeline"] = sorted(timeline, key=lambda entry: entry["cycle"])
    drawn["cycles"] = max(drawn.get("cycles", 2), added + 2)
    return drawn


@st.composite
def with_locked_change(draw: st.DrawFn, data: Data) -> Data:
    """``data`` with, sometimes, a change of a setting Riva fixes at a policy's first save, to
    its value or another: the master folder (pack KB1668, the simulator's M12), the category or
    the separate contact folder option (pack KB1508, M15)."""
    drawn = copy.deepcopy(data)
    policies = [(i["name"], p) for i in drawn.get("instances", []) for p in i.get("policies", [])]
    if not policies or not draw(st.booleans()):
        return drawn
    instance, policy = draw(st.sampled_from(policies))
    cycle = draw(st.integers(1, 3))
    action, setting, values = draw(
        st.sampled_from(
            (
                ("rename-master-folder", "folder_root", FOLDER_ROOTS),
                ("change-sync-category", "category", CATEGORIES),
                ("change-contact-folder-option", "separate_contact_folder", (False, True)),
            )
        )
    )
    change = {"cycle": cycle, "action": action, "instance": instance, "policy": policy["name"]}
    change[setting] = draw(st.sampled_from(values))
    drawn["timeline"] = sorted([*drawn.get("timeline", []), change], key=lambda e: e["cycle"])
    drawn["cycles"] = max(drawn.get("cycles", 2), cycle + 2)
    return drawn
