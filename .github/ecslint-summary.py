"""The GitHub Action's job summary: counts and the first findings of ecslint's SARIF report, as Markdown.

Usage: python ecslint-summary.py REPORT.sarif >> "$GITHUB_STEP_SUMMARY"
It reads only the SARIF file (ecslint is not checked twice) and needs nothing but the standard library.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

FIRST = 10
LEVELS = (("error", "error", "errors"), ("warning", "warning", "warnings"), ("note", "info", "info"))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary(sarif: dict[str, object]) -> str:
    results = [result for run in sarif.get("runs", []) for result in run.get("results", [])]  # type: ignore[attr-defined]
    levels = Counter(result.get("level", "warning") for result in results)
    rows, files = [], set()
    for result in results:
        location = (result.get("locations") or [{}])[0].get("physicalLocation", {})
        uri = location.get("artifactLocation", {}).get("uri", "")
        files.add(uri)
        line = location.get("region", {}).get("startLine")
        where = f"{uri}:{line}" if line else uri
        label = dict((level, name) for level, name, _ in LEVELS).get(result.get("level", "warning"), "warning")
        rows.append(f"| `{_cell(where)}` | {result.get('ruleId', '')} | {label} | {_cell(result['message']['text'])} |")
    if not results:
        return "### ecslint\n\nNo findings.\n"
    counts = [_count(levels[level], one, many) for level, one, many in LEVELS if levels[level]]
    text = ", ".join(counts[:-1]) + (" and " if len(counts) > 1 else "") + counts[-1]
    lines = [
        "### ecslint",
        "",
        f"Found {text} in {_count(len(files), 'file', 'files')}.",
        "",
        "| where | rule | severity | message |",
        "|---|---|---|---|",
        *rows[:FIRST],
    ]
    if len(rows) > FIRST:
        lines += ["", f"... and {len(rows) - FIRST} more: see the annotations and the code scanning alerts."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(summary(json.loads(Path(sys.argv[1]).read_text("utf-8"))))
