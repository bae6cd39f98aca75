"""Timelines of changes on cycles over a drawn deployment."""

from __future__ import annotations

from hypothesis import strategies as st

from kb_lint.strategies.deployments import PEOPLE, Data, assignment, deployments

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
            held = [
                h for h in held if assignment(h) != assignment((instance, policy, email, crm_user))
            ]
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
