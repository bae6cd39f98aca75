"""Packs agree with each other on what one deployment does (KB-RULES-012).

Every example of every pack is checked against all the packs together. Two findings of rules of
different packs about one subject (one mailbox, policy, instance or event, as ``supersedes``
judges it: ``kb_lint.engine.subjects``) that predict different values for one outcome field say
contradictory things about it ("only the first policy syncs the user" against "both do"),
unless one rule ``refines`` or ``supersedes`` the other. A ``refines`` or ``supersedes`` that
names no loaded rule is reported too. Cost: one check of each example file against every pack,
then a comparison of each pair of its findings that predict something.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from kb_lint.engine import check_deployment
from kb_lint.engine.subjects import Facets, facets, same_subject
from kb_lint.errors import InputError
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.document import PackSource
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Example, Rule, RulePack
from kb_lint.review.check import Check

PACKS_DISAGREE = Check(
    id="KB-RULES-012",
    name="packs-disagree",
    severity="error",
    what="Two packs predict different outcomes for one subject (mailbox, policy, instance or "
    "event) of one example, and neither rule "
    "says it refines or supersedes the other; or a `refines`/`supersedes` names no rule.",
    why="Two articles that contradict each other on one deployment leave the reader with two "
    "answers; the packs must say which article is more specific, or be corrected.",
    example="# KB105-002: two policies of one instance -> mailbox_copies: 1\n"
    "# KB433-001 on the same deployment -> mailbox_copies: 2\n",
    fix="Correct the pack that is wrong, or mark the more specific rule `supersedes: [ID]` (only "
    "it reports) or `refines: [ID]` (both report, its prediction adds detail).",
)


def check_agreement(sources: list[PackSource]) -> list[Finding]:
    packs = [s.pack for s in sources]
    rules = {rule.id: rule for pack in packs for rule in pack.rules}
    findings = list(_unknown_links(sources, rules))
    if len(packs) < 2:
        return findings
    vocabulary = vocabulary_of(packs)
    seen: set[str] = set()  # one finding per contradiction, however many examples show it
    for source in sources:
        for rule in source.pack.rules:
            for example in rule.examples:
                for finding in _disagreements(example, packs, vocabulary, rules):
                    said = finding.message.split(", ", 1)[1]
                    if said not in seen:
                        seen.add(said)
                        findings.append(finding)
    return findings


def _unknown_links(sources: list[PackSource], rules: dict[str, Rule]) -> Iterator[Finding]:
    for source in sources:
        for i, raw in enumerate(source.pack.data["rules"]):
            for link in ("refines", "supersedes"):
                for j, target in enumerate(raw.get(link, [])):
                    if target not in rules:
                        where = source.at(("rules", i, link, j))
                        message = f"{raw['id']} {link} {target}, which no loaded pack has"
                        yield PACKS_DISAGREE.finding(where, message)


def _disagreements(
    example: Example, packs: list[RulePack], vocabulary: Vocabulary, rules: dict[str, Rule]
) -> Iterator[Finding]:
    try:
        found = check_deployment(read_deployment(example.file, vocabulary), packs)
    except InputError:
        return  # the example's own pack reports it (KB-RULES-007)
    for a, b, said in contradictions(found, rules):
        yield PACKS_DISAGREE.finding(
            example.location,
            f"on {example.file.name}, {a.rule} and {b.rule} predict different outcomes {said}",
            (a.location, b.location),
        )


def contradictions(
    found: list[Finding], rules: dict[str, Rule]
) -> Iterator[tuple[Finding, Finding, str]]:
    """Each pair of findings of unlinked rules of different packs on one subject that predict
    different values for a field, with what they differ on in words."""
    predicting = [(f, facets(f.subject)) for f in found if f.outcome]
    for (a, on), (b, other) in combinations(predicting, 2):
        if a.rule.split("-")[0] == b.rule.split("-")[0] or _linked(rules, a.rule, b.rule):
            continue
        if not same_subject(on, other):
            continue
        assert a.outcome is not None and b.outcome is not None
        fields = sorted(
            n for n in a.outcome.keys() & b.outcome.keys() if a.outcome[n] != b.outcome[n]
        )
        if fields:
            shown = ", ".join(f"{n}: {a.outcome[n]!r} vs {b.outcome[n]!r}" for n in fields)
            yield a, b, f"for {_named(on, other)} ({shown})"


def _named(a: Facets, b: Facets) -> str:
    """What two findings' subjects share, in words: a mailbox, else a policy, an instance or
    the events."""
    for name, words in (("mailboxes", "{}"), ("policies", "policy {0[1]} of {0[0]}")):
        if shared := sorted(a.get(name, frozenset()) & b.get(name, frozenset())):
            return ", ".join(words.format(value) for value in shared)
    if shared := sorted(a.get("instances", frozenset()) & b.get("instances", frozenset())):
        return ", ".join(shared)
    events = sorted(a.get("events", frozenset()) & b.get("events", frozenset()))
    return "timeline entries " + ", ".join(map(str, events))


def _linked(rules: dict[str, Rule], a: str, b: str) -> bool:
    """One rule says it refines or supersedes the other."""
    first, second = rules.get(a), rules.get(b)
    return any(
        other in (*rule.refines, *rule.supersedes)
        for rule, other in ((first, b), (second, a))
        if rule is not None
    )
