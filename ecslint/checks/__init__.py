"""The registry of Python checks.

A check is a generator ``(TaskDef) -> Iterator[Violation]`` registered under a name with
``@check("name")``; a catalogue entry in ``rules/`` names it in its ``check:`` field.
Built-in checks and third-party ones (the ``ecslint.checks`` entry-point group) register
the same way.  Checks never print, never read configuration and never raise for a strange
document: they guard types with ``isinstance`` and return.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from ecslint.model import Violation
from ecslint.taskdef import TaskDef

CheckFunction = Callable[[TaskDef], Iterable[Violation]]

_REGISTRY: dict[str, CheckFunction] = {}
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
)
_loaded = False


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated generator as the check ``name``."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in _REGISTRY and _REGISTRY[name] is not function:
            raise ValueError(f"check {name!r} is registered twice")
        _REGISTRY[name] = function
        return function

    return register


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def get(name: str) -> CheckFunction | None:
    _load_builtins()
    return _REGISTRY.get(name)


def registered() -> dict[str, CheckFunction]:
    _load_builtins()
    return dict(_REGISTRY)
