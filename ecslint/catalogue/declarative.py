"""Declarative rules: a target, an optional ``when`` and an ``assert``, all data.

``target`` names the nodes a rule looks at: ``.`` (the task definition),
``containerDefinitions[*]``, ``containerDefinitions[*].portMappings[*]``, ``volumes[*]``...
For each target node that matches ``when`` (a JSON Schema), the node must match ``assert``
(a JSON Schema); each node that does not is a violation at the node, or at ``pointer``
below it.  ``when_task`` (a JSON Schema) must match the whole task definition before any
target is looked at.  Message templates may use ``{value}`` (the value at ``pointer``, or
the node when it is a string or number), ``{container}``, ``{index}``, ``{family}`` and
each option by name (``{required-tags}``).

Rule options reach the schemas through a small substitution, done before compiling:

- ``{"$option": "name"}`` becomes the option's value;
- ``{"$option": "name", "format": "^(?:{any})/"}`` becomes that string with ``{any}``
  replaced by the option's strings, regex-escaped and joined with ``|`` (for a ``pattern``);
- ``{"$option": "name", "each": SCHEMA}`` becomes ``{"allOf": [...]}``: one copy of SCHEMA
  per item of the option's list, with every string ``"$item"`` in it replaced by the item.

Nothing else is interpreted: option values are data, never code or regex fragments
(``format`` escapes them, so a registry name cannot smuggle in a regex).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from ecslint.catalogue.entries import Rule
from ecslint.core.errors import RuleFileError
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import MISSING, escape, resolve
from ecslint.core.taskdef import TaskDef, is_unknown

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
        message = f"'{key}' is not a valid JSON Schema: {error.message}"
        raise RuleFileError(f"{rule.source}: {message}", field=(key,), detail=message) from None


_OPTION = "$option"


def substitute(schema: JSON, options: Mapping[str, JSON], rule: Rule, key: str) -> JSON:
    """``schema`` with every ``{"$option": ...}`` replaced (see the module docstring)."""
    if isinstance(schema, list):
        return [substitute(item, options, rule, key) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if _OPTION not in schema:
        return {name: substitute(value, options, rule, key) for name, value in schema.items()}
    name = schema[_OPTION]
    if not isinstance(name, str) or name not in options:
        known = ", ".join(sorted(options)) or "none"
        raise RuleFileError(
            f"{rule.source}: '{key}' uses option {name!r}, which the rule does not declare (options: {known})",
            field=(key,),
            detail=f"'{key}' uses option {name!r}, which the rule does not declare (options: {known})",
        )
    value = options[name]
    extra = sorted(set(schema) - {_OPTION, "format", "each"})
    if extra or ("format" in schema and "each" in schema):
        message = f"'{key}': an {_OPTION} object takes 'format' or 'each', not {', '.join(extra) or 'both'}"
        raise RuleFileError(f"{rule.source}: {message}", field=(key,), detail=message)
    items = [value] if isinstance(value, str) else value
    if "format" in schema:
        pattern = schema["format"]
        if not isinstance(pattern, str) or not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            message = f"'{key}': 'format' needs a string with {{any}} and option {name} as a list of strings"
            raise RuleFileError(f"{rule.source}: {message}", field=(key,), detail=message)
        alternatives = "|".join(re.escape(str(item)) for item in items) or "(?!)"
        return pattern.replace("{any}", alternatives)
    if "each" in schema:
        if not isinstance(items, list):
            message = f"'{key}': 'each' needs option {name} to be a list"
            raise RuleFileError(f"{rule.source}: {message}", field=(key,), detail=message)
        template = substitute(schema["each"], options, rule, key)
        return {"allOf": [_with_item(template, item) for item in items]}
    return value


def _with_item(template: JSON, item: JSON) -> JSON:
    if template == "$item":
        return item
    if isinstance(template, list):
        return [_with_item(part, item) for part in template]
    if isinstance(template, dict):
        return {key: _with_item(part, item) for key, part in template.items()}
    return template


def _schemas(rule: Rule) -> tuple[Any, Any, Any]:
    """The compiled (when_task, when, assert) validators, options substituted."""
    compiled: list[Any] = []
    for key, schema in (("when_task", rule.when_task), ("when", rule.when), ("assert", rule.assertion)):
        if schema is None:
            compiled.append(None)
            continue
        concrete = (
            substitute(dict(schema), rule.options, rule, key) if rule.options or _OPTION in str(schema) else schema
        )
        compiled.append(compile_schema(rule, key, concrete))
    return compiled[0], compiled[1], compiled[2]


def validate(rule: Rule) -> None:
    """Raise ``RuleFileError`` (with the field) when a declarative rule cannot run."""
    if rule.target is None:
        return
    try:
        parse_target(rule.target)
    except ValueError as error:
        raise RuleFileError(f"{rule.source}: {error}", field=("target",), detail=str(error)) from None
    _schemas(rule)


def evaluate(rule: Rule, td: TaskDef) -> Iterator[Violation]:
    """The violations of a declarative rule on one task definition."""
    if rule.target is None or rule.assertion is None:
        return
    try:
        steps = parse_target(rule.target)
    except ValueError as error:
        raise RuleFileError(f"{rule.source}: {error}") from None
    when_task, when, assertion = _schemas(rule)
    if when_task is not None and not when_task.is_valid(td.data):
        return
    for pointer, node in _targets(td.data, steps):
        if is_unknown(node):
            continue
        if when is not None and not when.is_valid(node):
            continue
        if assertion.is_valid(node):
            continue
        at = _violation_pointer(rule, node, pointer)
        yield Violation(at, _params(rule, td, at, node if at == pointer else resolve(td.data, at)))


def _violation_pointer(rule: Rule, node: JSON, pointer: str) -> str:
    if not rule.pointer:
        return pointer
    relative = rule.pointer if rule.pointer.startswith("/") else "/" + rule.pointer
    if resolve(node, relative) is MISSING:
        return pointer
    return pointer + relative


def _params(rule: Rule, td: TaskDef, pointer: str, node: object) -> dict[str, object]:
    params: dict[str, object] = {name: _text(value) for name, value in rule.options.items()}
    params.update({"value": node if isinstance(node, (str, int, float)) else "", "pointer": pointer})
    parts = pointer.split("/")
    if len(parts) >= 3 and parts[1] == "containerDefinitions" and parts[2].isascii() and parts[2].isdigit():
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


def _text(value: JSON) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
