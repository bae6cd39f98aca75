"""Hypothesis strategies for Riva deployments, CRM data and migration timelines.

Every strategy draws plain data in the deployment file format (a dict that ``to_yaml`` writes
and ``kb_lint.simulate.scenario_from_data`` loads), so a failing example can be printed as the
YAML a person would write. Names come from small pools, so that overlaps, shared categories and
shared folder roots happen often; addresses come in several spellings of one user::

    from hypothesis import given
    from kb_lint.simulate import scenario_from_data, simulate
    from kb_lint.strategies import deployments

    @given(deployments())
    def test_no_mailbox_holds_more_than_three_copies(data):
        result = simulate(scenario_from_data(data))
        assert result.final()["mailbox_copies_max"] <= 3

One module a kind of drawing: ``deployments`` (instances, policies, users), ``migrations`` (one
user moved, article 105's procedures), ``overlaps`` (one user in several instances, a case of
article 105's table), ``plans`` (timelines of changes) and ``packs`` (the fields of shipped
packs the simulator models).
"""

from kb_lint.strategies.deployments import (
    Data,
    clean_deployments,
    crm_data,
    data_types,
    deployments,
    email_systems,
    to_yaml,
)
from kb_lint.strategies.migrations import Migration, migrations
from kb_lint.strategies.overlaps import Shape, overlaps, shapes
from kb_lint.strategies.packs import (
    with_contacts,
    with_locked_change,
    with_meetings,
    with_new_address,
)
from kb_lint.strategies.plans import WHAT_WORDS, plans

__all__ = [
    "WHAT_WORDS",
    "Data",
    "Migration",
    "Shape",
    "clean_deployments",
    "crm_data",
    "data_types",
    "deployments",
    "email_systems",
    "migrations",
    "overlaps",
    "plans",
    "shapes",
    "to_yaml",
    "with_contacts",
    "with_locked_change",
    "with_meetings",
    "with_new_address",
]
