"""The default, human-readable format: one header per finding, a source excerpt and a summary.

::

    td.json:3:13: ECS101 error memory 4096 is not offered with cpu 256 on Fargate
        "memory": "4096",
                  ^^^^^^
      hint: use one of: 512, 1024, 2048

    Found 1 error in 1 file.

A file whose findings include one that depends on who registers the file (ECS025 is an error
for the AWS CLI, info for the GitHub deploy action: docs/consumers.md) says who ecslint takes
that to be, and why, once, under the first such finding::

      hint: remove it, or keep the whole describe output wrapped as {"taskDefinition": {...}}, ...
      checked as registered by aws-cli: deploy.sh registers it with the AWS CLI (register-task-definition)

Columns are 1-based Unicode code points; the caret line is drawn in terminal cells, so a wide
East Asian character takes two cells and a tab is expanded to the next multiple of
``TAB_WIDTH`` cells, both in the excerpt and under it.  Control characters from the file are
shown as their Unicode control pictures, and the bidirectional controls that reorder what a
terminal shows (U+202E and friends, "Trojan Source") as ``<U+202E>``, so the file can never
write escape codes to the terminal nor make the excerpt read otherwise than the file.
ANSI colour is used only when ``context.color`` is set.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from ecslint.core.model import Finding, Severity, Span
from ecslint.reporters.bidi import BIDI_CONTROLS as _BIDI_CONTROLS
from ecslint.reporters.consumer import OncePerFile
from ecslint.reporters.context import ReportContext

TAB_WIDTH = 8
EXCERPT_INDENT = "    "
HINT_PREFIX = "  hint: "
NOTE_INDENT = "  "

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOURS = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    """Render ``findings`` in the order given, then a one-line summary."""
    lines: list[str] = []
    notes = OncePerFile(context.catalogue)
    for finding in findings:
        lines.extend(_finding_lines(finding, context.color, notes.note(finding)))
    if context.quiet:
        return "".join(line + "\n" for line in lines)
    if findings:
        lines.append("")
    lines.append(_summary(findings, context.files_checked))
    return "\n".join(lines) + "\n"


def _finding_lines(finding: Finding, color: bool, note: str | None = None) -> list[str]:
    """The finding's header, excerpt and hint, and ``note`` (who registers the file) under them."""
    lines = [_header(finding, color)]
    if finding.span is not None and finding.excerpt is not None:
        shown, caret = _excerpt_and_caret(finding.excerpt, finding.span)
        lines.append((EXCERPT_INDENT + shown).rstrip())
        lines.append(EXCERPT_INDENT + _caret_line(caret, finding.severity, color))
    if finding.hint:
        lines.append(HINT_PREFIX + _printable(finding.hint))
    if note:
        lines.append(_paint(NOTE_INDENT + _printable(note), _DIM, color))
    return lines


def _header(finding: Finding, color: bool) -> str:
    where = _printable(finding.path)
    if finding.span is not None:
        start = finding.span.start
        where = f"{where}:{start.line}:{start.column}"
    rule_id = _paint(_printable(finding.rule_id), _BOLD, color)
    severity = _paint(finding.severity.label, _SEVERITY_COLOURS[finding.severity], color)
    return f"{where}: {rule_id} {severity} {_printable(finding.message)}"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _caret_line(caret: tuple[int, int], severity: Severity, color: bool) -> str:
    offset, width = caret
    return " " * offset + _paint("^" * width, _SEVERITY_COLOURS[severity], color)


def _excerpt_and_caret(excerpt: str, span: Span) -> tuple[str, tuple[int, int]]:
    """The excerpt as displayed, and the caret's (offset, width) in terminal cells."""
    line = excerpt.rstrip("\r\n")
    first = max(span.start.column - 1, 0)
    if line.isascii() and line.isprintable():  # the usual line: one cell per code point
        last = span.end.column - 1 if span.end.line == span.start.line else len(line)
        under = max(0, min(last, len(line)) - min(first, len(line)))
        return line, (first, max(under, 1))
    cells = _display_cells(line)
    last = span.end.column - 1 if span.end.line == span.start.line else len(cells)
    before = sum(width for _, width in cells[:first]) + max(first - len(cells), 0)
    under = sum(width for _, width in cells[first:last])
    shown = "".join(text for text, _ in cells)
    return shown, (before, max(under, 1))


def _display_cells(line: str) -> list[tuple[str, int]]:
    """Each code point of ``line`` as (text shown, cells taken), tabs expanded."""
    cells: list[tuple[str, int]] = []
    position = 0
    for char in line:
        if char == "\t":
            width = TAB_WIDTH - position % TAB_WIDTH
            cells.append((" " * width, width))
        else:
            shown = _printable(char)
            width = _char_width(shown) if len(shown) == 1 else len(shown)
            cells.append((shown, width))
        position += cells[-1][1]
    return cells


def _char_width(char: str) -> int:
    if unicodedata.category(char) in _ZERO_WIDTH_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _printable(text: str) -> str:
    """``text`` with control characters, lone surrogates and bidirectional controls replaced by
    visible stand-ins."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        _stand_in(char) if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs") else char
        for char in text
    )


printable = _printable  # for the command's own messages on standard error, which quote paths and values


def _stand_in(char: str) -> str:
    code = ord(char)
    if char in _BIDI_CONTROLS:
        return f"<U+{code:04X}>"
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def _summary(findings: Sequence[Finding], files: int) -> str:
    return summary_line(severity_counts(findings), files, len({finding.path for finding in findings}))


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def summary_line(counts: Mapping[Severity, int], files: int, files_with_findings: int = 0) -> str:
    """ "Found 5 errors and 3 warnings in 1 of 3 files." or "No problems found in 3 files."

    Only the severities found are counted; "in 3 files" when every file checked has findings.
    A file with findings that is not counted as checked (a named file that is not a task
    definition) still counts as checked here.
    """
    if not any(counts.values()):
        return f"No problems found in {_plural(files, 'file', 'files')}."
    errors, warnings, info = counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO]
    found = [_plural(errors, "error", "errors")] if errors else []
    found += [_plural(warnings, "warning", "warnings")] if warnings else []
    found += [f"{info} info"] if info else []
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    with_findings = max(files_with_findings, 1)
    total = max(files, with_findings)
    where = _plural(total, "file", "files") if with_findings == total else f"{with_findings} of {total} files"
    return f"Found {listed} in {where}."


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
