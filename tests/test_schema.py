"""Tests for the schema layer (ecslint/schema/validation.py), its rules and the schema generator."""

from __future__ import annotations

import copy
import importlib.util
import json
import string
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import Rule, load_file
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import MISSING, resolve
from ecslint.schema.validation import RULE_IDS, load_schema, read_only_fields, suggest, validate
from tests.workcount import calls, grows_linearly

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schemas" / "task-definition.schema.json"
GENERATOR_PATH = ROOT / "schemas" / "generate.py"
RULES_PATH = ROOT / "rules" / "schema"


def findings(data: Any, origin: str = "register") -> list[tuple[str, str, str]]:
    return [(rule_id, v.pointer, v.at) for rule_id, v in validate(data, origin)]


def violations(data: Any, origin: str = "register") -> list[tuple[str, Violation]]:
    return list(validate(data, origin))


@cache
def rule(rule_id: str) -> Rule:
    (path,) = RULES_PATH.glob(f"{rule_id}-*.yaml")
    return load_file(path)


def messages(data: Any, origin: str = "register") -> list[str]:
    return [rule(rule_id).message(v.variant, v.params) for rule_id, v in validate(data, origin)]


def container(**fields: JSON) -> dict[str, JSON]:
    return {"name": "web", "image": "nginx:1.27", **fields}


def task(*containers: dict[str, JSON], **fields: JSON) -> dict[str, JSON]:
    return {"family": "web", "containerDefinitions": list(containers) or [container()], **fields}


SEED: dict[str, JSON] = {
    "family": "web-app",
    "taskRoleArn": "arn:aws:iam::123456789012:role/web-task",
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "512",
    "memory": "1024",
    "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
    "ephemeralStorage": {"sizeInGiB": 30},
    "containerDefinitions": [
        {
            "name": "web",
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2",
            "essential": True,
            "cpu": 256,
            "memory": 512,
            "memoryReservation": 256,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp", "name": "http", "appProtocol": "http"}],
            "environment": [{"name": "PORT", "value": "8080"}],
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": "/ecs/web",
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "web",
                },
            },
            "healthCheck": {
                "command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"],
                "interval": 30,
                "retries": 3,
            },
            "dependsOn": [{"containerName": "log-router", "condition": "START"}],
            "dockerLabels": {"com.example.team": "web"},
            "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}],
            "readonlyRootFilesystem": True,
        },
        {
            "name": "log-router",
            "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
            "essential": True,
            "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}},
        },
    ],
    "volumes": [
        {"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678", "transitEncryption": "ENABLED"}}
    ],
    "tags": [{"key": "team", "value": "web"}],
}


# -- a clean document ---------------------------------------------------------------------------


def test_seed_like_document_has_no_findings() -> None:
    assert findings(SEED) == []


def test_minimal_document_has_no_findings() -> None:
    assert findings(task()) == []


# -- ECS020 unknown-key --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected", "suggestion", "variant"),
    [
        ({"Family": "web", "containerDefinitions": [container()]}, ("ECS020", "/Family", "key"), "family", "case"),
        (task(container(Essential=True)), ("ECS020", "/containerDefinitions/0/Essential", "key"), "essential", "case"),
        (task(container(memroy=512)), ("ECS020", "/containerDefinitions/0/memroy", "key"), "memory", "suggestion"),
        (
            task(container(log_configuration={})),
            ("ECS020", "/containerDefinitions/0/log_configuration", "key"),
            "logConfiguration",
            "case",
        ),
        (task(flavour="vanilla"), ("ECS020", "/flavour", "key"), "", "default"),
    ],
)
def test_unknown_key_points_at_the_key_with_a_suggestion(
    document: dict[str, JSON], expected: tuple[str, str, str], suggestion: str, variant: str
) -> None:
    assert findings(document) == [expected]
    ((_, violation),) = violations(document)
    assert violation.params["suggestion"] == suggestion
    assert violation.variant == variant


def test_unknown_key_messages() -> None:
    assert messages({"Family": "web", "containerDefinitions": [container()]}) == [
        "unknown key 'Family' in the task definition; did you mean 'family'?"
    ]
    assert messages(task(container(memroy=512))) == ["unknown key 'memroy' in container 'web'; did you mean 'memory'?"]
    assert messages(task(flavour="vanilla")) == ["unknown key 'flavour' in the task definition"]


def test_unknown_key_in_a_nested_object_names_where_it_is() -> None:
    document = task(container(logConfiguration={"logDriver": "awslogs", "option": {}}))
    assert findings(document) == [("ECS020", "/containerDefinitions/0/logConfiguration/option", "key")]
    assert messages(document) == [
        "unknown key 'option' in 'logConfiguration' of container 'web'; did you mean 'options'?"
    ]


def test_service_and_run_task_parameters_are_named_as_such() -> None:
    document = task(networkConfiguration={"awsvpcConfiguration": {}}, enableExecuteCommand=True)
    assert findings(document) == [
        ("ECS020", "/networkConfiguration", "key"),
        ("ECS020", "/enableExecuteCommand", "key"),
    ]
    assert [v.variant for _, v in violations(document)] == ["run-parameter", "run-parameter"]
    assert messages(document)[0] == (
        "unknown key 'networkConfiguration' in the task definition; "
        "it is a create-service or run-task parameter, not part of a task definition"
    )


def test_a_secret_among_environment_variables() -> None:
    document = task(container(environment=[{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:::parameter/db"}]))
    assert findings(document) == [("ECS020", "/containerDefinitions/0/environment/0/valueFrom", "key")]
    ((_, violation),) = violations(document)
    assert violation.variant == "secret-in-environment"
    assert rule("ECS020").hint(violation.variant, violation.params) == (
        "move the entry to the container's 'secrets' list, which takes 'name' and 'valueFrom'"
    )


def test_cloudformation_pascal_case_document_reports_each_key_once() -> None:
    document = {"Family": "web", "ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}
    assert findings(document) == [
        ("ECS020", "/Family", "key"),
        ("ECS020", "/ContainerDefinitions", "key"),
    ]


def test_misspelled_required_member_is_not_also_missing() -> None:
    assert findings({"family": "web", "containerDefinitions": [{"Name": "web", "image": "nginx"}]}) == [
        ("ECS020", "/containerDefinitions/0/Name", "key"),
    ]


# -- ECS021 wrong-type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "pointer", "message"),
    [
        (task(cpu=256), "/cpu", "task 'cpu' must be a string such as \"256\", not the number 256"),
        (task(memory=2048), "/memory", "task 'memory' must be a string such as \"2048\", not the number 2048"),
        (
            task(container(cpu="256")),
            "/containerDefinitions/0/cpu",
            "'cpu' of container 'web' must be an integer such as 256, not the string \"256\"",
        ),
        (
            task(container(memoryReservation="128")),
            "/containerDefinitions/0/memoryReservation",
            "'memoryReservation' of container 'web' must be an integer such as 128, not the string \"128\"",
        ),
        (
            task(container(memory=512.0)),
            "/containerDefinitions/0/memory",
            "'memory' of container 'web' must be an integer such as 512, not the number 512.0",
        ),
        (
            task(container(memory=True)),
            "/containerDefinitions/0/memory",
            "'memory' of container 'web' must be an integer, not the boolean true",
        ),
        (
            task(container(essential="true")),
            "/containerDefinitions/0/essential",
            "'essential' of container 'web' must be a boolean such as true, not the string \"true\"",
        ),
        (
            task(container(dockerLabels={"build": 42})),
            "/containerDefinitions/0/dockerLabels/build",
            "'dockerLabels.build' of container 'web' must be a string such as \"42\", not the number 42",
        ),
        (
            task(container(logConfiguration={"logDriver": "awslogs", "options": {"awslogs-create-group": True}})),
            "/containerDefinitions/0/logConfiguration/options/awslogs-create-group",
            "'logConfiguration.options[\"awslogs-create-group\"]' of container 'web' must be a string"
            ' such as "true", not the boolean true',
        ),
        (
            task(requiresCompatibilities="FARGATE"),
            "/requiresCompatibilities",
            'task \'requiresCompatibilities\' must be a list such as ["FARGATE"], not the string "FARGATE"',
        ),
        (
            task(container(links=["db", None])),
            "/containerDefinitions/0/links/1",
            "'links[1]' of container 'web' must be a string, not null",
        ),
    ],
)
def test_wrong_type(document: dict[str, JSON], pointer: str, message: str) -> None:
    assert findings(document) == [("ECS021", pointer, "value")]
    assert messages(document) == [message]


@pytest.mark.parametrize(
    ("data", "found"), [([], "a list"), ("task", 'the string "task"'), (None, "null"), (7, "the number 7")]
)
def test_a_document_that_is_not_an_object_is_one_type_finding(data: Any, found: str) -> None:
    assert findings(data) == [("ECS021", "", "value")]
    assert messages(data) == [f"the task definition must be an object, not {found}"]


def test_wrong_type_does_not_cascade_into_the_value() -> None:
    assert findings(task(containerDefinitions="web")) == [("ECS021", "/containerDefinitions", "value")]
    assert findings(task(containerDefinitions=[["web"]])) == [("ECS021", "/containerDefinitions/0", "value")]
    assert findings(task(container(logConfiguration="awslogs"))) == [
        ("ECS021", "/containerDefinitions/0/logConfiguration", "value")
    ]


def test_null_members_of_one_object_are_one_finding_at_the_first_null_key() -> None:
    document = task(container(memoryReservation=None, hostname=None))
    assert findings(document) == [("ECS026", "/containerDefinitions/0/memoryReservation", "key")]
    assert messages(document) == [
        "container 'web' sets 2 members to null ('memoryReservation' and 'hostname'); the API accepts no null values",
    ]


def test_null_members_of_several_objects_are_one_finding_listing_every_place() -> None:
    # a console export or a CLI skeleton: one paste, one mistake
    document = task(container(memoryReservation=None, hostname=None), taskRoleArn=None)
    assert findings(document) == [("ECS026", "/taskRoleArn", "key")]
    ((_, merged),) = violations(document)
    assert merged.variant == "many" and merged.params["objects"] == 2
    assert [(o.pointer, o.at) for o in merged.occurrences] == [
        ("/taskRoleArn", "key"),
        ("/containerDefinitions/0/memoryReservation", "key"),
        ("/containerDefinitions/0/hostname", "key"),
    ]
    params = {**merged.params, "on_all_lines": "lines 2-4"}
    assert rule("ECS026").message("many", params) == (
        "3 members are null in 2 objects ('taskRoleArn', 'memoryReservation' and 'hostname'), on lines 2-4; "
        "the API accepts no null values"
    )


def test_many_null_members_are_named_up_to_four() -> None:
    document = task(container(a=None, b=None, c=None, d=None, e=None, f=None))
    assert messages(document) == [
        "container 'web' sets 6 members to null ('a', 'b', 'c', 'd' and 2 more); the API accepts no null values"
    ]


def test_a_null_required_member_is_also_missing() -> None:
    assert findings(task(family=None)) == [("ECS026", "/family", "key"), ("ECS023", "", "value")]


def test_a_number_in_an_enum_field_is_a_type_problem_only() -> None:
    document = task(networkMode=5)
    assert findings(document) == [("ECS021", "/networkMode", "value")]
    assert messages(document) == ["task 'networkMode' must be a string, not the number 5"]


# -- ECS022 invalid-enum-value -------------------------------------------------------------------


def test_enum_value_with_case_insensitive_suggestion() -> None:
    document = task(requiresCompatibilities=["fargate"])
    assert findings(document) == [("ECS022", "/requiresCompatibilities/0", "value")]
    ((_, violation),) = violations(document)
    assert violation.variant == "suggestion"
    assert violation.params["suggestion"] == '"FARGATE"'
    assert messages(document) == [
        "task 'requiresCompatibilities[0]' must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES, "
        'not "fargate"; did you mean "FARGATE"?'
    ]


def test_enum_value_with_close_spelling_and_without_suggestion() -> None:
    document = task(container(logConfiguration={"logDriver": "awslog"}), networkMode="vpc-mode")
    assert findings(document) == [
        ("ECS022", "/containerDefinitions/0/logConfiguration/logDriver", "value"),
        ("ECS022", "/networkMode", "value"),
    ]
    variants = [(v.variant, v.params["suggestion"]) for _, v in violations(document)]
    assert variants == [("suggestion", '"awslogs"'), ("default", "")]
    assert messages(document)[1] == "task 'networkMode' must be one of bridge, host, awsvpc, none, not \"vpc-mode\""


# -- ECS023 missing-required-member --------------------------------------------------------------


def test_missing_required_members_point_at_the_object() -> None:
    document = {"containerDefinitions": [{"name": "web"}, {}]}
    assert findings(document) == [
        ("ECS023", "", "value"),
        ("ECS023", "/containerDefinitions/0", "value"),
        ("ECS023", "/containerDefinitions/1", "value"),
    ]
    assert messages(document) == [
        "missing required field 'family' in the task definition",
        "missing required field 'image' in container 'web'",
        "missing required fields 'name' and 'image' in container #1",
    ]
    params = [v.params for _, v in violations(document)]
    assert [(p["member"], p["parent"]) for p in params] == [
        ("family", "the task definition"),
        ("image", "container 'web'"),
        ("name", "container #1"),
    ]


@pytest.mark.parametrize("origin", ["register", "describe", "cloudformation", "terraform", "containers"])
def test_an_empty_image_is_reported_as_a_missing_one(origin: str) -> None:
    """ECS refuses "image": "" as it refuses no image ("The container.image should not be null or empty")."""
    document = task(container(image=""), {"name": "side"})
    assert sorted(findings(document, origin)) == [
        ("ECS023", "/containerDefinitions/0/image", "value"),
        ("ECS023", "/containerDefinitions/1", "value"),
    ]
    assert sorted(messages(document, origin)) == [
        "'image' of container 'web' is empty",
        "missing required field 'image' in container 'side'",
    ]


@pytest.mark.parametrize("image", [" ", "${IMAGE}", "nginx:1.27"])
def test_an_image_that_is_not_empty_is_not_ecs023(image: str) -> None:
    assert findings(task(container(image=image))) == []


def test_missing_required_member_of_a_nested_object() -> None:
    document = task(container(secrets=[{"name": "DB_PASSWORD"}]), ephemeralStorage={})
    assert findings(document) == [
        ("ECS023", "/containerDefinitions/0/secrets/0", "value"),
        ("ECS023", "/ephemeralStorage", "value"),
    ]
    assert messages(document) == [
        "missing required field 'valueFrom' in 'secrets[0]' of container 'web'",
        "missing required field 'sizeInGiB' in task 'ephemeralStorage'",
    ]


# -- ECS024 value-out-of-range -------------------------------------------------------------------


def test_too_many_tags() -> None:
    document = task(tags=[{"key": f"k{i}", "value": "v"} for i in range(51)])
    assert findings(document) == [("ECS024", "/tags", "value")]
    assert messages(document) == ["task 'tags' has 51 entries; 50 at most"]
    assert findings(task(tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])) == []


def test_tag_key_lengths() -> None:
    document = task(tags=[{"key": "", "value": "v"}, {"key": "k" * 129, "value": "v"}, {"key": "k" * 128}])
    assert findings(document) == [("ECS024", "/tags/0/key", "value"), ("ECS024", "/tags/1/key", "value")]
    assert messages(document) == [
        "task 'tags[0].key' is 0 characters long; it needs at least 1 character",
        "task 'tags[1].key' is 129 characters long; 128 at most",
    ]


@pytest.mark.parametrize(("size", "clean"), [(10, False), (20, False), (21, True), (200, True), (201, False)])
def test_ephemeral_storage_size(size: int, clean: bool) -> None:
    document = task(ephemeralStorage={"sizeInGiB": size})
    expected = [] if clean else [("ECS024", "/ephemeralStorage/sizeInGiB", "value")]
    assert findings(document) == expected
    if not clean:
        assert messages(document) == [f"task 'ephemeralStorage.sizeInGiB' must be between 21 and 200, got {size}"]


# -- ECS025 read-only-field ----------------------------------------------------------------------


DESCRIBED = task(
    taskDefinitionArn="arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
    revision=3,
    status="ACTIVE",
    requiresAttributes=[{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
    compatibilities=["EC2", "FARGATE"],
    registeredAt="2024-05-01T10:00:00Z",
    registeredBy="arn:aws:iam::123456789012:user/ci",
)


READ_ONLY_POINTERS = (
    "/taskDefinitionArn",
    "/revision",
    "/status",
    "/requiresAttributes",
    "/compatibilities",
    "/registeredAt",
    "/registeredBy",
)


def test_read_only_fields_are_one_finding_naming_them_all() -> None:
    # describe output pasted as input is one mistake: one finding at the first field, not seven
    assert findings(DESCRIBED) == [("ECS025", "/taskDefinitionArn", "key")]
    ((_, merged),) = violations(DESCRIBED)
    assert merged.covers == READ_ONLY_POINTERS
    assert [(o.pointer, o.at) for o in merged.occurrences] == [(p, "key") for p in READ_ONLY_POINTERS]
    assert rule("ECS025").message(merged.variant, merged.params) == (
        "7 read-only fields of describe-task-definition output ('taskDefinitionArn', 'revision', 'status', "
        "'requiresAttributes', 'compatibilities', 'registeredAt' and 'registeredBy'); "
        "register-task-definition rejects them"
    )
    assert rule("ECS025").hint(merged.variant, merged.params) == (
        'remove them, or keep the whole describe output wrapped as {"taskDefinition": {...}}, '
        "which ecslint reads as describe output"
    )


def test_one_read_only_field_keeps_the_singular_message() -> None:
    ((_, only),) = violations(task(revision=3))
    assert only.covers == ("/revision",) and only.occurrences == ()
    assert rule("ECS025").message(only.variant, only.params) == (
        "'revision' is a read-only field of describe-task-definition output; register-task-definition rejects it"
    )


def test_read_only_fields_merge_when_the_rest_is_invalid_too() -> None:
    # the slow path (schema errors besides the read-only fields) merges them the same way
    document = {**DESCRIBED, "cpu": 256}
    assert findings(document) == [("ECS025", "/taskDefinitionArn", "key"), ("ECS021", "/cpu", "value")]


def test_read_only_fields_are_accepted_for_describe() -> None:
    assert findings(DESCRIBED, origin="describe") == []
    assert findings({**DESCRIBED, "Status": "ACTIVE"}, origin="describe") == [("ECS020", "/Status", "key")]


def test_read_only_field_in_cloudformation_has_its_own_wording() -> None:
    document = task(revision=3)
    ((_, violation),) = violations(document, origin="cloudformation")
    assert violation.variant == "cloudformation"
    assert rule("ECS025").hint(violation.variant, violation.params) == "remove it"


def test_read_only_names_below_the_top_level_are_unknown_keys() -> None:
    assert findings(task(container(status="ACTIVE"))) == [("ECS020", "/containerDefinitions/0/status", "key")]


def test_read_only_fields_match_the_model() -> None:
    from ecslint.core.taskdef import READ_ONLY_FIELDS

    assert read_only_fields() == READ_ONLY_FIELDS  # the generated schema and the checks agree
    assert {"taskDefinitionArn", "revision", "status", "registeredAt", "deleteRequestedAt"} <= READ_ONLY_FIELDS


# -- values known only at deploy time ------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        task(cpu="${TASK_CPU}", memory={"Ref": "TaskMemory"}),
        task(container(cpu="${CPU}", memory={"Fn::If": ["Big", 2048, 512]}, essential="{{ essential }}")),
        task(networkMode="${NETWORK_MODE}", requiresCompatibilities=[{"Ref": "LaunchType"}]),
        task(requiresCompatibilities={"Fn::Split": [",", {"Ref": "LaunchTypes"}]}),
        task(ephemeralStorage={"Ref": "Storage"}),
        task(ephemeralStorage={"sizeInGiB": "${STORAGE}"}),
        task(container(logConfiguration={"Fn::If": ["UseLogs", {"logDriver": "awslogs"}, {"Ref": "AWS::NoValue"}]})),
        task(container(), {"Fn::If": ["Sidecar", {"name": "sidecar", "image": "x"}, {"Ref": "AWS::NoValue"}]}),
        task(tags={"Ref": "Tags"}),
    ],
)
def test_unknown_values_are_not_judged(document: dict[str, JSON]) -> None:
    assert findings(document) == []


def test_unknown_values_do_not_hide_other_problems() -> None:
    document = task(container(cpu="${CPU}", memroy=512), cpu="${CPU}", memory=2048)
    assert findings(document) == [
        ("ECS020", "/containerDefinitions/0/memroy", "key"),
        ("ECS021", "/memory", "value"),
    ]


# -- order, determinism, suggestions -------------------------------------------------------------


def test_findings_follow_document_order() -> None:
    document = {
        "memory": 2048,
        "containerDefinitions": [container(essential="yes"), {"image": "x"}],
        "Family": "web",
        "networkMode": "AWSVPC",
    }
    assert findings(document) == [
        ("ECS021", "/memory", "value"),
        ("ECS021", "/containerDefinitions/0/essential", "value"),
        ("ECS023", "/containerDefinitions/1", "value"),
        ("ECS020", "/Family", "key"),
        ("ECS022", "/networkMode", "value"),
    ]
    assert findings(copy.deepcopy(document)) == findings(document)


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("Family", ["family", "cpu"], ("family", True)),
        ("fargate", ["EC2", "FARGATE"], ("FARGATE", True)),
        ("memroy", ["memory", "memoryReservation"], ("memory", False)),
        ("log_driver", ["logDriver", "options"], ("logDriver", True)),
        ("zzz", ["family", "cpu"], (None, False)),
    ],
)
def test_suggest(word: str, candidates: list[str], expected: tuple[str | None, bool]) -> None:
    assert suggest(word, candidates) == expected


# -- the catalogue entries -----------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", ["ECS020", "ECS021", "ECS022", "ECS023", "ECS024", "ECS025"])
def test_catalogue_entry_examples(rule_id: str) -> None:
    entry = rule(rule_id)
    assert entry.layer == "schema"
    assert (entry.severity.label, entry.consequence) == ("error", "rejected")
    kinds = {example.kind for example in entry.examples}
    assert kinds == {"bad", "good"}
    for example in entry.examples:
        fired = [v.pointer for rid, v in validate(example.document) if rid == rule_id]  # type: ignore[arg-type]
        assert fired == (list(example.expect) if example.kind == "bad" else [])


# -- any JSON value ------------------------------------------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["${CPU}", "FARGATE", "fargate", "awsvpc", "256", "true", ""])
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=16,
)


def _members(shape: str) -> list[str]:
    return sorted(load_schema()["$defs"][shape]["properties"])


TASK_KEYS = [*_members("RegisterTaskDefinitionRequest"), *sorted(read_only_fields()), "Family", "memroy", "Ref"]
CONTAINER_KEYS = [*_members("ContainerDefinition"), "Essential", "Name", "status"]
LOG_KEYS = [*_members("LogConfiguration"), "LogDriver"]
PLAUSIBLE = JSON_VALUES | st.sampled_from([256, 512.0, True, "x" * 200, {"Ref": "Cpu"}, {"Fn::If": []}, [], {}])
LOG_CONFIGURATIONS = st.dictionaries(st.sampled_from(LOG_KEYS), PLAUSIBLE, max_size=3)
CONTAINERS = st.dictionaries(
    st.sampled_from(CONTAINER_KEYS),
    PLAUSIBLE | LOG_CONFIGURATIONS | st.lists(st.dictionaries(st.text(max_size=5), PLAUSIBLE)),
    max_size=8,
)


@st.composite
def task_like(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = draw(st.dictionaries(st.sampled_from(TASK_KEYS), PLAUSIBLE, max_size=6))
    if draw(st.booleans()):
        document["containerDefinitions"] = draw(st.lists(CONTAINERS | JSON_VALUES, max_size=3))
    return document


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def assert_well_formed(data: Any, origin: str = "register") -> None:
    """Every finding resolves, renders fully from its own rule, and owns its location."""
    results = violations(data, origin)
    assert results == violations(data, origin)
    locations = [(v.pointer, v.at) for _, v in results]
    assert len(locations) == len(set(locations))
    for rule_id, violation in results:
        assert rule_id in RULE_IDS
        assert resolve(data, violation.pointer) is not MISSING
        assert violation.at == ("key" if rule_id in ("ECS020", "ECS025", "ECS026") else "value")
        entry = rule(rule_id)
        assert violation.variant in entry.messages
        # the engine adds count, lines and their kin to a violation that stands for several places
        added = {"count", "more", "lines", "all_lines", "on_lines", "on_all_lines"} if violation.occurrences else set()
        assert _placeholders(entry.messages[violation.variant]) <= set(violation.params) | added


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_any_json_value_never_raises(data: Any) -> None:
    assert_well_formed(data)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_like(), st.sampled_from(["register", "describe", "cloudformation"]))
def test_task_shaped_documents_never_raise(data: dict[str, Any], origin: str) -> None:
    assert_well_formed(data, origin)


def test_integers_too_long_to_print_never_raise() -> None:
    document = task(container(memory=10**5000, cpu="1" * 5000), cpu=10**5000)
    assert findings(document) == [  # memory is an integer, as the schema asks (ECS106 judges its size)
        ("ECS021", "/containerDefinitions/0/cpu", "value"),
        ("ECS021", "/cpu", "value"),
    ]


def test_jsonschema_is_not_imported_with_the_module() -> None:
    code = "import sys, ecslint.schema.validation; sys.exit('jsonschema' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


# -- the schema file and its generator -----------------------------------------------------------


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ecslint_schema_generator", GENERATOR_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def committed_botocore_version() -> str:
    version: str = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["x-botocore-version"]
    return version


def test_committed_schema_is_a_valid_draft_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["ContainerDefinition"]["required"] == ["name", "image"]
    assert SCHEMA_PATH.read_text(encoding="utf-8").endswith("}\n")


def test_committed_schema_rejects_null_everywhere() -> None:
    """schema.validate skips the walk for nulls in a document that passes: none can be there."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    open_ended: list[str] = []

    def visit(node: object, where: str) -> None:
        if not isinstance(node, dict):
            open_ended.append(where)  # true (or false) as a schema
            return
        types = node.get("type", [])
        if "null" in ([types] if isinstance(types, str) else types) or None in node.get("enum", [0]):
            open_ended.append(where)
        if not {"type", "$ref", "enum"} & set(node):
            open_ended.append(where)
        for name, member in node.get("properties", {}).items():
            visit(member, f"{where}/{name}")
        for keyword in ("items", "additionalProperties"):
            if keyword in node and node[keyword] is not False:
                visit(node[keyword], f"{where}/{keyword}")

    for name, definition in schema["$defs"].items():
        visit(definition, name)
    assert open_ended == []


def test_nulls_in_describe_only_members_of_a_valid_document_are_reported() -> None:
    document = {**task(container()), "registeredAt": None, "revision": 3}
    assert findings(document) == [("ECS026", "/registeredAt", "key"), ("ECS025", "/revision", "key")]


def test_pinned_botocore_matches_the_committed_schema() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pins = [spec.split("==", 1)[1] for spec in extras["test"] if spec.startswith("botocore==")]
    assert pins == [committed_botocore_version()]


def test_generator_reproduces_the_committed_schema() -> None:
    botocore = pytest.importorskip("botocore", reason="botocore is not installed; the generator needs it")
    recorded = committed_botocore_version()
    if botocore.__version__ != recorded:
        pytest.skip(
            f"botocore {botocore.__version__} is installed but the schema was generated with {recorded}; "
            f"pip install botocore=={recorded} to run this test"
        )
    generator = load_generator()
    model, version = generator.load_model()
    assert generator.render(model, version, generator.load_examples()) == SCHEMA_PATH.read_text(encoding="utf-8")


def _tiny_model() -> dict[str, Any]:
    def structure(members: dict[str, str], required: tuple[str, ...] = ()) -> dict[str, Any]:
        return {
            "type": "structure",
            "required": list(required),
            "members": {k: {"shape": v} for k, v in members.items()},
        }

    return {
        "shapes": {
            "RegisterTaskDefinitionRequest": structure(
                {
                    "family": "String",
                    "containerDefinitions": "ContainerDefinitions",
                    "networkMode": "NetworkMode",
                    "tags": "Tags",
                    "ephemeralStorage": "EphemeralStorage",
                    "sharing": "Sharing",
                },
                required=("family", "containerDefinitions"),
            ),
            "TaskDefinition": structure({"family": "String", "revision": "Integer"}),
            "CreateServiceRequest": structure({"desiredCount": "Integer", "taskDefinition": "String"}),
            "RunTaskRequest": structure({"count": "Integer", "family": "String"}),
            "ContainerDefinitions": {"type": "list", "member": {"shape": "ContainerDefinition"}},
            "ContainerDefinition": structure({"name": "String", "image": "String", "labels": "Labels"}),
            "Labels": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
            "EphemeralStorage": structure({"sizeInGiB": "Integer"}, required=("sizeInGiB",)),
            "Sharing": {**structure({"a": "Integer", "b": "Integer"}), "union": True},
            "Tags": {"type": "list", "member": {"shape": "Tag"}, "max": 50},
            "Tag": structure({"key": "TagKey"}),
            "TagKey": {"type": "string", "min": 1, "max": 128, "pattern": "[\\p{L}]*"},
            "NetworkMode": {"type": "string", "enum": ["bridge", "awsvpc"]},
            "String": {"type": "string"},
            "Integer": {"type": "integer"},
            "Unreached": {"type": "timestamp"},
        }
    }


def test_generator_maps_shapes_and_applies_the_overlay() -> None:
    generator = load_generator()
    text = generator.render(_tiny_model(), "0.0.test")
    assert text == generator.render(_tiny_model(), "0.0.test")
    assert text.endswith("}\n")
    schema = json.loads(text)
    defs = schema["$defs"]
    assert schema["$ref"] == "#/$defs/RegisterTaskDefinitionRequest"
    assert schema["x-botocore-version"] == "0.0.test"
    assert "Unreached" not in defs and "TaskDefinition" not in defs
    assert defs["ContainerDefinition"]["required"] == ["name", "image"]
    assert defs["ContainerDefinition"]["additionalProperties"] is False
    assert defs["Labels"] == {"title": "Labels", "type": "object", "additionalProperties": {"$ref": "#/$defs/String"}}
    assert defs["Tags"] == {"title": "Tags", "type": "array", "items": {"$ref": "#/$defs/Tag"}, "maxItems": 50}
    assert defs["TagKey"]["minLength"] == 1 and defs["TagKey"]["maxLength"] == 128
    assert "pattern" not in defs["TagKey"] and "\\p{L}" in defs["TagKey"]["$comment"]
    assert defs["NetworkMode"]["enum"] == ["bridge", "awsvpc"]
    assert defs["Sharing"]["minProperties"] == defs["Sharing"]["maxProperties"] == 1
    storage = defs["EphemeralStorage"]["properties"]["sizeInGiB"]
    assert (storage["minimum"], storage["maximum"]) == (21, 200)
    assert defs["x-read-only-fields"]["enum"] == ["revision"]
    assert defs["x-service-or-run-task-parameters"]["enum"] == ["count", "desiredCount"]


def test_generator_refuses_what_it_cannot_map() -> None:
    generator = load_generator()
    model = _tiny_model()
    model["shapes"]["String"] = {"type": "timestamp"}
    with pytest.raises(SystemExit, match="does not map"):
        generator.render(model, "0.0.test")
    model = _tiny_model()
    del model["shapes"]["ContainerDefinition"]["members"]["image"]
    with pytest.raises(SystemExit, match="overlay"):
        generator.render(model, "0.0.test")


@pytest.fixture
def tiny_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Validate against the schema the generator makes from ``_tiny_model`` (it has a union shape)."""
    import ecslint.schema.validation as layer

    schema = json.loads(load_generator().render(_tiny_model(), "0.0.test"))
    monkeypatch.setattr(layer, "load_schema", lambda: schema)
    layer._validator.cache_clear()
    layer._compiled_schema.cache_clear()
    layer.read_only_fields.cache_clear()
    yield
    monkeypatch.undo()
    layer._validator.cache_clear()
    layer._compiled_schema.cache_clear()
    layer.read_only_fields.cache_clear()


@pytest.mark.usefixtures("tiny_schema")
def test_union_members() -> None:
    empty = task(sharing={})
    assert findings(empty) == [("ECS023", "/sharing", "value")]
    assert messages(empty) == ["task 'sharing' must set one of 'a' or 'b'"]
    both = task(sharing={"a": 1, "b": 2})
    assert findings(both) == [("ECS024", "/sharing", "value")]
    assert messages(both) == ["task 'sharing' sets 2 members; only one of 'a' or 'b' may be set"]


class _WatchedDict(dict):  # type: ignore[type-arg]
    """A dict whose iteration runs in Python, so that ``calls`` counts every key read in order."""

    def __iter__(self) -> Iterator[Any]:
        yield from super().__iter__()


def test_thousands_of_unknown_keys_are_ordered_in_linear_steps() -> None:
    # each unknown key's place in its object was found by listing the object's keys again
    def work(count: int) -> int:
        container = _WatchedDict({"name": "app", "image": "nginx:1", **{f"unknownKey{i}": 1 for i in range(count)}})
        return calls(lambda: list(validate({"family": "web", "containerDefinitions": [container]})))

    grows_linearly(work, 1000)
    document = {"family": "web", "containerDefinitions": [{"name": "a", "image": "b", "zz": 1, "aa": 2}]}
    keys = [v.pointer for rule, v in validate(document) if rule == "ECS020"]
    assert keys == ["/containerDefinitions/0/zz", "/containerDefinitions/0/aa"]
