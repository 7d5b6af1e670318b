"""The task-definition schema compiled to Python closures: a yes/no check and the errors.

jsonschema costs about 100 ms to import and compile and several hundred microseconds per
document; this module checks the keyword subset that ``schemas/generate.py`` emits
(``$ref`` to ``#/$defs``, ``type``, ``properties``, ``additionalProperties``,
``required``, ``items``, ``enum``, and the length, count and range bounds) with no
imports.  ``compile_schema`` gives the yes/no answer and the errors that jsonschema's
Draft 2020-12 validator (with JSON integers only) reports, keyword for keyword and path
for path, descending only into the parts that fail the yes/no check.
tests/test_fastschema.py holds both to jsonschema on generated documents.  A schema that
uses any other keyword makes compilation refuse, and the caller falls back to jsonschema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

Check = Callable[[object], bool]
Path = tuple[str | int, ...]


class SchemaError(NamedTuple):
    """What jsonschema's ``ValidationError`` says, in the terms the schema layer uses."""

    keyword: str  # the failing schema keyword: "type", "enum", "required", ...
    path: Path  # where in the document
    instance: object  # the failing value
    expected: object  # the keyword's value in the schema
    schema: Mapping[str, Any]  # the (sub)schema that holds the keyword


Errors = Callable[[object, Path], Iterator[SchemaError]]

_ANNOTATIONS = frozenset({"title", "$comment", "description", "deprecated", "$schema", "examples"})
# A tuple, not ``int | float``: isinstance builds that union at every call (3 times slower).
_NUMBERS = (int, float)
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, _NUMBERS) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class UnsupportedSchema(Exception):
    """The schema uses a keyword this module does not implement."""


class CompiledSchema:
    """``ok(document)``: does it match?  ``errors(document)``: what jsonschema would report."""

    __slots__ = ("_root",)

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = _Compiler(root).root

    def ok(self, value: object) -> bool:
        return self._root.ok(value)

    def errors(self, value: object) -> Iterator[SchemaError]:
        if self._root.ok(value):
            return iter(())
        return self._root.errors(value, ())


def compile_schema(root: Mapping[str, Any]) -> CompiledSchema:
    """``root`` compiled; raises ``UnsupportedSchema`` for keywords it cannot check."""
    return CompiledSchema(root)


class _Node:
    """One schema compiled: ``ok`` answers yes or no, ``errors`` lists what fails."""

    __slots__ = ("errors", "ok")

    def __init__(self, ok: Check, errors: Errors) -> None:
        self.ok = ok
        self.errors = errors


def _no_errors(value: object, path: Path) -> Iterator[SchemaError]:
    return iter(())


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.definitions: Mapping[str, Any] = root.get("$defs", {})
        self.compiled: dict[str, _Node] = {}
        for name, definition in self.definitions.items():
            self.compiled[name] = self.build(definition)
        self.root = self.build({key: value for key, value in root.items() if key != "$defs"})

    def build(self, schema: Mapping[str, Any] | bool) -> _Node:
        if schema is True:
            return _Node(lambda value: True, _no_errors)
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"schema {schema!r}")
        nodes: list[_Node] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword == "$defs":
                continue
            nodes.append(self.keyword(keyword, argument, schema))
        if len(nodes) == 1:
            return nodes[0]
        checks = tuple(node.ok for node in nodes)

        def ok(value: object) -> bool:
            for check in checks:  # noqa: SIM110 - a loop beats all(generator) here, on every node of every document
                if not check(value):
                    return False
            return True

        def errors(value: object, path: Path) -> Iterator[SchemaError]:
            for node in nodes:
                if not node.ok(value):
                    yield from node.errors(value, path)

        return _Node(ok, errors)

    def reference(self, name: str) -> _Node:
        if name not in self.definitions:
            raise UnsupportedSchema(f"$ref to an unknown definition {name!r}")
        compiled = self.compiled

        def ok(value: object) -> bool:
            return compiled[name].ok(value)

        return _Node(ok, lambda value, path: compiled[name].errors(value, path))

    def keyword(self, keyword: str, argument: Any, schema: Mapping[str, Any]) -> _Node:
        if keyword == "$ref":
            if not isinstance(argument, str) or not argument.startswith("#/$defs/"):
                raise UnsupportedSchema(f"$ref {argument!r}")
            return self.reference(argument[len("#/$defs/") :])
        if keyword == "properties":
            return self.properties(argument)
        if keyword == "additionalProperties":
            return self.additional(argument, frozenset(schema.get("properties", {})), schema)
        if keyword == "items":
            return self.items(argument)
        return _leaf(keyword, argument, schema, _simple(keyword, argument))

    def properties(self, argument: Mapping[str, Any]) -> _Node:
        members = {name: self.build(sub) for name, sub in argument.items()}
        checks = {name: node.ok for name, node in members.items()}

        def ok(value: object) -> bool:
            if isinstance(value, dict):
                for key, item in value.items():
                    check = checks.get(key)
                    if check is not None and not check(item):
                        return False
            return True

        def errors(value: object, path: Path) -> Iterator[SchemaError]:
            if not isinstance(value, dict):
                return
            for name, node in members.items():  # jsonschema walks the schema's order
                if name in value and not node.ok(value[name]):
                    yield from node.errors(value[name], (*path, name))

        return _Node(ok, errors)

    def additional(self, argument: Any, declared: frozenset[str], schema: Mapping[str, Any]) -> _Node:
        if argument is False:

            def closed(value: object) -> bool:
                return not isinstance(value, dict) or all(key in declared for key in value)

            return _leaf("additionalProperties", False, schema, closed)
        extra = self.build(argument)

        extra_ok = extra.ok

        def ok(value: object) -> bool:
            if isinstance(value, dict):
                for key, item in value.items():
                    if key not in declared and not extra_ok(item):
                        return False
            return True

        def errors(value: object, path: Path) -> Iterator[SchemaError]:
            if not isinstance(value, dict):
                return
            for key, item in value.items():
                if key not in declared and not extra.ok(item):
                    yield from extra.errors(item, (*path, key))

        return _Node(ok, errors)

    def items(self, argument: Any) -> _Node:
        item_node = self.build(argument)
        item_ok = item_node.ok

        def ok(value: object) -> bool:
            if isinstance(value, list):
                for item in value:
                    if not item_ok(item):
                        return False
            return True

        def errors(value: object, path: Path) -> Iterator[SchemaError]:
            if not isinstance(value, list):
                return
            for index, item in enumerate(value):
                if not item_ok(item):
                    yield from item_node.errors(item, (*path, index))

        return _Node(ok, errors)


def _leaf(keyword: str, argument: Any, schema: Mapping[str, Any], ok: Check) -> _Node:
    """A keyword that fails as a whole: one error at the value's own path."""

    def errors(value: object, path: Path) -> Iterator[SchemaError]:
        if keyword == "required" and isinstance(value, dict):  # one error per missing member, as jsonschema
            for name in argument:
                if name not in value:
                    yield SchemaError(keyword, path, value, argument, schema)
            return
        if not ok(value):
            yield SchemaError(keyword, path, value, argument, schema)

    return _Node(ok, errors)


def _simple(keyword: str, argument: Any) -> Check:
    if keyword == "type":
        names = [argument] if isinstance(argument, str) else list(argument)
        if len(names) == 1:
            return _TYPES[names[0]]
        tests = [_TYPES[name] for name in names]
        return lambda value: any(test(value) for test in tests)
    if keyword == "enum":
        allowed = list(argument)
        if all(isinstance(option, str) for option in allowed):  # the usual case: a set lookup
            strings = frozenset(allowed)
            return lambda value: isinstance(value, str) and value in strings
        return lambda value: any(_same(value, option) for option in allowed)
    if keyword == "required":
        needed = list(argument)
        return lambda value: not isinstance(value, dict) or all(name in value for name in needed)
    test = _BOUNDS.get(keyword)
    if test is None:
        raise UnsupportedSchema(keyword)
    return lambda value: test(value, argument)


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


def _is_number(value: object) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


def _same(value: object, option: object) -> bool:
    """JSON equality: 1 and true differ, 1 and 1.0 are equal (inside arrays and objects too)."""
    if isinstance(value, bool) or isinstance(option, bool):
        return type(value) is type(option) and value == option
    if isinstance(value, list) and isinstance(option, list):
        return len(value) == len(option) and all(_same(a, b) for a, b in zip(value, option, strict=True))
    if isinstance(value, dict) and isinstance(option, dict):
        return value.keys() == option.keys() and all(_same(value[key], option[key]) for key in value)
    return value == option
