"""Checks on task and container sizes: cpu, memory and ephemeral storage (docs/facts.md 1.3, 2.1, 2.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecslint.checks.fargate import FARGATE_SIZES, FARGATE_WINDOWS_CPUS
from ecslint.checks.network import task_level_known
from ecslint.checks.registry import check
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_unknown, parse_cpu_units, parse_memory_mib

# docs/facts.md 2.1 (botocore RegisterTaskDefinitionRequest.cpu): EC2 and External task cpu range.
EC2_TASK_CPU_RANGE = (128, 196608)
# docs/facts.md 2.2 (botocore ContainerDefinition.memory): Docker 20.10.0+ reserves 6 MiB.
MIN_CONTAINER_MEMORY_MIB = 6
# The over-provisioning rule fires only when the containers need less than this share of the task.
OVERSIZE_FACTOR = 4


def container_int(container: Container, key: str) -> int | None:
    """A container's integer member (``cpu``, ``memory``...); None when absent, unknown or not an integer."""
    value = container.data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _present(value: JSON) -> bool:
    return value is not None


def _non_fargate(td: TaskDef) -> bool:
    """True when the launch types are known and none of them is Fargate (EC2, EXTERNAL, MANAGED_INSTANCES)."""
    if td.get("requiresCompatibilities") is None and not task_level_known(td):
        return False
    compat = td.compatibilities
    return compat is not None and "FARGATE" not in compat


def _task_size(td: TaskDef, key: str) -> int | None:
    """Task-level ``cpu`` (units) or ``memory`` (MiB) when known; None when absent, unknown or unparseable."""
    value = td.get(key)
    if value is None or is_unknown(value) or isinstance(value, bool):
        return None
    if not isinstance(value, str | int):
        return None
    return parse_cpu_units(value) if key == "cpu" else parse_memory_mib(value)


def _container_members(td: TaskDef, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The pointers of ``keys`` in every container: the values a task-level sum is made of."""
    return tuple(join(c.pointer, key) for c in td.containers() for key in keys if key in c.data)


def _all_containers_known(td: TaskDef, keys: tuple[str, ...]) -> bool:
    """No container holds an unknown value (``${VAR}``, an intrinsic) in any of ``keys``."""
    return not any(is_unknown(c.data.get(k)) for c in td.containers() for k in keys)


# -- ECS104 task-cpu-out-of-range -------------------------------------------------------------


@check("task_cpu_out_of_range", task=("cpu",))
def task_cpu_out_of_range(td: TaskDef) -> Iterator[Violation]:
    """EC2, External and Managed Instances tasks take 128 .. 196608 CPU units at task level."""
    if not _non_fargate(td):
        return
    cpu = _task_size(td, "cpu")
    low, high = EC2_TASK_CPU_RANGE
    if cpu is None or low <= cpu <= high:
        return
    variant = "low" if cpu < low else "high"
    yield Violation("/cpu", {"cpu": cpu, "minimum": low, "maximum": high}, variant=variant)


# -- ECS114 invalid-task-cpu-form ---------------------------------------------------------------

# docs/facts.md 1.2: task cpu is CPU units ("1024") or vCPUs ("1 vCPU"); what AWS makes of other
# numbers ("1024.0", "0.3 vCPU", "1 VCPU") is undocumented, so only text of neither shape is reported.
_NUMBER_SHAPE = re.compile(r"^\s*[0-9]*\.?[0-9]+\s*(?:vcpu)?\s*$", re.IGNORECASE | re.ASCII)


@check("invalid_task_cpu_form", task=("cpu",))
def invalid_task_cpu_form(td: TaskDef) -> Iterator[Violation]:
    """EC2, External and Managed Instances task ``cpu`` must be CPU units or vCPUs; "2 cores" is refused."""
    if not _non_fargate(td):
        return  # Fargate: ECS102 reports a cpu form it does not take
    value = td.get("cpu")
    if not isinstance(value, str) or not value.strip() or is_unknown(value):
        return  # absent, a number (ECS021 where the API wants a string), empty, or known only at deploy time
    if parse_cpu_units(value) is not None or _NUMBER_SHAPE.match(value):
        return
    yield Violation("/cpu", {"value": value})


# -- ECS115 too-many-placement-constraints ------------------------------------------------------

# docs/facts.md 2.3 (botocore RegisterTaskDefinitionRequest.placementConstraints): at most 10 per
# task, counted together with the constraints given at run time.
MAX_PLACEMENT_CONSTRAINTS = 10


@check("too_many_placement_constraints", task=("placementConstraints",))
def too_many_placement_constraints(td: TaskDef) -> Iterator[Violation]:
    """A task takes at most 10 placement constraints, the task definition's and the run's together."""
    value = td.get("placementConstraints")
    if not isinstance(value, list) or len(value) <= MAX_PLACEMENT_CONSTRAINTS:
        return
    params = {"count": len(value), "maximum": MAX_PLACEMENT_CONSTRAINTS}
    yield Violation(join("/placementConstraints", MAX_PLACEMENT_CONSTRAINTS), params)


# -- ECS105 memory-below-reservation -----------------------------------------------------------


@check("memory_below_reservation", container=("memory", "memoryReservation"))
def memory_below_reservation(td: TaskDef) -> Iterator[Violation]:
    """A container's hard limit ``memory`` may not be below its soft limit ``memoryReservation``."""
    for container in td.containers():
        memory = container_int(container, "memory")
        reservation = container_int(container, "memoryReservation")
        if memory is None or reservation is None or memory >= reservation:
            continue
        params = {"container": container.label, "memory": memory, "memoryReservation": reservation}
        yield Violation(
            join(container.pointer, "memory"), params, depends=(join(container.pointer, "memoryReservation"),)
        )


# -- ECS106 container-memory-exceeds-task ------------------------------------------------------


def reserved_memory(container: Container) -> int | None:
    """What the container reserves from the task: ``memoryReservation``, else ``memory``."""
    reservation = container_int(container, "memoryReservation")
    return reservation if reservation is not None else container_int(container, "memory")


@check("container_memory_exceeds_task", task=("memory",))
def container_memory_exceeds_task(td: TaskDef) -> Iterator[Violation]:
    """Each container ``memory`` and the sum of reservations must fit in the task ``memory``."""
    task_memory = _task_size(td, "memory")
    if task_memory is None or task_memory < 1:
        return  # only an integer can be below 1, and an integer task memory is ECS021's (wrong-type)
    if td.requires_fargate and not _fargate_size_offered(td):
        return  # ECS102 reports the task size itself: one mistake, one finding
    over = False
    for container in td.containers():
        memory = container_int(container, "memory")
        if memory is not None and memory > task_memory:
            over = True
            params = {"container": container.label, "memory": memory, "taskMemory": task_memory}
            yield Violation(join(container.pointer, "memory"), params, variant="container", depends=("/memory",))
    if over or not _all_containers_known(td, ("memory", "memoryReservation")):
        return
    reserved = [r for r in (reserved_memory(c) for c in td.containers()) if r is not None]
    if sum(reserved) > task_memory:
        params = {"reserved": sum(reserved), "taskMemory": task_memory}
        yield Violation(
            "/memory", params, variant="sum", depends=_container_members(td, ("memory", "memoryReservation"))
        )


def _fargate_size_offered(td: TaskDef) -> bool:
    """The task's cpu and memory are a pair Fargate offers (or one of them is not a known number)."""
    cpu, memory = _task_size(td, "cpu"), _task_size(td, "memory")
    if cpu is None or memory is None:
        return True
    return memory in FARGATE_SIZES.get(cpu, ())


# -- ECS107 container-cpu-exceeds-task ---------------------------------------------------------


@check("container_cpu_exceeds_task", task=("cpu",))
def container_cpu_exceeds_task(td: TaskDef) -> Iterator[Violation]:
    """The container ``cpu`` values together must fit in the task ``cpu``."""
    task_cpu = _task_size(td, "cpu")
    if task_cpu is None or task_cpu < 1 or not _all_containers_known(td, ("cpu",)):
        return  # a task cpu below 1 is ECS104's (task-cpu-out-of-range)
    if td.requires_fargate and task_cpu not in FARGATE_SIZES:
        return  # ECS102 reports a cpu Fargate does not offer: one mistake, one finding
    values = [(c, v) for c, v in ((c, container_int(c, "cpu")) for c in td.containers()) if v is not None]
    total = sum(v for _, v in values)
    if total <= task_cpu:
        return
    if len(values) == 1:
        container, value = values[0]
        params = {"container": container.label, "cpu": value, "taskCpu": task_cpu}
        yield Violation(join(container.pointer, "cpu"), params, variant="container", depends=("/cpu",))
    else:
        yield Violation("/cpu", {"total": total, "taskCpu": task_cpu}, depends=_container_members(td, ("cpu",)))


# -- ECS108 missing-container-memory -----------------------------------------------------------


@check("missing_container_memory", task=("containerDefinitions",))
def missing_container_memory(td: TaskDef) -> Iterator[Violation]:
    """Without task-level ``memory`` every container needs ``memory`` or ``memoryReservation``."""
    if td.requires_fargate or _present(td.get("memory")) or not task_level_known(td):
        return  # Fargate: ECS101 reports the missing task memory
    for container in td.containers():
        if _present(container.data.get("memory")) or _present(container.data.get("memoryReservation")):
            continue
        yield Violation(container.pointer, {"container": container.label})


# -- ECS109 container-memory-too-small ---------------------------------------------------------


@check("container_memory_too_small", container=("memory", "memoryReservation"))
def container_memory_too_small(td: TaskDef) -> Iterator[Violation]:
    """``memory`` and ``memoryReservation`` below 6 MiB leave a container no room to start."""
    for container in td.containers():
        for key in ("memory", "memoryReservation"):
            value = container_int(container, key)
            if value is not None and value < MIN_CONTAINER_MEMORY_MIB:
                params = {"container": container.label, "key": key, "value": value}
                yield Violation(join(container.pointer, key), params)


# -- ECS110 no-memory-hard-limit ---------------------------------------------------------------


@check("no_memory_hard_limit", container=("memoryReservation",))
def no_memory_hard_limit(td: TaskDef) -> Iterator[Violation]:
    """On EC2 a container with only a soft limit and no task memory cap can take the instance's memory."""
    if not _non_fargate(td):
        return
    task_memory = td.get("memory")
    if task_memory is not None and not td.is_windows:
        return  # the task-level memory caps the whole task on Linux
    for container in td.containers():
        if _present(container.data.get("memory")) or not _present(container.data.get("memoryReservation")):
            continue
        yield Violation(container.pointer, {"container": container.label})


# -- ECS111 oversized-fargate-task -------------------------------------------------------------


def _smallest_fitting_memory(cpu: int, needed: int) -> int | None:
    for memory in FARGATE_SIZES.get(cpu, ()):
        if memory >= needed:
            return memory
    return None


def _containers_memory_need(td: TaskDef) -> int | None:
    """What the containers need from the task: the larger of the summed reservations and any hard limit.

    None unless every container states ``memory`` or ``memoryReservation`` as a known integer.
    """
    containers = list(td.containers())
    if not containers:
        return None
    reserved: list[int] = []
    limits: list[int] = []
    for container in containers:
        amount = reserved_memory(container)
        if amount is None:
            return None
        reserved.append(amount)
        memory = container_int(container, "memory")
        if memory is not None:
            limits.append(memory)
        elif _present(container.data.get("memory")):
            return None
    return max(sum(reserved), *limits) if limits else sum(reserved)


@check(
    "oversized_fargate_task",
    task=("cpu", "memory", "requiresCompatibilities"),
    container=("memory", "memoryReservation"),
)
def oversized_fargate_task(td: TaskDef) -> Iterator[Violation]:
    """A Fargate task paying for more than four times the memory its containers ask for."""
    if not td.requires_fargate:
        return
    cpu, memory = _task_size(td, "cpu"), _task_size(td, "memory")
    if cpu is None or memory is None or memory not in FARGATE_SIZES.get(cpu, ()):
        return
    if td.is_windows and cpu not in FARGATE_WINDOWS_CPUS:
        return
    needed = _containers_memory_need(td)
    if needed is None or needed <= 0 or needed * OVERSIZE_FACTOR >= memory:
        return
    smaller = _smallest_fitting_memory(cpu, needed)
    if smaller is None or smaller >= memory:
        return
    params = {"memory": memory, "needed": needed, "cpu": cpu, "suggested": smaller}
    yield Violation("/memory", params, depends=("/cpu", *_container_members(td, ("memory", "memoryReservation"))))


# -- ECS112 ephemeral-storage-ignored ----------------------------------------------------------


@check("ephemeral_storage_ignored", task=("ephemeralStorage",))
def ephemeral_storage_ignored(td: TaskDef) -> Iterator[Violation]:
    """``ephemeralStorage`` sizes Fargate task storage only; EC2 tasks use the instance's disk."""
    storage = td.get("ephemeralStorage")
    if not _non_fargate(td) or not isinstance(storage, dict) or is_unknown(storage):
        return
    launch = ", ".join(sorted(td.compatibilities or ()))
    yield Violation("/ephemeralStorage", {"launchTypes": launch})


# -- ECS113 windows-task-level-size-only -------------------------------------------------------


@check("windows_task_level_size_only", task=("runtimePlatform",))
def windows_task_level_size_only(td: TaskDef) -> Iterator[Violation]:
    """Windows containers on EC2 ignore task-level cpu and memory; the containers should size themselves."""
    if not td.is_windows or not _non_fargate(td):
        return
    checks = (("cpu", ("cpu",)), ("memory", ("memory", "memoryReservation")))
    for task_key, container_keys in checks:
        if not _present(td.get(task_key)):
            continue
        unsized = [c.label for c in td.containers() if not any(_present(c.data.get(k)) for k in container_keys)]
        if unsized:
            params = {"key": task_key, "containers": ", ".join(unsized)}
            yield Violation(join("", task_key), params, variant=task_key)
