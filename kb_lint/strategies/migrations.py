"""One user moved from a Riva Cloud policy to a Riva On-Premise one (article 105's procedures)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hypothesis import strategies as st

from kb_lint.model.identity import normalise_email
from kb_lint.model.timeline import ITEM_TYPES
from kb_lint.strategies.deployments import MIGRATED, PEOPLE, Data, crm_data, data_types, policy


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
