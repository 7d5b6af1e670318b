"""Checks on ports and network-mode restrictions (docs/facts.md 3.1, 3.2, 3.3, 7.1, 7.7)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from ecslint.checks.registry import check
from ecslint.core.model import JSON, Violation
from ecslint.core.numbers import digits_value
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_unknown

PORT_RANGE = (1, 65535)
# docs/facts.md 3.2 (botocore PortMapping.hostPort): ports the ECS agent and Docker reserve by default.
RESERVED_HOST_PORTS: dict[int, str] = {
    22: "SSH",
    2375: "the Docker daemon",
    2376: "the Docker daemon (TLS)",
    51678: "the ECS agent",
    51679: "the ECS agent (credentials endpoint)",
    51680: "the ECS agent",
}
# docs/facts.md 7.7: at most 100 containerPortRange mappings per container.
MAX_PORT_RANGES = 100
PORT_RANGE_MODES = ("bridge", "awsvpc")
_PORT_RANGE_SYNTAX = re.compile(r"^([0-9]+)-([0-9]+)$")
# docs/facts.md 7.1: portMappings[].name, used by Service Connect.
_PORT_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,63}$")
_PORT_NAME_BAD_CHARACTER = re.compile(r"[^a-z0-9_-]")

# docs/facts.md 3.3: container members supported only in some network modes, or not in some.
ONLY_IN_MODES: dict[str, tuple[str, ...]] = {"links": ("bridge",)}
NOT_IN_MODES: dict[str, tuple[str, ...]] = {"hostname": ("awsvpc",), "extraHosts": ("awsvpc",)}


class Mapping(NamedTuple):
    """One ``portMappings`` entry that is an object, with its pointer and its known integer ports."""

    container: Container
    pointer: str
    data: dict[str, JSON]

    def port(self, key: str) -> int | None:
        value = self.data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def protocol(self) -> str | None:
        value = self.data.get("protocol", "tcp")
        return value.lower() if isinstance(value, str) and not is_unknown(value) else None

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None


def port_mappings(container: Container) -> Iterator[Mapping]:
    value = container.data.get("portMappings")
    if not isinstance(value, list):
        return
    for index, item in enumerate(value):
        if isinstance(item, dict):
            yield Mapping(container, join(container.pointer, "portMappings", index), item)


def all_port_mappings(td: TaskDef) -> Iterator[Mapping]:
    for container in td.containers():
        yield from port_mappings(container)


def has_items(value: JSON) -> bool:
    """A non-empty list or object (an empty ``[]`` or ``{}`` asks for nothing)."""
    return isinstance(value, list | dict) and len(value) > 0


def task_level_known(td: TaskDef) -> bool:
    """Whether an absent task-level member means its default (bridge, EC2...) rather than "not shown here".

    A bare container list (Terraform's ``container_definitions``) or a document without ``family``
    is a fragment: its task-level members are set somewhere this file does not show.
    """
    if td.origin == "containers":
        return False
    return td.origin == "cloudformation" or "family" in td.data


# docs/facts.md 3.1: the NetworkMode enum; "default" is an omitted mode on Windows (TaskDef.network_mode).
NETWORK_MODES = frozenset({"bridge", "host", "awsvpc", "none", "default"})


def network_mode(td: TaskDef) -> str | None:
    """The effective network mode, or None when it is unknown, not a network mode (ECS022 reports
    that: one mistake, one finding) or set outside this fragment."""
    if td.get("networkMode") is None and not task_level_known(td):
        return None
    mode = td.network_mode
    return mode if mode in NETWORK_MODES else None


def network_mode_forbids(td: TaskDef, member: str) -> bool:
    """True when the task's (known) network mode does not support the container ``member``."""
    mode = network_mode(td)
    if mode is None:
        return False
    if member in ONLY_IN_MODES:
        return mode not in ONLY_IN_MODES[member]
    return mode in NOT_IN_MODES.get(member, ())


# -- ECS120 host-port-mismatch -----------------------------------------------------------------


@check("host_port_mismatch", task=("networkMode",), container=("portMappings",))
def host_port_mismatch(td: TaskDef) -> Iterator[Violation]:
    """With ``awsvpc`` or ``host`` the host port is the container port: omit it or make it equal."""
    mode = network_mode(td)
    if mode not in ("awsvpc", "host"):
        return
    for mapping in all_port_mappings(td):
        host, container_port = mapping.port("hostPort"), mapping.port("containerPort")
        if host is None or container_port is None or host == container_port:
            continue
        params = {"networkMode": mode, "hostPort": host, "containerPort": container_port}
        yield Violation(join(mapping.pointer, "hostPort"), params, depends=(join(mapping.pointer, "containerPort"),))


# -- ECS121 port-mappings-with-network-none ----------------------------------------------------


@check("port_mappings_with_network_none", task=("networkMode",), container=("portMappings",))
def port_mappings_with_network_none(td: TaskDef) -> Iterator[Violation]:
    """A task in the ``none`` network mode has no network to map ports from."""
    if network_mode(td) != "none":
        return
    for container in td.containers():
        if has_items(container.data.get("portMappings")):
            yield Violation(join(container.pointer, "portMappings"), {"container": container.label})


# -- ECS122 duplicate-container-port -----------------------------------------------------------


@check("duplicate_container_port", container=("portMappings",))
def duplicate_container_port(td: TaskDef) -> Iterator[Violation]:
    """A container port (and protocol) may appear in only one port mapping of a container.

    Where both mappings claim the same host port (awsvpc, host, an equal fixed hostPort), ECS
    rejects the definition and ECS123 reports it as an error; this warning is left with the
    duplicates whose host ports do not collide (dynamic bridge ports) or are not known here.
    """
    mode = network_mode(td)
    for container in td.containers():
        seen: dict[tuple[int, str], tuple[int, Mapping]] = {}
        for index, mapping in enumerate(port_mappings(container)):
            port, protocol = mapping.port("containerPort"), mapping.protocol
            if port is None or protocol is None:
                continue
            key = (port, protocol)
            if key not in seen:
                seen[key] = (index, mapping)
                continue
            first_index, first = seen[key]
            if mode is not None and _collide(first, mapping, mode):
                continue  # ECS123 reports it
            params = {"container": container.label, "containerPort": port, "protocol": protocol}
            pointer, params = join(mapping.pointer, "containerPort"), {**params, "first": first_index}
            yield Violation(pointer, params, depends=(join(first.pointer, "containerPort"),))


# -- ECS123 host-port-conflict -----------------------------------------------------------------


def _host_port(mapping: Mapping, mode: str) -> tuple[int, str] | None:
    """The fixed host port a mapping claims, and the member that states it; None for dynamic ports."""
    host = mapping.port("hostPort")
    if mode == "bridge":
        return (host, "hostPort") if host else None
    if mode in ("awsvpc", "host"):
        if mapping.has("hostPort"):
            return (host, "hostPort") if host else None
        container_port = mapping.port("containerPort")
        return (container_port, "containerPort") if container_port else None
    return None


def _collide(first: Mapping, second: Mapping, mode: str) -> bool:
    """Whether two mappings claim the same fixed host port (protocols are compared by the caller)."""
    claim = _host_port(first, mode)
    return claim is not None and claim[0] == (_host_port(second, mode) or (None,))[0]


@check("host_port_conflict", container=("portMappings",))
def host_port_conflict(td: TaskDef) -> Iterator[Violation]:
    """Two mappings in one task that claim the same host port and protocol cannot both bind it."""
    mode = network_mode(td)
    if mode is None:
        return
    seen: dict[tuple[int, str], Mapping] = {}
    for mapping in all_port_mappings(td):
        claim, protocol = _host_port(mapping, mode), mapping.protocol
        if claim is None or protocol is None:
            continue
        port, member = claim
        first = seen.get((port, protocol))
        if first is None:
            seen[(port, protocol)] = mapping
            continue
        params = {"hostPort": port, "protocol": protocol, "container": mapping.container.label}
        variant = "same" if first.container is mapping.container else "default"
        params["other"] = first.container.label
        claimed = join(first.pointer, "hostPort" if first.has("hostPort") else "containerPort")
        yield Violation(join(mapping.pointer, member), params, variant, depends=(claimed,))


# -- ECS124 port-out-of-range ------------------------------------------------------------------


@check("port_out_of_range", container=("portMappings",))
def port_out_of_range(td: TaskDef) -> Iterator[Violation]:
    """Container ports are 1..65535; host ports are 1..65535, or 0 for a dynamic port."""
    low, high = PORT_RANGE
    for mapping in all_port_mappings(td):
        for key in ("containerPort", "hostPort"):
            port = mapping.port(key)
            if port is None or low <= port <= high or (key == "hostPort" and port == 0):
                continue
            yield Violation(join(mapping.pointer, key), {"key": key, "port": port}, variant=key)


# -- ECS125 invalid-container-port-range -------------------------------------------------------


def parse_port_range(text: str) -> tuple[int, int] | None:
    """``"8000-8010"`` -> (8000, 8010); None when the text is not two numbers joined by '-'."""
    match = _PORT_RANGE_SYNTAX.match(text)
    return (digits_value(match.group(1)), digits_value(match.group(2))) if match else None


def _range_problem(text: str) -> tuple[str, dict[str, object]] | None:
    bounds = parse_port_range(text)
    if bounds is None:
        return "syntax", {}
    first, last = bounds
    low, high = PORT_RANGE
    if not (low <= first <= high and low <= last <= high):
        return "bounds", {"first": first, "last": last}
    if first >= last:
        return "order", {"first": first, "last": last}
    return None


def _port_ranges(container: Container) -> Iterator[tuple[Mapping, str]]:
    """Each mapping's known ``containerPortRange`` string."""
    for mapping in port_mappings(container):
        value = mapping.data.get("containerPortRange")
        if isinstance(value, str) and not is_unknown(value):
            yield mapping, value


@check("invalid_container_port_range", container=("portMappings",))
def invalid_container_port_range(td: TaskDef) -> Iterator[Violation]:
    """``containerPortRange`` is ``"first-last"`` with 1 <= first < last <= 65535."""
    for container in td.containers():
        for mapping, text in _port_ranges(container):
            problem = _range_problem(text)
            if problem is not None:
                variant, params = problem
                pointer = join(mapping.pointer, "containerPortRange")
                yield Violation(pointer, {"range": text, **params}, variant=variant)


# -- ECS126 container-port-range-conflict ------------------------------------------------------


class _SinglePorts:
    """The container's ``containerPort`` values by protocol, sorted, each with the first mapping that
    has it: the first (in mapping order) inside a range is found without reading them all."""

    def __init__(self) -> None:
        self.first: dict[str, dict[int, int]] = {}  # protocol -> port -> order of its first mapping
        self.sorted: dict[str, list[int]] = {}

    def add(self, port: int, protocol: str, order: int) -> None:
        self.first.setdefault(protocol, {}).setdefault(port, order)

    def first_inside(self, first: int, last: int, protocol: str) -> int | None:
        """The port of the first mapping (in order) whose port is in ``first..last``, or None."""
        ports = self.first.get(protocol)
        if not ports:
            return None
        if protocol not in self.sorted:
            self.sorted[protocol] = sorted(ports)
        ordered = self.sorted[protocol]
        inside = ordered[bisect.bisect_left(ordered, first) : bisect.bisect_right(ordered, last)]
        return min(inside, key=ports.__getitem__) if inside else None


def _range_misuse(container: Container) -> Iterator[Violation]:
    singles = _SinglePorts()
    for order, mapping in enumerate(port_mappings(container)):
        port, protocol = mapping.port("containerPort"), mapping.protocol
        if port is not None and protocol is not None:
            singles.add(port, protocol, order)
    # ranges beyond the 100th are an error already (too-many): their overlaps are not looked for,
    # so the ranges compared with one another stay at most 100 x 100, however many there are
    taken: list[tuple[int, int, str, str]] = []  # (first, last, protocol, what) of earlier ranges
    ranges = list(_port_ranges(container))
    for count, (mapping, text) in enumerate(ranges, 1):
        pointer = join(mapping.pointer, "containerPortRange")
        base = {"container": container.label, "range": text}
        if mapping.has("hostPort"):
            yield Violation(join(mapping.pointer, "hostPort"), base, variant="host-port")
        if count == MAX_PORT_RANGES + 1:
            yield Violation(pointer, {**base, "maximum": MAX_PORT_RANGES}, variant="too-many")
        bounds, protocol = parse_port_range(text), mapping.protocol
        if bounds is None or _range_problem(text) is not None or protocol is None:
            continue
        first, last = bounds
        single = singles.first_inside(first, last, protocol)
        clash = f"containerPort {single}" if single is not None else None
        if clash is None and count <= MAX_PORT_RANGES:
            clash = next((what for a, b, p, what in taken if p == protocol and a <= last and first <= b), None)
        if clash is not None:
            yield Violation(pointer, {**base, "other": clash}, variant="overlap")
        if count <= MAX_PORT_RANGES:
            taken.append((first, last, protocol, f"containerPortRange {text}"))


@check("container_port_range_conflict", container=("portMappings",))
def container_port_range_conflict(td: TaskDef) -> Iterator[Violation]:
    """Port ranges: only bridge or awsvpc, no hostPort, no overlaps, at most 100 per container."""
    mode = network_mode(td)
    for container in td.containers():
        if mode is not None and mode not in PORT_RANGE_MODES:
            for mapping, text in _port_ranges(container):
                pointer = join(mapping.pointer, "containerPortRange")
                yield Violation(pointer, {"networkMode": mode, "range": text}, variant="network-mode")
            continue
        yield from _range_misuse(container)


# -- ECS127 links-outside-bridge-mode, ECS128 hostname-with-awsvpc, ECS129 extra-hosts-with-awsvpc


def _forbidden_member(td: TaskDef, member: str) -> Iterator[Violation]:
    if not network_mode_forbids(td, member):
        return
    for container in td.containers():
        value = container.data.get(member)
        if value is None or is_unknown(value) or value == [] or value == "":
            continue
        params = {"container": container.label, "networkMode": network_mode(td)}
        yield Violation(join(container.pointer, member), params)


@check("links_outside_bridge_mode", task=("networkMode", "runtimePlatform"), container=("links",))
def links_outside_bridge_mode(td: TaskDef) -> Iterator[Violation]:
    """``links`` work only in the ``bridge`` network mode."""
    yield from _forbidden_member(td, "links")


@check("hostname_with_awsvpc", task=("networkMode",), container=("hostname",))
def hostname_with_awsvpc(td: TaskDef) -> Iterator[Violation]:
    """``hostname`` is not supported in the ``awsvpc`` network mode."""
    yield from _forbidden_member(td, "hostname")


@check("extra_hosts_with_awsvpc", task=("networkMode",), container=("extraHosts",))
def extra_hosts_with_awsvpc(td: TaskDef) -> Iterator[Violation]:
    """``extraHosts`` is not supported in the ``awsvpc`` network mode."""
    yield from _forbidden_member(td, "extraHosts")


# -- ECS130 reserved-host-port -----------------------------------------------------------------


@check("reserved_host_port", container=("portMappings",))
def reserved_host_port(td: TaskDef) -> Iterator[Violation]:
    """Host ports the ECS agent and Docker reserve on every container instance."""
    mode = network_mode(td)
    if mode not in ("bridge", "host") or td.is_windows:
        return
    for mapping in all_port_mappings(td):
        claim = _host_port(mapping, mode)
        if claim is None or claim[0] not in RESERVED_HOST_PORTS:
            continue
        port, member = claim
        params = {"port": port, "owner": RESERVED_HOST_PORTS[port], "container": mapping.container.label}
        yield Violation(join(mapping.pointer, member), params)


# -- ECS131 invalid-port-mapping-name ----------------------------------------------------------


def _name_problem(name: str) -> tuple[str, tuple[int, int] | None] | None:
    if _PORT_NAME.match(name):
        return None
    if name == "":
        return "empty", None
    if len(name) > 64:
        return "too-long", (64, len(name))
    if name.startswith("-"):
        return "leading-hyphen", (0, 1)
    match = _PORT_NAME_BAD_CHARACTER.search(name)
    return "characters", (match.span() if match else None)


@check("invalid_port_mapping_name", container=("portMappings",))
def invalid_port_mapping_name(td: TaskDef) -> Iterator[Violation]:
    """``portMappings[].name``: up to 64 lower-case letters, digits, '_' and '-', not starting with '-'."""
    for mapping in all_port_mappings(td):
        name = mapping.data.get("name")
        if not isinstance(name, str) or is_unknown(name):
            continue
        problem = _name_problem(name)
        if problem is not None:
            variant, substring = problem
            params = {"name": name, "length": len(name)}
            yield Violation(join(mapping.pointer, "name"), params, variant=variant, substring=substring)
