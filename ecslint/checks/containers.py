"""Checks on container definitions: essential containers, names, counts and size, images,
environment, environment files, ulimits, tags and retired features (docs/facts.md 2.3, 6.3, 7.1-7.5)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from ecslint.checks.identifiers import (
    Span,
    image_placeholders,
    is_codedeploy_image,
    parse_arn,
    parse_ecr_host,
    parse_image,
    region_kind,
    text_placeholders,
)
from ecslint.checks.registry import check
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import READ_ONLY_FIELDS, Container, TaskDef, is_unknown

# docs/facts.md 7.1: family and container names are up to 255 ASCII letters, digits, '_' and '-'.
NAME_MAX_LENGTH = 255
_NAME_CHARACTER = re.compile(r"[A-Za-z0-9_-]")
_INVALID_RUN = re.compile(r"[^A-Za-z0-9_-]+")
_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a newline", "\u3000": "an ideographic space"}


@check("no_essential_container", container=("essential",))
def no_essential_container(td: TaskDef) -> Iterator[Violation]:
    """At least one container must be essential; an omitted ``essential`` means true."""
    containers = list(td.containers())
    if not containers:
        return
    flags = [container.essential for container in containers]
    if any(flag is None for flag in flags) or any(flags):
        return
    yield Violation("/containerDefinitions", {"count": len(containers)})


def _describe_characters(text: str) -> str:
    """The distinct characters of ``text`` that a name may not hold, quoted, in order."""
    seen: list[str] = []
    for character in text:
        if not _NAME_CHARACTER.match(character) and character not in seen:
            seen.append(character)
    return ", ".join(
        f"{_CHARACTER_NAMES[c]}" if c in _CHARACTER_NAMES else f"'{c}'" if c.isprintable() else f"U+{ord(c):04X}"
        for c in seen
    )


def _name_problem(name: str) -> tuple[str, dict[str, object], Span | None] | None:
    """(variant suffix, params, substring) describing what is wrong with a family or container name."""
    if name == "":
        return "empty", {}, None
    match = _INVALID_RUN.search(name)
    if match is not None:
        return "characters", {"characters": _describe_characters(name)}, match.span()
    if len(name) > NAME_MAX_LENGTH:
        return "too-long", {"length": len(name)}, (NAME_MAX_LENGTH, len(name))
    return None


@check("invalid_family_name", task=("family",), container=("name",))
def invalid_family_name(td: TaskDef) -> Iterator[Violation]:
    """``family`` and container names take only ASCII letters, digits, hyphens and underscores."""
    family = td.get("family")
    if isinstance(family, str) and not is_unknown(family):
        problem = _name_problem(family)
        if problem is not None:
            kind, params, substring = problem
            variant = "default" if kind == "characters" else f"family-{kind}"
            yield Violation("/family", {"family": family, **params}, variant=variant, substring=substring)
    for container in td.containers():
        name = container.data.get("name")
        if not isinstance(name, str) or is_unknown(name):
            continue
        problem = _name_problem(name)
        if problem is not None:
            kind, params, substring = problem
            pointer = join(container.pointer, "name")
            yield Violation(pointer, {"name": name, **params}, variant=f"container-{kind}", substring=substring)


# Docker's grammar for a repository path: lower-case components joined by '/'.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")


def _is_docker_reference(repository: str) -> bool:
    """Anything outside Docker's grammar (upper case, '<user>') is a placeholder, not an image."""
    return _REPOSITORY.match(repository) is not None


@check("latest_image_tag", container=("image",))
def latest_image_tag(td: TaskDef) -> Iterator[Violation]:
    """An image on ``:latest``, or with neither tag nor digest (which means ``latest``)."""
    for container in td.containers():
        image = container.data.get("image")
        if not isinstance(image, str) or is_unknown(image) or is_codedeploy_image(image):
            continue
        if _PERCENT_VARIABLE.search(image):
            continue  # %VAR%: filled in before registration, as the other image rules assume
        ref = parse_image(image)
        if ref.digest is not None or not _is_docker_reference(ref.repository):
            continue
        pointer = join(container.pointer, "image")
        if ref.tag is None:
            yield Violation(pointer, {"image": image}, variant="untagged")
        elif ref.tag == "latest":
            yield Violation(pointer, {"image": image, "tag": ref.tag}, substring=ref.tag_span)


# -- shared helpers -------------------------------------------------------------------------


def _known_string(value: object) -> str | None:
    """``value`` when it is a string known at lint time, else None."""
    return value if isinstance(value, str) and not is_unknown(value) else None


def named_items(items: object, key: str) -> Iterator[tuple[int, str]]:
    """(index, value of ``key``) for each object in a list whose ``key`` is a known string."""
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict):
            value = _known_string(item.get(key))
            if value is not None:
                yield index, value


def _repeats(items: object, key: str, fold: Callable[[str], str] = str) -> Iterator[tuple[int, str, int]]:
    """(index, value, first index) for every item whose ``key`` repeats an earlier item's."""
    first: dict[str, int] = {}
    for index, value in named_items(items, key):
        folded = fold(value)
        if folded in first:
            yield index, value, first[folded]
        else:
            first[folded] = index


# -- ECS203 too-many-containers, ECS204 duplicate-container-name, ECS205 empty-container-list ----

# docs/facts.md 2.3: "Containers per task definition" is 10 and not adjustable ("Too many containers.").
MAX_CONTAINERS = 10


@check("too_many_containers", task=("containerDefinitions",))
def too_many_containers(td: TaskDef) -> Iterator[Violation]:
    """A task definition holds at most 10 container definitions."""
    count = len(td.containers())  # what is not an object is a schema finding (ECS021), not a container
    if count > MAX_CONTAINERS:
        yield Violation("/containerDefinitions", {"count": count, "limit": MAX_CONTAINERS})


@check("duplicate_container_name", container=("name",))
def duplicate_container_name(td: TaskDef) -> Iterator[Violation]:
    """Container names must be unique within a task definition (reported at the later one)."""
    for index, name, first in _repeats(td.get("containerDefinitions"), "name"):
        if name:
            yield Violation(join("/containerDefinitions", index, "name"), {"name": name, "first": first})


@check("empty_container_list", task=("containerDefinitions",))
def empty_container_list(td: TaskDef) -> Iterator[Violation]:
    """``containerDefinitions`` must hold at least one container."""
    if td.get("containerDefinitions") == []:
        yield Violation("/containerDefinitions")


# -- ECS206 task-definition-too-large, ECS207 task-definition-near-size-limit -------------------

# docs/facts.md 2.3: "Max allowed length is '65536' bytes"; what is measured is not documented.
MAX_TASK_DEFINITION_BYTES = 65536
NEAR_LIMIT_FRACTION = 0.9


# Minifying a JSON text never makes it longer but for numbers: 1e15 (4 bytes) comes back as
# 1000000000000000.0 (18), the largest growth, 4.5 times (tests/checks/test_containers.py).
MINIFIED_GROWTH_LIMIT = 4.5


def _surely_within(td: TaskDef, limit: float) -> bool:
    """The definition cannot exceed ``limit`` bytes minified: its JSON file is small enough."""
    return td.source_bytes is not None and td.source_bytes * MINIFIED_GROWTH_LIMIT <= limit


def minified_size(td: TaskDef) -> int:
    """Bytes of the definition as minified UTF-8 JSON, without describe-only fields (once per task)."""
    return td.memo("minified_size", lambda: _minified_size(td))


def _minified_size(td: TaskDef) -> int:
    data = {key: value for key, value in td.data.items() if key not in READ_ONLY_FIELDS}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", errors="surrogatepass"))


@check("task_definition_too_large")
def task_definition_too_large(td: TaskDef) -> Iterator[Violation]:
    """The registered definition may not exceed 65536 bytes."""
    if _surely_within(td, MAX_TASK_DEFINITION_BYTES):
        return
    size = minified_size(td)
    if size > MAX_TASK_DEFINITION_BYTES:
        yield Violation("", {"size": size, "limit": MAX_TASK_DEFINITION_BYTES})


@check("task_definition_near_size_limit")
def task_definition_near_size_limit(td: TaskDef) -> Iterator[Violation]:
    """Above 90% of the 65536-byte limit, the next few variables will not fit."""
    if _surely_within(td, NEAR_LIMIT_FRACTION * MAX_TASK_DEFINITION_BYTES):
        return
    size = minified_size(td)
    if NEAR_LIMIT_FRACTION * MAX_TASK_DEFINITION_BYTES < size <= MAX_TASK_DEFINITION_BYTES:
        percent = size * 100 // MAX_TASK_DEFINITION_BYTES
        yield Violation("", {"size": size, "limit": MAX_TASK_DEFINITION_BYTES, "percent": percent})


# -- ECS208 invalid-image-reference, ECS209 uppercase-image-repository, ECS211 invalid-ecr-image-uri -

# docs/facts.md 7.2: the reference before '@' is up to 255 letters, digits, '-', '_', ':', '.', '/', '#';
# a digest is sha256 and 64 hex digits.  Docker's grammar: a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
# and each path component is alphanumerics joined by '.', '_', '__' or dashes.
IMAGE_MAX_LENGTH = 255
TAG_MAX_LENGTH = 128
_IMAGE_INVALID_RUN = re.compile(r"[^A-Za-z0-9_:./#-]+")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DIGEST = re.compile(r"^sha256:[A-Fa-f0-9]{64}$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_ANY_CASE_COMPONENT = re.compile(r"^[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*$")
# Build-tool placeholders that is_unknown does not know: %VAR% (TeamCity, Azure DevOps, Octopus).
_PERCENT_VARIABLE = re.compile(r"%[A-Za-z_][A-Za-z0-9_.]*%")
# docs/facts.md 7.2 ([BOTO-ECR] RepositoryName): 2..256 characters, lower case only.
_ECR_REPOSITORY = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
ECR_REPOSITORY_LENGTH = (2, 256)

ImageProblem = tuple[str, dict[str, object], Span | None]


def _judgeable_images(td: TaskDef) -> list[tuple[str, str]]:
    """(pointer, image) for each image a rule can judge: known, not empty, no placeholder (found once)."""
    return td.memo("judgeable_images", lambda: list(_find_judgeable_images(td)))


def _find_judgeable_images(td: TaskDef) -> Iterator[tuple[str, str]]:
    for container in td.containers():
        image = _known_string(container.data.get("image"))
        if not image or is_codedeploy_image(image) or _PERCENT_VARIABLE.search(image):
            continue
        if image_placeholders(image):
            continue  # ECS304 placeholder-value reports those
        yield join(container.pointer, "image"), image


def _repository_span(image: str) -> Span:
    """Where the repository path sits in ``image`` (after the registry, before tag and digest)."""
    ref = parse_image(image)
    start = len(ref.registry) + 1 if ref.registry is not None else 0
    return start, start + len(ref.repository)


def _tag_problem(tag: str, span: Span) -> ImageProblem | None:
    if len(tag) > TAG_MAX_LENGTH:
        return "tag-too-long", {"length": len(tag), "limit": TAG_MAX_LENGTH}, (span[0] + TAG_MAX_LENGTH, span[1])
    if not _TAG.match(tag):
        return "tag", {"tag": tag}, span if tag else (span[0] - 1, span[1])
    return None


def _path_problem(image: str) -> ImageProblem | None:
    start, _ = _repository_span(image)
    for component in parse_image(image).repository.split("/"):
        if not _ANY_CASE_COMPONENT.match(component):
            end = start + len(component)
            span = (start, end) if component else (max(start - 1, 0), min(start + 1, len(image)))
            return "repository", {"component": component}, span
        start += len(component) + 1
    return None


def image_problem(image: str) -> ImageProblem | None:
    """(variant, params, substring) for the first thing that makes ``image`` unparseable."""
    scheme = _SCHEME.match(image)
    if scheme is not None:
        return "scheme", {"scheme": scheme.group()}, scheme.span()
    name, at, digest = image.partition("@")
    invalid = _IMAGE_INVALID_RUN.search(name)
    if invalid is not None:
        return "characters", {"characters": repr(invalid.group())}, invalid.span()
    if len(name) > IMAGE_MAX_LENGTH:
        return "too-long", {"length": len(name), "limit": IMAGE_MAX_LENGTH}, (IMAGE_MAX_LENGTH, len(name))
    if at and not _DIGEST.match(digest):
        return "digest", {"digest": digest}, (len(name), len(image))
    ref = parse_image(image)
    if ref.tag is not None and ref.tag_span is not None:
        problem = _tag_problem(ref.tag, ref.tag_span)
        if problem is not None:
            return problem
    return _path_problem(image)


@check("invalid_image_reference", container=("image",))
def invalid_image_reference(td: TaskDef) -> Iterator[Violation]:
    """An image reference that Docker cannot parse: bad characters, tag or digest, too long."""
    for pointer, image in _judgeable_images(td):
        problem = image_problem(image)
        if problem is not None:
            variant, params, span = problem
            yield Violation(pointer, {"image": image, **params}, variant=variant, substring=span)


def _is_all_caps(text: str) -> bool:
    """``IMAGE_PHP``, ``REPO_NAME``: a placeholder a build step replaces, not a mistake in case."""
    return not any(c.islower() for c in text)


@check("uppercase_image_repository", container=("image",))
def uppercase_image_repository(td: TaskDef) -> Iterator[Violation]:
    """Docker refuses repository paths with upper-case letters (ECR images: ECS211)."""
    for pointer, image in _judgeable_images(td):
        if image_problem(image) is not None or parse_ecr_host(image) is not None:
            continue
        repository = parse_image(image).repository
        if repository != repository.lower() and not _is_all_caps(repository):
            yield Violation(pointer, {"image": image, "repository": repository}, substring=_repository_span(image))


def _ecr_problem(image: str) -> ImageProblem | None:
    host = parse_ecr_host(image)
    if host is None:
        return None
    if region_kind(host.region) == "invalid":
        return "region", {"region": host.region}, host.region_span
    repository = parse_image(image).repository
    low, high = ECR_REPOSITORY_LENGTH
    span = _repository_span(image)
    if not low <= len(repository) <= high:
        return "repository-length", {"repository": repository, "length": len(repository)}, span
    if not _ECR_REPOSITORY.match(repository) and not _is_all_caps(repository):
        return "repository", {"repository": repository}, span
    return None


@check("invalid_ecr_image_uri", container=("image",))
def invalid_ecr_image_uri(td: TaskDef) -> Iterator[Violation]:
    """A private ECR image whose Region is not a Region name or whose repository name ECR forbids."""
    for pointer, image in _judgeable_images(td):
        if image_problem(image) is not None:
            continue  # ECS208 reports it
        problem = _ecr_problem(image)
        if problem is not None:
            variant, params, span = problem
            yield Violation(pointer, {"image": image, **params}, variant=variant, substring=span)


# -- ECS212 invalid-environment-variable-name, ECS213 duplicate-environment-variable,
# -- ECS214 environment-secret-conflict --------------------------------------------------------

# A portable (POSIX shell) variable name; Docker passes others through, but shells cannot use them.
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_VARIABLE_INVALID_RUN = re.compile(r"[^A-Za-z0-9_]+|^[0-9]+")


def _variable_lists(container: Container) -> Iterator[tuple[str, str, object]]:
    """(list key, pointer, list) for a container's ``environment`` and ``secrets``."""
    for key in ("environment", "secrets"):
        yield key, join(container.pointer, key), container.data.get(key)


def variable_name_problem(name: str) -> tuple[str, Span | None] | None:
    if name == "":
        return "empty", None
    if "=" in name:
        return "equals", (name.index("="), name.index("=") + 1)
    if _VARIABLE_NAME.match(name):
        return None
    match = _VARIABLE_INVALID_RUN.search(name)
    return "default", match.span() if match is not None else None


@check("invalid_environment_variable_name", container=("environment", "secrets"))
def invalid_environment_variable_name(td: TaskDef) -> Iterator[Violation]:
    """Variable names in ``environment`` and ``secrets`` that a shell cannot read."""
    for container in td.containers():
        for key, pointer, items in _variable_lists(container):
            for index, name in named_items(items, "name"):
                problem = variable_name_problem(name)
                if problem is not None:
                    variant, span = problem
                    params = {"name": name, "list": key}
                    yield Violation(join(pointer, index, "name"), params, variant=variant, substring=span)


@check("duplicate_environment_variable", container=("environment", "secrets"))
def duplicate_environment_variable(td: TaskDef) -> Iterator[Violation]:
    """The same variable name twice in one container's ``environment`` (or ``secrets``)."""
    for container in td.containers():
        for key, pointer, items in _variable_lists(container):
            for index, name, first in _repeats(items, "name"):
                if not name:
                    continue  # an empty name is ECS212's (invalid-environment-variable-name)
                params = {"name": name, "list": key, "first": first, "container": container.label}
                variant = "default" if key == "environment" else "secrets"
                yield Violation(join(pointer, index, "name"), params, variant=variant)


@check("environment_secret_conflict", container=("environment", "secrets"))
def environment_secret_conflict(td: TaskDef) -> Iterator[Violation]:
    """A name set both as a plain variable and as a secret: which value wins is not documented."""
    for container in td.containers():
        secrets = {name: index for index, name in named_items(container.data.get("secrets"), "name")}
        for index, name in named_items(container.data.get("environment"), "name"):
            if name in secrets:
                pointer = join(container.pointer, "environment", index, "name")
                yield Violation(pointer, {"name": name, "secret": secrets[name], "container": container.label})


# -- ECS215 too-many-environment-files, ECS216 invalid-environment-file-arn ---------------------

# docs/facts.md 7.5 and 7.3: up to 10 files, each an S3 object ARN with the .env extension.
MAX_ENVIRONMENT_FILES = 10
_S3_URI = re.compile(r"^s3://", re.IGNORECASE)


@check("too_many_environment_files", container=("environmentFiles",))
def too_many_environment_files(td: TaskDef) -> Iterator[Violation]:
    """A container may name at most 10 environment files."""
    for container in td.containers():
        files = container.data.get("environmentFiles")
        if isinstance(files, list) and len(files) > MAX_ENVIRONMENT_FILES:
            params = {"count": len(files), "limit": MAX_ENVIRONMENT_FILES, "container": container.label}
            yield Violation(join(container.pointer, "environmentFiles"), params)


def environment_file_problem(value: str) -> ImageProblem | None:
    """(variant, params, substring) when ``value`` is not an S3 object ARN of a ``.env`` file."""
    if _S3_URI.match(value):
        return "s3-uri", {}, (0, 5)
    arn = parse_arn(value)
    if arn is None:
        return "not-arn", {}, None
    if arn.service != "s3":
        return "service", {"service": arn.service}, arn.service_span
    bucket, slash, key = arn.resource.partition("/")
    if not slash or not key or not bucket:
        return "no-key", {}, (arn.resource_start, len(value)) if arn.resource else None
    if not key.endswith(".env"):
        start = value.rfind("/") + 1
        return "extension", {"file": value[start:]}, (start, len(value))
    return None


@check("invalid_environment_file_arn", container=("environmentFiles",))
def invalid_environment_file_arn(td: TaskDef) -> Iterator[Violation]:
    """``environmentFiles[].value`` must be the ARN of an S3 object whose name ends in ``.env``."""
    for container in td.containers():
        pointer = join(container.pointer, "environmentFiles")
        for index, value in named_items(container.data.get("environmentFiles"), "value"):
            if not value or text_placeholders(value):
                continue  # ECS023 / ECS304 report empty and placeholder values
            problem = environment_file_problem(value)
            if problem is not None:
                variant, params, span = problem
                yield Violation(
                    join(pointer, index, "value"), {"value": value, **params}, variant=variant, substring=span
                )


# -- ECS217 ulimit-soft-limit-above-hard-limit, ECS218 duplicate-ulimit --------------------------


def _ulimits(container: Container) -> Iterator[tuple[int, dict[str, JSON]]]:
    items = container.data.get("ulimits")
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _rlimit(value: int) -> int:
    """The limit the kernel is given: Docker passes int64 limits as uint64, so -1 is unlimited."""
    return value + 2**64 if value < 0 else value


@check("ulimit_soft_limit_above_hard_limit", container=("ulimits",))
def ulimit_soft_limit_above_hard_limit(td: TaskDef) -> Iterator[Violation]:
    """A ulimit's ``softLimit`` may not exceed its ``hardLimit``."""
    for container in td.containers():
        for index, item in _ulimits(container):
            soft, hard = _integer(item.get("softLimit")), _integer(item.get("hardLimit"))
            if soft is not None and hard is not None and _rlimit(soft) > _rlimit(hard):
                name = item.get("name")
                params = {"name": name if isinstance(name, str) else "?", "soft": soft, "hard": hard}
                pointer = join(container.pointer, "ulimits", index)
                yield Violation(join(pointer, "softLimit"), params, depends=(join(pointer, "hardLimit"),))


@check("duplicate_ulimit", container=("ulimits",))
def duplicate_ulimit(td: TaskDef) -> Iterator[Violation]:
    """The same ulimit name twice in one container."""
    for container in td.containers():
        for index, name, first in _repeats(container.data.get("ulimits"), "name"):
            params = {"name": name, "first": first, "container": container.label}
            yield Violation(join(container.pointer, "ulimits", index, "name"), params)


# -- ECS219 duplicate-tag-key, ECS220 reserved-tag-key -----------------------------------------

# docs/facts.md 7.4: keys are unique per resource and case-sensitive; "aws:" in any case is reserved.
_RESERVED_TAG_PREFIX = "aws:"


@check("duplicate_tag_key", task=("tags",))
def duplicate_tag_key(td: TaskDef) -> Iterator[Violation]:
    """Tag keys must be unique (case-sensitively) on the task definition."""
    for index, key, first in _repeats(td.get("tags"), "key"):
        yield Violation(join("/tags", index, "key"), {"key": key, "first": first})


@check("reserved_tag_key", task=("tags",))
def reserved_tag_key(td: TaskDef) -> Iterator[Violation]:
    """Tag keys starting with ``aws:`` are reserved for AWS."""
    for index, key in named_items(td.get("tags"), "key"):
        if key[: len(_RESERVED_TAG_PREFIX)].lower() == _RESERVED_TAG_PREFIX:
            yield Violation(join("/tags", index, "key"), {"key": key}, substring=(0, len(_RESERVED_TAG_PREFIX)))


# -- ECS221 elastic-inference-accelerator -------------------------------------------------------


@check("elastic_inference_accelerator", task=("inferenceAccelerators",), container=("resourceRequirements",))
def elastic_inference_accelerator(td: TaskDef) -> Iterator[Violation]:
    """``inferenceAccelerators`` and ``InferenceAccelerator`` resource requirements: a retired service."""
    accelerators = td.get("inferenceAccelerators")
    if isinstance(accelerators, list) and accelerators:
        yield Violation("/inferenceAccelerators", {"count": len(accelerators)}, variant="task")
    for container in td.containers():
        requirements = container.data.get("resourceRequirements")
        for index, kind in named_items(requirements, "type"):
            if kind == "InferenceAccelerator":
                pointer = join(container.pointer, "resourceRequirements", index, "type")
                yield Violation(pointer, {"container": container.label}, variant="container")


# -- ECS222 unread-container-definitions --------------------------------------------------------


@check("unread_container_definitions", task=("containerDefinitions",))
def unread_container_definitions(td: TaskDef) -> Iterator[Violation]:
    """A Terraform resource whose ``container_definitions`` is known only at plan time: say so."""
    if td.origin != "terraform":
        return
    value = td.get("containerDefinitions")
    if isinstance(value, list):  # [ ${templatefile(...)}, ... ]: the items the reader could not take
        for index, item in enumerate(value):
            if isinstance(item, str) and is_unknown(item):
                yield Violation(f"/containerDefinitions/{index}", {"expression": _expression(item)})
        return
    if not isinstance(value, str) or not is_unknown(value):
        return
    expression = _expression(value)
    if expression.startswith("<<"):
        return  # a heredoc the reader could not take is not JSON: ECS001 already says where
    yield Violation("/containerDefinitions", {"expression": expression})


def _expression(value: str) -> str:
    return value[2:-1] if value.startswith("${") and value.endswith("}") else value


# -- ECS223 program-name-with-spaces -------------------------------------------------------------
# Docker runs the first element of entryPoint (else of command) as the program, without a shell:
# ["npm run start"] looks for a program named "npm run start" and the container stops with
# "CannotStartContainerError: ... exec: \"npm run start\": executable file not found in $PATH"
# (aws/amazon-ecs-cli#78; docs/facts.md 21).  An image whose ENTRYPOINT is a shell reads it as a
# script, so the outcome depends on the image: a warning.

_SHELL = re.compile(r"^(?:/usr)?(?:/bin/)?(?:sh|bash|ash|dash|zsh|ksh)$")


def program_problem(entry_point: JSON, command: JSON) -> tuple[str, int, str] | None:
    """(key, index, variant) of the element that makes Docker run the wrong program, or None.

    "default"/"entry-point": the program's name holds whitespace (no shell splits it); "shell":
    ``entryPoint`` ends in ``sh -c`` and ``command`` spreads the script over several elements, so
    only the first is the script and the others become $0, $1, ...
    """
    if is_unknown(entry_point) or is_unknown(command):
        return None
    if isinstance(entry_point, list) and entry_point:
        first = entry_point[0]
        if _spaced(first):
            return "entryPoint", 0, "entry-point"
        shell = isinstance(first, str) and _SHELL.match(first) and len(entry_point) >= 2 and entry_point[-1] == "-c"
        if shell and isinstance(command, list) and len(command) > 1 and _word(command[0]):
            return "command", 1, "shell"
        return None
    if entry_point not in (None, []):
        return None  # not a list: the schema's finding
    if isinstance(command, list) and command and _spaced(command[0]):
        return "command", 0, "default"
    return None


def _spaced(value: JSON) -> bool:
    return isinstance(value, str) and not is_unknown(value) and any(char.isspace() for char in value.strip())


def _word(value: JSON) -> bool:
    return isinstance(value, str) and bool(value) and not is_unknown(value) and not any(c.isspace() for c in value)


def program_params(container: str, key: str, entry_point: JSON, command: JSON, variant: str) -> dict[str, object]:
    """The message's parameters for ``program_problem``'s answer."""
    words: list[JSON] = entry_point if key == "entryPoint" else command  # type: ignore[assignment]
    if variant == "shell":
        shell = " ".join(str(part) for part in entry_point) if isinstance(entry_point, list) else ""
        script = " ".join(str(part) for part in words)
        return {"container": container, "shell": shell, "script": words[0], "joined": json.dumps([script])}
    program = str(words[0])
    split = json.dumps([*program.split(), *words[1:]])
    return {"container": container, "key": key, "program": program.strip(), "split": split}


@check("program_name_with_spaces", container=("command", "entryPoint"))
def program_name_with_spaces(td: TaskDef) -> Iterator[Violation]:
    """``"command": ["npm run start"]``: Docker looks for a program with that whole name."""
    if td.is_windows:
        return  # Windows joins the elements into one command line, which its loader splits
    for container in td.containers():
        entry_point, command = container.data.get("entryPoint"), container.data.get("command")
        problem = program_problem(entry_point, command)
        if problem is not None:
            key, index, variant = problem
            params = program_params(container.label, key, entry_point, command, variant)
            yield Violation(join(container.pointer, key, index), params, variant=variant)
