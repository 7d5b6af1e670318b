from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ecslint import checks
from ecslint.catalogue.entries import Catalogue, builtin, rule_from_mapping
from ecslint.checks.identifiers import image_placeholders, text_placeholders
from ecslint.core.model import Violation
from ecslint.core.taskdef import TaskDef
from ecslint.engine.pipeline import Engine
from tests.workcount import calls, grows_linearly

BASE = {
    "severity": "error",
    "consequence": "rejected",
    "summary": "Checks something.",
    "rationale": "Because.",
    "references": ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definitions.html"],
}


def _crash(td: TaskDef) -> Iterator[Violation]:
    raise KeyError("boom")
    yield  # pragma: no cover


def _engine(*entries: dict[str, object]) -> Engine:
    rules = [*builtin().rules, *(rule_from_mapping({**BASE, **entry}, "test.yaml") for entry in entries)]
    return Engine(Catalogue(rules))


def test_a_crashing_check_is_an_internal_error_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    checks.registered()  # load the built-in checks before adding one for this test only
    monkeypatch.setitem(checks._REGISTRY, "test_engine_crash", _crash)
    engine = _engine({"id": "TST901", "name": "crashes", "check": "test_engine_crash", "message": "never"})
    result = engine.check_bytes("td.json", b'{"family": "bad name!", "containerDefinitions": []}')
    assert [(e.rule_id, e.message) for e in result.internal_errors] == [("TST901", "KeyError: 'boom'")]
    assert "ECS202" in {f.rule_id for f in result.findings}


def test_declarative_rule_targets_each_container() -> None:
    engine = _engine(
        {
            "id": "TST902",
            "name": "needs-health-check",
            "target": "containerDefinitions[*]",
            "when": {"properties": {"essential": {"const": True}}},
            "assert": {"required": ["healthCheck"]},
            "message": "container {container} has no healthCheck",
        }
    )
    document = {
        "family": "web",
        "containerDefinitions": [
            {"name": "a", "image": "a:1", "essential": True},
            {"name": "b", "image": "b:1", "essential": False},
            {"name": "c", "image": "c:1", "essential": True, "healthCheck": {"command": ["CMD", "true"]}},
        ],
    }
    result = engine.check_bytes("td.json", json.dumps(document, indent=2).encode())
    own = [
        (f.pointer, f.message, f.span.start.line if f.span else None) for f in result.findings if f.rule_id == "TST902"
    ]
    assert own == [("/containerDefinitions/0", "container a has no healthCheck", 4)]


def test_findings_are_sorted_by_position() -> None:
    text = b'{"family": "x y", "cpu": 256, "containerDefinitions": [{"name": "a b", "image": "i:1"}],}'
    result = Engine(builtin()).check_bytes("td.json", text)
    keys = [f.sort_key() for f in result.findings]
    assert keys == sorted(keys) and len(keys) >= 3


def test_walked_files_that_are_not_task_definitions_are_silent() -> None:
    engine = Engine(builtin())
    skipped = engine.check_bytes("package.json", b'{"name": "x",}', explicit=False)
    assert (skipped.is_task_definition, skipped.findings) == (False, [])
    kept = engine.check_bytes("td.json", b'{"family": "x", "containerDefinitions": [],}', explicit=False)
    assert kept.is_task_definition and {"ECS004", "ECS205"} <= {f.rule_id for f in kept.findings}


def test_findings_inside_one_escaped_string_are_located_in_linear_steps() -> None:
    """Each finding inside a string is narrowed to its substring: the token is searched and
    decoded once per string, not once per finding (n findings in one string were n^2 steps)."""
    engine = Engine(builtin())

    def work(count: int) -> int:
        image = "\\u0041" + "<a>" * count  # an escape: the token's text differs from its value
        raw = ('{"family": "f", "containerDefinitions": [{"name": "c", "image": "' + image + '"}]}').encode()
        text_placeholders.cache_clear()
        image_placeholders.cache_clear()
        return calls(engine.check_bytes, "td.json", raw)

    grows_linearly(work, 150)
    raw = b'{"family": "f", "containerDefinitions": [{"name": "c", "image": "\\u0041<a><b>"}]}'
    spans = [f.span for f in engine.check_bytes("td.json", raw).findings if f.rule_id == "ECS304"]
    assert [(s.start.column, s.end.column) for s in spans if s is not None] == [(72, 75), (75, 78)]


def test_a_crash_outside_the_checks_is_an_internal_error_of_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.engine import pipeline

    def crash(path: str, raw: bytes, size: int | None = None) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "parse", crash)
    result = Engine(builtin()).check_bytes("td.json", b'{"family": "web", "containerDefinitions": []}')
    assert [(e.path, e.rule_id, e.message) for e in result.internal_errors] == [
        ("td.json", "", "RecursionError: maximum recursion depth exceeded")
    ]
    assert "Traceback" in result.internal_errors[0].traceback
    assert result.findings == []


def test_a_crash_in_the_usage_checks_is_an_internal_error_of_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.engine import pipeline

    def crash(path: str, raw: bytes, size: int | None = None) -> None:
        raise MemoryError

    monkeypatch.setattr(pipeline, "parse", crash)
    result = Engine(builtin()).check_usages("service.json", b"{}", lambda reference: None)
    assert [(e.path, e.rule_id, e.message) for e in result.internal_errors] == [("service.json", "", "MemoryError: ")]


# -- one finding per mistake ---------------------------------------------------------------------

PASTED_DESCRIBE_OUTPUT = b"""{
  "taskDefinitionArn": "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:3",
  "family": "web",
  "revision": 3,
  "status": "ACTIVE",
  "requiresAttributes": [
    {"name": "com.amazonaws.ecs.capability.logging-driver.awslogs", "targetId": null, "value": null},
    {"name": "ecs.capability.execution-role-awslogs", "targetType": null}
  ],
  "compatibilities": ["EC2", "FARGATE"],
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "<CPU>",
  "memory": "512",
  "hostname": null,
  "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]
}
"""


def test_describe_output_pasted_as_input_is_one_finding_and_nothing_inside_it_again() -> None:
    result = Engine(builtin()).check_bytes("td.json", PASTED_DESCRIBE_OUTPUT)
    errors = [(f.rule_id, f.pointer, f.span.start.line if f.span else 0) for f in result.findings]
    errors = [e for e in errors if e[0] in ("ECS025", "ECS026", "ECS102", "ECS304")]
    # before: six ECS025, two ECS026 inside requiresAttributes, ECS102 on the placeholder cpu
    assert errors == [("ECS025", "/taskDefinitionArn", 2), ("ECS304", "/cpu", 13), ("ECS026", "/hostname", 15)]
    (read_only,) = [f for f in result.findings if f.rule_id == "ECS025"]
    assert [(p.pointer, p.span.start.line if p.span else 0) for p in read_only.occurrences] == [
        ("/taskDefinitionArn", 2),
        ("/revision", 4),
        ("/status", 5),
        ("/requiresAttributes", 6),
        ("/compatibilities", 10),
    ]


def test_a_placeholder_token_is_one_finding_with_its_count_and_lines() -> None:
    text = b"""{
  "family": "web",
  "taskRoleArn": "arn:aws:iam::ACCOUNT_ID:role/web",
  "executionRoleArn": "arn:aws:iam::ACCOUNT_ID:role/exec",
  "containerDefinitions": [
    {"name": "web", "image": "ACCOUNT_ID.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.4"}
  ]
}
"""
    result = Engine(builtin()).check_bytes("td.json", text)
    (finding,) = [f for f in result.findings if f.rule_id == "ECS304"]
    assert finding.message == "'ACCOUNT_ID' is a placeholder, not an AWS account id; 2 more on lines 4, 6"
    assert finding.span is not None and (finding.span.start.line, finding.span.start.column) == (3, 32)
    assert [(p.span.start.line, p.span.start.column) for p in finding.occurrences if p.span] == [
        (3, 32),
        (4, 37),
        (6, 31),
    ]


def test_a_covering_finding_hides_other_rules_at_or_below_its_pointer_only() -> None:
    from ecslint.engine.pipeline import _uncovered

    cover = Violation("/a", covers=("/a",))
    found = [
        ("R1", cover),
        ("R2", Violation("/a")),  # the same node: the same mistake again
        ("R2", Violation("/a/b/0")),  # inside it
        ("R2", Violation("/ab")),  # a sibling whose name starts alike: kept
        ("R1", Violation("/a/c")),  # the covering rule's own findings: kept
    ]
    assert [(rule, v.pointer) for rule, v in _uncovered(found)] == [("R1", "/a"), ("R2", "/ab"), ("R1", "/a/c")]
    # two rules that each report the same node as a whole both stay
    both = [("R1", cover), ("R3", Violation("/a", covers=("/a",)))]
    assert _uncovered(both) == both


# -- one finding per mistake in a file of several task definitions (issue 12) ------------------

THREE_TASKS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskA:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: a
      ExecutionRoleArn: "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole"{comment}
      ContainerDefinitions:
        - Name: a
          Image: "nginx:1.27"
          Environment:
            - {{Name: X, Value: "${{A}}"}}
  TaskB:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: b
      ExecutionRoleArn: "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole"{tags}
      ContainerDefinitions:
        - Name: b
          Image: "<IMAGE1_NAME>"
          Environment:
            - {{Name: X, Value: "${{B}}"}}
  TaskC:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: c
      ExecutionRoleArn: "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole"
      ContainerDefinitions:
        - Name: c
          Image: "nginx:1.27"
"""


def _placeholder_findings(text: str, name: str = "stack.yaml") -> list[tuple[str, str, int, int]]:
    result = Engine(builtin()).check_bytes(name, text.encode())
    return [
        (f.rule_id, f.message, f.span.start.line if f.span else 0, len(f.occurrences))
        for f in result.findings
        if f.rule_id in ("ECS304", "ECS305", "ECS090")
    ]


def test_a_placeholder_in_several_task_definitions_of_a_file_is_one_finding() -> None:
    # before: one ECS304 per task definition (three), and one ECS305 per task definition plus one
    # for TaskB's CodeDeploy image placeholder (three)
    assert _placeholder_findings(THREE_TASKS.format(comment="", tags="")) == [
        (
            "ECS304",
            "TaskA, TaskB, TaskC: '<ACCOUNT_ID>' is a placeholder, not an AWS account id; 2 more on lines 17, 27",
            7,
            3,
        ),
        (
            "ECS305",
            "TaskA, TaskB: template variables that ECS takes literally: '${A}', '<IMAGE1_NAME>', '${B}' "
            "(3 occurrences on lines 12, 20, 22)",
            12,
            3,
        ),
    ]


def test_terraform_resources_of_one_file_give_one_finding_per_token() -> None:
    resource = """\
resource "aws_ecs_task_definition" "{name}" {{
  family                = "{name}"
  execution_role_arn    = "arn:aws:iam::ACCOUNT_ID:role/ecsTaskExecutionRole"
  container_definitions = jsonencode([{{
    name = "{name}", image = "nginx:1.27", environment = [{{ name = "X", value = "{{{{ X }}}}" }}]
  }}])
}}
"""
    text = resource.format(name="a") + "\n" + resource.format(name="b")
    found = _placeholder_findings(text, "main.tf")
    assert [(rule, line, count) for rule, _, line, count in found] == [("ECS304", 3, 2), ("ECS305", 5, 2)]
    assert found[0][1].startswith("aws_ecs_task_definition.a, aws_ecs_task_definition.b: 'ACCOUNT_ID'")
    assert found[0][1].endswith("; 1 more on line 11")


def test_an_ignore_comment_where_the_finding_is_reported_hides_it_all() -> None:
    text = THREE_TASKS.format(comment="  # ecslint: ignore[ECS304]", tags="")
    assert [f[0] for f in _placeholder_findings(text)] == ["ECS305"]  # no ECS304, no unused ECS090


def test_a_suppression_of_another_task_definition_takes_its_places_out() -> None:
    tags = '\n      Tags: [{Key: "ecslint:ignore", Value: "ECS304 ECS305"}]'
    assert _placeholder_findings(THREE_TASKS.format(comment="", tags=tags)) == [
        ("ECS304", "TaskA, TaskC: '<ACCOUNT_ID>' is a placeholder, not an AWS account id; 1 more on line 28", 7, 2),
        ("ECS305", "TaskA: '${A}' is a template variable that ECS takes literally", 12, 0),
    ]


def test_a_token_one_task_definition_reports_is_the_same_mistake_in_another_where_aws_does_not_check_it() -> None:
    role = """\
  A:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ExecutionRoleArn: "<EXECUTION_ROLE_ARN>"
      ContainerDefinitions:
        - {Name: a, Image: "nginx:1.27"}
"""
    environment = """\
  B:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: b
          Image: "nginx:1.27"
          Environment: [{Name: ROLE, Value: "<EXECUTION_ROLE_ARN>"}]
"""
    # before: ECS304 in A and ECS305 ("a template variable") in B, for the one token
    assert _placeholder_findings("Resources:\n" + role + environment) == [
        ("ECS304", "A, B: '<EXECUTION_ROLE_ARN>' is placeholder text; 1 more on line 14", 5, 2)
    ]
    assert _placeholder_findings("Resources:\n" + environment + role) == [  # whichever comes first
        ("ECS304", "B, A: '<EXECUTION_ROLE_ARN>' is placeholder text; 1 more on line 12", 8, 2)
    ]
    # alone, the environment value is a template variable, as before
    assert [f[0] for f in _placeholder_findings("Resources:\n" + environment)] == ["ECS305"]


def test_the_input_of_another_ecs_request_named_explicitly_is_a_warning() -> None:
    """``aws ecs update-service --cli-input-json`` input without a task definition is no mistake."""
    text = b'{"cluster": "c", "deploymentConfiguration": {"maximumPercent": 200}, "forceNewDeployment": true}'
    found = Engine(builtin()).check_bytes("service-definition.json", text).findings
    assert [(f.rule_id, f.severity.label) for f in found] == [("ECS013", "warning")]
    assert "the input of another ECS request" in found[0].message
    plain = Engine(builtin()).check_bytes("package.json", b'{"name": "x", "version": "1.0.0"}').findings
    assert [(f.rule_id, f.severity.label) for f in plain] == [("ECS013", "error")]
