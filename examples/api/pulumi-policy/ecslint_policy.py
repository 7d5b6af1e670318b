"""The policy's logic, without Pulumi: an ``aws.ecs.TaskDefinition``'s inputs -> ecslint -> violations.

The AWS provider spells the task definition's members as the ECS API does (camelCase), except
that ``containerDefinitions`` is a JSON string and a volume's host path is ``hostPath``.  Members
the API does not take (tags, skipDestroy, trackLatest) are left out.

During ``pulumi preview`` a value that depends on a resource not created yet is unknown, and the
policy SDK raises ``UnknownValueError`` when one is read.  Such a value becomes ``${UNKNOWN}``,
which ecslint treats as known only at deploy time (never judged; at most a warning, which this
policy does not report); when the container definitions themselves are unknown, the definition is
not judged at all.  tests/test_api_examples.py runs ``validate_task_definition`` with a
hand-written resource, and with the policy SDK's own arguments and unknown values where it is installed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ecslint

RESOURCE_TYPE = "aws:ecs/taskDefinition:TaskDefinition"
UNKNOWN = "${UNKNOWN}"  # a template variable to ecslint: known only at deploy time
_SAME = (
    "family", "cpu", "memory", "networkMode", "requiresCompatibilities", "executionRoleArn", "taskRoleArn",
    "pidMode", "ipcMode", "runtimePlatform", "ephemeralStorage", "placementConstraints", "inferenceAccelerators",
)  # fmt: skip


def register_input(props: dict[str, Any]) -> dict[str, Any] | None:
    """The register-task-definition input the resource's inputs stand for (None: not known yet)."""
    containers = props.get("containerDefinitions")
    if not isinstance(containers, str) or containers == UNKNOWN:
        return None
    try:
        document: dict[str, Any] = {"containerDefinitions": json.loads(containers)}
    except ValueError:
        return None  # not JSON: the provider refuses it before AWS sees it
    document.update({key: props[key] for key in _SAME if props.get(key) is not None})
    volumes = props.get("volumes")
    if isinstance(volumes, list) and volumes:
        document["volumes"] = [_volume(volume) for volume in volumes]
    elif volumes == UNKNOWN:
        document["volumes"] = UNKNOWN
    proxy = props.get("proxyConfiguration")
    if isinstance(proxy, dict) and proxy:
        proxy = dict(proxy)
        if isinstance(proxy.get("properties"), dict):
            proxy["properties"] = [{"name": k, "value": v} for k, v in proxy["properties"].items()]
        document["proxyConfiguration"] = proxy
    elif proxy == UNKNOWN:
        document["proxyConfiguration"] = UNKNOWN
    return document


def _volume(volume: Any) -> Any:
    if not isinstance(volume, dict):
        return volume
    volume = dict(volume)
    host_path = volume.pop("hostPath", None)
    if host_path is not None:
        volume["host"] = {"sourcePath": host_path}
    return volume


def plain(value: Any) -> Any:
    """``value`` with the SDK's read-checking proxies turned into dicts and lists, unknowns into ``UNKNOWN``."""
    if isinstance(value, Mapping):
        return {key: _item(value, key) for key in value}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_item(value, index) for index in range(len(value))]
    return value


def _item(container: Any, key: Any) -> Any:
    try:
        return plain(container[key])
    except Exception as error:
        if type(error).__name__ != "UnknownValueError":  # pulumi_policy.proxy.UnknownValueError
            raise
        return UNKNOWN


def validate_task_definition(args: Any, report_violation: Callable[..., None]) -> None:
    """A ``ResourceValidationPolicy``'s ``validate``: one violation per ecslint error."""
    if args.resource_type != RESOURCE_TYPE:
        return
    props = plain(args.props)
    document = register_input(props) if isinstance(props, dict) else None
    if document is None:
        return
    for finding in ecslint.check(document, path=getattr(args, "name", None) or "task definition"):
        if finding.severity == "error":
            where = f" at {finding.pointer}" if finding.pointer else ""
            hint = f" ({finding.hint})" if finding.hint else ""
            report_violation(f"{finding.rule} {finding.message}{where}{hint}")
