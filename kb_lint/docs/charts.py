"""Interactive simulation charts on the site: a page asks for one, the plugin draws it.

A line ``<!-- kb-lint-chart: examples/scenarios/NAME.yaml -->`` (a path relative to
``mkdocs.yml``, or absolute) in a page becomes the chart ``kb-lint simulate NAME.yaml --plot``
draws, embedded with Vega-Embed: the same panels, with tooltips. After the path, ``--cycles N``
and ``--counting`` mean what they mean to ``kb-lint simulate``; any other word is an error.
The simulator guide asks for its scenarios' charts; each pack's outcomes page, for every
simulated example deployment. The Vega, Vega-Lite and Vega-Embed scripts come from
vl-convert's bundle and are served with the site (``SCRIPT_PATH``), never from a CDN. Cost:
one simulation per chart, at build time.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb_lint.model.deployment import BUILT_IN
from kb_lint.model.fields import Vocabulary

SCRIPT_PATH = "assets/kb-lint/vega-embed.js"
MARKER = re.compile(r"^<!--\s*kb-lint-chart:\s*(.+?)\s*-->[ \t]*$", re.M)


@functools.cache
def script() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (``vegaEmbed`` as a global)."""
    import vl_convert

    return vl_convert.javascript_bundle()


def chart_spec_of(
    path: Path,
    cycles: int | None = None,
    counting: bool = False,
    vocabulary: Vocabulary = BUILT_IN,
) -> dict[str, Any]:
    """The chart of the scenario at ``path``, read with ``vocabulary`` (the fields and actions
    of the site's packs), as ``kb-lint simulate --plot`` draws it."""
    from kb_lint.simulate import read_scenario, simulate
    from kb_lint.simulate.plot import chart_spec

    scenario = read_scenario(path, cycles, vocabulary=vocabulary)
    title = f"{path.name} (seed {scenario.setup.seed})"
    return chart_spec(simulate(scenario, counting=counting), scenario.setup, title)


def _options(words: list[str]) -> dict[str, Any]:
    """A marker's options after its path: ``--cycles N`` and ``--counting``."""
    options: dict[str, Any] = {}
    rest = iter(words)
    for word in rest:
        if word == "--counting":
            options["counting"] = True
        elif word == "--cycles" and (number := next(rest, "")).isdigit():
            options["cycles"] = int(number)
        else:
            raise ValueError(f"kb-lint-chart: '{word}' is not --cycles N or --counting")
    return options


def expand(
    markdown: str, root: Path, script_url: str, spec_of: Callable[..., dict[str, Any]]
) -> str:
    """``markdown`` with every chart marker replaced by its chart, and the script loaded once
    (from ``script_url``, relative to the page) before the first."""
    count = 0

    def chart(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        path, *words = match.group(1).split()
        spec = json.dumps(spec_of(root / path, **_options(words)), ensure_ascii=False)
        spec = spec.replace("</", "<\\/")  # never ends the script element
        name = f"kb-lint-chart-{count}"
        loader = f'<script src="{script_url}"></script>\n' if count == 1 else ""
        return (
            f'{loader}<div class="kb-lint-chart" id="{name}"></div>\n'
            f'<script>vegaEmbed("#{name}", {spec}, {{"actions": false}});</script>'
        )

    return MARKER.sub(chart, markdown)
