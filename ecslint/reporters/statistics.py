"""``--statistics``: how many findings each rule made, instead of the findings (as ``ruff check --statistics``).

::

     86  ECS002  error    typographic-quote  [*]
      3  ECS304  error    placeholder-account-id

    Found 89 errors in 1 file.

Most frequent first, then by rule id; ``[*]`` marks a rule whose findings ``--fix`` can
repair (some of them, at least).  With ``--format json``, a list of
``{"code", "name", "severity", "count", "fixable"}`` objects in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecslint.core.model import Finding
from ecslint.reporters.context import ReportContext
from ecslint.reporters.jsontext import dumps


def rows(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """One row per rule: code, name, severity, count and whether a safe fix exists."""
    table: dict[str, dict[str, object]] = {}
    for finding in findings:
        row = table.setdefault(
            finding.rule_id,
            {
                "code": finding.rule_id,
                "name": finding.rule_name,
                "severity": finding.severity.label,
                "count": 0,
                "fixable": False,
            },
        )
        row["count"] = int(row["count"]) + 1  # type: ignore[call-overload]
        if finding.fix is not None and finding.fix.safe:
            row["fixable"] = True
    return sorted(table.values(), key=lambda row: (-int(row["count"]), str(row["code"])))  # type: ignore[call-overload]


def render(findings: Sequence[Finding], context: ReportContext, output_format: str = "text") -> str:
    table = rows(findings)
    if output_format == "json":
        return dumps(table) + "\n"
    from ecslint.reporters.text import _printable, _summary

    width = max((len(str(row["count"])) for row in table), default=1)
    ids = max((len(str(row["code"])) for row in table), default=0)
    lines = [
        f"{row['count']:>{width}}  {_printable(str(row['code'])):<{ids}}  {row['severity']:<7}  "
        f"{_printable(str(row['name']))}{'  [*]' if row['fixable'] else ''}"
        for row in table
    ]
    if not context.quiet:
        if lines:
            lines.append("")
        lines.append(_summary(findings, context.files_checked))
    return "".join(line + "\n" for line in lines)
