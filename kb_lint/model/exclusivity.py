"""Force user exclusivity, the one place both the rules and the simulator read it from.

Riva's switch (KB 433; pack KB105, assumption A3): with it on, a user syncs in at most one policy
of an instance for each data type: the first enabled policy in the file that assigns the email
user and CRM user takes each of its data types, and a later policy syncs only the types no
earlier one took. With it off, every enabled policy syncs all its types. One dictionary lookup
and set update per assignment.
"""

from __future__ import annotations

from collections.abc import Iterable

User = tuple[str, str, str]  # (instance, email, crm_user)


class Claims:
    """The data types already taken per instance, email user and CRM user, in file order."""

    def __init__(self) -> None:
        self.taken: dict[User, set[str]] = {}

    def take(self, user: User, types: Iterable[str], exclusive: bool) -> tuple[str, ...]:
        """The types of ``types`` that the next enabled policy assigning ``user`` syncs."""
        types = tuple(types)
        if not exclusive:
            return types
        taken = self.taken.setdefault(user, set())
        synced = tuple(t for t in types if t not in taken)
        taken.update(types)
        return synced
