"""What a new pack author met on an unseen article (trial 3, issue 19), on the test pack KB905
(``tests/packs/kb-905-pages``: one set of options per policy page, a policy-subject table, a
sequence rule under a timeline of cycles) and the deployments of ``tests/pages``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from kb_lint.docs.render import render_site
from kb_lint.docs.sources import collect
from kb_lint.review import check_infos, review_packs

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "tests" / "packs" / "kb-905-pages"
PAGES = ROOT / "tests" / "pages"


def copied(tmp_path: Path, edit=None) -> Path:
    """A rules folder holding a copy of KB905, its pack.yaml data changed by ``edit``."""
    rules = tmp_path / "rules"
    shutil.copytree(PACK, rules / PACK.name)
    if edit is not None:
        path = rules / PACK.name / "pack.yaml"
        data = yaml.safe_load(path.read_text("utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return rules


def findings(kb_lint, path: Path, rules: Path = PACK.parent) -> list[dict]:
    proc = kb_lint("check", path, "--rules", rules, "--select", "KB905", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_a_record_that_leaves_out_a_required_subfield_is_an_error_at_the_record(kb_lint):
    proc = kb_lint("check", PAGES / "page-left-out.yaml", "--rules", PACK.parent)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "tests/pages/page-left-out.yaml:9:13: option_page needs 'page'" in proc.stderr


def test_the_deployment_schema_lists_a_required_subfield(kb_lint):
    proc = kb_lint("schema", "--rules", PACK.parent)
    pages = json.loads(proc.stdout)["$defs"]["policy"]["properties"]["option_pages"]
    assert pages["items"]["required"] == ["page"]


def test_required_false_and_required_with_a_default_are_refused(kb_lint, tmp_path):
    def subfield(**spec):
        def edit(data):
            data["fields"]["policy"]["option_pages"]["fields"]["page"].update(spec)

        return edit

    for spec, said in (
        ({"required": False}, "a subfield is optional unless it says `required: true`"),
        ({"default": "contacts"}, "a required subfield is always given, so the default of 'page'"),
    ):
        rules = copied(tmp_path / str(len(said)), subfield(**spec))
        proc = kb_lint("rules", "check", "--rules", rules)
        assert proc.returncode == 2 and said in proc.stdout + proc.stderr, proc.stdout


def test_a_check_rule_with_each_reports_at_each_element_that_breaks_it(kb_lint):
    found = findings(kb_lint, PACK / "examples" / "basic-two-inbox.yaml")
    assert [(f["line"], f["column"]) for f in found] == [(8, 13), (10, 13)]


def test_a_row_citing_another_section_is_shown_under_it(kb_lint, tmp_path):
    [first, _] = findings(kb_lint, PACK / "examples" / "basic-two-inbox.yaml")
    assert "(article § expected-challenges, item 1, assumption A1)" in first["why"]
    pages = render_site(collect(PACK.parent, None, tmp_path, styles=()))
    [table] = [text for path, text in pages.items() if "option-pages" in path]
    assert "article § expected-challenges, item 1" in table
    assert "article § the-option-pages, item 3" not in table


def test_an_events_when_reads_for_cycles_and_dates_alike(kb_lint):
    [cycles] = findings(kb_lint, PACK / "examples" / "saved-then-set.yaml")
    assert cycles["message"].startswith(
        "Sales was saved before cycle 1; its option pages cannot be set before cycle 3"
    )
    [dates] = findings(kb_lint, PAGES / "dates.yaml")
    assert dates["message"].startswith(
        "Sales was saved on 2026-12-01; its option pages cannot be set on 2026-12-03"
    )


def test_a_claims_where_narrows_a_policy_table_to_the_rows_it_reaches(tmp_path):
    assert [f for f in review_packs(PACK.parent).findings if f.rule == "KB-RULES-018"] == []

    def claim(where: str, holds: bool):
        def edit(data):
            data["claims"][0].update(where=where, holds={"option_unavailable": holds})

        return edit

    for where, holds, row in (('tier == "basic"', False, 3), ('tier == "premium"', True, 2)):
        rules = copied(tmp_path / row.__str__(), claim(where, holds))
        [broken] = [f for f in review_packs(rules).findings if f.rule == "KB-RULES-018"]
        assert broken.message.startswith(f"row {row} of 'option-pages'"), broken.message
        assert "claim C1 (article § the-option-pages, item 2)" in broken.message


def test_an_outcome_nothing_predicts_is_reported(kb_lint, tmp_path):
    def unused(data):
        data["outcomes"]["locked_mode"] = {
            "type": "enum",
            "values": ["chosen", "unchosen"],
            "merge": "max",
        }

    proc = kb_lint("rules", "check", "--rules", copied(tmp_path, unused))
    assert proc.returncode == 1
    assert re.search(
        r"pack\.yaml:\d+:\d+: KB-RULES-021 warning outcome 'locked_mode' is predicted by no rule,",
        proc.stdout,
    ), proc.stdout


def test_a_pack_that_says_nothing_about_simulation_is_a_note(kb_lint, tmp_path):
    proc = kb_lint("rules", "check", "--rules", copied(tmp_path, lambda d: d.pop("simulation")))
    assert proc.returncode == 0, proc.stdout
    assert "KB-RULES-022 info pack KB905 says nothing about simulation: write `simulation: " in (
        proc.stdout
    )


def test_the_new_checks_document_themselves(kb_lint):
    infos = check_infos()
    assert {"KB-RULES-021", "KB-RULES-022"} <= infos.keys()
    shown = kb_lint("explain", "KB-RULES-021").stdout
    assert "outcome-unused" in shown and "predict" in shown


def test_fix_names_a_citations_fingerprint_as_the_citations(kb_lint, tmp_path):
    def bare(data):
        del data["rules"][0]["cites"]["fingerprint"]

    rules = copied(tmp_path, bare)
    proc = kb_lint("rules", "check", "--rules", rules, "--fix")
    assert "rule KB905-001 citation fingerprint none -> sha256:" in proc.stderr, proc.stderr


def test_a_broken_pack_is_counted_as_a_pack_load_error_named_as_rules_check_names_it(
    kb_lint, tmp_path
):
    def misspelt(data):
        data["rules"][0]["titel"] = data["rules"][0].pop("title")

    copied(tmp_path, misspelt)
    deployment = ROOT / "examples" / "deployment.yaml"
    proc = kb_lint("check", deployment, "--rules", "rules", cwd=tmp_path)
    assert proc.returncode == 2
    assert "kb-lint: rules/kb-905-pages/pack.yaml:" in proc.stderr, proc.stderr
    assert proc.stdout.endswith("in 1 file; 2 pack load errors (those packs' rules not run).\n")


def test_simulate_says_what_is_not_modelled_as_data_and_names_what_the_rules_predict(kb_lint):
    example = PACK / "examples" / "saved-then-set.yaml"
    proc = kb_lint("simulate", example, "--rules", PACK.parent, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    [part] = [p for p in json.loads(proc.stdout)["not_modelled"] if p["pack"] == "KB905"]
    assert part["actions"] == [
        {"action": "save-options", "entry": 1},
        {"action": "set-option-pages", "entry": 2},
    ]
    assert part["fields"] == [{"name": "tier", "scope": "instance"}]
    assert part["outcomes"] == ["option_unavailable", "change_refused"]
    assert part["predicted"] == ["change_refused"]
    text = kb_lint("simulate", example, "--rules", PACK.parent).stdout
    assert "; its rules predict change_refused here" in text


def test_the_guide_runs_kb_lint_articles_and_says_what_an_omitted_set_field_does():
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    checklist = guide[guide.index("$ kb-lint rules test") : guide.index("## Worked example")]
    assert "$ kb-lint articles " in checklist
    assert "keeps that\nfield's previous value" in guide
