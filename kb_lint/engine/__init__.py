"""The rules engine: every generic rule kind, run over a deployment, gives findings."""

from kb_lint.engine.run import check_deployment, refuse_empty, rule_infos

__all__ = ["check_deployment", "refuse_empty", "rule_infos"]
