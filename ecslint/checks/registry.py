"""The registry of Python checks: a name -> check function, and the members each needs.

A check is a generator ``(TaskDef) -> Iterator[Violation]`` registered under a name with
``@check("name")``; a catalogue entry in ``rules/`` names it in its ``check:`` field.

``@check("name", task=(...), container=(...))`` declares the members without which the check
cannot find anything: the engine runs it only when the task definition has one of the
``task`` members or one of its containers has one of the ``container`` members.  A check
that finds what is *missing* declares nothing and always runs.  tests/test_triggers.py
runs every check with and without this on the corpus, its mutations, the catalogue's
examples and generated definitions, and requires the same findings.
Built-in checks and third-party ones (the ``ecslint.checks`` entry-point group) register
the same way.  Checks never print, never read configuration and never raise for a strange
document: they guard types with ``isinstance`` and return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ecslint.core.model import Violation
from ecslint.core.taskdef import TaskDef

if TYPE_CHECKING:  # a run without services or --aws imports neither
    from ecslint.core.account import Account
    from ecslint.core.usage import Usage

CheckFunction = Callable[[TaskDef], Iterable[Violation]]
# A usage check: ``(Usage) -> Iterator[Violation]``, its pointers into the service or run-task request.
UsageCheckFunction = Callable[["Usage"], Iterable[Violation]]

# How the violations a check gives with the same ``per_file`` key, from the task definitions of one
# file, read as one finding: (those violations in file order, how many places they have in all)
# -> the variant and the message values of the one finding (the engine adds the places' counts).
Merge = Callable[[Sequence[Violation], int], tuple[str, Mapping[str, object]]]

_REGISTRY: dict[str, CheckFunction] = {}
_TRIGGERS: dict[str, Trigger] = {}
_MERGES: dict[str, Merge] = {}
_USAGE_REGISTRY: dict[str, UsageCheckFunction] = {}
_TASK_FREE: set[str] = set()  # usage checks that look only at the usage, not at its task definition
# An account check: ``(TaskDef, Account) -> Iterator[Violation]``; it runs only with ``--aws``.
AccountCheckFunction = Callable[[TaskDef, "Account"], Iterable[Violation]]
_ACCOUNT_REGISTRY: dict[str, AccountCheckFunction] = {}


class Trigger:
    """The members a check needs to find anything: any one of them present is enough."""

    __slots__ = ("container", "task")

    def __init__(self, task: Iterable[str], container: Iterable[str]) -> None:
        self.task = frozenset(task)
        self.container = frozenset(container)

    def met(self, task_members: Iterable[str], container_members: Iterable[str]) -> bool:
        """Whether one of the members is there (the engine finds a definition's members once)."""
        return not self.task.isdisjoint(task_members) or not self.container.isdisjoint(container_members)


def check(
    name: str, *, task: Iterable[str] = (), container: Iterable[str] = (), merge: Merge | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated generator as the check ``name``; ``task``/``container``: its trigger;
    ``merge``: how its violations with the same ``per_file`` key in one file become one finding."""
    trigger = Trigger(task, container) if task or container else None

    def register(function: CheckFunction) -> CheckFunction:
        if name in _REGISTRY and _REGISTRY[name] is not function:
            raise ValueError(f"check {name!r} is registered twice")
        _REGISTRY[name] = function
        if trigger is not None:
            _TRIGGERS[name] = trigger
        if merge is not None:
            _MERGES[name] = merge
        return function

    return register


def usage_check(name: str, *, needs_task: bool = True) -> Callable[[UsageCheckFunction], UsageCheckFunction]:
    """Register the decorated generator as the usage check ``name``: it runs on each service or
    run-task request, and its violations point into it.  ``needs_task``: it runs only once the
    task definition is known (from the same file, or another file of the run)."""

    def register(function: UsageCheckFunction) -> UsageCheckFunction:
        if (name in _USAGE_REGISTRY and _USAGE_REGISTRY[name] is not function) or name in _REGISTRY:
            raise ValueError(f"check {name!r} is registered twice")
        _USAGE_REGISTRY[name] = function
        if not needs_task:
            _TASK_FREE.add(name)
        return function

    return register


def account_check(name: str) -> Callable[[AccountCheckFunction], AccountCheckFunction]:
    """Register the decorated generator as the account check ``name``: it asks the live account
    (``ecslint check --aws``) about what the task definition names."""

    def register(function: AccountCheckFunction) -> AccountCheckFunction:
        if (name in _ACCOUNT_REGISTRY and _ACCOUNT_REGISTRY[name] is not function) or name in _REGISTRY:
            raise ValueError(f"check {name!r} is registered twice")
        _ACCOUNT_REGISTRY[name] = function
        return function

    return register
