"""Declarative rules: a target, an optional ``when`` and an ``assert``, all data.

``target`` names the nodes a rule looks at: ``.`` (the task definition),
``containerDefinitions[*]``, ``containerDefinitions[*].portMappings[*]``, ``volumes[*]``...
For each target node that matches ``when`` (a JSON Schema), the node must match ``assert``
(a JSON Schema); each node that does not is a violation at the node, or at ``pointer``
below it.  Message templates may use ``{value}``, ``{container}`` and ``{index}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ecslint.catalogue import Rule
from ecslint.errors import RuleFileError
from ecslint.model import JSON, Violation
from ecslint.pointer import MISSING, escape, resolve
from ecslint.taskdef import TaskDef, is_unknown

_STEP = re.compile(r"^(?P<key>[A-Za-z0-9_.:-]+?)(?P<each>\[\*\])?$")


def parse_target(target: str) -> list[tuple[str, bool]]:
    """``containerDefinitions[*].portMappings[*]`` -> [("containerDefinitions", True), ...]."""
    if target in ("", ".", "$"):
        return []
    steps: list[tuple[str, bool]] = []
    for part in target.split("."):
        match = _STEP.match(part)
        if not match:
            raise ValueError(f"invalid target step {part!r} in {target!r}")
        steps.append((match.group("key"), match.group("each") is not None))
    return steps


def _targets(data: JSON, steps: list[tuple[str, bool]]) -> Iterator[tuple[str, JSON]]:
    nodes: list[tuple[str, JSON]] = [("", data)]
    for key, each in steps:
        following: list[tuple[str, JSON]] = []
        for pointer, node in nodes:
            if not isinstance(node, dict) or key not in node:
                continue
            child = node[key]
            child_pointer = f"{pointer}/{escape(key)}"
            if each:
                if isinstance(child, list):
                    following.extend((f"{child_pointer}/{i}", item) for i, item in enumerate(child))
            else:
                following.append((child_pointer, child))
        nodes = following
    yield from nodes


@lru_cache(maxsize=512)
def _validator(schema_text: str) -> Any:
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def compile_schema(rule: Rule, key: str, schema: object) -> Any:
    import json

    from jsonschema.exceptions import SchemaError

    try:
        return _validator(json.dumps(schema, sort_keys=True))
    except SchemaError as error:
        raise RuleFileError(f"{rule.source}: '{key}' is not a valid JSON Schema: {error.message}") from None


def evaluate(rule: Rule, td: TaskDef) -> Iterator[Violation]:
    """The violations of a declarative rule on one task definition."""
    if rule.target is None or rule.assertion is None:
        return
    try:
        steps = parse_target(rule.target)
    except ValueError as error:
        raise RuleFileError(f"{rule.source}: {error}") from None
    when = compile_schema(rule, "when", rule.when) if rule.when is not None else None
    assertion = compile_schema(rule, "assert", rule.assertion)
    for pointer, node in _targets(td.data, steps):
        if is_unknown(node):
            continue
        if when is not None and not when.is_valid(node):
            continue
        if assertion.is_valid(node):
            continue
        yield Violation(_violation_pointer(rule, node, pointer), _params(td, pointer, node))


def _violation_pointer(rule: Rule, node: JSON, pointer: str) -> str:
    if not rule.pointer:
        return pointer
    relative = rule.pointer if rule.pointer.startswith("/") else "/" + rule.pointer
    if resolve(node, relative) is MISSING:
        return pointer
    return pointer + relative


def _params(td: TaskDef, pointer: str, node: JSON) -> dict[str, object]:
    params: dict[str, object] = {"value": node if not isinstance(node, (dict, list)) else "", "pointer": pointer}
    parts = pointer.split("/")
    if len(parts) >= 3 and parts[1] == "containerDefinitions" and parts[2].isdigit():
        containers = td.data.get("containerDefinitions")
        index = int(parts[2])
        container = containers[index] if isinstance(containers, list) and index < len(containers) else None
        if isinstance(container, dict):
            name = container.get("name")
            params["container"] = name if isinstance(name, str) else f"#{index}"
        params["index"] = index
    family = td.data.get("family")
    params["family"] = family if isinstance(family, str) else ""
    return params
