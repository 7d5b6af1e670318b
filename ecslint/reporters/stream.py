"""Writing a report while the files are still being checked, in constant memory.

Each reporter's ``render`` takes the whole list of findings; a run over thousands of files would
hold every finding, and the JSON and SARIF reporters a whole document tree, until the end.
``ReportStream`` writes each finding's part of the report as it arrives to a spool file on disk,
and at the end writes the head (which may need the counts, as the JSON summary does), the spool
and the tail.  The bytes are exactly those ``render`` would give for the same findings (a test
holds the two to that).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import BinaryIO

from ecslint.core.model import Finding, Severity
from ecslint.reporters.context import ReportContext
from ecslint.reporters.jsontext import dumps

_SENTINEL = "\u0000ecslint-items\u0000"


class ReportStream:
    """``add`` findings in report order, then ``finish`` into ``out``."""

    def __init__(self, output_format: str, context: ReportContext) -> None:
        self.format = output_format
        self.context = context
        self.counts: dict[Severity, int] = dict.fromkeys(Severity, 0)
        self.paths: set[str] = set()  # the files with findings, for the summary's "in 1 of 3 files"
        self._spool: BinaryIO | None = None  # made with the first finding: a clean run needs none
        self._item: Callable[[Finding], str] = _item_writer(output_format, context)

    def add(self, finding: Finding) -> None:
        self.add_rendered(finding.severity, self.render(finding), finding.path)

    def render(self, finding: Finding) -> bytes:
        """The finding's part of the report (worker processes render, the parent only writes)."""
        return self._item(finding).encode("utf-8")

    def add_rendered(self, severity: Severity, chunk: bytes, path: str) -> None:
        if self._spool is None:
            import tempfile  # only here: with shutil, random and the compressors it costs 3 ms

            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish() or close()
        elif self.format in ("json", "sarif", "gitlab"):
            self._spool.write(b",\n")
        self.counts[severity] += 1
        self.paths.add(path)
        self._spool.write(chunk)

    def finish(self, out: BinaryIO, files_checked: int) -> None:
        head, tail = _frame(self.format, self.context, self.counts, files_checked, len(self.paths))
        out.write(head.encode("utf-8"))
        if self._spool is not None:
            import shutil

            self._spool.seek(0)
            shutil.copyfileobj(self._spool, out)
        out.write(tail.encode("utf-8"))
        self.close()

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


def _item_writer(output_format: str, context: ReportContext) -> Callable[[Finding], str]:
    if output_format == "text":
        from ecslint.reporters.consumer import OncePerFile
        from ecslint.reporters.text import _finding_lines

        notes = OncePerFile(context.catalogue)  # a file's findings are rendered together, in order
        return lambda finding: "".join(
            line + "\n" for line in _finding_lines(finding, context.color, notes.note(finding))
        )
    if output_format == "github":
        from ecslint.reporters.github import _command

        return lambda finding: _command(finding, context.catalogue) + "\n"
    if output_format == "concise":
        from ecslint.reporters.concise import line

        return lambda finding: line(finding, context.color)
    if output_format == "gitlab":
        from ecslint.reporters.gitlab import issue_writer

        return issue_writer()
    if output_format == "junit":
        from ecslint.reporters.junit import testcase

        return lambda finding: testcase(finding, context.catalogue)
    if output_format == "json":
        from ecslint.reporters.json import _finding

        return lambda finding: "    " + dumps(_finding(finding), "    ")
    if output_format == "sarif":
        from ecslint.reporters.sarif import _result

        indexes = {rule.id: index for index, rule in enumerate(context.catalogue.rules)}
        return lambda finding: "        " + dumps(_result(finding, indexes.get(finding.rule_id)), "        ")
    raise ValueError(f"unknown format {output_format!r}")


def _frame(
    output_format: str, context: ReportContext, counts: dict[Severity, int], files: int, files_with_findings: int
) -> tuple[str, str]:
    """What goes before and after the spooled items."""
    total = sum(counts.values())
    if output_format in ("text", "concise"):
        from ecslint.reporters.text import summary_line

        if context.quiet:
            return "", ""
        return "", ("\n" if total else "") + summary_line(counts, files, files_with_findings) + "\n"
    if output_format == "github":
        return "", ""
    if output_format == "gitlab":
        return ("[\n", "\n]\n") if total else ("[]\n", "")
    if output_format == "junit":
        from ecslint.reporters.junit import frame

        return frame(counts, files)
    if output_format == "json":
        from ecslint.reporters.json import FORMAT_VERSION

        summary = {
            "files": files,
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "info": counts[Severity.INFO],
        }
        document = {
            "version": FORMAT_VERSION,
            "tool": {"name": "ecslint", "version": context.version},
            "summary": summary,
            "findings": [_SENTINEL] if total else [],
        }
        return _split(dumps(document), total, 4)
    from ecslint.reporters.sarif import render

    if not total:
        return render([], context), ""
    log = json.loads(render([], context))
    log["runs"][0]["results"] = [_SENTINEL]
    return _split(dumps(log), total, 8)


def _split(text: str, total: int, indent: int) -> tuple[str, str]:
    if not total:
        return text + "\n", ""
    marker = " " * indent + json.dumps(_SENTINEL)
    head, tail = text.split(marker, 1)
    return head, tail + "\n"
