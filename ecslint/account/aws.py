"""The live AWS account through boto3, read only: ``ecslint check --aws``.

The user's usual credentials, profile and Region are used as the AWS CLI uses them (boto3's
default chain; ``AWS_ENDPOINT_URL`` and the per-service variables are honoured by botocore).
Every call is read only and answers one question: GetRole (IAM), DescribeSecret (Secrets
Manager: never the value), DescribeParameters (SSM: never the value), DescribeImages (ECR),
DescribeLogGroups (CloudWatch Logs), DescribeKey (KMS), BatchGetImage (ECR: the manifest, never
a layer) and, for what the execution role may do, SimulatePrincipalPolicy (IAM) with
GetResourcePolicy (Secrets Manager) and GetKeyPolicy (KMS) when the simulation denies.
Answers are cached for the run; calls time out, and
botocore's standard retry mode handles throttling.  Access denied, throttling that outlasts the
retries and other service errors become UNKNOWN answers that name what could not be done ("the
caller lacks ecr:DescribeImages"); no credentials or no endpoint at all end the run with an
``AccountError`` (exit code 2) before any file is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ecslint.core.account import (
    ALLOWED,
    CONDITIONAL,
    DENIED,
    FOUND,
    MISSING,
    REPORTED,
    UNKNOWN,
    Answer,
)
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

    def __init__(self, session: Any, default_region: str | None, caller_arn: str | None = None) -> None:
        self._session = session
        self._region = default_region
        self._caller = caller_arn.split(":") if caller_arn and caller_arn.count(":") >= 5 else None
        self._clients: dict[tuple[str, str | None], Any] = {}
        self._answers: dict[tuple[str, ...], Answer] = {}
        self._refused: set[str] = set()  # roles the caller may not simulate: said once per role

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

    def key(self, key_id: str, region: str | None) -> Answer:
        region = key_id.split(":")[3] if key_id.startswith("arn:") else region or self._region
        return self._cached(("key", region or "", key_id), lambda: self._key(key_id, region))

    def image_platforms(self, image: str) -> Answer:
        match = _ECR_IMAGE.match(image)
        if match is None:
            return Answer(UNKNOWN, "not an ECR image reference ecslint can read")
        return self._cached(("image platforms", image), lambda: self._image_platforms(match))

    def may(self, role_arn: str, action: str, resource_arn: str, via: str | None = None) -> Answer:
        key = ("may", role_arn, action, resource_arn, via or "")
        return self._cached(key, lambda: self._may(role_arn, action, resource_arn, via))

    def prepare(self, role_arn: str, action: str, resource_arns: tuple[str, ...], via: str | None = None) -> None:
        """Simulate the action on every resource not asked yet in one call (``may`` then answers
        from the cache): a task definition's secrets cost one SimulatePrincipalPolicy, not one each."""
        todo = tuple(
            a for a in dict.fromkeys(resource_arns) if ("may", role_arn, action, a, via or "") not in self._answers
        )
        if len(todo) < 2:
            return  # ``may`` asks about one resource alone
        for arn, answer in self._simulate(role_arn, action, todo, via).items():
            self._answers[("may", role_arn, action, arn, via or "")] = answer

    # -- the calls --------------------------------------------------------------------------

    def _role(self, name: str) -> Answer:
        response = self._call("iam", None, "GetRole", "get_role", RoleName=name)
        if isinstance(response, Answer):
            return response
        document = response.get("Role", {}).get("AssumeRolePolicyDocument")
        return Answer(FOUND, trusts_ecs_tasks=trusts_ecs_tasks(document))

    def _secret(self, arn: str, region: str | None) -> Answer:
        response = self._call("secretsmanager", region, "DescribeSecret", "describe_secret", SecretId=arn)
        if isinstance(response, Answer):
            return response
        full = response.get("ARN")  # the full ARN, also for a partial one (without the random suffix)
        return Answer(FOUND, key=customer_key(response.get("KmsKeyId")), arn=full if isinstance(full, str) else None)

    def _parameter(self, name: str, region: str | None) -> Answer:
        filters = [{"Key": "Name", "Option": "Equals", "Values": [name]}]
        response = self._call("ssm", region, "DescribeParameters", "describe_parameters", ParameterFilters=filters)
        if isinstance(response, Answer):
            return response
        found = [p for p in response.get("Parameters", []) if isinstance(p, dict)]
        if not found:
            return Answer(MISSING, "no such parameter")
        secure = found[0].get("Type") == "SecureString"
        arn = found[0].get("ARN")
        if not arn and self._caller is not None and (region or self._region):  # older responses lack it
            arn = f"arn:{self._caller[1]}:ssm:{region or self._region}:{self._caller[4]}:parameter/{name.lstrip('/')}"
        return Answer(FOUND, key=customer_key(found[0].get("KeyId")) if secure else None, arn=arn)

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
        if found:
            return Answer(FOUND)
        arn = None
        if self._caller is not None and (region or self._region):
            arn = f"arn:{self._caller[1]}:logs:{region or self._region}:{self._caller[4]}:log-group:{name}:log-stream:"
        return Answer(MISSING, "no such log group", arn=arn)

    def _key(self, key_id: str, region: str | None) -> Answer:
        response = self._call("kms", region, "DescribeKey", "describe_key", KeyId=key_id)
        if isinstance(response, Answer):
            return response
        metadata = response.get("KeyMetadata", {})
        customer = metadata.get("KeyManager") != "AWS"
        return Answer(FOUND, str(metadata.get("KeyState", "")), arn=metadata.get("Arn") if customer else None)

    def _image_platforms(self, match: re.Match[str]) -> Answer:
        tag, digest = match.group("tag"), match.group("digest")
        image_id = {"imageDigest": digest} if digest else {"imageTag": tag or "latest"}
        response = self._call(
            "ecr",
            match.group("region"),
            "BatchGetImage",
            "batch_get_image",
            registryId=match.group("registry"),
            repositoryName=match.group("repository"),
            imageIds=[image_id],
            acceptedMediaTypes=list(_MANIFEST_TYPES),
        )
        if isinstance(response, Answer):
            return response
        images = response.get("images") or []
        if not images:
            failures = response.get("failures") or [{}]
            return Answer(UNKNOWN, f"ecr:BatchGetImage found no manifest ({failures[0].get('failureCode', '')})")
        return Answer(FOUND, platforms=index_platforms(images[0].get("imageManifest")))

    def _may(self, role_arn: str, action: str, resource_arn: str, via: str | None) -> Answer:
        return self._simulate(role_arn, action, (resource_arn,), via)[resource_arn]

    def _simulate(self, role_arn: str, action: str, arns: tuple[str, ...], via: str | None) -> dict[str, Answer]:
        """One SimulatePrincipalPolicy call for the action on each resource: each one's answer."""
        if role_arn in self._refused:
            return dict.fromkeys(arns, Answer(REPORTED, "the caller lacks iam:SimulatePrincipalPolicy"))
        question: dict[str, Any] = {"PolicySourceArn": role_arn, "ActionNames": [action]}
        question["ResourceArns"] = list(arns)
        if via is not None:  # Secrets Manager and Parameter Store call KMS for the role: kms:ViaService
            question["ContextEntries"] = [
                {"ContextKeyName": "kms:ViaService", "ContextKeyValues": [via], "ContextKeyType": "string"}
            ]
        response = self._call("iam", None, "SimulatePrincipalPolicy", "simulate_principal_policy", **question)
        if isinstance(response, Answer):
            if response.detail == "the caller lacks iam:SimulatePrincipalPolicy":
                self._refused.add(role_arn)  # IAM may allow it on some roles only: the others are still asked
                said = "said once; nothing else is simulated for this role"
                answers = dict.fromkeys(arns, Answer(REPORTED, response.detail))
                return {**answers, arns[0]: response._replace(detail=f"{response.detail} ({said})")}
            if response.state == MISSING:  # the role does not exist: ECS801 says so
                return dict.fromkeys(arns, Answer(REPORTED, "the role does not exist"))
            return dict.fromkeys(arns, response)
        result = (response.get("EvaluationResults") or [{}])[0]
        specific = {r.get("EvalResourceName"): r for r in result.get("ResourceSpecificResults") or []}
        answers = {}
        for arn in arns:
            if arn in specific:
                one = {**result, "ResourceSpecificResults": [specific[arn]]}
            elif len(arns) == 1:
                one = result
            else:
                one = {}  # no decision for this resource
            answers[arn] = self._decide(role_arn, action, arn, one)
        return answers

    def _decide(self, role_arn: str, action: str, resource_arn: str, result: dict[str, Any]) -> Answer:
        decision, why, context = simulated(result)
        if decision in (ALLOWED, UNKNOWN) or (decision == DENIED and why.startswith("an explicit")):
            return Answer(decision, why)
        if context:
            return Answer(CONDITIONAL, f"the simulation lacked the context keys {', '.join(context)} a condition needs")
        if decision != DENIED or why != _NO_IDENTITY_POLICY:
            return Answer(decision, why)  # a permissions boundary or an SCP: a resource policy cannot help
        return self._resource_policy(role_arn, action, resource_arn)

    def _resource_policy(self, role_arn: str, action: str, resource_arn: str) -> Answer:
        """A denial by identity policies, weighed against the resource's own policy where it has one."""
        service = action.split(":", 1)[0]
        region = resource_arn.split(":")[3] or None
        if service == "secretsmanager":
            response = self._call(
                "secretsmanager", region, "GetResourcePolicy", "get_resource_policy", SecretId=resource_arn
            )
            where = "the secret's resource policy"
        elif service == "kms":
            policy = {"KeyId": resource_arn, "PolicyName": "default"}
            response = self._call("kms", region, "GetKeyPolicy", "get_key_policy", **policy)
            where = "the key policy"
        else:
            return Answer(DENIED, _NO_IDENTITY_POLICY)
        if isinstance(response, Answer):
            return Answer(CONDITIONAL, f"{_NO_IDENTITY_POLICY}; {where} could not be read ({response.detail})")
        document = response.get("ResourcePolicy") if service == "secretsmanager" else response.get("Policy")
        if not document:
            return Answer(DENIED, _NO_IDENTITY_POLICY + " and the secret has no resource policy")
        grants = policy_may_grant(document, role_arn)
        if grants is not False:
            return Answer(ALLOWED, f"{where} may allow it")
        if service == "kms":  # a grant can still allow it; ListGrants is not asked
            return Answer(CONDITIONAL, f"{_NO_IDENTITY_POLICY} and {where} does not name the role; only a grant could")
        return Answer(DENIED, f"{_NO_IDENTITY_POLICY} and {where} does not name the role")

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
        from botocore.parsers import ResponseParserError  # not a BotoCoreError: a service's unreadable answer

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
        except (BotoCoreError, ResponseParserError) as error:
            first = (str(error).splitlines() or [""])[0]
            return Answer(UNKNOWN, f"{action} failed: {first[:200].rstrip(': ')}")


_NO_IDENTITY_POLICY = "no identity-based policy allows it"
_MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v1+json",
)
_MISSING_CODES = {
    "iam": ("NoSuchEntity", "NoSuchEntityException"),
    "secretsmanager": ("ResourceNotFoundException",),
    "ecr": ("RepositoryNotFoundException", "ImageNotFoundException"),
    "logs": ("ResourceNotFoundException",),
    "ssm": ("ParameterNotFound",),
    "kms": ("NotFoundException",),
}


def customer_key(key_id: object) -> str | None:
    """The KMS key a secret or parameter names, unless it is the AWS-managed one (or none)."""
    if not isinstance(key_id, str) or not key_id or "alias/aws/" in key_id:
        return None
    return key_id


def index_platforms(manifest: object) -> tuple[str, ...] | None:
    """ "os/architecture" of each entry of a manifest list or OCI index; None for one image's manifest."""
    import json

    try:
        document = json.loads(manifest) if isinstance(manifest, str) else None
    except ValueError:
        return None
    entries = document.get("manifests") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return None
    platforms = []
    for entry in entries:
        platform = entry.get("platform") if isinstance(entry, dict) else None
        if isinstance(platform, dict):
            platforms.append(f"{platform.get('os', '')}/{platform.get('architecture', '')}")
    return tuple(platforms)


def simulated(result: dict[str, Any]) -> tuple[str, str, list[str]]:
    """One EvaluationResult of SimulatePrincipalPolicy: ALLOWED, DENIED or UNKNOWN, why, the missing context keys."""
    specific = (result.get("ResourceSpecificResults") or [{}])[0]
    decision = specific.get("EvalResourceDecision") or result.get("EvalDecision", "")
    context = sorted(set(result.get("MissingContextValues") or []) | set(specific.get("MissingContextValues") or []))
    if decision == "allowed":
        return ALLOWED, "", context
    if decision not in ("explicitDeny", "implicitDeny"):
        return UNKNOWN, f"iam:SimulatePrincipalPolicy gave no decision ({decision or 'none'})", context
    if decision == "explicitDeny":
        statements = specific.get("MatchedStatements") or result.get("MatchedStatements") or [{}]
        source = statements[0].get("SourcePolicyId")
        return DENIED, f"an explicit Deny in policy '{source}'" if source else "an explicit Deny", context
    if (result.get("OrganizationsDecisionDetail") or {}).get("AllowedByOrganizations") is False:
        return DENIED, "a service control policy does not allow it", context
    boundary = specific.get("PermissionsBoundaryDecisionDetail") or result.get("PermissionsBoundaryDecisionDetail")
    if (boundary or {}).get("AllowedByPermissionsBoundary") is False:
        return DENIED, "the role's permissions boundary does not allow it", context
    return DENIED, _NO_IDENTITY_POLICY, context


def policy_may_grant(document: object, role_arn: str) -> bool | None:
    """Whether a resource or key policy has an Allow statement that can apply to the role: it names
    the role or any principal ("*").  None when the policy cannot be read."""
    import json

    try:
        policy = json.loads(document) if isinstance(document, str) else document
    except ValueError:
        return None
    if not isinstance(policy, dict):
        return None
    statements = policy.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in statement:
            return True
        principal = statement.get("Principal")
        if principal == "*":
            return True
        names = principal.get("AWS", []) if isinstance(principal, dict) else []
        names = [names] if isinstance(names, str) else names
        if any(name == "*" or _names_role(name, role_arn) for name in names if isinstance(name, str)):
            return True
    return False


def _names_role(principal: str, role_arn: str) -> bool:
    """Whether a policy's principal is the role (its ARN with or without a path, or a session of it)."""
    parts, role = principal.split(":", 5), role_arn.split(":", 5)
    if principal == role_arn or len(parts) < 6 or len(role) < 6 or parts[4] != role[4]:
        return principal == role_arn
    name = role[5].rsplit("/", 1)[-1]
    resource = parts[5]
    if resource.startswith("role/"):
        return resource.rsplit("/", 1)[-1] == name
    return resource.startswith(f"assumed-role/{name}/")


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
        caller = sts.get_caller_identity().get("Arn")
    except NoCredentialsError:
        raise AccountError(
            "--aws: no AWS credentials found; set AWS_PROFILE or configure them as for the AWS CLI"
        ) from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise AccountError(f"--aws: the credentials were refused ({code})") from None
    except BotoCoreError as error:
        raise AccountError(f"--aws: cannot reach AWS: {error}") from None
    return AwsAccount(session, region, caller if isinstance(caller, str) else None)
