"""Reading scenarios: CRM data, cycles, seeds, and timelines placed on cycles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.errors import InputError
from kb_lint.simulate import read_scenario, scenario_from_data
from kb_lint.simulate.scenario import DEFAULT_CYCLES, DEFAULT_RECORDS

ONE_USER = {
    "instances": [
        {
            "name": "riva-cloud",
            "kind": "cloud",
            "policies": [
                {
                    "name": "Sales",
                    "users": [{"email": "User@Email.com ", "crm_user": "u@email.com"}],
                },
            ],
        }
    ],
}


def event(**fields):
    return {"action": "disable-policy", "instance": "riva-cloud", "policy": "Sales", **fields}


def test_without_crm_data_every_crm_user_gets_the_default_records():
    setup = scenario_from_data(ONE_USER).setup
    assert setup.records == {("u@email.com", kind): n for kind, n in DEFAULT_RECORDS.items()}
    assert setup.mailboxes == ("user@email.com",)
    assert (setup.cycles, setup.seed) == (DEFAULT_CYCLES, 0)


def test_explicit_records_add_to_the_per_user_ones():
    crm = {
        "records_per_user": {"contacts": 2},
        "records": [
            {"crm_user": " U@Email.com", "type": "tasks", "title": "Call back"},
            {"crm_user": "u@email.com", "type": "contacts"},
            {"crm_user": "nobody", "type": "leads"},
        ],
    }
    assert scenario_from_data({**ONE_USER, "crm": crm}).setup.records == {
        ("u@email.com", "contacts"): 3,
        ("u@email.com", "tasks"): 1,
        ("nobody", "leads"): 1,
    }


def test_a_crm_record_id_used_twice_is_an_input_error(tmp_path: Path):
    path = tmp_path / "twice.yaml"
    path.write_text(
        "crm:\n"
        "  records:\n"
        "    - {id: r1, crm_user: a, type: contacts}\n"
        "    - {id: r1, crm_user: a, type: tasks}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        read_scenario(path)
    assert (error.value.line, error.value.column) == (4, 12)
    assert "CRM record id 'r1' is used twice" in error.value.message


def test_dates_come_one_cycle_apart_after_the_first_cycle():
    timeline = [
        event(at="2024-05-01"),
        event(at="2024-05-01", action="enable-policy"),
        event(at="2024-05-03"),
        event(),
    ]
    setup = scenario_from_data({**ONE_USER, "timeline": timeline}).setup
    assert {c: [e.index for e in events] for c, events in setup.schedule.items()} == {
        2: [0, 1],
        3: [2],
        4: [3],
    }
    assert setup.cycles == 6  # two cycles past the last event


def test_cycle_numbers_place_events():
    timeline = [event(cycle=7, action="enable-policy"), event()]
    setup = scenario_from_data({**ONE_USER, "timeline": timeline}).setup
    assert {c: [e.index for e in events] for c, events in setup.schedule.items()} == {
        7: [0],
        8: [1],
    }
    assert setup.cycles == 10  # two cycles past the last event


def test_the_file_and_the_caller_choose_cycles_and_seed(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text("seed: 4\ncycles: 2\n", encoding="utf-8")
    assert (read_scenario(path).setup.cycles, read_scenario(path).setup.seed) == (2, 4)
    assert (read_scenario(path, 9, 1).setup.cycles, read_scenario(path, 9, 1).setup.seed) == (9, 1)
