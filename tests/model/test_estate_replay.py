"""The replayed estate (kb_lint/model/estate.py): what each event changes, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from kb_lint.model.estate import Estate
from kb_lint.model.timeline import Event

KEY = ("user@email.com", "user@email.com")


@dataclass(frozen=True)
class Policy:
    index: int
    instance: str
    name: str
    enabled: bool = True
    email_system: str = "exchange"
    data_types: tuple[str, ...] = ("contacts",)


def _event(action: str, **given: str) -> Event:
    return Event(index=0, action=action, pointer=("timeline", 0), **given)


def test_an_event_of_another_action_that_names_a_user_keeps_the_assignment():
    """Only remove-user removes an assignment: a pack's action naming the policy and the user
    (KB 454's reinitialize-user) leaves it, and the policy syncs the user still."""
    estate: Estate[None] = Estate([Policy(0, "onprem", "Sales")], [(0, KEY, None)])
    named = {"instance": "onprem", "policy": "Sales", "email": KEY[0], "crm_user": KEY[1]}
    estate.apply(_event("reinitialize-user", **named))
    assert estate.syncs(0, KEY)
    assert list(estate.assigned(KEY[0])) == [(0, KEY[1])]
    estate.apply(_event("remove-user", **named))
    assert not estate.syncs(0, KEY)
    assert list(estate.assigned(KEY[0])) == []
