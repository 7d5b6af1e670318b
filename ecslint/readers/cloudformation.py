"""CloudFormation templates: each ``AWS::ECS::TaskDefinition`` resource as API-shaped data, and
each ``AWS::ECS::Service`` that runs one of them (``TaskDefinition: !Ref X`` or ``!GetAtt X.TaskDefinitionArn``).

CloudFormation spells the task definition's properties in PascalCase (``ContainerDefinitions``,
``LogConfiguration``); the rules speak the API's camelCase.  ``to_api`` renames the keys
(keeping the keys of free-form maps such as log driver ``Options`` as written) and records,
for every renamed node, where it sits in the template, so findings point into the template.
Intrinsic functions (``{"Ref": ...}``, ``{"Fn::Sub": ...}``) stay as they are: values that
no rule can know.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.core.model import JSON
from ecslint.core.pointer import escape
from ecslint.core.taskdef import is_intrinsic

TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition"
SERVICE_TYPE = "AWS::ECS::Service"

# CloudFormation property names that do not become the API name by lower-casing the first letter.
_RENAMED = {
    "EFSVolumeConfiguration": "efsVolumeConfiguration",
    "FSxWindowsFileServerVolumeConfiguration": "fsxWindowsFileServerVolumeConfiguration",
    "FilesystemId": "fileSystemId",
    "IAM": "iam",
    "ProxyConfigurationProperties": "properties",
}
# Properties whose value is a map with keys of the user's choosing: their keys stay as written.
_FREE_FORM_MAPS = frozenset({"Options", "DockerLabels", "DriverOpts", "Labels"})


def is_template(data: object) -> bool:
    return isinstance(data, dict) and (isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data)


def task_definitions(template: dict[str, JSON]) -> Iterator[tuple[str, str, JSON]]:
    """(logical id, pointer of its Properties, the Properties) of each task definition resource."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") == TASK_DEFINITION_TYPE:
            yield logical_id, f"/Resources/{escape(logical_id)}/Properties", resource.get("Properties", {})


def services(template: dict[str, JSON]) -> Iterator[tuple[str, str, JSON, str]]:
    """(logical id, pointer of its Properties, the Properties, the task definition's logical id) of
    each service whose ``TaskDefinition`` refers to a task definition resource of the same template."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != SERVICE_TYPE:
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        target = _referenced_resource(properties.get("TaskDefinition"))
        task = resources.get(target) if target is not None else None
        if isinstance(task, dict) and task.get("Type") == TASK_DEFINITION_TYPE:
            yield logical_id, f"/Resources/{escape(logical_id)}/Properties", properties, str(target)


def _referenced_resource(value: JSON) -> str | None:
    """The logical id in ``{"Ref": X}`` or ``{"Fn::GetAtt": [X, "TaskDefinitionArn"]}`` (or "X.TaskDefinitionArn")."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    if isinstance(value.get("Ref"), str):
        return str(value["Ref"])
    attribute = value.get("Fn::GetAtt")
    if isinstance(attribute, str):
        attribute = attribute.split(".", 1)  # type: ignore[assignment]
    if isinstance(attribute, list) and len(attribute) == 2 and attribute[1] == "TaskDefinitionArn":
        return attribute[0] if isinstance(attribute[0], str) else None
    return None


def api_name(key: str) -> str:
    renamed = _RENAMED.get(key)
    if renamed is not None:
        return renamed
    return key[:1].lower() + key[1:] if key[:1].isupper() else key


def to_api(properties: JSON) -> tuple[JSON, dict[str, str]]:
    """The properties with API key names, and API pointer -> template pointer for renamed nodes."""
    renamed: dict[str, str] = {"": ""}
    return _convert(properties, "", "", renamed, free_form=False), renamed


def _convert(value: JSON, api: str, source: str, renamed: dict[str, str], *, free_form: bool) -> JSON:
    if isinstance(value, list):
        return [
            _convert(item, f"{api}/{index}", f"{source}/{index}", renamed, free_form=False)
            for index, item in enumerate(value)
        ]
    if not isinstance(value, dict) or is_intrinsic(value):
        return value
    result: dict[str, JSON] = {}
    for key, item in value.items():
        name = key if free_form else api_name(key)
        api_child, source_child = f"{api}/{escape(name)}", f"{source}/{escape(key)}"
        if api_child != source_child:
            renamed[api_child] = source_child
        result[name] = _convert(item, api_child, source_child, renamed, free_form=key in _FREE_FORM_MAPS)
    return result
