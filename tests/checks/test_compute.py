"""Tests for ecslint.checks.compute: ECS104-ECS115."""

from __future__ import annotations

import pytest
from check_helpers import Check, Found, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.checks.compute import (
    container_cpu_exceeds_task,
    container_memory_exceeds_task,
    container_memory_too_small,
    ephemeral_storage_ignored,
    invalid_task_cpu_form,
    memory_below_reservation,
    missing_container_memory,
    no_memory_hard_limit,
    oversized_fargate_task,
    task_cpu_out_of_range,
    too_many_placement_constraints,
    windows_task_level_size_only,
)
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import TaskDef

CHECKS: tuple[Check, ...] = (
    task_cpu_out_of_range,
    memory_below_reservation,
    container_memory_exceeds_task,
    container_cpu_exceeds_task,
    missing_container_memory,
    container_memory_too_small,
    no_memory_hard_limit,
    oversized_fargate_task,
    ephemeral_storage_ignored,
    windows_task_level_size_only,
    invalid_task_cpu_form,
    too_many_placement_constraints,
)
WINDOWS: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}


def c(name: str = "app", **members: JSON) -> dict[str, JSON]:
    return {"name": name, "image": "example/app:1.0.0", **members}


def ec2(*containers: dict[str, JSON], **members: JSON) -> dict[str, JSON]:
    return {"family": "app", "requiresCompatibilities": ["EC2"], "containerDefinitions": list(containers), **members}


def fargate(*containers: dict[str, JSON], **members: JSON) -> dict[str, JSON]:
    data: dict[str, JSON] = {
        "family": "app",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": list(containers),
    }
    data.update(members)
    return data


# -- ECS104 task-cpu-out-of-range ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpu", "expected"),
    [
        ("64", [("/cpu", "low", None)]),
        ("196609", [("/cpu", "high", None)]),
        ("200 vCPU", [("/cpu", "high", None)]),
        ("128", []),
        ("196608", []),
        ("4 vCPU", []),
        ("${CPU}", []),
        ({"Ref": "Cpu"}, []),
        ("lots", []),
        (True, []),
    ],
)
def test_task_cpu_range(cpu: JSON, expected: list[Found]) -> None:
    assert run(task_cpu_out_of_range, ec2(cpu=cpu)) == expected


def test_task_cpu_params() -> None:
    (violation,) = task_cpu_out_of_range(TaskDef(ec2(cpu="64")))
    assert violation.params == {"cpu": 64, "minimum": 128, "maximum": 196608}


def test_task_cpu_range_other_launch_types() -> None:
    for launch in ("EXTERNAL", "MANAGED_INSTANCES"):
        assert run(task_cpu_out_of_range, ec2(cpu="64", requiresCompatibilities=[launch])) == [("/cpu", "low", None)]
    # absent requiresCompatibilities means EC2 in a full definition
    assert run(task_cpu_out_of_range, {"family": "app", "cpu": "64"}) == [("/cpu", "low", None)]


@pytest.mark.parametrize(
    "data",
    [
        fargate(cpu="64"),
        ec2(cpu="64", requiresCompatibilities=["EC2", "FARGATE"]),
        ec2(cpu="64", requiresCompatibilities=[{"Ref": "Launch"}]),
        {"cpu": "64"},  # a fragment: the launch type is set elsewhere
    ],
)
def test_task_cpu_range_silent(data: dict[str, JSON]) -> None:
    assert run(task_cpu_out_of_range, data) == []


# -- ECS105 memory-below-reservation ------------------------------------------------------------


def test_memory_below_reservation() -> None:
    data = ec2(c(memory=256, memoryReservation=512), c("b", memory=512, memoryReservation=512))
    assert run(memory_below_reservation, data) == [("/containerDefinitions/0/memory", "default", None)]
    (violation,) = memory_below_reservation(TaskDef(data))
    assert violation.params == {"container": "app", "memory": 256, "memoryReservation": 512}


@pytest.mark.parametrize(
    "container",
    [
        c(memory=1024, memoryReservation=512),
        c(memory="${MEMORY}", memoryReservation=512),
        c(memory=True, memoryReservation=512),
        c(memoryReservation=512),
        c(memory=128),
    ],
)
def test_memory_below_reservation_silent(container: dict[str, JSON]) -> None:
    assert run(memory_below_reservation, ec2(container)) == []


# -- ECS106 container-memory-exceeds-task -------------------------------------------------------


def test_container_memory_above_task() -> None:
    data = fargate(c(memory=1024), c("b", memory=2048))
    assert run(container_memory_exceeds_task, data) == [
        ("/containerDefinitions/0/memory", "container", None),
        ("/containerDefinitions/1/memory", "container", None),
    ]
    violation = next(iter(container_memory_exceeds_task(TaskDef(data))))
    assert violation.params == {"container": "app", "memory": 1024, "taskMemory": 512}


def test_container_sizes_against_a_task_size_fargate_does_not_offer_are_left_to_ecs102() -> None:
    # one mistake, the task size: ECS102 reports it, not also the containers that no longer fit
    assert run(container_memory_exceeds_task, fargate(c(cpu=256, memory=1536), cpu="1024", memory="1000")) == []
    assert run(container_cpu_exceeds_task, fargate(c(cpu=512), c("b", cpu=512), cpu="768", memory="2048")) == []
    assert run(container_cpu_exceeds_task, fargate(c(cpu=512), c("b", cpu=1024), cpu="1024", memory="2048")) == [
        ("/cpu", "default", None)
    ]
    assert run(container_cpu_exceeds_task, ec2(c(cpu=512), c("b", cpu=512), cpu="768")) == [("/cpu", "default", None)]


def test_reservations_above_task() -> None:
    data = ec2(c(memoryReservation=768), c("b", memory=512), memory="1024")
    assert run(container_memory_exceeds_task, data) == [("/memory", "sum", None)]
    (violation,) = container_memory_exceeds_task(TaskDef(data))
    assert violation.params == {"reserved": 1280, "taskMemory": 1024}


def test_single_reservation_above_task() -> None:
    data = ec2(c(memoryReservation=2048), memory="1 GB")
    assert run(container_memory_exceeds_task, data) == [("/memory", "sum", None)]


@pytest.mark.parametrize(
    "data",
    [
        ec2(c(memoryReservation=512, memory=1024), c("b", memoryReservation=512), memory="1024"),
        ec2(c(memory=1024), memory="1024"),
        ec2(c(memory=4096)),
        ec2(c(memory=4096), memory="${MEMORY}"),
        ec2(c(memoryReservation=1024), c("b", memoryReservation={"Ref": "Mem"}), memory="1024"),
        ec2(c(memoryReservation=900), c("b", memoryReservation="${MEM}"), memory="1024"),
        ec2(c(memory="2048"), memory="1024"),
    ],
)
def test_container_memory_exceeds_task_silent(data: dict[str, JSON]) -> None:
    assert run(container_memory_exceeds_task, data) == []


# -- ECS107 container-cpu-exceeds-task -------------------------------------------------------------


def test_container_cpu_sum_above_task() -> None:
    data = fargate(c(cpu=256), c("b", cpu=128))
    assert run(container_cpu_exceeds_task, data) == [("/cpu", "default", None)]
    (violation,) = container_cpu_exceeds_task(TaskDef(data))
    assert violation.params == {"total": 384, "taskCpu": 256}


def test_single_container_cpu_above_task() -> None:
    data = fargate(c(cpu=512), c("b"))
    assert run(container_cpu_exceeds_task, data) == [("/containerDefinitions/0/cpu", "container", None)]


@pytest.mark.parametrize(
    "data",
    [
        fargate(c(cpu=128), c("b", cpu=128)),
        fargate(c(cpu=0), c("b")),
        fargate(c(cpu=512), cpu="${CPU}"),
        fargate(c(cpu=256), c("b", cpu="${SIDE_CPU}")),
        ec2(c(cpu=4096, memory=512)),
        fargate(cpu=-1),  # ECS104 reports a task cpu below 1; no "0 exceeds -1" besides
    ],
)
def test_container_cpu_exceeds_task_silent(data: dict[str, JSON]) -> None:
    assert run(container_cpu_exceeds_task, data) == []


# -- ECS108 missing-container-memory ---------------------------------------------------------------


def test_missing_container_memory() -> None:
    data = ec2(c(), c("b", memoryReservation=128), c("c", memory=None))
    assert run(missing_container_memory, data) == [
        ("/containerDefinitions/0", "default", None),
        ("/containerDefinitions/2", "default", None),
    ]
    violation = next(iter(missing_container_memory(TaskDef(data))))
    assert violation.params == {"container": "app"}


def test_missing_container_memory_names_unnamed_container_by_position() -> None:
    (violation,) = missing_container_memory(TaskDef(ec2({"image": "nginx:1.27"})))
    assert violation.params == {"container": "#0"}


@pytest.mark.parametrize(
    ("data", "origin"),
    [
        (ec2(c(), memory="512"), "register"),
        (ec2(c(), memory="${MEMORY}"), "register"),
        (ec2(c(memory="${MEMORY}")), "register"),
        (fargate(c(), memory=None), "register"),  # ECS101 reports the task memory
        ({"containerDefinitions": [c()]}, "containers"),
        ({"containerDefinitions": [c()]}, "register"),  # no family: a fragment
    ],
)
def test_missing_container_memory_silent(data: dict[str, JSON], origin: str) -> None:
    assert run(missing_container_memory, data, origin) == []


def test_missing_container_memory_in_cloudformation_without_family() -> None:
    data: dict[str, JSON] = {"containerDefinitions": [c()]}
    assert run(missing_container_memory, data, "cloudformation") == [("/containerDefinitions/0", "default", None)]


# -- ECS109 container-memory-too-small ---------------------------------------------------------------


def test_container_memory_too_small() -> None:
    data = ec2(c(memory=4, memoryReservation=0), c("b", memory=6, memoryReservation=-1))
    assert run(container_memory_too_small, data) == [
        ("/containerDefinitions/0/memory", "default", None),
        ("/containerDefinitions/0/memoryReservation", "default", None),
        ("/containerDefinitions/1/memoryReservation", "default", None),
    ]
    violation = next(iter(container_memory_too_small(TaskDef(data))))
    assert violation.params == {"container": "app", "key": "memory", "value": 4}


def test_container_memory_too_small_silent() -> None:
    assert run(container_memory_too_small, ec2(c(memory=6), c("b", memory="1"), c("c", memory=False))) == []


# -- ECS110 no-memory-hard-limit -------------------------------------------------------------------


def test_no_memory_hard_limit() -> None:
    data = ec2(c(memoryReservation=256), c("b", memoryReservation=256, memory=512), c("c"))
    assert run(no_memory_hard_limit, data) == [("/containerDefinitions/0", "default", None)]


def test_no_memory_hard_limit_on_windows_ignores_task_memory() -> None:
    data = ec2(c(memoryReservation=256), memory="1024", **WINDOWS)
    assert run(no_memory_hard_limit, data) == [("/containerDefinitions/0", "default", None)]


@pytest.mark.parametrize(
    ("data", "origin"),
    [
        (ec2(c(memoryReservation=256), memory="1024"), "register"),
        (fargate(c(memoryReservation=256)), "register"),
        ({"containerDefinitions": [c(memoryReservation=256)]}, "containers"),
        (ec2(c(memoryReservation=256), requiresCompatibilities="EC2"), "register"),
    ],
)
def test_no_memory_hard_limit_silent(data: dict[str, JSON], origin: str) -> None:
    assert run(no_memory_hard_limit, data, origin) == []


# -- ECS111 oversized-fargate-task --------------------------------------------------------------------


def test_oversized_fargate_task() -> None:
    data = fargate(c(memoryReservation=512), c("b", memory=256), cpu="1024", memory="8192")
    assert run(oversized_fargate_task, data) == [("/memory", "default", None)]
    (violation,) = oversized_fargate_task(TaskDef(data))
    assert violation.params == {"memory": 8192, "needed": 768, "cpu": 1024, "suggested": 2048}


def test_oversized_uses_the_largest_hard_limit() -> None:
    data = fargate(c(memoryReservation=128, memory=3000), cpu="1024", memory="16 GB")
    assert run(oversized_fargate_task, data) == []  # 16 GB is not a 1 vCPU size: ECS102's business
    data = fargate(c(memoryReservation=128, memory=3000), cpu="2048", memory="16384")
    (violation,) = oversized_fargate_task(TaskDef(data))
    assert violation.params["needed"] == 3000 and violation.params["suggested"] == 4096


@pytest.mark.parametrize(
    "data",
    [
        fargate(c(memoryReservation=512), c("b"), cpu="1024", memory="8192"),  # b states no size
        fargate(c(memoryReservation=600), cpu="1024", memory="2048"),  # not four times
        fargate(c(memoryReservation=100), cpu="256", memory="512"),  # nothing smaller on the row
        fargate(c(memoryReservation=512), cpu="1024", memory="${MEMORY}"),
        fargate(c(memoryReservation=512), cpu="${CPU}", memory="8192"),
        fargate(c(memoryReservation=512, memory="${M}"), cpu="1024", memory="8192"),
        fargate(c(memoryReservation=0), cpu="1024", memory="8192"),
        fargate(cpu="1024", memory="8192"),
        ec2(c(memoryReservation=512), cpu="1024", memory="8192"),
    ],
)
def test_oversized_fargate_task_silent(data: dict[str, JSON]) -> None:
    assert run(oversized_fargate_task, data) == []


# -- ECS112 ephemeral-storage-ignored -------------------------------------------------------------------


def test_ephemeral_storage_on_ec2() -> None:
    data = ec2(c(memory=512), ephemeralStorage={"sizeInGiB": 50}, requiresCompatibilities=["EC2", "EXTERNAL"])
    assert run(ephemeral_storage_ignored, data) == [("/ephemeralStorage", "default", None)]
    (violation,) = ephemeral_storage_ignored(TaskDef(data))
    assert violation.params == {"launchTypes": "EC2, EXTERNAL"}


@pytest.mark.parametrize(
    "data",
    [
        fargate(ephemeralStorage={"sizeInGiB": 50}),
        ec2(ephemeralStorage={"sizeInGiB": 50}, requiresCompatibilities=["EC2", "FARGATE"]),
        ec2(ephemeralStorage={"Ref": "Storage"}),
        ec2(),
    ],
)
def test_ephemeral_storage_silent(data: dict[str, JSON]) -> None:
    assert run(ephemeral_storage_ignored, data) == []


# -- ECS113 windows-task-level-size-only ------------------------------------------------------------------


def test_windows_task_level_size_only() -> None:
    data = ec2(c(cpu=512), c("b", memoryReservation=512), cpu="1024", memory="2048", **WINDOWS)
    assert run(windows_task_level_size_only, data) == [("/cpu", "cpu", None), ("/memory", "memory", None)]
    cpu, memory = windows_task_level_size_only(TaskDef(data))
    assert cpu.params == {"key": "cpu", "containers": "b"}
    assert memory.params == {"key": "memory", "containers": "app"}


@pytest.mark.parametrize(
    "data",
    [
        ec2(c(cpu=512, memory=512), cpu="1024", memory="2048", **WINDOWS),
        ec2(c(), cpu="1024", memory="2048"),  # Linux
        fargate(c(), cpu="1024", memory="2048", **WINDOWS),  # Fargate uses the task size
        ec2(c(memory=512), **WINDOWS),
    ],
)
def test_windows_task_level_size_only_silent(data: dict[str, JSON]) -> None:
    assert run(windows_task_level_size_only, data) == []


# -- no check raises on task-shaped data ----------------------------------------------------------------

_SCALAR = st.none() | st.booleans() | st.integers(-(2**33), 2**33) | st.floats(allow_nan=False) | st.text(max_size=8)
_SIZE = st.integers(-10, 300000) | st.sampled_from(["256", "1 vCPU", "2 GB", "${X}", ""]) | _SCALAR
_ANY = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner))
# -- ECS114 invalid-task-cpu-form ------------------------------------------------------------------


@pytest.mark.parametrize("cpu", ["2 cores", "1024m", "2 CPU", "-1", "1,024"])
@pytest.mark.parametrize("launch", ["EC2", "EXTERNAL", "MANAGED_INSTANCES"])
def test_invalid_task_cpu_form(cpu: str, launch: str) -> None:
    data = ec2(c(memory=512), cpu=cpu, requiresCompatibilities=[launch])
    assert run(invalid_task_cpu_form, data) == [("/cpu", "default", None)]
    assert run(task_cpu_out_of_range, data) == []  # one finding for one mistake


@pytest.mark.parametrize(
    "cpu",
    ["1024", " 2048 ", "1024.0", "2 vCPU", "1 vcpu", "0.5 vCPU", "0.3 vCPU", "1 VCPU", "", "${CPU}", "{{ cpu }}", 1024],
)
def test_invalid_task_cpu_form_silent(cpu: JSON) -> None:
    """CPU units, vCPUs (in any spelling AWS may read), empty values and deploy-time values."""
    assert run(invalid_task_cpu_form, ec2(c(memory=512), cpu=cpu)) == []


def test_invalid_task_cpu_form_leaves_fargate_and_fragments_alone() -> None:
    assert run(invalid_task_cpu_form, fargate(c(), cpu="2 cores")) == []  # ECS102 cpu-form
    fragment: dict[str, JSON] = {"cpu": "2 cores", "containerDefinitions": [c(memory=512)]}
    assert run(invalid_task_cpu_form, fragment, "containers") == []


# -- ECS115 too-many-placement-constraints ---------------------------------------------------------


def _constraints(count: int) -> list[JSON]:
    return [{"type": "memberOf", "expression": f"attribute:rack == r{i}"} for i in range(count)]


def test_too_many_placement_constraints() -> None:
    data = ec2(c(memory=512), placementConstraints=_constraints(12))
    assert run(too_many_placement_constraints, data) == [("/placementConstraints/10", "default", None)]
    (violation,) = too_many_placement_constraints(TaskDef(data))
    assert violation.params == {"count": 12, "maximum": 10}


@pytest.mark.parametrize("value", [_constraints(10), _constraints(0), "${CONSTRAINTS}", None])
def test_too_many_placement_constraints_silent(value: JSON) -> None:
    assert run(too_many_placement_constraints, ec2(c(memory=512), placementConstraints=value)) == []


_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(max_size=5) | _ANY,
        "cpu": _SIZE,
        "memory": _SIZE,
        "memoryReservation": _SIZE,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "family": _SCALAR,
        "requiresCompatibilities": st.lists(st.sampled_from(["EC2", "FARGATE", "EXTERNAL"]), max_size=2) | _ANY,
        "cpu": _SIZE,
        "memory": _SIZE,
        "ephemeralStorage": _ANY,
        "runtimePlatform": st.fixed_dictionaries({"operatingSystemFamily": st.sampled_from(["LINUX", "WINDOWS_X"])})
        | _ANY,
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=3) | _ANY,
    },
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "describe", "cloudformation", "containers"]))
def test_compute_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for check in CHECKS:
        for violation in check(TaskDef(data, origin)):
            assert isinstance(violation, Violation)
