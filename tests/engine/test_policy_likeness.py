"""Expressions on a group's policies are kept per tuple of what the policies hold in the keys
the expression reads (``_Likeness``): alike policies share a number, written values compared as
written."""

from __future__ import annotations

from kb_lint.engine.exclusivity import _Likeness


def test_policies_alike_in_the_keys_read_share_a_number_and_no_other():
    envs = [
        {"instance": "a", "enabled": True, "category": "x"},
        {"instance": "a", "enabled": 1, "category": "x"},  # 1 is not true
        {"instance": "b", "enabled": True, "category": "x"},
        {"instance": "a", "enabled": True, "category": "y"},  # a key not read
        {"instance": "a"},  # a key not there reads as null
        {"instance": "a", "enabled": None},
    ]
    likeness = _Likeness({"instance", "enabled"}, envs.__getitem__)
    assert [likeness[p] for p in (0, 1, 2, 3, 4, 5, 0)] == [0, 1, 2, 0, 3, 3, 0]


def test_an_expression_reading_no_key_sees_every_policy_alike():
    likeness = _Likeness((), [{"instance": "a"}, {"instance": "b"}].__getitem__)
    assert likeness[0] == likeness[1] == 0
