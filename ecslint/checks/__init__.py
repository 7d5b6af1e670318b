"""Python checks: the registry (``registry``) and the built-in checks, one module per area.

This package's names are the API for third-party checks (the ``ecslint.checks`` entry-point
group): ``@check`` registers a generator ``(TaskDef) -> Iterator[Violation]``.  The built-in
check modules are imported by name on the first lookup (as plugins are), so a command that
needs no check pays nothing for them.

May import ``ecslint.core`` only.
"""

from __future__ import annotations

import importlib

from ecslint.checks.registry import (
    _REGISTRY,
    _SERVICE_REGISTRY,
    _TRIGGERS,
    CheckFunction,
    ServiceCheckFunction,
    Trigger,
    check,
    service_check,
)
from ecslint.core.model import Violation
from ecslint.core.service import Service
from ecslint.core.taskdef import TaskDef

__all__ = [
    "CheckFunction",
    "Service",
    "ServiceCheckFunction",
    "TaskDef",
    "Trigger",
    "Violation",
    "check",
    "get",
    "get_service",
    "registered",
    "registered_services",
    "service_check",
    "trigger",
]

_BUILTIN_MODULES = (
    "ecslint.checks.fargate",
    "ecslint.checks.compute",
    "ecslint.checks.network",
    "ecslint.checks.containers",
    "ecslint.checks.references",
    "ecslint.checks.secrets",
    "ecslint.checks.logging",
    "ecslint.checks.health",
    "ecslint.checks.security",
    "ecslint.checks.identifiers",
    "ecslint.checks.services",
)
_loaded = False


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def trigger(name: str) -> Trigger | None:
    """The members check ``name`` needs, or None when it always runs."""
    _load_builtins()
    return _TRIGGERS.get(name)


def get(name: str) -> CheckFunction | None:
    _load_builtins()
    return _REGISTRY.get(name)


def registered() -> dict[str, CheckFunction]:
    _load_builtins()
    return dict(_REGISTRY)


def get_service(name: str) -> ServiceCheckFunction | None:
    _load_builtins()
    return _SERVICE_REGISTRY.get(name)


def registered_services() -> dict[str, ServiceCheckFunction]:
    _load_builtins()
    return dict(_SERVICE_REGISTRY)
