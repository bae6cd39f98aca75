"""The MkDocs plugin: feeds the rendered pages to the build; all content comes from ``render``.

In ``mkdocs.yml``::

    plugins:
      - kb-lint:
          rules: rules          # rule packs, relative to mkdocs.yml
          articles: articles    # articles, relative to docs_dir
          nav: true             # append the Rules and Articles sections to an explicit nav
          simulate: true        # simulate each overlap case for the outcome tables
          cycles: 5             # sync cycles per simulation (omitted: each scenario's own)
          styles: [common, riva, troubleshooting]   # house styles whose article rules get pages
          article_url: https://kb.example.com/{id}/ # each article's public page, by its id

It works with any theme: the only markup it adds is a few classes styled by its own small
stylesheet. With the Material theme it also adds the outdated-version banner (``overrides/``),
shown by mike's version selector on every version but ``extra.version.default``; a build that
mike does not run has no versions, so the selector (``extra.version.provider``) is left out.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from kb_lint.articles.reference import SHIPPED
from kb_lint.articles.style import UnknownStyle
from kb_lint.docs import charts
from kb_lint.docs.article_pages import render_article
from kb_lint.docs.escape import title_html
from kb_lint.docs.render import ARTICLE_BOOST, render_site, site_nav
from kb_lint.docs.rule_pages import search_words
from kb_lint.docs.simulated import simulator
from kb_lint.docs.sources import ArticlePage, collect
from kb_lint.docs.stylesheet import STYLESHEET, STYLESHEET_PATH
from kb_lint.errors import InputError
from kb_lint.pack.load import vocabulary_of
from kb_lint.review.prose import shown_expressions

log = logging.getLogger("mkdocs.plugins.kb_lint")

OVERRIDES = Path(__file__).resolve().parent / "overrides"
MIKE_VERSION = "MIKE_DOCS_VERSION"  # set by mike while it builds a version


class KbLintConfig(Config):
    rules = config_options.Type(str, default="rules")
    articles = config_options.Type(str, default="articles")
    nav = config_options.Type(bool, default=True)
    simulate = config_options.Type(bool, default=True)
    cycles = config_options.Optional(config_options.Type(int))
    styles = config_options.Type(list, default=list(SHIPPED))
    article_url = config_options.Optional(config_options.Type(str))


class KbLintPlugin(BasePlugin[KbLintConfig]):
    """Adds the rule pages in ``on_files``, their nav in ``on_config``, and rule badges to the
    article pages in ``on_page_markdown`` (the article files themselves are left untouched)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        template = self.config.article_url
        try:
            if template is not None and template.format(id=1) == template:
                raise ValueError("it has no {id}")
        except (KeyError, IndexError, ValueError) as exc:
            raise PluginError(f"kb-lint: article_url '{template}': {exc}") from None
        root = Path(config.config_file_path or ".").resolve().parent
        docs_dir = Path(config.docs_dir)
        rules_dir = root / self.config.rules
        articles_dir = docs_dir / self.config.articles
        try:
            simulate = simulator(self.config.cycles) if self.config.simulate else None
            articles = articles_dir if articles_dir.is_dir() else None
            styles = tuple(self.config.styles)
            self.sources = collect(rules_dir, articles, docs_dir, simulate, styles)
        except InputError as exc:
            raise PluginError(f"kb-lint: {exc}") from None
        except UnknownStyle as exc:
            raise PluginError(f"kb-lint: unknown style {exc}") from None
        for pack in self.sources.packs:
            for shown in shown_expressions(pack):
                if not shown.says.strip():
                    where = f"{shown.location.path}:{shown.location.line}:{shown.location.column}"
                    log.warning(f"kb-lint: {where}: {shown.what} is shown without words (add says)")
        self.pages = render_site(self.sources)
        self.articles: dict[str, ArticlePage] = {a.page: a for a in self.sources.articles}
        if config.nav is not None and self.config.nav:
            config.nav.extend(site_nav(self.sources))
        config.extra_css.append(STYLESHEET_PATH)
        version = config.extra.get("version")
        mike = isinstance(version, dict) and version.get("provider") == "mike"
        if mike and MIKE_VERSION not in os.environ:  # not a mike build: no versions.json
            config.extra["version"] = {k: v for k, v in version.items() if k != "provider"}
        if config.theme.name == "material" and str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(OVERRIDES))
        config.watch.append(str(rules_dir))
        self.root = root
        self.charted = False
        return config

    def _charts(self, markdown: str, page: Page) -> str | None:
        """The page with its simulation charts drawn (``kb_lint.docs.charts``)."""
        if not charts.MARKER.search(markdown):
            return None
        self.charted = True
        url = get_relative_url(charts.SCRIPT_PATH, page.file.url)
        try:
            vocabulary = vocabulary_of(self.sources.packs)
            return charts.expand(
                markdown, self.root, url, partial(charts.chart_spec_of, vocabulary=vocabulary)
            )
        except InputError as exc:
            raise PluginError(f"kb-lint: {page.file.src_uri}: chart: {exc}") from None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.charted:
            target = Path(config.site_dir) / charts.SCRIPT_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(charts.script(), encoding="utf-8")

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        for path, content in {**self.pages, STYLESHEET_PATH: STYLESHEET}.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"kb-lint: {path} is generated from the rules; remove it from {config.docs_dir}"
                )
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        article = self.articles.get(page.file.src_uri)
        if article is None:
            return self._charts(markdown, page)
        if "title" in page.meta:
            page.meta["title"] = title_html(page.meta["title"])
        page.meta.setdefault("search", {"boost": ARTICLE_BOOST})
        number = article.article.front_matter.get("id")
        citing = [
            (p, [r for r in p.rules if any(c.article == number for c in r.cites)])
            for p in self.sources.packs
        ]
        words = [w for pack, rules in citing if rules for w in search_words(rules, pack)]
        if words:
            page.meta.setdefault("tags", list(dict.fromkeys(words)))
        return render_article(markdown, article, self.sources, self.config.article_url)
