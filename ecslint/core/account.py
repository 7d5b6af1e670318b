"""What the live AWS account says about the resources a task definition names (``ecslint check --aws``).

Account checks receive an ``Account`` and ask it one question per resource; each answer is
``FOUND``, ``MISSING`` or ``UNKNOWN`` with the reason it could not be checked (access denied,
throttling, another account).  The implementation that calls AWS lives in ``ecslint.account``;
tests and other tools can pass their own.  Checks never call AWS themselves.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

FOUND = "found"
MISSING = "missing"
UNKNOWN = "unknown"


class Answer(NamedTuple):
    state: str  # FOUND, MISSING or UNKNOWN
    detail: str = ""  # UNKNOWN: why ("the caller lacks iam:GetRole"); MISSING: what AWS said
    trusts_ecs_tasks: bool | None = None  # roles only: the trust policy lets ECS tasks assume it


class Account(Protocol):
    """Read-only questions about one AWS account; every answer is cached for the run."""

    def role(self, arn: str) -> Answer: ...

    def secret(self, arn: str) -> Answer: ...

    def parameter(self, name_or_arn: str) -> Answer: ...

    def image(self, image: str) -> Answer: ...

    def log_group(self, name: str, region: str | None) -> Answer: ...


class ListedAccount:
    """An account described by lists: every resource exists unless listed as missing, a role
    trusts ECS tasks unless listed as untrusted.  For catalogue examples and tests."""

    def __init__(self, missing: tuple[str, ...] = (), untrusted: tuple[str, ...] = (), unknown: tuple[str, ...] = ()):
        self.missing = frozenset(missing)
        self.untrusted = frozenset(untrusted)
        self.unknown = frozenset(unknown)

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
        return self._answer(arn)

    def parameter(self, name_or_arn: str) -> Answer:
        return self._answer(name_or_arn)

    def image(self, image: str) -> Answer:
        return self._answer(image)

    def log_group(self, name: str, region: str | None) -> Answer:
        return self._answer(name)
