"""Checks against the live AWS account (``ecslint check --aws``): what the task definition names exists.

Each check asks an ``Account`` (core/account.py) one question per role, secret, parameter, image
or log group, and reports where the task definition names it.  Then, for what exists, whether
the execution role may read it (ECS806/807, IAM policy simulation), whether the customer-managed
KMS key behind a secret is enabled (ECS808), whether an ECR image index has the task's platform
(ECS809) and whether the execution role may create a missing log group it is told to create
(ECS810).  A question the account could not answer (access denied, throttling, another account)
is ECS800, an info finding that says what could not be checked and why: never a guess.  Nothing
is asked about what an earlier answer already reported (a missing secret's permissions, a missing
role's policies): one mistake, one finding.  Answers are cached, so the checks share them.
The errors ECS gives when a task starts without these resources are in the rules' entries
(docs/facts.md 14, and 22 for the permissions, keys and platforms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import methodcaller
from typing import NamedTuple

from ecslint.checks.registry import account_check
from ecslint.core.account import CONDITIONAL, DENIED, FOUND, MISSING, UNKNOWN, Account, Answer
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import TaskDef, is_unknown


class _Resource(NamedTuple):
    """One thing the task definition names that the account can be asked about."""

    kind: str  # "task role", "execution role", "secret", "parameter", "image", "log group"
    pointer: str
    name: str  # how messages name it
    ask: Callable[[Account], Answer]
    arn: str = ""  # secrets: the secret's ARN as the task definition names it


def _known_string(value: JSON) -> str | None:
    return value if isinstance(value, str) and value and not is_unknown(value) else None


def secret_arn(reference: str) -> str | None:
    """The secret's ARN without a ``:json-key:version-stage:version-id`` suffix, for a Secrets Manager reference."""
    parts = reference.split(":")
    if len(parts) < 7 or parts[2] != "secretsmanager" or parts[5] != "secret":
        return None
    return ":".join(parts[:7])


def _resources(td: TaskDef) -> list[_Resource]:
    return td.memo("account resources", lambda: list(_find_resources(td)))


def _find_resources(td: TaskDef) -> Iterator[_Resource]:
    for key, kind in (("taskRoleArn", "task role"), ("executionRoleArn", "execution role")):
        arn = _known_string(td.get(key))
        if arn is not None and arn.startswith("arn:") and ":role/" in arn:
            yield _Resource(kind, f"/{key}", arn.rsplit("/", 1)[-1], methodcaller("role", arn))
    for container in td.containers():
        for pointer, reference in _secret_references(container.pointer, container.data):
            arn = secret_arn(reference)
            if arn is not None:
                yield _Resource("secret", pointer, arn.rsplit(":", 1)[-1], methodcaller("secret", arn), arn)
            elif not reference.startswith("arn:") or ":ssm:" in reference:
                name = reference.split(":parameter", 1)[-1] if reference.startswith("arn:") else reference
                yield _Resource("parameter", pointer, name, methodcaller("parameter", reference))
        image = _known_string(container.data.get("image"))
        if image is not None and ".dkr.ecr." in image.split("/", 1)[0]:  # only ECR can be asked
            yield _Resource("image", f"{container.pointer}/image", image, methodcaller("image", image))
        group = _log_group(container.data)
        if group is not None:
            pointer = f"{container.pointer}/logConfiguration/options/awslogs-group"
            kind = "created log group" if group[2] else "log group"
            yield _Resource(kind, pointer, group[0], methodcaller("log_group", group[0], group[1]))


def _secret_references(base: str, container: dict[str, JSON]) -> Iterator[tuple[str, str]]:
    items = container.get("secrets")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and (value := _known_string(item.get("valueFrom"))):
            yield f"{base}/secrets/{index}/valueFrom", value
    logging = container.get("logConfiguration")
    options = logging.get("secretOptions") if isinstance(logging, dict) else None
    for index, item in enumerate(options if isinstance(options, list) else []):
        if isinstance(item, dict) and (value := _known_string(item.get("valueFrom"))):
            yield f"{base}/logConfiguration/secretOptions/{index}/valueFrom", value
    credentials = container.get("repositoryCredentials")
    if isinstance(credentials, dict) and (value := _known_string(credentials.get("credentialsParameter"))):
        yield f"{base}/repositoryCredentials/credentialsParameter", value


def _log_group(container: dict[str, JSON]) -> tuple[str, str | None, bool] | None:
    """The awslogs group a container sends to, its Region, and whether the execution role creates it."""
    logging = container.get("logConfiguration")
    if not isinstance(logging, dict) or logging.get("logDriver") != "awslogs":
        return None
    options = logging.get("options")
    if not isinstance(options, dict):
        return None
    group, region = _known_string(options.get("awslogs-group")), options.get("awslogs-region")
    if group is None or (region is not None and _known_string(region) is None):
        return None
    create_group = options.get("awslogs-create-group")
    if isinstance(create_group, str) and is_unknown(create_group):
        return None  # whether the driver creates the group is known only at deploy time
    create = str(create_group).lower() == "true"  # the execution role needs logs:CreateLogGroup
    return group, region if isinstance(region, str) else None, create


def _answered(td: TaskDef, account: Account, kinds: tuple[str, ...], state: str) -> Iterator[tuple[_Resource, Answer]]:
    for resource in _resources(td):
        if resource.kind in kinds:
            answer = resource.ask(account)
            if answer.state == state:
                yield resource, answer


_ROLES = ("task role", "execution role")


# -- ECS800 account-check-incomplete ------------------------------------------------------------


@account_check("account_check_incomplete")
def account_check_incomplete(td: TaskDef, account: Account) -> Iterator[Violation]:
    kinds = ("task role", "execution role", "secret", "parameter", "image", "log group", "created log group")
    for resource, answer in _answered(td, account, kinds, UNKNOWN):
        kind = "log group" if resource.kind == "created log group" else resource.kind
        yield Violation(resource.pointer, {"kind": kind, "name": resource.name, "reason": answer.detail})
    for question in _questions(td, account):
        if question.answer.state == UNKNOWN:
            params = {"kind": question.kind, "name": question.name, "reason": question.answer.detail}
            params.update(role=question.role, action=question.action)
            yield Violation(question.pointer, params, question.variant)


# -- ECS801 role-not-found, ECS802 role-not-trusted ---------------------------------------------
# "ECS was unable to assume the role 'ARN' that was provided for this task." (facts 14)


@account_check("role_not_found")
def role_not_found(td: TaskDef, account: Account) -> Iterator[Violation]:
    for resource, _ in _answered(td, account, _ROLES, MISSING):
        yield Violation(resource.pointer, {"kind": resource.kind, "name": resource.name})


@account_check("role_not_trusted")
def role_not_trusted(td: TaskDef, account: Account) -> Iterator[Violation]:
    for resource, answer in _answered(td, account, _ROLES, FOUND):
        if answer.trusts_ecs_tasks is False:
            yield Violation(resource.pointer, {"kind": resource.kind, "name": resource.name})


# -- ECS803 secret-not-found ----------------------------------------------------------------------
# "ResourceInitializationError: unable to pull secrets or registry auth: ..." (facts 14)


@account_check("secret_not_found")
def secret_not_found(td: TaskDef, account: Account) -> Iterator[Violation]:
    for resource, _ in _answered(td, account, ("secret", "parameter"), MISSING):
        yield Violation(resource.pointer, {"kind": resource.kind, "name": resource.name}, resource.kind)


# -- ECS804 image-not-found ---------------------------------------------------------------------
# "CannotPullContainerError: ... not found" (facts 14)


@account_check("image_not_found")
def image_not_found(td: TaskDef, account: Account) -> Iterator[Violation]:
    for resource, answer in _answered(td, account, ("image",), MISSING):
        yield Violation(resource.pointer, {"image": resource.name, "reason": answer.detail})


# -- ECS805 log-group-not-found -------------------------------------------------------------------
# "... failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group
# does not exist." (facts 14)


@account_check("log_group_not_found")
def log_group_not_found(td: TaskDef, account: Account) -> Iterator[Violation]:
    for resource, _ in _answered(td, account, ("log group",), MISSING):
        yield Violation(resource.pointer, {"group": resource.name})


# -- the questions asked about what exists --------------------------------------------------------


class _Question(NamedTuple):
    """A question about a resource that exists: a permission, a key's state, an image's platforms."""

    variant: str  # ECS800's message: "permission", "key" or "platforms"
    kind: str  # what ``name`` is, as messages say it ("Secrets Manager secret", "KMS key", "image")
    pointer: str
    name: str
    answer: Answer
    role: str = ""  # permissions: the execution role's name
    action: str = ""  # permissions: the IAM action
    of: str = ""  # keys: what the key encrypts ("Secrets Manager secret 'prod/db'")


def _questions(td: TaskDef, account: Account) -> list[_Question]:
    return td.memo("account questions", lambda: list(_ask(td, account)))


_READ = {
    "secret": ("secretsmanager:GetSecretValue", "Secrets Manager secret"),
    "parameter": ("ssm:GetParameters", "SSM parameter"),
}
_PLATFORMS = {"X86_64": "linux/amd64", "ARM64": "linux/arm64"}


def _ask(td: TaskDef, account: Account) -> Iterator[_Question]:
    role = _execution_role(td, account)
    platform = _task_platform(td)
    if role is not None:
        _prepare(td, account, role)
    for resource in _resources(td):
        if resource.kind in _READ:
            answer = resource.ask(account)
            if answer.state == FOUND:
                yield from _ask_readable(resource, answer, role, account)
        elif resource.kind == "image" and platform is not None and resource.ask(account).state == FOUND:
            platforms = account.image_platforms(resource.name)
            yield _Question("platforms", "image", resource.pointer, resource.name, platforms, action=platform)
        elif resource.kind == "created log group" and role is not None:
            answer = resource.ask(account)
            if answer.state == MISSING and answer.arn:
                may = account.may(role, "logs:CreateLogGroup", answer.arn)
                name, action = resource.name, "logs:CreateLogGroup"
                yield _Question("permission", "log group", resource.pointer, name, may, _name(role), action)


def _prepare(td: TaskDef, account: Account, role: str) -> None:
    """Tell the account every permission the task definition's secrets and log groups need, so that
    it can simulate each action for all its resources in one call."""
    wanted: dict[str, list[str]] = {}
    for resource in _resources(td):
        answer = resource.ask(account) if resource.kind in (*_READ, "created log group") else None
        if answer is None:
            continue
        if resource.kind in _READ and answer.state == FOUND and (arn := answer.arn or resource.arn):
            wanted.setdefault(_READ[resource.kind][0], []).append(arn)
        elif resource.kind == "created log group" and answer.state == MISSING and answer.arn:
            wanted.setdefault("logs:CreateLogGroup", []).append(answer.arn)
    for action, arns in wanted.items():
        account.prepare(role, action, tuple(arns))


def _ask_readable(resource: _Resource, answer: Answer, role: str | None, account: Account) -> Iterator[_Question]:
    action, kind = _READ[resource.kind]
    arn = answer.arn or resource.arn  # a secret's full ARN from DescribeSecret, as IAM sees the request
    if role is not None and arn:
        may = account.may(role, action, arn)
        yield _Question("permission", kind, resource.pointer, resource.name, may, _name(role), action)
    if answer.key is None:
        return
    region = arn.split(":")[3] if arn and arn.startswith("arn:") else None
    key = account.key(answer.key, region)
    of = f"{kind} '{resource.name}'"
    yield _Question("key", "KMS key", resource.pointer, answer.key, key, of=of)
    if role is not None and key.state == FOUND and key.detail == "Enabled" and key.arn:
        service = "secretsmanager" if resource.kind == "secret" else "ssm"
        where = region or (key.arn.split(":")[3] if key.arn.startswith("arn:") else None)
        via = f"{service}.{where}.amazonaws.com" if where else None  # the service decrypts for the role
        may = account.may(role, "kms:Decrypt", key.arn, via)
        yield _Question("permission", "KMS key", resource.pointer, answer.key, may, _name(role), "kms:Decrypt", of)


def _execution_role(td: TaskDef, account: Account) -> str | None:
    """The execution role's ARN when it exists and trusts ECS tasks (otherwise ECS801/802 said why)."""
    arn = _known_string(td.get("executionRoleArn"))
    if arn is None or not arn.startswith("arn:") or ":role/" not in arn:
        return None
    answer = account.role(arn)
    return arn if answer.state == FOUND and answer.trusts_ecs_tasks is not False else None


def _name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _task_platform(td: TaskDef) -> str | None:
    """ "linux/amd64" or "linux/arm64" when the task's platform is known: runtimePlatform says it, or
    the task runs only on Fargate, whose default is X86_64 on Linux."""
    runtime = td.get("runtimePlatform")
    runtime = runtime if isinstance(runtime, dict) else {}
    family = runtime.get("operatingSystemFamily")
    if family is not None and _known_string(family) != "LINUX":
        return None  # Windows, or known only at deploy time
    architecture = runtime.get("cpuArchitecture")
    if architecture is None and td.get("requiresCompatibilities") == ["FARGATE"]:
        architecture = "X86_64"
    known = _known_string(architecture)
    return _PLATFORMS.get(known) if known is not None else None


# -- ECS806 secret-not-readable, ECS807 permission-unverified, ECS810 log-group-not-creatable ------
# "ResourceInitializationError: unable to pull secrets or registry auth: ... AccessDeniedException:
# User: arn:aws:sts::...:assumed-role/... is not authorized to perform: ssm:GetParameters on
# resource: ..." (facts 22)


def _permissions(td: TaskDef, account: Account, state: str) -> Iterator[_Question]:
    for question in _questions(td, account):
        if question.variant == "permission" and question.answer.state == state:
            yield question


def _permission_params(question: _Question) -> dict[str, object]:
    name = f"{question.kind} '{question.name}'"
    if question.of:
        name += f" that encrypts {question.of}"
    return {"role": question.role, "action": question.action, "name": name, "reason": question.answer.detail}


@account_check("secret_not_readable")
def secret_not_readable(td: TaskDef, account: Account) -> Iterator[Violation]:
    for question in _permissions(td, account, DENIED):
        if question.action != "logs:CreateLogGroup":
            yield Violation(question.pointer, _permission_params(question))


@account_check("permission_unverified")
def permission_unverified(td: TaskDef, account: Account) -> Iterator[Violation]:
    for question in _permissions(td, account, CONDITIONAL):
        yield Violation(question.pointer, _permission_params(question))


@account_check("log_group_not_creatable")
def log_group_not_creatable(td: TaskDef, account: Account) -> Iterator[Violation]:
    for question in _permissions(td, account, DENIED):
        if question.action == "logs:CreateLogGroup":
            params = {"group": question.name, "role": question.role, "reason": question.answer.detail}
            yield Violation(question.pointer, params)


# -- ECS808 kms-key-not-usable -------------------------------------------------------------------


@account_check("kms_key_not_usable")
def kms_key_not_usable(td: TaskDef, account: Account) -> Iterator[Violation]:
    for question in _questions(td, account):
        if question.variant != "key" or question.answer.state not in (FOUND, MISSING):
            continue
        params = {"key": question.name, "of": question.of, "state": question.answer.detail}
        if question.answer.state == MISSING:
            yield Violation(question.pointer, params, "missing")
        elif question.answer.arn and question.answer.detail != "Enabled":
            yield Violation(question.pointer, params)


# -- ECS809 image-platform-mismatch -----------------------------------------------------------------
# "CannotPullContainerError: pull image manifest has been retried 7 time(s): image Manifest does not
# contain descriptor matching platform 'linux/amd64'" (facts 22)


@account_check("image_platform_mismatch")
def image_platform_mismatch(td: TaskDef, account: Account) -> Iterator[Violation]:
    for question in _questions(td, account):
        platforms = question.answer.platforms
        if question.variant != "platforms" or question.answer.state != FOUND or not platforms:
            continue
        if question.action not in platforms:
            listed = ", ".join(sorted({p for p in platforms if not p.startswith("unknown/")})) or "no platform"
            params = {"image": question.name, "platform": question.action, "platforms": listed}
            decided_by = "/runtimePlatform" if "runtimePlatform" in td.data else "/requiresCompatibilities"
            yield Violation(question.pointer, params, depends=(decided_by,))
