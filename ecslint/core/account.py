"""What the live AWS account says about the resources a task definition names (``ecslint check --aws``).

Account checks receive an ``Account`` and ask it one question per resource; each answer is
``FOUND``, ``MISSING`` or ``UNKNOWN`` with the reason it could not be checked (access denied,
throttling, another account).  Whether the execution role may do something (``may``) is
``ALLOWED``, ``DENIED`` (definite), ``CONDITIONAL`` (denied unless a condition, a resource
policy or a grant the simulation cannot evaluate allows it) or ``UNKNOWN``.  ``REPORTED`` is an
``UNKNOWN`` whose reason was already reported in this run (the caller lacks
iam:SimulatePrincipalPolicy for this role): checks say nothing more about it.  The
implementation that calls AWS lives in ``ecslint.account``; tests and other tools can pass
their own.  Checks never call AWS themselves.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

FOUND = "found"
MISSING = "missing"
UNKNOWN = "unknown"
ALLOWED = "allowed"
DENIED = "denied"
CONDITIONAL = "conditional"
REPORTED = "reported"


class Answer(NamedTuple):
    state: str  # FOUND, MISSING or UNKNOWN; for ``may``: ALLOWED, DENIED, CONDITIONAL, UNKNOWN or REPORTED
    detail: str = ""  # UNKNOWN: why ("the caller lacks iam:GetRole"); MISSING: what AWS said; key: its state
    trusts_ecs_tasks: bool | None = None  # roles only: the trust policy lets ECS tasks assume it
    key: str | None = None  # secrets and parameters: the customer-managed KMS key that encrypts it
    platforms: tuple[str, ...] | None = None  # images: "os/architecture" of an index's entries (None: one manifest)
    arn: str | None = None  # secrets, parameters, log groups (also missing ones), customer-managed keys: the ARN


class Account(Protocol):
    """Read-only questions about one AWS account; every answer is cached for the run."""

    def role(self, arn: str) -> Answer: ...

    def secret(self, arn: str) -> Answer: ...

    def parameter(self, name_or_arn: str) -> Answer: ...

    def image(self, image: str) -> Answer: ...

    def log_group(self, name: str, region: str | None) -> Answer: ...

    def key(self, key_id: str, region: str | None) -> Answer:
        """A KMS key: FOUND with ``detail`` its KeyState ("Enabled", "Disabled", "PendingDeletion"...)."""
        ...

    def image_platforms(self, image: str) -> Answer:
        """An ECR image's manifest: FOUND with ``platforms`` when it is a manifest list or OCI index."""
        ...

    def may(self, role_arn: str, action: str, resource_arn: str, via: str | None = None) -> Answer:
        """Whether the role's policies allow ``action`` on the resource (IAM policy simulation);
        ``via``: the service that makes the call on the role's behalf (``kms:ViaService``)."""
        ...

    def prepare(self, role_arn: str, action: str, resource_arns: tuple[str, ...], via: str | None = None) -> None:
        """A hint that ``may`` will be asked about each of these resources: ask about them together."""
        ...


class ListedAccount:
    """An account described by lists: every resource exists unless listed as missing, a role
    trusts ECS tasks unless listed as untrusted, the execution role may do everything except on
    the resources listed as denied or conditional.  ``encrypted`` pairs a secret or parameter
    with its customer-managed key ("NAME KEY"), ``disabled`` lists keys that are not enabled and
    ``platforms`` pairs an image with its index's platforms ("IMAGE linux/amd64,linux/arm64").
    For catalogue examples and tests."""

    def __init__(
        self,
        missing: tuple[str, ...] = (),
        untrusted: tuple[str, ...] = (),
        unknown: tuple[str, ...] = (),
        *,
        denied: tuple[str, ...] = (),
        conditional: tuple[str, ...] = (),
        encrypted: tuple[str, ...] = (),
        disabled: tuple[str, ...] = (),
        platforms: tuple[str, ...] = (),
    ):
        self.missing = frozenset(missing)
        self.untrusted = frozenset(untrusted)
        self.unknown = frozenset(unknown)
        self.denied = frozenset(denied)
        self.conditional = frozenset(conditional)
        self.keys = dict(_pair(item) for item in encrypted)
        self.disabled = frozenset(disabled)
        self.platforms = {name: tuple(value.split(",")) for name, value in map(_pair, platforms)}

    def _answer(self, key: str) -> Answer:
        if key in self.unknown:
            return Answer(UNKNOWN, "the caller is not allowed to look")
        if key in self.missing:
            return Answer(MISSING, "not found")
        return Answer(FOUND)

    def role(self, arn: str) -> Answer:
        answer = self._answer(arn)
        return answer._replace(trusts_ecs_tasks=arn not in self.untrusted) if answer.state == FOUND else answer

    def secret(self, arn: str) -> Answer:
        answer = self._answer(arn)
        return answer._replace(key=self.keys.get(arn)) if answer.state == FOUND else answer

    def parameter(self, name_or_arn: str) -> Answer:
        answer = self._answer(name_or_arn)
        found = answer.state == FOUND
        return answer._replace(key=self.keys.get(name_or_arn), arn=name_or_arn) if found else answer

    def image(self, image: str) -> Answer:
        return self._answer(image)

    def log_group(self, name: str, region: str | None) -> Answer:
        return self._answer(name)._replace(arn=name)

    def key(self, key_id: str, region: str | None) -> Answer:
        answer = self._answer(key_id)
        if answer.state != FOUND:
            return answer
        return answer._replace(detail="Disabled" if key_id in self.disabled else "Enabled", arn=key_id)

    def image_platforms(self, image: str) -> Answer:
        return Answer(FOUND, platforms=self.platforms.get(image))

    def prepare(self, role_arn: str, action: str, resource_arns: tuple[str, ...], via: str | None = None) -> None:
        pass

    def may(self, role_arn: str, action: str, resource_arn: str, via: str | None = None) -> Answer:
        if resource_arn in self.denied:
            return Answer(DENIED, "no identity-based policy allows it")
        if resource_arn in self.conditional:
            return Answer(CONDITIONAL, "a condition decides it")
        return Answer(ALLOWED)


def _pair(item: str) -> tuple[str, str]:
    name, _, value = item.partition(" ")
    return name, value.strip()
