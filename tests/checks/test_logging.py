"""Tests for ecslint.checks.logging: ECS401 to ECS413."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import builtin, load_file
from ecslint.checks import logging
from ecslint.checks.logging import (
    AWSLOGS_OPTIONS,
    LOG_DRIVERS,
    awslogs_datetime_and_multiline,
    awslogs_missing_options,
    awslogs_region_mismatch,
    awslogs_without_execution_role,
    firelens_s3_config_on_fargate,
    invalid_awslogs_create_group,
    invalid_awslogs_region,
    invalid_log_group_name,
    invalid_log_mode,
    invalid_max_buffer_size,
    splunk_missing_options,
    unknown_awslogs_option,
    unsupported_log_driver,
)
from ecslint.core.model import JSON, Severity, Violation
from ecslint.core.pointer import MISSING, resolve
from ecslint.core.taskdef import TaskDef

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


def test_awslogs_misspelled_required_option_is_left_to_ecs404() -> None:
    # "awslogs-grup" is one mistake: ECS404 says so (did you mean awslogs-group?), ECS401 does not add "missing"
    options = {"awslogs-grup": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}
    assert run(awslogs_missing_options, task(awslogs(**options))) == []
    assert run(unknown_awslogs_option, task(awslogs(**options))) == [
        ("/containerDefinitions/0/logConfiguration/options/awslogs-grup", "suggestion")
    ]
    unrelated = {"awslogs-retention": "30", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}
    assert run(awslogs_missing_options, task(awslogs(**unrelated))) == [
        ("/containerDefinitions/0/logConfiguration/options", "default")
    ]


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
    # one finding for the missing role, at the first container, naming the other
    (violation,) = awslogs_without_execution_role(TaskDef(data))
    assert (violation.pointer, violation.variant) == (
        "/containerDefinitions/0/logConfiguration/logDriver",
        "default-more",
    )
    assert [o.pointer for o in violation.occurrences] == [
        "/containerDefinitions/0/logConfiguration/logDriver",
        "/containerDefinitions/2/logConfiguration/logDriver",
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


# -- ECS404-ECS412 ------------------------------------------------------------------------------

OPTS = "/containerDefinitions/0/logConfiguration/options"
Found = tuple[str, str, tuple[int, int] | None]


def found(check: Check, data: dict[str, JSON]) -> list[Found]:
    return [(v.pointer, v.variant, v.substring) for v in check(TaskDef(data))]


def test_unknown_awslogs_options() -> None:
    options = {
        **FULL_OPTIONS,
        "awslogs-stream-prefx": "web",
        "retention-days": "30",
        "awslogs-endpoint": "x",
        "tag": "t",
    }
    data = task(awslogs(**options), launch="EC2")
    assert found(unknown_awslogs_option, data) == [
        (f"{OPTS}/awslogs-stream-prefx", "suggestion", None),
        (f"{OPTS}/retention-days", "default", None),
    ]
    first = next(iter(unknown_awslogs_option(TaskDef(data))))
    assert first.params == {"option": "awslogs-stream-prefx", "container": "c0", "suggestion": "awslogs-stream-prefix"}


def test_unknown_option_keys_only_for_awslogs() -> None:
    assert found(unknown_awslogs_option, task({"logDriver": "splunk", "options": {"splunk-url": "x"}})) == []
    assert found(unknown_awslogs_option, task({"logDriver": "awslogs", "options": {"Ref": "Opts"}})) == []
    assert found(unknown_awslogs_option, task(awslogs(**{"${KEY}": "x"}))) == []
    assert len(AWSLOGS_OPTIONS) == 8


def test_datetime_and_multiline() -> None:
    both = awslogs(**FULL_OPTIONS, **{"awslogs-datetime-format": "%Y", "awslogs-multiline-pattern": "^x"})
    one = awslogs(**FULL_OPTIONS, **{"awslogs-datetime-format": "%Y"})
    data = task(both, one)
    assert found(awslogs_datetime_and_multiline, data) == [(f"{OPTS}/awslogs-multiline-pattern", "default", None)]


@pytest.mark.parametrize(
    ("mode", "variant"),
    [("non_blocking", "suggestion"), ("NON-BLOCKING", "suggestion"), ("Blocking", "suggestion"), ("async", "default")],
)
def test_invalid_log_mode(mode: str, variant: str) -> None:
    assert found(invalid_log_mode, task({"logDriver": "splunk", "options": {"mode": mode}})) == [
        (f"{OPTS}/mode", variant, None)
    ]


@pytest.mark.parametrize("mode", ["blocking", "non-blocking", "${MODE}", 1])
def test_valid_log_mode(mode: JSON) -> None:
    assert found(invalid_log_mode, task(awslogs(mode=mode))) == []


@pytest.mark.parametrize("size", ["25m", "10MB", "4MiB", "1.5g", "4096", "2 k", "1kb"])
def test_valid_max_buffer_size(size: str) -> None:
    assert found(invalid_max_buffer_size, task(awslogs(mode="non-blocking", **{"max-buffer-size": size}))) == []


@pytest.mark.parametrize("size", ["25 megabytes", "m", "-1m", "25mm", ""])
def test_invalid_max_buffer_size(size: str) -> None:
    data = task(awslogs(mode="non-blocking", **{"max-buffer-size": size}))
    assert found(invalid_max_buffer_size, data) == [(f"{OPTS}/max-buffer-size", "default", None)]


def test_max_buffer_size_with_blocking_mode() -> None:
    data = task(awslogs(mode="blocking", **{"max-buffer-size": "4m"}), awslogs(**{"max-buffer-size": "4m"}))
    assert found(invalid_max_buffer_size, data) == [(f"{OPTS}/max-buffer-size", "blocking", None)]


@pytest.mark.parametrize(
    ("value", "variant"), [("yes", "default"), ("True", "spelling"), ("1", "spelling"), (" true", "default")]
)
def test_invalid_create_group(value: str, variant: str) -> None:
    data = task(awslogs(**FULL_OPTIONS, **{"awslogs-create-group": value}))
    assert found(invalid_awslogs_create_group, data) == [(f"{OPTS}/awslogs-create-group", variant, None)]


@pytest.mark.parametrize("value", ["true", "false", "${CREATE}", True])
def test_valid_create_group(value: JSON) -> None:
    assert found(invalid_awslogs_create_group, task(awslogs(**{"awslogs-create-group": value}))) == []


ECR = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.0"


def _ssm(region: str) -> JSON:
    return {"name": "DB", "valueFrom": f"arn:aws:ssm:{region}:210987654321:parameter/db"}


def test_awslogs_region_mismatch_against_image() -> None:
    data = task(awslogs(**{**FULL_OPTIONS, "awslogs-region": "us-east-1"}))
    data["containerDefinitions"][0]["image"] = ECR  # type: ignore[index,call-overload]
    assert found(awslogs_region_mismatch, data) == [(f"{OPTS}/awslogs-region", "default", None)]
    (violation,) = awslogs_region_mismatch(TaskDef(data))
    assert violation.params == {"region": "us-east-1", "expected": "eu-west-1", "container": "c0"}


def test_awslogs_region_mismatch_against_secrets_and_image_wins_ties() -> None:
    data = task(awslogs(**{**FULL_OPTIONS, "awslogs-region": "us-east-1"}), {"logDriver": "splunk"})
    data["containerDefinitions"][1]["secrets"] = [_ssm("ap-south-1")]  # type: ignore[index,call-overload]
    assert found(awslogs_region_mismatch, data) == [(f"{OPTS}/awslogs-region", "default", None)]
    data["containerDefinitions"][0]["image"] = ECR  # type: ignore[index,call-overload]
    (violation,) = awslogs_region_mismatch(TaskDef(data))
    assert violation.params["expected"] == "eu-west-1"


@pytest.mark.parametrize(
    ("region", "image", "secret_region"),
    [
        ("eu-west-1", ECR, None),
        ("us-east-1", "nginx:1.27", None),
        ("us-east-1", ECR, "us-east-1"),
        ("${AWS_REGION}", ECR, None),
        ("REGION", ECR, None),
    ],
)
def test_awslogs_region_mismatch_silent(region: str, image: str, secret_region: str | None) -> None:
    data = task(awslogs(**{**FULL_OPTIONS, "awslogs-region": region}))
    container = data["containerDefinitions"][0]  # type: ignore[index]
    container["image"] = image  # type: ignore[index,call-overload]
    if secret_region:
        container["secrets"] = [_ssm(secret_region)]  # type: ignore[index,call-overload]
    assert found(awslogs_region_mismatch, data) == []


def test_splunk_missing_options() -> None:
    data = task(
        {"logDriver": "splunk", "options": {"splunk-url": "https://splunk:8088"}},
        {"logDriver": "splunk"},
        {
            "logDriver": "splunk",
            "options": {"splunk-url": "u"},
            "secretOptions": [{"name": "splunk-token", "valueFrom": "t"}],
        },
    )
    assert found(splunk_missing_options, data) == [
        (OPTS, "default", None),
        ("/containerDefinitions/1/logConfiguration", "default", None),
    ]
    missing = [v.params["missing"] for v in splunk_missing_options(TaskDef(data))]
    assert missing == ["splunk-token", "splunk-url, splunk-token"]


@pytest.mark.parametrize(
    "log",
    [
        {"logDriver": "splunk", "options": {"Ref": "Opts"}},
        {"logDriver": "splunk", "options": {"splunk-url": "u"}, "secretOptions": [{"name": "${N}", "valueFrom": "t"}]},
        {"logDriver": "splunk", "options": {"splunk-url": "u"}, "secretOptions": "x"},
        {"logDriver": "splunk", "options": "x"},
        {"logDriver": "awslogs"},
    ],
)
def test_splunk_missing_options_silent(log: JSON) -> None:
    assert found(splunk_missing_options, task(log)) == []


def _firelens(options: JSON, launch: str | None = "FARGATE") -> dict[str, JSON]:
    data = task({"logDriver": "awslogs"}, launch=launch)
    data["containerDefinitions"][0]["firelensConfiguration"] = {"type": "fluentbit", "options": options}  # type: ignore[index,call-overload]
    return data


def test_firelens_s3_config_on_fargate() -> None:
    pointer = "/containerDefinitions/0/firelensConfiguration/options/config-file-type"
    assert found(firelens_s3_config_on_fargate, _firelens({"config-file-type": "s3"})) == [(pointer, "default", None)]
    assert found(firelens_s3_config_on_fargate, _firelens({"config-file-type": "file"})) == []
    assert found(firelens_s3_config_on_fargate, _firelens({"config-file-type": "s3"}, launch="EC2")) == []
    assert found(firelens_s3_config_on_fargate, _firelens({"config-file-type": "s3"}, launch=None)) == []
    assert found(firelens_s3_config_on_fargate, _firelens("s3")) == []


@pytest.mark.parametrize(
    ("group", "variant", "substring"),
    [
        ("/ecs/my api", "default", (7, 8)),
        ("<log-group>", "default", (0, 1)),
        ("ecs:web", "default", (3, 4)),
        ("g" * 513, "length", None),
    ],
)
def test_invalid_log_group_name(group: str, variant: str, substring: tuple[int, int] | None) -> None:
    data = task(awslogs(**{**FULL_OPTIONS, "awslogs-group": group}))
    assert found(invalid_log_group_name, data) == [(f"{OPTS}/awslogs-group", variant, substring)]


@pytest.mark.parametrize("group", ["/ecs/web", "/ecs/my-api#prod", "a.b_c", "", "${GROUP}", "/ecs/${ENV}/web"])
def test_valid_log_group_name(group: str) -> None:
    assert found(invalid_log_group_name, task(awslogs(**{**FULL_OPTIONS, "awslogs-group": group}))) == []


# -- ECS404-ECS412: well-formed findings, never an exception ----------------------------------------

_REPO = Path(__file__).resolve().parents[2]
NEW_RULES = {
    rule.check: rule
    for rule in (load_file(p) for p in sorted((_REPO / "rules" / "logging").glob("*.yaml")))
    if rule.id >= "ECS404"
}
_TEXT = st.sampled_from(
    [
        "",
        "awslogs",
        "splunk",
        "awslogs-group",
        "awslogs-region",
        "mode",
        "max-buffer-size",
        "awslogs-create-group",
        "awslogs-datetime-format",
        "awslogs-multiline-pattern",
        "blocking",
        "eu-west-1",
        "us-east-1",
        "s3",
        "FARGATE",
        ECR,
        "${X}",
    ]
) | st.text(max_size=20)
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=10,
)
_LOG = st.fixed_dictionaries(
    {},
    optional={
        "logDriver": _TEXT,
        "options": st.dictionaries(_TEXT, _ANY, max_size=4) | _ANY,
        "secretOptions": st.lists(st.fixed_dictionaries({}, optional={"name": _ANY, "valueFrom": _ANY}), max_size=2)
        | _ANY,
    },
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT,
        "image": _TEXT,
        "logConfiguration": _LOG | _ANY,
        "firelensConfiguration": st.fixed_dictionaries({}, optional={"options": _ANY}) | _ANY,
        "secrets": _ANY,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "requiresCompatibilities": st.lists(_TEXT, max_size=2) | _ANY,
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=3) | _ANY,
    },
)


def test_new_logging_rules_are_all_loaded() -> None:
    assert sorted(rule.id for rule in NEW_RULES.values()) == [f"ECS{n}" for n in range(404, 414)]


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "describe", "cloudformation", "containers"]))
def test_logging_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for name, rule in sorted(NEW_RULES.items()):
        for violation in getattr(logging, name)(TaskDef(data, origin)):
            target = resolve(data, violation.pointer)
            assert target is not MISSING, (rule.id, violation.pointer)
            assert violation.variant in rule.messages, (rule.id, violation.variant)
            assert violation.at == "value"
            if violation.substring is not None:
                start, end = violation.substring
                assert isinstance(target, str) and 0 <= start < end <= len(target), (rule.id, violation)
            rule.message(violation.variant, violation.params)


# -- ECS413 invalid-awslogs-region ------------------------------------------------------------------


@pytest.mark.parametrize("region", ["europe", "eu-west", "Europe (Ireland)", "eu_west_1", "euwest1"])
def test_invalid_awslogs_region(region: str) -> None:
    data = task(awslogs(**{**FULL_OPTIONS, "awslogs-region": region}))
    assert run(invalid_awslogs_region, data) == [
        ("/containerDefinitions/0/logConfiguration/options/awslogs-region", "default")
    ]
    (violation,) = invalid_awslogs_region(TaskDef(data))
    assert violation.params == {"region": region, "container": "c0"}


@pytest.mark.parametrize(
    "region",
    [
        "us-east-1",
        "us-gov-west-1",
        "cn-north-1",
        "eu-isoe-west-1",
        "ap-southeast-7",
        "EU-WEST-1",
        "${AWS_REGION}",
        "<REGION>",
        "AWS_REGION",
        "",
    ],
)
def test_invalid_awslogs_region_silent(region: str) -> None:
    assert run(invalid_awslogs_region, task(awslogs(**{**FULL_OPTIONS, "awslogs-region": region}))) == []
    assert run(invalid_awslogs_region, task({"logDriver": "splunk", "options": {"awslogs-region": "europe"}})) == []


# -- ECS405-ECS408 where Docker creates the containers (docs/facts.md 29) ---------------------------


@pytest.mark.parametrize(
    ("check", "options", "variant"),
    [
        (
            awslogs_datetime_and_multiline,
            {"awslogs-datetime-format": "%Y", "awslogs-multiline-pattern": "^x"},
            "docker",
        ),
        (invalid_log_mode, {"mode": "async"}, "docker"),
        (invalid_log_mode, {"mode": "nonblocking"}, "suggestion-docker"),
        (invalid_max_buffer_size, {"mode": "non-blocking", "max-buffer-size": "lots"}, "docker"),
        (invalid_max_buffer_size, {"mode": "blocking", "max-buffer-size": "25m"}, "blocking-docker"),
        (invalid_awslogs_create_group, {"awslogs-create-group": "yes"}, "docker"),
        (invalid_awslogs_create_group, {"awslogs-create-group": "True"}, "spelling"),  # Docker reads it
    ],
)
def test_options_docker_refuses_are_errors_where_docker_runs_the_task(
    check: Check, options: dict[str, JSON], variant: str
) -> None:
    log = awslogs(**FULL_OPTIONS, **options)
    for launch in ("EC2", "EXTERNAL"):
        assert [v for _, v in run(check, task(log, launch=launch))] == [variant]
    # Fargate, Managed Instances or no requiresCompatibilities (ECS may find it Fargate-compatible): a warning
    for launch in ("FARGATE", "MANAGED_INSTANCES", None):
        assert [v for _, v in run(check, task(log, launch=launch))] == [
            variant.removesuffix("-docker").replace("docker", "default")
        ]
    rule = next(rule for rule in builtin().rules if rule.check == check.__name__)
    expected = Severity.WARNING if variant == "spelling" else Severity.ERROR
    assert rule.severity_for(variant, None) == rule.severity_for(variant, "unknown") == expected
    assert rule.severity_for("default", None) == Severity.WARNING
    assert "{" not in rule.message(
        variant, {"mode": "m", "size": "s", "value": "v", "container": "c", "suggestion": "x"}
    )
