"""The live configuration: which policy of which instance syncs what, as the timeline changes it."""

from __future__ import annotations

from dataclasses import dataclass

from kb_lint.model.estate import Estate
from kb_lint.model.exclusivity import Claims
from kb_lint.model.timeline import Event
from kb_lint.simulate.scenario import PolicySpec

User = tuple[str, str]  # (email, crm_user)


@dataclass(frozen=True, slots=True)
class Assignment:
    """What one policy syncs for one mailbox: a CRM user's records of some data types."""

    policy: PolicySpec
    crm_user: str
    types: tuple[str, ...]

    @property
    def writer(self) -> str:
        """Who keeps the copies (M6): the instance, or with force user exclusivity off each of
        its policies on its own (KB 433: every policy writes its own copy)."""
        policy = self.policy
        return policy.instance if policy.exclusive else f"{policy.instance}\x00{policy.name}"


class Configuration:
    """What each instance syncs in each mailbox, as the timeline changes the estate
    (``kb_lint.model.estate``, the state every timeline judge replays).

    ``assignments[instance][email]`` is what the instance syncs in that mailbox; call
    ``refresh`` after a batch of ``apply``.
    """

    def __init__(self, instances: tuple[str, ...], policies: tuple[PolicySpec, ...]) -> None:
        self.instances = instances
        self.policies = policies
        self.estate: Estate[None] = Estate(
            policies, ((p.index, user, None) for p in policies for user in p.users)
        )
        self.assignments: dict[str, dict[str, list[Assignment]]] = {}
        self.refresh()

    def refresh(self) -> None:
        """Recompute every instance's assignments, under force user exclusivity as the rules
        read it (``kb_lint.model.exclusivity``, M6)."""
        table: dict[str, dict[str, list[Assignment]]] = {name: {} for name in self.instances}
        claims = Claims()
        estate = self.estate
        for policy in self.policies:
            if not estate.enabled[policy.index]:
                continue
            per_email = table[policy.instance]
            for email, crm_user in estate.users[policy.index]:
                if not estate.account(policy.instance, email):
                    continue
                user = (policy.instance, email, crm_user)
                types = claims.take(user, policy.data_types, policy.exclusive)
                if types:
                    per_email.setdefault(email, []).append(
                        Assignment(policy, crm_user, tuple(types))
                    )
        self.assignments = table

    def active(self, instance: str, email: str) -> bool:
        """The instance syncs the mailbox: an enabled policy assigns it and its account exists
        (never so for the user, the owner of a meeting of the user's own, M16)."""
        return email in self.assignments.get(instance, {})

    def apply(self, event: Event) -> None:
        """A configuration change (``remove-riva-data`` touches only the mailbox)."""
        self.estate.apply(event)

    def dormant(self) -> set[str]:
        """Mailboxes where a disabled policy whose account still exists holds a combination that
        another instance syncs: enabling the policy again would resume the overlap."""
        found = set()
        estate = self.estate
        for policy in self.policies:
            if estate.enabled[policy.index]:
                continue
            for email, crm_user in estate.users[policy.index]:
                if not estate.account(policy.instance, email):
                    continue
                if any(
                    a.crm_user == crm_user
                    for name, per_email in self.assignments.items()
                    if name != policy.instance
                    for a in per_email.get(email, ())
                ):
                    found.add(email)
        return found
