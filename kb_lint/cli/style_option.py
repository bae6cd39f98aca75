"""The house style of a command: the one named on the command line, else the config's."""

from __future__ import annotations

from kb_lint.articles.style import Style, UnknownStyle, load_style
from kb_lint.cli import UsageError
from kb_lint.config import Config


def style_of(config: Config, name: str | None) -> Style:
    """The style named on the command line, else in the config (``riva`` by default)."""
    try:
        return load_style(name or config.style, config.styles)
    except UnknownStyle as exc:
        raise UsageError(str(exc)) from None
