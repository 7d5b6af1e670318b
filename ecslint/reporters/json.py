"""The JSON format: a stable, versioned document for scripts (see docs/output-formats.md).

``version`` is the version of this structure, not of ecslint: fields may be added within a
version, but none is renamed, removed or given another meaning without raising it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.core.model import Finding, Fix, Place, Severity
from ecslint.reporters.context import ReportContext
from ecslint.reporters.jsontext import dumps

FORMAT_VERSION = 1


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "ecslint", "version": context.version},
        "summary": _summary(findings, context.files_checked),
        "findings": [_finding(finding) for finding in findings],
    }
    return dumps(document) + "\n"


def _summary(findings: Sequence[Finding], files: int) -> dict[str, int]:
    def count(severity: Severity) -> int:
        return sum(1 for finding in findings if finding.severity is severity)

    return {
        "files": files,
        "errors": count(Severity.ERROR),
        "warnings": count(Severity.WARNING),
        "info": count(Severity.INFO),
    }


def _finding(finding: Finding) -> dict[str, object]:
    span = finding.span
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.label,
        "message": finding.message,
        "hint": finding.hint,
        "path": finding.path,
        "pointer": finding.pointer,
        "line": span.start.line if span else None,
        "column": span.start.column if span else None,
        "endLine": span.end.line if span else None,
        "endColumn": span.end.column if span else None,
        "fix": fix_dict(finding.fix) if finding.fix else None,
        "occurrences": [place_dict(place) for place in finding.occurrences] if finding.occurrences else None,
        "consumer": {"name": finding.consumer, "basis": finding.consumer_basis} if finding.consumer else None,
    }


def place_dict(place: Place) -> dict[str, object]:
    """One place of a finding that stands for several, as the JSON report writes it."""
    span = place.span
    return {
        "pointer": place.pointer,
        "line": span.start.line if span else None,
        "column": span.start.column if span else None,
        "endLine": span.end.line if span else None,
        "endColumn": span.end.column if span else None,
    }


def fix_dict(fix: Fix) -> dict[str, object]:
    """A fix as the JSON report writes it."""
    return {
        "description": fix.description,
        "safe": fix.safe,
        "replacements": [
            {"start": replacement.start, "end": replacement.end, "text": replacement.text}
            for replacement in fix.replacements
        ],
    }
