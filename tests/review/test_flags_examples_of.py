"""A rule may report other packs' passing examples on purpose: ``flags_examples_of`` names
their packs, so ``rules check`` accepts those findings (KB-RULES-015) without an edit to each
of their examples; an entry that accepts nothing is reported where it is written."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb_lint.review import review_packs

ROOT = Path(__file__).resolve().parents[2]
RULE = """
  - id: KB991-002
    kind: check
    over: bindings
    title: Every assignment is reported
    severity: info
    cites: {section: background}
    summary: A rule that reports every assignment, as a procedure for every added user would.
    when: WHEN
    message: "{email} is assigned"
    FLAGS
    examples:
      - {file: examples/two-policies-one-instance.yaml, expect: fail}
"""


def _rules(tmp_path: Path, flags: str = "", when: str = 'email != ""') -> Path:
    """Article 105's pack beside KB991, whose new rule KB991-002 reports every assignment."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules/kb-105", rules / "kb-105")
    shutil.copytree(ROOT / "tests/review/packs/disagree/kb-991", rules / "kb-991")
    pack = rules / "kb-991/pack.yaml"
    rule = RULE.replace("WHEN", repr(when)).replace("FLAGS", flags or "")
    text = pack.read_text("utf-8").replace("\nsimulation:", f"{rule}\nsimulation:")
    pack.write_text(text, "utf-8")
    return rules


def _passing_breaks(rules: Path) -> list[str]:
    """KB-RULES-015's findings but those of KB991-001 (which reports one of article 105's
    passing examples already, KB-RULES-012's contradiction)."""
    return [
        f"{Path(f.location.path).parent.name}:{f.location.line}: {f.message}"
        for f in review_packs(rules).findings
        if f.rule == "KB-RULES-015" and "KB991-001" not in f.message
    ]


def test_without_the_key_each_passing_example_of_the_other_pack_is_reported(tmp_path):
    found = _passing_breaks(_rules(tmp_path))
    assert len(found) >= 3
    assert all(f.startswith("kb-105:") and "but KB991-002 reports" in f for f in found)


def test_naming_the_pack_accepts_its_examples(tmp_path):
    assert _passing_breaks(_rules(tmp_path, "flags_examples_of: [KB105]")) == []


def test_a_pack_not_loaded_is_reported_at_its_entry_with_a_suggestion(tmp_path):
    rules = _rules(tmp_path, "flags_examples_of: [KB105, KB1055]")
    line = next(
        n
        for n, text in enumerate((rules / "kb-991/pack.yaml").read_text().splitlines(), 1)
        if "flags_examples_of" in text
    )
    assert _passing_breaks(rules) == [
        f"kb-991:{line}: flags_examples_of KB1055: no loaded pack has this id "
        "(did you mean 'KB105'?)"
    ]


def test_the_rules_own_pack_is_refused(tmp_path):
    (found,) = _passing_breaks(_rules(tmp_path, "flags_examples_of: [KB105, KB991]"))
    assert "flags_examples_of KB991: its own pack" in found


def test_an_entry_that_accepts_no_finding_is_reported(tmp_path):
    rules = _rules(tmp_path, "flags_examples_of: [KB105]", when='email == "nobody"')
    (found,) = _passing_breaks(rules)
    assert "flags_examples_of KB105: KB991-002 reports none of its passing examples" in found


def test_the_key_is_refused_where_the_schema_says_a_pack_id(tmp_path):
    rules = _rules(tmp_path, "flags_examples_of: [kb-105]")
    messages = [f.message for f in review_packs(rules).findings]
    assert "item 1 of 'flags_examples_of' must match ^[A-Z][A-Z0-9]*$, not \"kb-105\"" in messages
