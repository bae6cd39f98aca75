"""The deployment model: instances, policies, bindings and the timeline of planned changes."""

from kb_lint.model.deployment import (
    Binding,
    Bindings,
    Deployment,
    Instance,
    Policy,
    build_deployment,
)
from kb_lint.model.timeline import Event

__all__ = [
    "Binding",
    "Bindings",
    "Deployment",
    "Event",
    "Instance",
    "Policy",
    "build_deployment",
]
