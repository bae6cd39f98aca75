"""The article rules' documentation, generated from the style data (as Ruff documents its rules).

``kb-lint articles --explain RULE`` prints one rule; ``docs/writing-articles.md`` holds the
reference of the shipped styles between two marker lines, and

    python -m kb_lint.articles.reference docs/writing-articles.md

rewrites that part from the data (a test fails when it is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from kb_lint.articles.kinds import KINDS
from kb_lint.articles.style import ArticleRule, Style, load_style

SHIPPED = ("common", "riva", "troubleshooting")
BEGIN = "<!-- BEGIN rule reference: generated from kb_lint/styles, do not edit by hand -->"
END = "<!-- END rule reference -->"


def explain(rule: ArticleRule, level: int = 3) -> str:
    """One rule: what it checks, why, a failing and a passing example, the fix, its settings."""
    fixable = (
        " · fixable with `--fix` (not in a heading without an explicit `{#id}`: that would "
        "change its anchor)"
        if rule.fixable
        else ""
    )
    parts = [
        f"{'#' * level} {rule.id} {rule.name} {{#{anchor(rule)}}}",
        f"*{rule.severity}* · kind [`{rule.kind}`](#kind-{rule.kind}){fixable}",
        rule.summary,
        f"**Why it matters.** {rule.why}",
        f"**Flagged:**\n\n{_fenced(rule.example)}",
    ]
    if rule.passing:
        parts.append(f"**Passes:**\n\n{_fenced(rule.passing)}")
    parts.append(f"**Fix.** {rule.fix}")
    if rule.params:
        parts.append(f"**Settings** (`with:`):\n\n{_fenced(_yaml(rule.params), 'yaml')}")
    return "\n\n".join(parts) + "\n"


def anchor(rule: ArticleRule) -> str:
    return f"{rule.style}-{rule.id.lower()}"


def reference(styles: list[Style]) -> str:
    """Each style's own rules (a style's inherited ones are under the style that defines them),
    then the check kinds the styles are made of."""
    parts = []
    for style in styles:
        own = [rule for rule in style.rules if rule.style == style.name]
        parent = f" It extends the `{style.extends}` style." if style.extends else ""
        rows = "\n".join(
            f"| [{r.id}](#{anchor(r)}) | {r.name} | {r.severity} | {'yes' if r.fixable else ''} |"
            for r in own
        )
        parts += [
            f"## The `{style.name}` style: {style.title}",
            f"{style.description}{parent}",
            f"| rule | name | severity | `--fix` |\n| --- | --- | --- | --- |\n{rows}",
            *(explain(rule).rstrip("\n") for rule in own),
        ]
    parts.append("## Check kinds")
    parts.append(
        "Every rule instantiates one of these kinds, implemented once in `kb_lint/articles/kinds`; "
        "a style gives each rule its parameters under `with:`."
    )
    for kind in KINDS.values():
        settings = kind.params.get("properties", {})
        listed = ", ".join(f"`{name}`" for name in settings) or "none"
        parts.append(
            f"### `{kind.name}` {{#kind-{kind.name}}}\n\n{kind.summary}\n\nSettings: {listed}."
        )
    return "\n\n".join(parts) + "\n"


def shipped_reference() -> str:
    return reference([load_style(name) for name in SHIPPED])


def with_reference(page: str) -> str:
    """``page`` with the part between the marker lines replaced by the current reference."""
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{shipped_reference()}\n{END}{tail}"


def _fenced(text: str, language: str = "markdown") -> str:
    return f"````{language}\n{text.rstrip()}\n````"


def _yaml(params: dict[str, Any]) -> str:
    return yaml.safe_dump(params, sort_keys=False, allow_unicode=True, width=88)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.write_text(with_reference(target.read_text("utf-8")), "utf-8")
