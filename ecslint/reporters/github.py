"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

::

    ::error file=td.json,line=3,col=13,endLine=3,endColumn=18,title=ECS101 unsupported-fargate-size::memory ...

Data and property values are escaped the way GitHub's actions toolkit escapes them, so a
message can never end the command early or start another one.  GitHub takes columns only
when the annotation starts and ends on the same line, and its ``endColumn`` is inclusive, so
a multi-line span gives only ``line``/``endLine`` and an exclusive end column becomes the
column of the last character.  Findings read from standard input carry no file.  A finding
whose rule depends on who registers the file says who ecslint takes that to be, and why, on a
line of its own after the hint (each annotation is read on its own, beside its line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Severity, Span
from ecslint.reporters.bidi import bidi_visible
from ecslint.reporters.consumer import consumer_note
from ecslint.reporters.context import ReportContext

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_STDIN_PATHS = frozenset({"", "-", "<stdin>"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    return "".join(_command(finding, context.catalogue) + "\n" for finding in findings)


def _command(finding: Finding, catalogue: Catalogue | None = None) -> str:
    properties = ",".join(f"{name}={escape_property(value)}" for name, value in _properties(finding))
    note = consumer_note(finding, catalogue) if catalogue is not None else None
    return f"::{_COMMANDS[finding.severity]} {properties}::{escape_data(_message(finding, note))}"


def _properties(finding: Finding) -> list[tuple[str, str]]:
    properties: list[tuple[str, str]] = []
    if finding.path not in _STDIN_PATHS:
        properties.append(("file", finding.path))
        if finding.span is not None:
            properties.extend(_position(finding.span))
    properties.append(("title", f"{finding.rule_id} {finding.rule_name}"))
    return properties


def _position(span: Span) -> list[tuple[str, str]]:
    line = max(span.start.line, 1)
    end_line = max(span.end.line, line)
    position = [("line", str(line))]
    if end_line == line:
        column = max(span.start.column, 1)
        end_column = max(span.end.column - 1, column)
        position += [("col", str(column)), ("endLine", str(end_line)), ("endColumn", str(end_column))]
    else:
        position.append(("endLine", str(end_line)))
    return position


def _message(finding: Finding, note: str | None = None) -> str:
    text = f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message
    return bidi_visible(f"{text}\n{note}" if note else text)


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, carriage return and line feed."""
    return _clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ``:`` and ``,`` which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _clean(text: str) -> str:
    """Lone surrogates (undecodable file names) cannot be written as UTF-8: show U+FFFD instead."""
    return _SURROGATE.sub("\ufffd", text)
