"""Tests for ecslint.checks.health: ECS501-ECS508."""

from __future__ import annotations

import pytest
from check_helpers import Check, Found, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.checks.health import (
    HEALTH_CHECK_RANGES,
    essential_container_without_health_check,
    essential_sidecar,
    health_check_out_of_range,
    health_check_timeout_not_below_interval,
    invalid_health_check_command,
    restart_policy_out_of_range,
    shell_string_under_cmd,
    short_stop_timeout,
    sidecar_kind,
)
from ecslint.core.model import JSON
from ecslint.core.pointer import MISSING, resolve
from ecslint.core.taskdef import TaskDef

H = "/containerDefinitions/0/healthCheck"
SHELL: list[JSON] = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]


def task(*items: JSON, **members: JSON) -> dict[str, JSON]:
    return {"family": "web", "containerDefinitions": list(items), **members}


def health(**members: JSON) -> dict[str, JSON]:
    return task({"name": "app", "image": "app:1", "healthCheck": {"command": SHELL, **members}})


# -- ECS501 health-check-out-of-range -----------------------------------------------------------------


def test_ranges_match_the_model() -> None:
    assert HEALTH_CHECK_RANGES == {
        "interval": (5, 300, 30),
        "timeout": (2, 60, 5),
        "retries": (1, 10, 3),
        "startPeriod": (0, 300, None),
    }


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("interval", 4),
        ("interval", 301),
        ("timeout", 1),
        ("timeout", 61),
        ("timeout", 120),
        ("retries", 0),
        ("retries", 11),
        ("startPeriod", -1),
        ("startPeriod", 301),
    ],
)
def test_out_of_range(member: str, value: int) -> None:
    assert run(health_check_out_of_range, health(**{member: value})) == [(f"{H}/{member}", "default", None)]


@pytest.mark.parametrize(
    "members",
    [
        {"interval": 5, "timeout": 2, "retries": 1, "startPeriod": 0},
        {"interval": 300, "timeout": 60, "retries": 10, "startPeriod": 300},
        {"interval": "600", "timeout": True, "retries": None, "startPeriod": {"Ref": "Start"}},
        {},
    ],
)
def test_in_range_or_not_integers(members: dict[str, JSON]) -> None:
    assert run(health_check_out_of_range, health(**members)) == []


def test_out_of_range_params() -> None:
    (violation,) = health_check_out_of_range(TaskDef(health(timeout=90)))
    assert violation.params == {"member": "timeout", "value": 90, "low": 2, "high": 60, "container": "app"}


# -- ECS502 invalid-health-check-command ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["curl -f http://localhost/"], [(f"{H}/command/0", "default", None)]),
        (["curl", "-f", "http://localhost/"], [(f"{H}/command/0", "default", None)]),
        (["cmd-shell", "test -f /tmp/ready"], [(f"{H}/command/0", "case", None)]),
        (["Cmd", "true"], [(f"{H}/command/0", "case", None)]),
        (["CMD-SHELL"], [(f"{H}/command", "no-command", None)]),
        (["CMD"], [(f"{H}/command", "no-command", None)]),
        ([], [(f"{H}/command", "empty", None)]),
        (SHELL, []),
        (["CMD", "/bin/healthcheck"], []),
        (["NONE"], []),
        (["${HEALTH_TYPE}", "true"], []),
        ([7, "true"], []),
    ],
)
def test_health_check_command(command: list[JSON], expected: list[Found]) -> None:
    data = task({"name": "app", "healthCheck": {"command": command}})
    assert run(invalid_health_check_command, data) == expected


def test_health_check_command_silent_on_strange_values() -> None:
    assert run(invalid_health_check_command, task({"name": "a", "healthCheck": {"command": "curl x"}})) == []
    assert run(invalid_health_check_command, task({"name": "a", "healthCheck": "CMD"})) == []


# -- ECS503 shell-string-under-cmd ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["CMD", "curl -f http://localhost/ || exit 1"], [(f"{H}/command/1", "default", None)]),
        (["CMD", "/bin/check --port 8080"], [(f"{H}/command/1", "default", None)]),
        (["CMD", "curl", "-f", "http://x", "||", "exit", "1"], [(f"{H}/command/4", "operator", None)]),
        (["CMD", "sh", "-c", "curl -f http://x || exit 1"], [(f"{H}/command/3", "operator", None)]),
        (["CMD", "curl", "-f", "http://x"], []),
        (["CMD", "/bin/healthcheck"], []),
        (["CMD-SHELL", "curl -f http://x || exit 1"], []),
        (["CMD", "check", "${URL}|x"], []),
    ],
)
def test_shell_string_under_cmd(command: list[JSON], expected: list[Found]) -> None:
    assert run(shell_string_under_cmd, task({"name": "app", "healthCheck": {"command": command}})) == expected


# -- ECS504 health-check-timeout-not-below-interval ----------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"interval": 10, "timeout": 10}, [(f"{H}/timeout", "default", None)]),
        ({"interval": 10, "timeout": 30}, [(f"{H}/timeout", "default", None)]),
        ({"timeout": 30}, [(f"{H}/timeout", "default", None)]),  # default interval 30
        ({"interval": 5}, [(f"{H}/interval", "default", None)]),  # default timeout 5
        ({"interval": 10, "timeout": 5}, []),
        ({}, []),
        ({"interval": 3, "timeout": 5}, []),  # out of range: ECS501 reports it
        ({"interval": {"Ref": "I"}, "timeout": 60}, []),
    ],
)
def test_timeout_not_below_interval(members: dict[str, JSON], expected: list[Found]) -> None:
    assert run(health_check_timeout_not_below_interval, health(**members)) == expected


# -- ECS505 essential-container-without-health-check -----------------------------------------------------------


def test_essential_without_health_check() -> None:
    data = task(
        {"name": "app", "image": "app:1"},
        {"name": "checked", "image": "app:1", "healthCheck": {"command": SHELL}},
        {"name": "cron", "image": "app:1", "essential": False},
        {"image": "app:1"},
        {"name": "unknown", "image": "app:1", "essential": "${ESSENTIAL}"},
        {"name": "router", "image": "custom/router:1", "firelensConfiguration": {"type": "fluentbit"}},
        {"name": "xray", "image": "public.ecr.aws/xray/aws-xray-daemon:3.3.12"},
    )
    assert run(essential_container_without_health_check, data) == [
        ("/containerDefinitions/0/name", "default", None),
        ("/containerDefinitions/3", "default", None),
    ]


# -- ECS506 short-stop-timeout -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fires"), [(2, True), (9, True), (0, True), (10, False), (30, False), ("5", False)])
def test_short_stop_timeout(value: JSON, fires: bool) -> None:
    expected = [("/containerDefinitions/0/stopTimeout", "default", None)] if fires else []
    assert run(short_stop_timeout, task({"name": "app", "stopTimeout": value})) == expected


# -- ECS507 essential-sidecar ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "kind"),
    [
        ("public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", "the AWS Distro for OpenTelemetry collector"),
        ("amazon/aws-for-fluent-bit:2.32.4", "Fluent Bit"),
        ("fluent/fluent-bit:3.1", "Fluent Bit"),
        ("public.ecr.aws/datadog/agent:7", "the Datadog agent"),
        ("gcr.io/datadoghq/agent:7", "the Datadog agent"),
        ("envoyproxy/envoy:v1.31.0", "Envoy"),
        ("amazon/aws-xray-daemon", "the X-Ray daemon"),
        ("public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest", "the CloudWatch agent"),
        ("example/agent:1", None),
        ("example/app:1", None),
    ],
)
def test_sidecar_kind(image: str, kind: str | None) -> None:
    assert sidecar_kind(image) == kind


def test_essential_sidecars() -> None:
    data = task(
        {"name": "app", "image": "example/app:1"},
        {"name": "xray", "image": "amazon/aws-xray-daemon:3.3.12"},
        {"name": "otel", "image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", "essential": True},
        {"name": "dd", "image": "datadog/agent:7", "essential": False},
        {"name": "router", "image": "amazon/aws-for-fluent-bit:2.32.4", "firelensConfiguration": {"type": "fluentbit"}},
        {"name": "mesh", "image": "840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod"},
        {"name": "proxy", "image": "envoyproxy/envoy:v1.31.0"},
        proxyConfiguration={"type": "APPMESH", "containerName": "proxy"},
    )
    assert run(essential_sidecar, data) == [
        ("/containerDefinitions/1/name", "default", None),
        ("/containerDefinitions/2/essential", "default", None),
    ]


def test_sidecar_alone_is_not_reported() -> None:
    data = task(
        {"name": "app", "image": "example/app:1", "essential": False},
        {"name": "xray", "image": "amazon/aws-xray-daemon:3.3.12"},
    )
    assert run(essential_sidecar, data) == []


# -- ECS508 restart-policy-out-of-range ------------------------------------------------------------------------------

R = "/containerDefinitions/0/restartPolicy"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({"enabled": True, "restartAttemptPeriod": 30}, [(f"{R}/restartAttemptPeriod", "default", None)]),
        ({"enabled": True, "restartAttemptPeriod": 1801}, [(f"{R}/restartAttemptPeriod", "default", None)]),
        ({"enabled": True, "ignoredExitCodes": list(range(51))}, [(f"{R}/ignoredExitCodes", "exit-codes", None)]),
        ({"enabled": True, "restartAttemptPeriod": 60, "ignoredExitCodes": list(range(50))}, []),
        ({"enabled": True, "restartAttemptPeriod": 1800}, []),
        ({"enabled": True, "restartAttemptPeriod": "30"}, []),
        ("on-failure", []),
    ],
)
def test_restart_policy(policy: JSON, expected: list[Found]) -> None:
    assert run(restart_policy_out_of_range, task({"name": "app", "restartPolicy": policy})) == expected


# -- never raises ------------------------------------------------------------------------------------------------------

_TEXT = st.sampled_from(["", "CMD", "CMD-SHELL", "NONE", "cmd", "curl -f x || exit 1", "||", "${X}", "app", "proxy"])
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2000) | _TEXT | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_HEALTH = st.fixed_dictionaries(
    {},
    optional={
        "command": st.lists(_TEXT | _ANY, max_size=4) | _ANY,
        "interval": st.integers(-5, 400) | _ANY,
        "timeout": st.integers(-5, 400) | _ANY,
        "retries": _ANY,
        "startPeriod": _ANY,
    },
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT | _ANY,
        "image": st.sampled_from(["amazon/aws-xray-daemon", "envoyproxy/envoy:v1", "app:1"]) | _ANY,
        "essential": st.booleans() | _ANY,
        "healthCheck": _HEALTH | _ANY,
        "stopTimeout": _ANY,
        "firelensConfiguration": _ANY,
        "restartPolicy": st.fixed_dictionaries(
            {}, optional={"restartAttemptPeriod": _ANY, "ignoredExitCodes": st.lists(_ANY, max_size=60) | _ANY}
        )
        | _ANY,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=4) | _ANY,
        "proxyConfiguration": st.fixed_dictionaries({}, optional={"containerName": _TEXT | _ANY}) | _ANY,
    },
)
_CHECKS: tuple[Check, ...] = (
    health_check_out_of_range,
    invalid_health_check_command,
    shell_string_under_cmd,
    health_check_timeout_not_below_interval,
    essential_container_without_health_check,
    short_stop_timeout,
    essential_sidecar,
    restart_policy_out_of_range,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK)
def test_health_checks_never_raise(data: dict[str, JSON]) -> None:
    for check in _CHECKS:
        for violation in check(TaskDef(data)):
            assert resolve(data, violation.pointer) is not MISSING, (check.__name__, violation)
            assert violation.substring is None
