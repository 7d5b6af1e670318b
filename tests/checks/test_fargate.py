"""Tests for ecslint.checks.fargate: ECS101-ECS103 and ECS140-ECS146."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.checks.fargate import (
    FARGATE_SIZES,
    FARGATE_WINDOWS_CPUS,
    arm64_windows,
    fargate_requires_awsvpc,
    fargate_timeout_out_of_range,
    fargate_tmpfs,
    fargate_unsupported_parameter,
    firelens_on_windows,
    format_values,
    missing_fargate_task_size,
    unsupported_fargate_size,
    windows_unsupported_network_mode,
    windows_unsupported_parameter,
)
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import TaskDef

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
    assert FARGATE_SIZES[32768] == (61440, 122880, 249856)  # docs/facts.md 1.1, verified 2026-12-04
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
        ("32768", "65536", [("/memory", "default")]),
        ("65536", "249856", [("/cpu", "cpu")]),
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


@pytest.mark.parametrize("memory", ["61440", "122880", "249856", "60 GB", "244GB"])
def test_fargate_offers_32_vcpu(memory: str) -> None:
    """Fargate's 32 vCPU size (cfn-lint#4668, pulumi-awsx#2053): no false error."""
    assert run(unsupported_fargate_size, fargate(cpu="32768", memory=memory)) == []
    assert run(unsupported_fargate_size, fargate(cpu="32 vCPU", memory=memory)) == []


def test_fargate_32_vcpu_is_linux_only() -> None:
    windows: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}
    assert run(unsupported_fargate_size, fargate(cpu="32768", memory="61440", **windows)) == [("/cpu", "windows-cpu")]


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


# -- ECS140 fargate-unsupported-parameter -----------------------------------------------------

Found = tuple[str, str, tuple[int, int] | None]
C0 = "/containerDefinitions/0"
WINDOWS: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}


def found(check: Check, data: dict[str, JSON], origin: str = "register") -> list[Found]:
    return [(v.pointer, v.variant, v.substring) for v in check(TaskDef(data, origin))]


def one(**members: JSON) -> list[JSON]:
    return [{"name": "app", "image": "example/app:1.0.0", **members}]


def test_every_container_parameter_fargate_rejects() -> None:
    container = one(
        privileged=True,
        disableNetworking=True,
        dnsServers=["10.0.0.2"],
        dnsSearchDomains=["corp.example"],
        dockerSecurityOptions=["no-new-privileges"],
        linuxParameters={
            "devices": [{"hostPath": "/dev/fuse"}],
            "sharedMemorySize": 64,
            "maxSwap": 0,
            "swappiness": 10,
        },
    )
    assert found(fargate_unsupported_parameter, fargate(containerDefinitions=container)) == [
        (f"{C0}/privileged", "default", None),
        (f"{C0}/disableNetworking", "default", None),
        (f"{C0}/dnsServers", "default", None),
        (f"{C0}/dnsSearchDomains", "default", None),
        (f"{C0}/dockerSecurityOptions", "default", None),
        (f"{C0}/linuxParameters/devices", "default", None),
        (f"{C0}/linuxParameters/sharedMemorySize", "default", None),
        (f"{C0}/linuxParameters/maxSwap", "default", None),
        (f"{C0}/linuxParameters/swappiness", "default", None),
    ]
    violation = next(iter(fargate_unsupported_parameter(TaskDef(fargate(containerDefinitions=one(privileged=True))))))
    assert violation.params == {"parameter": "privileged", "value": True}


def test_task_and_volume_parameters_fargate_rejects() -> None:
    data = fargate(
        ipcMode="task",
        pidMode="host",
        placementConstraints=[{"type": "memberOf", "expression": "attribute:x == y"}],
        volumes=[
            {"name": "a", "dockerVolumeConfiguration": {"scope": "task"}},
            {"name": "b", "host": {"sourcePath": "/var/run/docker.sock"}},
            {"name": "c", "host": {}},
            {"name": "d", "host": {"sourcePath": ""}},
        ],
    )
    assert found(fargate_unsupported_parameter, data) == [
        ("/ipcMode", "default", None),
        ("/pidMode", "pid-host", None),
        ("/placementConstraints", "default", None),
        ("/volumes/0/dockerVolumeConfiguration", "default", None),
        ("/volumes/1/host/sourcePath", "host-volume", None),
    ]


def test_capabilities_and_gpus_on_fargate() -> None:
    container = one(
        linuxParameters={
            "capabilities": {"add": ["SYS_PTRACE", "NET_ADMIN", "CAP_SYS_PTRACE", "${CAP}"], "drop": ["ALL"]}
        },
        resourceRequirements=[{"type": "GPU", "value": "1"}, {"type": "InferenceAccelerator", "value": "d"}],
    )
    assert found(fargate_unsupported_parameter, fargate(containerDefinitions=container)) == [
        (f"{C0}/linuxParameters/capabilities/add/1", "capability", None),
        (f"{C0}/resourceRequirements/0/type", "gpu", None),
    ]


def test_links_and_extra_hosts_left_to_the_network_rules_in_awsvpc() -> None:
    container = one(links=["db"], extraHosts=[{"hostname": "db", "ipAddress": "10.0.0.5"}])
    assert found(fargate_unsupported_parameter, fargate(containerDefinitions=container)) == []
    assert found(fargate_unsupported_parameter, fargate(networkMode="bridge", containerDefinitions=container)) == [
        (f"{C0}/links", "default", None),
        (f"{C0}/extraHosts", "default", None),
    ]  # bridge allows both, so only this rule (and ECS103, for the mode) reports them


@pytest.mark.parametrize(
    "data",
    [
        fargate(
            pidMode="task",
            placementConstraints=[],
            containerDefinitions=one(privileged=False, disableNetworking=False, dnsServers=[], links=[]),
        ),
        fargate(ipcMode="${IPC}", containerDefinitions=one(privileged={"Ref": "Privileged"})),
        {
            "family": "app",
            "requiresCompatibilities": ["EC2"],
            "ipcMode": "host",
            "containerDefinitions": one(privileged=True),
        },
        {"requiresCompatibilities": [{"Ref": "Launch"}], "containerDefinitions": one(privileged=True)},
    ],
)
def test_fargate_unsupported_parameter_silent(data: dict[str, JSON]) -> None:
    assert found(fargate_unsupported_parameter, data) == []


# -- ECS141 fargate-tmpfs -----------------------------------------------------------------------


def test_fargate_tmpfs() -> None:
    data = fargate(containerDefinitions=one(linuxParameters={"tmpfs": [{"containerPath": "/run", "size": 64}]}))
    assert found(fargate_tmpfs, data) == [(f"{C0}/linuxParameters/tmpfs", "default", None)]
    assert found(fargate_tmpfs, fargate(containerDefinitions=one(linuxParameters={"tmpfs": []}))) == []
    ec2 = {
        "family": "a",
        "containerDefinitions": one(linuxParameters={"tmpfs": [{"containerPath": "/run", "size": 1}]}),
    }
    assert found(fargate_tmpfs, ec2) == []


# -- ECS142 fargate-timeout-out-of-range --------------------------------------------------------


def test_fargate_timeouts() -> None:
    data = fargate(containerDefinitions=one(startTimeout=600, stopTimeout=1) + one(startTimeout=2, stopTimeout=120))
    assert found(fargate_timeout_out_of_range, data) == [
        (f"{C0}/startTimeout", "default", None),
        (f"{C0}/stopTimeout", "default", None),
    ]
    violation = next(iter(fargate_timeout_out_of_range(TaskDef(data))))
    assert violation.params == {"container": "app", "key": "startTimeout", "value": 600, "minimum": 2, "maximum": 120}


def test_fargate_timeouts_silent() -> None:
    assert found(fargate_timeout_out_of_range, fargate(containerDefinitions=one(stopTimeout="600"))) == []
    assert found(fargate_timeout_out_of_range, {"family": "a", "containerDefinitions": one(stopTimeout=600)}) == []


# -- ECS143 windows-unsupported-parameter -------------------------------------------------------


def windows_ec2(*containers: list[JSON], **members: JSON) -> dict[str, JSON]:
    data: dict[str, JSON] = {"family": "iis", "requiresCompatibilities": ["EC2"], **WINDOWS, **members}
    data["containerDefinitions"] = [item for container in containers for item in container]
    return data


def test_windows_unsupported_parameters() -> None:
    container = one(
        privileged=True,
        user="ContainerUser",
        readonlyRootFilesystem=True,
        ulimits=[{"name": "nofile", "softLimit": 1, "hardLimit": 2}],
        dnsServers=["10.0.0.2"],
        extraHosts=[{"hostname": "db", "ipAddress": "10.0.0.5"}],
        links=["db"],
    )
    data = windows_ec2(container, pidMode="task", ipcMode="none")
    assert found(windows_unsupported_parameter, data) == [
        (f"{C0}/privileged", "default", None),
        (f"{C0}/dnsServers", "default", None),
        (f"{C0}/extraHosts", "default", None),  # default mode: ECS129 covers awsvpc only
        (f"{C0}/readonlyRootFilesystem", "default", None),
        (f"{C0}/ulimits", "default", None),
        ("/pidMode", "default", None),
        ("/ipcMode", "default", None),
    ]  # links: ECS127 reports them in the default (NAT) mode; user: Security Hub ECS.21 wants it set


def test_windows_on_fargate_leaves_fargate_parameters_to_ecs140() -> None:
    data = fargate(containerDefinitions=one(privileged=True, readonlyRootFilesystem=True), **WINDOWS)
    assert found(windows_unsupported_parameter, data) == [(f"{C0}/readonlyRootFilesystem", "default", None)]


def test_windows_on_fargate_reports_what_ecs140_accepts() -> None:
    """pidMode "task" is fine on Fargate (ECS140 reports only "host") but not for Windows."""
    data = fargate(containerDefinitions=one(), pidMode="task", **WINDOWS)
    assert found(windows_unsupported_parameter, data) == [("/pidMode", "default", None)]
    data = fargate(containerDefinitions=one(), pidMode="host", **WINDOWS)
    assert found(windows_unsupported_parameter, data) == []  # ECS140 reports it


def test_windows_unsupported_parameters_silent_on_linux() -> None:
    data = {"family": "a", "containerDefinitions": one(user="app", readonlyRootFilesystem=True)}
    assert found(windows_unsupported_parameter, data) == []
    assert found(windows_unsupported_parameter, windows_ec2(one(readonlyRootFilesystem=False, user=""))) == []


# -- ECS144 arm64-windows ------------------------------------------------------------------------


def test_arm64_windows() -> None:
    platform: JSON = {"operatingSystemFamily": "WINDOWS_SERVER_2022_FULL", "cpuArchitecture": "ARM64"}
    assert found(arm64_windows, fargate(runtimePlatform=platform)) == [
        ("/runtimePlatform/cpuArchitecture", "default", None)
    ]
    for other in ({"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}, {"cpuArchitecture": "ARM64"}):
        assert found(arm64_windows, fargate(runtimePlatform=other)) == []


# -- ECS145 windows-unsupported-network-mode -------------------------------------------------------


@pytest.mark.parametrize("mode", ["bridge", "host", "none"])
def test_windows_network_mode(mode: str) -> None:
    assert found(windows_unsupported_network_mode, windows_ec2(networkMode=mode)) == [("/networkMode", "default", None)]


@pytest.mark.parametrize(
    "data",
    [
        windows_ec2(),
        windows_ec2(networkMode="awsvpc"),
        windows_ec2(networkMode="${MODE}"),
        fargate(networkMode="bridge", **WINDOWS),  # ECS103
        {"family": "a", "networkMode": "bridge"},
    ],
)
def test_windows_network_mode_silent(data: dict[str, JSON]) -> None:
    assert found(windows_unsupported_network_mode, data) == []


# -- ECS146 firelens-on-windows --------------------------------------------------------------------


def test_network_mode_outside_the_enum_is_left_to_ecs022() -> None:
    assert found(fargate_requires_awsvpc, fargate(networkMode="nat", containerDefinitions=one())) == []
    assert found(fargate_requires_awsvpc, fargate(networkMode="bridge", containerDefinitions=one())) == [
        ("/networkMode", "default", None)
    ]


def test_firelens_on_windows() -> None:
    app = one(logConfiguration={"logDriver": "awsfirelens"})
    router = [{"name": "router", "image": "fluent-bit:3", "firelensConfiguration": {"type": "fluentbit"}}]
    # FireLens on Windows is one mistake: one finding, at the first place, naming the others
    (violation,) = firelens_on_windows(TaskDef(windows_ec2(app, router)))
    assert (violation.pointer, violation.variant) == (f"{C0}/logConfiguration/logDriver", "several")
    assert [o.pointer for o in violation.occurrences] == [
        f"{C0}/logConfiguration/logDriver",
        "/containerDefinitions/1/firelensConfiguration",
    ]
    assert found(firelens_on_windows, windows_ec2(router)) == [
        ("/containerDefinitions/0/firelensConfiguration", "router", None)
    ]
    assert found(firelens_on_windows, {"family": "a", "containerDefinitions": app + router}) == []


# -- no check raises on task-shaped data ----------------------------------------------------------

_SCALAR = st.none() | st.booleans() | st.integers(-(2**20), 2**20) | st.text(max_size=8)
_ANY = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner))
_LINUX = st.fixed_dictionaries(
    {},
    optional={
        "capabilities": st.fixed_dictionaries({}, optional={"add": st.lists(_SCALAR, max_size=3) | _ANY}) | _ANY,
        "devices": _ANY,
        "tmpfs": _ANY,
        "sharedMemorySize": _SCALAR,
    },
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _SCALAR,
        "privileged": _SCALAR,
        "user": _SCALAR,
        "links": _ANY,
        "linuxParameters": _LINUX | _ANY,
        "resourceRequirements": st.lists(st.fixed_dictionaries({"type": st.just("GPU") | _SCALAR}) | _ANY) | _ANY,
        "logConfiguration": st.fixed_dictionaries({"logDriver": st.just("awsfirelens") | _SCALAR}) | _ANY,
        "firelensConfiguration": _ANY,
        "startTimeout": _SCALAR,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "family": _SCALAR,
        "requiresCompatibilities": st.lists(st.sampled_from(["EC2", "FARGATE"]), max_size=2) | _ANY,
        "networkMode": st.sampled_from(["bridge", "awsvpc"]) | _SCALAR,
        "runtimePlatform": st.fixed_dictionaries(
            {"operatingSystemFamily": st.sampled_from(["LINUX", "WINDOWS_SERVER_2019_CORE"])},
            optional={"cpuArchitecture": st.sampled_from(["ARM64", "X86_64"]) | _SCALAR},
        )
        | _ANY,
        "pidMode": _SCALAR,
        "ipcMode": _SCALAR,
        "volumes": st.lists(
            st.fixed_dictionaries({}, optional={"host": _ANY, "dockerVolumeConfiguration": _ANY}) | _ANY
        )
        | _ANY,
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=3) | _ANY,
    },
)
PLATFORM_CHECKS: tuple[Check, ...] = (
    fargate_unsupported_parameter,
    fargate_tmpfs,
    fargate_timeout_out_of_range,
    windows_unsupported_parameter,
    arm64_windows,
    windows_unsupported_network_mode,
    firelens_on_windows,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "describe", "cloudformation", "containers"]))
def test_platform_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for check in PLATFORM_CHECKS:
        for violation in check(TaskDef(data, origin)):
            assert isinstance(violation, Violation)
