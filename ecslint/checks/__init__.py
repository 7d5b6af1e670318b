"""Python checks: the registry (``registry``) and the built-in checks, one module per area.

This package's names are the API for third-party checks (the ``ecslint.checks`` entry-point
group): ``@check`` registers a generator ``(TaskDef) -> Iterator[Violation]``.  The built-in
check modules are imported by name on the first lookup (as plugins are), so a command that
needs no check pays nothing for them.  A wheel also carries a manifest written at build time
(``manifest()``, see hatch_build.py): which module registers each check, of which kind, with
which trigger; a lookup then imports only the module it needs (a lone task definition imports
no service, run-task or account check).  Without the manifest (a source checkout, an editable
install) or for a name it does not know (a plugin's), the first lookup imports every built-in
module, as before.

May import ``ecslint.core`` only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ecslint.checks.registry import (
    _ACCOUNT_REGISTRY,
    _MERGES,
    _REGISTRY,
    _TASK_FREE,
    _TRIGGERS,
    _USAGE_REGISTRY,
    AccountCheckFunction,
    CheckFunction,
    Merge,
    Trigger,
    UsageCheckFunction,
    account_check,
    check,
    usage_check,
)
from ecslint.core.model import Violation
from ecslint.core.taskdef import TaskDef

if TYPE_CHECKING:
    from ecslint.core.usage import Usage

__all__ = [
    "AccountCheckFunction",
    "CheckFunction",
    "Merge",
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
    "kind",
    "merge",
    "registered",
    "registered_accounts",
    "registered_usages",
    "trigger",
    "usage_check",
]


def __getattr__(name: str) -> object:
    if name == "Usage":  # imported when a check asks for it: a lone task definition needs none
        from ecslint.core.usage import Usage

        return Usage
    raise AttributeError(f"module 'ecslint.checks' has no attribute {name!r}")


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
MANIFEST = "checks.json"  # in the wheel's ecslint/_data (hatch_build.py)
_KINDS: dict[str, dict[str, Any]] = {"task": _REGISTRY, "usage": _USAGE_REGISTRY, "account": _ACCOUNT_REGISTRY}
# name -> (module, kind, needs_task, trigger): read from the wheel's manifest on the first lookup
_manifest: dict[str, tuple[str, str, bool, Trigger | None]] | None = None
_manifest_read = False


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def manifest() -> dict[str, dict[str, Any]]:
    """Every built-in check: the module that registers it, its kind (task, usage, account),
    whether a usage check needs the task definition, and a task check's trigger (sorted member
    names).  hatch_build.py writes it into the wheel as JSON."""
    _load_builtins()
    entries: dict[str, dict[str, Any]] = {}
    for kind, registry in _KINDS.items():
        for name, function in registry.items():
            module = getattr(function, "__module__", None)
            if module not in _BUILTIN_MODULES:
                continue  # a plugin's, or defined where no lookup would look for it: left to the full load
            trigger = _TRIGGERS.get(name) if kind == "task" else None
            entries[name] = {
                "module": module,
                "kind": kind,
                "needs_task": name not in _TASK_FREE,
                "task": sorted(trigger.task) if trigger is not None else [],
                "container": sorted(trigger.container) if trigger is not None else [],
            }
    return dict(sorted(entries.items()))


def read_manifest(path: Any) -> dict[str, tuple[str, str, bool, Trigger | None]] | None:
    """The manifest ``manifest()`` wrote to ``path`` (a ``pathlib.Path``), or None when it cannot be read."""
    import json

    try:
        raw = json.loads(path.read_text("utf-8"))
        entries: dict[str, tuple[str, str, bool, Trigger | None]] = {}
        for name, entry in raw.items():
            module, kind, needs_task = entry["module"], entry["kind"], entry["needs_task"]
            if module not in _BUILTIN_MODULES or kind not in _KINDS or not isinstance(needs_task, bool):
                return None
            task, container = entry["task"], entry["container"]
            entries[str(name)] = (module, kind, needs_task, Trigger(task, container) if task or container else None)
        return entries
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _listed(name: str) -> tuple[str, str, bool, Trigger | None] | None:
    """The manifest's entry for ``name``, if there is a manifest and it knows ``name``."""
    global _manifest, _manifest_read
    if not _manifest_read:
        from ecslint.core.data import compiled_file

        _manifest_read = True
        path = compiled_file(MANIFEST)
        _manifest = read_manifest(path) if path is not None else None
    return _manifest.get(name) if _manifest is not None else None


def _entry(name: str) -> tuple[str, str, bool, Trigger | None] | None:
    """The manifest's entry for ``name``, its module imported; None (having imported every
    built-in module) when there is no manifest, or it does not know ``name``."""
    if not _loaded:
        entry = _listed(name)
        if entry is not None:
            if name not in _KINDS[entry[1]]:
                importlib.import_module(entry[0])
            if name in _KINDS[entry[1]]:
                return entry
    _load_builtins()  # the manifest is missing or wrong about this name: every module, as without it
    return None


def _find(name: str, kind: str) -> Any:
    registry = _KINDS[kind]
    found = registry.get(name)
    if found is not None or _loaded:
        return found
    entry = _entry(name)
    if entry is not None and entry[1] != kind:
        return None
    return registry.get(name)


def kind(name: str) -> str | None:
    """Whether ``name`` is a "task", "usage" or "account" check (None: not registered), without
    importing its module when the manifest says."""
    if not _loaded and (entry := _listed(name)) is not None:
        return entry[1]
    _load_builtins()
    return next((kind for kind, registry in _KINDS.items() if name in registry), None)


def trigger(name: str) -> Trigger | None:
    """The members check ``name`` needs, or None when it always runs."""
    if not _loaded and (entry := _entry(name)) is not None:
        return entry[3]
    return _TRIGGERS.get(name)


def get(name: str) -> CheckFunction | None:
    found: CheckFunction | None = _find(name, "task")
    return found


def merge(name: str) -> Merge | None:
    """How check ``name`` merges its violations of one file that share a ``per_file`` key (None: it
    does not).  Asked once the check has run, so its module is already imported."""
    return _MERGES.get(name)


def registered() -> dict[str, CheckFunction]:
    _load_builtins()
    return dict(_REGISTRY)


def get_usage(name: str) -> UsageCheckFunction | None:
    found: UsageCheckFunction | None = _find(name, "usage")
    return found


def registered_usages() -> dict[str, UsageCheckFunction]:
    _load_builtins()
    return dict(_USAGE_REGISTRY)


def usage_needs_task(name: str) -> bool:
    """Whether the usage check ``name`` needs the task definition (most do)."""
    if not _loaded and (entry := _entry(name)) is not None:
        return entry[2]
    return name not in _TASK_FREE


def get_account(name: str) -> AccountCheckFunction | None:
    found: AccountCheckFunction | None = _find(name, "account")
    return found


def registered_accounts() -> dict[str, AccountCheckFunction]:
    _load_builtins()
    return dict(_ACCOUNT_REGISTRY)
