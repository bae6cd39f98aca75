"""Every rule says when it appeared and last changed, and a change needs a new mark (KB-RULES-014).

A rule carries ``since`` (the pack version it appeared in), ``changed`` (the version it last
changed in) and ``fingerprint``: the fingerprint of its content as of ``changed``. The content
is the rule without its version marks, examples and prose (``says``), together with the
decision table it predicts by, the procedures it names and every other definition of the pack
it reads (``kb_lint.pack.reads``: fields, actions, outcome fields, residue tables, refined fields,
assumptions), as canonical JSON. When the content no longer has the recorded fingerprint, the
rule (or something it reads) changed without a version mark. A fingerprint of the rule alone,
as kb-lint stamped them before it covered what a rule reads, is asked to be confirmed again
(``rules check --fix`` does it, at the version it was confirmed at). Each version a
rule names must be the pack's version or one in its ``history``, so the site's history keeps
every earlier version. A pack with no ``history`` is unreleased: nothing is asked of it until
its first release. Cost: one JSON dump and hash per rule.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kb_lint.articles.citations import fingerprint
from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import Rule, RulePack
from kb_lint.pack.reads import WORDS, definitions, unloaded
from kb_lint.review.check import Check

UNVERSIONED_CHANGE = Check(
    id="KB-RULES-014",
    name="unversioned-change",
    severity="error",
    what="A rule whose content (with the table and procedures it uses, the fields, actions, "
    "outcome fields and assumptions of its pack it reads, and the other packs' fields those "
    "fields refine) changed since the version its "
    "`changed:` names, a fingerprint stamped before it covered what the rule reads, a rule "
    "without `since:`, `changed:` or `fingerprint:`, or a version "
    "mark that is neither the pack's version nor in its `history`.",
    why="The site's version history and each rule's 'Since' and 'Last changed' come from these "
    "marks; without them a new pack version rewrites the history, and readers of an older "
    "version cannot tell which rules changed under them.",
    example="rules:\n  - id: KB105-002\n    title: One sync policy per user   # retitled\n"
    "    changed: 1.0.0                    # still the old version\n",
    fix="Set `changed:` to the new pack version (and add it to the pack's `history`), then run "
    "`kb-lint rules check --fix`: it confirms the rule's new fingerprint, with the version it "
    "confirms (`sha256:…@1.2.0`); a fingerprint of the rule alone, stamped before, it confirms "
    "again at the version it names. A fingerprint with no version is set by hand, as the message "
    "gives it.",
)
VERSION_MARKS = ("since", "changed", "fingerprint")
NOT_CONTENT = (*VERSION_MARKS, "examples", "says")
# Keys the schema fills in that older fingerprints were computed without: left out at their
# default, so that a new key of the language does not mark every rule changed.
DEFAULTS_ADDED_LATER = {"subject": "group", "change": "move"}
_UNSET = object()


def rule_content(
    rule: Rule, pack: RulePack, reads: bool = True, beside: Sequence[RulePack] = ()
) -> dict[str, Any]:
    """What a version mark covers: the rule and the table and procedures it uses, and (with
    ``reads``) the other definitions of the pack it reads, as data, with the fields of the
    packs ``beside`` it that those it reads refine. Without ``reads``: the rule alone, as
    kb-lint fingerprinted it before (``older_fingerprint``)."""
    used = {rule.predict, *rule.procedures}
    parts = [
        _as_before(entry)
        for section in ("tables", "procedures")
        for entry in pack.data.get(section, [])
        if entry["id"] in used
    ]
    content: dict[str, Any] = {
        "rule": {k: v for k, v in rule.raw.items() if k not in NOT_CONTENT},
        "uses": parts,
    }
    if reads:
        found = definitions(rule, pack, beside)
        found["tables"] = {k: _as_before(v) for k, v in found["tables"].items() if k not in used}
        del found["procedures"]  # in ``uses``
        read = {section: named for section, named in found.items() if named}
        if read:  # a rule that reads nothing else keeps the fingerprint it had
            content["reads"] = read
    return _without_prose(content)


def _as_before(entry: dict[str, Any]) -> dict[str, Any]:
    """A table or procedure without the keys the schema fills in that older fingerprints were
    computed without."""
    return {k: v for k, v in entry.items() if DEFAULTS_ADDED_LATER.get(k, _UNSET) != v}


def _without_prose(value: Any) -> Any:
    """``value`` without the ``says`` of its inputs, rows, procedures and steps, nor the
    fingerprints of its citations: confirming the article's text again (KB-RULES-004) is not a
    change of the rule."""
    if isinstance(value, dict):
        cites = value.get("cites")
        return {
            k: _without_prose(v)
            for k, v in value.items()
            if k != "says" and not (k == "cites" and isinstance(v, dict | list))
        } | (
            {"cites": _cited(cites)}
            if isinstance(cites, dict)
            else {"cites": [_cited(c) for c in cites]}
            if isinstance(cites, list)
            else {}
        )
    if isinstance(value, list):
        return [_without_prose(v) for v in value]
    return value


def _cited(cites: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cites.items() if k != "fingerprint"}


def content_fingerprint(
    rule: Rule, pack: RulePack, reads: bool = True, beside: Sequence[RulePack] = ()
) -> str:
    content = rule_content(rule, pack, reads, beside)
    return fingerprint(json.dumps(content, sort_keys=True, default=str))


def older_fingerprint(rule: Rule, pack: RulePack, beside: Sequence[RulePack] = ()) -> bool:
    """The rule's fingerprint is of the rule alone (and its table and procedures), as kb-lint
    stamped it before it covered what the rule reads, and the rule has not changed since."""
    digest, _ = confirmed(rule.fingerprint or "")
    alone = content_fingerprint(rule, pack, reads=False)
    return digest == alone != content_fingerprint(rule, pack, beside=beside)


def missing_refined(rule: Rule, pack: RulePack, beside: Sequence[RulePack]) -> list[str]:
    """The refined fields the rule reads whose packs are not ``beside`` it: without them its
    content, and so its fingerprint, cannot be known."""
    return unloaded(definitions(rule, pack, beside))


def read_names(rule: Rule, pack: RulePack, beside: Sequence[RulePack] = ()) -> str:
    """What the rule reads from the pack, in words: ``field policy.days; assumption A1``."""
    found = definitions(rule, pack, beside)
    named = [f"{WORDS[s]} {', '.join(n)}" for s, n in found.items() if n and s != "procedures"]
    return "; ".join(named) or "nothing else"


def confirmed(value: str) -> tuple[str, str | None]:
    """A rule's fingerprint and the version it was confirmed at: ``sha256:…@1.2.0``, the rule's
    ``changed:`` when it was written; None in one written before versions were kept."""
    digest, _, version = value.partition("@")
    return digest, version or None


def stamped(rule: Rule, digest: str) -> str:
    """The fingerprint ``--fix`` writes: the content's, confirmed at the rule's ``changed:``."""
    return f"{digest}@{rule.changed}" if rule.changed else digest


def check_versions(source: PackSource) -> list[Finding]:
    """The version marks, once the pack is released (it has a ``history``): an unreleased pack
    has no earlier version a change could be hidden from."""
    pack = source.pack
    if not pack.history:
        return []
    known = {pack.version, *(str(entry["version"]) for entry in pack.history)}
    findings: list[Finding] = []
    if pack.version not in {str(entry["version"]) for entry in pack.history}:
        findings.append(
            UNVERSIONED_CHANGE.finding(
                source.at(("pack", "version")),
                f"pack version {pack.version} has no entry in the pack's history",
            )
        )
    for index, rule in enumerate(pack.rules):
        current = content_fingerprint(rule, pack, beside=source.beside)
        missing = missing_refined(rule, pack, source.beside)
        for mark in VERSION_MARKS:
            value = getattr(rule, mark)
            if value is None:
                hint = f" ({current})" if mark == "fingerprint" and not missing else ""
                findings.append(
                    UNVERSIONED_CHANGE.finding(rule.location, f"rule {rule.id} has no {mark}{hint}")
                )
            elif mark != "fingerprint" and value not in known:
                findings.append(
                    UNVERSIONED_CHANGE.finding(
                        source.at(("rules", index, mark)),
                        f"rule {rule.id}: {mark} {value} is neither the pack version nor in "
                        "its history",
                    )
                )
        if rule.fingerprint is not None:
            findings.extend(_unconfirmed(source, index, rule, current, known, missing))
    return findings


def _unconfirmed(
    source: PackSource, index: int, rule: Rule, current: str, known: set[str], missing: list[str]
) -> list[Finding]:
    """The rule's fingerprint against its content now: a change since the version it was
    confirmed at needs ``changed:`` moved on first (``--fix`` then confirms it); a fingerprint
    with no version cannot tell, so it is set by hand."""
    digest, at = confirmed(rule.fingerprint or "")
    place = source.at(("rules", index, "fingerprint"))
    if missing:
        packs = ", ".join(dict.fromkeys(name.split()[0] for name in missing))
        message = (
            f"rule {rule.id} reads {', '.join(missing)} through a field that refines it, and "
            f"{packs} is not loaded beside its pack: its fingerprint can only be confirmed with "
            "both packs in the rules folder"
        )
        return [UNVERSIONED_CHANGE.finding(place, message)]
    if at is not None and at not in known:
        message = (
            f"rule {rule.id}: fingerprint confirmed at {at}, neither the pack version nor in "
            "its history"
        )
        return [UNVERSIONED_CHANGE.finding(place, message)]
    if digest == current:
        return []
    if older_fingerprint(rule, source.pack, source.beside):
        again = f"{current}@{at}" if at else current
        message = (
            f"rule {rule.id}: its fingerprint covers the rule alone, as kb-lint stamped it before "
            f"it covered what a rule reads from its pack "
            f"({read_names(rule, source.pack, source.beside)}); "
            f"rules check --fix confirms it again at {at or 'no version'}: {again}"
        )
        return [UNVERSIONED_CHANGE.finding(place, message)]
    if at is None:
        message = (
            f"rule {rule.id} differs from its fingerprint, which names no version: once "
            f"changed: names the new pack version, set fingerprint: {current}@<that version>"
        )
    elif rule.changed == at:
        message = (
            f"rule {rule.id} changed since {at}: set changed: to the new pack version (and give "
            f"it a history entry); then rules check --fix confirms fingerprint: {current}"
        )
    else:
        message = (
            f"rule {rule.id} changed in {rule.changed}: rules check --fix confirms its "
            f"fingerprint ({current}@{rule.changed})"
        )
    return [UNVERSIONED_CHANGE.finding(place, message)]
