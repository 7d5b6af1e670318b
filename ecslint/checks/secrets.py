"""Checks on secrets, roles and the identifiers in ARNs and image URIs (AWS_FACTS.md 4 and 7.2-7.3)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from ecslint.checks import check
from ecslint.checks.identifiers import (
    REGION,
    Arn,
    Placeholder,
    Span,
    account_kind,
    arn_placeholders,
    empty_field_span,
    image_placeholders,
    is_codedeploy_image,
    is_shell_variable,
    iter_strings,
    parse_arn,
    parse_ecr_host,
    region_placeholders,
    template_spans,
    text_placeholders,
)
from ecslint.model import Violation
from ecslint.pointer import join
from ecslint.taskdef import Container, TaskDef, is_unknown

# -- where secrets live -------------------------------------------------------------------


class SecretRef(NamedTuple):
    container: Container
    pointer: str  # of the valueFrom string
    value: str


def _secret_lists(container: Container) -> Iterator[tuple[str, object]]:
    """(pointer, list) of a container's ``secrets`` and ``logConfiguration.secretOptions``."""
    yield join(container.pointer, "secrets"), container.data.get("secrets")
    log = container.data.get("logConfiguration")
    if isinstance(log, dict):
        yield join(container.pointer, "logConfiguration", "secretOptions"), log.get("secretOptions")


def secret_references(td: TaskDef) -> Iterator[SecretRef]:
    """Every string ``valueFrom`` in containers' secrets and log secretOptions."""
    for container in td.containers():
        for pointer, items in _secret_lists(container):
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                value = item.get("valueFrom") if isinstance(item, dict) else None
                if isinstance(value, str):
                    yield SecretRef(container, join(pointer, index, "valueFrom"), value)


# -- ECS301 invalid-secret-reference -------------------------------------------------------

# AWS_FACTS.md 4.2: SSM parameter names (PutParameter rules).
_SSM_BAD_CHARACTERS = re.compile(r"[^A-Za-z0-9_.\-/]+")
_SSM_RESERVED = ("aws", "ssm")
# Namespaces AWS itself publishes under /aws/: readable, though nobody may create names there.
_SSM_AWS_NAMESPACES = ("aws/reference/secretsmanager/", "aws/service/")
_PARTITION = re.compile(r"^aws(?:-[a-z]+)*$")
_SECRET_SERVICES = ("ssm", "secretsmanager")


class Problem(NamedTuple):
    variant: str
    params: dict[str, object]
    substring: Span | None


def _ssm_name_problem(name: str, offset: int, in_arn: bool) -> Problem | None:
    """What is wrong with the SSM parameter name ``name`` found at ``offset`` in the value."""
    bad = _SSM_BAD_CHARACTERS.search(name)
    if bad is not None:
        start, end = bad.span()
        return Problem("ssm-characters", {"characters": bad.group()}, (offset + start, offset + end))
    if not in_arn and "/" in name and not name.startswith("/"):
        return Problem("ssm-missing-slash", {"name": name}, (offset, offset + len(name)))
    double = name.find("//")
    if double >= 0:
        return Problem("ssm-empty-level", {"name": name}, (offset + double, offset + double + 2))
    if name.endswith("/"):
        return Problem("ssm-empty-level", {"name": name}, (offset + len(name) - 1, offset + len(name)))
    path = name.removeprefix("/")
    base = offset + len(name) - len(path)
    lowered = path.lower()
    if lowered.startswith(_SSM_RESERVED) and not lowered.startswith(_SSM_AWS_NAMESPACES):
        return Problem("ssm-reserved-prefix", {"prefix": path[:3]}, (base, base + 3))
    return None


def _ssm_arn_problem(arn: Arn) -> Problem | None:
    resource, start = arn.resource, arn.resource_start
    if resource.startswith("parameter:"):
        return Problem("ssm-arn-colon", {}, (start + 9, start + 10))
    if not resource.startswith("parameter/"):
        return Problem("ssm-arn-resource", {"resource": resource}, (start, start + len(resource)))
    name = resource[len("parameter/") :]
    if name == "":
        return Problem("ssm-arn-no-name", {}, (start, start + len(resource)))
    if name.startswith("/"):
        return Problem("ssm-arn-double-slash", {}, (start + 9, start + 11))
    return _ssm_name_problem(name, start + len("parameter/"), in_arn=True)


def _secretsmanager_arn_problem(arn: Arn) -> Problem | None:
    resource, start = arn.resource, arn.resource_start
    if not resource.startswith("secret:"):
        return Problem("sm-arn-resource", {"resource": resource}, (start, start + len(resource)))
    base = start + len("secret:")
    fields = resource[len("secret:") :].split(":")
    if fields[0] == "":
        return Problem("sm-no-name", {}, (start, start + len("secret:")))
    if len(fields) not in (1, 4):
        suffix_start = base + len(fields[0])
        end = start + len(resource)
        return Problem("sm-field-count", {"count": len(fields) - 1}, (suffix_start, end))
    if len(fields) == 4 and fields[2] and fields[3]:
        stage_start = base + len(fields[0]) + len(fields[1]) + 2
        return Problem("sm-stage-and-id", {"stage": fields[2], "id": fields[3]}, (stage_start, start + len(resource)))
    return None


def _arn_problem(value: str) -> Problem | None:
    arn = parse_arn(value)
    if arn is None:
        return Problem("arn-malformed", {}, None)
    if not _PARTITION.match(arn.partition):
        return Problem("arn-partition", {"partition": arn.partition}, arn.partition_span)
    if arn.service not in _SECRET_SERVICES:
        return Problem("arn-service", {"service": arn.service}, arn.service_span)
    if arn.region == "":
        return Problem("arn-region-missing", {}, empty_field_span(arn.region_span[0]))
    if not REGION.match(arn.region):
        return Problem("arn-region", {"region": arn.region}, arn.region_span)
    if arn.service == "ssm":
        return _ssm_arn_problem(arn)
    return _secretsmanager_arn_problem(arn)


def secret_reference_problem(value: str) -> Problem | None:
    """What is wrong with a secret's ``valueFrom`` (an SSM name or ARN, or a Secrets Manager ARN)."""
    if value.strip() == "":
        return Problem("empty", {}, None)
    if value.startswith("arn:"):
        return _arn_problem(value)
    return _ssm_name_problem(value, 0, in_arn=False)


def _reported_elsewhere(value: str) -> bool:
    """Template variables (ECS305) and placeholders (ECS304) are not judged again."""
    return is_unknown(value) or bool(text_placeholders(value))


@check("invalid_secret_reference")
def invalid_secret_reference(td: TaskDef) -> Iterator[Violation]:
    """A secret ``valueFrom`` must be an SSM parameter name or ARN, or a Secrets Manager ARN."""
    for ref in secret_references(td):
        if _reported_elsewhere(ref.value):
            continue
        problem = secret_reference_problem(ref.value)
        if problem is not None:
            params = {"value": ref.value, "container": ref.container.label, **problem.params}
            yield Violation(ref.pointer, params, variant=problem.variant, substring=problem.substring)


# -- ECS302 secret-region-mismatch ---------------------------------------------------------


def _secret_arn_region(value: str) -> tuple[str, Span] | None:
    if is_unknown(value):
        return None
    arn = parse_arn(value)
    if arn is None or arn.service not in _SECRET_SERVICES or not REGION.match(arn.region):
        return None
    return arn.region, arn.region_span


def _task_regions(td: TaskDef) -> list[str]:
    """Regions the task uses outside its secrets: awslogs-region options, then ECR image hosts."""
    regions: list[str] = []
    for container in td.containers():
        log = container.data.get("logConfiguration")
        options = log.get("options") if isinstance(log, dict) else None
        region = options.get("awslogs-region") if isinstance(options, dict) else None
        if isinstance(region, str) and REGION.match(region):
            regions.append(region)
    for container in td.containers():
        image = container.data.get("image")
        host = parse_ecr_host(image) if isinstance(image, str) and not is_unknown(image) else None
        if host is not None and REGION.match(host.region):
            regions.append(host.region)
    return regions


def _majority(regions: list[str]) -> str | None:
    """The most frequent Region; among equals, the one seen first."""
    if not regions:
        return None
    counts = Counter(regions)
    best = max(counts.values())
    return next(region for region in regions if counts[region] == best)


@check("secret_region_mismatch")
def secret_region_mismatch(td: TaskDef) -> Iterator[Violation]:
    """A secret ARN in another Region than the one the rest of the task definition uses."""
    refs = [(ref, _secret_arn_region(ref.value)) for ref in secret_references(td)]
    task_regions = _task_regions(td)
    for position, (ref, found) in enumerate(refs):
        if found is None:
            continue
        region, span = found
        others = [other[0] for i, (_, other) in enumerate(refs) if other is not None and i != position]
        expected = _majority(task_regions + others)
        if expected is not None and expected != region:
            params: dict[str, object] = {
                "value": ref.value,
                "region": region,
                "expected": expected,
                "container": ref.container.label,
            }
            yield Violation(ref.pointer, params, substring=span)


# -- ECS303 secrets-without-execution-role ---------------------------------------------------


@check("secrets_without_execution_role")
def secrets_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """Container secrets are fetched with the task execution role, so one must be set."""
    if td.has_execution_role:
        return
    for container in td.containers():
        for pointer, items in _secret_lists(container):
            if isinstance(items, list) and items:
                variant = "default" if pointer.endswith("/secrets") else "secretOptions"
                yield Violation(pointer, {"container": container.label, "count": len(items)}, variant=variant)


# -- ECS304 placeholder-value, ECS306 invalid-account-id ------------------------------------

_IMAGE = re.compile(r"^/containerDefinitions/\d+/image$")
_AWSLOGS_REGION = re.compile(r"^/containerDefinitions/\d+/logConfiguration/options/awslogs-region$")
# Fields that hold an ARN or a name AWS resolves, even when they do not start with "arn:".
_REFERENCE_FIELD = re.compile(
    r"^/(?:taskRoleArn|executionRoleArn"
    r"|containerDefinitions/\d+/(?:secrets/\d+/valueFrom|logConfiguration/secretOptions/\d+/valueFrom"
    r"|repositoryCredentials/credentialsParameter|environmentFiles/\d+/value))$"
)


def _placeholders(pointer: str, value: str) -> list[Placeholder]:
    if _IMAGE.match(pointer):
        return image_placeholders(value)
    if value.startswith("arn:"):
        return arn_placeholders(value)
    if _AWSLOGS_REGION.match(pointer):
        return region_placeholders(value)
    if _REFERENCE_FIELD.match(pointer):
        return text_placeholders(value)
    return []


# AWS_FACTS.md 8.2: describe-task-definition output fields that AWS fills in, not the user.
_READ_ONLY_FIELDS = frozenset(
    {
        "compatibilities",
        "deleteRequestedAt",
        "deregisteredAt",
        "registeredAt",
        "registeredBy",
        "requiresAttributes",
        "revision",
        "status",
        "taskDefinitionArn",
    }
)


def _user_strings(td: TaskDef) -> Iterator[tuple[str, str]]:
    """Every string the user wrote: all but the read-only fields of describe output."""
    for key, value in td.data.items():
        if key not in _READ_ONLY_FIELDS:
            yield from iter_strings(value, join("", key))


_PLACEHOLDER_VARIANTS = {"account": "default", "example-account": "example-account", "region": "region", "text": "text"}


@check("placeholder_value")
def placeholder_value(td: TaskDef) -> Iterator[Violation]:
    """Placeholder text (``<account-id>``, ``ACCOUNT_ID``, ``REGION``...) left in an ARN or image URI."""
    for pointer, value in _user_strings(td):
        if is_unknown(value):
            continue
        for found in _placeholders(pointer, value):
            params: dict[str, object] = {"placeholder": found.text, "value": value}
            yield Violation(pointer, params, variant=_PLACEHOLDER_VARIANTS[found.kind], substring=found.span)


# Services whose ARNs always carry an account id (an empty one is a mistake, not a convention).
_ACCOUNT_SERVICES = frozenset({"iam", "ssm", "secretsmanager"})


def _account_field(pointer: str, value: str) -> tuple[str, str, Span] | None:
    """(kind of value, account text, span) for an ARN's account or an ECR image's registry id."""
    if _IMAGE.match(pointer):
        host = parse_ecr_host(value) if not is_codedeploy_image(value) else None
        return ("registry", host.registry_id, host.registry_id_span) if host is not None else None
    arn = parse_arn(value)
    if arn is None:
        return None
    if arn.account == "" and arn.service in _ACCOUNT_SERVICES:
        return "arn-missing", "", empty_field_span(arn.account_span[0])
    return "arn", arn.account, arn.account_span


@check("invalid_account_id")
def invalid_account_id(td: TaskDef) -> Iterator[Violation]:
    """An ARN account field or ECR registry id that is not 12 digits (and not a placeholder)."""
    for pointer, value in _user_strings(td):
        if is_unknown(value):
            continue
        found = _account_field(pointer, value)
        if found is None:
            continue
        kind, account, span = found
        if kind == "arn-missing":
            yield Violation(pointer, {"account": account, "value": value}, variant="missing", substring=span)
        elif account_kind(account) == "invalid":
            variant = "registry" if kind == "registry" else "default"
            params = {"account": account, "length": len(account), "value": value}
            yield Violation(pointer, params, variant=variant, substring=span)


# -- ECS305 template-variable ---------------------------------------------------------------

# Commands run through a shell, which expands $VAR and ${VAR} itself at run time.
_SHELL_FIELD = re.compile(r"^/containerDefinitions/\d+/(?:command|entryPoint|healthCheck/command)/\d+$")


def _template_variables(pointer: str, value: str) -> list[Span]:
    spans = template_spans(value)
    if _SHELL_FIELD.match(pointer):
        spans = [span for span in spans if not is_shell_variable(value[span[0] : span[1]])]
    return spans


@check("template_variable")
def template_variable(td: TaskDef) -> Iterator[Violation]:
    """A string that still holds a template variable, which ECS would take literally."""
    for pointer, value in _user_strings(td):
        if _IMAGE.match(pointer) and is_codedeploy_image(value):
            yield Violation(pointer, {"variable": value, "variables": value, "value": value}, variant="codedeploy")
            continue
        spans = _template_variables(pointer, value)
        if spans:
            names = [value[start:end] for start, end in spans]
            params: dict[str, object] = {"variable": names[0], "variables": ", ".join(names), "value": value}
            variant = "several" if len(names) > 1 else "default"
            yield Violation(pointer, params, variant=variant, substring=spans[0])
