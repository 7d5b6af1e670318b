"""JSON pointer -> line and column: the only code that computes positions.

A ``Locator`` is built per document but does no work until a finding asks for a
position; then only the JSON objects on the way to that pointer are read (``JsonIndex``),
or the YAML node tree is walked.
Lines and columns are 1-based and count code points; a span's end is exclusive.
"""

from __future__ import annotations

import bisect
import json
from typing import TYPE_CHECKING, Any

from ecslint.core.model import Position, Span
from ecslint.core.pointer import split

if TYPE_CHECKING:
    from ecslint.readers.jsonscan import JsonIndex, NodeOffsets


class TextIndex:
    """Offsets <-> (line, column) for one text, built on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            index = self.text.find("\n")
            while index >= 0:
                starts.append(index + 1)
                index = self.text.find("\n", index + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> Position:
        starts = self.line_starts
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(starts, offset) - 1
        return Position(line + 1, offset - starts[line] + 1)

    def span(self, start: int, end: int) -> Span:
        end = max(end, start + 1) if start < len(self.text) else max(end, start)
        return Span(self.position(start), self.position(end))

    def line_end(self, offset: int) -> int:
        """The offset of the newline that ends the line ``offset`` is on (the text's length on the last)."""
        starts = self.line_starts
        line = bisect.bisect_right(starts, max(0, offset))
        return starts[line] - 1 if line < len(starts) else len(self.text)

    def line_length(self, line: int) -> int:
        """The length of line ``line`` (1-based) without its newline; 0 past the end."""
        starts = self.line_starts
        if not 1 <= line <= len(starts):
            return 0
        return (starts[line] - 1 if line < len(starts) else len(self.text)) - starts[line - 1]

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r")


class Locator:
    """Finds the offsets of the node a pointer designates, in the file's own text."""

    def __init__(
        self,
        index: TextIndex,
        *,
        json_text: str | None = None,
        yaml_root: Any = None,
        nodes: dict[str, NodeOffsets] | None = None,
    ) -> None:
        """``nodes``: a precomputed pointer -> offsets map into ``index.text`` (a source such as
        Terraform that finds its own positions); otherwise the JSON text is scanned on first use."""
        self.index = index
        self._json_text = json_text
        self._yaml_root = yaml_root
        self._nodes: dict[str, NodeOffsets] | None = nodes
        self._json_index: JsonIndex | None = None
        # (start, end) of a string token -> where its decoded value's code points are: a string
        # with a thousand findings inside it is searched and decoded once, not a thousand times
        self._strings: dict[tuple[int, int], _StringOffsets | None] = {}
        self._yaml_keys: dict[int, dict[str, tuple[Any, Any]]] = {}  # a mapping node's keys, by its id
        if nodes is not None and json_text is None:
            self._json_text = index.text

    def offsets(self, pointer: str, at: str = "value") -> tuple[int, int] | None:
        """(start, end) of the key or value at ``pointer`` or of its nearest existing ancestor."""
        if self._json_text is not None:
            return self._json_offsets(pointer, at)
        if self._yaml_root is not None:
            return self._yaml_offsets(pointer, at)
        return None

    def key_offsets(self, pointer: str) -> tuple[int, int] | None:
        """(start, end) of exactly the key of the member at ``pointer`` (quotes included), for fixes."""
        if not pointer:
            return None
        if self._json_text is not None:
            node = self._json_node(pointer)
            return (node.key_start, node.key_end) if node is not None and node.key_start >= 0 else None
        if self._yaml_root is not None:
            node, key_node = self._yaml_root, None
            for token in split(pointer):
                if getattr(node, "anchor", None) is not None:
                    return None  # the key is in a mapping shared with its aliases: renaming would change them too
                node, key_node = _yaml_child(node, token)
                if node is None:
                    return None
            if key_node is None or key_node.id != "scalar":
                return None
            return _mark_index(self.index.text, key_node.start_mark), _mark_index(self.index.text, key_node.end_mark)
        return None

    def value_offsets(self, pointer: str) -> tuple[int, int] | None:
        """(start, end) of exactly the value at ``pointer`` (no ancestor stands in), for fixes."""
        if self._json_text is not None:
            node = self._json_node(pointer)
            return (node.value_start, node.value_end) if node is not None and node.value_end > 0 else None
        if self._yaml_root is not None:
            node = self._yaml_root
            for token in [None, *split(pointer)]:
                if token is not None:
                    node, _ = _yaml_child(node, token)
                if node is None or getattr(node, "anchor", None) is not None:
                    return None  # an anchored node is shared with its aliases: rewriting it would change them too
            if node.id != "scalar":
                return None
            return _mark_index(self.index.text, node.start_mark), _mark_index(self.index.text, node.end_mark)
        return None

    # -- JSON -----------------------------------------------------------------------------

    def _json_node(self, pointer: str) -> NodeOffsets | None:
        if self._nodes is not None:  # a source that found its own positions
            return self._nodes.get(pointer)
        if self._json_index is None:
            from ecslint.readers.jsonscan import JsonIndex

            self._json_index = JsonIndex(self._json_text or "")
        return self._json_index.node(pointer)

    def _json_offsets(self, pointer: str, at: str) -> tuple[int, int] | None:
        probe = pointer
        while True:
            node = self._json_node(probe)
            if node is not None:
                break
            if not probe:
                return None
            probe, at = probe.rsplit("/", 1)[0], "value"
        if (at == "key" or self._is_container(node.value_start)) and node.key_start >= 0:
            return node.key_start, node.key_end
        if self._is_container(node.value_start):
            return node.value_start, node.value_start + 1
        return node.value_start, node.value_end

    def _is_container(self, offset: int) -> bool:
        text = self._json_text or ""
        return offset < len(text) and text[offset] in "{["

    # -- YAML -----------------------------------------------------------------------------

    def _yaml_offsets(self, pointer: str, at: str) -> tuple[int, int] | None:
        node, key_node = self._yaml_root, None
        for token in split(pointer):
            child, child_key = self._yaml_child(node, token)
            if child is None:
                at = "value"
                break
            node, key_node = child, child_key
        if key_node is not None and (at == "key" or node.id != "scalar"):
            node = key_node
        start = _mark_index(self.index.text, node.start_mark)
        end = _mark_index(self.index.text, node.end_mark)
        if node.id != "scalar":
            end = start + 1
        return start, max(end, start + 1)

    def _yaml_child(self, node: Any, token: str) -> tuple[Any, Any]:
        """``_yaml_child``, with each mapping's keys read once: thousands of findings under one
        mapping of thousands of keys do not each read all its keys."""
        if node.id != "mapping":
            return _yaml_child(node, token)
        keys = self._yaml_keys.get(id(node))
        if keys is None:
            keys = self._yaml_keys[id(node)] = {}
            for key_node, value_node in node.value:
                if key_node.id == "scalar":
                    keys[str(key_node.value)] = (value_node, key_node)  # the last of a repeated key, as before
        return keys.get(token, (None, None))

    # -- spans ----------------------------------------------------------------------------

    def span(
        self, pointer: str, at: str = "value", substring: tuple[int, int] | None = None, value: object = None
    ) -> Span | None:
        found = self.offsets(pointer, at)
        if found is None:
            return None
        start, end = found
        if substring is not None and isinstance(value, str):
            key = (start, end)
            if key not in self._strings:
                self._strings[key] = _string_offsets(self.index.text, start, end, value)
            narrowed = _narrow(self._strings[key], start, len(value), substring)
            if narrowed is not None:
                start, end = narrowed
        # a span never runs past the end of its first line; what TextIndex.line_end, then
        # TextIndex.span would find, with the start's line looked up once (a finding and each of
        # its occurrences ask for a span)
        index = self.index
        starts, size = index.line_starts, len(index.text)
        line = bisect.bisect_right(starts, max(0, min(start, size))) - 1
        line_end = starts[line + 1] - 1 if line + 1 < len(starts) else size
        if line_end < size and end > line_end:
            end = line_end if line_end > start else start + 1
        end = max(end, start + 1) if start < size else max(end, start)
        first = Position(line + 1, max(0, min(start, size)) - starts[line] + 1)
        if end <= line_end:  # on the same line
            return Span(first, Position(line + 1, max(0, end) - starts[line] + 1))
        return Span(first, index.position(end))


def _yaml_child(node: Any, token: str) -> tuple[Any, Any]:
    if node.id == "mapping":
        found: tuple[Any, Any] = (None, None)
        for key_node, value_node in node.value:
            if key_node.id == "scalar" and str(key_node.value) == token:
                found = (value_node, key_node)
        return found
    if node.id == "sequence" and token.isascii() and token.isdigit() and int(token) < len(node.value):
        return node.value[int(token)], None
    return None, None


def _mark_index(text: str, mark: Any) -> int:
    index = getattr(mark, "index", None)
    if isinstance(index, int):
        return min(index, len(text))
    return 0


# Where a string token's decoded value sits: the offset of the value written verbatim, or for
# each decoded code point its offset in the token (escapes make them differ).
_StringOffsets = int | list[int]


def _string_offsets(text: str, start: int, end: int, value: str) -> _StringOffsets | None:
    found = text.find(value, start, end)
    if found >= 0:
        return found
    token = text[start:end]
    return _json_string_offsets(token) if token.startswith('"') else None


def _narrow(
    offsets: _StringOffsets | None, start: int, length: int, substring: tuple[int, int]
) -> tuple[int, int] | None:
    """Offsets of ``value[substring]`` inside the token at ``start`` (``length``: the value's)."""
    first, last = substring
    if offsets is None or not 0 <= first <= last <= length:
        return None
    if isinstance(offsets, int):
        return offsets + first, offsets + max(last, first + 1)
    if last <= len(offsets) - 1:
        return start + offsets[first], start + offsets[max(last, first + 1) - 1] + 1
    return None


def _json_string_offsets(token: str) -> list[int] | None:
    """For each decoded code point of a JSON string token, its offset in the token."""
    offsets: list[int] = []
    index = 1
    while index < len(token) - 1:
        if token[index] == "\\":
            width = 6 if token[index + 1 : index + 2] == "u" else 2
            try:
                decoded = json.loads('"' + token[index : index + width] + '"')
            except ValueError:
                return None
            offsets.extend([index] * len(decoded))
            index += width
        else:
            offsets.append(index)
            index += 1
    offsets.append(index)
    return offsets
