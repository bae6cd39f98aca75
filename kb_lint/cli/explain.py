"""``kb-lint explain RULE``: what a rule checks, why, and how to fix it, as plain text.

Every rule kb-lint reports is known here: the rules of the rule packs (deployment rules, such
as ``KB105-001``), the rules of the house style (article rules, ``KB-STYLE-002``), the checks
of ``kb-lint rules check`` (``KB-RULES-...``) and the waiver checks (``KB-WAIVER-...``); and
what the packs' rules rest on: their procedures (``KB105-P1``) and decision tables (by id,
``expected-challenges``; one id in several packs shows each).
"""

from __future__ import annotations

import argparse
import html
import sys
import textwrap
from pathlib import Path

from kb_lint.articles.style import ArticleRule, Style
from kb_lint.cli import UsageError
from kb_lint.cli.common_options import add_config_option, add_rules_option
from kb_lint.cli.declarations import actions_text, fields_text
from kb_lint.cli.explain_pack import (
    assumption_lines,
    procedure_text,
    rule_assumptions,
    table_text,
)
from kb_lint.cli.packs import exit_code, loaded, say
from kb_lint.config import Config, load_config
from kb_lint.docs.schema_pages import pack_format
from kb_lint.errors import InputError, did_you_mean
from kb_lint.findings import RuleInfo
from kb_lint.guide import TOPICS, guide_text
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.model import Rule, RulePack
from kb_lint.pack.scopes import expression_reference
from kb_lint.review.check import Check
from kb_lint.waivers import EXPIRED, UNUSED

WIDTH = 88
FILES = (".yaml", ".yml", ".json", ".csv", ".md", ".toml")  # what a user may give instead of an id
WAIVER_CHECKS = {
    EXPIRED: RuleInfo(
        EXPIRED,
        "Expired waiver",
        "warning",
        "A waiver in the config whose `expires` date has passed: the findings it waived are "
        "reported again. Renew it with a new date and reason, or fix what it waived.",
    ),
    UNUSED: RuleInfo(
        UNUSED,
        "Waiver that waives nothing",
        "warning",
        "A waiver in the config that matched no finding: what it was for is gone, or its rule, "
        "path or subject is mistyped. Delete it, or correct it.",
    ),
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "explain",
        help="explain a rule, procedure or decision table: what it checks, why, and the fix",
        description="Print the documentation of a rule as plain text: a deployment rule of the "
        "rule packs, an article rule of the house style, a rule-pack check or a waiver check; "
        "or of a pack's procedure (its steps) or decision table (its rows). RULE may be a "
        "prefix (KB105) to list the rules and procedures it starts.",
    )
    parser.add_argument(
        "rule",
        metavar="RULE",
        help="rule id (KB105-001, KB-STYLE-002) or prefix, procedure id (KB105-P1) or "
        "decision table id; 'expressions', the reference of the pack expression language; "
        "'pack-format', every key of pack.yaml; 'actions' or 'fields', those the loaded packs "
        "declare, with the declaring packs; or a guide: " + ", ".join(TOPICS),
    )
    add_rules_option(parser)
    parser.add_argument("--style", help="house style (default: from config, or riva)")
    add_config_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    wanted = args.rule.strip().upper()
    guide = guide_text(args.rule.strip())
    if guide is not None:
        sys.stdout.write(guide)
        return 0
    if wanted.lower() == "pack-format":  # every key of pack.yaml, its entities read as text
        sys.stdout.write(html.unescape(pack_format()))
        return 0
    if wanted.lower() in ("actions", "fields"):  # the vocabulary the loaded packs declare
        packs, broken = loaded(args.rules, config.rules_folder())
        text = actions_text if wanted.lower() == "actions" else fields_text
        sys.stdout.write(text(packs))
        return exit_code(0, broken)
    if wanted.lower() == "expressions":  # the language, with the names the packs add
        packs, broken = loaded(args.rules, config.rules_folder())
        sys.stdout.write(expression_reference(vocabulary_of(packs)))
        return exit_code(0, broken)
    broken: list[InputError] = []
    texts = every_rule(config, args.rules, args.style, broken, parts=True)
    say(broken)
    if wanted in texts:
        sys.stdout.write(texts[wanted])
        return exit_code(0, broken)
    matching = sorted(rule_id for rule_id in texts if rule_id.startswith(wanted))
    if not matching and Path(args.rule).suffix.lower() in FILES:
        raise UsageError(
            f"explain takes the id of a rule, procedure or decision table, not a file: "
            f"kb-lint check {args.rule} judges it"
        )
    if not matching:
        what = "rule, procedure or decision table"
        raise UsageError(f"no {what} {args.rule}{did_you_mean(wanted, texts)}")
    sys.stdout.write("\n".join(texts[rule_id] for rule_id in matching))
    return exit_code(0, broken)


def every_rule(
    config: Config,
    rules: Path | None = None,
    style: str | None = None,
    broken: list[InputError] | None = None,
    parts: bool = False,
) -> dict[str, str]:
    """Every rule kb-lint knows, by id, with its documentation: the style's article rules, the
    packs' deployment rules (from ``rules``, else the config's folder when there is one), the
    rule-pack checks and the waiver checks; with ``parts``, the packs' procedures and decision
    tables too (a table's id upper-cased, as every id is looked up), which no ``--select``
    names. With ``broken``, a pack that does not load is added there and the others are still
    known."""
    from kb_lint.cli.style_option import style_of
    from kb_lint.review import CHECKS

    chosen = style_of(config, style)
    texts = {rule.id: article_text(rule, chosen) for rule in chosen.rules}
    rules_dir = rules or config.rules_folder()
    if rules_dir is not None:
        tables: dict[str, list[str]] = {}
        for pack in load_packs(rules_dir, broken):
            texts.update((rule.id, deployment_text(rule, pack)) for rule in pack.rules)
            if not parts:
                continue
            texts.update((p.id, procedure_text(p, pack)) for p in pack.procedures.values())
            for table in pack.tables.values():
                tables.setdefault(table.id.upper(), []).append(table_text(table, pack))
        texts.update((key, "\n".join(shown)) for key, shown in tables.items() if key not in texts)
    texts.update((check.id, check_text(check)) for check in CHECKS)
    texts.update((info.id, info_text(info)) for info in WAIVER_CHECKS.values())
    return texts


def deployment_text(rule: Rule, pack: RulePack) -> str:
    """A deployment rule: title, severity, what it checks and why, the article it cites."""
    cited = "; ".join(c.words for c in rule.cites)
    parts = [
        _head(rule.id, rule.title, rule.severity, f"deployment rule ({rule.kind}), pack {pack.id}"),
        _para(rule.summary),
        _para(f"Why it matters: {rule.why}") if rule.why else "",
        _para(f"Cites: {cited}"),
    ]
    if rule.fix is not None:
        parts.append(_para(f"Fix: {_fix(rule, pack)}"))
    decided = rule_assumptions(rule, pack)
    if decided:
        parts.append(assumption_lines(decided))
    for procedure in rule.procedures:  # the steps the rule checks, in the article's numbering
        steps = procedure_text(pack.procedures[procedure], pack, assumptions=False)
        parts.append("Procedure " + steps.rstrip())
    examples = [f"  {e.expect}: {e.file.name}" for e in rule.examples]
    if examples:
        parts.append("Examples:\n" + "\n".join(examples))
    return _join(parts)


def article_text(rule: ArticleRule, style: Style) -> str:
    """An article rule: title, severity, what it checks and why, examples, the fix."""
    fixable = "; fixable with --fix" if rule.fixable else ""
    parts = [
        _head(
            rule.id,
            rule.name,
            rule.severity,
            f"article rule ({rule.kind}), style {style.name}{fixable}",
        ),
        _para(rule.summary),
        _para(f"Why it matters: {rule.why}"),
        "Flagged:\n" + _block(rule.example),
    ]
    if rule.passing:
        parts.append("Passes:\n" + _block(rule.passing))
    parts.append(_para(f"Fix: {rule.fix}"))
    return _join(parts)


def check_text(check: Check) -> str:
    """A check of ``kb-lint rules check``: what it finds, why, a pack it flags, the fix."""
    return _join(
        [
            _head(check.id, check.name, check.severity, "rule-pack check (kb-lint rules check)"),
            _para(check.what),
            _para(f"Why it matters: {check.why}"),
            "Flagged:\n" + _block(check.example),
            _para(f"Fix: {check.fix}"),
        ]
    )


def info_text(info: RuleInfo) -> str:
    return _join([_head(info.id, info.title, info.severity, "config check"), _para(info.summary)])


def _head(rule_id: str, title: str, severity: str, what: str) -> str:
    return f"{rule_id}: {title}\n{severity} · {what}"


def _fix(rule: Rule, pack: RulePack) -> str:
    """A rule's fix as far as the rule itself says it: a placeholder reading only its one
    procedure rendered; any other shown as written, with a note that a finding fills it."""
    fix = rule.fix
    assert fix is not None
    if fix.fixed is not None:
        return fix.fixed
    read = {name for part in fix.parts if not isinstance(part, str) for name in part.names}
    if len(rule.procedures) == 1 and read <= {"procedure"}:
        procedure = pack.procedures[rule.procedures[0]]
        return fix.render({"procedure": {"id": procedure.id, "title": procedure.title}})
    return f"{fix.source} (each {{...}} is filled in for each finding)"


def _para(text: str) -> str:
    """A paragraph wrapped for a terminal; Markdown's backticks and emphasis dropped."""
    plain = " ".join(text.replace("`", "").replace("**", "").split())
    return textwrap.fill(plain, WIDTH, break_on_hyphens=False)


def _block(text: str) -> str:
    return textwrap.indent(text.rstrip(), "    ")


def _join(parts: list[str]) -> str:
    return "\n\n".join(part for part in parts if part) + "\n"
