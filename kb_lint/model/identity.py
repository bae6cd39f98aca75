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


def normalise_emails(addresses: list[str], bare: bool = False, lower: bool = False) -> list[str]:
    """``normalise_email`` over a column, at C speed; ``bare``: no address holds white space;
    ``lower``: every one is in lower case (so is every one trimmed)."""
    stripped, joined = (addresses, None) if bare else _stripped(addresses)
    if lower or _is_lower(stripped, joined):
        return stripped
    return list(map(str.lower, stripped))


def normalise_crm_users(users: list[str], bare: bool = False, lower: bool = False) -> list[str]:
    """``normalise_crm_user`` over a column, at C speed when all or none are logins; ``bare``:
    no id holds white space; ``lower``: every one is in lower case."""
    stripped, joined = (users, None) if bare else _stripped(users)
    if lower or _is_lower(stripped, joined):
        return stripped
    logins = list(map(str.__contains__, stripped, repeat("@")))
    if all(logins):
        return list(map(str.lower, stripped))
    if not any(logins):
        return stripped
    return [u.lower() if login else u for u, login in zip(stripped, logins, strict=True)]


def _stripped(column: list[str]) -> tuple[list[str], str | None]:
    """Each string of ``column`` trimmed, and the strings joined when that is known: the column
    itself when its joined text holds no white space at all (one split of the text tells, at C
    speed, whether it holds any of what ``str.strip`` removes)."""
    joined = "".join(column)
    words = joined.split(maxsplit=1)  # one word as long as the text: no white space anywhere
    if len(words) == 1 and len(words[0]) == len(joined):
        return column, joined
    return list(map(str.strip, column)), None


def _is_lower(column: list[str], joined: str | None = None) -> bool:
    """No string of ``column`` (whose strings joined are ``joined``, when given) changes in
    lower case (one join: no string is made per row). A character that lower case changes
    changes the joined text at its place."""
    if joined is None:
        joined = "".join(column)
    return joined.lower() == joined
