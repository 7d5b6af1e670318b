"""Glob patterns for ``include``, ``exclude`` and ``per-file-ignores``, gitignore-style.

``*`` matches within one path segment, ``**`` across segments, ``?`` one character and
``[...]`` a class.  A pattern without ``/`` matches a file's name, or any folder it sits
in, at any depth (``*.yaml``, ``vendor``); a pattern with ``/`` matches the path relative
to the project root (``deploy/**/prod-*.json``).

Matching takes at most (path length) x (pattern length) steps, however many ``*`` the pattern
holds.  A regular expression such as ``[^/]*a[^/]*a...`` tries every way of splitting the path
between the stars (sixteen stars took minutes per name), so only a pattern with at most one
``*``/``**`` is matched by a regular expression (one star: one split point to try at a time);
any other is compiled to a small program run by keeping the set of every place in the pattern
the path's characters so far can have reached (a Thompson NFA), never by backtracking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

Test = Callable[[str], bool]

# Instructions: (ONE, test, 0) consumes one character that passes ``test``; (ANY, test, 0)
# consumes any number of them; (SKIP, _, n) may jump n instructions ahead without consuming one.
ONE, ANY, SKIP = 0, 1, 2
Instruction = tuple[int, Test, int]


def _not_slash(char: str) -> bool:
    return char != "/"


def _not_newline(char: str) -> bool:  # "**" spans folders; like the regex ".*" it was, not a newline
    return char != "\n"


def _literal(expected: str) -> Test:
    return expected.__eq__


class Glob(NamedTuple):
    pattern: str
    program: tuple[Instruction, ...]
    anywhere: bool  # no "/" in the pattern: match the name or a folder at any depth
    regex: re.Pattern[str] | None  # at most one star: the same pattern as a regular expression

    def matches(self, relative: str) -> bool:
        """Whether the POSIX path ``relative`` (or a folder above it) matches."""
        path = relative.strip("/")
        if self.regex is not None:
            if self.anywhere:
                return any(self.regex.fullmatch(part) for part in path.split("/"))
            return self.regex.match(path) is not None  # it ends at a "/" or at the end: a folder or the path
        if self.anywhere:
            return any(self._run(part, False) for part in path.split("/"))
        return self._run(path, True)

    def _run(self, text: str, or_folder_above: bool) -> bool:
        """Whether ``text`` matches; with ``or_folder_above``, or any part of it that ends before a "/"."""
        program = self.program
        accept = len(program)
        states = _closure(program, {0})
        for char in text:
            if or_folder_above and char == "/" and accept in states:
                return True
            following: set[int] = set()
            for state in states:
                if state == accept:
                    continue
                kind, test, _ = program[state]
                if kind == ONE and test(char):
                    following.add(state + 1)
                elif kind == ANY and test(char):
                    following.add(state)
            if not following:
                return False
            states = _closure(program, following)
        return accept in states


def _closure(program: tuple[Instruction, ...], states: set[int]) -> set[int]:
    """``states`` and every state reachable from them without consuming a character."""
    pending = list(states)
    reached = set(states)
    while pending:
        state = pending.pop()
        if state == len(program):
            continue
        kind, _, jump = program[state]
        targets = (state + 1, state + 1 + jump) if kind == SKIP else (state + 1,) if kind == ANY else ()
        for target in targets:
            if target not in reached:
                reached.add(target)
                pending.append(target)
    return reached


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> Glob:
    """Compile ``pattern``; ``ValueError`` says what is wrong with it."""
    if not pattern.strip():
        raise ValueError("an empty pattern matches nothing")
    text = pattern.removeprefix("./").rstrip("/")
    anywhere = "/" not in text
    text = text.lstrip("/")
    program: list[Instruction] = []
    regex: list[str] = []
    stars = 0
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("**/", index):  # no folders, or any path ending in "/"
            program += [(SKIP, _not_newline, 2), (ANY, _not_newline, 0), (ONE, _literal("/"), 0)]
            regex.append("(?:.*/)?")
            stars += 1
            index += 3
        elif text.startswith("**", index):
            program.append((ANY, _not_newline, 0))
            regex.append(".*")
            stars += 1
            index += 2
        elif char == "*":
            program.append((ANY, _not_slash, 0))
            regex.append("[^/]*")
            stars += 1
            index += 1
        elif char == "?":
            program.append((ONE, _not_slash, 0))
            regex.append("[^/]")
            index += 1
        elif char == "[":
            close = text.find("]", index + 2 if text[index + 1 : index + 2] in ("!", "]") else index + 1)
            if close < 0:
                raise ValueError(f"'[' at character {index + 1} is never closed")
            inner = text[index + 1 : close]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            members_source = "[" + inner.replace("\\", "\\\\") + "]"
            try:
                members = re.compile(members_source)
            except re.error as error:
                raise ValueError(str(error)) from None
            program.append((ONE, _class_test(members), 0))
            regex.append(members_source)
            index = close + 1
        else:
            program.append((ONE, _literal(char), 0))
            regex.append(re.escape(char))
            index += 1
    source = "".join(regex) if anywhere else "".join(regex) + r"(?=/|\Z)"
    return Glob(pattern, tuple(program), anywhere, re.compile(source) if stars <= 1 else None)


def _class_test(members: re.Pattern[str]) -> Test:
    def test(char: str) -> bool:
        return members.fullmatch(char) is not None

    return test


def matches_any(relative: str, patterns: tuple[str, ...]) -> bool:
    return any(compile_glob(pattern).matches(relative) for pattern in patterns)
