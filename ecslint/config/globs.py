"""Glob patterns for ``include``, ``exclude`` and ``per-file-ignores``, gitignore-style.

``*`` matches within one path segment, ``**`` across segments, ``?`` one character and
``[...]`` a class.  A pattern without ``/`` matches a file's name, or any folder it sits
in, at any depth (``*.yaml``, ``vendor``); a pattern with ``/`` matches the path relative
to the project root (``deploy/**/prod-*.json``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Glob(NamedTuple):
    pattern: str
    regex: re.Pattern[str]
    anywhere: bool  # no "/" in the pattern: match the name or a folder at any depth

    def matches(self, relative: str) -> bool:
        """Whether the POSIX path ``relative`` (or a folder above it) matches."""
        parts = relative.strip("/").split("/")
        if self.anywhere:
            return any(self.regex.fullmatch(part) for part in parts)
        return any(self.regex.fullmatch("/".join(parts[:end])) for end in range(len(parts), 0, -1))


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> Glob:
    """Compile ``pattern``; ``ValueError`` says what is wrong with it."""
    if not pattern.strip():
        raise ValueError("an empty pattern matches nothing")
    text = pattern.removeprefix("./").rstrip("/")
    anywhere = "/" not in text
    text = text.lstrip("/")
    regex: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("**/", index):
            regex.append("(?:.*/)?")
            index += 3
        elif text.startswith("**", index):
            regex.append(".*")
            index += 2
        elif char == "*":
            regex.append("[^/]*")
            index += 1
        elif char == "?":
            regex.append("[^/]")
            index += 1
        elif char == "[":
            close = text.find("]", index + 2 if text[index + 1 : index + 2] in ("!", "]") else index + 1)
            if close < 0:
                raise ValueError(f"'[' at character {index + 1} is never closed")
            inner = text[index + 1 : close]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            regex.append("[" + inner.replace("\\", "\\\\") + "]")
            index = close + 1
        else:
            regex.append(re.escape(char))
            index += 1
    try:
        compiled = re.compile("".join(regex))
    except re.error as error:
        raise ValueError(str(error)) from None
    return Glob(pattern, compiled, anywhere)


def matches_any(relative: str, patterns: tuple[str, ...]) -> bool:
    return any(compile_glob(pattern).matches(relative) for pattern in patterns)
