"""How kb-lint decides that two spellings name the same email user or CRM user.

Email addresses compare trimmed and case-insensitively (``User@Email.com `` is
``user@email.com``). CRM user ids compare trimmed; case-insensitively when they are logins
written as an email address (they contain ``@``), exactly otherwise, because opaque ids such as
Salesforce's 15-character ids are case-sensitive.
"""

from __future__ import annotations

from itertools import repeat


def normalise_email(address: str) -> str:
    return address.strip().lower()


def normalise_crm_user(user: str) -> str:
    user = user.strip()
    return user.lower() if "@" in user else user


def normalise_emails(addresses: list[str]) -> list[str]:
    """``normalise_email`` over a column, at C speed."""
    return _lowered(list(map(str.strip, addresses)))


def normalise_crm_users(users: list[str]) -> list[str]:
    """``normalise_crm_user`` over a column, at C speed when all or none are logins."""
    stripped = list(map(str.strip, users))
    if _is_lower(stripped):
        return stripped
    logins = list(map(str.__contains__, stripped, repeat("@")))
    if all(logins):
        return list(map(str.lower, stripped))
    if not any(logins):
        return stripped
    return [u.lower() if login else u for u, login in zip(stripped, logins, strict=True)]


def _lowered(column: list[str]) -> list[str]:
    """Each string of ``column`` in lower case: the column itself when none has a capital."""
    return column if _is_lower(column) else list(map(str.lower, column))


def _is_lower(column: list[str]) -> bool:
    """No string of ``column`` changes in lower case (one join: no string is made per row).
    A character that lower case changes changes the joined text at its place."""
    joined = "".join(column)
    return joined.lower() == joined
