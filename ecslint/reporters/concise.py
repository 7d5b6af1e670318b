"""One line per finding, ``PATH:LINE:COLUMN: ID SEVERITY MESSAGE``, then the summary (ruff's ``concise``).

::

    td.json:3:13: ECS102 error memory 4096 is not offered with cpu 256 on Fargate

    Found 1 error in 1 file.

No source excerpt, no hint: the line is the ``text`` format's first line of each finding,
so editors' problem matchers and ``grep`` read it.  ``--quiet`` leaves the summary out.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.core.model import Finding
from ecslint.reporters.context import ReportContext
from ecslint.reporters.text import _header, _summary


def line(finding: Finding, color: bool) -> str:
    return _header(finding, color) + "\n"


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    body = "".join(line(finding, context.color) for finding in findings)
    if context.quiet:
        return body
    return body + ("\n" if findings else "") + _summary(findings, context.files_checked) + "\n"
