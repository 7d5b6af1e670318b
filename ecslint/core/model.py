"""Value objects that pass between the layers: severities, positions, findings.

Every layer speaks in RFC 6901 JSON pointers; only ``locate.py`` turns a pointer into a
``Span``.  Lines and columns are 1-based and count Unicode code points; a span's end is
exclusive.

The records are ``NamedTuple``s: immutable like frozen dataclasses, but a dataclass costs
about half a millisecond to create at every start (each generated method is compiled),
and these are made and pickled by the thousand.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple, TypeAlias

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
NO_PARAMS: Mapping[str, object] = MappingProxyType({})


class Token(str):
    """A value written as a bare placeholder where a JSON value belongs (``"cpu": <CPU>``).

    The file is a template that a deploy step (sed, envsubst) fills in: the string itself is
    ``${NAME}``, which every rule treats as unknown; ``written`` is the token as the file has it,
    for the messages about it.  A declared ``--var NAME=VALUE`` replaces it with VALUE parsed as
    JSON (``256`` a number, ``"x"`` a string), as the rendered file would hold it.
    """

    __slots__ = ("written",)
    written: str

    def __new__(cls, value: str, written: str) -> Token:
        token = super().__new__(cls, value)
        token.written = written
        return token

    def __reduce__(self) -> tuple[object, ...]:
        return (Token, (str(self), self.written))


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``>=`` compares strictness."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


class Position(NamedTuple):
    line: int
    column: int


class Span(NamedTuple):
    start: Position
    end: Position


class Replacement(NamedTuple):
    """Replace the code points ``[start, end)`` of the original text with ``text``."""

    start: int
    end: int
    text: str


class Fix(NamedTuple):
    """Replacements of the original text; a check that knows no offsets gives ``edits`` instead.
    Once located, a fix keeps its ``edits`` (with the file's pointers) beside the replacements
    that make them, so ``--fix`` can check the rewritten file holds those values."""

    description: str
    replacements: tuple[Replacement, ...] = ()
    safe: bool = True
    edits: tuple[ValueEdit, ...] = ()


class ValueEdit(NamedTuple):
    """Write ``text`` (JSON, which is also YAML) in place of the value at ``pointer``; with
    ``at="key"``, rename the member's key to ``text`` (quoted as the file quotes the key)."""

    pointer: str
    text: str
    at: str = "value"


class Violation(NamedTuple):
    """What a check yields: where, and the values for the rule's message template.

    ``at`` chooses the node a pointer designates: its ``value`` (default) or its ``key``
    (unknown or duplicate keys).  ``substring`` narrows a string value to the code points
    ``[start, end)`` of its decoded text, so a finding can point inside an ARN.
    ``variant`` picks one of the rule's messages when it has several.  ``depends`` lists the
    pointers of the other values the finding names (``cpu`` for a memory that cpu does not
    allow): a baseline fingerprints them too, so the finding is new again when one changes.
    ``occurrences``: when one finding stands for the same mistake in several places, every
    place (this one first); the engine locates them and gives the message ``count``, ``more``
    (count - 1), ``lines`` (the lines of the other places), ``all_lines``, and both with a word
    in front, ``on_lines`` ("line 4", "lines 4, 9") and ``on_all_lines``.
    ``covers``: pointers this finding reports as a whole; another rule's finding at or below
    one of them is the same mistake seen again, and the engine drops it.
    ``per_file``: a key; the violations of one rule with the same key, from the task definitions
    of one file, are one finding (a placeholder pasted into three task definitions is one
    mistake): the engine reports them at the first place, with every place, and the check's
    ``merge`` (``@check(..., merge=...)``) says what the one finding's message holds.
    """

    pointer: str
    params: Mapping[str, object] = NO_PARAMS
    variant: str = "default"
    at: str = "value"
    substring: tuple[int, int] | None = None
    fix: Fix | None = None
    depends: tuple[str, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    covers: tuple[str, ...] = ()
    per_file: str | None = None


class Occurrence(NamedTuple):
    """One place of a mistake a finding reports in several places (pointer, key or value, substring)."""

    pointer: str
    at: str = "value"
    substring: tuple[int, int] | None = None


class Place(NamedTuple):
    """Where one occurrence of a finding is in the file: its pointer and span."""

    pointer: str
    span: Span | None


class Finding(NamedTuple):
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    path: str
    pointer: str
    span: Span | None = None
    hint: str | None = None
    excerpt: str | None = None
    fix: Fix | None = None
    depends: tuple[str, ...] = ()  # pointers (in the file) of the other values the finding names
    occurrences: tuple[Place, ...] = ()  # every place, when the finding stands for several
    consumer: str | None = None  # who ecslint takes to register the file (docs/consumers.md)
    consumer_basis: str | None = None  # why: --target, the repository's evidence, the file's kind

    def sort_key(self) -> tuple[str, int, int, str, str]:
        line = self.span.start.line if self.span else 0
        column = self.span.start.column if self.span else 0
        return (self.path, line, column, self.rule_id, self.pointer)
