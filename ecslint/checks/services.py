"""Checks on a service (or a run-task request, where the same holds) and the task definition it runs (facts 12).

Each check gets a ``Usage`` (a service: the ``CreateService`` input, camelCase, with the task definition
as ``service.task``) and yields violations that point into the service, where the fix belongs.
A value known only at deploy time, in the service or in the task definition, silences a check.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.checks.registry import usage_check
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import Container, is_unknown, parse_cpu_units
from ecslint.core.usage import Usage


def _names(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names) if names else "none"


# -- ECS701 service-container-missing ---------------------------------------------------------
# "InvalidParameterException: The container NAME does not exist in the task definition." (facts 12)


@usage_check("service_container_missing")
def service_container_missing(service: Usage) -> Iterator[Violation]:
    names = service.container_names()
    if names is None:
        return
    for key, variant in (("loadBalancers", "default"), ("serviceRegistries", "registry")):
        for pointer, item in service.items(key):
            name = item.get("containerName")
            if isinstance(name, str) and not is_unknown(name) and name not in names:
                params = {"container": name, "task": service.task_label, "names": _names(names)}
                yield Violation(f"{pointer}/containerName", params, variant)


# -- ECS702 service-container-port-not-mapped ---------------------------------------------------
# "InvalidParameterException: The container NAME did not have a container port 80 defined." (facts 12)


def _mapped_ports(container: Container) -> tuple[set[int], list[tuple[int, int]]] | None:
    """The container ports and port ranges the container maps; None when one is unknown."""
    mappings = container.data.get("portMappings", [])
    if not isinstance(mappings, list):
        return None
    ports: set[int] = set()
    ranges: list[tuple[int, int]] = []
    for mapping in mappings:
        if not isinstance(mapping, dict):
            return None
        port: JSON = mapping.get("containerPort")
        span: JSON = mapping.get("containerPortRange")
        if isinstance(port, int) and not isinstance(port, bool):
            ports.add(port)
        elif isinstance(span, str) and "-" in span and not is_unknown(span):
            low, _, high = span.partition("-")
            if not (low.strip().isdecimal() and high.strip().isdecimal()):
                return None
            ranges.append((int(low), int(high)))
        else:
            return None  # an intrinsic, a template variable or a string: nothing can be said
    return ports, ranges


@usage_check("service_container_port_not_mapped")
def service_container_port_not_mapped(service: Usage) -> Iterator[Violation]:
    for pointer, item in service.items("loadBalancers"):
        name, port = item.get("containerName"), item.get("containerPort")
        if not isinstance(name, str) or not isinstance(port, int) or isinstance(port, bool):
            continue
        container = service.task.container_named(name)
        if container is None:
            continue  # ECS701 reports the name
        mapped = _mapped_ports(container)
        if mapped is None:
            continue
        ports, ranges = mapped
        if port in ports or any(low <= port <= high for low, high in ranges):
            continue
        mapped_text = [str(p) for p in sorted(ports)] + [f"{low}-{high}" for low, high in ranges]
        params = {"container": name, "port": port, "ports": ", ".join(mapped_text)}
        yield Violation(f"{pointer}/containerPort", params, "default" if mapped_text else "none")


# -- ECS703 launch-type-not-compatible ---------------------------------------------------------
# "Task definition does not support launch_type FARGATE." (facts 12).  Only FARGATE: a task
# definition that requires FARGATE is compatible with EC2 too, and EC2 ones with EXTERNAL.


@usage_check("launch_type_not_compatible")
def launch_type_not_compatible(service: Usage) -> Iterator[Violation]:
    if service.known("launchType") != "FARGATE":
        return
    compatibilities = service.task.compatibilities
    if compatibilities is None or "FARGATE" in compatibilities:
        return
    declared = service.task.data.get("requiresCompatibilities")
    variant = "default" if declared is not None else "omitted"
    params = {"task": service.task_label, "compatibilities": ", ".join(sorted(compatibilities)), "what": service.what}
    yield Violation("/launchType", params, variant)


# -- ECS704 network-configuration-mismatch -------------------------------------------------------
# "Network Configuration must be provided when networkMode 'awsvpc' is specified" and
# "Network Configuration is not valid for the given networkMode of this task definition." (facts 12)


@usage_check("network_configuration_mismatch")
def network_configuration_mismatch(service: Usage) -> Iterator[Violation]:
    mode = service.task.network_mode
    if mode is None:
        return
    configuration = service.data.get("networkConfiguration")
    if configuration is None and mode == "awsvpc":
        pointer = "/taskDefinition" if "taskDefinition" in service.data else ""
        yield Violation(pointer, {"task": service.task_label, "mode": mode, "what": service.what}, "missing")
    elif configuration is not None and not is_unknown(configuration) and mode != "awsvpc":
        params = {"task": service.task_label, "mode": mode, "what": service.what}
        yield Violation("/networkConfiguration", params, "default")


# -- ECS705 grace-period-without-load-balancer -------------------------------------------------
# "InvalidParameterException: Health check grace period is only valid for services configured to
# use load balancers" (facts 12).  ECS itself reports 0 for every service, so 0 is allowed.


@usage_check("grace_period_without_load_balancer")
def grace_period_without_load_balancer(service: Usage) -> Iterator[Violation]:
    seconds = service.data.get("healthCheckGracePeriodSeconds")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return
    if service.has_load_balancers() is False:
        yield Violation("/healthCheckGracePeriodSeconds", {"seconds": seconds})


# -- ECS706 unknown-service-connect-port-name --------------------------------------------------
# Service Connect finds the port by the name of a port mapping (API_ServiceConnectService.portName).


@usage_check("unknown_service_connect_port_name")
def unknown_service_connect_port_name(service: Usage) -> Iterator[Violation]:
    configuration = service.data.get("serviceConnectConfiguration")
    if not isinstance(configuration, dict) or configuration.get("enabled") is False:
        return
    entries = configuration.get("services")
    if not isinstance(entries, list):
        return
    names: set[str] = set()
    containers = service.task.data.get("containerDefinitions")
    if not isinstance(containers, list) or len(service.task.containers()) != len(containers):
        return
    for container in service.task.containers():
        mappings = container.data.get("portMappings", [])
        if not isinstance(mappings, list):
            return
        for mapping in mappings:
            if not isinstance(mapping, dict):
                return
            name = mapping.get("name")
            if name is not None and (not isinstance(name, str) or is_unknown(name)):
                return
            if isinstance(name, str):
                names.add(name)
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        port_name = entry.get("portName")
        if isinstance(port_name, str) and not is_unknown(port_name) and port_name not in names:
            params = {"name": port_name, "task": service.task_label, "names": _names(sorted(names))}
            yield Violation(f"/serviceConnectConfiguration/services/{index}/portName", params)


# -- ECS707 platform-version-too-old-for-size -----------------------------------------------------
# Fargate 8, 16 and 32 vCPU "requires Linux platform 1.4.0 or later" (docs/facts.md 1.1).

_LARGE_FARGATE_CPU = 8192


def _platform_version(text: str) -> tuple[int, ...] | None:
    parts = text.split(".")
    return tuple(int(part) for part in parts) if all(part.isdecimal() for part in parts) else None


@usage_check("platform_version_too_old_for_size")
def platform_version_too_old_for_size(service: Usage) -> Iterator[Violation]:
    version = service.known("platformVersion")
    if not isinstance(version, str) or version.upper() == "LATEST":
        return
    parsed = _platform_version(version)
    if parsed is None or parsed >= (1, 4, 0) or service.task.is_windows or not service.task.requires_fargate:
        return
    cpu_value = service.task.get("cpu")
    cpu = parse_cpu_units(cpu_value) if not is_unknown(cpu_value) else None
    if cpu is not None and cpu >= _LARGE_FARGATE_CPU:
        params = {"version": version, "vcpu": cpu // 1024, "task": service.task_label}
        yield Violation("/platformVersion", params)


# -- ECS708 exec-without-task-role ----------------------------------------------------------------
# ECS Exec talks to SSM through the task's IAM role (ssmmessages:*); without one it cannot start.


@usage_check("exec_without_task_role")
def exec_without_task_role(service: Usage) -> Iterator[Violation]:
    if service.data.get("enableExecuteCommand") is not True or service.task.is_partial:
        return
    if service.task.get("taskRoleArn") in (None, ""):
        yield Violation("/enableExecuteCommand", {"task": service.task_label})
