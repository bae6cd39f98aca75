"""The house style of a command: the one named on the command line, else the config's."""

from __future__ import annotations

from kb_lint.articles.style import Style, UnknownStyle, load_style
from kb_lint.cli import UsageError
from kb_lint.config import Config


def style_of(config: Config, name: str | None) -> Style:
    """The style named on the command line, else in the config (``riva`` by default). A style
    or a styles folder the config names that does not exist is an error at its key."""
    if config.styles is not None and not config.styles.is_dir():
        raise config.error("styles", f"styles folder '{config.styles}' does not exist")
    try:
        return load_style(name or config.style, config.styles)
    except UnknownStyle as exc:
        if name is None and config.source is not None:
            raise config.error("style", str(exc)) from None
        raise UsageError(str(exc)) from None
