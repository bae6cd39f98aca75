"""One user synced by several instances, in the shape of a case of article 105's table."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from kb_lint.model.timeline import ITEM_TYPES
from kb_lint.strategies.deployments import PEOPLE, Data, data_types, email_systems, instance_name

CATEGORY_NAMES = ("CRM", "My Sync (Cloud)", "My Sync (On-Premise)", "Riva Sync")

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
