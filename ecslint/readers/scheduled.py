"""Run-task requests that a scheduler sends: Step Functions task states and EventBridge ECS targets.

Both call ECS ``RunTask`` for the user (docs/facts.md 19), so each becomes a "run-task" usage
with the ``RunTask`` input's camelCase names, and the override checks (ECS711-713) apply to it:

- Amazon States Language: each ``Task`` state whose ``Resource`` is
  ``arn:aws:states:::ecs:runTask`` (``.sync``, ``.waitForTaskToken``), in the states of the
  definition and of its ``Parallel`` branches and ``Map`` iterators, its ``Parameters``
  (JSONPath) or ``Arguments`` (JSONata) in PascalCase.  A key ending in ``.$`` and a JSONata
  ``{% ... %}`` value are known only when the state runs: unknown here.
- CloudFormation: ``AWS::StepFunctions::StateMachine`` (``Definition``, or a ``DefinitionString``
  that is a literal string), ``AWS::Serverless::StateMachine`` (``Definition``), and the ECS
  targets of ``AWS::Events::Rule`` (``Targets[].EcsParameters``) and ``AWS::Scheduler::Schedule``
  (``Target.EcsParameters``), whose overrides are their ``Input``, a JSON string.

Findings inside a JSON string (``DefinitionString``, ``Input``) point at the whole string:
offsets inside an escaped string are not mapped.  This module is imported only when a file's
content shows one of these forms, never for a plain task definition.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from ecslint.core.model import JSON
from ecslint.core.pointer import escape
from ecslint.core.taskdef import is_intrinsic, is_unknown
from ecslint.readers.cloudformation import _referenced_resource, api_name, to_api

# The optimized integration (and the SDK one), with its integration patterns, in any partition.
RUN_TASK_RESOURCE = re.compile(r"^arn:aws[a-z-]*:states:::(?:aws-sdk:)?ecs:runTask(?:\.sync|\.waitForTaskToken)?$")
STATE_MACHINE_TYPES = frozenset({"AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"})
RULE_TYPE = "AWS::Events::Rule"
SCHEDULE_TYPE = "AWS::Scheduler::Schedule"
TYPES = STATE_MACHINE_TYPES | {RULE_TYPE, SCHEDULE_TYPE}
_MAX_DEPTH = 64  # states nested deeper than any real workflow: not read further
_SUBSTITUTION = re.compile(r"^\$\{([A-Za-z0-9_]+)\}$")


class RunTask(NamedTuple):
    """One run-task request found in a file, before it becomes a ``Document``.

    ``data``: the ``RunTask`` input (camelCase); ``base``: the file pointer that ``data``'s root
    maps to; ``renamed``: data pointer -> file pointer below ``base``; ``reference``: the task
    definition as written (a string, an intrinsic, or None when absent or unknown).
    """

    label: str
    base: str
    data: dict[str, JSON]
    renamed: dict[str, str]
    reference: JSON


def deploy_time(value: JSON) -> str:
    """A value known only when the state runs (JSONPath, JSONata), as one ``is_unknown`` recognises."""
    shown = re.sub(r"[{}\s]+", " ", value if isinstance(value, str) else "value").strip()[:60]
    return "${" + shown + "}"


def _is_jsonata(value: JSON) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}")


def to_api_parameters(value: JSON, api: str, source: str, renamed: dict[str, str], depth: int = 0) -> JSON:
    """Step Functions' PascalCase parameters with the API's names; ``X.$`` keys and JSONata unknown."""
    if depth > _MAX_DEPTH:
        return deploy_time("nested too deeply")
    if _is_jsonata(value):
        return deploy_time(value)
    if isinstance(value, list):
        return [
            to_api_parameters(item, f"{api}/{index}", f"{source}/{index}", renamed, depth + 1)
            for index, item in enumerate(value)
        ]
    if not isinstance(value, dict) or is_intrinsic(value):
        return value
    result: dict[str, JSON] = {}
    for key, item in value.items():
        dynamic = key.endswith(".$")
        name = api_name(key[:-2] if dynamic else key)
        api_child, source_child = f"{api}/{escape(name)}", f"{source}/{escape(key)}"
        if api_child != source_child:
            renamed[api_child] = source_child
        if dynamic:
            result[name] = deploy_time(item)
        else:
            result[name] = to_api_parameters(item, api_child, source_child, renamed, depth + 1)
    return result


def flattened(value: JSON, pointer: str, target: str, renamed: dict[str, str], depth: int = 0) -> None:
    """Map ``pointer`` and every pointer below it to ``target`` (a JSON string that holds them)."""
    renamed[pointer] = target
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            flattened(item, f"{pointer}/{escape(key)}", target, renamed, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            flattened(item, f"{pointer}/{index}", target, renamed, depth + 1)


# -- Amazon States Language -------------------------------------------------------------------


def is_state_machine(data: JSON) -> bool:
    """A state machine definition: ``States`` (an object) beside ``StartAt``."""
    return isinstance(data, dict) and isinstance(data.get("States"), dict) and "StartAt" in data


def run_task_states(definition: JSON, base: str, prefix: str = "") -> list[RunTask]:
    """The run-task states of an ASL definition at file pointer ``base``, nested ones included."""
    found: list[RunTask] = []
    _states(definition, base, prefix, found, 0)
    return found


def _states(definition: JSON, pointer: str, prefix: str, found: list[RunTask], depth: int) -> None:
    if not isinstance(definition, dict) or depth > _MAX_DEPTH:
        return
    states = definition.get("States")
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        here = f"{pointer}/States/{escape(name)}"
        branches = state.get("Branches")
        for index, branch in enumerate(branches if isinstance(branches, list) else []):
            _states(branch, f"{here}/Branches/{index}", prefix, found, depth + 1)
        for key in ("Iterator", "ItemProcessor"):
            _states(state.get(key), f"{here}/{key}", prefix, found, depth + 1)
        resource = state.get("Resource")
        if state.get("Type") != "Task" or not isinstance(resource, str) or not RUN_TASK_RESOURCE.match(resource):
            continue
        key = "Arguments" if "Arguments" in state else "Parameters"
        parameters = state.get(key)
        if not isinstance(parameters, dict) or is_intrinsic(parameters):
            continue  # "Parameters.$" or JSONata for the whole request: known only when the state runs
        renamed: dict[str, str] = {"": ""}
        data = to_api_parameters(parameters, "", "", renamed)
        assert isinstance(data, dict)
        reference = data.get("taskDefinition")
        found.append(RunTask(f'{prefix}state "{name}"', f"{here}/{key}", data, renamed, reference))


def state_machine_in_string(text: str, base: str, prefix: str = "") -> list[RunTask]:
    """The run-task states of a definition given as a JSON string at ``base``; every finding
    points at the string."""
    try:
        definition = json.loads(text)
    except (ValueError, RecursionError):
        return []
    found = []
    for state in run_task_states(definition, "", prefix):
        renamed: dict[str, str] = {}
        flattened(state.data, "", "", renamed)
        found.append(state._replace(base=base, renamed=renamed))
    return found


# -- CloudFormation ------------------------------------------------------------------------------


def has_scheduled_resources(template: dict[str, JSON]) -> bool:
    resources = template.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(resource, dict) and resource.get("Type") in TYPES for resource in resources.values()
    )


def cloudformation_run_tasks(template: dict[str, JSON]) -> list[tuple[RunTask, str | None]]:
    """Each run-task request of the template's state machines and ECS targets, with the logical
    id of the template's task definition it runs (None when the template does not say)."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return []
    found: list[tuple[RunTask, str | None]] = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        kind, properties = resource.get("Type"), resource["Properties"]
        assert isinstance(properties, dict)
        base = f"/Resources/{escape(logical_id)}/Properties"
        if kind in STATE_MACHINE_TYPES:
            states = _state_machine(logical_id, base, properties)
            substitutions = properties.get("DefinitionSubstitutions")
            # inside a DefinitionString, {"Ref": ...} is text that CloudFormation does not resolve
            resolves = isinstance(properties.get("Definition"), dict)
            for state in states:
                reference = state.reference if resolves or not isinstance(state.reference, dict) else None
                found.append((state, _task_id(reference, resources, substitutions)))
        elif kind == RULE_TYPE and isinstance(properties.get("Targets"), list):
            targets = properties["Targets"]
            assert isinstance(targets, list)
            for index, target in enumerate(targets):
                label = f"{logical_id} target {index}"
                if isinstance(target, dict) and isinstance(target.get("Id"), str):
                    label = f'{logical_id} target "{target["Id"]}"'
                run = _ecs_target(target, f"{base}/Targets/{index}", label)
                if run is not None:
                    found.append((run, _task_id(run.reference, resources, None)))
        elif kind == SCHEDULE_TYPE:
            run = _ecs_target(properties.get("Target"), f"{base}/Target", logical_id)
            if run is not None:
                found.append((run, _task_id(run.reference, resources, None)))
    return found


def _state_machine(logical_id: str, base: str, properties: dict[str, JSON]) -> list[RunTask]:
    prefix = f"{logical_id} "
    definition = properties.get("Definition")
    if isinstance(definition, dict):
        return run_task_states(definition, f"{base}/Definition", prefix)
    literal = _literal_string(properties.get("DefinitionString"))
    if literal is not None:
        return state_machine_in_string(literal, f"{base}/DefinitionString", prefix)
    return []


def _literal_string(value: JSON) -> str | None:
    """A string CloudFormation passes as written: a plain string, ``Fn::Sub`` without variables,
    or ``Fn::Join`` of plain strings; None for anything known only at deploy time."""
    if isinstance(value, str):
        return value
    if not is_intrinsic(value) or not isinstance(value, dict):
        return None
    sub = value.get("Fn::Sub")
    if isinstance(sub, list) and len(sub) == 2 and isinstance(sub[1], dict) and not sub[1]:
        sub = sub[0]
    if isinstance(sub, str):
        return None if "${" in sub.replace("${!", "") else sub.replace("${!", "${")
    join = value.get("Fn::Join")
    if isinstance(join, list) and len(join) == 2 and isinstance(join[0], str) and isinstance(join[1], list):
        parts = join[1]
        if all(isinstance(part, str) for part in parts):
            return join[0].join(str(part) for part in parts)
    return None


def _task_id(reference: JSON, resources: dict[str, JSON], substitutions: JSON) -> str | None:
    """The logical id of the template's task definition that ``reference`` names, if it names one."""
    if isinstance(reference, str) and isinstance(substitutions, dict):
        match = _SUBSTITUTION.match(reference)
        if match is not None:
            reference = substitutions.get(match.group(1))
    target = _referenced_resource(reference) if isinstance(reference, dict) else None
    task = resources.get(target) if target is not None else None
    if isinstance(task, dict) and task.get("Type") == "AWS::ECS::TaskDefinition":
        return target
    return None


# EcsParameters members a RunTask request shares (CloudFormation spells them in PascalCase).
_TARGET_MEMBERS = {
    "LaunchType": "launchType",
    "NetworkConfiguration": "networkConfiguration",
    "PlatformVersion": "platformVersion",
    "EnableExecuteCommand": "enableExecuteCommand",
    "CapacityProviderStrategy": "capacityProviderStrategy",
}


def _ecs_target(target: JSON, base: str, label: str) -> RunTask | None:
    """An EventBridge rule's or schedule's ECS target as a run-task request; None for other targets."""
    if not isinstance(target, dict) or not isinstance(target.get("EcsParameters"), dict):
        return None
    parameters = target["EcsParameters"]
    assert isinstance(parameters, dict)
    reference = parameters.get("TaskDefinitionArn")
    data: dict[str, JSON] = {"taskDefinition": reference}
    renamed = {"": "", "/taskDefinition": "/EcsParameters/TaskDefinitionArn"}
    for key, name in _TARGET_MEMBERS.items():
        if key in parameters:
            value, inner = to_api(parameters[key])
            data[name] = value
            for api, source in inner.items():
                renamed[f"/{name}{api}"] = f"/EcsParameters/{escape(key)}{source}"
    overrides = target_overrides(target.get("Input"), "InputTransformer" in target or "InputPath" in target)
    if overrides is not None:
        data["overrides"] = overrides
        flattened(overrides, "/overrides", "/Input" if "Input" in target else "", renamed)
    return RunTask(label, base, data, renamed, reference)


def target_overrides(value: JSON, transformed: bool) -> JSON | None:
    """The overrides a target's ``Input`` holds: decoded when it is a literal JSON string,
    unknown when the input is made at run time, None when there is none."""
    if transformed:
        return deploy_time("input made from the event")
    if value is None:
        return None
    literal = _literal_string(value)
    if literal is None:
        return deploy_time("Input")
    try:
        decoded: JSON = json.loads(literal)
    except (ValueError, RecursionError):
        return None  # not JSON: EventBridge refuses it when the target is created, not ECS
    return decoded if isinstance(decoded, dict) and not is_unknown(decoded) else None
