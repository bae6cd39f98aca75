"""A ``breaks:`` entry must earn its place, and a 'Use instead' example may carry a consequence:
``kb-lint rules check`` run as a user runs it, on copies of the fixture packs
(``packs/stale-breaks``, ``packs/fix-consequence``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from review_fixtures import PACKS

from kb_lint.docs.rule_pages import render_rule
from kb_lint.docs.sources import collect


def _copy(tmp_path: Path, folder: str) -> Path:
    """The fixture pack ``folder`` with the examples and article it names; its pack file."""
    for name in (folder, "examples", "articles"):
        shutil.copytree(PACKS / name, tmp_path / name)
    return tmp_path / folder / "kb-990" / "pack.yaml"


def _line(pack: Path, text: str) -> int:
    return next(n for n, line in enumerate(pack.read_text("utf-8").splitlines(), 1) if text in line)


def test_a_breaks_entry_that_breaks_nothing_is_an_error_at_the_entry(kb_lint, tmp_path):
    """Trial 10 #2: a ``breaks:`` entry naming a rule that does not report the example was
    accepted (``All checks passed``), unlike a waiver that waives nothing or an idle
    ``flags_examples_of`` entry; it hides that the rule stopped firing."""
    pack = _copy(tmp_path, "stale-breaks")
    proc = kb_lint("rules", "check", "--rules", pack.parent.parent, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = _line(pack, "breaks: [KB990-001]")
    column = pack.read_text("utf-8").splitlines()[line - 1].index("KB990-001]") + 1
    assert proc.stdout.splitlines()[0] == (
        f"stale-breaks/kb-990/pack.yaml:{line}:{column}: KB-RULES-015 error example "
        "move-by-the-book.yaml of KB990-002: breaks KB990-001: KB990-001 does not report the "
        "example: remove the entry"
    )


def test_a_breaks_entry_on_an_example_that_does_not_pass_or_naming_no_rule(kb_lint, tmp_path):
    pack = _copy(tmp_path, "stale-breaks")
    text = pack.read_text("utf-8").replace("breaks: [KB990-001]", "breaks: [KB990-01]")
    failing = "{file: ../../examples/same-category.yaml, expect: fail"
    assert text.count(failing) == 1
    pack.write_text(text.replace(failing, f"{failing}, breaks: [KB990-002]"), "utf-8")
    proc = kb_lint("rules", "check", "--rules", pack.parent.parent, cwd=tmp_path)
    found = [line.split(" error ", 1)[1] for line in proc.stdout.splitlines() if " error " in line]
    assert found == [
        "example same-category.yaml of KB990-001: breaks KB990-002: breaks: lists what a "
        "passing example breaks; this one expects fail",
        "example move-by-the-book.yaml of KB990-002: breaks KB990-01: its pack has no such rule "
        "(did you mean 'KB990-001'?)",
    ]


def test_a_fix_may_carry_a_consequence_it_lists_in_breaks(kb_lint, tmp_path):
    """Trial 9 P2: the by-the-book fix carries the article's consequence (an info rule with no
    fix, KB990-003); listed in ``breaks:``, it was still KB-RULES-015 ("shown as 'Use instead'
    but breaks"). It passes now, and the rule's page says what the fix passes."""
    pack = _copy(tmp_path, "fix-consequence")
    proc = kb_lint("rules", "check", "--rules", pack.parent.parent, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (1 file).\n"), proc.stderr


def test_a_fix_may_not_carry_a_rule_that_marks_a_mistake(kb_lint, tmp_path):
    """With a ``fix``, KB990-003 marks something to undo: the 'Use instead' examples that list
    it are each an error at their entry (the rule now needs a fix of its own, and its
    fingerprint changed: other checks say so)."""
    pack = _copy(tmp_path, "fix-consequence")
    text = pack.read_text("utf-8")
    rule = '    message: "{email} is synced by {instance} under the category CRM"\n'
    assert text.count(rule) == 1
    pack.write_text(text.replace(rule, f"{rule}    fix: File the items elsewhere.\n"), "utf-8")
    proc = kb_lint("rules", "check", "--rules", pack.parent.parent, cwd=tmp_path)
    found = [line for line in proc.stdout.splitlines() if "KB-RULES-015" in line]
    assert [int(line.split(":")[1]) for line in found] == [
        _line(pack, "one-instance.yaml, expect: pass"),
        _line(pack, "move-by-the-book.yaml, expect: pass"),
    ]
    assert found[0].endswith(
        "KB-RULES-015 error example one-instance.yaml of KB990-001: breaks KB990-003: the "
        "example is shown as 'Use instead', and KB990-003 has a fix: it marks a mistake in the "
        "fix; only a consequence (an info rule with no fix) may be listed on it"
    )


def test_the_rule_page_says_the_fix_passes_every_rule_but_the_consequence_it_carries():
    sources = collect(PACKS / "fix-consequence", PACKS / "articles", PACKS)
    [pack] = sources.packs
    use = render_rule(pack.rules[0], pack, sources).split("## Use instead")[1]
    assert use.split("\n\n")[1] == (
        "The same deployment, fixed (<code>one-instance.yaml</code>): it passes every rule but "
        "<code>KB990-003</code>, which states a consequence the fix carries too (what Riva will "
        "do, nothing to undo)."
    )
