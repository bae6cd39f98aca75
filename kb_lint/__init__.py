"""kb-lint: keep KB articles, the rules inside them, and deployments in agreement."""

__version__ = "0.1.0"
