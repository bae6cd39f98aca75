"""Every outcome a pack other than KB105 says the model measures changes when the mechanism
that makes it is taken out of the model (KB105's are in test_mechanisms.py): M12, a master
folder rename that Riva refuses once the policy has been saved (KB 1668); M13, contacts the
address book or the CRM holds twice (KB 519); M14, a CRM user back under a new address
(KB 1270); M15, a Riva Cloud policy's category or contact folder option changed after its
first save (KB 1508); M16, a meeting matched under a policy's Attendee Syncing options
(KB 1507)."""

from __future__ import annotations

import pytest

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import counting, read_scenario, run, scenario_from_data, simulate, sync
from kb_lint.simulate.coverage import not_modelled
from tests.conftest import ROOT

PACKS = {p.id: p for p in load_packs(ROOT / "rules")}
USER = "ann.lee@acme.example"


def renamed(root: str) -> dict:
    return {
        "instances": [
            {
                "name": "onprem-1",
                "kind": "on-premise",
                "policies": [
                    {
                        "name": "Sales",
                        "folders": {"root": "Salesforce"},
                        "users": [{"email": USER, "crm_user": USER}],
                    }
                ],
            }
        ],
        "cycles": 3,
        "timeline": [
            {
                "cycle": 2,
                "action": "rename-master-folder",
                "instance": "onprem-1",
                "policy": "Sales",
                "folder_root": root,
            }
        ],
    }


def contacts(book: str = "unknown", crm: bool = False, **policy: object) -> dict:
    """Ann syncs three CRM contacts; her address book and the CRM as KB519's fields say."""
    return {
        "instances": [
            {
                "name": "onprem",
                "kind": "on-premise",
                "crm_duplicate_contacts": crm,
                "policies": [
                    {
                        "name": "Sales",
                        "users": [{"email": USER, "crm_user": USER, "address_book": book}],
                        **policy,
                    }
                ],
            }
        ],
        "crm": {"records_per_user": {"contacts": 3, "tasks": 1}},
        "cycles": 3,
    }


def _no_doubles(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(sync.World, "double", lambda self, users: None)


NEW = "ann.new@acme.example"


def readded(release: str | None = "2.4.52", kind: str = "on-premise", email: str = NEW) -> dict:
    """Ann, synced once, is removed and added back for her CRM user under ``email``."""
    crm_user = "005E0000006Ta9MIAS"
    common = {"instance": "onprem", "policy": "Sales", "crm_user": crm_user, "cycle": 2}
    return {
        "instances": [
            {
                "name": "onprem",
                "kind": kind,
                **({"riva_version": release} if release else {}),
                "policies": [{"name": "Sales", "users": [{"email": USER, "crm_user": crm_user}]}],
            }
        ],
        "crm": {"records_per_user": {"contacts": 2, "tasks": 1}},
        "cycles": 4,
        "timeline": [
            {**common, "action": "remove-user", "email": USER},
            {**common, "action": "add-user", "email": email},
        ],
    }


def _no_refusals(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(run, "refused_change", lambda config, event: set())


def changed(action: str, kind: str = "cloud", **setting: object) -> dict:
    """A saved policy of Ann's with category Salesforce and no separate contact folder; a
    runbook's ``action`` gives it ``setting``."""
    return {
        "instances": [
            {
                "name": "riva",
                "kind": kind,
                "policies": [
                    {
                        "name": "Sales",
                        "category": "Salesforce",
                        "separate_contact_folder": False,
                        "users": [{"email": USER, "crm_user": USER}],
                    }
                ],
            }
        ],
        "cycles": 3,
        "timeline": [
            {"cycle": 2, "action": action, "instance": "riva", "policy": "Sales", **setting}
        ],
    }


def meeting(
    attendees: str = "colleagues", must_match: bool = True, exclusivity: bool = True, **more: object
) -> dict:
    """Ann's meetings are with ``attendees``; her policy syncs contacts and appointments, with
    the Attendee Syncing options KB1507's fields give (Create on unless ``more`` says)."""
    policy = {
        "name": "Sales",
        "data_types": ["contacts", "appointments"],
        "attendee_must_match": must_match,
        "attendee_exclusivity": exclusivity,
        "attendee_create_contacts": True,
        "users": [{"email": USER, "crm_user": USER, "meeting_attendees": attendees}],
    }
    return {
        "instances": [{"name": "onprem", "kind": "on-premise", "policies": [policy | more]}],
        "crm": {"records_per_user": {"contacts": 2, "appointments": 1}},
        "cycles": 4,
    }


def _no_matching(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(sync, "meeting_sent", lambda *args: True)


# pack -> outcome -> (a scenario that shows it, what takes its mechanism out)
CASES = {
    "KB1668": {
        "change_refused": (
            renamed("Acme CRM"),
            _no_refusals,
        ),
    },
    "KB1270": {
        "rename_result": (
            readded(),
            lambda mp: mp.setattr(run.CrmIds, "readd", lambda self, world, config, event: None),
        ),
        "sync_errors": (
            readded(),
            lambda mp: mp.setattr(run.CrmIds, "check", lambda self, world, i, box, a: a),
        ),
    },
    "KB1508": {
        "change_refused": (changed("change-sync-category", category="Acme CRM"), _no_refusals),
    },
    "KB1507": {
        "meeting_skipped": (meeting(), _no_matching),
        "contacts_created": (meeting("strangers"), _no_matching),
    },
    "KB519": {
        "duplicate_contacts": (contacts("has-crm-contacts", True), _no_doubles),
        "certainty": (
            contacts("has-crm-contacts"),
            lambda mp: mp.setattr(sync.World, "know", lambda self, known: None),
        ),
    },
}


def _outcome(data: dict) -> dict:
    scenario = scenario_from_data(data, "scenario", vocabulary_of(PACKS.values()))
    mailboxes = simulate(scenario, item_level=True).mailboxes
    return mailboxes[NEW] if NEW in mailboxes else mailboxes[USER]


def test_every_measured_outcome_of_every_simulated_pack_has_a_case():
    simulated = {
        pack.id: set(pack.simulation.measures)
        for pack in PACKS.values()
        if pack.simulation is not None and pack.id != "KB105"
    }
    assert simulated == {pack: set(cases) for pack, cases in CASES.items()}


@pytest.mark.parametrize(("pack", "name"), [(p, n) for p, cases in CASES.items() for n in cases])
def test_a_measured_outcome_changes_when_its_mechanism_is_removed(pack, name, monkeypatch):
    data, remove = CASES[pack][name]
    shown = _outcome(data)[name]
    assert shown != PACKS[pack].outcomes[name].default, f"{name}: the case does not show it"
    with monkeypatch.context() as mp:
        remove(mp)
        assert _outcome(data).get(name) != shown  # certainty: gone with the duplicates


def test_a_rename_to_the_policys_own_root_is_no_change():
    assert _outcome(renamed("Salesforce"))["change_refused"] is False


def test_only_a_scenario_with_a_rename_shows_change_refused():
    data = renamed("Acme CRM")
    del data["timeline"]
    assert "change_refused" not in _outcome(data)


@pytest.mark.parametrize(
    "example",
    [
        "kb-1668/examples/rename-saved-policy.yaml",
        "kb-105/examples/clean.yaml",
        "kb-519/examples/crm-duplicates.yaml",
    ],
)
def test_a_modelled_action_and_a_field_left_at_its_default_are_not_said_not_modelled(example):
    """M12 runs rename-master-folder, M13 KB519's fields; a field the file leaves out (filled
    with its default when the file loads) is not one the scenario gives."""
    packs = list(PACKS.values())
    scenario = read_scenario(ROOT / "rules" / example, vocabulary=vocabulary_of(packs))
    assert not_modelled(scenario.deployment, packs) == []


@pytest.mark.parametrize(
    ("book", "crm", "shown"),
    [
        ("has-crm-contacts", False, ["address book"]),
        ("unknown", True, ["crm"]),
        ("has-crm-contacts", True, ["address book", "crm"]),
        ("empty", False, []),
    ],
)
@pytest.mark.parametrize("path", ["item_level", "counting", "fast"])
def test_each_source_of_duplicate_contacts_on_every_path(book, crm, shown, path):
    """M13 on the three paths: the address book's own contacts and the CRM's doubled record
    each make their source, and each only its own."""
    scenario = scenario_from_data(contacts(book, crm), "scenario", vocabulary_of(PACKS.values()))
    paths = {"item_level": {"item_level": True}, "counting": {"counting": True}, "fast": {}}
    outcome = simulate(scenario, **paths[path]).mailboxes[USER]
    if book == "empty" and not crm:
        assert "duplicate_contacts" not in outcome  # no contact is held twice: nothing to show
        return
    assert outcome["duplicate_contacts"] == shown
    assert outcome["certainty"] == "certain"
    assert outcome["mailbox_copies"] == 1  # one copy of each CRM record: duplicates are people


def test_a_policy_that_does_not_sync_contacts_makes_no_duplicate_contacts():
    data = contacts("has-crm-contacts", True, data_types=["tasks"])
    assert _outcome(data)["duplicate_contacts"] == []
    assert "certainty" not in _outcome(data)


def test_the_doubled_record_is_in_the_crm_and_the_users_own_contacts_in_the_mailbox():
    scenario = scenario_from_data(
        contacts("has-crm-contacts", True), "scenario", vocabulary_of(PACKS.values())
    )
    for path in ({"item_level": True}, {"counting": True}):
        final = simulate(scenario, **path).cycles[-1]
        assert final.crm_records == 3 + 1 + 1  # three contacts, one doubled, one task
        assert final.mailbox_items == 3 + 4 + 1  # Ann's own three, Riva's four copies, a task


def test_sync_all_items_sends_the_users_own_contacts_up_as_crm_duplicates():
    """M13 with M4: the user's contacts stand for people the CRM holds."""
    scenario = scenario_from_data(
        contacts("has-crm-contacts", sync_all_items=True), "scenario", vocabulary_of(PACKS.values())
    )
    for path in ({"item_level": True}, {"counting": True}, {}):
        result = simulate(scenario, **path)
        assert result.mailboxes[USER]["crm_duplicates"] is True
        assert result.final()["crm_duplicates"] == 3


def test_the_counting_paths_known_contacts_are_what_makes_them_duplicates(monkeypatch):
    """The counting path's mark on the user's own contacts of CRM people (M13) decides that
    sync all items duplicates them."""
    scenario = scenario_from_data(
        contacts("has-crm-contacts", sync_all_items=True), "scenario", vocabulary_of(PACKS.values())
    )
    monkeypatch.setattr(counting.Counts, "know", lambda self, records: None)
    assert simulate(scenario, counting=True).final()["crm_duplicates"] == 0


@pytest.mark.parametrize(
    ("release", "result", "errors", "copies"),
    [
        ("2.4.52", "crm_id_conflict", True, 1),
        ("2.4.39.24181", "crm_id_conflict", True, 1),
        (None, "crm_id_conflict", True, 1),
        ("2.4.38", "first_sync_duplicates", False, 2),
    ],
)
@pytest.mark.parametrize("path", ["item_level", "counting", "fast"])
def test_a_crm_user_back_under_a_new_address_on_every_path(release, result, errors, copies, path):
    """M14: the mailbox keeps its items under its new address; from 2.4.39.24181 (or an
    unknown release) the instance refuses it, before it writes a second copy of everything."""
    scenario = scenario_from_data(readded(release), "scenario", vocabulary_of(PACKS.values()))
    paths = {"item_level": {"item_level": True}, "counting": {"counting": True}, "fast": {}}
    run_ = simulate(scenario, **paths[path])
    new, old = run_.mailboxes[NEW], run_.mailboxes[USER]
    assert (new["rename_result"], new["sync_errors"], new["mailbox_copies"]) == (
        result,
        errors,
        copies,
    )
    assert (old["rename_result"], old["mailbox_copies"], old["leftovers"]) == ("none", 0, [])
    assert run_.cycles[-1].errors == (1 if errors else 0)  # one error per sync of the address
    assert run_.cycles[-1].mailbox_items == 3 * copies  # two contacts and a task, each copied


@pytest.mark.parametrize(
    "data",
    [readded(kind="cloud"), readded(email=USER), readded(release="2.4.38") | {"cycles": 1}],
    ids=["cloud", "same address", "before the re-add"],
)
def test_no_crm_user_back_under_a_new_address(data):
    """Riva Cloud is not modelled so; the same address is the same user; nothing shows before
    the event has happened (a one-cycle run)."""
    assert "rename_result" not in _outcome(data)


def test_without_the_move_of_the_mailbox_the_old_release_makes_no_second_copy(monkeypatch):
    data = readded("2.4.38")
    assert _outcome(data)["mailbox_copies"] == 2
    monkeypatch.setattr(sync.World, "readdress", lambda self, old, new: None)
    assert _outcome(data)["mailbox_copies"] == 1


def test_a_re_add_while_the_old_address_is_still_assigned_is_no_new_address():
    """Two mailboxes of one CRM user in one instance are not a changed address (M14 needs the
    old address removed first)."""
    data = readded()
    data["timeline"] = data["timeline"][1:]  # the add-user alone
    assert "rename_result" not in _outcome(data)


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        (changed("change-sync-category", category="Acme CRM"), True),
        (changed("change-sync-category", category="Salesforce"), False),
        (changed("change-contact-folder-option", separate_contact_folder=True), True),
        (changed("change-contact-folder-option", separate_contact_folder=False), False),
    ],
    ids=["category", "same category", "contact folder", "same option"],
)
@pytest.mark.parametrize("path", ["item_level", "counting", "fast"])
def test_a_riva_cloud_setting_fixed_at_the_first_save_on_every_path(data, refused, path):
    """M15: the change to another value is refused on every path; to the same, nothing."""
    scenario = scenario_from_data(data, "scenario", vocabulary_of(PACKS.values()))
    paths = {"item_level": {"item_level": True}, "counting": {"counting": True}, "fast": {}}
    assert simulate(scenario, **paths[path]).mailboxes[USER]["change_refused"] is refused


def test_a_category_change_on_riva_on_premise_is_not_modelled():
    """KB 1508 is about Riva Cloud: on Riva On-Premise the model runs no change, says so, and
    shows no outcome for it."""
    data = changed("change-sync-category", kind="on-premise", category="Acme CRM")
    assert "change_refused" not in _outcome(data)
    packs = list(PACKS.values())
    scenario = scenario_from_data(data, "scenario", vocabulary_of(packs))
    [line] = not_modelled(scenario.deployment, packs)
    assert "actions change-sync-category (timeline entry 1)" in line
