"""The worked examples in examples/api/: the CDK validation plugin and the Pulumi policy, without the CDK or Pulumi."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

import ecslint

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "api"
# cdk.out/WebStack.template.json of a real synthesis (aws-cdk-lib 2.275.0, Python, Node.js 20): a
# FargateTaskDefinition with cpu 256 and memory 4096 and one container (nginx:1.27, awslogs)
SYNTHESIZED = Path(__file__).parent / "fixtures" / "cdk-WebStack.template.json"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cdk_plugin_reports_the_synthesized_task_definition_s_errors() -> None:
    cdk = _load(EXAMPLES / "cdk_validation.py")
    found = cdk.violations([str(SYNTHESIZED)])
    assert found == [
        {
            "rule_name": "ECS102 unsupported-fargate-size",
            "description": "TaskDef54694570: memory 4096 is not offered with cpu 256 on Fargate",
            "fix": "use one of: 512, 1024, 2048",
            "resources": [
                {
                    "resource_logical_id": "TaskDef54694570",
                    "template_path": str(SYNTHESIZED),
                    "locations": ["Properties/Memory"],
                }
            ],
        }
    ]


def test_the_cdk_plugin_passes_a_good_template_and_leaves_intrinsics_alone(tmp_path: Path) -> None:
    cdk = _load(EXAMPLES / "cdk_validation.py")
    template = json.loads(SYNTHESIZED.read_text("utf-8"))
    template["Resources"]["TaskDef54694570"]["Properties"]["Memory"] = "512"
    good = tmp_path / "WebStack.template.json"
    good.write_text(json.dumps(template), "utf-8")
    assert cdk.violations([str(good)]) == []
    assert cdk.violations([str(good)], fail_on="info") == []  # the Fn::Join image, Ref group: no guesses


def test_a_real_cdk_synthesis_fails_on_an_ecslint_error(tmp_path: Path) -> None:
    """Only where aws-cdk-lib (and Node.js) are installed; the project's test extra does not have them."""
    cdk = pytest.importorskip("aws_cdk")
    from aws_cdk import aws_ecs as ecs

    plugin = _load(EXAMPLES / "cdk_validation.py").EcslintPlugin

    def synth(memory: int) -> str:
        app = cdk.App(outdir=str(tmp_path / f"out-{memory}"))
        cdk.Validations.of(app).add_plugins(plugin())
        stack = cdk.Stack(app, "WebStack")
        task = ecs.FargateTaskDefinition(stack, "TaskDef", cpu=256, memory_limit_mib=memory)
        task.add_container("web", image=ecs.ContainerImage.from_registry("nginx:1.27"))
        try:
            app.synth()
        except Exception as error:  # jsii raises RuntimeError("ValidationFailed: ...")
            return str(error)
        return "ok"

    assert "ValidationFailed" in synth(4096)
    assert synth(512) == "ok"


def test_the_cdk_plugin_class_needs_the_cdk_only_when_asked_for() -> None:
    cdk = _load(EXAMPLES / "cdk_validation.py")
    if importlib.util.find_spec("aws_cdk") is None:
        try:
            cdk.EcslintPlugin  # noqa: B018
        except ImportError:
            return
        raise AssertionError("EcslintPlugin should need aws_cdk")
    assert cdk.EcslintPlugin().name == "ecslint"  # pragma: no cover - where the CDK is installed


def _pulumi_resource(**props: Any) -> SimpleNamespace:
    containers = [
        {
            "name": "web",
            "image": "nginx:1.27",
            "essential": True,
            "portMappings": [{"containerPort": 80, "hostPort": 8080}],
        }
    ]
    inputs = {
        "family": "web",
        "cpu": "256",
        "memory": "512",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": json.dumps(containers),
        "volumes": [{"name": "data", "hostPath": "/var/run/docker.sock"}],
        "tags": {"team": "web"},
        **props,
    }
    return SimpleNamespace(resource_type="aws:ecs/taskDefinition:TaskDefinition", props=inputs, name="web-task")


def test_the_pulumi_policy_reports_errors_only() -> None:
    sys.path.insert(0, str(EXAMPLES / "pulumi-policy"))
    try:
        policy = _load(EXAMPLES / "pulumi-policy" / "ecslint_policy.py")
    finally:
        sys.path.pop(0)
    reported: list[str] = []
    policy.validate_task_definition(_pulumi_resource(), reported.append)
    rules = [message.split()[0] for message in reported]
    warnings = {f.rule for f in ecslint.check(policy.register_input(_pulumi_resource().props))}
    assert "ECS602" in warnings and "ECS602" not in rules  # a writable root file system: a warning
    assert rules == ["ECS120", "ECS140"], reported  # awsvpc hostPort; a host path on Fargate
    assert "at /containerDefinitions/0/portMappings/0/hostPort" in reported[0]
    fixed: list[str] = []
    resource = _pulumi_resource(containerDefinitions=json.dumps([{"name": "web", "image": "nginx:1.27"}]), volumes=[])
    policy.validate_task_definition(resource, fixed.append)
    assert fixed == []


def test_the_pulumi_policy_maps_the_provider_s_spelling_and_skips_unknowns() -> None:
    policy = _load(EXAMPLES / "pulumi-policy" / "ecslint_policy.py")
    document = policy.register_input(_pulumi_resource().props)
    assert document["volumes"] == [{"name": "data", "host": {"sourcePath": "/var/run/docker.sock"}}]
    assert "tags" not in document and document["containerDefinitions"][0]["name"] == "web"
    assert policy.register_input({"family": "web"}) is None  # containerDefinitions not known yet
    other: list[str] = []
    policy.validate_task_definition(SimpleNamespace(resource_type="aws:s3/bucket:Bucket", props={}), other.append)
    assert other == []


def test_the_pulumi_policy_with_the_sdk_s_own_arguments_and_unknown_values() -> None:
    """Only where pulumi-policy is installed (not in the project's test extra): the SDK's
    ResourceValidationArgs and its read-checking proxy, with values unknown during preview."""
    pytest.importorskip("pulumi_policy")
    from pulumi.runtime.rpc import UNKNOWN
    from pulumi_policy.policy import PolicyResourceOptions, ResourceValidationArgs
    from pulumi_policy.proxy import unknown_checking_proxy

    policy = _load(EXAMPLES / "pulumi-policy" / "ecslint_policy.py")

    def args(**changes: Any) -> Any:
        props = {**_pulumi_resource().props, "volumes": [], **changes}
        options = PolicyResourceOptions(False, [], False, [], None, [])  # type: ignore[arg-type]
        return ResourceValidationArgs(
            policy.RESOURCE_TYPE,
            unknown_checking_proxy(props),
            "urn:pulumi:dev::web::aws:ecs/taskDefinition:TaskDefinition::web",
            "web",
            options,
            None,
        )

    reported: list[str] = []
    policy.validate_task_definition(args(), reported.append)
    assert [message.split()[0] for message in reported] == ["ECS120"]
    reported.clear()
    policy.validate_task_definition(
        args(executionRoleArn=UNKNOWN, volumes=[{"name": "data", "hostPath": UNKNOWN}]), reported.append
    )
    assert [message.split()[0] for message in reported] == ["ECS120"]  # the unknowns are not judged
    reported.clear()
    policy.validate_task_definition(args(containerDefinitions=UNKNOWN), reported.append)
    assert reported == []
