"""The site's simulation charts: a marker becomes an embedded chart, the script loaded once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb_lint.docs.charts import expand


def test_each_marker_becomes_a_chart_and_the_script_is_loaded_once():
    page = "# Guide\n\n<!-- kb-lint-chart: a.yaml -->\n\ntext\n\n<!-- kb-lint-chart: b.yaml -->\n"
    asked = []

    def spec_of(path: Path) -> dict:
        asked.append(path.name)
        return {"title": "</script><b>x</b>", "mark": "line"}

    html = expand(page, Path("/project"), "../assets/kb-lint/vega-embed.js", spec_of)
    assert asked == ["a.yaml", "b.yaml"]
    assert html.count("<script src=") == 1 and html.count('class="kb-lint-chart"') == 2
    assert "</script><b>" not in html  # a title cannot close the script element
    specs = re.findall(r'vegaEmbed\("#kb-lint-chart-\d", (.*), \{"actions": false\}\)', html)
    assert [json.loads(s.replace("<\\/", "</"))["mark"] for s in specs] == ["line", "line"]
    assert "<!--" not in html


def test_a_marker_runs_its_scenario_with_the_options_it_gives():
    page = "<!-- kb-lint-chart: a.yaml --cycles 30 --counting -->\n"
    asked = []

    def spec_of(path: Path, **options: object) -> dict:
        asked.append((path.name, options))
        return {}

    expand(page, Path("/project"), "x.js", spec_of)
    assert asked == [("a.yaml", {"cycles": 30, "counting": True})]
    with pytest.raises(ValueError, match="'--seed' is not --cycles N or --counting"):
        expand("<!-- kb-lint-chart: a.yaml --seed 1 -->\n", Path("/p"), "x.js", spec_of)
