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
    _ACCOUNT_REGISTRY,
    _REGISTRY,
    _TASK_FREE,
    _TRIGGERS,
    _USAGE_REGISTRY,
    AccountCheckFunction,
    CheckFunction,
    Trigger,
    UsageCheckFunction,
    account_check,
    check,
    usage_check,
)
from ecslint.core.model import Violation
from ecslint.core.taskdef import TaskDef
from ecslint.core.usage import Usage

__all__ = [
    "AccountCheckFunction",
    "CheckFunction",
    "TaskDef",
    "Trigger",
    "Usage",
    "UsageCheckFunction",
    "Violation",
    "account_check",
    "check",
    "get",
    "get_account",
    "get_usage",
    "registered",
    "registered_accounts",
    "registered_usages",
    "trigger",
    "usage_check",
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
    "ecslint.checks.runtasks",
    "ecslint.checks.account",
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


def get_usage(name: str) -> UsageCheckFunction | None:
    _load_builtins()
    return _USAGE_REGISTRY.get(name)


def registered_usages() -> dict[str, UsageCheckFunction]:
    _load_builtins()
    return dict(_USAGE_REGISTRY)


def usage_needs_task(name: str) -> bool:
    """Whether the usage check ``name`` needs the task definition (most do)."""
    _load_builtins()
    return name not in _TASK_FREE


def get_account(name: str) -> AccountCheckFunction | None:
    _load_builtins()
    return _ACCOUNT_REGISTRY.get(name)


def registered_accounts() -> dict[str, AccountCheckFunction]:
    _load_builtins()
    return dict(_ACCOUNT_REGISTRY)
