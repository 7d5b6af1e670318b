"""RFC 6901 JSON pointers: building, splitting and resolving."""

from __future__ import annotations

from collections.abc import Iterable

from ecslint.core.model import JSON

_MISSING = object()


def escape(token: str | int) -> str:
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def join(base: str, *tokens: str | int) -> str:
    if len(tokens) == 1:
        return base + "/" + escape(tokens[0])
    return base + "".join("/" + escape(t) for t in tokens)


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def from_path(path: Iterable[str | int]) -> str:
    return "".join("/" + escape(t) for t in path)


def resolve(document: JSON, pointer: str) -> object:
    """The value at ``pointer``, or ``MISSING`` when the pointer does not resolve."""
    node: object = document
    for token in split(pointer):
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isascii() and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


MISSING = _MISSING


def parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""
