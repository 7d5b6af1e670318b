"""Completion of member names and enum values from the task definition schema, in JSON and YAML.

Where the cursor is (the members on the way to it, and whether a member name or a value is being
typed) is read from the text before the cursor by a tolerant scan, so a document that does not
parse yet still completes.  The schema is the one ecslint validates with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

ITEM = 0  # a path step into an array's items


class Context(NamedTuple):
    path: tuple[str | int, ...]  # member names and ITEM steps from the root to the object or array
    kind: str  # "key": a member name; "value": the value of ``key``; "item": an array element
    key: str | None = None
    in_string: bool = False  # JSON: the cursor is inside a string (no quotes to add)
    present: frozenset[str] = frozenset()  # members the object already has


class Item(NamedTuple):
    label: str
    insert: str
    detail: str
    kind: str  # "member" or "value"
    deprecated: bool = False


# -- where the cursor is ---------------------------------------------------------------------------


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*("?)|[{}\[\]:,]')


def json_context(text: str, offset: int) -> Context | None:
    """The context at ``offset`` of a JSON text (None: not in an object or array)."""
    frames: list[dict[str, Any]] = []  # kind, step (into the parent), key, expect, present
    end = min(offset, len(text))
    pending_key: str | None = None
    for token in _JSON_TOKEN.finditer(text, 0, end):
        char = token.group()[0]
        if char == '"':
            closed = bool(token.group(1)) and len(token.group()) > 1
            if not closed and token.end() == end:  # the cursor is in this string
                frame = frames[-1] if frames else None
                if frame is None:
                    return None
                if frame["kind"] == "object" and frame["expect"] == "key":
                    return Context(_path(frames), "key", in_string=True, present=frozenset(frame["present"]))
                if frame["kind"] == "object":
                    return Context(_path(frames), "value", frame["key"], True)
                return Context(_path(frames), "item", in_string=True)
            if frames and frames[-1]["kind"] == "object" and frames[-1]["expect"] == "key":
                pending_key = _decoded(token.group())
                frames[-1]["present"].add(pending_key)
        elif char in "{[":
            step: str | int | None = None
            if frames:
                parent = frames[-1]
                step = parent["key"] if parent["kind"] == "object" else ITEM
            kind = "object" if char == "{" else "array"
            frames.append({"kind": kind, "step": step, "key": None, "expect": "key", "present": set()})
        elif char in "}]":
            if frames:
                frames.pop()
        elif char == ":" and frames and frames[-1]["kind"] == "object":
            frames[-1]["key"], frames[-1]["expect"] = pending_key, "value"
        elif char == "," and frames and frames[-1]["kind"] == "object":
            frames[-1]["expect"], frames[-1]["key"] = "key", None
    if not frames:
        return None
    frame = frames[-1]
    if frame["kind"] == "array":
        return Context(_path(frames), "item")
    if frame["expect"] == "key":
        return Context(_path(frames), "key", present=frozenset(frame["present"]))
    return Context(_path(frames), "value", frame["key"])


def _decoded(token: str) -> str:
    try:
        return str(json.loads(token))
    except ValueError:
        return token.strip('"')


def _path(frames: list[dict[str, Any]]) -> tuple[str | int, ...]:
    return tuple(frame["step"] for frame in frames[1:] if frame["step"] is not None)


_YAML_LINE = re.compile(
    r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[A-Za-z0-9_-]+)?(?P<colon>:(?: +(?P<value>.*))?)?$"
)


def yaml_context(lines: list[str], line: int, column: int) -> Context | None:
    """The context at (``line``, ``column``) (0-based, code points) of a YAML text's lines.

    Walking up from the cursor: lines indented like the cursor's member are its siblings, a
    ``- `` at that column starts the array item the object is, and a less indented ``key:``
    with nothing after the colon opens the object or array the walk is in.
    """
    current = lines[line][:column] if line < len(lines) else ""
    match = _YAML_LINE.match(current)
    if match is None:
        return None
    kind, key = ("value", match["key"]) if match["colon"] is not None else ("key", None)
    steps: list[str | int] = []
    present: set[str] = set()
    collecting = True  # siblings of the cursor's own object are its present members
    if match["dashes"]:
        steps.insert(0, ITEM)
        array_column: int | None = len(match["indent"])
        object_column = -1
        collecting = False
    else:
        array_column = None
        object_column = len(match["indent"])
    for above in range(line - 1, -1, -1):
        stripped = lines[above].strip()
        if not stripped or stripped.startswith("#") or stripped.startswith("---"):
            continue
        parsed = _YAML_LINE.match(lines[above].rstrip("\r").split(" #", 1)[0].rstrip())
        if parsed is None:
            continue  # a continuation of a value
        indent, dashes = len(parsed["indent"]), parsed["dashes"]
        key_column = indent + len(dashes)
        opens = parsed["key"] is not None and parsed["colon"] is not None and not (parsed["value"] or "").strip()
        if array_column is None:  # inside an object whose members are at object_column
            if key_column > object_column:
                continue
            if key_column == object_column:
                if collecting and parsed["key"]:
                    present.add(parsed["key"])
                if dashes:  # the object is an array item that starts on this line
                    steps.insert(0, ITEM)
                    array_column, collecting = indent, False
                continue
        elif key_column > array_column or (dashes and indent == array_column):
            continue  # inside an earlier item, or an earlier item of the same array
        # a line less indented than the object (or array): it must open it
        if not opens:
            return None
        assert parsed["key"] is not None
        steps.insert(0, parsed["key"])
        collecting = False
        if dashes:
            steps.insert(0, ITEM)
            array_column, object_column = indent, -1
        else:
            array_column, object_column = None, key_column
            if key_column == 0:
                break
    if kind == "key":
        return Context(tuple(steps), "key", present=frozenset(present))
    return Context(tuple(steps), "value", key)


# -- what the schema offers there ------------------------------------------------------------------


def items(schema: Mapping[str, Any], context: Context, *, json_syntax: bool) -> list[Item]:
    """Completion items for ``context`` from ``schema`` (the task definition JSON Schema)."""
    node = _at(schema, schema, context.path)
    if node is None:
        return []
    if context.kind == "key":
        properties = node.get("properties")
        if not isinstance(properties, dict):  # a scalar (a YAML list item): its values
            return _values(node, json_syntax=json_syntax, in_string=context.in_string)
        found = []
        for name, spec in sorted(properties.items()):
            if name in context.present:
                continue
            insert = (name if context.in_string else f'"{name}": ') if json_syntax else f"{name}: "
            detail = str(spec.get("description", ""))
            found.append(Item(name, insert, detail, "member", bool(spec.get("deprecated"))))
        return found
    if context.kind == "value":
        properties = node.get("properties")
        if not isinstance(properties, dict) or context.key not in properties:
            return []
        target = _resolve(schema, properties[context.key])
    else:
        target = _resolve(schema, node.get("items", {}))
    if target is None:
        return []
    return _values(target, json_syntax=json_syntax, in_string=context.in_string)


def _values(node: Mapping[str, Any], *, json_syntax: bool, in_string: bool) -> list[Item]:
    found: list[Item] = []
    for value in node.get("enum", []):
        if not isinstance(value, str):
            continue
        insert = value if (in_string or not json_syntax) else json.dumps(value)
        found.append(Item(value, insert, str(node.get("description", "")), "value"))
    if node.get("type") == "boolean" and not in_string:
        found += [Item(word, word, "", "value") for word in ("true", "false")]
    return found


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 32:
        reference = str(node["$ref"])
        if not reference.startswith("#/$defs/"):
            return None
        target = schema.get("$defs", {}).get(reference.removeprefix("#/$defs/"))
        if not isinstance(target, Mapping):
            return None
        node, seen = target, seen + 1
    return node if isinstance(node, Mapping) else None


def _at(schema: Mapping[str, Any], node: Mapping[str, Any], path: tuple[str | int, ...]) -> Mapping[str, Any] | None:
    current = _resolve(schema, node)
    for step in path:
        if current is None:
            return None
        if step == ITEM and not isinstance(step, str):
            current = _resolve(schema, current.get("items", {})) if current.get("type") == "array" else None
            continue
        properties = current.get("properties")
        if isinstance(properties, Mapping) and step in properties:
            current = _resolve(schema, properties[step])
        elif isinstance(current.get("additionalProperties"), Mapping):
            current = _resolve(schema, current["additionalProperties"])
        else:
            return None
    return current
