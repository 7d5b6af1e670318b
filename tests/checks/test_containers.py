"""Tests for ecslint.checks.containers: ECS201-ECS221."""

from __future__ import annotations

import json

import pytest
from check_helpers import Check, Found, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.checks.containers import (
    MAX_TASK_DEFINITION_BYTES,
    MINIFIED_GROWTH_LIMIT,
    duplicate_container_name,
    duplicate_environment_variable,
    duplicate_tag_key,
    duplicate_ulimit,
    elastic_inference_accelerator,
    empty_container_list,
    environment_file_problem,
    environment_secret_conflict,
    image_problem,
    invalid_ecr_image_uri,
    invalid_environment_file_arn,
    invalid_environment_variable_name,
    invalid_family_name,
    invalid_image_reference,
    latest_image_tag,
    minified_size,
    no_essential_container,
    program_problem,
    reserved_tag_key,
    task_definition_near_size_limit,
    task_definition_too_large,
    too_many_containers,
    too_many_environment_files,
    ulimit_soft_limit_above_hard_limit,
    uppercase_image_repository,
)
from ecslint.core.model import JSON
from ecslint.core.taskdef import TaskDef


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
    ("%REGISTRY%/app", None),  # a Windows-style variable, filled in before registration
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


# -- ECS203 too-many-containers, ECS204 duplicate-container-name, ECS205 empty-container-list --------


def numbered(count: int) -> list[JSON]:
    return [{"name": f"c{i}", "image": "nginx:1.27"} for i in range(count)]


def test_eleven_containers() -> None:
    assert run(too_many_containers, containers(*numbered(11))) == [("/containerDefinitions", "default", None)]
    (violation,) = too_many_containers(TaskDef(containers(*numbered(11))))
    assert violation.params == {"count": 11, "limit": 10}


@pytest.mark.parametrize(
    "data",
    [
        containers(*numbered(10)),
        containers(),
        {"containerDefinitions": {"Ref": "X"}},
        {"containerDefinitions": [*numbered(10), "x", None]},  # not containers: ECS021 says so
    ],
)
def test_ten_containers_or_fewer_silent(data: dict[str, JSON]) -> None:
    assert run(too_many_containers, data) == []


def test_duplicate_container_names_reported_at_each_repeat() -> None:
    data = containers(
        {"name": "app", "image": "a:1"},
        {"name": "app", "image": "b:1"},
        {"name": "web", "image": "c:1"},
        {"name": "app", "image": "d:1"},
    )
    assert run(duplicate_container_name, data) == [
        ("/containerDefinitions/1/name", "default", None),
        ("/containerDefinitions/3/name", "default", None),
    ]
    assert [v.params["first"] for v in duplicate_container_name(TaskDef(data))] == [0, 0]


@pytest.mark.parametrize(
    "items",
    [
        [{"name": "app"}, {"name": "App"}],  # names are case-sensitive
        [{"name": "${NAME}"}, {"name": "${NAME}"}],  # unknown at lint time
        [{"name": ""}, {"name": ""}],  # ECS202 reports empty names
        [{"image": "a:1"}, {"image": "b:1"}],
        [{"name": {"Ref": "N"}}, {"name": {"Ref": "N"}}],
    ],
)
def test_duplicate_container_names_silent(items: list[JSON]) -> None:
    assert run(duplicate_container_name, containers(*items)) == []


def test_empty_container_list() -> None:
    assert run(empty_container_list, containers()) == [("/containerDefinitions", "default", None)]
    assert run(empty_container_list, containers({"name": "a", "image": "a:1"})) == []
    assert run(empty_container_list, {"family": "web"}) == []


# -- ECS206 task-definition-too-large, ECS207 task-definition-near-size-limit -----------------------


def sized(total: int) -> dict[str, JSON]:
    """A task definition whose minified JSON is exactly ``total`` bytes."""
    data: dict[str, JSON] = {"family": "web", "containerDefinitions": [{"name": "a", "image": "i:1", "command": [""]}]}
    padding = total - minified_size(TaskDef(data))
    data["containerDefinitions"] = [{"name": "a", "image": "i:1", "command": ["x" * padding]}]
    return data


def test_minified_size_counts_utf8_bytes_and_skips_describe_fields() -> None:
    data: dict[str, JSON] = {"family": "é", "revision": 3, "taskDefinitionArn": "arn:aws:ecs:x"}
    assert minified_size(TaskDef(data)) == len('{"family":"é"}'.encode())  # é is two bytes


@pytest.mark.parametrize(
    ("total", "too_large", "near"),
    [
        (MAX_TASK_DEFINITION_BYTES + 1, [("", "default", None)], []),
        (MAX_TASK_DEFINITION_BYTES, [], [("", "default", None)]),
        (58983, [], [("", "default", None)]),
        (58982, [], []),
        (2000, [], []),
    ],
)
def test_size_limits(total: int, too_large: list[Found], near: list[Found]) -> None:
    data = sized(total)
    assert minified_size(TaskDef(data)) == total
    assert run(task_definition_too_large, data) == too_large
    assert run(task_definition_near_size_limit, data) == near


def _minified_bytes(raw: str) -> int:
    return minified_size(TaskDef(json.loads(raw)))


def test_a_number_grows_at_most_four_and_a_half_times_when_minified() -> None:
    """Every short number token JSON allows, in every spelling: none is written back longer than
    4.5 times its own length (1e15 -> 1000000000000000.0 is the worst)."""
    worst = 0.0
    for sign in ("", "-"):
        for mantissa in ("0", "1", "9", "1.5", "0.1", "10"):
            for marker in ("e", "E", "e+", "e-"):
                for exponent in range(0, 330):
                    token = f"{sign}{mantissa}{marker}{exponent}"
                    written = json.dumps({"family": json.loads(token)}, separators=(",", ":"))
                    growth = (len(written) - len('{"family":}')) / len(token)
                    worst = max(worst, growth)
    assert worst == MINIFIED_GROWTH_LIMIT


_RAW_NUMBERS = st.sampled_from(["1e15", "-1e15", "9e15", "1E15", "0", "3.5", "1e-5", "1e400", "12", "-0"])
_RAW_STRINGS = st.sampled_from(['"x"', '"\\u00e9"', '"é"', '"\\/"', '"\\ud800"', '"\\n"', '""'])


@st.composite
def _raw_json(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 3 if depth < 3 else 1))
    if kind == 0:
        return draw(_RAW_NUMBERS)
    if kind == 1:
        return draw(_RAW_STRINGS)
    items = draw(st.lists(_raw_json(depth + 1), max_size=4))
    if kind == 2:
        return "[" + " , ".join(items) + "]"
    return "{" + ",".join(f'"k{i}" : {item}' for i, item in enumerate(items)) + "}"


@given(st.lists(_raw_json(), max_size=5), st.sampled_from(["", " ", "\n  "]))
def test_a_json_file_bounds_the_minified_size_of_its_definition(members: list[str], space: str) -> None:
    raw = "{" + f",{space}".join(f'"m{i}":{space}{value}' for i, value in enumerate(members)) + "}"
    assert _minified_bytes(raw) <= MINIFIED_GROWTH_LIMIT * len(raw.encode("utf-8"))


def test_a_large_file_is_still_measured() -> None:
    data = sized(MAX_TASK_DEFINITION_BYTES + 1)
    raw = json.dumps(data).encode()
    assert run(task_definition_too_large, data) == [("", "default", None)]
    assert list(task_definition_too_large(TaskDef(data, source_bytes=len(raw))))  # too big to be sure of
    small = TaskDef(sized(2000), source_bytes=2100)
    assert small.source_bytes is not None and small.source_bytes * MINIFIED_GROWTH_LIMIT < 58982
    assert list(task_definition_near_size_limit(small)) == []


def test_size_params() -> None:
    (violation,) = task_definition_near_size_limit(TaskDef(sized(62000)))
    assert violation.params == {"size": 62000, "limit": 65536, "percent": 94}


# -- ECS208 invalid-image-reference -------------------------------------------------------------------

DIGEST = "sha256:" + "0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d"


@pytest.mark.parametrize(
    ("image", "variant", "span"),
    [
        ("https://210987654321.dkr.ecr.us-east-1.amazonaws.com/app:1", "scheme", (0, 8)),
        ("nginx:1.27 ", "characters", (10, 11)),
        ("my app:1", "characters", (2, 3)),
        ("nginx@sha256:abc", "digest", (5, 16)),
        ("nginx@md5:" + "0" * 64, "digest", (5, 74)),
        ("nginx:", "tag", (5, 6)),
        ("nginx:-rc1", "tag", (6, 10)),
        ("nginx:v1#2", "tag", (6, 10)),
        ("nginx:" + "a" * 129, "tag-too-long", (134, 135)),
        ("a" * 256, "too-long", (255, 256)),
        ("org//app:1", "repository", (3, 5)),
        ("/app:1", "repository", (0, 1)),
        ("org/app-:1", "repository", (4, 8)),
        ("ghcr.io/", "repository", (7, 8)),
    ],
)
def test_invalid_image_references(image: str, variant: str, span: tuple[int, int]) -> None:
    data = containers({"name": "app", "image": image})
    assert run(invalid_image_reference, data) == [("/containerDefinitions/0/image", variant, span)]


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "nginx:1.27-alpine3.20",
        "library/nginx:latest",
        "localhost:5000/team/app:2",
        "ghcr.io/org/app_name__x:v1.0",
        "210987654321.dkr.ecr.us-east-1.amazonaws.com/team/app:sha-1a2b3c",
        f"example/worker@{DIGEST}",
        f"example/worker:1.0@{DIGEST}",
        "nginx:" + "a" * 128,
        "Org/App:1",  # upper case is ECS209's
        # placeholders and templates are ECS304's and ECS305's
        "<IMAGE1_NAME>",
        "${ECR_URL}/app:latest",
        "%REPOSITORY_URI%:v_%BUILD_NUMBER%",
        "ghcr.io/<user>/<repo>:latest",
        "アカウントID.dkr.ecr.ap-northeast-1.amazonaws.com/postman/laravel:latest",
        "",
    ],
)
def test_valid_or_unjudgeable_images(image: str) -> None:
    assert run(invalid_image_reference, containers({"name": "app", "image": image})) == []


def test_image_problem_params() -> None:
    assert image_problem("nginx:1.27 ") == ("characters", {"characters": "' '"}, (10, 11))
    assert image_problem("nginx:" + "a" * 130) == ("tag-too-long", {"length": 130, "limit": 128}, (134, 136))


# -- ECS209 uppercase-image-repository -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "span"),
    [("ghcr.io/ExampleOrg/Web-App:1.4.2", (8, 26)), ("MyApp:1", (0, 5)), ("localhost:5000/Team/app", (15, 23))],
)
def test_uppercase_repository(image: str, span: tuple[int, int]) -> None:
    data = containers({"name": "app", "image": image})
    assert run(uppercase_image_repository, data) == [("/containerDefinitions/0/image", "default", span)]


@pytest.mark.parametrize(
    "image",
    [
        "ghcr.io/exampleorg/web-app:1.4.2",
        "Registry.Example.com/app:V1",  # host and tag may hold upper case
        "IMAGE_PHP",  # an all-capitals placeholder
        "210987654321.dkr.ecr.us-east-1.amazonaws.com/Team/App:1",  # ECR: ECS211
        "My App:1",  # not a reference at all: ECS208
    ],
)
def test_uppercase_repository_silent(image: str) -> None:
    assert run(uppercase_image_repository, containers({"name": "app", "image": image})) == []


# -- ECS211 invalid-ecr-image-uri -----------------------------------------------------------------------

ECR = "210987654321.dkr.ecr"


@pytest.mark.parametrize(
    ("image", "variant", "span"),
    [
        (f"{ECR}.eu-west.amazonaws.com/web:1", "region", (21, 28)),
        (f"{ECR}.US-EAST-1.amazonaws.com/web:1", "region", (21, 30)),
        (f"{ECR}.us-east-1.amazonaws.com/Team/Worker:1", "repository", (45, 56)),
        (f"{ECR}.us-east-1.amazonaws.com/a:1", "repository-length", (45, 46)),
    ],
)
def test_invalid_ecr_image_uris(image: str, variant: str, span: tuple[int, int]) -> None:
    data = containers({"name": "app", "image": image})
    assert run(invalid_ecr_image_uri, data) == [("/containerDefinitions/0/image", variant, span)]


@pytest.mark.parametrize(
    "image",
    [
        f"{ECR}.eu-west-1.amazonaws.com/web:1.4.2",
        f"{ECR}.cn-north-1.amazonaws.com.cn/team/web",
        f"{ECR}.REGION.amazonaws.com/web:1",  # a placeholder: ECS304
        f"{ECR}.us-east-1.amazonaws.com/REPO_NAME:1",
        f"{ECR}.us-east-1.amazonaws.com/web app:1",  # ECS208
        "public.ecr.aws/nginx/nginx:1.27",
    ],
)
def test_ecr_image_uris_silent(image: str) -> None:
    assert run(invalid_ecr_image_uri, containers({"name": "app", "image": image})) == []


# -- ECS212 invalid-environment-variable-name, ECS213 duplicate-environment-variable, ECS214 ----------


def env(*names: JSON, secrets: tuple[JSON, ...] = ()) -> dict[str, JSON]:
    return containers(
        {
            "name": "app",
            "image": "app:1",
            "environment": [{"name": n, "value": "v"} for n in names],
            "secrets": [{"name": n, "valueFrom": "arn:aws:ssm:us-east-1:210987654321:parameter/x"} for n in secrets],
        }
    )


E0 = "/containerDefinitions/0/environment"


def test_invalid_variable_names() -> None:
    data = env("spring.profiles.active", "LOG_LEVEL=debug", "", "1ST", "OK_NAME", "_ok", secrets=("API-KEY",))
    assert run(invalid_environment_variable_name, data) == [
        (f"{E0}/0/name", "default", (6, 7)),
        (f"{E0}/1/name", "equals", (9, 10)),
        (f"{E0}/2/name", "empty", None),
        (f"{E0}/3/name", "default", (0, 1)),
        ("/containerDefinitions/0/secrets/0/name", "default", (3, 4)),
    ]


def test_variable_names_silent_on_unknown_and_strange_values() -> None:
    assert run(invalid_environment_variable_name, env("${NAME}", 7, None, {"Ref": "N"})) == []
    assert run(invalid_environment_variable_name, containers({"name": "a", "environment": "X=1"})) == []


def test_duplicate_variables() -> None:
    data = env("A", "B", "A", "A", secrets=("S", "S"))
    assert run(duplicate_environment_variable, data) == [
        (f"{E0}/2/name", "default", None),
        (f"{E0}/3/name", "default", None),
        ("/containerDefinitions/0/secrets/1/name", "secrets", None),
    ]
    assert run(duplicate_environment_variable, env("A", "a", "B")) == []
    assert run(duplicate_environment_variable, env("", "", "B")) == []  # empty names: ECS212 reports them


def test_environment_secret_conflict() -> None:
    data = env("DB_USER", "DB_PASSWORD", secrets=("API_KEY", "DB_PASSWORD"))
    assert run(environment_secret_conflict, data) == [(f"{E0}/1/name", "default", None)]
    (violation,) = environment_secret_conflict(TaskDef(data))
    assert violation.params == {"name": "DB_PASSWORD", "secret": 1, "container": "app"}
    assert run(environment_secret_conflict, env("A", secrets=("B",))) == []


# -- ECS215 too-many-environment-files, ECS216 invalid-environment-file-arn ----------------------------


def env_files(*values: JSON) -> dict[str, JSON]:
    return containers(
        {"name": "app", "image": "app:1", "environmentFiles": [{"type": "s3", "value": v} for v in values]}
    )


def test_too_many_environment_files() -> None:
    files = [f"arn:aws:s3:::b/{i}.env" for i in range(11)]
    assert run(too_many_environment_files, env_files(*files)) == [
        ("/containerDefinitions/0/environmentFiles", "default", None)
    ]
    assert run(too_many_environment_files, env_files(*files[:10])) == []


F0 = "/containerDefinitions/0/environmentFiles"


@pytest.mark.parametrize(
    ("value", "variant", "span"),
    [
        ("s3://bucket/app.env", "s3-uri", (0, 5)),
        ("bucket/app.env", "not-arn", None),
        ("arn:aws:ssm:us-east-1:210987654321:parameter/app.env", "service", (8, 11)),
        ("arn:aws:s3:::bucket", "no-key", (13, 19)),
        ("arn:aws:s3:::bucket/", "no-key", (13, 20)),
        ("arn:aws:s3:::bucket/config/app.json", "extension", (27, 35)),
        ("arn:aws:s3:::bucket/app.env.bak", "extension", (20, 31)),
    ],
)
def test_invalid_environment_files(value: str, variant: str, span: tuple[int, int] | None) -> None:
    assert run(invalid_environment_file_arn, env_files(value)) == [(f"{F0}/0/value", variant, span)]


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:s3:::bucket/app.env",
        "arn:aws-cn:s3:::bucket/dir/sub/production.env",
        "arn:aws:s3:::${BUCKET}/app.json",
        "arn:aws:s3:::<your-bucket>/app.json",
        "",
        7,
        {"Fn::Sub": "arn:aws:s3:::${Bucket}/app.env"},
    ],
)
def test_environment_files_silent(value: JSON) -> None:
    assert run(invalid_environment_file_arn, env_files(value)) == []


def test_environment_file_problem_params() -> None:
    assert environment_file_problem("arn:aws:s3:::b/x.txt") == ("extension", {"file": "x.txt"}, (15, 20))
    assert environment_file_problem("arn:aws:s3:::b/x.env") is None


# -- ECS217 ulimit-soft-limit-above-hard-limit, ECS218 duplicate-ulimit --------------------------------


def ulimits(*items: JSON) -> dict[str, JSON]:
    return containers({"name": "app", "image": "app:1", "ulimits": list(items)})


def test_soft_limit_above_hard_limit() -> None:
    data = ulimits(
        {"name": "nofile", "softLimit": 65535, "hardLimit": 4096},
        {"name": "nproc", "softLimit": 10, "hardLimit": 10},
        {"name": "core", "softLimit": "9", "hardLimit": 1},
        {"softLimit": 2, "hardLimit": 1},
    )
    assert run(ulimit_soft_limit_above_hard_limit, data) == [
        ("/containerDefinitions/0/ulimits/0/softLimit", "default", None),
        ("/containerDefinitions/0/ulimits/3/softLimit", "default", None),
    ]
    first = next(iter(ulimit_soft_limit_above_hard_limit(TaskDef(data))))
    assert first.params == {"name": "nofile", "soft": 65535, "hard": 4096}


def test_unlimited_is_minus_one() -> None:
    """Docker passes -1 to the kernel as RLIM_INFINITY: a hard limit of -1 is above any soft limit."""
    data = ulimits(
        {"name": "memlock", "softLimit": 1024, "hardLimit": -1},
        {"name": "memlock", "softLimit": -1, "hardLimit": -1},
        {"name": "nofile", "softLimit": -1, "hardLimit": 65535},
    )
    assert run(ulimit_soft_limit_above_hard_limit, data) == [
        ("/containerDefinitions/0/ulimits/2/softLimit", "default", None)
    ]


def test_duplicate_ulimit() -> None:
    data = ulimits({"name": "nofile"}, {"name": "nproc"}, {"name": "nofile"})
    assert run(duplicate_ulimit, data) == [("/containerDefinitions/0/ulimits/2/name", "default", None)]
    assert run(duplicate_ulimit, ulimits({"name": "nofile"}, {"name": "core"})) == []


# -- ECS219 duplicate-tag-key, ECS220 reserved-tag-key ----------------------------------------------------


def tagged(*keys: JSON) -> dict[str, JSON]:
    return {"family": "web", "tags": [{"key": k, "value": "v"} for k in keys]}


def test_duplicate_tag_keys() -> None:
    assert run(duplicate_tag_key, tagged("team", "Team", "team", "env")) == [("/tags/2/key", "default", None)]
    assert run(duplicate_tag_key, tagged("${K}", "${K}")) == []
    assert run(duplicate_tag_key, {"tags": {"team": "a"}}) == []


def test_reserved_tag_keys() -> None:
    assert run(reserved_tag_key, tagged("aws:cost", "AWS:team", "Aws:x", "team:aws:x", "aws")) == [
        ("/tags/0/key", "default", (0, 4)),
        ("/tags/1/key", "default", (0, 4)),
        ("/tags/2/key", "default", (0, 4)),
    ]


# -- ECS221 elastic-inference-accelerator --------------------------------------------------------------------


def test_elastic_inference() -> None:
    data: dict[str, JSON] = {
        "inferenceAccelerators": [{"deviceName": "d1", "deviceType": "eia2.medium"}],
        "containerDefinitions": [
            {
                "name": "model",
                "resourceRequirements": [
                    {"type": "GPU", "value": "1"},
                    {"type": "InferenceAccelerator", "value": "d1"},
                ],
            }
        ],
    }
    assert run(elastic_inference_accelerator, data) == [
        ("/inferenceAccelerators", "task", None),
        ("/containerDefinitions/0/resourceRequirements/1/type", "container", None),
    ]
    assert run(elastic_inference_accelerator, {"inferenceAccelerators": []}) == []


# -- never raises ----------------------------------------------------------------------------------------------

_TEXT = st.text(max_size=20) | st.sampled_from(["", "app", "aws:x", "${X}", "arn:aws:s3:::b/k.env", "nginx:1", "a@b"])
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=10,
)
_NAMED = st.fixed_dictionaries({}, optional={"name": _ANY | _TEXT, "value": _ANY, "key": _TEXT | _ANY})
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT | _ANY,
        "image": _TEXT | _ANY,
        "environment": st.lists(_NAMED | _ANY, max_size=3) | _ANY,
        "secrets": st.lists(_NAMED, max_size=3) | _ANY,
        "environmentFiles": st.lists(_NAMED, max_size=3) | _ANY,
        "ulimits": st.lists(
            st.fixed_dictionaries({}, optional={"name": _TEXT, "softLimit": _ANY, "hardLimit": _ANY}), max_size=3
        )
        | _ANY,
        "resourceRequirements": st.lists(
            st.fixed_dictionaries({}, optional={"type": st.just("InferenceAccelerator") | _ANY}), max_size=2
        ),
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=4) | _ANY,
        "tags": st.lists(_NAMED | _ANY, max_size=3) | _ANY,
        "inferenceAccelerators": _ANY,
        "revision": _ANY,
    },
)
_CHECKS: tuple[Check, ...] = (
    too_many_containers,
    duplicate_container_name,
    empty_container_list,
    task_definition_too_large,
    task_definition_near_size_limit,
    invalid_image_reference,
    uppercase_image_repository,
    invalid_ecr_image_uri,
    invalid_environment_variable_name,
    duplicate_environment_variable,
    environment_secret_conflict,
    too_many_environment_files,
    invalid_environment_file_arn,
    ulimit_soft_limit_above_hard_limit,
    duplicate_ulimit,
    duplicate_tag_key,
    reserved_tag_key,
    elastic_inference_accelerator,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK)
def test_container_checks_never_raise(data: dict[str, JSON]) -> None:
    from ecslint.core.pointer import MISSING, resolve

    for check in _CHECKS:
        for violation in check(TaskDef(data)):
            target = resolve(data, violation.pointer)
            assert target is not MISSING, (check.__name__, violation)
            if violation.substring is not None:
                start, end = violation.substring
                assert isinstance(target, str) and 0 <= start < end <= len(target), (check.__name__, violation)


@pytest.mark.parametrize(
    ("entry_point", "command", "expected"),
    [
        (None, ["npm run start"], ("command", 0, "default")),
        ([], ["npm run", "start"], ("command", 0, "default")),
        (None, ["npm", "run", "start"], None),
        (None, ["/app/server --port 80"], ("command", 0, "default")),
        (["sh -c"], ["echo hi"], ("entryPoint", 0, "entry-point")),
        (["sh", "-c"], ["npm", "run", "start"], ("command", 1, "shell")),
        (["/bin/bash", "-c"], ["npm", "run"], ("command", 1, "shell")),
        (["sh", "-c"], ["npm run start && echo done"], None),
        (["sh", "-c"], ["echo $0 $1", "a", "b"], None),  # a script with its own $0, $1: on purpose
        (["node"], ["server.js", "--title", "my app"], None),  # arguments may hold spaces
        (["/docker-entrypoint.sh"], ["npm run start"], None),  # the entrypoint decides: not judged
        (None, ["${START}"], None),
        (None, ["${APP} --port 80"], None),
        ("${ENTRY}", ["npm run start"], None),
        (None, "npm run start", None),  # not a list: the schema's finding
        (None, [], None),
    ],
)
def test_program_problem(entry_point: object, command: object, expected: object) -> None:
    assert program_problem(entry_point, command) == expected  # type: ignore[arg-type]
