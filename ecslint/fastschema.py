"""A fast yes/no answer to "does this task definition match the schema?".

Most files are valid, and jsonschema costs tens of milliseconds to import and compile on
every start.  This module checks the keyword subset that ``schemas/generate.py`` emits
(``$ref`` to ``#/$defs``, ``type``, ``properties``, ``additionalProperties``, ``required``,
``items``, ``enum``, and the length, count and range bounds) with no imports; only when it
says "invalid" does the schema layer ask jsonschema for the detailed errors.  A schema that
uses any other keyword makes ``compile`` refuse, and the caller falls back to jsonschema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[object], bool]

_ANNOTATIONS = frozenset({"title", "$comment", "description", "deprecated", "$schema"})
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class UnsupportedSchema(Exception):
    """The schema uses a keyword this module does not implement."""


def compile_schema(root: Mapping[str, Any]) -> Check:
    """A predicate for ``root``; raises ``UnsupportedSchema`` for keywords it cannot check."""
    definitions: Mapping[str, Any] = root.get("$defs", {})
    compiled: dict[str, Check] = {}

    def reference(name: str) -> Check:
        def check(value: object) -> bool:
            return compiled[name](value)

        return check

    def build(schema: Mapping[str, Any] | bool) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword == "$defs":
                continue
            if keyword == "additionalProperties":
                checks.append(_additional(argument, frozenset(schema.get("properties", {})), build))
            else:
                checks.append(_keyword(keyword, argument, build, reference))
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    for name, definition in definitions.items():
        compiled[name] = build(definition)
    return build({key: value for key, value in root.items() if key != "$defs"})


def _keyword(
    keyword: str,
    argument: Any,
    build: Callable[[Any], Check],
    reference: Callable[[str], Check],
) -> Check:
    if keyword == "$ref":
        if not isinstance(argument, str) or not argument.startswith("#/$defs/"):
            raise UnsupportedSchema(f"$ref {argument!r}")
        return reference(argument[len("#/$defs/") :])
    if keyword == "type":
        names = [argument] if isinstance(argument, str) else list(argument)
        tests = [_TYPES[name] for name in names]
        return lambda value: any(test(value) for test in tests)
    if keyword == "enum":
        allowed = list(argument)
        return lambda value: any(_same(value, option) for option in allowed)
    if keyword == "properties":
        members = {name: build(sub) for name, sub in argument.items()}
        return lambda value: (
            not isinstance(value, dict) or all(members[key](item) for key, item in value.items() if key in members)
        )
    if keyword == "required":
        needed = list(argument)
        return lambda value: not isinstance(value, dict) or all(name in value for name in needed)
    if keyword == "items":
        item_check = build(argument)
        return lambda value: not isinstance(value, list) or all(item_check(item) for item in value)
    return _bound(keyword, argument)


def _additional(argument: Any, declared: frozenset[str], build: Callable[[Any], Check]) -> Check:
    """``additionalProperties``: members not named in the sibling ``properties``."""
    if argument is False:
        return lambda value: not isinstance(value, dict) or all(key in declared for key in value)
    extra = build(argument)
    return lambda value: (
        not isinstance(value, dict) or all(extra(item) for key, item in value.items() if key not in declared)
    )


_BOUNDS: dict[str, Callable[[object, Any], bool]] = {
    "minLength": lambda v, n: not isinstance(v, str) or len(v) >= n,
    "maxLength": lambda v, n: not isinstance(v, str) or len(v) <= n,
    "minItems": lambda v, n: not isinstance(v, list) or len(v) >= n,
    "maxItems": lambda v, n: not isinstance(v, list) or len(v) <= n,
    "minProperties": lambda v, n: not isinstance(v, dict) or len(v) >= n,
    "maxProperties": lambda v, n: not isinstance(v, dict) or len(v) <= n,
    "minimum": lambda v, n: not _is_number(v) or v >= n,
    "maximum": lambda v, n: not _is_number(v) or v <= n,
}


def _bound(keyword: str, argument: Any) -> Check:
    test = _BOUNDS.get(keyword)
    if test is None:
        raise UnsupportedSchema(keyword)
    return lambda value: test(value, argument)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(value: object, option: object) -> bool:
    """JSON equality: 1 and true differ, 1 and 1.0 are equal."""
    if isinstance(value, bool) or isinstance(option, bool):
        return type(value) is type(option) and value == option
    return value == option
