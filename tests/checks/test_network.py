"""Tests for ecslint.checks.network: ECS120-ECS131."""

from __future__ import annotations

import pytest
from check_helpers import Check, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.checks.network import (
    container_port_range_conflict,
    duplicate_container_port,
    extra_hosts_with_awsvpc,
    host_port_conflict,
    host_port_mismatch,
    hostname_with_awsvpc,
    invalid_container_port_range,
    invalid_port_mapping_name,
    links_outside_bridge_mode,
    network_mode,
    parse_port_range,
    port_mappings_with_network_none,
    port_out_of_range,
    reserved_host_port,
    task_level_known,
)
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import TaskDef
from tests.workcount import grows_linearly, steps

CHECKS: tuple[Check, ...] = (
    host_port_mismatch,
    port_mappings_with_network_none,
    duplicate_container_port,
    host_port_conflict,
    port_out_of_range,
    invalid_container_port_range,
    container_port_range_conflict,
    links_outside_bridge_mode,
    hostname_with_awsvpc,
    extra_hosts_with_awsvpc,
    reserved_host_port,
    invalid_port_mapping_name,
)
P0 = "/containerDefinitions/0/portMappings"
P1 = "/containerDefinitions/1/portMappings"


def c(name: str = "app", *ports: JSON, **members: JSON) -> dict[str, JSON]:
    container: dict[str, JSON] = {"name": name, "image": "example/app:1.0.0", "memory": 256, **members}
    if ports:
        container["portMappings"] = list(ports)
    return container


def task(mode: str | None, *containers: dict[str, JSON], **members: JSON) -> dict[str, JSON]:
    data: dict[str, JSON] = {"family": "app", "containerDefinitions": list(containers), **members}
    if mode is not None:
        data["networkMode"] = mode
    return data


# -- helpers ------------------------------------------------------------------------------------


def test_task_level_known() -> None:
    assert task_level_known(TaskDef({"family": "x"}))
    assert not task_level_known(TaskDef({"containerDefinitions": []}))
    assert task_level_known(TaskDef({}, "cloudformation"))
    assert not task_level_known(TaskDef({"family": "x"}, "containers"))


def test_network_mode() -> None:
    assert network_mode(TaskDef({"family": "x"})) == "bridge"
    assert network_mode(TaskDef({"containerDefinitions": []})) is None
    assert network_mode(TaskDef({"networkMode": "awsvpc"}, "containers")) is None  # TaskDef.is_partial
    assert network_mode(TaskDef({"networkMode": "${MODE}", "family": "x"})) is None
    # not a network mode: ECS022 reports the value, and no rule judges the containers by it
    assert network_mode(TaskDef({"networkMode": "nat", "family": "x"})) is None
    containers: list[JSON] = [{"name": "a", "image": "a:1", "links": ["b"]}, {"name": "b", "image": "b:1"}]
    assert (
        list(
            links_outside_bridge_mode(
                TaskDef({"family": "x", "networkMode": "nat", "containerDefinitions": containers})
            )
        )
        == []
    )


def test_parse_port_range() -> None:
    assert parse_port_range("8000-8010") == (8000, 8010)
    assert parse_port_range("8000") is None
    assert parse_port_range("8000 - 8010") is None
    assert parse_port_range("-1-5") is None


# -- ECS120 host-port-mismatch ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["awsvpc", "host"])
def test_host_port_mismatch(mode: str) -> None:
    ports = ({"containerPort": 8080, "hostPort": 80}, {"containerPort": 9090, "hostPort": 9090}, {"containerPort": 1})
    data = task(mode, c("app", *ports))
    assert run(host_port_mismatch, data) == [(f"{P0}/0/hostPort", "default", None)]
    (violation,) = host_port_mismatch(TaskDef(data))
    assert violation.params == {"networkMode": mode, "hostPort": 80, "containerPort": 8080}


@pytest.mark.parametrize(
    "data",
    [
        task("bridge", c("app", {"containerPort": 8080, "hostPort": 80})),
        task(None, c("app", {"containerPort": 8080, "hostPort": 80})),
        task("${MODE}", c("app", {"containerPort": 8080, "hostPort": 80})),
        task("awsvpc", c("app", {"containerPort": 8080, "hostPort": "${PORT}"})),
        task("awsvpc", c("app", {"containerPortRange": "8000-8010", "hostPort": 80})),
        task("awsvpc", c("app", "not a mapping")),
    ],
)
def test_host_port_mismatch_silent(data: dict[str, JSON]) -> None:
    assert run(host_port_mismatch, data) == []


# -- ECS121 port-mappings-with-network-none -------------------------------------------------------------


def test_port_mappings_with_network_none() -> None:
    data = task("none", c("a", {"containerPort": 80}), c("b"), c("c", portMappings=[]))
    assert run(port_mappings_with_network_none, data) == [("/containerDefinitions/0/portMappings", "default", None)]


def test_port_mappings_with_network_none_silent() -> None:
    assert run(port_mappings_with_network_none, task("bridge", c("a", {"containerPort": 80}))) == []


# -- ECS122 duplicate-container-port -------------------------------------------------------------------


def test_duplicate_container_port() -> None:
    ports = ({"containerPort": 80}, {"containerPort": 80, "protocol": "udp"}, {"containerPort": 80, "protocol": "TCP"})
    data = task("bridge", c("app", *ports))
    assert run(duplicate_container_port, data) == [(f"{P0}/2/containerPort", "default", None)]
    (violation,) = duplicate_container_port(TaskDef(data))
    assert violation.params == {"container": "app", "containerPort": 80, "protocol": "tcp", "first": 0}


@pytest.mark.parametrize(
    "ports",
    [
        ({"containerPort": 3000}, {"containerPort": 3000, "protocol": "tcp"}),
        ({"containerPort": 3000, "hostPort": 3000}, {"containerPort": 3000}),
    ],
)
@pytest.mark.parametrize("mode", ["awsvpc", "host"])
def test_duplicate_container_port_whose_host_ports_collide_is_ecs123(mode: str, ports: tuple[JSON, ...]) -> None:
    """ECS rejects it ("TCP host port '3000' is mapped multiple times in task."): one error, from ECS123."""
    data = task(mode, c("app", *ports))
    assert run(duplicate_container_port, data) == []
    assert run(host_port_conflict, data) == [(f"{P0}/1/containerPort", "same", None)]


def test_duplicate_container_port_with_equal_fixed_host_ports_in_bridge_mode_is_ecs123() -> None:
    data = task("bridge", c("app", {"containerPort": 80, "hostPort": 8080}, {"containerPort": 80, "hostPort": 8080}))
    assert run(duplicate_container_port, data) == []
    assert run(host_port_conflict, data) == [(f"{P0}/1/hostPort", "same", None)]


@pytest.mark.parametrize(
    "ports",
    [
        ({"containerPort": 80}, {"containerPort": 80}),  # two dynamic host ports
        ({"containerPort": 80, "hostPort": 0}, {"containerPort": 80}),
        ({"containerPort": 80, "hostPort": 8080}, {"containerPort": 80, "hostPort": 8081}),
    ],
)
def test_duplicate_container_port_without_host_port_collision_stays_a_warning(ports: tuple[JSON, ...]) -> None:
    data = task("bridge", c("app", *ports))
    assert run(duplicate_container_port, data) == [(f"{P0}/1/containerPort", "default", None)]
    assert run(host_port_conflict, data) == []


def test_duplicate_container_port_in_a_fragment_is_a_warning() -> None:
    """The network mode is set outside a bare container list: whether host ports collide is unknown."""
    data: dict[str, JSON] = {"containerDefinitions": [c("app", {"containerPort": 80}, {"containerPort": 80})]}
    assert run(duplicate_container_port, data, "containers") == [
        ("/containerDefinitions/0/portMappings/1/containerPort", "default", None)
    ]
    assert run(host_port_conflict, data, "containers") == []


def test_duplicate_container_port_across_containers_is_not_this_rule() -> None:
    data = task("bridge", c("a", {"containerPort": 80}), c("b", {"containerPort": 80}))
    assert run(duplicate_container_port, data) == []


# -- ECS123 host-port-conflict ----------------------------------------------------------------------------


def test_fixed_host_port_twice_in_bridge_mode() -> None:
    data = task(None, c("a", {"containerPort": 80, "hostPort": 8080}), c("b", {"containerPort": 81, "hostPort": 8080}))
    assert run(host_port_conflict, data) == [(f"{P1}/0/hostPort", "default", None)]
    (violation,) = host_port_conflict(TaskDef(data))
    assert violation.params == {"hostPort": 8080, "protocol": "tcp", "container": "b", "other": "a"}


@pytest.mark.parametrize("mode", ["awsvpc", "host"])
def test_same_container_port_in_two_containers(mode: str) -> None:
    data = task(mode, c("a", {"containerPort": 80}), c("b", {"containerPort": 80, "hostPort": 80}))
    assert run(host_port_conflict, data) == [(f"{P1}/0/hostPort", "default", None)]
    data = task(mode, c("a", {"containerPort": 80, "hostPort": 80}), c("b", {"containerPort": 80}))
    assert run(host_port_conflict, data) == [(f"{P1}/0/containerPort", "default", None)]


def test_same_host_port_for_two_container_ports_in_one_container() -> None:
    data = task("bridge", c("a", {"containerPort": 80, "hostPort": 8080}, {"containerPort": 81, "hostPort": 8080}))
    assert run(host_port_conflict, data) == [(f"{P0}/1/hostPort", "same", None)]


@pytest.mark.parametrize(
    ("data", "origin"),
    [
        (task("bridge", c("a", {"containerPort": 80}), c("b", {"containerPort": 80})), "register"),
        (task("bridge", c("a", {"containerPort": 80, "hostPort": 0}), c("b", {"hostPort": 0})), "register"),
        (task("awsvpc", c("a", {"containerPort": 53}), c("b", {"containerPort": 53, "protocol": "udp"})), "register"),
        (task("awsvpc", c("a", {"containerPort": 80}), c("b", {"containerPort": 80, "protocol": "${P}"})), "register"),
        (task("none", c("a", {"containerPort": 80}), c("b", {"containerPort": 80})), "register"),
        ({"containerDefinitions": [c("a", {"hostPort": 80}), c("b", {"hostPort": 80})]}, "containers"),
    ],
)  # fmt: skip
def test_host_port_conflict_silent(data: dict[str, JSON], origin: str) -> None:
    assert run(host_port_conflict, data, origin) == []


# -- ECS124 port-out-of-range --------------------------------------------------------------------------------


def test_port_out_of_range() -> None:
    ports = ({"containerPort": 0, "hostPort": 65536}, {"containerPort": 65535, "hostPort": 0}, {"containerPort": -80})
    data = task("bridge", c("app", *ports))
    assert run(port_out_of_range, data) == [
        (f"{P0}/0/containerPort", "containerPort", None),
        (f"{P0}/0/hostPort", "hostPort", None),
        (f"{P0}/2/containerPort", "containerPort", None),
    ]
    violation = next(iter(port_out_of_range(TaskDef(data))))
    assert violation.params == {"key": "containerPort", "port": 0}


def test_port_out_of_range_silent() -> None:
    ports = ({"containerPort": "80800"}, {"containerPort": True}, {"containerPort": 1, "hostPort": 1})
    assert run(port_out_of_range, task("bridge", c("app", *ports))) == []


# -- ECS125 invalid-container-port-range -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("8000:8010", "syntax"),
        ("8000", "syntax"),
        ("8000 - 8010", "syntax"),
        ("0-100", "bounds"),
        ("65000-70000", "bounds"),
        ("8010-8000", "order"),
        ("8000-8000", "order"),
    ],
)
def test_invalid_container_port_range(text: str, variant: str) -> None:
    data = task("awsvpc", c("app", {"containerPortRange": text}))
    assert run(invalid_container_port_range, data) == [(f"{P0}/0/containerPortRange", variant, None)]


@pytest.mark.parametrize("text", ["1-65535", "8000-8010", "${RANGE}"])
def test_valid_container_port_range(text: str) -> None:
    assert run(invalid_container_port_range, task("awsvpc", c("app", {"containerPortRange": text}))) == []


# -- ECS126 container-port-range-conflict ------------------------------------------------------------------------


def test_port_range_with_host_port_and_overlap() -> None:
    ports = (
        {"containerPort": 8005},
        {"containerPortRange": "8000-8010", "hostPort": 8000},
        {"containerPortRange": "8010-8020"},
        {"containerPortRange": "8010-8020", "protocol": "udp"},
        {"containerPortRange": "9000-8000"},
    )
    data = task("bridge", c("app", *ports))
    assert run(container_port_range_conflict, data) == [
        (f"{P0}/1/hostPort", "host-port", None),
        (f"{P0}/1/containerPortRange", "overlap", None),
        (f"{P0}/2/containerPortRange", "overlap", None),
    ]
    found = list(container_port_range_conflict(TaskDef(data)))
    assert found[1].params["other"] == "containerPort 8005"
    assert found[2].params["other"] == "containerPortRange 8000-8010"


@pytest.mark.parametrize("mode", ["host", "none"])
def test_port_range_network_mode(mode: str) -> None:
    data = task(mode, c("app", {"containerPortRange": "8000-8010", "hostPort": 8000}))
    assert run(container_port_range_conflict, data) == [(f"{P0}/0/containerPortRange", "network-mode", None)]


def test_port_range_windows_default_mode() -> None:
    windows: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}
    data = task(None, c("app", {"containerPortRange": "8000-8010"}), **windows)
    assert run(container_port_range_conflict, data) == [(f"{P0}/0/containerPortRange", "network-mode", None)]


def test_too_many_port_ranges() -> None:
    ports = [{"containerPortRange": f"{1000 + 10 * i}-{1005 + 10 * i}"} for i in range(102)]
    data = task("awsvpc", c("app", *ports))
    assert run(container_port_range_conflict, data) == [(f"{P0}/100/containerPortRange", "too-many", None)]


def test_port_range_overlaps_are_found_in_linear_steps() -> None:
    # every range was compared with every port and range before it
    def work(count: int) -> int:
        singles = [{"containerPort": 1 + 2 * i} for i in range(count)]
        ranges = [{"containerPortRange": f"{40000 + 2 * i}-{40001 + 2 * i}"} for i in range(count)]
        data = task("awsvpc", c("app", *singles, *ranges))
        return steps(lambda: list(container_port_range_conflict(TaskDef(data))))

    grows_linearly(work, 400)
    ports = [
        {"containerPort": 9},
        {"containerPort": 5},
        *({"containerPortRange": f"{i}-{i + 1}"} for i in (1, 3, 4, 9)),
    ]
    found = list(container_port_range_conflict(TaskDef(task("awsvpc", c("app", *ports)))))
    assert [(v.pointer, v.params["other"]) for v in found] == [
        (f"{P0}/4/containerPortRange", "containerPort 5"),
        (f"{P0}/5/containerPortRange", "containerPort 9"),
    ]


def test_port_range_silent_when_mode_unknown_only_for_mode() -> None:
    data = task("${MODE}", c("app", {"containerPortRange": "8000-8010"}))
    assert run(container_port_range_conflict, data) == []


# -- ECS127-ECS129 members a network mode forbids --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["awsvpc", "host", "none"])
def test_links_outside_bridge(mode: str) -> None:
    data = task(mode, c("web", links=["app"]), c("app", links=[]))
    assert run(links_outside_bridge_mode, data) == [("/containerDefinitions/0/links", "default", None)]
    (violation,) = links_outside_bridge_mode(TaskDef(data))
    assert violation.params == {"container": "web", "networkMode": mode}


def test_links_on_windows_default_mode() -> None:
    windows: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"}}
    data = task(None, c("web", links=["app"]), **windows)
    assert run(links_outside_bridge_mode, data) == [("/containerDefinitions/0/links", "default", None)]


@pytest.mark.parametrize(
    ("data", "origin"),
    [
        (task("bridge", c("web", links=["app"])), "register"),
        (task(None, c("web", links=["app"])), "register"),
        (task("awsvpc", c("web", links="${LINKS}")), "register"),
        ({"containerDefinitions": [c("web", links=["app"])]}, "containers"),
    ],
)
def test_links_silent(data: dict[str, JSON], origin: str) -> None:
    assert run(links_outside_bridge_mode, data, origin) == []


def test_hostname_with_awsvpc() -> None:
    data = task("awsvpc", c("web", hostname="web01"), c("b", hostname=""))
    assert run(hostname_with_awsvpc, data) == [("/containerDefinitions/0/hostname", "default", None)]
    for mode in ("bridge", "host", "none", None):
        assert run(hostname_with_awsvpc, task(mode, c("web", hostname="web01"))) == []


def test_extra_hosts_with_awsvpc() -> None:
    hosts: JSON = [{"hostname": "db", "ipAddress": "10.0.0.5"}]
    data = task("awsvpc", c("web", extraHosts=hosts))
    assert run(extra_hosts_with_awsvpc, data) == [("/containerDefinitions/0/extraHosts", "default", None)]
    assert run(extra_hosts_with_awsvpc, task("bridge", c("web", extraHosts=hosts))) == []


# -- ECS130 reserved-host-port ----------------------------------------------------------------------------------------


def test_reserved_host_port_bridge() -> None:
    ports = ({"containerPort": 22, "hostPort": 22}, {"containerPort": 80, "hostPort": 51679}, {"containerPort": 2375})
    data = task("bridge", c("app", *ports))
    assert run(reserved_host_port, data) == [
        (f"{P0}/0/hostPort", "default", None),
        (f"{P0}/1/hostPort", "default", None),
    ]
    violation = list(reserved_host_port(TaskDef(data)))[1]
    assert violation.params == {"port": 51679, "owner": "the ECS agent (credentials endpoint)", "container": "app"}


def test_reserved_host_port_host_mode() -> None:
    data = task("host", c("app", {"containerPort": 2376}))
    assert run(reserved_host_port, data) == [(f"{P0}/0/containerPort", "default", None)]


@pytest.mark.parametrize("mode", ["awsvpc", "none"])
def test_reserved_host_port_silent(mode: str) -> None:
    assert run(reserved_host_port, task(mode, c("app", {"containerPort": 22}))) == []


# -- ECS131 invalid-port-mapping-name -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "variant", "substring"),
    [
        ("Web", "characters", (0, 1)),
        ("web.http", "characters", (3, 4)),
        ("-web", "leading-hyphen", (0, 1)),
        ("w" * 65, "too-long", (64, 65)),
        ("", "empty", None),
    ],
)
def test_invalid_port_mapping_name(name: str, variant: str, substring: tuple[int, int] | None) -> None:
    data = task("awsvpc", c("app", {"name": name, "containerPort": 80}))
    assert run(invalid_port_mapping_name, data) == [(f"{P0}/0/name", variant, substring)]


@pytest.mark.parametrize("name", ["web", "web-8080-tcp", "_x", "a" * 64, "${NAME}", "9"])
def test_valid_port_mapping_name(name: str) -> None:
    assert run(invalid_port_mapping_name, task("awsvpc", c("app", {"name": name, "containerPort": 80}))) == []


# -- no check raises on task-shaped data ---------------------------------------------------------------

_SCALAR = st.none() | st.booleans() | st.integers(-(2**20), 2**20) | st.text(max_size=8)
_ANY = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner))
_PORT = st.integers(-5, 70000) | st.sampled_from([22, 80, 51678]) | _SCALAR
_MAPPING = st.fixed_dictionaries(
    {},
    optional={
        "containerPort": _PORT,
        "hostPort": _PORT,
        "protocol": st.sampled_from(["tcp", "udp", "${P}"]) | _SCALAR,
        "containerPortRange": st.sampled_from(["1-2", "8000-8010", "9-1", "x", "0-70000"]) | _SCALAR,
        "name": st.text(max_size=70) | _SCALAR,
    },
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _SCALAR,
        "portMappings": st.lists(_MAPPING | _ANY, max_size=4) | _ANY,
        "links": _ANY,
        "hostname": _ANY,
        "extraHosts": _ANY,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "family": _SCALAR,
        "networkMode": st.sampled_from(["bridge", "host", "awsvpc", "none"]) | _SCALAR,
        "runtimePlatform": _ANY,
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=3) | _ANY,
    },
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "describe", "cloudformation", "containers"]))
def test_network_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for check in CHECKS:
        for violation in check(TaskDef(data, origin)):
            assert isinstance(violation, Violation)
