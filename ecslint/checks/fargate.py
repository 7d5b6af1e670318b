"""Checks for tasks that require Fargate: task size and network mode (AWS_FACTS.md 1 and 3.1)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TypeGuard

from ecslint.checks import check
from ecslint.model import JSON, Violation
from ecslint.taskdef import TaskDef, is_unknown, parse_cpu_units, parse_memory_mib

# AWS_FACTS.md 1.1 (botocore RegisterTaskDefinitionRequest.memory; task-cpu-memory-error page):
# task cpu in CPU units -> (memory values in MiB, offered for Windows containers).
_FARGATE_SIZE_TABLE: tuple[tuple[int, tuple[int, ...], bool], ...] = (
    (256, (512, 1024, 2048), False),
    (512, (1024, 2048, 3072, 4096), False),
    (1024, tuple(range(2048, 8192 + 1, 1024)), True),
    (2048, tuple(range(4096, 16384 + 1, 1024)), True),
    (4096, tuple(range(8192, 30720 + 1, 1024)), True),
    (8192, tuple(range(16384, 61440 + 1, 4096)), False),
    (16384, tuple(range(32768, 122880 + 1, 8192)), False),
)
FARGATE_SIZES: dict[int, tuple[int, ...]] = {cpu: memory for cpu, memory, _ in _FARGATE_SIZE_TABLE}
FARGATE_WINDOWS_CPUS: tuple[int, ...] = tuple(cpu for cpu, _, windows in _FARGATE_SIZE_TABLE if windows)


_LEADING_POINT = re.compile(r"^\s*\.(?=\d)")


def _cpu_units(value: str | int) -> int | None:
    """Like ``taskdef.parse_cpu_units``, also reading ".25 vCPU" as "0.25 vCPU"."""
    return parse_cpu_units(_LEADING_POINT.sub("0.", value) if isinstance(value, str) else value)


def _memory_mib(value: str | int) -> int | None:
    """Like ``taskdef.parse_memory_mib``, also reading ".5 GB" as "0.5 GB"."""
    return parse_memory_mib(_LEADING_POINT.sub("0.", value) if isinstance(value, str) else value)


def _is_missing(value: JSON) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _judgeable(value: JSON) -> TypeGuard[str | int]:
    """A present, known string or integer (other types are the schema layer's to report)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    return not _is_missing(value) and not is_unknown(value)


def format_values(values: tuple[int, ...]) -> str:
    """``512, 1024, 2048``; a long even run is shortened to ``8192, 9216, 10240 ... 30720 (every 1024)``."""
    if len(values) <= 6:
        return ", ".join(str(v) for v in values)
    step = values[1] - values[0]
    if all(b - a == step for a, b in itertools.pairwise(values)):
        head = ", ".join(str(v) for v in values[:3])
        return f"{head} ... {values[-1]} (every {step})"
    return ", ".join(str(v) for v in values)


@check("missing_fargate_task_size")
def missing_fargate_task_size(td: TaskDef) -> Iterator[Violation]:
    """Fargate needs task-level ``cpu`` and ``memory``."""
    if not td.requires_fargate:
        return
    for member in ("cpu", "memory"):
        if _is_missing(td.get(member)):
            yield Violation("", {"member": member}, variant=member)


def _cpu_violation(td: TaskDef, value: str | int) -> tuple[int | None, Violation | None]:
    """The cpu in units when it is a Fargate size, else the finding about it."""
    cpu = _cpu_units(value)
    if cpu is None:
        return None, Violation("/cpu", {"value": value}, variant="cpu-form")
    allowed = FARGATE_WINDOWS_CPUS if td.is_windows else tuple(FARGATE_SIZES)
    if cpu not in allowed:
        variant = "windows-cpu" if td.is_windows and cpu in FARGATE_SIZES else "cpu"
        return None, Violation("/cpu", {"cpu": cpu, "value": value, "allowed": format_values(allowed)}, variant=variant)
    return cpu, None


@check("unsupported_fargate_size")
def unsupported_fargate_size(td: TaskDef) -> Iterator[Violation]:
    """Fargate offers fixed cpu/memory pairs; Windows only the 1, 2 and 4 vCPU rows."""
    if not td.requires_fargate:
        return
    cpu_value, memory_value = td.get("cpu"), td.get("memory")
    cpu: int | None = None
    if _judgeable(cpu_value):
        cpu, finding = _cpu_violation(td, cpu_value)
        if finding is not None:
            yield finding
    if not _judgeable(memory_value):
        return
    memory = _memory_mib(memory_value)
    if memory is None:
        yield Violation("/memory", {"value": memory_value}, variant="memory-form")
    elif cpu is not None and memory not in FARGATE_SIZES[cpu]:
        allowed = format_values(FARGATE_SIZES[cpu])
        yield Violation("/memory", {"cpu": cpu, "memory": memory, "value": memory_value, "allowed": allowed})


@check("fargate_requires_awsvpc")
def fargate_requires_awsvpc(td: TaskDef) -> Iterator[Violation]:
    """Fargate tasks run only in the ``awsvpc`` network mode."""
    if not td.requires_fargate:
        return
    mode = td.get("networkMode")
    if mode is None:
        yield Violation("", {"networkMode": None}, variant="missing")
    elif isinstance(mode, str) and mode != "awsvpc" and not is_unknown(mode):
        yield Violation("/networkMode", {"networkMode": mode})
