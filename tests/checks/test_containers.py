"""Tests for ecslint.checks.containers: ECS201, ECS202, ECS210."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from ecslint.checks.containers import invalid_family_name, latest_image_tag, no_essential_container
from ecslint.model import JSON, Violation
from ecslint.taskdef import TaskDef

Check = Callable[[TaskDef], Iterable[Violation]]
Found = tuple[str, str, tuple[int, int] | None]


def run(check: Check, data: dict[str, JSON]) -> list[Found]:
    return [(v.pointer, v.variant, v.substring) for v in check(TaskDef(data))]


def containers(*items: JSON) -> dict[str, JSON]:
    return {"family": "web", "containerDefinitions": list(items)}


# -- ECS201 no-essential-container ----------------------------------------------------------


def test_all_containers_not_essential() -> None:
    data = containers(
        {"name": "app", "image": "app:1", "essential": False},
        {"name": "sidecar", "image": "envoy:1", "essential": False},
    )
    assert run(no_essential_container, data) == [("/containerDefinitions", "default", None)]
    (violation,) = no_essential_container(TaskDef(data))
    assert violation.params == {"count": 2}


@pytest.mark.parametrize(
    "items",
    [
        # essential omitted means true (the cfn-lint E3042 trap)
        [{"name": "app", "image": "app:1"}],
        [{"name": "app", "image": "app:1"}, {"name": "sidecar", "image": "envoy:1", "essential": False}],
        [{"name": "app", "image": "app:1", "essential": False}, {"name": "b", "image": "b:1", "essential": True}],
        # an unknown or mistyped essential: cannot judge
        [{"name": "app", "image": "app:1", "essential": False}, {"name": "b", "essential": {"Ref": "Essential"}}],
        [{"name": "app", "image": "app:1", "essential": "false"}],
        # nothing to judge
        [],
        ["not-a-container", 3],
    ],
)
def test_essential_silent(items: list[JSON]) -> None:
    assert run(no_essential_container, containers(*items)) == []


@pytest.mark.parametrize("value", [None, "app", {"Ref": "Containers"}, {"name": "app", "essential": False}])
def test_essential_silent_when_not_a_list(value: JSON) -> None:
    assert run(no_essential_container, {"containerDefinitions": value}) == []


# -- ECS202 invalid-family-name ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "variant", "substring", "characters"),
    [
        ("タスク名", "default", (0, 4), "'タ', 'ス', 'ク', '名'"),
        ("my app", "default", (2, 3), "a space"),
        ("web.frontend", "default", (3, 4), "'.'"),
        ("café-task", "default", (3, 4), "'é'"),
        ("prod/api:1", "default", (4, 5), "'/', ':'"),
        ("ｗｅｂ", "default", (0, 3), "'ｗ', 'ｅ', 'ｂ'"),
    ],
)
def test_family_invalid_characters(family: str, variant: str, substring: tuple[int, int], characters: str) -> None:
    (violation,) = invalid_family_name(TaskDef({"family": family}))
    assert (violation.pointer, violation.variant, violation.substring) == ("/family", variant, substring)
    assert violation.params == {"family": family, "characters": characters}


def test_family_empty_and_too_long() -> None:
    assert run(invalid_family_name, {"family": ""}) == [("/family", "family-empty", None)]
    long_name = "a" * 256
    assert run(invalid_family_name, {"family": long_name}) == [("/family", "family-too-long", (255, 256))]
    assert run(invalid_family_name, {"family": "a" * 255}) == []


def test_container_names() -> None:
    data = containers(
        {"name": "web.frontend", "image": "web:1"},
        {"name": "", "image": "b:1"},
        {"name": "n" * 300, "image": "c:1"},
        {"name": "ok_name-2", "image": "d:1"},
    )
    assert run(invalid_family_name, data) == [
        ("/containerDefinitions/0/name", "container-characters", (3, 4)),
        ("/containerDefinitions/1/name", "container-empty", None),
        ("/containerDefinitions/2/name", "container-too-long", (255, 300)),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"family": "my-app_task-2"},
        {"family": "${FAMILY}"},
        {"family": "<+service.name>"},
        {"family": {"Ref": "Family"}},
        {"family": 42},
        {},
        containers({"name": "${APP_CONTAINER_NAME}"}, {"name": 3}, {"image": "x:1"}),
    ],
)
def test_family_silent(data: dict[str, JSON]) -> None:
    assert run(invalid_family_name, data) == []


# -- ECS210 latest-image-tag ------------------------------------------------------------------

LATEST_CASES: list[tuple[str, Found | None]] = [
    ("nginx:latest", ("/containerDefinitions/0/image", "default", (6, 12))),
    ("nginx", ("/containerDefinitions/0/image", "untagged", None)),
    ("amazon/amazon-ecs-sample", ("/containerDefinitions/0/image", "untagged", None)),
    ("localhost:5000/app", ("/containerDefinitions/0/image", "untagged", None)),
    ("localhost:5000/app:latest", ("/containerDefinitions/0/image", "default", (19, 25))),
    ("210987654321.dkr.ecr.us-east-1.amazonaws.com/web:latest", ("/containerDefinitions/0/image", "default", (49, 55))),
    ("registry.example.com:8443/team/app", ("/containerDefinitions/0/image", "untagged", None)),
    ("public.ecr.aws/amazonlinux/amazonlinux:latest", ("/containerDefinitions/0/image", "default", (39, 45))),
    (
        "アカウントID.dkr.ecr.ap-northeast-1.amazonaws.com/postman/laravel:latest",
        ("/containerDefinitions/0/image", "default", (61, 67)),
    ),
    ("nginx:1.27", None),
    ("nginx:Latest", None),
    ("localhost:5000/app:7.2", None),
    ("nginx@sha256:" + "a" * 64, None),
    ("nginx:latest@sha256:" + "a" * 64, None),
    ("${ECR_URL}/app:${TAG}", None),
    ("<IMAGE1_NAME>", None),
    ("REPLACED_BY_CI", None),
    ("ghcr.io/<user>/<repo>:latest", None),
    ("", None),
]


@pytest.mark.parametrize(("image", "expected"), LATEST_CASES)
def test_latest_image_tag(image: str, expected: Found | None) -> None:
    found = run(latest_image_tag, containers({"name": "app", "image": image}))
    assert found == ([expected] if expected else [])


def test_latest_params_and_pointer_per_container() -> None:
    data = containers({"name": "a", "image": "a:1.0"}, {"name": "b", "image": "redis:latest"}, {"name": "c"})
    (violation,) = latest_image_tag(TaskDef(data))
    assert violation.pointer == "/containerDefinitions/1/image"
    assert violation.params == {"image": "redis:latest", "tag": "latest"}


@pytest.mark.parametrize("image", [None, 42, {"Fn::Sub": "${Repo}:latest"}, ["nginx"]])
def test_latest_silent_on_strange_values(image: JSON) -> None:
    assert run(latest_image_tag, containers({"name": "app", "image": image})) == []
