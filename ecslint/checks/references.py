"""Checks on references between the parts of a task definition: ``dependsOn``, ``volumesFrom``,
``links``, ``mountPoints``, ``proxyConfiguration`` and FireLens (docs/facts.md 5.3, 6.2, 7.1).

A reference can only be judged when every possible target is known: while any container name
(or volume name) is a template variable or a CloudFormation intrinsic, these checks stay silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecslint.checks.network import network_mode_forbids
from ecslint.checks.registry import check
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_intrinsic, is_unknown

# docs/facts.md 6.2: SUCCESS and COMPLETE wait for the dependency to exit.
_EXIT_CONDITIONS = frozenset({"SUCCESS", "COMPLETE"})
# docs/facts.md 7.1: a link is "name" or "name:alias"; names and aliases take up to 255 of [A-Za-z0-9_-].
_LINK_ALIAS = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_FIRELENS_DRIVER = "awsfirelens"


# -- what can be referred to --------------------------------------------------------------------


def _all_containers(td: TaskDef) -> list[Container] | None:
    """Every container, or None when the list holds something that might become one at deploy time."""
    items = td.get("containerDefinitions")
    if not isinstance(items, list):
        return None
    if any(not isinstance(item, dict) or is_intrinsic(item) for item in items):
        return None
    return list(td.containers())


def container_names(td: TaskDef) -> set[str] | None:
    """The names a reference may use, or None when some name is unknown at lint time."""
    containers = _all_containers(td)
    if containers is None:
        return None
    names: set[str] = set()
    for container in containers:
        name = container.data.get("name")
        if is_unknown(name):
            return None
        if isinstance(name, str):
            names.add(name)
    return names


def volume_names(td: TaskDef) -> set[str] | None:
    """The names in ``volumes``, or None when they are not all known (or live elsewhere)."""
    if td.is_partial:
        return None
    volumes = td.get("volumes")
    if volumes is None:
        return set()
    if not isinstance(volumes, list):
        return None
    names: set[str] = set()
    for volume in volumes:
        if not isinstance(volume, dict) or is_intrinsic(volume) or is_unknown(volume.get("name")):
            return None
        name = volume.get("name")
        if isinstance(name, str):
            names.add(name)
    return names


def _items(container: Container, key: str, member: str) -> Iterator[tuple[str, str, dict[str, JSON]]]:
    """(pointer of ``member``, its known string value, the item) for each object in a container list."""
    items = container.data.get(key)
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict):
            value = item.get(member)
            if isinstance(value, str) and not is_unknown(value):
                yield join(container.pointer, key, index, member), value, item


# -- ECS231 unknown-dependency-container ---------------------------------------------------------


@check("unknown_dependency_container", container=("dependsOn",))
def unknown_dependency_container(td: TaskDef) -> Iterator[Violation]:
    """``dependsOn[].containerName`` must name a container of the same task definition."""
    names = container_names(td)
    if names is None:
        return
    for container in td.containers():
        for pointer, target, _ in _items(container, "dependsOn", "containerName"):
            if target not in names:
                yield Violation(pointer, {"target": target, "container": container.label})


# -- ECS232 dependency-cycle ----------------------------------------------------------------------

Edge = tuple[str, str]  # (target container name, pointer of the containerName that names it)


def _dependency_graph(td: TaskDef, names: set[str]) -> dict[str, list[Edge]]:
    graph: dict[str, list[Edge]] = {}
    for container in td.containers():
        if container.name is None:
            continue
        edges = graph.setdefault(container.name, [])
        for pointer, target, _ in _items(container, "dependsOn", "containerName"):
            if target in names and target != container.name:
                edges.append((target, pointer))
    return graph


def _cycles(graph: dict[str, list[Edge]]) -> Iterator[tuple[str, list[str]]]:
    """(pointer of the edge that closes it, the names around it) for each cycle a DFS meets.

    Iterative, with each name's place on the path in a table: a dependsOn chain of thousands of
    containers neither exhausts Python's recursion limit nor searches the path at every step."""
    done: set[str] = set()
    for root in graph:
        if root in done:
            continue
        path = [root]
        on_path = {root: 0}
        pending = [iter(graph.get(root, []))]
        while pending:
            for target, pointer in pending[-1]:
                if target in on_path:
                    yield pointer, [*path[on_path[target] :], target]
                elif target not in done:
                    on_path[target] = len(path)
                    path.append(target)
                    pending.append(iter(graph.get(target, [])))
                    break
            else:
                pending.pop()
                node = path.pop()
                del on_path[node]
                done.add(node)


@check("dependency_cycle", container=("dependsOn",))
def dependency_cycle(td: TaskDef) -> Iterator[Violation]:
    """Containers whose ``dependsOn`` chains lead back to themselves can never start."""
    names = container_names(td)
    if names is None:
        return
    for container in td.containers():
        for pointer, target, _ in _items(container, "dependsOn", "containerName"):
            if target == container.name:
                yield Violation(pointer, {"container": target, "cycle": f"{target} -> {target}"}, variant="self")
    for pointer, cycle in _cycles(_dependency_graph(td, names)):
        yield Violation(pointer, {"container": cycle[0], "cycle": _cycle_text(cycle)})


_CYCLE_SHOWN = 12  # names in a cycle's message: more than any task definition seen holds


def _cycle_text(cycle: list[str]) -> str:
    """``a -> b -> a``; a longer cycle shows its ends and how many names are left out between them
    (thousands of cycles of thousands of names each would make a report quadratic in the input)."""
    if len(cycle) <= _CYCLE_SHOWN:
        return " -> ".join(cycle)
    half = _CYCLE_SHOWN // 2
    return " -> ".join([*cycle[:half], f"... ({len(cycle) - 2 * half} more)", *cycle[-half:]])


# -- ECS243 link-cycle ----------------------------------------------------------------------------


@check("link_cycle", container=("links",))
def link_cycle(td: TaskDef) -> Iterator[Violation]:
    """Containers whose ``links`` lead back to themselves: ECS refuses them (docs/facts.md 29)."""
    names = container_names(td)
    if names is None or network_mode_forbids(td, "links"):
        return  # links where the network mode has none are ECS127's
    graph: dict[str, list[Edge]] = {}
    for container in td.containers():
        if container.name is None:
            continue
        edges = graph.setdefault(container.name, [])
        links = container.data.get("links")
        for index, link in enumerate(links if isinstance(links, list) else []):
            if isinstance(link, str) and not is_unknown(link) and link.split(":", 1)[0] in names:
                edges.append((link.split(":", 1)[0], join(container.pointer, "links", index)))
    for pointer, cycle in _cycles(graph):
        yield Violation(pointer, {"container": cycle[0], "cycle": _cycle_text(cycle)})


# -- ECS233 healthy-dependency-without-health-check, ECS234 essential-exit-dependency -------------


def _dependencies(td: TaskDef) -> Iterator[tuple[Container, str, str, Container]]:
    """(container, pointer of the condition, condition, the dependency) for resolvable dependsOn items."""
    for container in td.containers():
        for pointer, target, item in _items(container, "dependsOn", "containerName"):
            condition = item.get("condition")
            dependency = td.container_named(target)
            if dependency is not None and dependency.pointer == container.pointer:
                continue  # a container that depends on itself is ECS232's: one mistake, one finding
            if isinstance(condition, str) and dependency is not None and "condition" in item:
                yield container, join(pointer[: pointer.rfind("/")], "condition"), condition, dependency


def _sibling(pointer: str, member: str) -> str:
    """The pointer of ``member`` in the object that holds ``pointer``."""
    return join(pointer[: pointer.rfind("/")], member)


@check("healthy_dependency_without_health_check", container=("dependsOn",))
def healthy_dependency_without_health_check(td: TaskDef) -> Iterator[Violation]:
    """``HEALTHY`` needs the dependency to have a ``healthCheck``."""
    for container, pointer, condition, dependency in _dependencies(td):
        if condition == "HEALTHY" and dependency.data.get("healthCheck") is None:
            params = {"target": dependency.label, "container": container.label}
            yield Violation(pointer, params, depends=(_sibling(pointer, "containerName"),))


@check("essential_exit_dependency", container=("dependsOn",))
def essential_exit_dependency(td: TaskDef) -> Iterator[Violation]:
    """``SUCCESS`` and ``COMPLETE`` may only target a container with ``essential: false``."""
    for container, pointer, condition, dependency in _dependencies(td):
        if condition in _EXIT_CONDITIONS and dependency.essential is True:
            params = {"target": dependency.label, "condition": condition, "container": container.label}
            yield Violation(pointer, params, depends=(_sibling(pointer, "containerName"),))


# -- ECS235 unknown-volumes-from-container, ECS238 unknown-link-container ------------------------


@check("unknown_volumes_from_container", container=("volumesFrom",))
def unknown_volumes_from_container(td: TaskDef) -> Iterator[Violation]:
    """``volumesFrom[].sourceContainer`` must name a container of the same task definition."""
    names = container_names(td)
    if names is None:
        return
    for container in td.containers():
        for pointer, source, _ in _items(container, "volumesFrom", "sourceContainer"):
            if source not in names:
                yield Violation(pointer, {"source": source, "container": container.label})


def _link_problems(link: str, names: set[str]) -> Iterator[tuple[str, dict[str, object], tuple[int, int]]]:
    name, colon, alias = link.partition(":")
    if name not in names:
        span = (0, len(name)) if name else (0, len(link))
        yield "default", {"target": name}, span
    if colon and not _LINK_ALIAS.match(alias):
        span = (len(name) + 1, len(link)) if alias else (len(name), len(link))
        yield "alias", {"alias": alias}, span


@check("unknown_link_container", container=("links",))
def unknown_link_container(td: TaskDef) -> Iterator[Violation]:
    """``links`` entries must be ``name`` or ``name:alias`` naming a container of the task."""
    names = container_names(td)
    if names is None:
        return
    for container in td.containers():
        links = container.data.get("links")
        if not isinstance(links, list):
            continue
        for index, link in enumerate(links):
            if not isinstance(link, str) or not link or is_unknown(link):
                continue
            for variant, params, span in _link_problems(link, names):
                pointer = join(container.pointer, "links", index)
                yield Violation(
                    pointer, {"link": link, "container": container.label, **params}, variant, substring=span
                )


# -- ECS236 unknown-mount-volume, ECS237 duplicate-volume-name -----------------------------------


@check("unknown_mount_volume", container=("mountPoints",))
def unknown_mount_volume(td: TaskDef) -> Iterator[Violation]:
    """``mountPoints[].sourceVolume`` must name a volume declared in ``volumes``."""
    volumes = volume_names(td)
    if volumes is None:
        return
    for container in td.containers():
        for pointer, source, _ in _items(container, "mountPoints", "sourceVolume"):
            if source and source not in volumes:
                known = ", ".join(sorted(volumes)) if volumes else "none"
                yield Violation(pointer, {"volume": source, "container": container.label, "volumes": known})


@check("duplicate_volume_name", task=("volumes",))
def duplicate_volume_name(td: TaskDef) -> Iterator[Violation]:
    """Volume names must be unique within the task definition (reported at the later one)."""
    volumes = td.get("volumes")
    if not isinstance(volumes, list):
        return
    first: dict[str, int] = {}
    for index, volume in enumerate(volumes):
        name = volume.get("name") if isinstance(volume, dict) else None
        if not isinstance(name, str) or not name or is_unknown(name):
            continue
        if name in first:
            yield Violation(join("/volumes", index, "name"), {"volume": name, "first": first[name]})
        else:
            first[name] = index


# -- ECS239 unknown-proxy-container ----------------------------------------------------------------


@check("unknown_proxy_container", task=("proxyConfiguration",))
def unknown_proxy_container(td: TaskDef) -> Iterator[Violation]:
    """``proxyConfiguration.containerName`` must name a container of the task (the proxy)."""
    proxy = td.get("proxyConfiguration")
    if not isinstance(proxy, dict):
        return
    target = proxy.get("containerName")
    names = container_names(td)
    if names is None or not isinstance(target, str) or not target or is_unknown(target):
        return
    if target not in names:
        yield Violation("/proxyConfiguration/containerName", {"target": target})


# -- ECS240 awsfirelens-without-firelens-configuration, ECS241 firelens-configuration-without-awsfirelens,
# -- ECS242 multiple-firelens-containers -----------------------------------------------------------


def _log_driver(container: Container) -> str | None:
    """The container's log driver; "" when it has none; None when it is unknown."""
    log = container.data.get("logConfiguration")
    if log is None:
        return ""
    if not isinstance(log, dict) or is_intrinsic(log):
        return None
    driver = log.get("logDriver")
    if driver is None:
        return ""
    return driver if isinstance(driver, str) and not is_unknown(driver) else None


def _has_firelens_configuration(container: Container) -> bool:
    return container.data.get("firelensConfiguration") is not None


@check("awsfirelens_without_firelens_configuration", container=("logConfiguration",))
def awsfirelens_without_firelens_configuration(td: TaskDef) -> Iterator[Violation]:
    """The ``awsfirelens`` log driver needs a log router: a container with ``firelensConfiguration``."""
    containers = _all_containers(td)
    if containers is None or any(_has_firelens_configuration(c) for c in containers):
        return
    for container in containers:
        if _log_driver(container) == _FIRELENS_DRIVER:
            pointer = join(container.pointer, "logConfiguration", "logDriver")
            yield Violation(pointer, {"container": container.label})


@check("firelens_configuration_without_awsfirelens", container=("firelensConfiguration",))
def firelens_configuration_without_awsfirelens(td: TaskDef) -> Iterator[Violation]:
    """A ``firelensConfiguration`` needs some container to log through ``awsfirelens``."""
    containers = _all_containers(td)
    if containers is None:
        return
    drivers = [_log_driver(c) for c in containers]
    if None in drivers or _FIRELENS_DRIVER in drivers:
        return
    for container in containers:
        if _has_firelens_configuration(container) and not is_unknown(container.data["firelensConfiguration"]):
            yield Violation(join(container.pointer, "firelensConfiguration"), {"container": container.label})


@check("multiple_firelens_containers", container=("firelensConfiguration",))
def multiple_firelens_containers(td: TaskDef) -> Iterator[Violation]:
    """A task has one log router; a second ``firelensConfiguration`` is reported."""
    routers = [c for c in td.containers() if _has_firelens_configuration(c)]
    for container in routers[1:]:
        params = {"container": container.label, "first": routers[0].label}
        yield Violation(join(container.pointer, "firelensConfiguration"), params)
