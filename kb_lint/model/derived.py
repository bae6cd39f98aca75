"""Computed defaults (``default_from``) computed again as a timeline changes what they read.

The rule: a setting of a policy (its instance's or its own) that the deployment file leaves out
and a ``default_from`` computes follows the fields it reads. After an event changes some of
them (a pack action that ``sets`` them: an upgrade setting ``riva_version``), each such setting
whose expression reads a changed name is computed again, over its own record as the event leaves
it (an instance field over the instance's fields, a policy field over its instance's and its
own, as a check rule over policies sees them), in
declaration order, so a computed setting that reads another reads its new value. A setting the
file gives is never computed again; one an event gives is the record's own from that event on.
An expression that fails on the new values is an error at the event. A computed setting that
``refines`` another pack's field gives that field its case again, unless the field is the
record's own (written by the file or an event).

Cost: per policy an event changes, one expression per computed setting that reads a changed
name; nothing for an event that changes no name a ``default_from`` reads. So an event that
sets an instance field computes again the policy fields of each of its policies that read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kb_lint.findings import Location
from kb_lint.load import Document
from kb_lint.model.deployment import Policy
from kb_lint.model.fields import Vocabulary, defaults_from
from kb_lint.model.timeline import Event


class Derived:
    """The computed settings of each policy of a replayed estate, and how to compute them
    again after an event."""

    def __init__(self, document: Document, policies: list[Policy], vocabulary: Vocabulary):
        self.document = document
        instance = list(vocabulary.by_scope["instance"])
        # what each scope's default reads: an instance's fields; a policy's, its instance's too
        self.scopes = {"instance": instance, "policy": [*instance, *vocabulary.by_scope["policy"]]}
        self.fields = [
            f
            for scope in ("instance", "policy")
            for f in vocabulary.by_scope[scope].values()
            if f.default_from
        ]
        self.computed = [set(p.computed) for p in policies]  # still computed, per policy
        self.bases = [p.env() for p in policies]
        self.vocabulary = vocabulary

    def after(
        self, index: int, settings: dict[str, Any], changed: set[str], event: Event
    ) -> dict[str, Any]:
        """The settings of policy ``index`` computed again after ``event`` changed the names
        ``changed``; ``settings`` are its changes so far (this event's included)."""
        computed = self.computed[index]
        computed -= changed  # given by the event: no longer computed
        if not computed or not self.fields:
            return {}
        env = self.bases[index] | settings
        found: dict[str, Any] = {}
        for f in self.fields:
            assert f.default_from is not None
            if f.name not in computed or not f.default_from.names & changed:
                continue
            record = {name: env.get(name) for name in self.scopes[f.scope]}
            filled: dict[str, Any] = {}
            defaults_from([f], filled, record, self._place(event))
            env[f.name] = found[f.name] = filled[f.key or f.name]
            changed = changed | {f.name}
        following = computed | set(found)  # not the record's own: they follow what they read
        for scope in ("instance", "policy"):
            for coarse in self.vocabulary.refine(scope, env, self._place(event), following):
                found[coarse] = env[coarse]
        return found

    def _place(self, event: Event) -> Callable[[str | None], Location]:
        """The event's place: where an expression failing on its new values is an error."""

        def place(_: str | None) -> Location:
            line, column = self.document.locate(event.pointer)
            return Location(self.document.path_of(event.pointer), line, column)

        return place
