"""Tests for ecslint.checks.secrets: ECS301 to ECS313."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import load_file
from ecslint.checks import secrets
from ecslint.checks.secrets import (
    credentials_parameter_problem,
    ecr_image_without_execution_role,
    environment_files_without_execution_role,
    execution_role_not_arn,
    invalid_account_id,
    invalid_credentials_parameter,
    invalid_role_arn,
    invalid_secret_reference,
    placeholder_value,
    repository_credentials_on_ecr_image,
    repository_credentials_without_execution_role,
    role_arn_problem,
    secret_region_mismatch,
    secrets_without_execution_role,
    template_variable,
)
from ecslint.core.model import JSON, Occurrence
from ecslint.core.pointer import MISSING, resolve
from ecslint.core.taskdef import TaskDef
from tests.workcount import grows_linearly, steps

ROLE = "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"
SECRET0 = "/containerDefinitions/0/secrets/0/valueFrom"


def at(value: str, text: str, occurrence: int = 1) -> tuple[int, int]:
    """The span of the n-th ``text`` in ``value``."""
    start = -1
    for _ in range(occurrence):
        start = value.index(text, start + 1)
    return (start, start + len(text))


def with_secrets(*value_froms: JSON, **task: JSON) -> dict[str, JSON]:
    secrets: list[JSON] = [{"name": f"S{i}", "valueFrom": v} for i, v in enumerate(value_froms)]
    container: dict[str, JSON] = {"name": "api", "image": "example/api:2.3.0", "secrets": secrets}
    return {"executionRoleArn": ROLE, "containerDefinitions": [container], **task}


# -- ECS301 invalid-secret-reference ----------------------------------------------------------

VALID_REFERENCES = [
    "db_pass",
    "gokabot.OPEN_WEATHER_API_KEY",
    "/prod/lgtm-cat/api/DB_PASSWORD",
    "/aws/reference/secretsmanager/prod-db",
    "arn:aws:ssm:us-east-1:210987654321:parameter/prod/db/password",
    "arn:aws:ssm:eu-west-1:210987654321:parameter/db_pass",
    "arn:aws-cn:ssm:cn-north-1:210987654321:parameter/db",
    "arn:aws-us-gov:ssm:us-gov-west-1:210987654321:parameter/db",
    "arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/db-AbCdEf",
    "arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/db",
    "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf:username::",
    "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf::AWSPREVIOUS:",
    "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf:::a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    "arn:aws:secretsmanager:eu-west-1:766050776668:secret:rds!cluster-4b3e3ef1-fSJVrq:password::",
    "arn:aws:secretsmanager:eu-west-2:879381242898:secret:/plexe-router/prod/KEY-bFdOKD",
]


@pytest.mark.parametrize("value", VALID_REFERENCES)
def test_valid_secret_references(value: str) -> None:
    assert run(invalid_secret_reference, with_secrets(value)) == []


def _case(value: str, variant: str, text: str | None, occurrence: int = 1) -> tuple[str, str, tuple[int, int] | None]:
    return (value, variant, at(value, text, occurrence) if text is not None else None)


INVALID_REFERENCES = [
    _case("", "empty", None),
    _case("prod/db/password", "ssm-missing-slash", "prod/db/password"),
    _case("/prod//db", "ssm-empty-level", "//"),
    _case("/prod/db/", "ssm-empty-level", "/", 3),
    _case("db password", "ssm-characters", " "),
    _case("/prod/db:pass", "ssm-characters", ":"),
    _case("aws-db-pass", "ssm-reserved-prefix", "aws"),
    _case("/SSM/db", "ssm-reserved-prefix", "SSM"),
    _case("/aws/custom", "ssm-reserved-prefix", "aws"),
    _case("arn:aws:ssm:us-east-1:210987654321:parameter//prod/db", "ssm-arn-double-slash", "//"),
    _case("arn:aws:ssm:us-east-1:210987654321:parameter:db", "ssm-arn-colon", ":", 6),
    _case("arn:aws:ssm:us-east-1:210987654321:param/db", "ssm-arn-resource", "param/db"),
    _case("arn:aws:ssm:us-east-1:210987654321:parameter/", "ssm-arn-no-name", "parameter/"),
    _case("arn:aws:ssm:us-east-1:210987654321:parameter/ssm_db", "ssm-reserved-prefix", "ssm", 2),
    _case("arn:aws:ssm:us-east-1:210987654321:parameter/a b", "ssm-characters", " "),
    _case("arn:aws:ssm:us-east-1:210987654321", "arn-malformed", None),
    _case("arn:amazon:ssm:us-east-1:210987654321:parameter/db", "arn-partition", "amazon"),
    _case("arn:aws:kms:us-east-1:210987654321:key/1234abcd", "arn-service", "kms"),
    _case("arn:aws:s3:::my-bucket/secrets.env", "arn-service", "s3"),
    _case("arn:aws:ssm::210987654321:parameter/db", "arn-region-missing", "::"),
    _case("arn:aws:ssm:us-east-1a:210987654321:parameter/db", "arn-region", "us-east-1a"),
    _case("arn:aws:secretsmanager:us-east-1:210987654321:db-AbCdEf", "sm-arn-resource", "db-AbCdEf"),
    _case("arn:aws:secretsmanager:us-east-1:210987654321:secret:", "sm-no-name", "secret:"),
    _case("arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf:password", "sm-field-count", ":password"),
    _case("arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf:password:", "sm-field-count", ":password:"),
    _case("arn:aws:secretsmanager:us-east-1:210987654321:secret:db:k:s:i:x", "sm-field-count", ":k:s:i:x"),
    _case(
        "arn:aws:secretsmanager:us-east-1:210987654321:secret:db:k:AWSCURRENT:abc", "sm-stage-and-id", "AWSCURRENT:abc"
    ),
]


@pytest.mark.parametrize(("value", "variant", "substring"), INVALID_REFERENCES)
def test_invalid_secret_references(value: str, variant: str, substring: tuple[int, int] | None) -> None:
    assert run(invalid_secret_reference, with_secrets(value)) == [(SECRET0, variant, substring)]


def test_secret_reference_params() -> None:
    (violation,) = invalid_secret_reference(TaskDef(with_secrets("arn:aws:kms:us-east-1:210987654321:key/x")))
    assert violation.params == {
        "value": "arn:aws:kms:us-east-1:210987654321:key/x",
        "container": "api",
        "service": "kms",
    }


def test_secret_options_are_checked() -> None:
    log: JSON = {
        "logDriver": "splunk",
        "secretOptions": [{"name": "splunk-token", "valueFrom": "splunk/token"}, {"name": "x", "valueFrom": "/ok"}],
    }
    data: dict[str, JSON] = {"executionRoleArn": ROLE, "containerDefinitions": [{"name": "a", "logConfiguration": log}]}
    pointer = "/containerDefinitions/0/logConfiguration/secretOptions/0/valueFrom"
    assert run(invalid_secret_reference, data) == [(pointer, "ssm-missing-slash", (0, 12))]


@pytest.mark.parametrize(
    "value",
    [
        "${JWT_SECRET_ARN}",
        "${secrets_manager_database_arn}:POSTGRES_USER::",
        "arn:aws:ssm:REGION:ACCOUNT_ID:parameter//db",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:REPLACE-tenant:local_token",
        "<db-password-parameter>",
        {"Ref": "DbPasswordParameter"},
        42,
    ],
)
def test_secret_reference_skips_placeholders_and_unknowns(value: JSON) -> None:
    assert run(invalid_secret_reference, with_secrets(value)) == []


@pytest.mark.parametrize(
    "container",
    [
        {"name": "a", "secrets": "db"},
        {"name": "a", "secrets": [None, "x", {"name": "x"}, {"valueFrom": 3}]},
        {"name": "a", "logConfiguration": {"logDriver": "awslogs", "secretOptions": {"x": 1}}},
        {"name": "a", "logConfiguration": "awslogs"},
    ],
)
def test_secret_reference_strange_shapes(container: JSON) -> None:
    assert run(invalid_secret_reference, {"containerDefinitions": [container]}) == []


# -- ECS302 secret-region-mismatch ------------------------------------------------------------


def _ssm(region: str, name: str = "db") -> str:
    return f"arn:aws:ssm:{region}:210987654321:parameter/{name}"


def _awslogs(region: str) -> JSON:
    return {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/api", "awslogs-region": region}}


def test_region_mismatch_against_awslogs() -> None:
    data = with_secrets(_ssm("us-east-1"), _ssm("eu-west-1", "user"))
    data["containerDefinitions"][0]["logConfiguration"] = _awslogs("eu-west-1")  # type: ignore[index,call-overload]
    assert run(secret_region_mismatch, data) == [(SECRET0, "default", (12, 21))]
    (violation,) = secret_region_mismatch(TaskDef(data))
    assert violation.params["region"] == "us-east-1" and violation.params["expected"] == "eu-west-1"


def test_region_mismatch_against_ecr_image() -> None:
    data = with_secrets("arn:aws:secretsmanager:ap-northeast-1:210987654321:secret:db-AbCdEf")
    data["containerDefinitions"][0]["image"] = "210987654321.dkr.ecr.us-west-2.amazonaws.com/api:2.3.0"  # type: ignore[index,call-overload]
    assert run(secret_region_mismatch, data) == [(SECRET0, "default", (23, 37))]


def test_thousands_of_secrets_are_compared_in_linear_steps() -> None:
    # each secret's Region was compared with a list of every other secret's Region
    def work(count: int) -> int:
        regions = ["us-east-1", "eu-west-1", "us-east-1"]
        data = with_secrets(*(_ssm(regions[i % 3], f"p{i}") for i in range(count)))
        return steps(lambda: list(secret_region_mismatch(TaskDef(data))))

    grows_linearly(work, 300)
    data = with_secrets(*(_ssm(["us-east-1", "eu-west-1", "us-east-1"][i % 3], f"p{i}") for i in range(6)))
    assert [p for p, _, _ in run(secret_region_mismatch, data)] == [
        "/containerDefinitions/0/secrets/1/valueFrom",
        "/containerDefinitions/0/secrets/4/valueFrom",
    ]


def test_region_majority_wins_and_ties_go_to_the_first_seen() -> None:
    data = with_secrets(_ssm("us-east-1"), _ssm("us-east-1", "b"), _ssm("eu-west-1", "c"))
    assert run(secret_region_mismatch, data) == [("/containerDefinitions/0/secrets/2/valueFrom", "default", (12, 21))]
    # awslogs (seen before any secret) breaks the tie for the eu-west-1 secret's view
    data = with_secrets(_ssm("us-east-1"), _ssm("eu-west-1", "b"))
    data["containerDefinitions"][0]["logConfiguration"] = _awslogs("us-east-1")  # type: ignore[index,call-overload]
    assert run(secret_region_mismatch, data) == [("/containerDefinitions/0/secrets/1/valueFrom", "default", (12, 21))]


@pytest.mark.parametrize(
    "data",
    [
        with_secrets(_ssm("us-east-1")),
        with_secrets(_ssm("us-east-1"), "/prod/db", "db_pass"),
        with_secrets(_ssm("us-east-1"), _ssm("us-east-1", "b")),
        with_secrets("arn:aws:ssm:${AWS_REGION}:210987654321:parameter/db", _ssm("eu-west-1")),
        with_secrets("arn:aws:ssm:REGION:210987654321:parameter/db", _ssm("eu-west-1")),
    ],
)
def test_region_mismatch_silent(data: dict[str, JSON]) -> None:
    assert run(secret_region_mismatch, data) == []


def test_region_mismatch_ignores_placeholder_awslogs_region() -> None:
    data = with_secrets(_ssm("us-east-1"))
    data["containerDefinitions"][0]["logConfiguration"] = _awslogs("<AWS_REGION>")  # type: ignore[index,call-overload]
    assert run(secret_region_mismatch, data) == []


# -- ECS303 secrets-without-execution-role ------------------------------------------------------


def test_secrets_without_execution_role() -> None:
    data: dict[str, JSON] = {
        "containerDefinitions": [
            {"name": "a", "secrets": [{"name": "X", "valueFrom": "/x"}]},
            {"name": "b", "secrets": []},
            {
                "name": "c",
                "logConfiguration": {"logDriver": "splunk", "secretOptions": [{"name": "t", "valueFrom": "t"}]},
            },
        ]
    }
    # one mistake, the missing role: one finding at the first place, naming the others
    (violation,) = secrets_without_execution_role(TaskDef(data))
    assert (violation.pointer, violation.variant) == ("/containerDefinitions/0/secrets", "default-more")
    assert [o.pointer for o in violation.occurrences] == [
        "/containerDefinitions/0/secrets",
        "/containerDefinitions/2/logConfiguration/secretOptions",
    ]
    data["executionRoleArn"] = ""
    assert len(run(secrets_without_execution_role, data)) == 1
    data["containerDefinitions"] = data["containerDefinitions"][:1]  # type: ignore[index]
    assert run(secrets_without_execution_role, data) == [("/containerDefinitions/0/secrets", "default", None)]


def test_missing_execution_role_is_one_finding_whatever_needs_it() -> None:
    ecr = "210987654321.dkr.ecr.us-east-1.amazonaws.com/app:1.0"
    awslogs = {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/a", "awslogs-region": "us-east-1"}}
    app = {"name": "a", "image": ecr, "logConfiguration": awslogs, "environmentFiles": [{"value": "x", "type": "s3"}]}
    data: dict[str, JSON] = {"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [app]}
    # without secrets or credentials, ECS403 (awslogs, in checks/logging.py) is the first that applies
    for check in (
        secrets_without_execution_role,
        repository_credentials_without_execution_role,
        ecr_image_without_execution_role,
        environment_files_without_execution_role,
    ):
        assert run(check, data) == []
    (need, *others) = secrets.execution_role_needs(TaskDef(data))
    assert need.check == "awslogs_without_execution_role"
    assert [other.check for other in others] == [
        "ecr_image_without_execution_role",
        "environment_files_without_execution_role",
    ]
    (violation,) = secrets.role_findings(TaskDef(data), "awslogs_without_execution_role")
    assert violation.variant == "default-more"
    assert [o.pointer for o in violation.occurrences] == [
        "/containerDefinitions/0/logConfiguration/logDriver",
        "/containerDefinitions/0/image",
        "/containerDefinitions/0/environmentFiles",
    ]
    app["secrets"] = [{"name": "X", "valueFrom": "/x"}]
    (violation,) = secrets_without_execution_role(TaskDef(data))
    assert (violation.pointer, len(violation.occurrences)) == ("/containerDefinitions/0/secrets", 4)


@pytest.mark.parametrize(
    "role", [ROLE, "${EXECUTION_ROLE_ARN}", {"Fn::GetAtt": ["Role", "Arn"]}, "ecsTaskExecutionRole"]
)
def test_secrets_with_execution_role(role: JSON) -> None:
    assert run(secrets_without_execution_role, with_secrets("/x", executionRoleArn=role)) == []


# -- ECS304 placeholder-value -----------------------------------------------------------------

SEED_ARN = "arn:aws:iam::アカウントID:role/ECSTaskRole"
SEED_IMAGE = "アカウントID.dkr.ecr.ap-northeast-1.amazonaws.com/postman/laravel:latest"


def test_placeholder_in_seed_values() -> None:
    data: dict[str, JSON] = {
        "taskRoleArn": SEED_ARN,
        "executionRoleArn": SEED_ARN,
        "containerDefinitions": [{"name": "laravel", "image": SEED_IMAGE}],
    }
    # one token in three values is one mistake: one violation at the first, with every place
    assert run(placeholder_value, data) == [("/taskRoleArn", "default-many", (13, 20))]
    assert SEED_ARN[13:20] == "アカウントID" and SEED_IMAGE[0:7] == "アカウントID"
    (found,) = placeholder_value(TaskDef(data))
    assert found.occurrences == (
        Occurrence("/taskRoleArn", substring=(13, 20)),
        Occurrence("/executionRoleArn", substring=(13, 20)),
        Occurrence("/containerDefinitions/0/image", substring=(0, 7)),
    )
    assert found.covers == ()  # the rest of each value is still judged (ECS210, ECS611)


def test_placeholder_tokens_are_grouped_per_token() -> None:
    data: dict[str, JSON] = {
        "taskRoleArn": "arn:aws:iam::ACCOUNT_ID:role/web",
        "executionRoleArn": "arn:aws:iam::<account-id>:role/exec",
        "containerDefinitions": [{"name": "web", "image": "ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/web:1.0"}],
    }
    assert run(placeholder_value, data) == [
        ("/taskRoleArn", "default-many", (13, 23)),
        ("/executionRoleArn", "default", (13, 25)),
        ("/containerDefinitions/0/image", "region", (19, 25)),
    ]


def test_a_size_that_is_only_a_placeholder_is_reported_and_covered() -> None:
    data: dict[str, JSON] = {"cpu": "<CPU>", "memory": "YOUR_MEMORY", "containerDefinitions": []}
    found = list(placeholder_value(TaskDef(data)))
    assert [(v.pointer, v.variant, v.covers) for v in found] == [
        ("/cpu", "text", ("/cpu",)),
        ("/memory", "text", ("/memory",)),
    ]
    # a size with placeholder text in it is not a whole placeholder: the size rules judge it
    assert run(placeholder_value, {"cpu": "1024 <vcpu>"}) == []


PLACEHOLDER_ARNS = [
    ("arn:aws:iam::<account-id>:role/ecsTaskExecutionRole", [("default", "<account-id>")]),
    ("arn:aws:iam::<ACCOUNT_ID>:role/x", [("default", "<ACCOUNT_ID>")]),
    ("arn:aws:iam::ACCOUNT_ID:role/x", [("default", "ACCOUNT_ID")]),
    ("arn:aws:iam::AWS_ACCOUNT_ID:role/x", [("default", "AWS_ACCOUNT_ID")]),
    ("arn:aws:iam::YOUR_ACCOUNT_ID:role/x", [("default", "YOUR_ACCOUNT_ID")]),
    ("arn:aws:iam::account-id:role/x", [("default", "account-id")]),
    ("arn:aws:iam::xxxxxxxxxxxx:role/x", [("default", "xxxxxxxxxxxx")]),
    ("arn:aws:iam::{AWS_ID}:role/x", [("default", "{AWS_ID}")]),
    ("arn:aws:iam::123456789012:role/x", [("example-account", "123456789012")]),
    ("arn:aws:iam::111122223333:role/x", [("example-account", "111122223333")]),
    ("arn:aws:ssm:REGION:ACCOUNT_ID:parameter/db", [("region", "REGION"), ("default", "ACCOUNT_ID")]),
    ("arn:aws:ssm:<region>:210987654321:parameter/db", [("region", "<region>")]),
    ("arn:aws:ssm:your-region:210987654321:parameter/db", [("region", "your-region")]),
    ("arn:aws:iam::210987654321:role/<your-role-name>", [("text", "<your-role-name>")]),
    ("arn:aws:iam::210987654321:role/YOUR_ROLE", [("text", "YOUR_ROLE")]),
]


@pytest.mark.parametrize(("arn", "expected"), PLACEHOLDER_ARNS)
def test_placeholders_in_role_arn(arn: str, expected: list[tuple[str, str]]) -> None:
    found = run(placeholder_value, {"executionRoleArn": arn})
    assert found == [("/executionRoleArn", variant, at(arn, text)) for variant, text in expected]


PLACEHOLDER_IMAGES = [
    ("ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/app:1.0", [("default", "ACCOUNT_ID"), ("region", "REGION")]),
    ("<account-id>.dkr.ecr.us-east-1.amazonaws.com/app:1.0", [("default", "<account-id>")]),
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0", [("example-account", "123456789012")]),
    ("210987654321.dkr.ecr.<region>.amazonaws.com/app:1.0", [("region", "<region>")]),
    ("ghcr.io/<user>/<repo>:latest", [("text", "<user>"), ("text", "<repo>")]),
    ("YOUR_ECR_REPO_URI:latest", [("text", "YOUR_ECR_REPO_URI")]),
    ("REPLACE_ME_WITH_ECR_IMAGE_URL", [("text", "REPLACE_ME")]),
]


@pytest.mark.parametrize(("image", "expected"), PLACEHOLDER_IMAGES)
def test_placeholders_in_image(image: str, expected: list[tuple[str, str]]) -> None:
    found = run(placeholder_value, {"containerDefinitions": [{"name": "app", "image": image}]})
    assert found == [("/containerDefinitions/0/image", variant, at(image, text)) for variant, text in expected]


def test_placeholders_in_other_reference_fields() -> None:
    data: dict[str, JSON] = {
        "taskRoleArn": "<TASK_ROLE_ARN>",
        "containerDefinitions": [
            {
                "name": "app",
                "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:ACCOUNT:secret:x"},
                "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::<bucket>/app.env"}],
                "environment": [{"name": "TOPIC", "value": "arn:aws:sns:us-east-1:123456789012:events"}],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-region": "REGION"}},
            }
        ],
    }
    base = "/containerDefinitions/0"
    assert run(placeholder_value, data) == [
        ("/taskRoleArn", "text", (0, 15)),
        (f"{base}/repositoryCredentials/credentialsParameter", "default", (33, 40)),
        (f"{base}/environmentFiles/0/value", "text", (13, 21)),
        (f"{base}/environment/0/value", "example-account", (22, 34)),
        (f"{base}/logConfiguration/options/awslogs-region", "region", (0, 6)),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"taskRoleArn": "arn:aws:iam::210987654321:role/ecsTaskRole", "executionRoleArn": "ecsTaskExecutionRole"},
        {"taskRoleArn": "arn:aws:iam::${AWS_ACCOUNT_ID}:role/x"},
        {"taskRoleArn": "arn:aws:iam::{{ACCOUNT_ID}}:role/x"},
        {"taskRoleArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
        {"taskRoleArn": "arn:aws:iam::000000000000:role/localstack"},
        {"taskDefinitionArn": "arn:aws:ecs:<region>:1234567:task-definition/web:1"},
        {"containerDefinitions": [{"name": "a", "image": "<IMAGE1_NAME>"}]},
        {"containerDefinitions": [{"name": "a", "image": "<+artifacts.primary.image>"}]},
        {"containerDefinitions": [{"name": "a", "image": "210987654321.dkr.ecr.us-east-1.amazonaws.com/app:1"}]},
        {"containerDefinitions": [{"name": "a", "environment": [{"name": "X", "value": "<html>"}]}]},
        {"containerDefinitions": [{"name": "a", "logConfiguration": {"options": {"awslogs-region": "us-east-1"}}}]},
        {"taskRoleArn": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/x"}},
    ],
)
def test_placeholder_silent(data: dict[str, JSON]) -> None:
    assert run(placeholder_value, data) == []


def env_values(*values: str, **container: JSON) -> dict[str, JSON]:
    environment: list[JSON] = [{"name": f"V{i}", "value": v} for i, v in enumerate(values)]
    return {"containerDefinitions": [{"name": "a", "image": "nginx:1.25", "environment": environment, **container}]}


def test_wildcard_account_in_application_arn_is_not_a_placeholder() -> None:
    # found by tests/test_valid_definitions.py: an environment value may hold an IAM-style pattern
    labels: JSON = {"queues": "arn:aws:sqs:eu-west-1:*:jobs"}
    data = env_values("arn:aws:sqs:*:*:jobs-*", "arn:aws:execute-api:eu-west-1:*:abc123/*", dockerLabels=labels)
    assert run(placeholder_value, data) == []
    assert run(invalid_account_id, data) == []


def test_wildcard_account_in_role_arn_is_still_reported() -> None:
    assert run(placeholder_value, {"executionRoleArn": "arn:aws:iam::*:role/ecsTaskExecutionRole"}) == [
        ("/executionRoleArn", "default", (13, 14))
    ]


def test_placeholder_account_in_application_arn_is_still_reported() -> None:
    assert run(placeholder_value, env_values("arn:aws:sqs:eu-west-1:<account-id>:jobs")) == [
        ("/containerDefinitions/0/environment/0/value", "default", (22, 34))
    ]


# -- ECS305 template-variable ------------------------------------------------------------------


def test_template_variables() -> None:
    data: dict[str, JSON] = {
        "family": "${ECS_TASK_FAMILY}",
        "executionRoleArn": "arn:aws:iam::${AWS_ACCOUNT_ID}:role/ecsTaskExecutionRole",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "${ECR_URL}/web:${TAG}",
                "environment": [{"name": "ENV", "value": "{{ .Env }}"}, {"name": "P", "value": "$PATH:/opt/bin"}],
                "command": ["sh", "-c", "exec app --port $PORT ${EXTRA}"],
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:$PORT/ || exit 1"]},
                "entryPoint": ["/entry.sh", "{{ .Entrypoint }}"],
                "dockerLabels": {"group": "<+env.name>"},
            },
            {"name": "gw", "image": "<IMAGE1_NAME>"},
        ],
    }
    # one finding lists the variables, the CodeDeploy image placeholder among them (issue 12)
    assert run(template_variable, data) == [("/family", "several", (0, 18))]
    (listed,) = template_variable(TaskDef(data))
    assert listed.params["variables"] == (
        "'${ECS_TASK_FAMILY}', '${AWS_ACCOUNT_ID}', '${ECR_URL}', '${TAG}', '{{ .Env }}', '$PATH' and 3 more"
    )
    assert listed.params["found"][-1] == "<IMAGE1_NAME>"
    assert listed.per_file == ""
    assert [(o.pointer, o.substring) for o in listed.occurrences] == [
        ("/family", (0, 18)),
        ("/executionRoleArn", (13, 30)),
        ("/containerDefinitions/0/image", (0, 10)),
        ("/containerDefinitions/0/image", (15, 21)),
        ("/containerDefinitions/0/environment/0/value", (0, 10)),
        ("/containerDefinitions/0/environment/1/value", (0, 5)),
        ("/containerDefinitions/0/entryPoint/1", (0, 17)),
        ("/containerDefinitions/0/dockerLabels/group", (0, 11)),
        ("/containerDefinitions/1/image", None),
    ]


def test_codedeploy_image_placeholders_alone_keep_their_own_message() -> None:
    one: dict[str, JSON] = {"containerDefinitions": [{"name": "a", "image": "<IMAGE1_NAME>"}]}
    assert run(template_variable, one) == [("/containerDefinitions/0/image", "codedeploy", None)]
    two: dict[str, JSON] = {
        "containerDefinitions": [{"name": "a", "image": "<IMAGE1_NAME>"}, {"name": "b", "image": "<IMAGE2_NAME>"}]
    }
    assert run(template_variable, two) == [("/containerDefinitions/0/image", "codedeploy-many", None)]


def test_one_template_variable_keeps_the_singular_message() -> None:
    data: dict[str, JSON] = {"containerDefinitions": [{"name": "a", "image": "web:${TAG}"}]}
    (found,) = template_variable(TaskDef(data))
    assert (found.pointer, found.variant, found.substring, found.occurrences) == (
        "/containerDefinitions/0/image",
        "default",
        (4, 10),
        (),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]},
        {"containerDefinitions": [{"name": "a", "command": ["sh", "-c", "echo $HOME ${USER}"]}]},
        {"containerDefinitions": [{"name": "a", "environment": [{"name": "PRICE", "value": "$5"}]}]},
        {"taskRoleArn": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/x"}},
    ],
)
def test_template_variable_silent(data: dict[str, JSON]) -> None:
    assert run(template_variable, data) == []


# -- ECS306 invalid-account-id -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "variant", "substring"),
    [
        ("arn:aws:iam::21098765432:role/x", "default", (13, 24)),
        ("arn:aws:iam::2109876543210:role/x", "default", (13, 26)),
        ("arn:aws:iam::21098765432a:role/x", "default", (13, 25)),
        ("arn:aws:iam::2109-8765-4321:role/x", "default", (13, 27)),
        # an empty account: the span covers the two colons around it
        ("arn:aws:iam:::role/x", "missing", (12, 14)),
        ("arn:aws:ssm:us-east-1::parameter/x", "missing", (21, 23)),
    ],
)
def test_invalid_account_in_arn(arn: str, variant: str, substring: tuple[int, int]) -> None:
    assert run(invalid_account_id, {"taskRoleArn": arn}) == [("/taskRoleArn", variant, substring)]


def test_invalid_registry_id() -> None:
    image = "12345678.dkr.ecr.eu-west-1.amazonaws.com/php-app:1.0"
    found = run(invalid_account_id, {"containerDefinitions": [{"name": "a", "image": image}]})
    assert found == [("/containerDefinitions/0/image", "registry", (0, 8))]


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::210987654321:role/x",
        "arn:aws:iam::ACCOUNT_ID:role/x",
        "arn:aws:iam::アカウントID:role/x",
        "arn:aws:iam::123456789012:role/x",
        "arn:aws:iam::${AWS_ACCOUNT_ID}:role/x",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:s3:::bucket/app.env",
        "ecsTaskRole",
    ],
)
def test_invalid_account_silent(value: str) -> None:
    assert run(invalid_account_id, {"taskRoleArn": value}) == []


def test_invalid_account_anywhere_but_read_only_fields() -> None:
    data: dict[str, JSON] = {
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:1234567:task-definition/web:1",
        "containerDefinitions": [
            {"name": "a", "environment": [{"name": "TOPIC", "value": "arn:aws:sns:us-east-1:70634150009:events"}]}
        ],
    }
    assert run(invalid_account_id, data) == [("/containerDefinitions/0/environment/0/value", "default", (22, 33))]


# -- ECS307 invalid-role-arn, ECS308 execution-role-not-arn ----------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::210987654321:role/ecsTaskExecutionRole",
        "arn:aws:iam::210987654321:role/service-role/ecs/app+task=1,x.y@z-w_v",
        "arn:aws-cn:iam::210987654321:role/app",
        "arn:aws-us-gov:iam::210987654321:role/" + "r" * 64,
    ],
)
def test_valid_role_arns(value: str) -> None:
    assert role_arn_problem(value) is None


@pytest.mark.parametrize(
    ("value", "variant", "substring"),
    [
        ("arn:aws:iam:210987654321:role/x", "malformed", None),
        ("arn:amazon:iam::210987654321:role/x", "partition", (4, 10)),
        ("arn:aws:sts::210987654321:assumed-role/x/y", "service", (8, 11)),
        ("arn:aws:iam:eu-west-1:210987654321:role/x", "region", (12, 21)),
        ("arn:aws:iam::210987654321:group/automation", "resource", (26, 31)),
        ("arn:aws:iam::210987654321:instance-profile/app", "resource", (26, 42)),
        ("arn:aws:iam::210987654321:x", "resource", (26, 27)),
        ("arn:aws:iam::210987654321:role/", "no-name", (26, 31)),
        ("arn:aws:iam::210987654321:role/my role", "name-characters", (33, 34)),
        ("arn:aws:iam::210987654321:role/pa th/app", "path-characters", (33, 34)),
        ("arn:aws:iam::210987654321:role/" + "r" * 65, "name-length", (31, 96)),
        ("arn:aws:iam::210987654321:role/" + "p" * 512 + "/r", "path-length", (30, 544)),
    ],
)
def test_invalid_role_arns(value: str, variant: str, substring: tuple[int, int] | None) -> None:
    expected = [("/executionRoleArn", variant, substring), ("/taskRoleArn", variant, substring)]
    data: dict[str, JSON] = {"executionRoleArn": value, "taskRoleArn": value}
    assert sorted(run(invalid_role_arn, data)) == expected


def test_task_role_may_be_a_name_but_not_any_text() -> None:
    assert run(invalid_role_arn, {"taskRoleArn": "api-task"}) == []
    assert run(invalid_role_arn, {"taskRoleArn": "api task"}) == [("/taskRoleArn", "name-characters", (3, 4))]
    (violation,) = invalid_role_arn(TaskDef({"taskRoleArn": "api task"}))
    assert violation.params["member"] == "taskRoleArn" and violation.params["characters"] == " "


@pytest.mark.parametrize(
    "value",
    [
        "",
        "${TASK_ROLE_ARN}",
        "arn:aws:iam::<ACCOUNT_ID>:role/x",
        "arn:aws:iam::ACCOUNT_ID:role/x",
        "REPLACE_TASK_ROLE_ARN",
        {"Fn::GetAtt": ["Role", "Arn"]},
        7,
    ],
)
def test_role_fields_left_to_other_rules(value: JSON) -> None:
    data: dict[str, JSON] = {"executionRoleArn": value, "taskRoleArn": value}
    assert run(invalid_role_arn, data) == [] and run(execution_role_not_arn, data) == []


def test_execution_role_not_arn() -> None:
    assert run(execution_role_not_arn, {"executionRoleArn": "ecsTaskExecutionRole"}) == [
        ("/executionRoleArn", "default", None)
    ]
    assert run(invalid_role_arn, {"executionRoleArn": "ecsTaskExecutionRole"}) == []
    assert run(execution_role_not_arn, {"executionRoleArn": ROLE, "taskRoleArn": "api-task"}) == []


# -- ECS309-ECS311 execution role needed -------------------------------------------------------------

ECR_IMAGE = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.0"
CREDENTIALS: JSON = {"credentialsParameter": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:pull-AbCdEf"}


def _containers(*containers: dict[str, JSON], **task: JSON) -> dict[str, JSON]:
    items: list[JSON] = [{"name": f"c{i}", "image": "example/api:2.3.0", **c} for i, c in enumerate(containers)]
    return {"family": "api", "containerDefinitions": items, **task}


def test_repository_credentials_without_execution_role() -> None:
    data = _containers(
        {"repositoryCredentials": CREDENTIALS}, {}, {"repositoryCredentials": {"credentialsParameter": ""}}
    )
    assert run(repository_credentials_without_execution_role, data) == [
        ("/containerDefinitions/0/repositoryCredentials", "default", None)
    ]
    data["executionRoleArn"] = ROLE
    assert run(repository_credentials_without_execution_role, data) == []
    partial = TaskDef(_containers({"repositoryCredentials": CREDENTIALS}), "containers")
    assert list(repository_credentials_without_execution_role(partial)) == []


def test_ecr_image_without_execution_role() -> None:
    data = _containers({"image": ECR_IMAGE}, {"image": "nginx:1.27"}, requiresCompatibilities=["FARGATE"])
    host_end = ECR_IMAGE.index("/")
    assert run(ecr_image_without_execution_role, data) == [("/containerDefinitions/0/image", "default", (0, host_end))]
    data["requiresCompatibilities"] = ["EXTERNAL"]
    assert run(ecr_image_without_execution_role, data) == [("/containerDefinitions/0/image", "external", (0, host_end))]


@pytest.mark.parametrize(
    "data",
    [
        _containers({"image": ECR_IMAGE}, requiresCompatibilities=["FARGATE"], executionRoleArn=ROLE),
        _containers({"image": ECR_IMAGE}, requiresCompatibilities=["EC2"]),
        _containers({"image": ECR_IMAGE}),
        _containers({"image": "public.ecr.aws/nginx/nginx:1.27"}, requiresCompatibilities=["FARGATE"]),
        _containers({"image": "${ECR_IMAGE}"}, requiresCompatibilities=["FARGATE"]),
        _containers({"image": "<IMAGE1_NAME>"}, requiresCompatibilities=["FARGATE"]),
        _containers({"image": ECR_IMAGE}, requiresCompatibilities=[{"Ref": "LaunchType"}]),
    ],
)
def test_ecr_image_without_execution_role_silent(data: dict[str, JSON]) -> None:
    assert run(ecr_image_without_execution_role, data) == []


def test_environment_files_without_execution_role() -> None:
    files: JSON = [{"type": "s3", "value": "arn:aws:s3:::config/app.env"}]
    data = _containers({"environmentFiles": files}, {"environmentFiles": []})
    assert run(environment_files_without_execution_role, data) == [
        ("/containerDefinitions/0/environmentFiles", "default", None)
    ]
    data["executionRoleArn"] = "${EXECUTION_ROLE}"
    assert run(environment_files_without_execution_role, data) == []


# -- ECS312 repository-credentials-on-ecr-image, ECS313 invalid-credentials-parameter ------------------


def test_repository_credentials_on_ecr_image() -> None:
    data = _containers(
        {"image": ECR_IMAGE, "repositoryCredentials": CREDENTIALS},
        {"image": "ghcr.io/example/api:2.3.0", "repositoryCredentials": CREDENTIALS},
        {"image": ECR_IMAGE, "repositoryCredentials": {"credentialsParameter": ""}},
        {"image": ECR_IMAGE},
    )
    assert run(repository_credentials_on_ecr_image, data) == [
        ("/containerDefinitions/0/repositoryCredentials", "default", None)
    ]


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:secretsmanager:eu-west-1:210987654321:secret:pull-AbCdEf",
        "arn:aws-cn:secretsmanager:cn-north-1:210987654321:secret:team/pull",
        "ghcr/pull",
        "dockerhub_pull+creds@team=1.0",
    ],
)
def test_valid_credentials_parameters(value: str) -> None:
    assert credentials_parameter_problem(value) is None


CREDENTIAL_PROBLEMS = [
    ("arn:aws:ssm:eu-west-1:210987654321:parameter/ghcr/token", "arn-service", (8, 11)),
    ("arn:aws:secretsmanager:eu-west-1:210987654321", "arn-malformed", None),
    ("arn:awz:secretsmanager:eu-west-1:210987654321:secret:x", "arn-partition", (4, 7)),
    ("arn:aws:secretsmanager::210987654321:secret:x", "arn-region-missing", (22, 24)),
    ("arn:aws:secretsmanager:europe:210987654321:secret:x", "arn-region", (23, 29)),
    ("arn:aws:secretsmanager:eu-west-1:210987654321:parameter/x", "sm-arn-resource", (46, 57)),
    ("arn:aws:secretsmanager:eu-west-1:210987654321:secret:", "sm-no-name", (46, 53)),
    ("arn:aws:secretsmanager:eu-west-1:210987654321:secret:pull-AbCdEf:username::", "sm-suffix", (64, 75)),
    ("ghcr pull", "name-characters", (4, 5)),
    ("p" * 513, "name-length", (0, 513)),
]


@pytest.mark.parametrize(("value", "variant", "substring"), CREDENTIAL_PROBLEMS)
def test_invalid_credentials_parameters(value: str, variant: str, substring: tuple[int, int] | None) -> None:
    data = _containers({"repositoryCredentials": {"credentialsParameter": value}}, executionRoleArn=ROLE)
    pointer = "/containerDefinitions/0/repositoryCredentials/credentialsParameter"
    assert run(invalid_credentials_parameter, data) == [(pointer, variant, substring)]


@pytest.mark.parametrize(
    "credentials",
    [
        {"credentialsParameter": ""},
        {"credentialsParameter": "${REGISTRY_SECRET}"},
        {"credentialsParameter": "arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:pull"},
        {"credentialsParameter": 5},
        "arn:aws:ssm:eu-west-1:210987654321:parameter/x",
        {"Ref": "Credentials"},
    ],
)
def test_invalid_credentials_parameter_silent(credentials: JSON) -> None:
    data = _containers({"repositoryCredentials": credentials}, executionRoleArn=ROLE)
    assert run(invalid_credentials_parameter, data) == []


# -- ECS307-ECS313: well-formed findings, never an exception --------------------------------------------

_REPO = Path(__file__).resolve().parents[2]
NEW_RULES = {
    rule.check: rule
    for rule in (load_file(p) for area in ("iam", "secrets") for p in sorted((_REPO / "rules" / area).glob("*.yaml")))
    if rule.id >= "ECS307"
}
_TEXT = st.sampled_from(
    [
        "",
        ROLE,
        "ecsTaskExecutionRole",
        "arn:aws:iam:::role/",
        "arn:aws:iam::1:group/x",
        ECR_IMAGE,
        "arn:aws:secretsmanager:eu-west-1:210987654321:secret:",
        "arn:",
        "${X}",
        "FARGATE",
        "EXTERNAL",
    ]
) | st.text(max_size=20)
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=10,
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT,
        "image": _TEXT,
        "repositoryCredentials": st.fixed_dictionaries({}, optional={"credentialsParameter": _ANY}) | _ANY,
        "environmentFiles": _ANY,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "requiresCompatibilities": st.lists(_TEXT, max_size=2) | _ANY,
        "taskRoleArn": _ANY,
        "executionRoleArn": _ANY,
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=3) | _ANY,
    },
)


def test_new_rules_are_all_loaded() -> None:
    assert sorted(rule.id for rule in NEW_RULES.values()) == [f"ECS{n}" for n in range(307, 314)]


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "describe", "cloudformation", "containers"]))
def test_iam_and_secret_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for name, rule in sorted(NEW_RULES.items()):
        for violation in getattr(secrets, name)(TaskDef(data, origin)):
            target = resolve(data, violation.pointer)
            assert target is not MISSING, (rule.id, violation.pointer)
            assert violation.variant in rule.messages, (rule.id, violation.variant)
            if violation.substring is not None:
                start, end = violation.substring
                assert isinstance(target, str) and 0 <= start < end <= len(target), (rule.id, violation)
            rule.message(violation.variant, violation.params)


def test_terraform_interpolations_are_not_unrendered_templates() -> None:
    from ecslint.checks.secrets import template_variable

    data = {"family": "web", "containerDefinitions": [{"name": "a", "image": "${var.image}:{{ tag }}"}]}
    found = [(v.pointer, v.params["variables"]) for v in template_variable(TaskDef(data, "terraform"))]
    assert found == [("/containerDefinitions/0/image", "'{{ tag }}'")]
    assert [v.params["variables"] for v in template_variable(TaskDef(data))] == ["'${var.image}', '{{ tag }}'"]


def test_a_placeholder_beside_a_template_variable_is_still_reported() -> None:
    image = "<ACCOUNT_ID>.dkr.ecr.eu-west-1.amazonaws.com/web:${IMAGE_TAG}"
    data: dict[str, JSON] = {"containerDefinitions": [{"name": "web", "image": image}]}
    assert run(placeholder_value, data) == [("/containerDefinitions/0/image", "default", (0, 12))]
    # a placeholder that a template variable is part of is the variable's (ECS305)
    assert run(placeholder_value, {"executionRoleArn": "arn:aws:iam::${ACCOUNT}:role/x"}) == []
    assert run(placeholder_value, {"executionRoleArn": "arn:aws:iam::<${ACCOUNT}>:role/x"}) == []


def test_codedeploy_image_placeholders_are_one_finding() -> None:
    data: dict[str, JSON] = {
        "containerDefinitions": [{"name": "a", "image": "<IMAGE1_NAME>"}, {"name": "b", "image": "<IMAGE2_NAME>"}]
    }
    (found,) = template_variable(TaskDef(data))
    assert (found.pointer, found.variant) == ("/containerDefinitions/0/image", "codedeploy-many")
    assert [o.pointer for o in found.occurrences] == ["/containerDefinitions/0/image", "/containerDefinitions/1/image"]
