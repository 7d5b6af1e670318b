"""Service checks (ECS70x): a service and the task definition it runs, from one template or .tf file."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.checks import services
from ecslint.core.model import JSON
from ecslint.core.taskdef import TaskDef
from ecslint.core.usage import Usage
from ecslint.engine.pipeline import Engine
from ecslint.readers.sources import documents, parse
from tests.conftest import CORPUS, needs_corpus

ENGINE = Engine(builtin())
ECSLINT = Path(sys.executable).parent / "ecslint"


def _service(service: dict[str, JSON], task: dict[str, JSON]) -> Usage:
    return Usage(service, TaskDef(task, "cloudformation"), "Service", "TaskDefinition")


def _found(check: object, service: dict[str, JSON], task: dict[str, JSON]) -> list[tuple[str, str]]:
    return [(v.pointer, v.variant) for v in check(_service(service, task))]  # type: ignore[operator]


WEB = {"containerDefinitions": [{"name": "app", "image": "nginx:1.27", "portMappings": [{"containerPort": 80}]}]}


def test_container_missing_in_load_balancers_and_registries() -> None:
    service: dict[str, JSON] = {
        "loadBalancers": [{"containerName": "web", "containerPort": 80}, {"containerName": "app", "containerPort": 80}],
        "serviceRegistries": [{"containerName": "api", "registryArn": "arn"}],
    }
    assert _found(services.service_container_missing, service, WEB) == [
        ("/loadBalancers/0/containerName", "default"),
        ("/serviceRegistries/0/containerName", "registry"),
    ]


def test_container_names_known_only_at_deploy_time_silence_the_check() -> None:
    task: dict[str, JSON] = {"containerDefinitions": [{"name": {"Ref": "Name"}, "image": "nginx:1.27"}]}
    service: dict[str, JSON] = {"loadBalancers": [{"containerName": "web", "containerPort": 80}]}
    assert _found(services.service_container_missing, service, task) == []
    task = {"containerDefinitions": {"Fn::If": ["C", [], []]}}
    assert _found(services.service_container_missing, service, task) == []
    service = {"loadBalancers": [{"containerName": {"Ref": "Container"}, "containerPort": 80}]}
    assert _found(services.service_container_missing, service, WEB) == []


def test_port_not_mapped_and_port_ranges() -> None:
    service: dict[str, JSON] = {"loadBalancers": [{"containerName": "app", "containerPort": 8080}]}
    assert _found(services.service_container_port_not_mapped, service, WEB) == [
        ("/loadBalancers/0/containerPort", "default")
    ]
    ranged: dict[str, JSON] = {
        "containerDefinitions": [{"name": "app", "image": "x:1", "portMappings": [{"containerPortRange": "8000-8100"}]}]
    }
    assert _found(services.service_container_port_not_mapped, service, ranged) == []
    bare: dict[str, JSON] = {"containerDefinitions": [{"name": "app", "image": "x:1"}]}
    assert _found(services.service_container_port_not_mapped, service, bare) == [
        ("/loadBalancers/0/containerPort", "none")
    ]
    unknown: dict[str, JSON] = {
        "containerDefinitions": [{"name": "app", "image": "x:1", "portMappings": [{"containerPort": {"Ref": "P"}}]}]
    }
    assert _found(services.service_container_port_not_mapped, service, unknown) == []


def test_launch_type_only_fargate_is_judged() -> None:
    ec2_only: dict[str, JSON] = {"requiresCompatibilities": ["EC2"], **WEB}
    assert _found(services.launch_type_not_compatible, {"launchType": "FARGATE"}, ec2_only) == [
        ("/launchType", "default")
    ]
    assert _found(services.launch_type_not_compatible, {"launchType": "FARGATE"}, WEB) == [("/launchType", "omitted")]
    fargate: dict[str, JSON] = {"requiresCompatibilities": ["FARGATE"], **WEB}
    # A task definition that requires FARGATE is EC2-compatible too; EXTERNAL is not judged.
    for launch_type in ("FARGATE", "EC2", "EXTERNAL"):
        assert _found(services.launch_type_not_compatible, {"launchType": launch_type}, fargate) == []
    unknown: dict[str, JSON] = {"requiresCompatibilities": [{"Ref": "Compat"}], **WEB}
    assert _found(services.launch_type_not_compatible, {"launchType": "FARGATE"}, unknown) == []


def test_network_configuration_both_ways() -> None:
    awsvpc: dict[str, JSON] = {"networkMode": "awsvpc", **WEB}
    assert _found(services.network_configuration_mismatch, {"taskDefinition": {"Ref": "T"}}, awsvpc) == [
        ("/taskDefinition", "missing")
    ]
    configured: dict[str, JSON] = {"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"]}}}
    assert _found(services.network_configuration_mismatch, configured, awsvpc) == []
    assert _found(services.network_configuration_mismatch, configured, WEB) == [("/networkConfiguration", "default")]
    conditional: dict[str, JSON] = {"networkConfiguration": {"Fn::If": ["C", {}, {"Ref": "AWS::NoValue"}]}}
    assert _found(services.network_configuration_mismatch, conditional, WEB) == []
    unknown_mode: dict[str, JSON] = {"networkMode": {"Ref": "Mode"}, **WEB}
    assert _found(services.network_configuration_mismatch, {}, unknown_mode) == []


def test_grace_period_needs_a_load_balancer() -> None:
    assert _found(services.grace_period_without_load_balancer, {"healthCheckGracePeriodSeconds": 30}, WEB) == [
        ("/healthCheckGracePeriodSeconds", "default")
    ]
    for service in (
        {"healthCheckGracePeriodSeconds": 0},
        {"healthCheckGracePeriodSeconds": 30, "loadBalancers": [{"containerName": "app", "containerPort": 80}]},
        {"healthCheckGracePeriodSeconds": 30, "loadBalancers": {"Fn::If": ["C", [], []]}},
        {"healthCheckGracePeriodSeconds": {"Ref": "Grace"}},
    ):
        assert _found(services.grace_period_without_load_balancer, service, WEB) == []  # type: ignore[arg-type]
    assert _found(
        services.grace_period_without_load_balancer, {"healthCheckGracePeriodSeconds": 30, "loadBalancers": []}, WEB
    ) == [("/healthCheckGracePeriodSeconds", "default")]


def test_service_connect_port_names() -> None:
    named: dict[str, JSON] = {
        "containerDefinitions": [
            {"name": "api", "image": "x:1", "portMappings": [{"containerPort": 8080, "name": "http"}]},
            {"name": "admin", "image": "x:1", "portMappings": [{"containerPort": 9090, "name": "admin"}]},
        ]
    }
    service: dict[str, JSON] = {
        "serviceConnectConfiguration": {"enabled": True, "services": [{"portName": "admin"}, {"portName": "grpc"}]}
    }
    assert _found(services.unknown_service_connect_port_name, service, named) == [
        ("/serviceConnectConfiguration/services/1/portName", "default")
    ]
    disabled: dict[str, JSON] = {"serviceConnectConfiguration": {"enabled": False, "services": [{"portName": "x"}]}}
    assert _found(services.unknown_service_connect_port_name, disabled, named) == []
    unknown: dict[str, JSON] = {
        "containerDefinitions": [{"name": "api", "image": "x:1", "portMappings": [{"name": {"Ref": "PortName"}}]}]
    }
    assert _found(services.unknown_service_connect_port_name, service, unknown) == []


PAIRED = """\
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx:1.27
          Memory: 256
          PortMappings: [{ContainerPort: 80}]
  ByRef:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Web
      LoadBalancers: [{ContainerName: web, ContainerPort: 80}]
  ByGetAtt:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !GetAtt Web.TaskDefinitionArn
      LoadBalancers: [{ContainerName: web, ContainerPort: 80}]
  ByArn:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3
      LoadBalancers: [{ContainerName: web, ContainerPort: 80}]
  ByParameter:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinitionArn
      LoadBalancers: [{ContainerName: web, ContainerPort: 80}]
"""


def test_services_pair_with_task_definitions_of_the_same_template_only() -> None:
    docs = documents(parse("template.yaml", PAIRED.encode())) or []
    paired = {doc.label: doc.task.label for doc in docs if doc.task is not None}
    assert paired == {"ByRef": "Web", "ByGetAtt": "Web"}
    result = ENGINE.check_bytes("template.yaml", PAIRED.encode())
    found = [(f.rule_id, f.pointer, f.message) for f in result.findings if f.rule_id.startswith("ECS7")]
    assert found == [
        (
            "ECS701",
            "/Resources/ByRef/Properties/LoadBalancers/0/ContainerName",
            "ByRef: load balancer names container 'web', which task definition Web does not have "
            "(its containers: 'app')",
        ),
        (
            "ECS701",
            "/Resources/ByGetAtt/Properties/LoadBalancers/0/ContainerName",
            "ByGetAtt: load balancer names container 'web', which task definition Web does not have "
            "(its containers: 'app')",
        ),
    ]


def test_a_service_is_not_checked_as_a_task_definition() -> None:
    """No task-definition rule (schema, containers...) runs on the service's own properties."""
    result = ENGINE.check_bytes("template.yaml", PAIRED.encode())
    on_services = [f for f in result.findings if "/Resources/By" in f.pointer and not f.rule_id.startswith("ECS7")]
    assert on_services == []


def test_cli_reports_the_position_in_the_service(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    template.write_text(PAIRED, "utf-8")
    completed = subprocess.run(
        [str(ECSLINT), "check", "--select", "ECS7", str(template)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 1, completed.stderr
    assert f"{template}:14:39: ECS701 error ByRef: load balancer names container 'web'" in completed.stdout
    assert f"{template}:19:39: ECS701 error ByGetAtt:" in completed.stdout


def _corpus_templates() -> list[Path]:
    folder = CORPUS / "cfn"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@needs_corpus
@pytest.mark.slow
def test_real_templates_pair_and_a_renamed_container_is_found_once() -> None:
    """Real templates deployed as they are: no service finding.  Renaming the container a load
    balancer names in each of them gives exactly one ECS701 there, and nothing else new."""
    mutated = 0
    for path in _corpus_templates():
        raw = path.read_bytes()
        before = ENGINE.check_bytes(str(path), raw)
        assert not [f for f in before.findings if f.rule_id.startswith("ECS70") and f.rule_id != "ECS706"], path
        parsed = parse(str(path), raw)
        for doc in documents(parsed) or []:
            if doc.task is None or not isinstance(parsed.data, dict):
                continue
            properties = parsed.data["Resources"][doc.label]["Properties"]  # type: ignore[index,call-overload]
            balancers = properties.get("LoadBalancers")
            if not isinstance(balancers, list) or not balancers or not isinstance(balancers[0], dict):
                continue
            if not isinstance(balancers[0].get("ContainerName"), str):
                continue
            data = copy.deepcopy(parsed.data)
            data["Resources"][doc.label]["Properties"]["LoadBalancers"][0]["ContainerName"] = "no-such-container"
            after = ENGINE.check_bytes("mutated.json", json.dumps(data).encode())
            new = {(f.rule_id, f.pointer) for f in after.findings} - {(f.rule_id, f.pointer) for f in before.findings}
            pointer = f"/Resources/{doc.label}/Properties/LoadBalancers/0/ContainerName"
            assert new == {("ECS701", pointer)}, (path.name, new)
            mutated += 1
    assert mutated >= 3


TERRAFORM = """\
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "example/app:1.4.2"
      portMappings = [{ containerPort = 3000, name = "http" }]
    }
  ])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  task_definition = "${aws_ecs_task_definition.app.id}"
  launch_type     = "FARGATE"

  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "web"
    container_port   = 3000
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "app"
    container_port   = 80
  }
  network_configuration {
    subnets = var.subnets
  }
  service_connect_configuration {
    enabled = true
    service {
      port_name = "http"
    }
    service {
      port_name = "grpc"
    }
  }
}

resource "aws_ecs_service" "elsewhere" {
  task_definition = var.task_definition_arn
  load_balancer {
    container_name = "web"
    container_port = 1
  }
}
"""


def test_terraform_services_in_the_same_file_with_positions() -> None:
    result = ENGINE.check_bytes("main.tf", TERRAFORM.encode())
    found = [
        (f.rule_id, f.pointer, f.span.start.line if f.span else None, f.span.start.column if f.span else None)
        for f in result.findings
        if f.rule_id.startswith("ECS7")
    ]
    base = "/resource/aws_ecs_service/app"
    assert found == [
        ("ECS701", f"{base}/load_balancer/0/container_name", 23, 24),
        ("ECS702", f"{base}/load_balancer/1/container_port", 29, 24),
        ("ECS706", f"{base}/service_connect_configuration/service/1/port_name", 40, 19),
    ]


def _corpus_files(kind: str) -> list[Path]:
    folder = CORPUS / kind
    return sorted(folder.iterdir()) if folder.is_dir() else []


@needs_corpus
@pytest.mark.slow
def test_real_terraform_services_pair_and_a_renamed_container_is_found_once() -> None:
    import re

    mutated = 0
    for path in _corpus_files("tf"):
        text = path.read_text("utf-8")
        before = ENGINE.check_bytes(str(path), text.encode())
        assert not [f for f in before.findings if f.rule_id.startswith("ECS70")], path
        match = re.search(r'load_balancer\s*\{[^}]*?container_name\s*=\s*"([^"$]+)"', text)
        paired = [d for d in documents(parse(str(path), text.encode())) or [] if d.task is not None]
        if match is None or not paired:
            continue
        task = paired[0].task
        assert task is not None
        # Container names read from a template rendered at plan time are unknown: nothing to say then.
        known = Usage(paired[0].data, TaskDef(task.data, task.origin), "", "").container_names() is not None
        start, end = match.span(1)
        changed = text[:start] + "no-such-container" + text[end:]
        after = ENGINE.check_bytes(str(path), changed.encode())
        new = {f.rule_id for f in after.findings} - {f.rule_id for f in before.findings}
        assert new == ({"ECS701"} if known else set()), (path.name, new)
        if known:
            assert sum(f.rule_id == "ECS701" for f in after.findings) == 1, path.name
            mutated += 1
    assert mutated >= 2  # most real files render their containers from a template at plan time
