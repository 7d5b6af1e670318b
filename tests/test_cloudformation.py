from __future__ import annotations

import json

from ecslint.catalogue.entries import builtin
from ecslint.engine.pipeline import Engine
from ecslint.readers.cloudformation import api_name, to_api

ENGINE = Engine(builtin())

TEMPLATE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
  Api:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: 256
      Memory: 4096
      ExecutionRoleArn: !GetAtt Role.Arn
      ContainerDefinitions:
        - Name: api
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/api:1"
          Essential: "true"
          Memroy: 512
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: /ecs/api
              awslogs-region: !Ref AWS::Region
              awslogs-stream-prefix: api
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: !Ref WorkerCpu
      ContainerDefinitions:
        - Name: worker
          Image: worker:2
          Memory: "256"
"""


def _found(text: str, name: str = "template.yaml") -> list[tuple[str, str, int, int, str]]:
    result = ENGINE.check_bytes(name, text.encode())
    assert not result.internal_errors
    return [
        (f.rule_id, f.pointer, f.span.start.line, f.span.start.column, f.message) for f in result.findings if f.span
    ]


def test_api_names() -> None:
    assert api_name("ContainerDefinitions") == "containerDefinitions"
    assert api_name("EFSVolumeConfiguration") == "efsVolumeConfiguration"
    assert api_name("FilesystemId") == "fileSystemId"
    assert api_name("awslogs-group") == "awslogs-group"


def test_to_api_keeps_free_form_map_keys_and_intrinsics() -> None:
    data, renamed = to_api(
        {
            "DockerLabels": {"Team": "x"},
            "Cpu": {"Ref": "Cpu"},
            "ProxyConfiguration": {"ProxyConfigurationProperties": []},
        }
    )
    assert data == {"dockerLabels": {"Team": "x"}, "cpu": {"Ref": "Cpu"}, "proxyConfiguration": {"properties": []}}
    assert renamed["/proxyConfiguration/properties"] == "/ProxyConfiguration/ProxyConfigurationProperties"


def test_each_task_definition_resource_is_checked_in_template_coordinates() -> None:
    found = _found(TEMPLATE)
    assert (
        "ECS102",
        "/Resources/Api/Properties/Memory",
        10,
        15,
        "Api: memory 4096 is not offered with cpu 256 on Fargate",
    ) in found
    unknown = [f for f in found if f[0] == "ECS020"]
    assert [(f[1], f[2], f[3]) for f in unknown] == [
        ("/Resources/Api/Properties/ContainerDefinitions/0/Memroy", 16, 11)
    ]
    # CloudFormation converts scalars ("true", 256, "256") and names the family itself
    assert not [f for f in found if f[0] in ("ECS021", "ECS023")]
    # intrinsics are unknown values: the worker's Fargate-ness and cpu are not guessed
    assert not [f for f in found if "/Worker/" in f[1] and f[0].startswith("ECS1")]


def test_json_templates_too() -> None:
    template = {
        "Resources": {
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {"ContainerDefinitions": [{"Name": "a", "Image": "a:1", "Essential": False}]},
            }
        }
    }
    found = _found(json.dumps(template, indent=2), "template.json")
    errors = sorted((f[0], f[1]) for f in found if f[0] in ("ECS201", "ECS108"))
    assert errors == [
        ("ECS108", "/Resources/Task/Properties/ContainerDefinitions/0"),  # EC2 by default: no memory anywhere
        ("ECS201", "/Resources/Task/Properties/ContainerDefinitions"),
    ]


def test_a_template_without_task_definitions() -> None:
    text = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
    assert [(f[0], f[4]) for f in _found(text)] == [
        ("ECS013", "a CloudFormation template without an AWS::ECS::TaskDefinition resource")
    ]
    assert ENGINE.check_bytes("t.yaml", text.encode(), explicit=False).is_task_definition is False
    # a valid template of another stack registers no task definition: a warning, not a rejection
    assert [f.severity.label for f in ENGINE.check_bytes("t.yaml", text.encode()).findings] == ["warning"]


def test_container_definition_arrays_are_checked_without_task_level_rules() -> None:
    containers = [
        {"name": "app", "image": "app:latest", "essential": True, "secrets": [{"name": "A", "valueFrom": "/a"}],
         "memory": 512, "memoryReservation": None},
        {"name": "app", "image": "side:1", "essential": False, "hostPort": 80},
    ]  # fmt: skip
    found = _found(json.dumps(containers, indent=2), "container_definitions.json")
    rules = {f[0] for f in found}
    assert "ECS210" in rules  # container rules still run
    assert "ECS020" in rules  # hostPort belongs in portMappings
    assert not rules & {"ECS023", "ECS026", "ECS303", "ECS101", "ECS103"}  # nothing task-level, nulls are unset
    pointers = {f[1] for f in found}
    assert "/0/image" in pointers and all(not p.startswith("/containerDefinitions") for p in pointers)


def test_a_key_twice_in_a_template_is_a_warning_naming_what_refuses_it() -> None:
    """CloudFormation keeps the last value; aws cloudformation deploy and Terraform refuse the
    template (docs/facts.md 30): the outcome depends on how it is deployed."""
    text = (
        "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: a\n      Family: b\n"
        "      ContainerDefinitions:\n        - Name: a\n          Image: a:1.2\n          Memory: 512\n"
    )
    found = [f for f in ENGINE.check_bytes("stack.yaml", text.encode()).findings if f.rule_id == "ECS011"]
    assert [(f.severity.label, f.span.start.line if f.span else 0) for f in found] == [("warning", 6)]
    assert "CloudFormation keeps only this last value" in found[0].message


def test_a_dynamic_reference_is_resolved_by_cloudformation_not_a_template_variable() -> None:
    text = (
        "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: a\n"
        "      ContainerDefinitions:\n        - Name: a\n          Image: a:1.2\n          Memory: 512\n"
        "          Environment:\n            - Name: P\n"
        '              Value: "{{resolve:secretsmanager:db:SecretString:password}}"\n'
        '            - Name: Q\n              Value: "{{ STAGE }}"\n'
    )
    found = [f for f in ENGINE.check_bytes("stack.yaml", text.encode()).findings if f.rule_id == "ECS305"]
    assert [(f.span.start.line if f.span else 0, f.message) for f in found] == [
        (14, "T: '{{ STAGE }}' is a template variable that ECS takes literally")
    ]
