"""Where each node of a JSON text is: pointer -> key and value offsets.

Used only when a finding needs a position (a clean file never pays for this walk) and to
name duplicate keys.  The scanner expects text that ``json.loads`` accepted (after the
syntax layer's repairs, which keep every offset in place).  It is iterative, so deep
nesting cannot exhaust the Python stack.  Offsets are code-point indexes into the text.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

from ecslint.core.pointer import escape

_WHITESPACE = " \t\r\n"
_SCALAR_END = ",}] \t\r\n"


class NodeOffsets:
    """Where one node is: its value, and its key when it is an object member (-1: none)."""

    __slots__ = ("key_end", "key_start", "value_end", "value_start")

    def __init__(self, value_start: int, value_end: int = -1, key_start: int = -1, key_end: int = -1) -> None:
        self.value_start = value_start
        self.value_end = value_end
        self.key_start = key_start
        self.key_end = key_end


class ScanResult:
    """Every node by pointer; and each duplicate key: the pointer of the later occurrence,
    its key's offsets, and the key as written."""

    __slots__ = ("duplicates", "nodes")

    def __init__(self) -> None:
        self.nodes: dict[str, NodeOffsets] = {}
        self.duplicates: list[tuple[str, int, int, str]] = []


def _string_end(text: str, start: int) -> int:
    """Index just past the closing quote of the string that opens at ``start``."""
    index = start + 1
    while True:
        quote = text.find('"', index)
        if quote < 0:
            return len(text)
        backslashes = 0
        probe = quote - 1
        while probe > start and text[probe] == "\\":
            backslashes += 1
            probe -= 1
        if backslashes % 2 == 0:
            return quote + 1
        index = quote + 1


def _skip_whitespace(text: str, index: int) -> int:
    length = len(text)
    while index < length and text[index] in _WHITESPACE:
        index += 1
    return index


def _decode_key(raw: str) -> str:
    if "\\" not in raw:
        return raw[1:-1]
    try:
        value = json.loads(raw)
    except ValueError:
        return raw[1:-1]
    return value if isinstance(value, str) else raw[1:-1]


class _Frame:
    __slots__ = ("count", "is_object", "keys", "pointer")

    def __init__(self, pointer: str, is_object: bool) -> None:
        self.pointer = pointer
        self.is_object = is_object
        self.count = 0
        self.keys: set[str] = set()


def scan(text: str) -> ScanResult:
    """Offsets of every node of the JSON ``text``, keyed by RFC 6901 pointer."""
    result = ScanResult()
    nodes = result.nodes
    stack: list[_Frame] = []
    length = len(text)
    index = _skip_whitespace(text, 0)
    pointer, key_span = "", None
    while index < length:
        # -- a value starts at ``index`` -------------------------------------------------
        node = NodeOffsets(index)
        if key_span is not None:
            node.key_start, node.key_end = key_span
        nodes[pointer] = node
        char = text[index]
        if char in "{[":
            frame = _Frame(pointer, char == "{")
            stack.append(frame)
            index = _skip_whitespace(text, index + 1)
            if index < length and text[index] not in "}]":
                index, pointer, key_span = _first_member(text, index, frame, result)
                continue
        else:
            if char == '"':
                end = _string_end(text, index)
            else:
                end = index + 1
                while end < length and text[end] not in _SCALAR_END:
                    end += 1
            node.value_end = end
            index = end
        # -- after a value: close containers, find the next member ----------------------
        found_next = False
        while stack:
            index = _skip_whitespace(text, index)
            if index >= length:
                break
            char = text[index]
            if char in "}]":
                nodes[stack.pop().pointer].value_end = index + 1
                index += 1
                continue
            if char == ",":
                index = _skip_whitespace(text, index + 1)
                index, pointer, key_span = _first_member(text, index, stack[-1], result)
                found_next = True
            break
        if not found_next:
            break
    return result


def _first_member(text: str, index: int, frame: _Frame, result: ScanResult) -> tuple[int, str, tuple[int, int] | None]:
    """The next member of ``frame`` at ``index``: its pointer, key span and value start."""
    if not frame.is_object:
        position = frame.count
        frame.count += 1
        return index, frame.pointer + "/" + str(position), None
    return _read_key(text, index, frame, result)


def _read_key(text: str, index: int, frame: _Frame, result: ScanResult) -> tuple[int, str, tuple[int, int] | None]:
    """Read the key at ``index`` and the colon after it; return where its value starts."""
    if index >= len(text) or text[index] != '"':
        return index, frame.pointer, None
    key_start = index
    key_end = _string_end(text, index)
    key = _decode_key(text[key_start:key_end])
    pointer = frame.pointer + "/" + escape(key)
    if key in frame.keys:
        result.duplicates.append((pointer, key_start, key_end, key))
    frame.keys.add(key)
    index = _skip_whitespace(text, key_end)
    if index < len(text) and text[index] == ":":
        index = _skip_whitespace(text, index + 1)
    return index, pointer, (key_start, key_end)


# -- the lazy index: only the objects and arrays on the way to the pointers asked for ------------

_WHITESPACE_RUN = re.compile(r"[ \t\n\r]*")


class JsonIndex:
    """Pointer -> offsets, found on demand: a finding at ``/containerDefinitions/0/image``
    reads the members of the root and of the first container, and skips every other value
    with the C decoder.  The same offsets as ``scan`` gives (a duplicate key's later value
    wins, as in the parsed data).  Expects text that ``json.loads`` accepted."""

    __slots__ = ("_expanded", "_scan_once", "nodes", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        start = _WHITESPACE_RUN.match(text, 0).end()  # type: ignore[union-attr]
        self.nodes: dict[str, NodeOffsets] = {"": NodeOffsets(start, len(text.rstrip()))}
        self._expanded: set[str] = set()
        self._scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

    def node(self, pointer: str) -> NodeOffsets | None:
        """The offsets of the node at ``pointer``, or None when there is none."""
        found = self.nodes.get(pointer)
        if found is not None or not pointer:
            return found
        # the nearest known ancestor, then expand downwards (no recursion: pointers can be deep)
        missing = [pointer]
        parent = pointer.rsplit("/", 1)[0]
        while parent and parent not in self.nodes:
            missing.append(parent)
            parent = parent.rsplit("/", 1)[0]
        for child in reversed(missing):
            parent = child.rsplit("/", 1)[0]
            if parent in self._expanded:
                return self.nodes.get(pointer)  # expanded already, and the child is not there
            self._expand(parent)
            if child not in self.nodes:
                return None
        return self.nodes.get(pointer)

    def _expand(self, pointer: str) -> None:
        self._expanded.add(pointer)
        text, index = self.text, self.nodes[pointer].value_start
        opening = text[index : index + 1]
        if opening not in ("{", "["):
            return
        try:
            if opening == "{":
                self._members(pointer, index + 1)
            else:
                self._items(pointer, index + 1)
        except (ValueError, StopIteration, IndexError, RecursionError):
            return  # not JSON after all: what was found so far stands

    def _members(self, pointer: str, index: int) -> None:
        text, nodes, skip, scan_once = self.text, self.nodes, _WHITESPACE_RUN.match, self._scan_once
        index = skip(text, index).end()  # type: ignore[union-attr]
        if text[index] == "}":
            return
        while True:
            key_start = index
            key, index = scanstring(text, index + 1)
            key_end = index
            if text[index] != ":":
                index = skip(text, index).end()  # type: ignore[union-attr]
            index += 1  # past the colon
            if text[index] in " \t\n\r":
                index = skip(text, index).end()  # type: ignore[union-attr]
            _, value_end = scan_once(text, index)
            name = escape(key) if "~" in key or "/" in key else key
            nodes[pointer + "/" + name] = NodeOffsets(index, value_end, key_start, key_end)
            index = value_end
            if text[index] != ",":
                index = skip(text, index).end()  # type: ignore[union-attr]
                if text[index] != ",":
                    return
            index = skip(text, index + 1).end()  # type: ignore[union-attr]

    def _items(self, pointer: str, index: int) -> None:
        text, nodes, skip = self.text, self.nodes, _WHITESPACE_RUN.match
        index = skip(text, index).end()  # type: ignore[union-attr]
        if text[index] == "]":
            return
        position = 0
        while True:
            _, value_end = self._scan_once(text, index)
            nodes[f"{pointer}/{position}"] = NodeOffsets(index, value_end)
            position += 1
            index = skip(text, value_end).end()  # type: ignore[union-attr]
            if text[index] != ",":
                return
            index = skip(text, index + 1).end()  # type: ignore[union-attr]
