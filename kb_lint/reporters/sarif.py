"""SARIF 2.1.0, shaped for GitHub code scanning.

Choices GitHub's "SARIF support for code scanning" page dictates:
- URIs relative to the repository root with ``uriBaseId`` ``%SRCROOT%``; absolute paths become
  ``file:`` URIs, which the upload turns relative to the checkout.
- Related locations carry an ``id`` and are linked from the result message as ``[note](id)``:
  code scanning only links related locations embedded in the message that way.
- ``partialFingerprints.primaryLocationLineHash`` is the only fingerprint code scanning reads;
  ours hashes rule, path and subject (never a line number) so an alert survives edits that move
  it. ``upload-sarif`` keeps a value it finds there, logging that its own line hash differs.
- Rule names and descriptions are clipped to GitHub's limits (255 and 1024 characters).

Message strings double ``{`` and ``}`` (SARIF §3.11.5) and escape ``\\``, ``[`` and ``]`` in
link text (§3.11.6) so that they stay literal.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from importlib import metadata
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location, NotLoaded, RuleInfo
from kb_lint.reporters.json import dumps

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITIES = {"error": "error", "warning": "warning", "info": "recommendation"}
NAME_LIMIT = 255
DESCRIPTION_LIMIT = 1024


@cache
def information_uri() -> str | None:
    """The project's home page from its package metadata, when one is declared."""
    try:
        meta = metadata.metadata("kb-lint")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "home", "documentation"}:
            return url.strip()
    return meta.get("Home-page")


def render_sarif(
    findings: list[Finding],
    *,
    rules: Mapping[str, RuleInfo],
    tool: str,
    version: str,
    problems: Sequence[InputError] = (),
    unloaded: NotLoaded | None = None,
) -> str:
    """One run; files that could not be checked, and the rule packs a review could not judge
    (``unloaded``, counted in the invocation's ``properties``), are
    ``toolExecutionNotifications`` of an invocation that did not succeed (SARIF §3.20.21)."""
    ordered = sorted(findings, key=Finding.sort_key)
    descriptors = _descriptors(ordered, rules)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    driver: dict[str, Any] = {"name": tool, "version": version}
    homepage = information_uri()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = descriptors
    seen: dict[str, int] = {}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule], seen) for f in ordered],
            }
        ],
    }
    notes = [_notification(p.message, Location(p.path, p.line, p.column)) for p in problems]
    unloaded = unloaded or NotLoaded()
    notes += [  # each pack's own words: "1 pack did not load (FILE; ...)"
        _notification(replace(unloaded, files=(file,)).words(), Location(file))
        for file in unloaded.files
    ]
    if notes:
        invocation: dict[str, Any] = {
            "executionSuccessful": False,
            "toolExecutionNotifications": notes,
        }
        if unloaded.files:
            invocation["properties"] = {"packs_not_loaded": len(unloaded.files)}
        log["runs"][0]["invocations"] = [invocation]
    return dumps(log, indent=2) + "\n"


def _notification(text: str, where: Location) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(where)}],
    }


def _descriptors(findings: list[Finding], rules: Mapping[str, RuleInfo]) -> list[dict[str, Any]]:
    """Every known rule and every rule a finding names, sorted by id."""
    first = {}
    for finding in findings:
        first.setdefault(finding.rule, finding)
    infos = dict(rules)
    for rule_id, finding in first.items():
        infos.setdefault(rule_id, RuleInfo(rule_id, rule_id, finding.severity))
    descriptors = []
    for rule_id in sorted(infos):
        info = infos[rule_id]
        level = LEVELS.get(info.severity, "warning")
        descriptor: dict[str, Any] = {
            "id": rule_id,
            "name": _clip(info.title or rule_id, NAME_LIMIT),
            "shortDescription": {"text": _clip(info.title or rule_id, DESCRIPTION_LIMIT)},
        }
        if info.summary:
            descriptor["fullDescription"] = {"text": _clip(info.summary, DESCRIPTION_LIMIT)}
        descriptor["defaultConfiguration"] = {"level": level}
        help_uri = info.help_uri or (first[rule_id].help_uri if rule_id in first else None)
        if help_uri:
            descriptor["helpUri"] = help_uri
        descriptor["properties"] = {
            "problem.severity": PROBLEM_SEVERITIES.get(info.severity, "warning")
        }
        descriptors.append(descriptor)
    return descriptors


def _result(finding: Finding, rule_index: int, seen: dict[str, int]) -> dict[str, Any]:
    related = [
        {
            "id": number,
            "physicalLocation": _physical(loc),
            "message": {"text": _literal(loc.note or _place(loc))},
        }
        for number, loc in enumerate(finding.related, start=1)
    ]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": _message(finding)},
        "locations": [{"physicalLocation": _physical(finding.location)}],
    }
    if related:
        result["relatedLocations"] = related
    result["partialFingerprints"] = {"primaryLocationLineHash": _fingerprint(finding, seen)}
    properties = {
        key: value
        for key, value in (
            ("subject", finding.subject),
            ("outcome", finding.outcome),
            ("fix", finding.fix),
            ("cites", finding.cites),
            ("why", finding.why),
            ("because", list(finding.because) or None),
        )
        if value is not None
    }
    if properties:
        result["properties"] = properties
    return result


def _message(finding: Finding) -> str:
    text = _literal(finding.message) or finding.rule
    links = [
        f"[{_link_text(loc.note or _place(loc))}]({number})"
        for number, loc in enumerate(finding.related, start=1)
    ]
    return f"{text} Also: {', '.join(links)}." if links else text


def _physical(loc: Location) -> dict[str, Any]:
    return {
        "artifactLocation": _artifact(loc.path),
        "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
    }


def _artifact(path: str) -> dict[str, str]:
    posix = path.replace(os.sep, "/")
    if PurePosixPath(posix).is_absolute():
        return {"uri": "file://" + quote(posix)}
    return {"uri": quote(str(PurePosixPath(posix))), "uriBaseId": "%SRCROOT%"}


def _fingerprint(finding: Finding, seen: dict[str, int]) -> str:
    """Hash of rule, path and subject (or message), numbered when the same hash repeats."""
    identity = finding.subject if finding.subject is not None else finding.message
    key = dumps([finding.rule, _artifact(finding.location.path)["uri"], identity], sort_keys=True)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def _place(loc: Location) -> str:
    return f"{loc.path}:{loc.line}:{loc.column}"


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _link_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return _literal(escaped)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
