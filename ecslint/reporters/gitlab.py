"""GitLab Code Quality: a JSON array of Code Climate issues (see docs/output-formats.md).

::

    [
      {
        "description": "memory 4096 is not offered with cpu 256 on Fargate — use one of: 512, 1024, 2048",
        "check_name": "ECS102",
        "fingerprint": "5f0c...",
        "severity": "blocker",
        "location": {"path": "td.json", "lines": {"begin": 3, "end": 3}}
      }
    ]

GitLab requires ``description``, ``check_name``, ``fingerprint``, ``severity`` (``info``,
``minor``, ``major``, ``critical`` or ``blocker``), ``location.path`` (relative to the
repository) and ``location.lines.begin`` (docs/facts.md 13.2).  Severities follow lintr's
Code Quality output: an error blocks (AWS rejects the task definition or the task fails),
a warning is ``major``, info is ``info``.  The fingerprint is SARIF's (rule, path, pointer:
stable when lines move or a message's wording changes); a second finding with the same one
in a report gets the occurrence appended, because GitLab takes equal fingerprints for one issue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from ecslint.core.model import Finding, Severity
from ecslint.reporters.bidi import bidi_visible
from ecslint.reporters.context import ReportContext
from ecslint.reporters.jsontext import dumps
from ecslint.reporters.sarif import _relative, fingerprint

SEVERITIES = {Severity.ERROR: "blocker", Severity.WARNING: "major", Severity.INFO: "info"}
INDENT = "  "


def issue_writer() -> Callable[[Finding], str]:
    """Each finding as its indented array item; remembers fingerprints to keep them unique."""
    seen: dict[str, int] = {}

    def write(finding: Finding) -> str:
        key = fingerprint(finding)
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count:
            key = hashlib.sha256(f"{key}\x00{count}".encode()).hexdigest()
        return INDENT + dumps(_issue(finding, key), INDENT)

    return write


def _issue(finding: Finding, key: str) -> dict[str, object]:
    begin = max(finding.span.start.line, 1) if finding.span else 1
    end = max(finding.span.end.line, begin) if finding.span else begin
    description = bidi_visible(f"{finding.message} — {finding.hint}" if finding.hint else finding.message)
    path = finding.path.replace("\\", "/")
    return {
        "description": description,
        "check_name": finding.rule_id,
        "fingerprint": key,
        "severity": SEVERITIES[finding.severity],
        "location": {"path": path if path.startswith("/") else _relative(path), "lines": {"begin": begin, "end": end}},
    }


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    if not findings:
        return "[]\n"
    write = issue_writer()
    return "[\n" + ",\n".join(write(finding) for finding in findings) + "\n]\n"
