"""Tests for ecslint.checks.logging: ECS401, ECS402, ECS403."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from ecslint.checks.logging import (
    LOG_DRIVERS,
    awslogs_missing_options,
    awslogs_without_execution_role,
    unsupported_log_driver,
)
from ecslint.model import JSON, Violation
from ecslint.taskdef import TaskDef

Check = Callable[[TaskDef], Iterable[Violation]]

ROLE = "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"
FULL_OPTIONS: dict[str, JSON] = {
    "awslogs-group": "/ecs/web",
    "awslogs-region": "us-east-1",
    "awslogs-stream-prefix": "web",
}


def run(check: Check, data: dict[str, JSON]) -> list[tuple[str, str]]:
    return [(v.pointer, v.variant) for v in check(TaskDef(data))]


def task(*logs: JSON, launch: str | None = "FARGATE", role: JSON = ROLE) -> dict[str, JSON]:
    data: dict[str, JSON] = {
        "family": "web",
        "containerDefinitions": [
            {"name": f"c{i}", "image": "nginx:1.27", "logConfiguration": log} for i, log in enumerate(logs)
        ],
    }
    if launch is not None:
        data["requiresCompatibilities"] = [launch]
    if role is not None:
        data["executionRoleArn"] = role
    return data


def awslogs(**options: JSON) -> JSON:
    return {"logDriver": "awslogs", "options": dict(options)}


# -- ECS401 awslogs-missing-options ------------------------------------------------------------


def test_awslogs_missing_everything_on_fargate() -> None:
    data = task(awslogs(mode="non-blocking"))
    (violation,) = awslogs_missing_options(TaskDef(data))
    assert (violation.pointer, violation.variant) == ("/containerDefinitions/0/logConfiguration/options", "default")
    assert violation.params == {
        "missing": "awslogs-region, awslogs-group, awslogs-stream-prefix",
        "container": "c0",
    }


def test_awslogs_missing_stream_prefix_only_on_fargate() -> None:
    options = {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}
    assert run(awslogs_missing_options, task(awslogs(**options))) == [
        ("/containerDefinitions/0/logConfiguration/options", "stream-prefix")
    ]
    assert run(awslogs_missing_options, task(awslogs(**options), launch="EC2")) == []
    assert run(awslogs_missing_options, task(awslogs(**options), launch=None)) == []


def test_awslogs_missing_region_on_ec2() -> None:
    (violation,) = awslogs_missing_options(TaskDef(task(awslogs(**{"awslogs-group": "/ecs/web"}), launch="EC2")))
    assert violation.params["missing"] == "awslogs-region"


def test_awslogs_without_options_points_at_log_configuration() -> None:
    data = task({"logDriver": "awslogs"}, {"logDriver": "awslogs", "options": None}, launch="EC2")
    assert run(awslogs_missing_options, data) == [
        ("/containerDefinitions/0/logConfiguration", "default"),
        ("/containerDefinitions/1/logConfiguration", "default"),
    ]


def test_awslogs_empty_option_counts_as_missing() -> None:
    data = task(awslogs(**{**FULL_OPTIONS, "awslogs-group": ""}))
    (violation,) = awslogs_missing_options(TaskDef(data))
    assert violation.params["missing"] == "awslogs-group"


@pytest.mark.parametrize(
    "log",
    [
        awslogs(**FULL_OPTIONS),
        awslogs(**{**FULL_OPTIONS, "awslogs-region": "${AWS_REGION}"}),
        {"logDriver": "awslogs", "options": {"Ref": "LogOptions"}},
        {"logDriver": "awslogs", "options": "awslogs-group=/ecs/web"},
        {"logDriver": "splunk", "options": {"splunk-url": "https://splunk.example.com"}},
        {"logDriver": "${LOG_DRIVER}"},
        {"logDriver": "AWSLOGS"},
        "awslogs",
        None,
    ],
)
def test_awslogs_options_silent(log: JSON) -> None:
    assert run(awslogs_missing_options, task(log)) == []


# -- ECS402 unsupported-log-driver -----------------------------------------------------------


@pytest.mark.parametrize("driver", ["json-file", "syslog", "journald", "gelf", "fluentd"])
def test_fargate_rejects_ec2_only_drivers(driver: str) -> None:
    (violation,) = unsupported_log_driver(TaskDef(task({"logDriver": driver})))
    assert (violation.pointer, violation.variant) == ("/containerDefinitions/0/logConfiguration/logDriver", "default")
    assert violation.params == {"logDriver": driver, "container": "c0", "allowed": "awslogs, splunk, awsfirelens"}


def test_fargate_log_drivers_are_a_subset_of_the_enum() -> None:
    assert {"awslogs", "splunk", "awsfirelens"} < LOG_DRIVERS and len(LOG_DRIVERS) == 8


@pytest.mark.parametrize(
    "data",
    [
        task({"logDriver": "awslogs"}, {"logDriver": "splunk"}, {"logDriver": "awsfirelens"}),
        task({"logDriver": "json-file"}, launch="EC2"),
        task({"logDriver": "json-file"}, launch=None),
        task({"logDriver": "logentries"}),
        task({"logDriver": "${DRIVER}"}),
        task({"logDriver": 3}),
        task({"options": {}}),
    ],
)
def test_log_driver_silent(data: dict[str, JSON]) -> None:
    assert run(unsupported_log_driver, data) == []


def test_log_driver_fargate_and_ec2() -> None:
    data = task({"logDriver": "fluentd"})
    data["requiresCompatibilities"] = ["EC2", "FARGATE"]
    assert run(unsupported_log_driver, data) == [("/containerDefinitions/0/logConfiguration/logDriver", "default")]


# -- ECS403 awslogs-without-execution-role ---------------------------------------------------


def test_awslogs_without_execution_role_on_fargate() -> None:
    data = task(awslogs(**FULL_OPTIONS), {"logDriver": "splunk"}, awslogs(**FULL_OPTIONS), role=None)
    assert run(awslogs_without_execution_role, data) == [
        ("/containerDefinitions/0/logConfiguration/logDriver", "default"),
        ("/containerDefinitions/2/logConfiguration/logDriver", "default"),
    ]


def test_awslogs_without_execution_role_on_external() -> None:
    data = task(awslogs(**FULL_OPTIONS), launch="EXTERNAL", role="")
    (violation,) = awslogs_without_execution_role(TaskDef(data))
    assert (violation.pointer, violation.variant) == ("/containerDefinitions/0/logConfiguration/logDriver", "external")
    assert violation.params == {"container": "c0", "launchType": "EXTERNAL"}


@pytest.mark.parametrize(
    "data",
    [
        task(awslogs(**FULL_OPTIONS)),
        task(awslogs(**FULL_OPTIONS), role="${EXECUTION_ROLE_ARN}"),
        task(awslogs(**FULL_OPTIONS), role={"Fn::GetAtt": ["ExecutionRole", "Arn"]}),
        task(awslogs(**FULL_OPTIONS), launch="EC2", role=None),
        task(awslogs(**FULL_OPTIONS), launch=None, role=None),
        task({"logDriver": "splunk"}, role=None),
        {"requiresCompatibilities": [{"Ref": "LaunchType"}], "containerDefinitions": [{"logConfiguration": awslogs()}]},
    ],
)
def test_awslogs_execution_role_silent(data: dict[str, JSON]) -> None:
    assert run(awslogs_without_execution_role, data) == []
