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
from ecslint.core.numbers import showable, too_long
from ecslint.core.taskdef import PLACEHOLDER_TOKEN, placeholder_token
from ecslint.readers.syntax import (
    DUPLICATE_KEY,
    INVALID_YAML,
    MAX_DEPTH,
    TOO_DEEP_REASON,
    Located,
    number_too_long_reason,
)
from ecslint.readers.yamlio import LIBRARY_FAILURES, NODE_BUDGET, library_failure

_NODE_BUDGET = NODE_BUDGET
_CORE = "tag:yaml.org,2002:"
_TOKEN_STARTS = frozenset("<${#_")  # how a placeholder token (PLACEHOLDER_TOKEN) begins


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    """A collection nested more than MAX_DEPTH deep, at ``mark``."""

    def __init__(self, mark: Any) -> None:
        super().__init__("too deep")
        self.mark = mark


def _depth_limited(yaml: Any) -> None:
    """Make ``yaml`` refuse a collection nested more than MAX_DEPTH deep as it composes it, so
    composing never recurses deeper than that, whatever the stack already holds."""
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import MappingStartEvent, SequenceStartEvent

    class DepthLimitedComposer(Composer):
        nesting = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if not self.parser.check_event(SequenceStartEvent, MappingStartEvent):
                return super().compose_node(parent, index)
            if self.nesting >= MAX_DEPTH:
                raise _TooDeep(self.parser.peek_event().start_mark)
            self.nesting += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.nesting -= 1

    yaml.Composer = DepthLimitedComposer


class _NumberTooLong(Exception):
    """An integer of more than 4,300 digits (``str()`` and ``int()`` refuse it); ``offset``: where."""

    def __init__(self, literal: str) -> None:
        super().__init__("number too long")
        self.literal = literal
        self.offset = 0


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


def parse_yaml(text: str, skip: int = 0) -> YamlParse:
    """``skip``: how many characters the text starts with that YAML does not read (byte order marks,
    which the decoder blanks to keep positions): the stream starts after them, so the first line's
    indentation is what follows them, and every position is shifted back to the text's own."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=True)
    _depth_limited(yaml)
    try:
        root = yaml.compose(text[skip:] if skip else text)
        if skip and root is not None:
            _shift_marks(root, skip)
    except _TooDeep as error:
        _shift_mark(error.mark, skip)
        return YamlParse(None, False, problems=[_too_deep(text, error.mark)])
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        _shift_mark(mark, skip)
        offset = _mark_offset(text, mark) if mark else 0
        reason = " ".join(str(part) for part in (error.context, error.problem) if part) or "invalid YAML"
        return YamlParse(
            None, False, problems=[Located(INVALID_YAML, Violation("", {"reason": reason}), offset, offset + 1)]
        )
    except RecursionError:
        return YamlParse(None, False, problems=[_problem("the document is nested too deeply to check")])
    except YAMLError as error:
        return YamlParse(None, False, problems=[_problem(str(error))])
    except LIBRARY_FAILURES as error:
        offset, reason = library_failure(text, error)
        problem = Located(INVALID_YAML, Violation("", {"reason": reason}), offset, offset + 1)
        return YamlParse(None, False, problems=[problem])
    if root is None:
        return YamlParse(None, True, None)
    converter = _Converter(text)
    try:
        data = converter.convert(root)
    except _TooLarge:
        return YamlParse(None, False, root, [_problem("aliases expand to more than 500,000 nodes", "alias-bomb")])
    except _TooDeep as error:
        return YamlParse(None, False, root, [_too_deep(text, error.mark)])
    except RecursionError:
        return YamlParse(None, False, root, [_problem("the document is nested too deeply to check")])
    except _NumberTooLong as error:
        reason = number_too_long_reason(error.literal)
        start, end = error.offset, error.offset + len(error.literal)
        violation = Violation("", {"reason": reason}, variant="number-too-long")
        return YamlParse(None, False, root, [Located(INVALID_YAML, violation, start, end)])
    return YamlParse(data, True, root, converter.problems)


def _shift_marks(root: Any, skip: int) -> None:
    """Every mark of the composed nodes moved ``skip`` characters on (and, on the first line, columns)."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        for mark in (node.start_mark, node.end_mark):
            if mark is not None and id(mark) not in seen:
                seen.add(id(mark))
                _shift_mark(mark, skip)
        value = node.value
        if isinstance(value, list):
            for item in value:
                pending.extend(item if isinstance(item, tuple) else (item,))


def _shift_mark(mark: Any, skip: int) -> None:
    if not skip or mark is None:
        return
    if isinstance(getattr(mark, "index", None), int):
        mark.index += skip
    if getattr(mark, "line", None) == 0 and isinstance(getattr(mark, "column", None), int):
        mark.column += skip


def _too_deep(text: str, mark: Any) -> Located:
    offset = _mark_offset(text, mark)
    return Located(INVALID_YAML, Violation("", {"reason": TOO_DEEP_REASON}, variant="too-deep"), offset, offset + 1)


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

    def convert(self, node: Any, pointer: str = "", depth: int = 0) -> JSON:
        """``node`` as data; ``depth``: the collections around it (aliases can nest what the
        composer saw shallow, so the limit is checked again here)."""
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge
        kind = node.id
        tag = _tag(node)
        if kind != "scalar" and depth >= MAX_DEPTH:
            raise _TooDeep(node.start_mark)
        if kind == "scalar":
            text = node.value
            if (
                node.style is None
                and text[:1] in _TOKEN_STARTS
                and tag == _CORE + "str"
                and PLACEHOLDER_TOKEN.fullmatch(text)
            ):
                return placeholder_token(node.value)  # cpu: <CPU>, as a sed step fills it in
            try:
                value: JSON = self._scalar(node, tag)
            except _NumberTooLong as error:
                error.offset = _mark_offset(self.text, node.start_mark)
                raise
        elif kind == "sequence":
            value = [self.convert(item, f"{pointer}/{index}", depth + 1) for index, item in enumerate(node.value)]
        else:
            written = self._flow_token(node) if node.flow_style else None
            if written is not None:
                return placeholder_token(written)  # port: {{ PORT }}, which YAML reads as a mapping
            value = self._mapping(node, pointer, depth)
        if tag.startswith("!") and not tag.startswith("!!"):
            return _intrinsic(tag[1:], value)
        return value

    def _mapping(self, node: Any, pointer: str, depth: int) -> dict[str, JSON]:
        from ecslint.core.pointer import escape

        result: dict[str, JSON] = {}
        merged: dict[str, JSON] = {}
        for key_node, value_node in node.value:
            if _tag(key_node) == _CORE + "merge":
                sources = value_node.value if value_node.id == "sequence" else [value_node]
                for source in sources:
                    converted = self.convert(source, pointer, depth)
                    if isinstance(converted, dict):
                        for key, value in converted.items():
                            merged.setdefault(key, value)
                continue
            key_value = self.convert(key_node, pointer, depth + 1) if key_node.id != "scalar" else key_node.value
            key = key_value if isinstance(key_value, str) else _key_text(key_value)
            child = f"{pointer}/{escape(key)}"
            if key in result:
                start = _mark_offset(self.text, key_node.start_mark)
                end = _mark_offset(self.text, key_node.end_mark)
                self.problems.append(
                    Located(DUPLICATE_KEY, Violation(child, {"key": key}, "yaml", at="key"), start, end)
                )
            result[key] = self.convert(value_node, child, depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _flow_token(self, node: Any) -> str | None:
        """``{{ NAME }}`` written as a value: the template token YAML reads as a mapping in a mapping."""
        if node.start_mark is None or node.end_mark is None:
            return None
        text = self.text[_mark_offset(self.text, node.start_mark) : _mark_offset(self.text, node.end_mark)]
        return text if text.startswith("{{") and PLACEHOLDER_TOKEN.fullmatch(text) else None

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
    """An int scalar's value; ``_NumberTooLong`` when it has more than 4,300 digits."""
    cleaned = text.replace("_", "")
    try:
        lowered = cleaned.lower().lstrip("+-")
        sign = -1 if cleaned.startswith("-") else 1
        if lowered.startswith(("0x", "0o", "0b")):
            value = sign * int(lowered[2:], {"x": 16, "o": 8, "b": 2}[lowered[1]])
            if not showable(value):
                raise _NumberTooLong(text)
            return value
        if too_long(cleaned):
            raise _NumberTooLong(text)
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
