"""Procedure rules: ordered steps that must precede a change in the timeline, judged by the
state the timeline produces.

The rule: when the timeline adds a user to an instance while another instance holds (or held)
the same combination, the procedure that applies (``applies``, over ``source`` and ``target``)
must have been followed: each earlier step that is part of the move (its ``applies``) performed
by a matching event, in the timeline's file order (within one date or cycle too: a runbook's
order), after the source binding began and before the change. Steps that cite the same item
of the article are its bullets, which the article does not order: they may come in any order
among themselves, but after the items before theirs; those of an item the procedure lists
``in_order`` are its parts (2a, 2b), each after the one before it. Every article step
left out, out of order or done only after the change is one finding (its bullets listed in it).

Its outcome is what the replayed estate (``kb_lint.model.estate``, the state every timeline
judge shares) shows, not what the step's position suggests: a step's residue is predicted only
when doing the step at the end would still change the estate (the source policy is still
enabled, its account still exists, or what it wrote of the step's kinds is still in the
mailbox). The message says when the two instances both synced the combination after the
change, and how the mailbox ends. The order violation stays a finding; its severity is the
rule's when the break had a consequence (an overlap, or a residue at the end), a warning when
the estate ends as if the steps had been done in order.

A procedure with ``change: event`` ends with any event of its last step's action (a user
removed, a policy disabled), which its ``applies`` and its last step's ``match`` read as
``change``, as a sequence step sees its event (just before it, on the ``PlanState`` the timeline
judges share): its earlier steps must be done in order before it, after the same change of the
same mailbox and policy (a step whose ``done`` holds just before the change is done where an
event before the change did it, ordered there, or, done by none, needs no event); a broken
step's residue is predicted whenever it is broken (the estate is not asked whether it
remains), and the finding is a warning when that residue says no more than the pack's
defaults. A step before the last may say ``change: true``: it is the change,
and the steps after it must be done in order after it (matched as the steps before it are),
before the next change of the same mailbox and policy or the timeline's end; one left out (or
done only before the steps it follows, or before the change) is a finding at the change.

Algorithm: one replay of the estate over the timeline in batches (the events of one date or
cycle), recording for each move the batches where both instances sync it; a step's event is
found through an index of the events by mailbox, by policy and by instance (a step's event
names the moved mailbox or the source's policy, or names neither but the source's instance
(and, if any, its CRM user), or, before a change that names only an
instance, that instance; a step with ``each`` tries every event of its action, whose elements
may name the mailbox, and is shown at the element that does it). Cost: O(n log n) for
n events, plus the assignments of the moved mailboxes at each batch that touches them, plus,
per move, the elements of the events of a step with ``each``; for ``change: event``, one
replay in file order and, per change, the assignments of its instance.
"""

from __future__ import annotations

from collections.abc import Iterator

from kb_lint.engine.draft import Draft
from kb_lint.engine.procedure.changes import check_changes
from kb_lint.engine.procedure.moves import check_moves
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import Rule, RulePack


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    """The findings of a procedure rule: its procedures are all before a move or all before an
    event (the loader refuses a mix)."""
    procedures = [pack.procedures[p] for p in rule.procedures]
    if any(p.change == "event" for p in procedures):
        return check_changes(rule, pack, procedures, dep)
    return check_moves(rule, pack, procedures, dep)
