"""A pytest plugin for the baseline run of scripts/mutate.py: which test runs which line.

Each test's coverage context is its node id, in this process (``switch_context``) and in the
CLI processes it starts (``KB_MUTATE_CONTEXT``, which the coverage configuration reads as its
static context); each test's time goes to the JSON file named by ``KB_MUTATE_TIMES``. Lines
run while collecting (module level, parametrize lists) keep the empty context.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import coverage
import pytest

TIMES: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    measuring = coverage.Coverage.current()
    if measuring is None:
        raise pytest.UsageError("mutate_contexts: coverage is not measuring this process")
    os.environ["KB_MUTATE_CONTEXT"] = item.nodeid
    measuring.switch_context(item.nodeid)
    start = time.perf_counter()
    yield
    TIMES[item.nodeid] = time.perf_counter() - start
    measuring.switch_context("")
    del os.environ["KB_MUTATE_CONTEXT"]


def pytest_sessionfinish(session: pytest.Session) -> None:
    Path(os.environ["KB_MUTATE_TIMES"]).write_text(json.dumps(TIMES), "utf-8")
