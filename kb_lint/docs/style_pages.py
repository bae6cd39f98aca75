"""The article-lint rules on the site: one page per rule of each house style, and their part of
the rules index, generated from the style's rule definitions (``kb_lint/styles``).

Each style lists the rules it defines itself (the rules it inherits are under the style that
defines them), as ``kb-lint articles --explain`` and the reference in ``writing-articles.md``
do; a rule page has the same parts as a deployment rule's page.
"""

from __future__ import annotations

import difflib

import yaml

from kb_lint.articles.style import ArticleRule, Style
from kb_lint.docs.escape import code, fenced, link, table, text, title, with_code
from kb_lint.docs.paths import RULES_INDEX, relative, style_rule_page

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}


def own_rules(style: Style) -> list[ArticleRule]:
    return [rule for rule in style.rules if rule.style == style.name]


def _severity(rule: ArticleRule) -> str:
    label = SEVERITY_LABELS[rule.severity]
    return f'<span class="kb-lint-badge kb-lint-{rule.severity}">{label}</span>'


def render_style_index(styles: tuple[Style, ...]) -> str:
    """The article rules' part of the rules index: a table per style."""
    parts = []
    for style in styles:
        parent = f" It extends the {code(style.extends)} style." if style.extends else ""
        parts += [
            f"## Article rules: the {text(style.name)} style",
            f"{text(style.title)}: {text(style.description)}{parent}",
            table(
                ["Rule", "Name", "Severity", "Fixable", "What it checks"],
                [
                    [
                        link(text(r.id), relative(RULES_INDEX, style_rule_page(style.name, r.id))),
                        code(r.name),
                        _severity(r),
                        "yes" if r.fixable else "",
                        with_code(r.summary),
                    ]
                    for r in own_rules(style)
                ],
            ),
        ]
    return "\n\n".join(parts)


def render_style_rule(rule: ArticleRule, style: Style) -> str:
    page = style_rule_page(style.name, rule.id)
    fixable = " · fixable with `--fix`" if rule.fixable else ""
    facts = [
        f"**Severity:** {_severity(rule)}",
        f"**Name:** {code(rule.name)}",
        f"**Kind:** {code(rule.kind)}",
        f"**Style:** {link(text(style.name), relative(page, RULES_INDEX))}{fixable}",
    ]
    parts = [
        f"# {title(rule.id)}: {title(rule.title or rule.name)}",
        " · ".join(facts),
        "## What it checks",
        with_code(rule.summary),
        "## Why is this bad?",
        with_code(rule.why),
        "## Example",
        "kb-lint flags this text:",
        fenced(rule.example, "markdown"),
    ]
    if rule.passing:
        parts += [
            "## Use instead",
            "The same text, corrected:",
            fenced(_diff(rule.example, rule.passing), "diff"),
        ]
    parts += ["## Fix", with_code(rule.fix)]
    if rule.params:
        settings = yaml.safe_dump(rule.params, sort_keys=False, allow_unicode=True, width=88)
        parts += [
            "## Settings",
            f"The style's {code(rule.path.rsplit('/', 1)[-1])} sets, under {code('with:')}:",
            fenced(settings, "yaml"),
        ]
    parts += ["## Ignoring or waiving it", _waiving(rule)]
    return "\n\n".join(parts) + "\n"


def _diff(flagged: str, passing: str) -> str:
    lines = difflib.unified_diff(
        flagged.rstrip("\n").splitlines(),
        passing.rstrip("\n").splitlines(),
        "flagged",
        "corrected",
        n=len(flagged.splitlines()),
        lineterm="",
    )
    return "\n".join(lines)


def _waiving(rule: ArticleRule) -> str:
    comments = fenced(
        f"<!-- kb-lint disable-next-line {rule.id}: quoted as the customer wrote it -->\n"
        f"<!-- kb-lint disable-file {rule.id}: a short notice, not a full article -->",
        "markdown",
    )
    config = fenced(
        f'ignore = ["{rule.id}"]\n\n[per-file-ignores]\n'
        f'"docs/articles/drafts/*.md" = ["{rule.id}"]',
        "toml",
    )
    return (
        "In the article, a comment with a reason waives the rule for the next line, the line, "
        "the paragraph or the whole file (a comment without a reason, or one that waives "
        "nothing, is a finding itself):\n\n"
        f"{comments}\n\n"
        f"Skip it for one run with {code(f'kb-lint articles --ignore {rule.id}')}, or, in "
        f"{code('kb-lint.toml')}, everywhere or for some files:\n\n{config}"
    )
