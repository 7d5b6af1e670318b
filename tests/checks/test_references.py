"""Tests for ecslint.checks.references: ECS231-ECS242."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import Check, Found, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.checks.references import (
    awsfirelens_without_firelens_configuration,
    container_names,
    dependency_cycle,
    duplicate_volume_name,
    essential_exit_dependency,
    firelens_configuration_without_awsfirelens,
    healthy_dependency_without_health_check,
    link_cycle,
    multiple_firelens_containers,
    unknown_dependency_container,
    unknown_link_container,
    unknown_mount_volume,
    unknown_proxy_container,
    unknown_volumes_from_container,
    volume_names,
)
from ecslint.core.model import JSON
from ecslint.core.pointer import MISSING, resolve
from ecslint.core.taskdef import TaskDef
from tests.test_cli import run as run_cli
from tests.workcount import calls, grows_linearly


def task(*items: JSON, **members: JSON) -> dict[str, JSON]:
    return {"family": "web", "containerDefinitions": list(items), **members}


def c(name: JSON, **members: JSON) -> dict[str, JSON]:
    return {"name": name, "image": "app:1", **members}


def deps(*pairs: tuple[str, str]) -> list[JSON]:
    return [{"containerName": name, "condition": condition} for name, condition in pairs]


C = "/containerDefinitions"


# -- what can be referred to ---------------------------------------------------------------------------


def test_container_names_known_only_when_every_name_is() -> None:
    assert container_names(TaskDef(task(c("a"), c("b"), {"image": "x"}))) == {"a", "b"}
    assert container_names(TaskDef(task(c("a"), c("${NAME}")))) is None
    assert container_names(TaskDef(task(c("a"), {"Fn::If": ["C", c("b"), {"Ref": "AWS::NoValue"}]}))) is None
    assert container_names(TaskDef(task(c("a"), "junk"))) is None
    assert container_names(TaskDef({"containerDefinitions": {"Ref": "Defs"}})) is None


def test_volume_names() -> None:
    assert volume_names(TaskDef(task())) == set()
    assert volume_names(TaskDef(task(volumes=[{"name": "a"}, {"host": {}}]))) == {"a"}
    assert volume_names(TaskDef(task(volumes=[{"name": {"Ref": "V"}}]))) is None
    assert volume_names(TaskDef(task(volumes={"Ref": "Volumes"}))) is None
    assert volume_names(TaskDef(task(), "containers")) is None  # declared elsewhere (Terraform)


# -- ECS231 unknown-dependency-container --------------------------------------------------------------------


def test_unknown_dependency() -> None:
    data = task(c("app", dependsOn=deps(("migrations", "SUCCESS"), ("migrate", "SUCCESS"))), c("migrate"))
    assert run(unknown_dependency_container, data) == [(f"{C}/0/dependsOn/0/containerName", "default", None)]
    (violation,) = unknown_dependency_container(TaskDef(data))
    assert violation.params == {"target": "migrations", "container": "app"}


@pytest.mark.parametrize(
    "data",
    [
        task(c("app", dependsOn=deps(("Migrate", "START"))), c("${NAME}")),
        task(c("app", dependsOn=deps(("${DEP}", "START")))),
        task(c("app", dependsOn=[{"containerName": {"Ref": "Dep"}, "condition": "START"}])),
        task(c("app", dependsOn="migrate")),
        task(c("app", dependsOn=deps(("app", "START")))),  # ECS232 reports self-dependency
    ],
)
def test_unknown_dependency_silent(data: dict[str, JSON]) -> None:
    assert run(unknown_dependency_container, data) == []


# -- ECS232 dependency-cycle ---------------------------------------------------------------------------------


def test_two_container_cycle_reported_once() -> None:
    data = task(c("app", dependsOn=deps(("proxy", "START"))), c("proxy", dependsOn=deps(("app", "START"))))
    assert run(dependency_cycle, data) == [(f"{C}/1/dependsOn/0/containerName", "default", None)]
    (violation,) = dependency_cycle(TaskDef(data))
    assert violation.params == {"container": "app", "cycle": "app -> proxy -> app"}


def test_three_container_cycle_and_a_tail() -> None:
    data = task(
        c("a", dependsOn=deps(("b", "START"))),
        c("b", dependsOn=deps(("c", "HEALTHY"))),
        c("c", dependsOn=deps(("d", "START"), ("a", "START"))),
        c("d"),
    )
    assert run(dependency_cycle, data) == [(f"{C}/2/dependsOn/1/containerName", "default", None)]
    (violation,) = dependency_cycle(TaskDef(data))
    assert violation.params["cycle"] == "a -> b -> c -> a"


def test_self_dependency() -> None:
    data = task(c("app", dependsOn=deps(("app", "START"))))
    assert run(dependency_cycle, data) == [(f"{C}/0/dependsOn/0/containerName", "self", None)]


@pytest.mark.parametrize(
    "data",
    [
        task(c("a", dependsOn=deps(("b", "START"), ("c", "START"))), c("b", dependsOn=deps(("c", "START"))), c("c")),
        task(c("a", dependsOn=deps(("missing", "START"))), c("missing2")),
        task(c("a", dependsOn=deps(("b", "START"))), c("b", dependsOn=deps(("a", "START"))), c("${X}")),
    ],
)
def test_no_cycle(data: dict[str, JSON]) -> None:
    assert run(dependency_cycle, data) == []


# -- ECS233 healthy-dependency-without-health-check, ECS234 essential-exit-dependency ------------------------


def test_healthy_without_health_check() -> None:
    data = task(
        c("app", dependsOn=deps(("db", "HEALTHY"), ("cache", "HEALTHY"), ("init", "START"))),
        c("db"),
        c("cache", healthCheck={"command": ["CMD", "redis-cli", "ping"]}),
        c("init"),
    )
    assert run(healthy_dependency_without_health_check, data) == [(f"{C}/0/dependsOn/0/condition", "default", None)]


def test_healthy_silent_when_unknown() -> None:
    data = task(c("app", dependsOn=deps(("db", "HEALTHY"))), c("db", healthCheck={"Ref": "HealthCheck"}))
    assert run(healthy_dependency_without_health_check, data) == []
    assert run(healthy_dependency_without_health_check, task(c("app", dependsOn=deps(("gone", "HEALTHY"))))) == []


@pytest.mark.parametrize(
    ("essential", "expected"),
    [
        (None, [(f"{C}/0/dependsOn/0/condition", "default", None), (f"{C}/0/dependsOn/1/condition", "default", None)]),
        (True, [(f"{C}/0/dependsOn/0/condition", "default", None), (f"{C}/0/dependsOn/1/condition", "default", None)]),
        (False, []),
        ("${ESSENTIAL}", []),
    ],
)
def test_exit_condition_on_essential(essential: JSON, expected: list[Found]) -> None:
    init = c("init") if essential is None else c("init", essential=essential)
    data = task(c("app", dependsOn=deps(("init", "SUCCESS"), ("init", "COMPLETE"), ("init", "START"))), init)
    assert run(essential_exit_dependency, data) == expected


def test_link_cycle() -> None:
    data = task(c("app", links=["cache"]), c("cache", links=["app:backend"]), c("other", links=["app"]))
    assert run(link_cycle, data) == [(f"{C}/1/links/0", "default", None)]
    (violation,) = link_cycle(TaskDef(data))
    assert violation.params == {"container": "app", "cycle": "app -> cache -> app"}
    assert run(link_cycle, task(c("app", links=["app"]))) == [(f"{C}/0/links/0", "default", None)]


@pytest.mark.parametrize(
    "data",
    [
        task(c("app", links=["cache"]), c("cache")),
        task(c("app", links=["cache"]), c("cache", links=["gone", "${LINK}"])),
        task(c("app", links=["cache"]), c("cache", links=["app"]), networkMode="awsvpc"),  # ECS127's
    ],
)
def test_link_cycle_silent(data: dict[str, JSON]) -> None:
    assert run(link_cycle, data) == []


def test_a_container_depending_on_itself_is_left_to_ecs232() -> None:
    data = task(c("app", dependsOn=deps(("app", "SUCCESS"), ("app", "HEALTHY"))))
    assert run(essential_exit_dependency, data) == []
    assert run(healthy_dependency_without_health_check, data) == []
    assert [v.variant for v in dependency_cycle(TaskDef(data))] == ["self", "self"]


# -- ECS235 unknown-volumes-from-container, ECS238 unknown-link-container --------------------------------------


def test_unknown_volumes_from() -> None:
    data = task(c("app"), c("proxy", volumesFrom=[{"sourceContainer": "application"}, {"sourceContainer": "app"}]))
    assert run(unknown_volumes_from_container, data) == [(f"{C}/1/volumesFrom/0/sourceContainer", "default", None)]
    assert run(unknown_volumes_from_container, task(c("p", volumesFrom=[{"sourceContainer": "x"}]), c("${N}"))) == []


def test_links() -> None:
    data = task(
        c("app", links=["redis-cache:cache", "db:data.base", "db", "redis:cache", ":x", "db:", "${LINK}", 5]),
        c("redis"),
        c("db"),
    )
    assert run(unknown_link_container, data) == [
        (f"{C}/0/links/0", "default", (0, 11)),
        (f"{C}/0/links/1", "alias", (3, 12)),
        (f"{C}/0/links/4", "default", (0, 2)),
        (f"{C}/0/links/5", "alias", (2, 3)),
    ]


# -- ECS236 unknown-mount-volume, ECS237 duplicate-volume-name -----------------------------------------------------


def test_unknown_mount_volume() -> None:
    mounts = [{"sourceVolume": "static"}, {"sourceVolume": "static-files"}, {"sourceVolume": ""}]
    data = task(c("app", mountPoints=mounts), volumes=[{"name": "static-files"}])
    assert run(unknown_mount_volume, data) == [(f"{C}/0/mountPoints/0/sourceVolume", "default", None)]
    (violation,) = unknown_mount_volume(TaskDef(data))
    assert violation.params == {"volume": "static", "container": "app", "volumes": "static-files"}


def test_mount_without_any_volumes() -> None:
    data = task(c("app", mountPoints=[{"sourceVolume": "data"}]))
    assert run(unknown_mount_volume, data) == [(f"{C}/0/mountPoints/0/sourceVolume", "default", None)]
    assert run(unknown_mount_volume, data, origin="containers") == []


def test_duplicate_volume_names() -> None:
    data = task(volumes=[{"name": "data"}, {"name": "logs"}, {"name": "data"}, {"name": "${V}"}, {"name": "${V}"}])
    assert run(duplicate_volume_name, data) == [("/volumes/2/name", "default", None)]
    assert run(duplicate_volume_name, task(volumes={"Ref": "V"})) == []


# -- ECS239 unknown-proxy-container ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxy", "expected"),
    [
        ({"type": "APPMESH", "containerName": "envoy-proxy"}, [("/proxyConfiguration/containerName", "default", None)]),
        ({"type": "APPMESH", "containerName": "envoy"}, []),
        ({"type": "APPMESH", "containerName": {"Ref": "Proxy"}}, []),
        ({"type": "APPMESH"}, []),
        ("envoy", []),
    ],
)
def test_unknown_proxy_container(proxy: JSON, expected: list[Found]) -> None:
    assert run(unknown_proxy_container, task(c("app"), c("envoy"), proxyConfiguration=proxy)) == expected


# -- ECS240-ECS242 FireLens ------------------------------------------------------------------------------------------

FIRELENS_LOG: JSON = {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs"}}
AWSLOGS: JSON = {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}
ROUTER: JSON = {"type": "fluentbit"}


def test_awsfirelens_without_router() -> None:
    data = task(c("app", logConfiguration=FIRELENS_LOG), c("worker", logConfiguration=FIRELENS_LOG), c("x"))
    assert run(awsfirelens_without_firelens_configuration, data) == [
        (f"{C}/0/logConfiguration/logDriver", "default", None),
        (f"{C}/1/logConfiguration/logDriver", "default", None),
    ]
    data = task(c("app", logConfiguration=FIRELENS_LOG), c("router", firelensConfiguration=ROUTER))
    assert run(awsfirelens_without_firelens_configuration, data) == []
    data = task(c("app", logConfiguration=FIRELENS_LOG), {"Fn::If": ["WithRouter", c("router"), "x"]})
    assert run(awsfirelens_without_firelens_configuration, data) == []


def test_router_without_awsfirelens() -> None:
    data = task(c("app", logConfiguration=AWSLOGS), c("router", firelensConfiguration=ROUTER))
    assert run(firelens_configuration_without_awsfirelens, data) == [(f"{C}/1/firelensConfiguration", "default", None)]
    unknown = task(c("app", logConfiguration={"logDriver": "${DRIVER}"}), c("router", firelensConfiguration=ROUTER))
    assert run(firelens_configuration_without_awsfirelens, unknown) == []
    used = task(c("app", logConfiguration=FIRELENS_LOG), c("router", firelensConfiguration=ROUTER))
    assert run(firelens_configuration_without_awsfirelens, used) == []
    # a configuration known only at deploy time ("firelensConfiguration": <FIRELENS>) may be null then
    placeholder = task(c("app", logConfiguration=AWSLOGS), c("router", firelensConfiguration="${FIRELENS}"))
    assert run(firelens_configuration_without_awsfirelens, placeholder) == []


def test_multiple_routers() -> None:
    data = task(
        c("app", logConfiguration=FIRELENS_LOG),
        c("r1", firelensConfiguration=ROUTER),
        c("r2", firelensConfiguration={"type": "fluentd"}),
    )
    assert run(multiple_firelens_containers, data) == [(f"{C}/2/firelensConfiguration", "default", None)]
    assert run(multiple_firelens_containers, task(c("r1", firelensConfiguration=ROUTER))) == []


# -- never raises ------------------------------------------------------------------------------------------------------

_TEXT = st.sampled_from(["", "a", "b", "app", "${X}", "a:b", "b:", ":", "HEALTHY", "SUCCESS", "awsfirelens"])
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | _TEXT | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_DEP = st.fixed_dictionaries({}, optional={"containerName": _TEXT | _ANY, "condition": _TEXT | _ANY})
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT | _ANY,
        "essential": st.booleans() | _ANY,
        "dependsOn": st.lists(_DEP | _ANY, max_size=3) | _ANY,
        "volumesFrom": st.lists(st.fixed_dictionaries({"sourceContainer": _TEXT | _ANY}), max_size=2) | _ANY,
        "mountPoints": st.lists(st.fixed_dictionaries({"sourceVolume": _TEXT | _ANY}), max_size=2) | _ANY,
        "links": st.lists(_TEXT | _ANY, max_size=3) | _ANY,
        "healthCheck": _ANY,
        "logConfiguration": st.fixed_dictionaries({"logDriver": _TEXT | _ANY}) | _ANY,
        "firelensConfiguration": _ANY,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=4) | _ANY,
        "volumes": st.lists(st.fixed_dictionaries({}, optional={"name": _TEXT | _ANY}) | _ANY, max_size=3) | _ANY,
        "proxyConfiguration": st.fixed_dictionaries({}, optional={"containerName": _TEXT | _ANY}) | _ANY,
    },
)
_CHECKS: tuple[Check, ...] = (
    unknown_dependency_container,
    dependency_cycle,
    healthy_dependency_without_health_check,
    essential_exit_dependency,
    unknown_volumes_from_container,
    unknown_link_container,
    unknown_mount_volume,
    duplicate_volume_name,
    unknown_proxy_container,
    awsfirelens_without_firelens_configuration,
    firelens_configuration_without_awsfirelens,
    multiple_firelens_containers,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "containers", "cloudformation"]))
def test_reference_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for check in _CHECKS:
        for violation in check(TaskDef(data, origin)):
            target = resolve(data, violation.pointer)
            assert target is not MISSING, (check.__name__, violation)
            if violation.substring is not None:
                start, end = violation.substring
                assert isinstance(target, str) and 0 <= start < end <= len(target), (check.__name__, violation)


# -- long dependsOn chains: linear steps, no recursion limit -------------------------------------------------


def _chain(length: int, back_every: int = 0) -> dict[str, JSON]:
    """c0 -> c1 -> ... -> c<length-1> (dependsOn); with ``back_every``, every so many also depend on c0."""
    containers = []
    for i in range(length):
        targets = [(f"c{i + 1}", "HEALTHY")] if i + 1 < length else []
        if back_every and i and i % back_every == 0:
            targets.append(("c0", "START"))
        containers.append(c(f"c{i}", dependsOn=deps(*targets)) if targets else c(f"c{i}"))
    return task(*containers)


def test_a_chain_of_thousands_of_containers_is_walked_without_recursion() -> None:
    data = _chain(5000, back_every=4999)  # deeper than Python's recursion limit
    (violation,) = dependency_cycle(TaskDef(data))
    assert violation.pointer == f"{C}/4999/dependsOn/0/containerName"
    assert (
        violation.params["cycle"]
        == "c0 -> c1 -> c2 -> c3 -> c4 -> c5 -> ... (4989 more) -> c4995 -> c4996 -> c4997 -> c4998 -> c4999 -> c0"
    )


@pytest.mark.parametrize(
    "check", [dependency_cycle, healthy_dependency_without_health_check, essential_exit_dependency]
)
def test_dependency_checks_take_linear_steps(check: Check) -> None:
    # each dependency was found by searching every container by name, and the DFS path by value
    grows_linearly(lambda n: calls(lambda: list(check(TaskDef(_chain(n, back_every=3))))), 200)


def test_a_long_dependency_chain_end_to_end(tmp_path: Path) -> None:
    # the console script: ECS232 used to end in "internal error ... RecursionError", exit 2
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(_chain(3000, back_every=2999)))
    completed = run_cli("check", "--no-config", "--select", "ECS232", "--format", "json", str(path))
    assert completed.returncode == 1, completed.stderr
    assert [f["rule"] for f in json.loads(completed.stdout)["findings"]] == ["ECS232"]
