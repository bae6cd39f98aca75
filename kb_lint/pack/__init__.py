"""Rule packs: one KB article's rules, decision tables and procedures, as data."""

from kb_lint.pack.load import load_pack, load_packs
from kb_lint.pack.model import (
    DecisionTable,
    Example,
    OutcomeField,
    Procedure,
    Rule,
    RulePack,
    Step,
    Template,
)

__all__ = [
    "DecisionTable",
    "Example",
    "OutcomeField",
    "Procedure",
    "Rule",
    "RulePack",
    "Step",
    "Template",
    "load_pack",
    "load_packs",
]
