"""The policy's logic, without Pulumi: an ``aws.ecs.TaskDefinition``'s inputs -> ecslint -> violations.

The AWS provider spells the task definition's members as the ECS API does (camelCase), except
that ``containerDefinitions`` is a JSON string and a volume's host path is ``hostPath``.  Members
the API does not take (tags, skipDestroy, trackLatest) are left out.  When a value is not known
yet (``pulumi preview`` before the resources it depends on exist), the definition is not judged.
tests/test_api_examples.py runs ``validate_task_definition`` with a hand-written resource.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ecslint

RESOURCE_TYPE = "aws:ecs/taskDefinition:TaskDefinition"
_SAME = (
    "family", "cpu", "memory", "networkMode", "requiresCompatibilities", "executionRoleArn", "taskRoleArn",
    "pidMode", "ipcMode", "runtimePlatform", "ephemeralStorage", "placementConstraints", "inferenceAccelerators",
)  # fmt: skip


def register_input(props: dict[str, Any]) -> dict[str, Any] | None:
    """The register-task-definition input the resource's inputs stand for (None: not known yet)."""
    containers = props.get("containerDefinitions")
    if not isinstance(containers, str):
        return None
    document: dict[str, Any] = {"containerDefinitions": json.loads(containers)}
    document.update({key: props[key] for key in _SAME if props.get(key) is not None})
    volumes = []
    for volume in props.get("volumes") or []:
        volume = dict(volume)
        host_path = volume.pop("hostPath", None)
        if host_path is not None:
            volume["host"] = {"sourcePath": host_path}
        volumes.append(volume)
    if volumes:
        document["volumes"] = volumes
    proxy = props.get("proxyConfiguration")
    if proxy:
        proxy = dict(proxy)
        if isinstance(proxy.get("properties"), dict):
            proxy["properties"] = [{"name": k, "value": v} for k, v in proxy["properties"].items()]
        document["proxyConfiguration"] = proxy
    return document


def validate_task_definition(args: Any, report_violation: Callable[..., None]) -> None:
    """A ``ResourceValidationPolicy``'s ``validate``: one violation per ecslint error."""
    if args.resource_type != RESOURCE_TYPE:
        return
    document = register_input(dict(args.props))
    if document is None:
        return
    for finding in ecslint.check(document, path=getattr(args, "name", None) or "task definition"):
        if finding.severity == "error":
            where = f" at {finding.pointer}" if finding.pointer else ""
            hint = f" ({finding.hint})" if finding.hint else ""
            report_violation(f"{finding.rule} {finding.message}{where}{hint}")
