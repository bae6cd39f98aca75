"""The prose of an article as the style checks read it, at the same offsets as its text.

Paragraphs and headings are kept, with their line breaks; everything else (front matter, code
blocks, HTML blocks, stack traces quoted in block quotes, the line breaks between blocks) and,
inside the prose, code spans, HTML comments and tags, link and image destinations, directives
(``:::image ...:::``, ``[!INCLUDE ...]``, ``[!NOTE]``), URLs, bare domains
(``github.com/acme``), email addresses, file paths and heading attributes are masked with NUL
characters, which neither ``\\w`` nor ``\\s`` matches (a line break still ends each masked gap);
link destinations and inline tags, which a reader does not see, with ``UNSEEN`` characters.
An offset in the prose is the same offset in ``Article.source.text``. Every scan here is
linear, whatever the input, but for code in HTML: an unclosed ``<code>`` is looked for to the
end of its line.
"""

from __future__ import annotations

import re

from kb_lint.articles.model import Article

MASK = "\0"
# What masks markup a reader does not see (a link's destination, an inline tag): words on
# either side of it stand next to each other ("the [the](page.md)" is "the the" to a reader).
UNSEEN = "\1"
BACKTICKS = re.compile(r"`+")
# Code in HTML ("<code>...</code>"), tags and autolinks, link and image destinations (an
# image's alt text is prose), directives (":::image ...:::", "::: moniker-end",
# "[!INCLUDE [name](path)]", "[!NOTE]"), URLs and {#id .class} attribute lists.
HIDDEN = re.compile(
    r"<(?i:code|kbd|samp)\b[^<>\n]*>[^<\n]*(?:<(?!/(?i:code|kbd|samp)>)[^<\n]*)*"
    r"</(?i:code|kbd|samp)>"
    r"|<[A-Za-z/!?][^<>]*>"
    r"|:::[ \t]*[\w-]+(?:[^:\n]|:(?!::))*(?::::)?"
    r"|\[![A-Za-z]+(?:[^\[\]\n]|\[[^\[\]\n]*\](?:\([^()\n]*\))?)*\]"
    r"|\]\((?:[^()]|\([^()]*\))*\)"
    r"|https?://[^\s<>()\[\]]+"
    r"|\{[:#.][^{}\n]*\}"
)
PHRASE_TAG = re.compile(r"</?(?i:a|b|i|u|em|strong|span)\b[^<>]*>")
# Email addresses, domains (with a path after them), paths (from /, ./, ../ or ~/, or of three
# parts or more: "docs/articles/kb-105.md"; not "and/or"), Windows paths. Each alternative
# starts only where a word does (its lookbehind), so that the scan is linear; it runs only on
# text with a character an address or a path has (``ADDRESS``), once ``HIDDEN`` is masked.
ADDRESSES = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@.-])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:/[^\s<>()\[\]]*)?"
    r"|(?<![\w/.~-])(?:~|\.{1,2})?(?:/[\w.~-]+)+/?"
    r"|(?<![\w/.~-])[\w.~-]+(?:/[\w.~-]+){2,}/?"
    r"|(?<!\w)[A-Za-z]:\\[^\s<>()\[\]]*"
)
ADDRESS = re.compile(r"[@/\\]|\.(?<=\w\.)[A-Za-z]")
# What can start a hidden span (a quick test before the patterns run); every alternative starts
# with one of a few characters, which the engine skips to.
SPECIAL = re.compile(r"[`<\]{@/\\]|\.(?<=\w\.)[A-Za-z]|:::")


def prose_text(article: Article) -> str:
    source = article.source
    text, starts = source.text, source.starts
    pieces: list[str] = []
    cursor = 0
    for first, end in article.prose:
        start = starts[first]
        stop = starts[end] - 1 if end < len(starts) else len(text)
        if start < cursor:
            continue
        chunk = text[start:stop]
        if SPECIAL.search(chunk):
            chunk = _mask_inline(chunk)
        pieces += [_gap(start - cursor), chunk]
        cursor = stop
    pieces.append(MASK * (len(text) - cursor))
    return "".join(pieces)


def _gap(length: int) -> str:
    """What stands between two blocks of prose: masks, and a line break before the next, so
    that its first word starts a line as it does in the text."""
    return MASK * (length - 1) + "\n" if length else ""


def _mask_inline(chunk: str) -> str:
    spans = _code_spans(chunk) + _comments(chunk)
    if spans:
        pieces, cursor = [], 0
        for start, end in sorted(spans):
            if start < cursor:
                continue
            pieces += [chunk[cursor:start], _blank(chunk[start:end])]
            cursor = end
        chunk = "".join([*pieces, chunk[cursor:]])
    chunk = HIDDEN.sub(_hide, chunk)
    if ADDRESS.search(chunk):
        chunk = ADDRESSES.sub(lambda m: _blank(m.group()), chunk)
    return chunk


def _hide(match: re.Match[str]) -> str:
    """Markup a reader does not see in a sentence (a link destination, an inline phrase tag:
    ``<b>``, ``<a href>``) as ``UNSEEN``; the rest as ``MASK``: what a reader sees but is no
    prose (code, directives, URLs), and tags that break the text (``<br/>`` between the
    values of a table cell)."""
    hidden = match.group()
    unseen = hidden.startswith("](") or PHRASE_TAG.fullmatch(hidden) is not None
    return UNSEEN * len(hidden) if unseen and "\n" not in hidden else _blank(hidden)


def _code_spans(chunk: str) -> list[tuple[int, int]]:
    """Code spans as CommonMark pairs them: a backtick run closes at the next run of the same
    length; a run that nothing closes is literal text."""
    if "`" not in chunk:
        return []
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(chunk)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        start, end = runs[index]
        following[index] = last.get(end - start)
        last[end - start] = index
    spans, index = [], 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def _comments(chunk: str) -> list[tuple[int, int]]:
    spans, start = [], chunk.find("<!--")
    while start >= 0:
        end = chunk.find("-->", start + 4)
        if end < 0:
            break
        spans.append((start, end + 3))
        start = chunk.find("<!--", end + 3)
    return spans


def _blank(text: str) -> str:
    return "\n".join(MASK * len(part) for part in text.split("\n"))
