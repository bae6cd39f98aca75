"""``kb-lint rules new ARTICLE``: the start of a pack, written from the article itself.

The pack gets the article's id, title, revision and date from its front matter, a link back to
it, and, as comments ready to uncomment, a ``cites`` block (with its current fingerprint) for
every section and every list item (an item that reads like a constraint marked so), and the
sentences of the prose around the lists that read like constraints ("do not", "must", "only",
"never", "if … then"): each item and sentence once. It has no rule yet: ``rules check`` says
so until the author writes one (``kb-lint explain authoring`` prints the guide that walks
through it, ``kb-lint explain expressions`` the expression language). The pack is unreleased (no
``history`` yet), so no version marks are asked for until its first release. An existing pack
is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from importlib import resources
from pathlib import Path

from kb_lint.articles.citations import fingerprint
from kb_lint.articles.model import Article, parse_article
from kb_lint.errors import InputError
from kb_lint.guide import pointer

CONSTRAINT = re.compile(
    r"\b(do not|don't|must|never|only|should not|cannot|at most|at least|if\b.*\bthen)\b", re.I
)
# A sentence ends at . ! or ? before a space or the end: not inside an address (riva.com/hc).
SENTENCE = re.compile(r"\S.*?[.!?](?=\s|$)")
# What a front matter id may be: it names the pack's folder (``kb-<id>``) and its id (``KB<id>``).
ARTICLE_ID = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?")
PLAIN = re.compile(r"[0-9][0-9.:-]*")  # a number, a version or a date: safe unquoted
GUIDE = pointer("authoring")
SCHEMA = Path(
    str(resources.files("kb_lint.schemas").joinpath("rulepack.schema.json"))
)  # docs/authoring.md, wherever kb-lint is installed


def scaffold(article_path: Path, rules_dir: Path) -> Path:
    """Write ``rules_dir/kb-<id>/pack.yaml`` for the article; its path."""
    article = parse_article(article_path)
    meta = article.front_matter
    missing = [key for key in ("id", "title", "revision", "updated") if key not in meta]
    if missing:
        line = article.meta.line if article.meta else 1
        raise InputError(
            str(article_path), line, 1, f"front matter needs {', '.join(missing)} to start a pack"
        )
    if not isinstance(meta["id"], int | str) or not ARTICLE_ID.fullmatch(str(meta["id"])):
        line, column = article.meta.locate(("id",)) if article.meta else (1, 1)
        message = f"front matter id {str(meta['id'])!r} is not an article id (letters, digits, -)"
        raise InputError(str(article_path), line, column, message)
    folder = rules_dir / f"kb-{meta['id']}"
    target = folder / "pack.yaml"
    if target.exists() or target.is_symlink():
        raise InputError(
            str(target), 1, 1, "a pack already exists here; kb-lint never overwrites it"
        )
    for place in (folder, folder / "examples"):
        if place.is_symlink():
            raise InputError(
                str(place), 0, 0, "is a symbolic link; kb-lint writes no pack through one"
            )
    (folder / "examples").mkdir(parents=True, exist_ok=True)
    source = Path(os.path.relpath(article_path.resolve(), folder.resolve())).as_posix()
    schema = schema_from(folder, rules_dir.resolve().parent)
    # O_EXCL and O_NOFOLLOW: a file or a link put there meanwhile is not written through.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(target, flags, 0o666), "w", encoding="utf-8") as file:
        file.write(render(article, source, schema))
    return target


def schema_from(folder: Path, project: Path) -> str | None:
    """The pack schema as the pack in ``folder`` names it: a path from ``folder``, when the
    schema is under ``project`` (the folder holding the rules folder: kb-lint's own checkout,
    or a project's own virtual environment), which a clone has at the same place; None when it
    is elsewhere (installed for this machine alone), as a path there breaks on every other."""
    schema = SCHEMA.resolve()
    if not schema.is_relative_to(project):
        return None
    return Path(os.path.relpath(schema, folder.resolve())).as_posix()


def render(article: Article, source: str, schema: str | None) -> str:
    """The pack's text: ``source`` is the article and ``schema`` the pack schema, each as a
    path from the pack's folder (the schema line lets editors validate the pack as it is typed;
    without a schema, the first line names the language server, which validates it too)."""
    meta = article.front_matter
    lines = [
        f"# yaml-language-server: $schema={schema}"
        if schema is not None
        else "# In an editor, `kb-lint server` checks this pack as you type (kb-lint explain "
        "editors).",
        f'# Rule pack for KB article {meta["id"]}, "{meta["title"]}".',
        f"# Guide: {GUIDE}; the expression language: kb-lint explain expressions",
        "pack:",
        f"  id: KB{meta['id']}",
        f"  article: {meta['id']}",
        f"  title: {_quoted(str(meta['title']))}",
        f"  revision: {_scalar(meta['revision'])}",
        f"  updated: {_scalar(meta['updated'])}",
        "  version: 0.1.0",
        "  # Unreleased: no rule needs since/changed/fingerprint until the first release. To",
        "  # release, add history (kb-lint rules check --fix then writes the fingerprints):",
        "  # history:",
        f"  #   - {{version: 0.1.0, date: {dt.date.today()}, changes: First release.}}",
        f"  source: {source}",
        "",
        "# Where the article is silent, state what the pack decides, once:",
        "assumptions: []",
        "",
        "# Before declaring a field or an action, look for one another pack declares for the same",
        "# setting or Riva operation (kb-lint explain fields, kb-lint explain actions) and use it:",
        "# a plan written in one vocabulary is judged only by the packs that read it.",
        "# Settings the article is about (scopes: instance, policy, user, event), for example:",
        "# fields:",
        "#   policy:",
        "#     history_days: {type: integer, default: 30, unit: days, description: ...}",
        "",
        "# What the article says happens, for example:",
        "# outcomes:",
        "#   sync_errors: {type: boolean, merge: any, default: false, describe: ...}",
        "",
        "rules: []",
        "",
        "# What the article says, to cite (uncomment the blocks your rules encode):",
    ]
    for section in (s for s in article.sections if s.text):
        lines.append(f"# section '{section.title}':")
        lines.append(
            f'#   cites: {{section: {section.anchor}, fingerprint: "{fingerprint(section.text)}"}}'
        )
        for n, item in enumerate(section.items, 1):  # each once: a constraint one says so
            said = " ".join(item.text.split())
            mark = " (constraint?)" if CONSTRAINT.search(said) else ""
            lines.append(f"#   item {n}{mark}: {said[:90]}")
            lines.append(
                f"#     cites: {{section: {section.anchor}, item: {n}, "
                f'fingerprint: "{fingerprint(item.text)}"}}'
            )
        for sentence in SENTENCE.findall(" ".join(section.prose.split())):
            if CONSTRAINT.search(sentence):
                lines.append(f"#   constraint? {sentence.strip()[:110]}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's is one): every line break and quote escaped."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: object) -> str:
    """A front matter value as YAML: a number or a date as written, anything else quoted."""
    plain = isinstance(value, int | float | dt.date) and not isinstance(value, bool)
    if plain or (isinstance(value, str) and PLAIN.fullmatch(value)):  # a date kept as its text
        return str(value)
    return _quoted(str(value))
