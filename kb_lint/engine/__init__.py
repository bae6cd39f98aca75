"""The rules engine: every generic rule kind, run over a deployment, gives findings."""

from kb_lint.engine.run import check_deployment, rule_infos

__all__ = ["check_deployment", "rule_infos"]
