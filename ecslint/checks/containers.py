"""Checks on container definitions: essential containers, names, image tags (AWS_FACTS.md 6.3, 7.1, 7.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecslint.checks import check
from ecslint.checks.identifiers import Span, is_codedeploy_image, parse_image
from ecslint.model import Violation
from ecslint.pointer import join
from ecslint.taskdef import TaskDef, is_unknown

# AWS_FACTS.md 7.1: family and container names are up to 255 ASCII letters, digits, '_' and '-'.
NAME_MAX_LENGTH = 255
_NAME_CHARACTER = re.compile(r"[A-Za-z0-9_-]")
_INVALID_RUN = re.compile(r"[^A-Za-z0-9_-]+")
_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a newline", "\u3000": "an ideographic space"}


@check("no_essential_container")
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


@check("invalid_family_name")
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


@check("latest_image_tag")
def latest_image_tag(td: TaskDef) -> Iterator[Violation]:
    """An image on ``:latest``, or with neither tag nor digest (which means ``latest``)."""
    for container in td.containers():
        image = container.data.get("image")
        if not isinstance(image, str) or is_unknown(image) or is_codedeploy_image(image):
            continue
        ref = parse_image(image)
        if ref.digest is not None or not _is_docker_reference(ref.repository):
            continue
        pointer = join(container.pointer, "image")
        if ref.tag is None:
            yield Violation(pointer, {"image": image}, variant="untagged")
        elif ref.tag == "latest":
            yield Violation(pointer, {"image": image, "tag": ref.tag}, substring=ref.tag_span)
