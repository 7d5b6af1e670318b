"""The live AWS account through boto3, read only: ``ecslint check --aws``.

The user's usual credentials, profile and Region are used as the AWS CLI uses them (boto3's
default chain; ``AWS_ENDPOINT_URL`` and the per-service variables are honoured by botocore).
Every call is read only and answers one question: GetRole (IAM), DescribeSecret (Secrets
Manager: never the value), DescribeParameters (SSM: never the value), DescribeImages (ECR) and
DescribeLogGroups (CloudWatch Logs).  Answers are cached for the run; calls time out, and
botocore's standard retry mode handles throttling.  Access denied, throttling that outlasts the
retries and other service errors become UNKNOWN answers that name what could not be done ("the
caller lacks ecr:DescribeImages"); no credentials or no endpoint at all end the run with an
``AccountError`` (exit code 2) before any file is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ecslint.core.account import FOUND, MISSING, UNKNOWN, Answer
from ecslint.core.errors import EcslintError

ECS_TASKS = "ecs-tasks.amazonaws.com"
_ECR_IMAGE = re.compile(
    r"^(?P<registry>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)
_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException"})
_THROTTLED = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})


class AccountError(EcslintError):
    """The account cannot be asked at all (no credentials, no endpoint, boto3 missing): exit code 2."""


class AwsAccount:
    """Read-only answers from one AWS account, cached per run."""

    def __init__(self, session: Any, default_region: str | None) -> None:
        self._session = session
        self._region = default_region
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._answers: dict[tuple[str, ...], Answer] = {}

    # -- the questions ----------------------------------------------------------------------

    def role(self, arn: str) -> Answer:
        name = arn.rsplit("/", 1)[-1]
        return self._cached(("role", arn), lambda: self._role(name))

    def secret(self, arn: str) -> Answer:
        region = arn.split(":")[3] or None
        return self._cached(("secret", arn), lambda: self._secret(arn, region))

    def parameter(self, name_or_arn: str) -> Answer:
        region = self._region
        name = name_or_arn
        if name_or_arn.startswith("arn:"):
            region = name_or_arn.split(":")[3] or region
            name = name_or_arn.split(":parameter", 1)[-1]
        return self._cached(("parameter", region or "", name), lambda: self._parameter(name, region))

    def image(self, image: str) -> Answer:
        match = _ECR_IMAGE.match(image)
        if match is None:
            return Answer(UNKNOWN, "not an ECR image reference ecslint can read")
        return self._cached(("image", image), lambda: self._image(match))

    def log_group(self, name: str, region: str | None) -> Answer:
        region = region or self._region
        return self._cached(("log group", region or "", name), lambda: self._log_group(name, region))

    # -- the calls --------------------------------------------------------------------------

    def _role(self, name: str) -> Answer:
        response = self._call("iam", None, "GetRole", "get_role", RoleName=name)
        if isinstance(response, Answer):
            return response
        document = response.get("Role", {}).get("AssumeRolePolicyDocument")
        return Answer(FOUND, trusts_ecs_tasks=trusts_ecs_tasks(document))

    def _secret(self, arn: str, region: str | None) -> Answer:
        response = self._call("secretsmanager", region, "DescribeSecret", "describe_secret", SecretId=arn)
        return response if isinstance(response, Answer) else Answer(FOUND)

    def _parameter(self, name: str, region: str | None) -> Answer:
        filters = [{"Key": "Name", "Option": "Equals", "Values": [name]}]
        response = self._call("ssm", region, "DescribeParameters", "describe_parameters", ParameterFilters=filters)
        if isinstance(response, Answer):
            return response
        return Answer(FOUND) if response.get("Parameters") else Answer(MISSING, "no such parameter")

    def _image(self, match: re.Match[str]) -> Answer:
        tag, digest = match.group("tag"), match.group("digest")
        image_id = {"imageDigest": digest} if digest else {"imageTag": tag or "latest"}
        response = self._call(
            "ecr",
            match.group("region"),
            "DescribeImages",
            "describe_images",
            registryId=match.group("registry"),
            repositoryName=match.group("repository"),
            imageIds=[image_id],
        )
        if not isinstance(response, Answer):
            return Answer(FOUND)
        if response.state == MISSING and response.detail == "RepositoryNotFoundException":
            where = f"registry {match.group('registry')} in {match.group('region')}"
            return Answer(MISSING, f"there is no repository '{match.group('repository')}' in {where}")
        if response.state == MISSING:
            wanted = f"digest {digest}" if digest else f"tag '{tag or 'latest'}'"
            return Answer(MISSING, f"repository '{match.group('repository')}' has no image with {wanted}")
        return response

    def _log_group(self, name: str, region: str | None) -> Answer:
        response = self._call("logs", region, "DescribeLogGroups", "describe_log_groups", logGroupNamePrefix=name)
        if isinstance(response, Answer):
            return response
        found = any(group.get("logGroupName") == name for group in response.get("logGroups", []))
        return Answer(FOUND) if found else Answer(MISSING, "no such log group")

    # -- plumbing ---------------------------------------------------------------------------

    def _cached(self, key: tuple[str, ...], ask: Callable[[], Answer]) -> Answer:
        if key not in self._answers:
            self._answers[key] = ask()
        return self._answers[key]

    def _client(self, service: str, region: str | None) -> Any:
        key = (service, region)
        if key not in self._clients:
            from botocore.config import Config

            config = Config(connect_timeout=5, read_timeout=15, retries={"mode": "standard", "max_attempts": 4})
            self._clients[key] = self._session.client(service, region_name=region or self._region, config=config)
        return self._clients[key]

    def _call(self, service: str, region: str | None, operation: str, method: str, **params: Any) -> Any:
        """The response, or the Answer it amounts to when the call failed."""
        from botocore.exceptions import BotoCoreError, ClientError, NoRegionError

        action = f"{service}:{operation}"
        try:
            return getattr(self._client(service, region), method)(**params)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            message = str(error.response.get("Error", {}).get("Message", ""))
            if code in _MISSING_CODES.get(service, ()):
                return Answer(MISSING, code)
            if code in _DENIED:
                return Answer(UNKNOWN, f"the caller lacks {action}")
            if code in _THROTTLED:
                return Answer(UNKNOWN, f"{action} was throttled")
            return Answer(UNKNOWN, f"{action} failed: {code or message}")
        except NoRegionError:
            return Answer(UNKNOWN, "no Region is configured (set AWS_REGION or a profile's region)")
        except BotoCoreError as error:
            return Answer(UNKNOWN, f"{action} failed: {error}")


_MISSING_CODES = {
    "iam": ("NoSuchEntity", "NoSuchEntityException"),
    "secretsmanager": ("ResourceNotFoundException",),
    "ecr": ("RepositoryNotFoundException", "ImageNotFoundException"),
    "logs": ("ResourceNotFoundException",),
    "ssm": ("ParameterNotFound",),
}


def trusts_ecs_tasks(document: object) -> bool | None:
    """Whether a role's trust policy allows ECS tasks to assume it (None when it cannot be read)."""
    if isinstance(document, str):
        import json
        from urllib.parse import unquote

        try:
            document = json.loads(unquote(document))
        except ValueError:
            return None
    if not isinstance(document, dict):
        return None
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(action in ("sts:AssumeRole", "sts:*", "*") for action in actions if isinstance(action, str)):
            continue
        principal = statement.get("Principal")
        if principal == "*":
            return True
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        if ECS_TASKS in services:
            return True
    return False


def connect() -> AwsAccount:
    """The account of the user's usual credentials, or ``AccountError`` saying why there is none."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
    except ImportError:
        raise AccountError("--aws needs boto3: pip install 'ecslint[aws]'") from None
    session = boto3.session.Session()
    region = session.region_name
    try:
        from botocore.config import Config

        sts = session.client(
            "sts", region_name=region or "us-east-1", config=Config(connect_timeout=5, read_timeout=15)
        )
        sts.get_caller_identity()
    except NoCredentialsError:
        raise AccountError(
            "--aws: no AWS credentials found; set AWS_PROFILE or configure them as for the AWS CLI"
        ) from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise AccountError(f"--aws: the credentials were refused ({code})") from None
    except BotoCoreError as error:
        raise AccountError(f"--aws: cannot reach AWS: {error}") from None
    return AwsAccount(session, region)
