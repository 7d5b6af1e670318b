"""``ecslint check --aws`` beyond existence: what the execution role may do (IAM policy simulation),
the KMS key behind a secret, an image index's platforms, a log group the role must create.

moto implements DescribeKey, BatchGetImage with image indexes and DescribeSecret's KmsKeyId, so the
end-to-end tests run the console script against a moto server on 127.0.0.1; moto does not implement
iam:SimulatePrincipalPolicy (its server answers 500), so the simulation's answers are played by
botocore's Stubber, and for the console script by a small IAM server on 127.0.0.1 that the script
reaches through AWS_ENDPOINT_URL_IAM.  Nothing here reaches the internet.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote

import pytest

boto3 = pytest.importorskip("boto3", reason="boto3 (the 'aws' extra) is not installed")
pytest.importorskip("moto", reason="moto (the test extra) is not installed")

from botocore.stub import Stubber  # noqa: E402

from ecslint.account.aws import AwsAccount, index_platforms, policy_may_grant  # noqa: E402
from ecslint.catalogue.entries import builtin  # noqa: E402
from ecslint.checks.account import _task_platform  # noqa: E402
from ecslint.core.account import (  # noqa: E402
    ALLOWED,
    CONDITIONAL,
    DENIED,
    FOUND,
    MISSING,
    REPORTED,
    UNKNOWN,
    Answer,
    ListedAccount,
)
from ecslint.core.taskdef import TaskDef  # noqa: E402
from ecslint.engine.pipeline import Engine  # noqa: E402
from tests.test_account import ACCOUNT, BIN, ECSLINT, REGION, _check, _environment, _free_port  # noqa: E402

pytestmark = pytest.mark.slow  # a moto server and the console script: in the full suite, not the fast subset

ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/db-AbCdEf"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/app:1.4.2"
GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/ecs/web:log-stream:"


def _aws() -> AwsAccount:
    session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION)
    return AwsAccount(session, REGION, f"arn:aws:iam::{ACCOUNT}:user/ci")


def _simulation(decision: str, **extra: Any) -> dict[str, Any]:
    return {"EvaluationResults": [{"EvalActionName": "x:Y", "EvalDecision": decision, **extra}]}


def _policy(principal: object) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


# -- the simulation's answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("simulation", "resource_policy", "expected"),
    [
        (_simulation("allowed"), None, (ALLOWED, "")),
        (
            _simulation("explicitDeny", MatchedStatements=[{"SourcePolicyId": "deny-secrets"}]),
            None,
            (DENIED, "an explicit Deny in policy 'deny-secrets'"),
        ),
        (
            _simulation("implicitDeny", MissingContextValues=["aws:SourceVpce"]),
            None,
            (CONDITIONAL, "the simulation lacked the context keys aws:SourceVpce a condition needs"),
        ),
        (
            _simulation("implicitDeny", PermissionsBoundaryDecisionDetail={"AllowedByPermissionsBoundary": False}),
            None,
            (DENIED, "the role's permissions boundary does not allow it"),
        ),
        (
            _simulation("implicitDeny", OrganizationsDecisionDetail={"AllowedByOrganizations": False}),
            None,
            (DENIED, "a service control policy does not allow it"),
        ),
        (
            _simulation("implicitDeny"),
            {"ARN": SECRET},
            (DENIED, "no identity-based policy allows it and the secret has no resource policy"),
        ),
        (
            _simulation("implicitDeny"),
            {"ARN": SECRET, "ResourcePolicy": _policy({"AWS": ROLE})},
            (ALLOWED, "the secret's resource policy may allow it"),
        ),
        (
            _simulation("implicitDeny"),
            {"ARN": SECRET, "ResourcePolicy": _policy({"AWS": f"arn:aws:iam::{ACCOUNT}:role/other"})},
            (DENIED, "no identity-based policy allows it and the secret's resource policy does not name the role"),
        ),
        (
            _simulation("implicitDeny"),
            "AccessDeniedException",
            (
                CONDITIONAL,
                "no identity-based policy allows it; the secret's resource policy could not be read "
                "(the caller lacks secretsmanager:GetResourcePolicy)",
            ),
        ),
        (
            _simulation("implicitDeny"),
            "ThrottlingException",
            (
                CONDITIONAL,
                "no identity-based policy allows it; the secret's resource policy could not be read "
                "(secretsmanager:GetResourcePolicy was throttled)",
            ),
        ),
    ],
)
def test_may_read_a_secret(simulation: dict[str, Any], resource_policy: object, expected: tuple[str, str]) -> None:
    aws = _aws()
    iam, secrets = aws._client("iam", None), aws._client("secretsmanager", REGION)
    with Stubber(iam) as iam_stub, Stubber(secrets) as secrets_stub:
        wanted = {"PolicySourceArn": ROLE, "ActionNames": ["secretsmanager:GetSecretValue"], "ResourceArns": [SECRET]}
        iam_stub.add_response("simulate_principal_policy", simulation, wanted)
        if isinstance(resource_policy, dict):
            secrets_stub.add_response("get_resource_policy", resource_policy, {"SecretId": SECRET})
        elif isinstance(resource_policy, str):
            secrets_stub.add_client_error("get_resource_policy", service_error_code=resource_policy)
        answer = aws.may(ROLE, "secretsmanager:GetSecretValue", SECRET)
        secrets_stub.assert_no_pending_responses()
    assert (answer.state, answer.detail) == expected
    assert aws.may(ROLE, "secretsmanager:GetSecretValue", SECRET) == answer  # cached: asked once


@pytest.mark.parametrize(
    ("key_policy", "expected"),
    [
        (
            _policy({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
            (
                CONDITIONAL,
                "no identity-based policy allows it and the key policy does not name the role; only a grant could",
            ),
        ),
        (_policy({"AWS": [ROLE]}), (ALLOWED, "the key policy may allow it")),
        (_policy("*"), (ALLOWED, "the key policy may allow it")),
    ],
)
def test_may_decrypt_with_a_key(key_policy: str, expected: tuple[str, str]) -> None:
    aws = _aws()
    iam, kms = aws._client("iam", None), aws._client("kms", REGION)
    with Stubber(iam) as iam_stub, Stubber(kms) as kms_stub:
        iam_stub.add_response("simulate_principal_policy", _simulation("implicitDeny"))
        kms_stub.add_response("get_key_policy", {"Policy": key_policy}, {"KeyId": KEY, "PolicyName": "default"})
        answer = aws.may(ROLE, "kms:Decrypt", KEY)
    assert (answer.state, answer.detail) == expected


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("AccessDeniedException", "the caller lacks kms:GetKeyPolicy"),
        ("ThrottlingException", "kms:GetKeyPolicy was throttled"),
    ],
)
def test_a_key_policy_that_cannot_be_read_leaves_a_warning(code: str, reason: str) -> None:
    aws = _aws()
    with Stubber(aws._client("iam", None)) as iam_stub, Stubber(aws._client("kms", REGION)) as kms_stub:
        iam_stub.add_response("simulate_principal_policy", _simulation("implicitDeny"))
        kms_stub.add_client_error("get_key_policy", service_error_code=code)
        answer = aws.may(ROLE, "kms:Decrypt", KEY)
    assert answer == Answer(
        CONDITIONAL, f"no identity-based policy allows it; the key policy could not be read ({reason})"
    )


def test_a_missing_log_group_and_a_parameter_carry_the_arns_the_simulation_needs() -> None:
    aws = _aws()
    with Stubber(aws._client("logs", REGION)) as logs, Stubber(aws._client("ssm", REGION)) as ssm:
        logs.add_response("describe_log_groups", {"logGroups": [{"logGroupName": "/ecs/web-old"}]})
        ssm.add_response("describe_parameters", {"Parameters": [{"Name": "/prod/api-key", "Type": "String"}]})
        group = aws.log_group("/ecs/web", None)
        parameter = aws.parameter("/prod/api-key")
    assert (group.state, group.arn) == (MISSING, GROUP)
    assert parameter == Answer(FOUND, arn=f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/prod/api-key")


def test_a_key_that_cannot_be_described_is_an_info_finding() -> None:
    account = ListedAccount(encrypted=(f"{SECRET} {KEY}",), unknown=(KEY,))
    assert _findings(account, _with_secret(SECRET)) == [
        ("ECS800", "info", f"could not check KMS key '{KEY}': the caller is not allowed to look")
    ]


def test_decrypting_is_simulated_as_the_service_that_decrypts_for_the_role() -> None:
    """Secrets Manager calls KMS for the role: a key policy condition on kms:ViaService is met."""
    asked: list[tuple[str, str, str, str | None]] = []

    class Recording(ListedAccount):
        def may(self, role_arn: str, action: str, resource_arn: str, via: str | None = None) -> Answer:
            asked.append((role_arn, action, resource_arn, via))
            return super().may(role_arn, action, resource_arn, via)

    assert _findings(Recording(encrypted=(f"{SECRET} {KEY}",)), _with_secret(SECRET)) == []
    assert asked == [
        (ROLE, "secretsmanager:GetSecretValue", SECRET, None),
        (ROLE, "kms:Decrypt", KEY, f"secretsmanager.{REGION}.amazonaws.com"),
    ]
    aws = _aws()
    with Stubber(aws._client("iam", None)) as iam_stub:
        context = [{"ContextKeyName": "kms:ViaService", "ContextKeyValues": [asked[1][3]], "ContextKeyType": "string"}]
        wanted = {
            "PolicySourceArn": ROLE,
            "ActionNames": ["kms:Decrypt"],
            "ResourceArns": [KEY],
            "ContextEntries": context,
        }
        iam_stub.add_response("simulate_principal_policy", _simulation("allowed"), wanted)
        assert aws.may(ROLE, "kms:Decrypt", KEY, asked[1][3]).state == ALLOWED


def test_may_create_a_log_group_asks_no_resource_policy() -> None:
    aws = _aws()
    with Stubber(aws._client("iam", None)) as iam_stub:
        wanted = {"PolicySourceArn": ROLE, "ActionNames": ["logs:CreateLogGroup"], "ResourceArns": [GROUP]}
        iam_stub.add_response("simulate_principal_policy", _simulation("implicitDeny"), wanted)
        answer = aws.may(ROLE, "logs:CreateLogGroup", GROUP)
    assert answer == Answer(DENIED, "no identity-based policy allows it")


def test_a_caller_without_simulate_principal_policy_is_told_once() -> None:
    aws = _aws()
    with Stubber(aws._client("iam", None)) as iam_stub:
        iam_stub.add_client_error("simulate_principal_policy", service_error_code="AccessDenied", http_status_code=403)
        first = aws.may(ROLE, "secretsmanager:GetSecretValue", SECRET)
        second = aws.may(ROLE, "ssm:GetParameters", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/prod/api-key")
    assert first == Answer(
        UNKNOWN, "the caller lacks iam:SimulatePrincipalPolicy (said once; nothing else is simulated for this role)"
    )
    assert second.state == REPORTED  # and no second call: the stubber had no response left


def test_a_refusal_for_one_role_does_not_silence_another() -> None:
    """IAM can allow iam:SimulatePrincipalPolicy on some roles only (its resource is the role)."""
    aws = _aws()
    other = f"arn:aws:iam::{ACCOUNT}:role/other-execution-role"
    with Stubber(aws._client("iam", None)) as iam_stub:
        iam_stub.add_client_error("simulate_principal_policy", service_error_code="AccessDenied", http_status_code=403)
        iam_stub.add_response(
            "simulate_principal_policy",
            _simulation("allowed"),
            {"PolicySourceArn": other, "ActionNames": ["secretsmanager:GetSecretValue"], "ResourceArns": [SECRET]},
        )
        assert aws.may(ROLE, "secretsmanager:GetSecretValue", SECRET).state == UNKNOWN
        assert aws.may(other, "secretsmanager:GetSecretValue", SECRET).state == ALLOWED


def test_the_secrets_of_a_task_definition_are_simulated_in_one_call() -> None:
    aws = _aws()
    other = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/other-AbCdEf"
    third = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/third-AbCdEf"
    specific = [
        {"EvalResourceName": SECRET, "EvalResourceDecision": "allowed"},
        {"EvalResourceName": other, "EvalResourceDecision": "implicitDeny"},  # and third: no result at all
    ]
    response = _simulation("implicitDeny", ResourceSpecificResults=specific)
    with Stubber(aws._client("iam", None)) as iam, Stubber(aws._client("secretsmanager", REGION)) as secrets:
        wanted = {"PolicySourceArn": ROLE, "ActionNames": ["secretsmanager:GetSecretValue"]}
        iam.add_response("simulate_principal_policy", response, {**wanted, "ResourceArns": [SECRET, other, third]})
        secrets.add_response("get_resource_policy", {"ARN": other}, {"SecretId": other})
        aws.prepare(ROLE, "secretsmanager:GetSecretValue", (SECRET, other, third, SECRET))
        answers = [aws.may(ROLE, "secretsmanager:GetSecretValue", arn) for arn in (SECRET, other, third)]
    assert [(a.state, a.detail) for a in answers] == [
        (ALLOWED, ""),
        (DENIED, "no identity-based policy allows it and the secret has no resource policy"),
        (UNKNOWN, "iam:SimulatePrincipalPolicy gave no decision (none)"),
    ]


def test_a_refused_batch_is_said_once_at_its_first_resource() -> None:
    aws = _aws()
    other = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/other-AbCdEf"
    with Stubber(aws._client("iam", None)) as iam_stub:
        iam_stub.add_client_error("simulate_principal_policy", service_error_code="AccessDenied", http_status_code=403)
        aws.prepare(ROLE, "secretsmanager:GetSecretValue", (SECRET, other))
        states = [aws.may(ROLE, "secretsmanager:GetSecretValue", arn).state for arn in (SECRET, other)]
    assert states == [UNKNOWN, REPORTED]


def test_a_simulation_without_a_decision_is_unknown_not_a_denial() -> None:
    aws = _aws()
    with Stubber(aws._client("iam", None)) as iam_stub:
        iam_stub.add_response("simulate_principal_policy", {"EvaluationResults": []})
        answer = aws.may(ROLE, "secretsmanager:GetSecretValue", SECRET)
    assert answer == Answer(UNKNOWN, "iam:SimulatePrincipalPolicy gave no decision (none)")


def test_a_throttled_simulation_is_unknown() -> None:
    aws = _aws()
    with Stubber(aws._client("iam", None)) as iam_stub:
        iam_stub.add_client_error("simulate_principal_policy", service_error_code="Throttling", http_status_code=400)
        answer = aws.may(ROLE, "kms:Decrypt", KEY)
    assert answer == Answer(UNKNOWN, "iam:SimulatePrincipalPolicy was throttled")


# -- keys and image indexes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            {"KeyMetadata": {"KeyId": "k", "Arn": KEY, "KeyState": "PendingDeletion", "KeyManager": "CUSTOMER"}},
            Answer(FOUND, "PendingDeletion", arn=KEY),
        ),
        (
            {"KeyMetadata": {"KeyId": "k", "Arn": KEY, "KeyState": "Enabled", "KeyManager": "AWS"}},
            Answer(FOUND, "Enabled"),
        ),
        ("NotFoundException", Answer(MISSING, "NotFoundException")),
        ("AccessDeniedException", Answer(UNKNOWN, "the caller lacks kms:DescribeKey")),
        ("ThrottlingException", Answer(UNKNOWN, "kms:DescribeKey was throttled")),
    ],
)
def test_describe_key(response: object, expected: Answer) -> None:
    aws = _aws()
    with Stubber(aws._client("kms", REGION)) as stub:
        if isinstance(response, dict):
            stub.add_response("describe_key", response, {"KeyId": KEY})
        else:
            stub.add_client_error("describe_key", service_error_code=str(response))
        assert aws.key(KEY, None) == expected


def test_a_secrets_key_is_its_customer_managed_kms_key_and_its_arn_the_full_one() -> None:
    aws = _aws()
    other = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/other-AbCdEf"
    with Stubber(aws._client("secretsmanager", REGION)) as stub:
        partial = SECRET.rsplit("-", 1)[0]  # ECS accepts a secret's ARN without its random suffix
        stub.add_response("describe_secret", {"ARN": SECRET}, {"SecretId": partial})
        assert aws.secret(partial).arn == SECRET
        stub.add_response("describe_secret", {"ARN": SECRET, "KmsKeyId": KEY})
        stub.add_response("describe_secret", {"ARN": other})  # the AWS-managed key aws/secretsmanager
        assert aws.secret(SECRET) == Answer(FOUND, key=KEY, arn=SECRET)
        assert aws.secret(other) == Answer(FOUND, arn=other)


INDEX = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [
        {"digest": "sha256:" + "a" * 64, "size": 1, "platform": {"os": "linux", "architecture": "amd64"}},
        {"digest": "sha256:" + "b" * 64, "size": 1, "platform": {"os": "unknown", "architecture": "unknown"}},
    ],
}


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            {"images": [{"imageManifest": json.dumps(INDEX)}]},
            Answer(FOUND, platforms=("linux/amd64", "unknown/unknown")),
        ),
        ({"images": [{"imageManifest": json.dumps({"schemaVersion": 2, "layers": []})}]}, Answer(FOUND)),
        ("AccessDeniedException", Answer(UNKNOWN, "the caller lacks ecr:BatchGetImage")),
        ("ThrottlingException", Answer(UNKNOWN, "ecr:BatchGetImage was throttled")),
    ],
)
def test_image_platforms(response: object, expected: Answer) -> None:
    aws = _aws()
    with Stubber(aws._client("ecr", REGION)) as stub:
        if isinstance(response, dict):
            stub.add_response("batch_get_image", response)
        else:
            stub.add_client_error("batch_get_image", service_error_code=str(response))
        assert aws.image_platforms(IMAGE) == expected


@pytest.mark.parametrize(
    ("principal", "grants"),
    [
        (ROLE, True),
        (f"arn:aws:iam::{ACCOUNT}:role/service/ecsTaskExecutionRole", True),  # with a path
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/ecsTaskExecutionRole/task-id", True),  # a session of it
        (f"arn:aws:iam::{ACCOUNT}:root", False),  # the account: it delegates to IAM policies, which denied
        (f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole-old", False),
        ("arn:aws:iam::210987654321:role/ecsTaskExecutionRole", False),  # another account's role
        ("*", True),
    ],
)
def test_which_principals_a_resource_policy_may_grant(principal: str, grants: bool) -> None:
    assert policy_may_grant(_policy({"AWS": principal}), ROLE) is grants


def test_the_index_reader_and_the_policy_reader_refuse_what_they_cannot_read() -> None:
    assert index_platforms("not json") is None
    assert policy_may_grant("not json", ROLE) is None
    assert policy_may_grant(json.dumps({"Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "x"}}}), ROLE)


@pytest.mark.parametrize(
    ("document", "platform"),
    [
        ({"requiresCompatibilities": ["FARGATE"]}, "linux/amd64"),
        ({"requiresCompatibilities": ["EC2"]}, None),  # the instance decides
        ({}, None),
        ({"runtimePlatform": {"cpuArchitecture": "ARM64"}}, "linux/arm64"),
        ({"runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}}, "linux/arm64"),
        ({"runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}, None),
        ({"runtimePlatform": {"cpuArchitecture": "${ARCH}"}}, None),
        ({"requiresCompatibilities": ["FARGATE"], "runtimePlatform": {"operatingSystemFamily": "{{os}}"}}, None),
    ],
)
def test_the_tasks_platform_is_known_or_not_guessed(document: dict[str, Any], platform: str | None) -> None:
    td = TaskDef({"family": "web", "containerDefinitions": [], **document})
    assert _task_platform(td) == platform


# -- the findings -------------------------------------------------------------------------------


def _findings(account: object, *documents: dict[str, Any]) -> list[tuple[str, str, str]]:
    engine = Engine(builtin(), account=account)  # type: ignore[arg-type]
    found = []
    for number, document in enumerate(documents):
        result = engine.check_bytes(f"td{number}.json", json.dumps(document).encode())
        found += [(f.rule_id, f.severity.label, f.message) for f in result.findings if f.rule_id.startswith("ECS8")]
    return found


def _with_secret(secret: str, role: str = ROLE) -> dict[str, Any]:
    container = {"name": "a", "image": "a:1", "memory": 128, "secrets": [{"name": "S", "valueFrom": secret}]}
    return {"family": "web", "executionRoleArn": role, "containerDefinitions": [container]}


def test_an_untrusted_or_missing_role_gives_one_finding_not_a_cascade() -> None:
    untrusted = ListedAccount(untrusted=(ROLE,), denied=(SECRET,))
    assert [rule for rule, _, _ in _findings(untrusted, _with_secret(SECRET))] == ["ECS802"]
    missing = ListedAccount(missing=(ROLE,), denied=(SECRET,))
    assert [rule for rule, _, _ in _findings(missing, _with_secret(SECRET))] == ["ECS801"]


def test_a_refused_simulation_is_one_info_finding_per_run() -> None:
    aws = _aws()
    other = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/other-AbCdEf"
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ]
    }
    role = {"Path": "/", "RoleName": "r", "RoleId": "AROA1234567890EXAMPLE", "Arn": ROLE, "CreateDate": "2026-01-01"}
    with Stubber(aws._client("iam", None)) as iam, Stubber(aws._client("secretsmanager", REGION)) as secrets:
        iam.add_response("get_role", {"Role": {**role, "AssumeRolePolicyDocument": json.dumps(trust)}})
        iam.add_client_error("simulate_principal_policy", service_error_code="AccessDenied", http_status_code=403)
        secrets.add_response("describe_secret", {"ARN": SECRET})
        secrets.add_response("describe_secret", {"ARN": other})
        found = _findings(aws, _with_secret(SECRET), _with_secret(other))
    assert found == [
        (
            "ECS800",
            "info",
            "could not check whether execution role 'ecsTaskExecutionRole' may call secretsmanager:GetSecretValue on "
            "Secrets Manager secret 'prod/db-AbCdEf': the caller lacks iam:SimulatePrincipalPolicy "
            "(said once; nothing else is simulated for this role)",
        )
    ]


@pytest.mark.parametrize("create_group", ["${CREATE_LOG_GROUP}", "true"])
def test_a_log_group_created_at_launch_or_maybe_is_not_reported_missing(create_group: str) -> None:
    logging = {"awslogs-group": "/ecs/web", "awslogs-region": REGION, "awslogs-create-group": create_group}
    container = {"name": "a", "image": "a:1", "memory": 128}
    container["logConfiguration"] = {"logDriver": "awslogs", "options": logging}
    document = {"family": "web", "containerDefinitions": [container]}
    assert _findings(ListedAccount(missing=("/ecs/web",)), document) == []


def test_a_definite_denial_is_an_error_and_a_conditional_one_a_warning() -> None:
    account = ListedAccount(denied=(SECRET,), conditional=("/prod/api-key",))
    document = _with_secret(SECRET)
    document["containerDefinitions"][0]["secrets"].append({"name": "K", "valueFrom": "/prod/api-key"})
    assert _findings(account, document) == [
        (
            "ECS806",
            "error",
            "execution role 'ecsTaskExecutionRole' may not call secretsmanager:GetSecretValue on Secrets Manager "
            "secret 'prod/db-AbCdEf': no identity-based policy allows it",
        ),
        (
            "ECS807",
            "warning",
            "execution role 'ecsTaskExecutionRole' may not be allowed ssm:GetParameters on SSM parameter "
            "'/prod/api-key': a condition decides it",
        ),
    ]


def test_a_fargate_task_without_runtime_platform_needs_linux_amd64() -> None:
    account = ListedAccount(platforms=(f"{IMAGE} linux/arm64",))
    document = {
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [{"name": "app", "image": IMAGE}],
    }
    assert _findings(account, document) == [
        ("ECS809", "error", f"image '{IMAGE}' has no linux/amd64 entry: its index lists linux/arm64")
    ]
    document["requiresCompatibilities"] = ["EC2", "FARGATE"]  # may run on an ARM64 instance: not guessed
    assert _findings(account, document) == []


# -- end to end: the console script against moto --------------------------------------------------


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A moto server on 127.0.0.1 of this module's own (test_account.py starts its own too)."""
    port = _free_port()
    command = [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the moto server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def deeper(endpoint: str) -> dict[str, str]:
    """A secret encrypted with a disabled customer-managed key, and an image index without arm64."""
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    kms = session.client("kms", endpoint_url=endpoint)
    key = kms.create_key(Description="ecslint test")["KeyMetadata"]
    kms.disable_key(KeyId=key["KeyId"])
    secrets = session.client("secretsmanager", endpoint_url=endpoint)
    secret = secrets.create_secret(Name="prod/locked", SecretString="s3cret", KmsKeyId=key["Arn"])["ARN"]
    ecr = session.client("ecr", endpoint_url=endpoint)
    ecr.create_repository(repositoryName="multi")
    ecr.put_image(repositoryName="multi", imageManifest=json.dumps(INDEX), imageTag="2.0")
    single = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []}
    ecr.put_image(repositoryName="multi", imageManifest=json.dumps(single), imageTag="amd64-only")
    return {"secret": secret, "key": key["Arn"]}


def test_check_aws_finds_a_disabled_key_and_a_missing_platform(
    tmp_path: Path, endpoint: str, deeper: dict[str, str]
) -> None:
    repository = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/multi"
    document = {
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "containerDefinitions": [
            {"name": "app", "image": f"{repository}:2.0", "secrets": [{"name": "DB", "valueFrom": deeper["secret"]}]},
            {"name": "single", "image": f"{repository}:amd64-only"},  # one manifest: its config is not fetched
        ],
    }
    result = _check(tmp_path, document, _environment(endpoint), "--aws", "--select", "ECS8", "-f", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = sorted((f["rule"], f["pointer"], f["message"]) for f in json.loads(result.stdout)["findings"])
    assert found == [
        (
            "ECS808",
            "/containerDefinitions/0/secrets/0/valueFrom",
            f"KMS key '{deeper['key']}' that encrypts Secrets Manager secret 'prod/locked-{deeper['secret'][-6:]}' "
            "is Disabled, not Enabled",
        ),
        (
            "ECS809",
            "/containerDefinitions/0/image",
            f"image '{repository}:2.0' has no linux/arm64 entry: its index lists linux/amd64",
        ),
    ]


ECS_TRUST = {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}


class _Iam(BaseHTTPRequestHandler):
    """IAM for the console script, where moto cannot answer: GetRole, and SimulatePrincipalPolicy
    denying every resource whose ARN does not say "allowed" (``refuse``: refusing the caller) - the
    Query protocol's XML, on 127.0.0.1."""

    refuse = False
    asked: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.asked.append(form)
        action = form["Action"][0]
        if action == "GetRole":
            trust = quote(json.dumps({"Statement": [ECS_TRUST]}))
            body = (
                f"<Role><Path>/</Path><RoleName>{form['RoleName'][0]}</RoleName><RoleId>AROAEXAMPLE1234567890</RoleId>"
                f"<Arn>{ROLE}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>"
                f"<AssumeRolePolicyDocument>{trust}</AssumeRolePolicyDocument></Role>"
            )
        elif self.refuse:
            error = "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error>"
            error = f"<ErrorResponse>{error}</ErrorResponse>"
            return self._send(403, error)
        else:
            arns = [form[key][0] for key in sorted(form) if key.startswith("ResourceArns.member.")]
            decisions = ["allowed" if "allowed" in arn else "implicitDeny" for arn in arns]
            specific = "".join(
                f"<member><EvalResourceName>{arn}</EvalResourceName><EvalResourceDecision>{decision}"
                "</EvalResourceDecision></member>"
                for arn, decision in zip(arns, decisions, strict=True)
            )
            result = f"<EvalActionName>{form['ActionNames.member.1'][0]}</EvalActionName><EvalDecision>"
            result += "allowed" if set(decisions) == {"allowed"} else "implicitDeny"
            result += f"</EvalDecision><ResourceSpecificResults>{specific}</ResourceSpecificResults>"
            body = f"<IsTruncated>false</IsTruncated><EvaluationResults><member>{result}</member></EvaluationResults>"
        namespace = "https://iam.amazonaws.com/doc/2010-05-08/"
        self._send(
            200, f'<{action}Response xmlns="{namespace}"><{action}Result>{body}</{action}Result></{action}Response>'
        )

    def _send(self, status: int, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def iam() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Iam)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Iam.asked.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        _Iam.refuse = False


def _denied_document(secret: str) -> dict[str, Any]:
    logging = {"awslogs-group": "/ecs/never-made", "awslogs-region": REGION, "awslogs-stream-prefix": "w"}
    container = {
        "name": "app",
        "image": "example/app:1",
        "memory": 512,
        "secrets": [{"name": "DB", "valueFrom": secret}],
        "logConfiguration": {"logDriver": "awslogs", "options": {**logging, "awslogs-create-group": "true"}},
    }
    return {"family": "web", "executionRoleArn": ROLE, "containerDefinitions": [container]}


def test_check_aws_reports_what_the_execution_role_may_not_do(
    tmp_path: Path, endpoint: str, iam: str, deeper: dict[str, str]
) -> None:
    """The console script, with moto for everything but IAM (AWS_ENDPOINT_URL_IAM: the server above)."""
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    secrets = session.client("secretsmanager", endpoint_url=endpoint)
    secret = secrets.create_secret(Name="prod/plain", SecretString="s")
    allowed = secrets.create_secret(Name="prod/allowed", SecretString="s")
    document = _denied_document(secret["ARN"])
    document["containerDefinitions"][0]["secrets"].append({"name": "OK", "valueFrom": allowed["ARN"]})
    env = {**_environment(endpoint), "AWS_ENDPOINT_URL_IAM": iam}
    result = _check(tmp_path, document, env, "--aws", "--select", "ECS8", "-f", "json")
    assert result.returncode == 1, result.stderr
    found = sorted((f["rule"], f["severity"], f["message"]) for f in json.loads(result.stdout)["findings"])
    assert found == [
        (
            "ECS806",
            "error",
            "execution role 'ecsTaskExecutionRole' may not call secretsmanager:GetSecretValue on Secrets Manager "
            f"secret '{secret['ARN'].rsplit(':', 1)[-1]}': no identity-based policy allows it and the secret has no "
            "resource policy",
        ),
        (
            "ECS810",
            "error",
            "log group '/ecs/never-made' does not exist and execution role 'ecsTaskExecutionRole' may not create it "
            "(logs:CreateLogGroup): no identity-based policy allows it",
        ),
    ]
    simulated = sorted(  # one call per action: both secrets in one
        (form["ActionNames.member.1"][0], *(form[key][0] for key in sorted(form) if key.startswith("ResourceArns.")))
        for form in _Iam.asked
        if form["Action"] == ["SimulatePrincipalPolicy"]
    )
    assert simulated == [
        ("logs:CreateLogGroup", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/ecs/never-made:log-stream:"),
        ("secretsmanager:GetSecretValue", secret["ARN"], allowed["ARN"]),
    ]


def test_check_aws_says_once_that_the_caller_may_not_simulate(
    tmp_path: Path, endpoint: str, iam: str, deeper: dict[str, str]
) -> None:
    _Iam.refuse = True
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    secret = session.client("secretsmanager", endpoint_url=endpoint).create_secret(Name="prod/other", SecretString="s")
    for number, document in enumerate((_denied_document(secret["ARN"]), _denied_document(deeper["secret"]))):
        (tmp_path / f"td{number}.json").write_text(json.dumps(document), "utf-8")
    env = {**_environment(endpoint), "AWS_ENDPOINT_URL_IAM": iam}
    command = [str(ECSLINT), "check", "--aws", "--select", "ECS800", "-f", "json", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert len(messages) == 1, messages
    assert messages[0].endswith(
        ": the caller lacks iam:SimulatePrincipalPolicy (said once; nothing else is simulated for this role)"
    )
    assert sum(form["Action"] == ["SimulatePrincipalPolicy"] for form in _Iam.asked) == 1


def test_a_catalogue_example_describes_its_account_with_listed_account_lists_only() -> None:
    import yaml

    from ecslint.catalogue.entries import rule_from_mapping
    from ecslint.core.errors import RuleFileError

    source = Path(__file__).parent.parent / "rules" / "account" / "ECS808-kms-key-not-usable.yaml"
    raw = yaml.safe_load(source.read_text("utf-8"))
    assert dict(rule_from_mapping(raw, str(source)).examples[0].account or ())["disabled"] == (KEY,)
    raw["examples"][0]["account"]["grants"] = [KEY]
    with pytest.raises(RuleFileError, match="'account' is a mapping of conditional, denied, disabled, encrypted"):
        rule_from_mapping(raw, str(source))
