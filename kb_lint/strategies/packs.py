"""The fields and changes of shipped packs whose mechanisms the simulator models, drawn over
a deployment (each names its pack and model assumption)."""

from __future__ import annotations

import copy

from hypothesis import strategies as st

from kb_lint.model.identity import normalise_email
from kb_lint.simulate.meetings import OPTIONS
from kb_lint.strategies.deployments import CATEGORIES, FOLDER_ROOTS, Data, assignment

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
        assignment((e["instance"], e["policy"], e["email"], e["crm_user"]))
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
        and assignment((inst["name"], policy["name"], user["email"], user["crm_user"]))
        not in removed
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
