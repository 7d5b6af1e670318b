"""``ecslint check --aws`` against a moto server on 127.0.0.1: nothing here reaches the internet."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

boto3 = pytest.importorskip("boto3", reason="boto3 (the 'aws' extra) is not installed")
pytest.importorskip("moto", reason="moto (the test extra) is not installed")

from botocore.stub import Stubber  # noqa: E402

from ecslint.account.aws import AwsAccount, trusts_ecs_tasks  # noqa: E402
from ecslint.core.account import UNKNOWN  # noqa: E402

pytestmark = pytest.mark.slow  # a moto server and the console script: in the full suite, not the fast subset

BIN = Path(sys.executable).parent
ECSLINT = BIN / "ecslint"
REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account
TRUST_ECS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRUST_EC2 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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


def _environment(endpoint: str | None, credentials: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_DEFAULT_REGION=REGION,
    )
    if endpoint is not None:
        env["AWS_ENDPOINT_URL"] = endpoint
    if credentials:
        env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    return env


@pytest.fixture(scope="module")
def account(endpoint: str) -> dict[str, str]:
    """The resources a task definition can name, made in the moto account; their names."""
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)

    def client(service: str):  # type: ignore[no-untyped-def]
        return session.client(service, endpoint_url=endpoint)

    iam = client("iam")
    iam.create_role(RoleName="ecsTaskExecutionRole", AssumeRolePolicyDocument=json.dumps(TRUST_ECS))
    iam.create_role(RoleName="ec2-role", AssumeRolePolicyDocument=json.dumps(TRUST_EC2))
    secret = client("secretsmanager").create_secret(Name="prod/db", SecretString="s3cret")["ARN"]
    client("ssm").put_parameter(Name="/prod/api-key", Value="k", Type="SecureString")
    ecr = client("ecr")
    ecr.create_repository(repositoryName="app")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}
    ecr.put_image(repositoryName="app", imageManifest=json.dumps(manifest), imageTag="1.4.2")
    client("logs").create_log_group(logGroupName="/ecs/web")
    return {"secret": secret}


def _definition(account: dict[str, str]) -> dict[str, object]:
    image = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/app"
    return {
        "family": "web",
        "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole",
        "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ec2-role",
        "containerDefinitions": [
            {
                "name": "app",
                "image": f"{image}:1.4.2",
                "memory": 512,
                "secrets": [
                    {"name": "DB", "valueFrom": account["secret"]},
                    {"name": "OLD", "valueFrom": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/old-AbCdEf"},
                    {"name": "KEY", "valueFrom": "/prod/api-key"},
                    {"name": "GONE", "valueFrom": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/prod/gone"},
                ],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/web", "awslogs-region": REGION, "awslogs-stream-prefix": "web"},
                },
            },
            {
                "name": "worker",
                "image": f"{image}:9.9.9",
                "memory": 512,
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/worker", "awslogs-region": REGION, "awslogs-stream-prefix": "w"},
                },
            },
            {"name": "sidecar", "image": "nginx:1.27", "memory": 128},
        ],
    }


def _check(
    tmp_path: Path, document: dict[str, object], env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(document, indent=2), "utf-8")
    return subprocess.run(
        [str(ECSLINT), "check", *args, str(path)], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def test_check_aws_finds_what_the_account_lacks(tmp_path: Path, endpoint: str, account: dict[str, str]) -> None:
    result = _check(tmp_path, _definition(account), _environment(endpoint), "--aws", "--select", "ECS8", "-f", "json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = sorted((f["rule"], f["pointer"], f["message"]) for f in json.loads(result.stdout)["findings"])
    role = "execution role 'ecsTaskExecutionRole'"
    unsimulated = "iam:SimulatePrincipalPolicy failed: Unable to parse response"  # moto does not simulate (500)
    assert found[:2] == [
        (
            "ECS800",
            "/containerDefinitions/0/secrets/0/valueFrom",
            f"could not check whether {role} may call secretsmanager:GetSecretValue on Secrets Manager secret "
            f"'{account['secret'].rsplit(':', 1)[-1]}': {unsimulated}"
            " (syntax error: line 1, column 0), invalid XML received. Further retries may succeed",
        ),
        (
            "ECS800",
            "/containerDefinitions/0/secrets/2/valueFrom",
            f"could not check whether {role} may call ssm:GetParameters on SSM parameter '/prod/api-key': "
            f"{unsimulated} (syntax error: line 1, column 0), invalid XML received. Further retries may succeed",
        ),
    ]
    assert found[2:] == [
        (
            "ECS802",
            "/taskRoleArn",
            "task role 'ec2-role' does not let ecs-tasks.amazonaws.com assume it",
        ),
        (
            "ECS803",
            "/containerDefinitions/0/secrets/1/valueFrom",
            "Secrets Manager secret 'prod/old-AbCdEf' does not exist",
        ),
        ("ECS803", "/containerDefinitions/0/secrets/3/valueFrom", "SSM parameter '/prod/gone' does not exist"),
        (
            "ECS804",
            "/containerDefinitions/1/image",
            f"image '{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/app:9.9.9' is not in ECR: "
            "repository 'app' has no image with tag '9.9.9'",
        ),
        (
            "ECS805",
            "/containerDefinitions/1/logConfiguration/options/awslogs-group",
            "log group '/ecs/worker' does not exist in the account",
        ),
    ]


def test_without_aws_nothing_is_asked(tmp_path: Path, account: dict[str, str]) -> None:
    """No --aws: no account rule runs and no credentials are needed."""
    result = _check(
        tmp_path, _definition(account), _environment("http://127.0.0.1:1", credentials=False), "--select", "ECS8"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_credentials_is_a_clear_error(tmp_path: Path, endpoint: str, account: dict[str, str]) -> None:
    result = _check(tmp_path, _definition(account), _environment(endpoint, credentials=False), "--aws")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "ecslint: error: --aws: no AWS credentials found" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_endpoint_is_a_clear_error(tmp_path: Path, account: dict[str, str]) -> None:
    result = _check(tmp_path, _definition(account), _environment(f"http://127.0.0.1:{_free_port()}"), "--aws")
    assert result.returncode == 2
    assert "ecslint: error: --aws: cannot reach AWS" in result.stderr
    assert "Traceback" not in result.stderr


def test_access_denied_and_throttling_say_what_could_not_be_checked() -> None:
    """The answers a refused or throttled call amounts to (botocore's own stubber plays the service)."""
    session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION)
    aws = AwsAccount(session, REGION)
    ecr = aws._client("ecr", REGION)
    iam = aws._client("iam", None)
    with Stubber(ecr) as ecr_stub, Stubber(iam) as iam_stub:
        ecr_stub.add_client_error("describe_images", service_error_code="AccessDeniedException", http_status_code=400)
        iam_stub.add_client_error("get_role", service_error_code="Throttling", http_status_code=400)
        image = aws.image(f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/app:1")
        role = aws.role(f"arn:aws:iam::{ACCOUNT}:role/r")
    assert image[:3] == (UNKNOWN, "the caller lacks ecr:DescribeImages", None)
    assert role[:3] == (UNKNOWN, "iam:GetRole was throttled", None)
    assert aws.image(f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/app:1").state == UNKNOWN  # cached: asked once


def test_unknown_answers_are_info_findings_naming_the_resource() -> None:
    from ecslint.catalogue.entries import builtin
    from ecslint.core.account import ListedAccount
    from ecslint.engine.pipeline import Engine

    arn = f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"
    engine = Engine(builtin(), account=ListedAccount(unknown=(arn,)))
    document = {"family": "web", "executionRoleArn": arn, "containerDefinitions": [{"name": "a", "image": "a:1"}]}
    result = engine.check_bytes("td.json", json.dumps(document).encode())
    unchecked = [(f.rule_id, f.severity.label, f.message) for f in result.findings if f.rule_id.startswith("ECS8")]
    assert unchecked == [
        ("ECS800", "info", "could not check execution role 'ecsTaskExecutionRole': the caller is not allowed to look")
    ]


@pytest.mark.parametrize(
    ("document", "trusted"),
    [
        (TRUST_ECS, True),
        (TRUST_EC2, False),
        (
            {
                "Statement": {
                    "Effect": "Allow",
                    "Principal": {"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]},
                    "Action": ["sts:AssumeRole"],
                }
            },
            True,
        ),
        (
            {
                "Statement": [
                    {"Effect": "Deny", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ]
            },
            False,
        ),
        (
            {
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:TagSession"}
                ]
            },
            False,
        ),
        (
            "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
            True,
        ),
        ("not json", None),
    ],
)
def test_trust_policies(document: object, trusted: bool | None) -> None:
    assert trusts_ecs_tasks(document) is trusted
