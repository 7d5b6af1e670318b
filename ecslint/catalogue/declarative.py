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
from collections.abc import Callable, Iterator, Mapping
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


_SCHEMA_KEYS = ("when_task", "when", "assert")


def _concrete(rule: Rule, key: str, schema: Mapping[str, JSON]) -> JSON:
    if rule.options or _OPTION in str(schema):
        return substitute(dict(schema), rule.options, rule, key)
    return schema if isinstance(schema, dict) else dict(schema)


def _schemas(rule: Rule) -> tuple[Any, Any, Any]:
    """The compiled (when_task, when, assert) validators, options substituted."""
    compiled: list[Any] = []
    for key, schema in zip(_SCHEMA_KEYS, (rule.when_task, rule.when, rule.assertion), strict=True):
        if schema is None:
            compiled.append(None)
            continue
        compiled.append(compile_schema(rule, key, _concrete(rule, key, schema)))
    return compiled[0], compiled[1], compiled[2]


def validate(rule: Rule) -> None:
    """Raise ``RuleFileError`` (with the field) when a declarative rule cannot run: a bad target, a
    schema that does not compile, or a ``$ref`` that does not resolve or refers to itself in place."""
    if rule.target is None:
        return
    try:
        parse_target(rule.target)
    except ValueError as error:
        raise RuleFileError(f"{rule.source}: {error}", field=("target",), detail=str(error)) from None
    for key, schema in zip(_SCHEMA_KEYS, (rule.when_task, rule.when, rule.assertion), strict=True):
        if schema is not None:
            check_references(rule, key, _concrete(rule, key, schema))
    _schemas(rule)


# -- $ref: local, resolvable, and never back to itself without descending into the value -------------

# Keywords whose subschemas apply to the same value (not to a member or an item of it).
_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_MANY = ("allOf", "anyOf", "oneOf")
_UNSUPPORTED_REFERENCES = ("$dynamicRef", "$recursiveRef")


def _subschemas(node: JSON, pointer: str) -> Iterator[tuple[str, dict[str, JSON]]]:
    """Every object in a schema, with its JSON pointer (an iterative walk: deep schemas are fine)."""
    stack: list[tuple[str, JSON]] = [(pointer, node)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, dict):
            yield here, item
            stack.extend((f"{here}/{escape(key)}", value) for key, value in item.items())
        elif isinstance(item, list):
            stack.extend((f"{here}/{index}", value) for index, value in enumerate(item))


def _reference_target(reference: object) -> str | None:
    """The JSON pointer a local ``$ref`` names (``#`` or ``#/...``, percent-decoded), else None."""
    from urllib.parse import unquote

    if not isinstance(reference, str) or not reference.startswith("#"):
        return None
    from ecslint.core.pointer import from_path, split

    fragment = unquote(reference[1:])
    return from_path(split(fragment)) if fragment == "" or fragment.startswith("/") else None


def _in_place(pointer: str, node: dict[str, JSON]) -> Iterator[str]:
    for keyword in _IN_PLACE_ONE:
        if isinstance(node.get(keyword), dict):
            yield f"{pointer}/{keyword}"
    for keyword in _IN_PLACE_MANY:
        branches = node.get(keyword)
        if isinstance(branches, list):
            yield from (f"{pointer}/{keyword}/{index}" for index in range(len(branches)))
    dependent = node.get("dependentSchemas")
    if isinstance(dependent, dict):
        yield from (f"{pointer}/dependentSchemas/{escape(name)}" for name in dependent)


def check_references(rule: Rule, key: str, schema: JSON) -> None:
    """Raise ``RuleFileError`` at the ``$ref`` that jsonschema would fail on, or loop on, at check time."""
    from ecslint.core.pointer import split

    def fail(pointer: str, message: str, keyword: str = "$ref") -> RuleFileError:
        steps = tuple(int(s) if s.isascii() and s.isdigit() else s for s in split(pointer))
        return RuleFileError(f"{rule.source}: {message}", field=(key, *steps, keyword), detail=message)

    nodes = dict(_subschemas(schema, ""))
    edges: dict[str, list[str]] = {}
    for pointer, node in nodes.items():
        for keyword in _UNSUPPORTED_REFERENCES:
            if keyword in node:
                raise fail(pointer, f"'{key}': {keyword} is not supported in rule schemas; use a local $ref", keyword)
        if "$id" in node and pointer:
            raise fail(pointer, f"'{key}': $id is allowed only at the top of a rule schema", "$id")
        successors = list(_in_place(pointer, node))
        if "$ref" in node:
            reference = node["$ref"]
            target = _reference_target(reference)
            if target is None:
                raise fail(pointer, f"'{key}': $ref {reference!r} must be a local JSON pointer such as '#/$defs/name'")
            if not isinstance(resolve(schema, target), (dict, bool)):
                raise fail(pointer, f"'{key}': $ref {reference!r} does not resolve to a schema in '{key}'")
            successors.append(target)
        edges[pointer] = successors
    # A cycle of in-place steps (through at least one $ref) never reaches a smaller value: endless.
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in edges:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        state[start] = 1
        while stack:
            pointer, successors_left = stack[-1]
            following = next(successors_left, None)
            if following is None:
                state[pointer] = 2
                stack.pop()
            elif state.get(following) == 1:
                referrer = next((p for p, _ in reversed(stack) if "$ref" in nodes.get(p, {})), pointer)
                reference = nodes[referrer]["$ref"]
                raise fail(
                    referrer,
                    f"'{key}': $ref {reference!r} refers back to a schema that contains it, for the same value:"
                    " checking it would never end",
                )
            elif not state.get(following) and following in edges:
                state[following] = 1
                stack.append((following, iter(edges[following])))


def evaluate(rule: Rule, td: TaskDef) -> Iterator[Violation]:
    """The violations of a declarative rule on one task definition."""
    if rule.target is None or rule.assertion is None:
        return
    try:
        steps = parse_target(rule.target)
    except ValueError as error:
        raise RuleFileError(f"{rule.source}: {error}") from None
    stopped = _STOPPED.get((rule.source, rule.id))
    if stopped is not None:
        raise stopped  # one of its patterns already ran away in this process: do not wait again
    schemas = _schemas(rule)
    checking: list[tuple[str, str]] = [("when_task", "")]  # (schema, pointer) being checked
    if not _uses_patterns(rule):
        yield from _violations(rule, td, steps, schemas, checking)
        return
    yield from _bounded(rule, checking, lambda: list(_violations(rule, td, steps, schemas, checking)))


def _violations(
    rule: Rule,
    td: TaskDef,
    steps: list[tuple[str, bool]],
    schemas: tuple[Any, Any, Any],
    checking: list[tuple[str, str]],
) -> Iterator[Violation]:
    when_task, when, assertion = schemas
    if when_task is not None and not when_task.is_valid(td.data):
        return
    for pointer, node in _targets(td.data, steps):
        if is_unknown(node):
            continue
        checking[0] = ("when", pointer)
        if when is not None and not when.is_valid(node):
            continue
        checking[0] = ("assert", pointer)
        if assertion.is_valid(node):
            continue
        at = _violation_pointer(rule, node, pointer)
        yield Violation(at, _params(rule, td, at, node if at == pointer else resolve(td.data, at)))


# -- patterns: bounded in time ---------------------------------------------------------------------
#
# Python's re backtracks: ``^(a|a)*$`` takes 40 s on 29 characters, and a quadratic pattern can
# take minutes on a 64 KiB value.  A rule whose schemas hold a pattern runs under a timer
# (SIGALRM; the regular expression engine checks for signals while it matches): when checking
# one task definition takes longer than PATTERN_SECONDS, it is stopped and the rule is reported,
# with its file, line and column, as one that cannot be used.  Where no timer can be set
# (Windows, a thread other than the main one) it runs unbounded.

PATTERN_SECONDS = 1.0
_STOPPED: dict[tuple[str, str], RuleFileError] = {}
_PATTERNED: dict[tuple[str, str], bool] = {}


class _Interrupted(Exception):
    pass


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def _uses_patterns(rule: Rule) -> bool:
    """Whether the rule's schemas, options substituted, hold a ``pattern`` or ``patternProperties``."""
    known = _PATTERNED.get((rule.source, rule.id))
    if known is None:
        schemas = (rule.when_task, rule.when, rule.assertion)
        texts = [str(_concrete(rule, key, schema)) for key, schema in zip(_SCHEMA_KEYS, schemas, strict=True) if schema]
        known = _PATTERNED[(rule.source, rule.id)] = any("'pattern" in text for text in texts)
    return known


def _bounded(rule: Rule, checking: list[tuple[str, str]], compute: Callable[[], list[Violation]]) -> list[Violation]:
    import signal

    if not hasattr(signal, "setitimer"):
        return compute()
    try:
        previous = signal.signal(signal.SIGALRM, _interrupt)
    except ValueError:  # not the main thread
        return compute()
    outer = (0.0, 0.0)
    try:
        outer = signal.setitimer(signal.ITIMER_REAL, PATTERN_SECONDS)
        try:
            return compute()
        finally:
            left = signal.setitimer(signal.ITIMER_REAL, 0)[0]
    except _Interrupted:
        left = 0.0
        error = _runaway(rule, *checking[0])
        _STOPPED[(rule.source, rule.id)] = error
        raise error from None
    finally:
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # someone else's timer was running: give it back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - (PATTERN_SECONDS - left), 1e-6), outer[1])


def _runaway(rule: Rule, key: str, pointer: str) -> RuleFileError:
    from pathlib import Path

    from ecslint.catalogue.entries import located

    schema = dict({"when_task": rule.when_task, "when": rule.when, "assert": rule.assertion}[key] or {})
    patterned = (here for here, node in _subschemas(schema, "") if "pattern" in node or "patternProperties" in node)
    where = next(patterned, None)
    field: tuple[str | int, ...] = (key,)
    if where is not None:
        from ecslint.core.pointer import split

        node = resolve(schema, where)
        keyword = "pattern" if isinstance(node, dict) and "pattern" in node else "patternProperties"
        field = (key, *(int(s) if s.isascii() and s.isdigit() else s for s in split(where)), keyword)
    what = f"the value at {pointer}" if pointer else "the task definition"
    detail = (
        f"a pattern in '{key}' of rule {rule.id} ran for more than {PATTERN_SECONDS:g} s on {what} and was"
        " stopped: rewrite it without nested or overlapping repetition such as (a|a)* or (a+)+"
    )
    error = RuleFileError(f"{rule.source}: {detail}", field=field, detail=detail)
    try:
        return located(error, Path(rule.source), Path(rule.source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return error


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
