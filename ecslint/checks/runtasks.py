"""Checks on a run-task request's overrides (``aws ecs run-task``/``start-task`` input; docs/facts.md 12).

Each check gets a ``Usage`` whose data is the ``RunTask`` input and whose ``task`` is the task
definition it runs (every member unknown when no file of the run defines it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ecslint.checks.containers import named_items, program_params, program_problem, variable_name_problem
from ecslint.checks.fargate import FARGATE_SIZES, format_values
from ecslint.checks.registry import usage_check
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import is_unknown, parse_cpu_units, parse_memory_mib
from ecslint.core.usage import Usage

# "A total of 8192 characters are allowed for overrides. This limit includes the JSON formatting
# characters of the override structure." (API_RunTask); the service answers "Container Overrides
# length must be at most 8192" (facts 12).
MAX_CONTAINER_OVERRIDES = 8192


def _container_overrides(usage: Usage) -> Iterator[tuple[str, dict[str, JSON]]]:
    overrides = usage.data.get("overrides")
    if isinstance(overrides, dict) and isinstance(overrides.get("containerOverrides"), list):
        for index, item in enumerate(overrides["containerOverrides"]):  # type: ignore[arg-type]
            if isinstance(item, dict):
                yield f"/overrides/containerOverrides/{index}", item


def _has_unknown(value: JSON) -> bool:
    if isinstance(value, dict):
        return is_unknown(value) or any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return is_unknown(value)


# -- ECS711 override-container-missing ----------------------------------------------------------
# "InvalidParameterException: Override for container named NAME is not a container in the
# TaskDefinition." (facts 12)


@usage_check("override_container_missing")
def override_container_missing(usage: Usage) -> Iterator[Violation]:
    names = usage.container_names()
    if names is None:
        return
    for pointer, item in _container_overrides(usage):
        name = item.get("name")
        if isinstance(name, str) and not is_unknown(name) and name not in names:
            yield Violation(f"{pointer}/name", {"container": name, "task": usage.task_label, "names": _names(names)})


def _names(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names) if names else "none"


# -- ECS712 overrides-too-large -------------------------------------------------------------------


@usage_check("overrides_too_large", needs_task=False)
def overrides_too_large(usage: Usage) -> Iterator[Violation]:
    overrides = usage.data.get("overrides")
    if not isinstance(overrides, dict):
        return
    container_overrides = overrides.get("containerOverrides")
    if not isinstance(container_overrides, list) or _has_unknown(container_overrides):
        return  # a value rendered at deploy time has a length nobody knows yet
    # The smallest spelling the SDK can send: a longer file does not mean a longer request.
    size = len(json.dumps(container_overrides, separators=(",", ":"), ensure_ascii=False))
    if size > MAX_CONTAINER_OVERRIDES:
        yield Violation("/overrides/containerOverrides", {"size": size, "limit": MAX_CONTAINER_OVERRIDES})


# -- ECS713 unsupported-fargate-override-size ----------------------------------------------------
# The task size after overrides must still be a Fargate size (docs/facts.md 1.1), as at register.


@usage_check("unsupported_fargate_override_size")
def unsupported_fargate_override_size(usage: Usage) -> Iterator[Violation]:
    overrides = usage.data.get("overrides")
    if not isinstance(overrides, dict) or not ("cpu" in overrides or "memory" in overrides):
        return
    launch_type = usage.known("launchType")
    if launch_type != "FARGATE" and not (launch_type is None and usage.task.requires_fargate):
        return
    if usage.task.is_windows:
        return  # Windows sizes are a subset: judged at register by ECS101/ECS102
    cpu_value = overrides.get("cpu", usage.task.get("cpu"))
    memory_value = overrides.get("memory", usage.task.get("memory"))
    if is_unknown(cpu_value) or is_unknown(memory_value):
        return
    cpu, memory = parse_cpu_units(cpu_value), parse_memory_mib(memory_value)
    if cpu is None or memory is None:
        return
    pointer = "/overrides/memory" if "memory" in overrides else "/overrides/cpu"
    if cpu not in FARGATE_SIZES:
        params = {"cpu": cpu, "memory": memory, "allowed": format_values(tuple(FARGATE_SIZES))}
        yield Violation("/overrides/cpu" if "cpu" in overrides else pointer, params, "cpu")
    elif memory not in FARGATE_SIZES[cpu]:
        params = {"cpu": cpu, "memory": memory, "allowed": format_values(FARGATE_SIZES[cpu])}
        yield Violation(pointer, params)


# -- ECS714 override-program-name-with-spaces ----------------------------------------------------
# ECS223's mistake in a command override: the override replaces the container's command and keeps
# its entryPoint (API_ContainerOverride), so the two are judged together.


@usage_check("override_program_name_with_spaces")
def override_program_name_with_spaces(usage: Usage) -> Iterator[Violation]:
    if usage.task.is_windows:
        return
    containers = {c.data.get("name"): c for c in usage.task.containers() if isinstance(c.data.get("name"), str)}
    for pointer, item in _container_overrides(usage):
        name, command = item.get("name"), item.get("command")
        container = containers.get(name) if isinstance(name, str) else None
        if container is None or not isinstance(command, list):
            continue  # an unknown container is ECS711's; its entryPoint decides what the command means
        entry_point = container.data.get("entryPoint")
        problem = program_problem(entry_point, command)
        if problem is not None and problem[0] == "command":
            _, index, variant = problem
            params = program_params(str(name), "command", entry_point, command, variant)
            yield Violation(f"{pointer}/command/{index}", params, variant=variant)


# -- ECS715 override-invalid-environment-variable-name -------------------------------------------
# ECS212's check on the variables an override adds.


@usage_check("override_invalid_environment_variable_name", needs_task=False)
def override_invalid_environment_variable_name(usage: Usage) -> Iterator[Violation]:
    for pointer, item in _container_overrides(usage):
        for index, name in named_items(item.get("environment"), "name"):
            problem = variable_name_problem(name)
            if problem is not None:
                variant, span = problem
                params = {"name": name, "container": item.get("name", "?")}
                yield Violation(f"{pointer}/environment/{index}/name", params, variant=variant, substring=span)
