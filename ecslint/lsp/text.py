"""Positions and edits in a document's text, independent of the LSP library.

ecslint counts lines from 1 and columns in code points from 1, with ``\\n`` ending a line (as
``readers/locate.py`` does); LSP counts both from 0 and columns in the client's units (UTF-16 by
default).  ``units`` converts a run of code points to the client's count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import NamedTuple

from ecslint.config.suppressions import TAG_KEY
from ecslint.core.model import Replacement
from ecslint.core.pointer import join

Units = Callable[[str], int]


class Point(NamedTuple):
    """0-based line and column in code points."""

    line: int
    column: int


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Lines:
    """A text's lines (``\\n`` ends a line; a ``\\r`` before it stays in the line) and offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        index = text.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        self.starts = starts

    def line(self, number: int) -> str:
        """Line ``number`` (0-based) without its line break."""
        if not 0 <= number < len(self.starts):
            return ""
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[number] : end]

    def point(self, offset: int) -> Point:
        import bisect

        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return Point(line, offset - self.starts[line])

    def offset(self, point: Point) -> int:
        if point.line >= len(self.starts):
            return len(self.text)
        return min(self.starts[point.line] + point.column, self.starts[point.line] + len(self.line(point.line)))

    def to_client(self, point: Point, units: Units) -> tuple[int, int]:
        return point.line, units(self.line(point.line)[: point.column])

    def from_client(self, line: int, character: int, units: Units) -> Point:
        """The code-point column of a client position (a position inside a character rounds down)."""
        text = self.line(line)
        count = 0
        for column, char in enumerate(text):
            count += units(char)
            if count > character:
                return Point(line, column)
        return Point(line, len(text))


# -- "ignore this rule here" ----------------------------------------------------------------------

_IGNORE_COMMENT = re.compile(r"(?:^|[ \t])#[ \t]*ecslint:[ \t]*ignore\[(?P<rules>[^\]\n]*)\]")
_HCL_IGNORE_COMMENT = re.compile(r"(?:^|[ \t])(?:#|//)[ \t]*ecslint:[ \t]*ignore\[(?P<rules>[^\]\n]*)\]")
_HEREDOC_START = re.compile(r"<<-?[ \t]*\"?(?P<word>[A-Za-z_][A-Za-z0-9_]*)\"?[ \t]*$")
_BLOCK_SCALAR = re.compile(r"[|>][0-9+-]*[ \t]*(#.*)?$")


def yaml_ignore_comment(lines: Lines, line: int, rule: str) -> Replacement | None:
    """An ``# ecslint: ignore[RULE]`` comment at the end of ``line`` (0-based), or the rule added to the
    one already there; None where a comment would become part of a value (inside a block scalar)."""
    text = lines.line(line).rstrip("\r")
    if not text.strip() or _inside_block_scalar(lines, line):
        return None
    return _line_comment(lines, line, text, rule, _IGNORE_COMMENT)


def hcl_ignore_comment(lines: Lines, line: int, rule: str) -> Replacement | None:
    """The same for a Terraform file: ``#`` starts a comment in HCL too; an existing ``//`` one is
    extended.  None inside a heredoc, where a comment would become part of the string."""
    text = lines.line(line).rstrip("\r")
    if not text.strip() or _inside_heredoc(lines, line):
        return None
    return _line_comment(lines, line, text, rule, _HCL_IGNORE_COMMENT)


def _line_comment(lines: Lines, line: int, text: str, rule: str, pattern: re.Pattern[str]) -> Replacement | None:
    start = lines.starts[line]
    existing = pattern.search(text)
    if existing is not None:
        rules = existing.group("rules")
        if rule in {part.strip() for part in rules.split(",")}:
            return None
        at = start + existing.end("rules")
        return Replacement(at, at, f", {rule}" if rules.strip() else rule)
    end = start + len(text)
    return Replacement(end, end, f"  # ecslint: ignore[{rule}]")


def _inside_block_scalar(lines: Lines, line: int) -> bool:
    """Whether ``line`` is (or may be) text of a ``|`` or ``>`` block scalar started above it."""
    indent = _indent(lines.line(line))
    for above in range(line - 1, -1, -1):
        text = lines.line(above).rstrip("\r")
        if not text.strip():
            continue
        if _indent(text) < indent:
            return _BLOCK_SCALAR.search(text.split(": ", 1)[-1].strip()) is not None and (
                ": " in text or text.lstrip().startswith(("- ", "|", ">"))
            )
    return False


def _inside_heredoc(lines: Lines, line: int) -> bool:
    """Whether ``line`` (0-based) is text of a ``<<WORD`` / ``<<-WORD`` heredoc, or its end."""
    closing: str | None = None
    for number in range(line + 1):
        text = lines.line(number).rstrip("\r")
        if closing is not None:
            if text.strip() == closing:
                if number == line:
                    return True
                closing = None
            continue
        if number == line:
            return False
        opened = _HEREDOC_START.search(text)
        if opened is not None:
            closing = opened.group("word")
    return closing is not None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def json_ignore_tag(
    text: str,
    data: object,
    value_offsets: Callable[[str], tuple[int, int] | None],
    rule: str,
    base: str = "",
    names: tuple[str, str, str] = ("tags", "key", "value"),
) -> Replacement | None:
    """An ``ecslint:ignore`` tag for ``rule`` in the JSON object ``data`` at pointer ``base``: a task
    definition (``tags``, ``key``, ``value``) or a template's task definition ``Properties`` (``Tags``,
    ``Key``, ``Value``).  The rule is added to the tag's value, a tag to the list, or the list added."""
    member, key, value = names
    if not isinstance(data, dict):
        return None
    tags = data.get(member)
    if isinstance(tags, list):
        for index, tag in enumerate(tags):
            if isinstance(tag, dict) and tag.get(key) == TAG_KEY and isinstance(tag.get(value), str):
                words = tag[value].split()
                if rule in words:
                    return None
                found = value_offsets(join(base, member, index, value))
                if found is None:
                    return None
                return Replacement(found[0], found[1], json.dumps(" ".join([*words, rule])))
        found = value_offsets(join(base, member))
        if found is None:
            return None
        new_tag = json.dumps({key: TAG_KEY, value: rule})
        close = found[1] - 1  # the array's "]"
        if not tags:
            return Replacement(found[0], found[1], f"[{new_tag}]")
        last = len(text[:close].rstrip())
        return Replacement(last, last, f", {new_tag}")
    if member in data:
        return None  # tags of the wrong type: the schema finding comes first
    root = value_offsets(base)
    if root is None or not data:
        return None
    after_brace = root[0] + 1
    rest = text[after_brace:]
    gap = rest[: len(rest) - len(rest.lstrip())]
    tag_list = json.dumps([{key: TAG_KEY, value: rule}])
    indent = gap if "\n" in gap else " "
    return Replacement(after_brace, after_brace, f'{indent}"{member}": {tag_list},')
