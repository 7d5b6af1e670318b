"""Parsing helpers for the identifiers a task definition holds: image references, ARNs,
account ids, Regions, placeholders and template variables.

Everything here is pure: functions take a string and return offsets into it (code points
of the decoded string, as ``Violation.substring`` wants).  The other check modules use
them; this module registers no check.

Facts: image forms and ECR hosts (docs/facts.md 7.2), ARN forms (7.3), account ids are 12
digits ([BOTO-ECR] ``RegistryId``), Regions look like ``us-east-1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from ecslint.core.pointer import join
from ecslint.core.taskdef import TEMPLATE_VARIABLE, is_intrinsic

Span = tuple[int, int]

# The parsers below are pure and several checks ask them about the same strings (an image is
# parsed by eight checks): each keeps its last answers.  A few hundred is what one task
# definition holds; it is not meant to carry answers from file to file.
_CACHED = 256

# -- template variables ------------------------------------------------------------------

# CodeDeploy / CodePipeline blue/green: the whole image is a placeholder such as <IMAGE1_NAME>.
_CODEDEPLOY_IMAGE = re.compile(r"^<[A-Za-z0-9_.-]+>$")
# Shell-style variables ($VAR, ${VAR}): a shell expands them in commands, so they are fine there.
_SHELL_VARIABLE = re.compile(r"^\$(?:\{[^}]*\}|[A-Z_][A-Z0-9_]*)$")


def template_spans(text: str) -> list[Span]:
    """Every template variable in ``text``, in order, as ``(start, end)`` spans."""
    return [m.span() for m in TEMPLATE_VARIABLE.finditer(text)]


def is_shell_variable(text: str) -> bool:
    """``$VAR`` or ``${VAR}``: what a shell expands at run time."""
    return _SHELL_VARIABLE.match(text) is not None


def is_codedeploy_image(text: str) -> bool:
    """An image that is only a ``<NAME>`` placeholder, which a blue/green deploy substitutes."""
    return _CODEDEPLOY_IMAGE.match(text) is not None


# -- walking a document ------------------------------------------------------------------


def iter_strings(value: object, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every string value under ``value`` with its JSON pointer (CloudFormation intrinsics skipped)."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        if is_intrinsic(value):
            return
        for key, item in value.items():
            if isinstance(key, str):
                yield from iter_strings(item, join(pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_strings(item, join(pointer, index))


# -- accounts and Regions ----------------------------------------------------------------

AccountKind = Literal["valid", "example", "aws", "empty", "placeholder", "invalid"]
RegionKind = Literal["valid", "empty", "placeholder", "invalid"]

# Account ids the AWS documentation uses in its examples; no real account has them.
EXAMPLE_ACCOUNTS = frozenset({"123456789012", "111122223333", "444455556666", "777788889999"})
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_ACCOUNT_WORD = re.compile(r"account|acct|your|x{4}|[<>{}\[\]]", re.IGNORECASE)
REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$")
_REGION_WORD = re.compile(r"(?i:region)|[<>{}\[\]]|^[A-Z_]+$|^(?i:x{2}(?:-x+)+-[x0-9])$")


def account_kind(text: str) -> AccountKind:
    """Classify an ARN account field or an ECR registry id."""
    if text == "":
        return "empty"
    if _ACCOUNT_ID.match(text):
        return "example" if text in EXAMPLE_ACCOUNTS else "valid"
    if text == "aws":  # AWS-managed resources, e.g. arn:aws:iam::aws:policy/...
        return "aws"
    if not text.isascii() or not any(c.isdigit() for c in text) or _ACCOUNT_WORD.search(text):
        return "placeholder"
    return "invalid"


def region_kind(text: str) -> RegionKind:
    """Classify an ARN Region field, an ECR host's Region or an ``awslogs-region`` value."""
    if text == "":
        return "empty"
    if not text.isascii() or _REGION_WORD.search(text):
        return "placeholder"
    if REGION.match(text):
        return "valid"
    return "invalid"


# -- ARNs --------------------------------------------------------------------------------


class Arn(NamedTuple):
    """``arn:partition:service:region:account:resource`` with the offset of each field."""

    partition: str
    service: str
    region: str
    account: str
    resource: str
    starts: tuple[int, int, int, int, int]

    @property
    def partition_span(self) -> Span:
        return (self.starts[0], self.starts[0] + len(self.partition))

    @property
    def service_span(self) -> Span:
        return (self.starts[1], self.starts[1] + len(self.service))

    @property
    def region_span(self) -> Span:
        return (self.starts[2], self.starts[2] + len(self.region))

    @property
    def account_span(self) -> Span:
        return (self.starts[3], self.starts[3] + len(self.account))

    @property
    def resource_start(self) -> int:
        return self.starts[4]


@lru_cache(maxsize=_CACHED)
def parse_arn(text: str) -> Arn | None:
    """Split an ARN into its fields; None unless it starts ``arn:`` and has all six."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    starts: list[int] = []
    offset = 0
    for part in parts[:-1]:
        offset += len(part) + 1
        starts.append(offset)
    field_starts = (starts[0], starts[1], starts[2], starts[3], starts[4])
    return Arn(parts[1], parts[2], parts[3], parts[4], parts[5], field_starts)


def empty_field_span(start: int) -> Span:
    """A visible span for an empty field: the two colons around it."""
    return (start - 1, start + 1)


# -- images ------------------------------------------------------------------------------


class ImageRef(NamedTuple):
    """A container image reference: ``[registry/]repository[:tag][@digest]``."""

    registry: str | None
    repository: str
    tag: str | None
    tag_span: Span | None
    digest: str | None


@lru_cache(maxsize=_CACHED)
def parse_image(text: str) -> ImageRef:
    """Split an image reference the way Docker does.

    The registry is the first path component when there is another after it and it holds a
    ``.`` or a ``:`` or is ``localhost``; the tag follows the last ``:`` of the last path
    component, so ``localhost:5000/app`` has a registry with a port and no tag.
    """
    name, at, digest = text.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag: str | None = None
    tag_span: Span | None = None
    if colon > slash:
        tag = name[colon + 1 :]
        tag_span = (colon + 1, len(name))
        name = name[:colon]
    registry: str | None = None
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, name = first, rest
    return ImageRef(registry, name, tag, tag_span, digest if at else None)


class EcrHost(NamedTuple):
    """``<registry-id>.dkr.ecr.<region>.amazonaws.com``, with spans relative to the image string."""

    registry_id: str
    registry_id_span: Span
    region: str
    region_span: Span


_ECR_HOST = re.compile(
    r"^(?P<id>[^./]*)\.dkr(?:\.ecr|\.ecr-fips|-ecr)\.(?P<region>[^./]*)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$"
)


@lru_cache(maxsize=_CACHED)
def parse_ecr_host(image: str) -> EcrHost | None:
    """The private ECR registry an image lives in, or None for any other registry."""
    registry = parse_image(image).registry
    if registry is None:
        return None
    match = _ECR_HOST.match(registry)
    if match is None:
        return None
    return EcrHost(match["id"], match.span("id"), match["region"], match.span("region"))


# -- placeholders ------------------------------------------------------------------------

PlaceholderKind = Literal["account", "example-account", "region", "text"]


class Placeholder(NamedTuple):
    kind: PlaceholderKind
    span: Span
    text: str


# Placeholder text anywhere in a value: <something>, YOUR_THING, REPLACE_ME, CHANGEME.
_PLACEHOLDER_TEXT = re.compile(
    r"<[^<>\s]+>|(?<![A-Za-z0-9])your[_-][A-Za-z0-9_-]*|(?<![A-Za-z0-9])(?:replace|change)[_-]?me(?![a-z])",
    re.IGNORECASE,
)


def _account_placeholder(account: str, span: Span) -> Placeholder | None:
    kind = account_kind(account)
    if kind == "placeholder":
        return Placeholder("account", span, account)
    if kind == "example":
        return Placeholder("example-account", span, account)
    return None


def _region_placeholder(region: str, span: Span) -> Placeholder | None:
    if region_kind(region) == "placeholder":
        return Placeholder("region", span, region)
    return None


def _text_placeholders(text: str) -> list[Placeholder]:
    return [Placeholder("text", m.span(), m.group()) for m in _PLACEHOLDER_TEXT.finditer(text)]


def _merge(fields: list[Placeholder | None], anywhere: list[Placeholder]) -> tuple[Placeholder, ...]:
    """Field placeholders first, then text placeholders that do not overlap them, in order.

    Text placeholders never overlap one another (one ``finditer``), so each is compared with the
    (at most two) field placeholders only: linear in the number found."""
    found = [p for p in fields if p is not None]
    field_spans = [p.span for p in found]
    for candidate in anywhere:
        if all(candidate.span[1] <= start or candidate.span[0] >= end for start, end in field_spans):
            found.append(candidate)
    return tuple(sorted(found, key=lambda p: p.span))


@lru_cache(maxsize=_CACHED)
def arn_placeholders(text: str) -> tuple[Placeholder, ...]:
    """Placeholders in an ARN's Region and account fields, and placeholder text anywhere."""
    arn = parse_arn(text)
    fields: list[Placeholder | None] = []
    if arn is not None:
        fields.append(_region_placeholder(arn.region, arn.region_span))
        fields.append(_account_placeholder(arn.account, arn.account_span))
    return _merge(fields, _text_placeholders(text))


@lru_cache(maxsize=_CACHED)
def image_placeholders(text: str) -> tuple[Placeholder, ...]:
    """Placeholders in an ECR host's registry id and Region, and placeholder text anywhere."""
    if is_codedeploy_image(text):
        return ()
    host = parse_ecr_host(text)
    fields: list[Placeholder | None] = []
    if host is not None:
        fields.append(_account_placeholder(host.registry_id, host.registry_id_span))
        fields.append(_region_placeholder(host.region, host.region_span))
    return _merge(fields, _text_placeholders(text))


def region_placeholders(text: str) -> tuple[Placeholder, ...]:
    """A whole value that should be a Region (``awslogs-region``) but holds a placeholder."""
    found = _region_placeholder(text, (0, len(text)))
    return (found,) if found is not None else ()


@lru_cache(maxsize=_CACHED)
def text_placeholders(text: str) -> tuple[Placeholder, ...]:
    """Placeholder text in a value that is not an ARN (a secret name, a role name)."""
    if text.startswith("arn:"):
        return arn_placeholders(text)
    return tuple(_text_placeholders(text))


# Every cache above, for a measurement that must not carry answers from one file to the next.
PARSE_CACHES = (parse_arn, parse_image, parse_ecr_host, arn_placeholders, image_placeholders, text_placeholders)
