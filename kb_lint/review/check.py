"""One rule-pack check: its stable id, and what the docs site says about it."""

from __future__ import annotations

from dataclasses import dataclass

from kb_lint.findings import Finding, Location, RuleInfo


@dataclass(frozen=True)
class Check:
    """A check of ``kb-lint rules check``, documented for the docs site and SARIF.

    ``what`` says what it finds, ``why`` why that matters, ``example`` shows a pack that it
    flags (YAML), and ``fix`` how to make the finding go away.
    """

    id: str
    name: str
    severity: str
    what: str
    why: str
    example: str
    fix: str

    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.name, self.severity, self.what)

    def finding(
        self, location: Location, message: str, related: tuple[Location, ...] = ()
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=message,
            location=location,
            related=related,
            fix=self.fix,
        )
