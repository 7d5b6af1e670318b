"""Checks against the live AWS account (``ecslint check --aws``): what the task definition names exists.

Each check asks an ``Account`` (core/account.py) one question per role, secret, parameter, image
or log group, and reports where the task definition names it.  A question the account could not
answer (access denied, throttling, another account) is ECS800, an info finding that says what
could not be checked and why: never a guess.  Answers are cached, so the checks share them.
The errors ECS gives when a task starts without these resources are in the rules' entries
(docs/facts.md 14).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import methodcaller
from typing import NamedTuple

from ecslint.checks.registry import account_check
from ecslint.core.account import FOUND, MISSING, UNKNOWN, Account, Answer
from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import TaskDef, is_unknown


class _Resource(NamedTuple):
    """One thing the task definition names that the account can be asked about."""

    kind: str  # "task role", "execution role", "secret", "parameter", "image", "log group"
    pointer: str
    name: str  # how messages name it
    ask: Callable[[Account], Answer]


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
                yield _Resource("secret", pointer, arn.rsplit(":", 1)[-1], methodcaller("secret", arn))
            elif not reference.startswith("arn:") or ":ssm:" in reference:
                name = reference.split(":parameter", 1)[-1] if reference.startswith("arn:") else reference
                yield _Resource("parameter", pointer, name, methodcaller("parameter", reference))
        image = _known_string(container.data.get("image"))
        if image is not None and ".dkr.ecr." in image.split("/", 1)[0]:  # only ECR can be asked
            yield _Resource("image", f"{container.pointer}/image", image, methodcaller("image", image))
        group = _log_group(container.data)
        if group is not None:
            pointer = f"{container.pointer}/logConfiguration/options/awslogs-group"
            yield _Resource("log group", pointer, group[0], methodcaller("log_group", group[0], group[1]))


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


def _log_group(container: dict[str, JSON]) -> tuple[str, str | None] | None:
    """The awslogs group a container sends to, unless the execution role creates it."""
    logging = container.get("logConfiguration")
    if not isinstance(logging, dict) or logging.get("logDriver") != "awslogs":
        return None
    options = logging.get("options")
    if not isinstance(options, dict):
        return None
    group, region = _known_string(options.get("awslogs-group")), options.get("awslogs-region")
    if group is None or (region is not None and _known_string(region) is None):
        return None
    if str(options.get("awslogs-create-group", "")).lower() == "true":
        return None  # created at launch (the execution role needs logs:CreateLogGroup)
    return group, region if isinstance(region, str) else None


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
    kinds = ("task role", "execution role", "secret", "parameter", "image", "log group")
    for resource, answer in _answered(td, account, kinds, UNKNOWN):
        yield Violation(resource.pointer, {"kind": resource.kind, "name": resource.name, "reason": answer.detail})


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
