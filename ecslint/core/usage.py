"""A read-only view of what uses a task definition, with the task definition it uses, for usage checks.

A usage is a service (the API's ``CreateService`` input, camelCase: ``loadBalancers``,
``launchType``, ``networkConfiguration`` ...) or a request that runs tasks (``RunTask`` input:
``overrides``), whatever form the file spells it in.  Usage checks receive a ``Usage`` and yield
violations whose pointers point into it; what they need of the task definition they ask of
``task`` (a ``TaskDef``).  Values known only at deploy time are unknown here too
(``is_unknown``): checks stay silent about them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.core.model import JSON
from ecslint.core.taskdef import TaskDef, is_unknown


class Usage:
    """One service or run-task request: its data, how messages name it and its task definition."""

    __slots__ = ("data", "kind", "label", "task", "task_label")

    def __init__(
        self, data: dict[str, JSON], task: TaskDef, label: str, task_label: str, kind: str = "service"
    ) -> None:
        self.data = data
        self.task = task
        self.label = label
        self.task_label = task_label
        self.kind = kind  # "service" or "run-task"

    @property
    def what(self) -> str:
        """How messages call it: "the service" or "the run-task request"."""
        return "the service" if self.kind == "service" else "the run-task request"

    def known(self, key: str) -> JSON | None:
        """The member ``key``, or None when it is absent or known only at deploy time."""
        value = self.data.get(key)
        return None if value is None or is_unknown(value) else value

    def items(self, key: str) -> Iterator[tuple[str, dict[str, JSON]]]:
        """(pointer, object) of each object in the list member ``key`` (``loadBalancers`` ...)."""
        value = self.data.get(key)
        if not isinstance(value, list):
            return
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield f"/{key}/{index}", item

    def has_load_balancers(self) -> bool | None:
        """Whether the service names a load balancer; None when that is known only at deploy time."""
        value = self.data.get("loadBalancers")
        if value is None:
            return False
        if not isinstance(value, list) or is_unknown(value):
            return None
        if any(is_unknown(item) for item in value):
            return None
        return bool(value)

    def container_names(self) -> list[str] | None:
        """The containers' names, or None when one of them is unknown (so no name can be called missing)."""
        names: list[str] = []
        for container in self.task.containers():
            raw = container.data.get("name")
            if not isinstance(raw, str) or is_unknown(raw):
                return None
            names.append(raw)
        containers = self.task.data.get("containerDefinitions")
        if not isinstance(containers, list) or len(names) != len(containers):
            return None  # an intrinsic or a non-object in place of a container
        return names
