"""Checks for tasks that require Fargate (size, network mode, unsupported parameters) and for
Windows platform restrictions (docs/facts.md 1, 3.1, 3.4 and 3.5)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Literal, NamedTuple, TypeGuard

from ecslint.checks.network import network_mode, network_mode_forbids
from ecslint.checks.registry import check
from ecslint.core.model import JSON, Occurrence, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import TaskDef, is_unknown, parse_cpu_units, parse_memory_mib

# docs/facts.md 1.1 (botocore RegisterTaskDefinitionRequest.memory; task-cpu-memory-error page;
# the 32 vCPU row from the developer guide's task size table, verified 2026-12-04, docs/facts.md 11):
# task cpu in CPU units -> (memory values in MiB, offered for Windows containers).
_FARGATE_SIZE_TABLE: tuple[tuple[int, tuple[int, ...], bool], ...] = (
    (256, (512, 1024, 2048), False),
    (512, (1024, 2048, 3072, 4096), False),
    (1024, tuple(range(2048, 8192 + 1, 1024)), True),
    (2048, tuple(range(4096, 16384 + 1, 1024)), True),
    (4096, tuple(range(8192, 30720 + 1, 1024)), True),
    (8192, tuple(range(16384, 61440 + 1, 4096)), False),
    (16384, tuple(range(32768, 122880 + 1, 8192)), False),
    (32768, (61440, 122880, 249856), False),
)
FARGATE_SIZES: dict[int, tuple[int, ...]] = {cpu: memory for cpu, memory, _ in _FARGATE_SIZE_TABLE}
FARGATE_WINDOWS_CPUS: tuple[int, ...] = tuple(cpu for cpu, _, windows in _FARGATE_SIZE_TABLE if windows)


# What a size finding also depends on (a baseline fingerprints it): the OS family picks the rows.
_OS_FAMILY = ("/runtimePlatform/operatingSystemFamily",)


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


@check("missing_fargate_task_size", task=("requiresCompatibilities",))
def missing_fargate_task_size(td: TaskDef) -> Iterator[Violation]:
    """Fargate needs task-level ``cpu`` and ``memory``."""
    if not td.requires_fargate:
        return
    for member in ("cpu", "memory"):
        if _is_missing(td.get(member)):
            yield Violation("", {"member": member}, variant=member)


def _cpu_violation(td: TaskDef, value: str | int) -> tuple[int | None, Violation | None]:
    """The cpu in units when it is a Fargate size, else the finding about it."""
    cpu = parse_cpu_units(value)
    if cpu is None:
        return None, Violation("/cpu", {"value": value}, variant="cpu-form")
    allowed = FARGATE_WINDOWS_CPUS if td.is_windows else tuple(FARGATE_SIZES)
    if cpu not in allowed:
        variant = "windows-cpu" if td.is_windows and cpu in FARGATE_SIZES else "cpu"
        params = {"cpu": cpu, "value": value, "allowed": format_values(allowed)}
        return None, Violation("/cpu", params, variant=variant, depends=_OS_FAMILY)
    return cpu, None


@check("unsupported_fargate_size", task=("requiresCompatibilities",))
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
    memory = parse_memory_mib(memory_value)
    if memory is None:
        yield Violation("/memory", {"value": memory_value}, variant="memory-form")
    elif cpu is not None and memory not in FARGATE_SIZES[cpu]:
        allowed = format_values(FARGATE_SIZES[cpu])
        params = {"cpu": cpu, "memory": memory, "value": memory_value, "allowed": allowed}
        yield Violation("/memory", params, depends=("/cpu",))


@check("fargate_requires_awsvpc", task=("requiresCompatibilities",))
def fargate_requires_awsvpc(td: TaskDef) -> Iterator[Violation]:
    """Fargate tasks run only in the ``awsvpc`` network mode."""
    if not td.requires_fargate:
        return
    mode = td.get("networkMode")
    if mode is None:
        yield Violation("", {"networkMode": None}, variant="missing")
    elif isinstance(mode, str) and mode != "awsvpc" and not is_unknown(mode) and network_mode(td) is not None:
        yield Violation("/networkMode", {"networkMode": mode})  # a value outside the enum is ECS022's


# -- parameters Fargate and Windows containers do not support (docs/facts.md 3.4, 3.5) ------------

Scope = Literal["task", "container", "volume"]
# How a value asks for the unsupported feature: true, a non-empty list, any value, "host", a non-empty string.
Test = Literal["true", "items", "present", "host", "text"]


class Restricted(NamedTuple):
    """A parameter a platform does not support, where it lives and which values use it."""

    scope: Scope
    path: tuple[str, ...]
    test: Test

    @property
    def name(self) -> str:
        return ".".join(self.path)


def _r(scope: Scope, path: str, test: Test) -> Restricted:
    return Restricted(scope, tuple(path.split(".")), test)


# docs/facts.md 3.4 ([FGDIFF] list plus [BOTO] field docs); capabilities.add and GPU are checked apart.
FARGATE_UNSUPPORTED: tuple[Restricted, ...] = (
    _r("container", "privileged", "true"),
    _r("container", "disableNetworking", "true"),
    _r("container", "links", "items"),
    _r("container", "dnsServers", "items"),
    _r("container", "dnsSearchDomains", "items"),
    _r("container", "extraHosts", "items"),
    _r("container", "dockerSecurityOptions", "items"),
    _r("container", "linuxParameters.devices", "items"),
    _r("container", "linuxParameters.sharedMemorySize", "present"),
    _r("container", "linuxParameters.maxSwap", "present"),
    _r("container", "linuxParameters.swappiness", "present"),
    _r("task", "ipcMode", "present"),
    _r("task", "pidMode", "host"),
    _r("task", "placementConstraints", "items"),
    _r("volume", "dockerVolumeConfiguration", "present"),
    _r("volume", "host.sourcePath", "text"),
)
# docs/facts.md 3.5 ([BOTO] field docs): not supported for Windows containers.
WINDOWS_UNSUPPORTED: tuple[Restricted, ...] = (
    _r("container", "privileged", "true"),
    _r("container", "disableNetworking", "true"),
    _r("container", "links", "items"),
    _r("container", "dnsServers", "items"),
    _r("container", "dnsSearchDomains", "items"),
    _r("container", "extraHosts", "items"),
    _r("container", "readonlyRootFilesystem", "true"),
    _r("container", "ulimits", "items"),
    _r("task", "pidMode", "present"),
    _r("task", "ipcMode", "present"),
)
# Capabilities a Fargate task may add ([BOTO] KernelCapabilities.add; [FGDIFF] spells it CAP_SYS_PTRACE).
FARGATE_ADDABLE_CAPABILITIES = frozenset({"SYS_PTRACE", "CAP_SYS_PTRACE"})
# docs/facts.md 3.4 / 7.8: startTimeout and stopTimeout on Fargate, in seconds.
FARGATE_TIMEOUT_RANGE = (2, 120)


def _lookup(data: dict[str, JSON], path: tuple[str, ...]) -> JSON:
    node: JSON = data
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _uses(value: JSON, test: Test) -> bool:
    if value is None or is_unknown(value):
        return False
    if test == "true":
        return value is True
    if test == "items":
        return isinstance(value, list) and len(value) > 0
    if test == "host":
        return value == "host"
    if test == "text":
        return isinstance(value, str) and value.strip() != ""
    return value != ""


def _scopes(td: TaskDef, scope: Scope) -> Iterator[tuple[str, dict[str, JSON]]]:
    """The objects a restriction applies to, with their pointers."""
    if scope == "task":
        yield "", td.data
    elif scope == "container":
        for container in td.containers():
            yield container.pointer, container.data
    else:
        volumes = td.get("volumes")
        if isinstance(volumes, list):
            for index, volume in enumerate(volumes):
                if isinstance(volume, dict):
                    yield join("/volumes", index), volume


def find_restricted(td: TaskDef, table: tuple[Restricted, ...]) -> Iterator[tuple[Restricted, str, JSON]]:
    """Each use of a restricted parameter: (entry, pointer to the value, the value)."""
    for entry in table:
        for base, data in _scopes(td, entry.scope):
            value = _lookup(data, entry.path)
            if _uses(value, entry.test):
                yield entry, join(base, *entry.path), value


def _network_rule_reports(td: TaskDef, entry: Restricted) -> bool:
    """links, hostname and extraHosts in a network mode that forbids them belong to ECS127-ECS129."""
    return entry.scope == "container" and len(entry.path) == 1 and network_mode_forbids(td, entry.path[0])


def _parameter_params(entry: Restricted, value: JSON) -> dict[str, object]:
    shown = value if isinstance(value, str | int | bool) else None
    return {"parameter": entry.name, "value": shown if shown is not None else entry.name}


def _added_capabilities(td: TaskDef) -> Iterator[Violation]:
    for container in td.containers():
        added = _lookup(container.data, ("linuxParameters", "capabilities", "add"))
        if not isinstance(added, list):
            continue
        for index, capability in enumerate(added):
            if not isinstance(capability, str) or is_unknown(capability):
                continue
            if capability not in FARGATE_ADDABLE_CAPABILITIES:
                pointer = join(container.pointer, "linuxParameters", "capabilities", "add", index)
                yield Violation(pointer, {"capability": capability}, variant="capability")


def _gpus(td: TaskDef) -> Iterator[Violation]:
    for container in td.containers():
        requirements = container.data.get("resourceRequirements")
        if not isinstance(requirements, list):
            continue
        for index, requirement in enumerate(requirements):
            if isinstance(requirement, dict) and requirement.get("type") == "GPU":
                pointer = join(container.pointer, "resourceRequirements", index, "type")
                yield Violation(pointer, {"container": container.label}, variant="gpu")


@check("fargate_unsupported_parameter", task=("requiresCompatibilities",))
def fargate_unsupported_parameter(td: TaskDef) -> Iterator[Violation]:
    """Parameters that tasks on Fargate cannot use (the Fargate task-definition differences page)."""
    if not td.requires_fargate:
        return
    for entry, pointer, value in find_restricted(td, FARGATE_UNSUPPORTED):
        if _network_rule_reports(td, entry):
            continue
        variant = {"pidMode": "pid-host", "host.sourcePath": "host-volume"}.get(entry.name, "default")
        yield Violation(pointer, _parameter_params(entry, value), variant=variant)
    yield from _added_capabilities(td)
    yield from _gpus(td)


@check("fargate_tmpfs", task=("requiresCompatibilities",), container=("linuxParameters",))
def fargate_tmpfs(td: TaskDef) -> Iterator[Violation]:
    """``linuxParameters.tmpfs`` on Fargate: the Fargate page says it is not supported."""
    if not td.requires_fargate:
        return
    for container in td.containers():
        tmpfs = _lookup(container.data, ("linuxParameters", "tmpfs"))
        if _uses(tmpfs, "items"):
            yield Violation(join(container.pointer, "linuxParameters", "tmpfs"), {"container": container.label})


@check("fargate_timeout_out_of_range", task=("requiresCompatibilities",), container=("startTimeout", "stopTimeout"))
def fargate_timeout_out_of_range(td: TaskDef) -> Iterator[Violation]:
    """``startTimeout`` and ``stopTimeout`` on Fargate take 2 to 120 seconds."""
    if not td.requires_fargate:
        return
    low, high = FARGATE_TIMEOUT_RANGE
    for container in td.containers():
        for key in ("startTimeout", "stopTimeout"):
            value = container.data.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or low <= value <= high:
                continue
            params = {"container": container.label, "key": key, "value": value, "minimum": low, "maximum": high}
            yield Violation(join(container.pointer, key), params)


def _fargate_rule_reports(td: TaskDef, entry: Restricted, value: JSON) -> bool:
    """Whether ECS140 reports this very value (pidMode "task" is fine on Fargate, not on Windows)."""
    return td.requires_fargate and any(
        entry.scope == other.scope and entry.path == other.path and _uses(value, other.test)
        for other in FARGATE_UNSUPPORTED
    )


@check("windows_unsupported_parameter", task=("runtimePlatform",))
def windows_unsupported_parameter(td: TaskDef) -> Iterator[Violation]:
    """Parameters AWS documents as not supported for Windows containers."""
    if not td.is_windows:
        return
    for entry, pointer, value in find_restricted(td, WINDOWS_UNSUPPORTED):
        if _network_rule_reports(td, entry) or _fargate_rule_reports(td, entry, value):
            continue
        yield Violation(pointer, _parameter_params(entry, value))


@check("arm64_windows", task=("runtimePlatform",))
def arm64_windows(td: TaskDef) -> Iterator[Violation]:
    """``cpuArchitecture: ARM64`` is offered only with Linux."""
    platform = td.get("runtimePlatform")
    if not isinstance(platform, dict) or not td.is_windows:
        return
    if platform.get("cpuArchitecture") == "ARM64":
        params = {"operatingSystemFamily": td.os_family}
        yield Violation("/runtimePlatform/cpuArchitecture", params)


# docs/facts.md 3.1 ([BOTO] networkMode): Windows on EC2 uses the default (NAT) network or awsvpc.
WINDOWS_NETWORK_MODES = ("default", "awsvpc")


@check("windows_unsupported_network_mode", task=("networkMode", "runtimePlatform"))
def windows_unsupported_network_mode(td: TaskDef) -> Iterator[Violation]:
    """Windows containers on EC2 run with the default network mode (omitted) or ``awsvpc``."""
    if not td.is_windows or td.requires_fargate:
        return  # on Fargate ECS103 asks for awsvpc
    mode = network_mode(td)
    if mode is not None and mode not in WINDOWS_NETWORK_MODES:
        yield Violation("/networkMode", {"networkMode": mode})


@check("firelens_on_windows", task=("runtimePlatform",), container=("firelensConfiguration", "logConfiguration"))
def firelens_on_windows(td: TaskDef) -> Iterator[Violation]:
    """FireLens (``firelensConfiguration``, the ``awsfirelens`` log driver) is Linux only."""
    if not td.is_windows:
        return
    places: list[tuple[str, str, str]] = []  # (pointer, variant, container)
    for container in td.containers():
        if isinstance(container.data.get("firelensConfiguration"), dict):
            places.append((join(container.pointer, "firelensConfiguration"), "router", container.label))
        driver = _lookup(container.data, ("logConfiguration", "logDriver"))
        if driver == "awsfirelens":
            places.append((join(container.pointer, "logConfiguration", "logDriver"), "driver", container.label))
    if not places:
        return
    pointer, variant, label = places[0]
    if len(places) == 1:
        yield Violation(pointer, {"container": label}, variant=variant)
    else:  # one mistake, FireLens on Windows: one finding for the router and the containers using it
        occurrences = tuple(Occurrence(place[0]) for place in places)
        yield Violation(pointer, {"container": label}, variant="several", occurrences=occurrences)
