"""ecslint in an AWS CDK app (Python): every synthesized task definition is checked, errors fail `cdk synth`.

    from aws_cdk import App, Validations
    from cdk_validation import EcslintPlugin

    app = App()
    Validations.of(app).add_plugins(EcslintPlugin())  # before aws-cdk-lib 2.2xx: App(policy_validation_beta1=[...])

The CDK calls the plugin during synthesis with the paths of the templates it wrote
(``cdk.out/*.template.json``); a report with ``success=False`` makes synthesis fail and the CDK
prints each violation with its resource and location.  The plugin interface is used rather than an
Aspect: an Aspect sees constructs before they are rendered, and the CloudFormation a
``CfnTaskDefinition`` turns into (what ecslint checks) is not reachable from Python.

``violations()`` holds all the logic and imports nothing from the CDK: tests/test_api_examples.py
runs it on a synthesized template, and synthesizes a real app where aws-cdk-lib is installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ecslint


def violations(template_paths: Iterable[str], fail_on: str = "error") -> list[dict[str, Any]]:
    """The CDK report's violations (plain dicts, the PolicyViolationBeta1 fields) for ``template_paths``."""
    levels = {"error": 3, "warning": 2, "info": 1}
    by_rule: dict[str, dict[str, Any]] = {}
    for template_path in template_paths:
        template = json.loads(Path(template_path).read_text("utf-8"))
        resources = template.get("Resources", {})
        task_definitions = {
            logical_id: resource
            for logical_id, resource in resources.items()
            if isinstance(resource, dict) and resource.get("Type") == "AWS::ECS::TaskDefinition"
        }
        if not task_definitions:
            continue
        # the task definitions alone: ecslint judges what it can see, intrinsics are left alone
        for finding in ecslint.check({"Resources": task_definitions}, path=template_path):
            if levels[finding.severity] < levels[fail_on]:
                continue
            parts = finding.pointer.split("/")  # /Resources/<logical id>/Properties/...
            entry = by_rule.setdefault(
                finding.rule,
                {"rule_name": f"{finding.rule} {finding.name}", "description": finding.message, "resources": []},
            )
            entry["fix"] = finding.hint or ""
            entry["resources"].append(
                {
                    "resource_logical_id": parts[2] if len(parts) > 2 else "",
                    "template_path": template_path,
                    "locations": ["/".join(parts[3:])],
                }
            )
    return list(by_rule.values())


def make_plugin() -> Any:
    """The CDK plugin class (imports aws_cdk, so only where the CDK is installed)."""
    import aws_cdk as cdk
    import jsii

    # aws-cdk-lib 2.2xx names the interface without "Beta1"; older releases have only the Beta1 names
    suffix = "" if hasattr(cdk, "IPolicyValidationPlugin") else "Beta1"
    interface = getattr(cdk, f"IPolicyValidationPlugin{suffix}")
    report = getattr(cdk, f"PolicyValidationPluginReport{suffix}")
    violation = getattr(cdk, f"PolicyViolation{suffix}")
    resource = getattr(cdk, f"PolicyViolatingResource{suffix}")

    @jsii.implements(interface)
    class EcslintPlugin:
        def __init__(self, fail_on: str = "error") -> None:
            self.fail_on = fail_on

        @property
        def name(self) -> str:  # a property: jsii reads interface members through properties
            return "ecslint"

        def validate(self, context: Any) -> Any:
            found = violations(context.template_paths, self.fail_on)
            return report(
                success=not found,
                violations=[
                    violation(
                        rule_name=v["rule_name"],
                        description=v["description"],
                        fix=v["fix"],
                        violating_resources=[resource(**r) for r in v["resources"]],
                    )
                    for v in found
                ],
            )

    return EcslintPlugin


def __getattr__(name: str) -> Any:
    if name == "EcslintPlugin":
        return make_plugin()
    raise AttributeError(name)
