"""Tests for ecslint.checks.fargate: ECS101, ECS102, ECS103."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from ecslint.checks.fargate import (
    FARGATE_SIZES,
    FARGATE_WINDOWS_CPUS,
    fargate_requires_awsvpc,
    format_values,
    missing_fargate_task_size,
    unsupported_fargate_size,
)
from ecslint.model import JSON, Violation
from ecslint.taskdef import TaskDef

Check = Callable[[TaskDef], Iterable[Violation]]


def run(check: Check, data: dict[str, JSON]) -> list[tuple[str, str]]:
    return [(v.pointer, v.variant) for v in check(TaskDef(data))]


def fargate(**members: JSON) -> dict[str, JSON]:
    return {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", **members}


# -- the table ----------------------------------------------------------------------------


def test_table_matches_aws_facts() -> None:
    assert FARGATE_SIZES[256] == (512, 1024, 2048)
    assert FARGATE_SIZES[512] == (1024, 2048, 3072, 4096)
    assert FARGATE_SIZES[1024] == (2048, 3072, 4096, 5120, 6144, 7168, 8192)
    assert len(FARGATE_SIZES[2048]) == 13 and FARGATE_SIZES[2048][-1] == 16384
    assert len(FARGATE_SIZES[4096]) == 23 and FARGATE_SIZES[4096][-1] == 30720
    assert len(FARGATE_SIZES[8192]) == 12 and FARGATE_SIZES[8192][1] - FARGATE_SIZES[8192][0] == 4096
    assert len(FARGATE_SIZES[16384]) == 12 and FARGATE_SIZES[16384][-1] == 122880
    assert FARGATE_WINDOWS_CPUS == (1024, 2048, 4096)


def test_format_values() -> None:
    assert format_values((512, 1024, 2048)) == "512, 1024, 2048"
    assert format_values(FARGATE_SIZES[4096]) == "8192, 9216, 10240 ... 30720 (every 1024)"


# -- ECS101 missing-fargate-task-size ------------------------------------------------------


def test_missing_cpu_and_memory() -> None:
    assert run(missing_fargate_task_size, fargate()) == [("", "cpu"), ("", "memory")]


def test_missing_memory_only() -> None:
    assert run(missing_fargate_task_size, fargate(cpu="256")) == [("", "memory")]


def test_empty_and_null_count_as_missing() -> None:
    assert run(missing_fargate_task_size, fargate(cpu="", memory=None)) == [("", "cpu"), ("", "memory")]


def test_params_name_the_member() -> None:
    (violation,) = missing_fargate_task_size(TaskDef(fargate(memory="512")))
    assert violation.params == {"member": "cpu"}


def test_fargate_with_ec2_still_needs_a_size() -> None:
    data = fargate(requiresCompatibilities=["EC2", "FARGATE"], memory="512")
    assert run(missing_fargate_task_size, data) == [("", "cpu")]


@pytest.mark.parametrize(
    "data",
    [
        {"family": "web"},
        {"requiresCompatibilities": ["EC2"]},
        {"requiresCompatibilities": [{"Ref": "LaunchType"}]},
        {"requiresCompatibilities": "FARGATE"},
        fargate(cpu="256", memory="512"),
        fargate(cpu={"Ref": "Cpu"}, memory="${MEMORY}"),
    ],
)
def test_missing_size_silent(data: dict[str, JSON]) -> None:
    assert run(missing_fargate_task_size, data) == []


# -- ECS102 unsupported-fargate-size --------------------------------------------------------


@pytest.mark.parametrize(("cpu", "memory"), [(c, m) for c, ms in FARGATE_SIZES.items() for m in ms])
def test_every_table_pair_is_accepted(cpu: int, memory: int) -> None:
    assert run(unsupported_fargate_size, fargate(cpu=str(cpu), memory=str(memory))) == []


@pytest.mark.parametrize(
    ("cpu", "memory"),
    [
        ("1 vCPU", "2 GB"),
        ("1 vcpu", "2GB"),
        ("2 VCPU", "4 gb"),
        ("0.25 vCPU", "0.5 GB"),
        (".25 vcpu", ".5 gb"),
        ("4096", "30 GB"),
        (1024, 2048),
    ],
)
def test_unit_forms_are_converted(cpu: JSON, memory: JSON) -> None:
    assert run(unsupported_fargate_size, fargate(cpu=cpu, memory=memory)) == []


def test_memory_not_offered_with_cpu() -> None:
    (violation,) = unsupported_fargate_size(TaskDef(fargate(cpu="256", memory="4096")))
    assert (violation.pointer, violation.variant) == ("/memory", "default")
    assert violation.params["cpu"] == 256 and violation.params["memory"] == 4096
    assert violation.params["allowed"] == "512, 1024, 2048"


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [
        ("256", "3072", [("/memory", "default")]),
        ("512", "512", [("/memory", "default")]),
        ("1 vCPU", "1 GB", [("/memory", "default")]),
        ("2048", "4192", [("/memory", "default")]),
        ("8192", "18432", [("/memory", "default")]),
        ("384", "1024", [("/cpu", "cpu")]),
        ("128", "512", [("/cpu", "cpu")]),
        ("32768", "65536", [("/cpu", "cpu")]),
        ("0", "512", [("/cpu", "cpu")]),
        ("1.5 vCPU", "3 GB", [("/cpu", "cpu")]),
        ("0.3 vCPU", "1 GB", [("/cpu", "cpu-form")]),
        ("one", "512", [("/cpu", "cpu-form")]),
        ("256", "0.3 GB", [("/memory", "memory-form")]),
        ("256", "512 MiB", [("/memory", "memory-form")]),
        ("lots", "lots", [("/cpu", "cpu-form"), ("/memory", "memory-form")]),
    ],
)
def test_unsupported_sizes(cpu: str, memory: str, expected: list[tuple[str, str]]) -> None:
    assert run(unsupported_fargate_size, fargate(cpu=cpu, memory=memory)) == expected


def test_windows_only_offers_one_to_four_vcpu() -> None:
    windows: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}
    assert run(unsupported_fargate_size, fargate(cpu="512", memory="1024", **windows)) == [("/cpu", "windows-cpu")]
    assert run(unsupported_fargate_size, fargate(cpu="8192", memory="16384", **windows)) == [("/cpu", "windows-cpu")]
    assert run(unsupported_fargate_size, fargate(cpu="384", memory="1024", **windows)) == [("/cpu", "cpu")]
    assert run(unsupported_fargate_size, fargate(cpu="1024", memory="2048", **windows)) == []
    (violation,) = unsupported_fargate_size(TaskDef(fargate(cpu="256", memory="512", **windows)))
    assert violation.params["allowed"] == "1024, 2048, 4096"


@pytest.mark.parametrize(
    "data",
    [
        {"requiresCompatibilities": ["EC2"], "cpu": "384", "memory": "700"},
        fargate(cpu="${CPU}", memory="${MEMORY}"),
        fargate(cpu={"Ref": "Cpu"}, memory={"Fn::FindInMap": ["Sizes", "web", "memory"]}),
        fargate(cpu="{{ .cpu }}", memory="512"),
        fargate(cpu=True, memory=[512]),
        fargate(cpu="256"),
        fargate(memory="4096"),
    ],
)
def test_unsupported_size_silent(data: dict[str, JSON]) -> None:
    assert run(unsupported_fargate_size, data) == []


def test_unknown_cpu_still_checks_memory_form() -> None:
    assert run(unsupported_fargate_size, fargate(cpu="${CPU}", memory="huge")) == [("/memory", "memory-form")]


# -- ECS103 fargate-requires-awsvpc --------------------------------------------------------


def test_network_mode_missing() -> None:
    data: dict[str, JSON] = {"requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512"}
    assert run(fargate_requires_awsvpc, data) == [("", "missing")]


@pytest.mark.parametrize("mode", ["bridge", "host", "none"])
def test_network_mode_not_awsvpc(mode: str) -> None:
    (violation,) = fargate_requires_awsvpc(TaskDef(fargate(networkMode=mode)))
    assert (violation.pointer, violation.variant, violation.params) == (
        "/networkMode",
        "default",
        {"networkMode": mode},
    )


@pytest.mark.parametrize(
    "data",
    [
        fargate(),
        fargate(networkMode="${NETWORK_MODE}"),
        fargate(networkMode={"Ref": "NetworkMode"}),
        fargate(networkMode=7),
        {"requiresCompatibilities": ["EC2"], "networkMode": "bridge"},
        {"requiresCompatibilities": ["EC2"]},
    ],
)
def test_network_mode_silent(data: dict[str, JSON]) -> None:
    assert run(fargate_requires_awsvpc, data) == []
