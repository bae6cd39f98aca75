"""The site: pages as a pure function of packs, articles and simulated outcomes, and the thin
MkDocs plugin that serves them (``kb_lint.docs.plugin``)."""
