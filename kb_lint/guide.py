"""The guides of docs/ as installed topics: ``kb-lint explain authoring`` prints the pack
authoring guide wherever kb-lint is installed (the wheel carries ``kb_lint/guides``, a link to
``docs/``, as it carries the packs)."""

from __future__ import annotations

from importlib.resources import files

TOPICS = {
    "authoring": "authoring.md",
    "house-styles": "house-styles.md",
    "writing-articles": "writing-articles.md",
    "editors": "editors.md",
    "ci": "ci.md",
    "simulator": "simulator.md",
    "publishing": "publishing.md",
}


def guide_text(topic: str) -> str | None:
    """The guide named ``topic`` as Markdown, or ``None`` when there is no such guide."""
    name = TOPICS.get(topic.lower())
    return None if name is None else files("kb_lint").joinpath("guides", name).read_text("utf-8")


def pointer(topic: str) -> str:
    """How a user reads guide ``topic`` wherever kb-lint is installed."""
    return f"kb-lint explain {topic}"
