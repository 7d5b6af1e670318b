"""Deterministic measures of work, for tests that pin how the cost grows with the input.

Tests never time anything.  Two measures stand in for time:

* ``calls(function, *args)``: how many Python and built-in calls running it makes (from
  ``sys.setprofile``), enough for code whose loops call something per step;
* ``steps(function, *args)``: lines of Python run plus built-in calls, for loops that call nothing;
* ``regex_steps(pattern, text, mode)``: the steps of a backtracking matcher that works the way
  Python's ``re`` does (leftmost start first, greedy repeats give back one character at a time,
  possessive repeats and atomic groups give back nothing), run on the pattern's own parse tree.
  ``re`` itself cannot be watched from Python, and its cost is what this counts: characters
  examined plus alternatives tried, at every start position.

``grows_linearly(measure, sizes)`` is the property the tests state: doubling the input at most
roughly doubles the work.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any


def calls(function: Callable[..., object], *args: object, **kwargs: object) -> int:
    """The number of function calls (Python and built-in) that ``function(*args)`` makes."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return count


def steps(function: Callable[..., object], *args: object, **kwargs: object) -> int:
    """Lines of Python run (each turn of a loop counts, comprehensions too) plus calls of built-in
    functions, while ``function(*args)`` runs: for work done in loops that call nothing."""
    count = 0

    def local(frame: object, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def trace(frame: object, event: str, arg: object) -> Any:
        return local

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event == "c_call":
            count += 1

    previous_trace, previous_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.settrace(previous_trace)
        sys.setprofile(previous_profile)
    return count


def grows_linearly(measure: Callable[[int], int], size: int, slack: float = 2.3) -> tuple[int, int]:
    """``measure(size)`` and ``measure(2 * size)``, asserting the second is at most ``slack`` times the first.

    ``measure`` runs once before, so that what is done once per process (imports, caches) is not counted."""
    measure(size)
    small, large = measure(size), measure(2 * size)
    assert large <= slack * small, f"work grew from {small} to {large} when the input doubled"
    return small, large


# -- a step-counting model of Python's backtracking regular-expression engine ----------------

_Cont = Callable[[int], "int | None"]
_MAX = sre.MAXREPEAT


class _Matcher:
    def __init__(self, pattern: str | re.Pattern[str], text: str) -> None:
        source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, 0)
        parsed = _parser.parse(source, flags)
        self.tree = list(parsed)
        flags = parsed.state.flags
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.multiline = bool(flags & re.MULTILINE)
        self.ascii = bool(flags & re.ASCII)
        self.text = text
        self.steps = 0

    # single characters

    def _char_matches(self, op: Any, av: Any, char: str) -> bool:
        if op is sre.ANY:
            return char != "\n"
        if op is sre.LITERAL:
            return self._same(char, chr(av))
        if op is sre.NOT_LITERAL:
            return not self._same(char, chr(av))
        assert op is sre.IN, op
        negate = False
        found = False
        for item_op, item_av in av:
            if item_op is sre.NEGATE:
                negate = True
            elif item_op is sre.LITERAL:
                found = found or self._same(char, chr(item_av))
            elif item_op is sre.RANGE:
                low, high = item_av
                found = found or low <= ord(char) <= high
                if self.ignore_case:
                    found = found or any(low <= ord(c) <= high for c in (char.lower(), char.upper()))
            elif item_op is sre.CATEGORY:
                found = found or self._category(item_av, char)
            else:
                raise NotImplementedError(item_op)
        return found != negate

    def _same(self, char: str, other: str) -> bool:
        return char == other or (self.ignore_case and char.lower() == other.lower())

    def _category(self, category: Any, char: str) -> bool:
        ascii_only = self.ascii and not char.isascii()
        tests = {
            sre.CATEGORY_DIGIT: lambda: char.isdecimal() and not ascii_only,
            sre.CATEGORY_SPACE: lambda: char.isspace() and not ascii_only,
            sre.CATEGORY_WORD: lambda: (char.isalnum() or char == "_") and not ascii_only,
        }
        negated = {
            sre.CATEGORY_NOT_DIGIT: sre.CATEGORY_DIGIT,
            sre.CATEGORY_NOT_SPACE: sre.CATEGORY_SPACE,
            sre.CATEGORY_NOT_WORD: sre.CATEGORY_WORD,
        }
        if category in negated:
            return not tests[negated[category]]()
        return tests[category]()

    def _is_word(self, position: int) -> bool:
        return 0 <= position < len(self.text) and self._category(sre.CATEGORY_WORD, self.text[position])

    # sequences

    def seq(self, nodes: list[Any], index: int, pos: int, cont: _Cont) -> int | None:
        if index == len(nodes):
            return cont(pos)
        op, av = nodes[index]
        self.steps += 1

        def rest(end: int) -> int | None:
            return self.seq(nodes, index + 1, end, cont)

        text = self.text
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            if pos < len(text) and self._char_matches(op, av, text[pos]):
                return rest(pos + 1)
            return None
        if op is sre.SUBPATTERN:
            return self.seq(list(av[3]), 0, pos, rest)
        if op is sre.BRANCH:
            for alternative in av[1]:
                self.steps += 1
                found = self.seq(list(alternative), 0, pos, rest)
                if found is not None:
                    return found
            return None
        if op is sre.AT:
            return rest(pos) if self._at(av, pos) else None
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, sub = av
            if direction == 1:
                holds = self.seq(list(sub), 0, pos, lambda end: end) is not None
            else:
                width = sub.getwidth()[0]
                holds = pos >= width and self._behind(list(sub), pos - width, pos)
            return rest(pos) if holds == (op is sre.ASSERT) else None
        if op is sre.ATOMIC_GROUP:
            end = self.seq(list(av), 0, pos, lambda end: end)
            return None if end is None else rest(end)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return self._repeat(op, av, pos, rest)
        raise NotImplementedError(op)

    def _behind(self, nodes: list[Any], start: int, end: int) -> bool:
        return self.seq(nodes, 0, start, lambda at: at if at == end else None) is not None

    def _at(self, where: Any, pos: int) -> bool:
        text = self.text
        if where is sre.AT_BEGINNING and self.multiline:
            return pos == 0 or text[pos - 1] == "\n"
        if where in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
            return pos == 0
        if where is sre.AT_END and self.multiline:
            return pos == len(text) or text[pos] == "\n"
        if where is sre.AT_END:
            return pos == len(text) or (pos == len(text) - 1 and text[pos] == "\n")
        if where is sre.AT_END_STRING:
            return pos == len(text)
        if where is sre.AT_BOUNDARY:
            return self._is_word(pos - 1) != self._is_word(pos)
        if where is sre.AT_NON_BOUNDARY:
            return self._is_word(pos - 1) == self._is_word(pos)
        raise NotImplementedError(where)

    def _repeat(self, op: Any, av: Any, pos: int, cont: _Cont) -> int | None:
        low, high, sub = av
        items = list(sub)
        if len(items) == 1 and items[0][0] in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            return self._repeat_one(op, low, high, items[0], pos, cont)
        if op is sre.POSSESSIVE_REPEAT:
            count = 0
            while count < high:
                end = self.seq(items, 0, pos, lambda end: end)
                if end is None or end == pos:
                    break
                pos, count = end, count + 1
            return cont(pos) if count >= low else None

        def more(count: int, at: int) -> int | None:
            self.steps += 1
            if op is sre.MIN_REPEAT and count >= low:
                found = cont(at)
                if found is not None:
                    return found
            if count < high:
                found = self.seq(items, 0, at, lambda end: more(count + 1, end) if end != at else None)
                if found is not None:
                    return found
            if op is sre.MAX_REPEAT and count >= low:
                return cont(at)
            return None

        return more(0, pos)

    def _repeat_one(self, op: Any, low: int, high: int, item: Any, pos: int, cont: _Cont) -> int | None:
        text = self.text
        if op is sre.MIN_REPEAT:
            count = 0
            while True:
                self.steps += 1
                if count >= low:
                    found = cont(pos + count)
                    if found is not None:
                        return found
                if count >= high or pos + count >= len(text) or not self._char_matches(*item, text[pos + count]):
                    return None
                count += 1
        count = 0
        while count < high and pos + count < len(text) and self._char_matches(*item, text[pos + count]):
            self.steps += 1
            count += 1
        if op is sre.POSSESSIVE_REPEAT:
            return cont(pos + count) if count >= low else None
        while count >= low:
            self.steps += 1
            found = cont(pos + count)
            if found is not None:
                return found
            count -= 1
        return None


class CountingPattern:
    """Stands in for a compiled pattern: answers as it does, and adds the model's steps to ``steps``."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.steps = 0

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.steps += regex_steps(self.pattern, text, "search", pos, endpos)
        return self.pattern.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.steps += regex_steps(self.pattern, text, "match", pos, endpos)
        return self.pattern.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.steps += regex_steps(self.pattern, text, "fullmatch", pos, endpos)
        return self.pattern.fullmatch(text, pos, endpos)


def regex_steps(
    pattern: str | re.Pattern[str], text: str, mode: str = "search", pos: int = 0, endpos: int = sys.maxsize
) -> int:
    """Steps the model takes for ``pattern.<mode>(text, pos, endpos)``; mode is match, fullmatch,
    search or finditer."""
    text = text[:endpos]
    matcher = _Matcher(pattern, text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        if mode in ("match", "fullmatch"):
            whole = mode == "fullmatch"
            matcher.seq(matcher.tree, 0, pos, lambda end: end if not whole or end == len(text) else None)
            return matcher.steps
        start = pos
        while start <= len(text):
            matcher.steps += 1
            end = matcher.seq(matcher.tree, 0, start, lambda end: end)
            if end is None:
                start += 1
            elif mode == "search":
                break
            else:
                start = end if end > start else start + 1
        return matcher.steps
    finally:
        sys.setrecursionlimit(limit)
