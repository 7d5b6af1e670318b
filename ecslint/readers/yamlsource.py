"""YAML task definitions (what ``--cli-input-yaml`` takes) and CloudFormation YAML.

The text is *composed* into ruamel.yaml nodes (safe: nothing is constructed, so tags such
as ``!!python/object`` build no objects) and converted to plain data here.  The node tree
doubles as the position map.  CloudFormation short tags (``!Ref X``, ``!Sub ...``,
``!GetAtt A.B``) become their long forms (``{"Ref": "X"}``), values no rule can know.
Aliases are expanded under a budget, so a "billion laughs" document is an error, not a hang.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ecslint.core.model import JSON, Violation
from ecslint.readers.syntax import DUPLICATE_KEY, INVALID_YAML, Located

_NODE_BUDGET = 500_000
_CORE = "tag:yaml.org,2002:"


class _TooLarge(Exception):
    pass


@dataclass(slots=True)
class YamlParse:
    data: JSON | None
    ok: bool
    root: Any = None
    problems: list[Located] = field(default_factory=list)


def _tag(node: Any) -> str:
    tag = node.tag
    return str(getattr(tag, "value", tag) or "")


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    index = text.find("\n")
    while index >= 0:
        offsets.append(index + 1)
        index = text.find("\n", index + 1)
    return offsets


def parse_yaml(text: str) -> YamlParse:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        offset = _mark_offset(text, mark) if mark else 0
        reason = " ".join(str(part) for part in (error.context, error.problem) if part) or "invalid YAML"
        return YamlParse(
            None, False, problems=[Located(INVALID_YAML, Violation("", {"reason": reason}), offset, offset + 1)]
        )
    except RecursionError:
        return YamlParse(None, False, problems=[_problem("the document is nested too deeply to check")])
    except YAMLError as error:
        return YamlParse(None, False, problems=[_problem(str(error))])
    if root is None:
        return YamlParse(None, True, None)
    converter = _Converter(text)
    try:
        data = converter.convert(root)
    except _TooLarge:
        return YamlParse(None, False, root, [_problem("aliases expand to more than 500,000 nodes", "alias-bomb")])
    except RecursionError:
        return YamlParse(None, False, root, [_problem("the document is nested too deeply to check")])
    return YamlParse(data, True, root, converter.problems)


def _problem(reason: str, variant: str = "default") -> Located:
    return Located(INVALID_YAML, Violation("", {"reason": reason}, variant=variant), 0, 1)


def _mark_offset(text: str, mark: Any) -> int:
    index = getattr(mark, "index", None)
    if isinstance(index, int) and 0 <= index <= len(text):
        return index
    offsets = _line_offsets(text)
    line = min(int(mark.line), len(offsets) - 1)
    return offsets[line] + int(mark.column)


class _Converter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.budget = _NODE_BUDGET
        self.problems: list[Located] = []

    def convert(self, node: Any, pointer: str = "") -> JSON:
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge
        kind = node.id
        tag = _tag(node)
        if kind == "scalar":
            value: JSON = self._scalar(node, tag)
        elif kind == "sequence":
            value = [self.convert(item, f"{pointer}/{index}") for index, item in enumerate(node.value)]
        else:
            value = self._mapping(node, pointer)
        if tag.startswith("!") and not tag.startswith("!!"):
            return _intrinsic(tag[1:], value)
        return value

    def _mapping(self, node: Any, pointer: str) -> dict[str, JSON]:
        from ecslint.core.pointer import escape

        result: dict[str, JSON] = {}
        merged: dict[str, JSON] = {}
        for key_node, value_node in node.value:
            if _tag(key_node) == _CORE + "merge":
                sources = value_node.value if value_node.id == "sequence" else [value_node]
                for source in sources:
                    converted = self.convert(source, pointer)
                    if isinstance(converted, dict):
                        for key, value in converted.items():
                            merged.setdefault(key, value)
                continue
            key_value = self.convert(key_node, pointer) if key_node.id != "scalar" else key_node.value
            key = key_value if isinstance(key_value, str) else _key_text(key_value)
            child = f"{pointer}/{escape(key)}"
            if key in result:
                start = _mark_offset(self.text, key_node.start_mark)
                end = _mark_offset(self.text, key_node.end_mark)
                self.problems.append(
                    Located(DUPLICATE_KEY, Violation(child, {"key": key}, "yaml", at="key"), start, end)
                )
            result[key] = self.convert(value_node, child)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    @staticmethod
    def _scalar(node: Any, tag: str) -> JSON:
        text: str = node.value
        if node.style in ("'", '"', "|", ">") or not tag.startswith(_CORE):
            return text
        kind = tag[len(_CORE) :]
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() in ("true", "yes", "on", "y")
        if kind == "int":
            return _int(text)
        if kind == "float":
            number = _float(text)
            return number if math.isfinite(number) else text
        return text


def _key_text(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _int(text: str) -> JSON:
    cleaned = text.replace("_", "")
    try:
        lowered = cleaned.lower().lstrip("+-")
        sign = -1 if cleaned.startswith("-") else 1
        if lowered.startswith("0x"):
            return sign * int(lowered[2:], 16)
        if lowered.startswith("0o"):
            return sign * int(lowered[2:], 8)
        if lowered.startswith("0b"):
            return sign * int(lowered[2:], 2)
        return int(cleaned, 10)
    except ValueError:
        return text


def _float(text: str) -> float:
    lowered = text.lower().replace("_", "")
    if lowered in (".inf", "+.inf"):
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    if lowered == ".nan":
        return math.nan
    try:
        return float(lowered)
    except ValueError:
        return math.nan


def _intrinsic(name: str, value: JSON) -> JSON:
    """A CloudFormation short-form tag as its long form: ``!Ref X`` -> ``{"Ref": "X"}``."""
    if name == "Ref":
        return {"Ref": value}
    if name == "Condition":
        return {"Condition": value}
    if name == "GetAtt" and isinstance(value, str):
        parts: list[JSON] = list(value.split(".", 1))
        return {"Fn::GetAtt": parts}
    return {"Fn::" + name: value}
