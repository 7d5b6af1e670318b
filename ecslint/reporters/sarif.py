"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (see docs/output-formats.md).

One run; ``tool.driver.rules`` lists the whole catalogue, and each result points at its rule
by ``ruleId`` and, when the rule is in the catalogue, ``ruleIndex``.  Columns are Unicode code
points (``columnKind``) and a region's end is exclusive, as in ecslint's own spans.  Relative
paths are URIs relative to ``%SRCROOT%`` (the directory ecslint ran in); absolute paths become
``file:`` URIs.  Every result carries a physical location, because GitHub rejects the whole
upload when one result has none.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from ecslint.catalogue.entries import CONSEQUENCE_TEXT, Catalogue, Example, Rule, documentation_uri
from ecslint.core.model import Finding, Place, Severity, Span
from ecslint.reporters.bidi import bidi_visible
from ecslint.reporters.context import ReportContext
from ecslint.reporters.jsontext import dumps

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ecslint/ecslint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "ecslint/v1"
STDIN_URI = "stdin"

_STDIN_PATHS = frozenset({"", "-", "<stdin>"})
_DRIVE = re.compile(r"^[A-Za-z]:/")
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM_SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
# GitHub ranks security alerts by this score: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low (docs/facts.md 13.1).
SECURITY_SEVERITIES = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
EXAMPLE_LINES = 30  # an example longer than this is cut in help.markdown; docs/rules.md has it whole


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    catalogue = context.catalogue
    indexes = {rule.id: index for index, rule in enumerate(catalogue.rules)}
    run = {
        "tool": {"driver": _driver(catalogue, context.version)},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The directory ecslint was run from."}}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, indexes.get(finding.rule_id)) for finding in findings],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return dumps(log) + "\n"


def _driver(catalogue: Catalogue, version: str) -> dict[str, object]:
    return {
        "name": "ecslint",
        "version": version,
        "semanticVersion": version,
        "informationUri": INFORMATION_URI,
        "rules": [_descriptor(rule) for rule in catalogue.rules],
    }


def _descriptor(rule: Rule) -> dict[str, object]:
    descriptor: dict[str, object] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
    }
    uri = documentation_uri(rule)
    if uri:
        descriptor["helpUri"] = uri
    descriptor["defaultConfiguration"] = {"level": _LEVELS[rule.severity]}
    properties: dict[str, object] = {
        "tags": [rule.consequence, rule.layer],
        "problem.severity": _PROBLEM_SEVERITIES[rule.severity],
        "precision": "very-high",
    }
    score = security_severity(rule)
    if score is not None:
        properties["security-severity"] = score
    descriptor["properties"] = properties
    return descriptor


def security_severity(rule: Rule) -> str | None:
    """The score GitHub ranks a security rule's alerts by: the rule's own (the Security Hub control's
    severity where there is one, docs/facts.md 13.4), else one that follows its severity."""
    if rule.consequence != "security":
        return None
    return rule.security_severity or SECURITY_SEVERITIES[rule.severity]


def _help_text(rule: Rule) -> str:
    references = "\n".join(f"- {reference}" for reference in rule.references)
    return f"{rule.summary}\n\n{rule.rationale}\n\nConsequence: {rule.consequence}\n\nReferences:\n{references}"


def _help_markdown(rule: Rule) -> str:
    """The rule's page as GitHub shows it beside an alert: what, why, a bad and a good example, references."""
    why = f"{CONSEQUENCE_TEXT.get(rule.consequence, '')} {rule.rationale}".strip()
    parts = [
        f"## What it does\n\n{rule.summary}",
        f"## Why it matters\n\n{why}\n\nConsequence: `{rule.consequence}`",
    ]
    for kind, heading in (("bad", "Example"), ("good", "Use instead")):
        examples = [example for example in rule.examples if example.kind == kind]
        if examples:
            more = len(examples) - 1
            note = f"\n\n({more} more in the rule's documentation.)" if more else ""
            parts.append(f"## {heading}\n\n{_example_markdown(examples[0])}{note}")
    if rule.fix_safety:
        parts.append(f"## Fix safety\n\n{rule.fix_safety}")
    references = "\n".join(f"- <{reference}>" for reference in rule.references)
    parts.append(f"## AWS reference\n\n{references}")
    return "\n\n".join(parts)


def _example_markdown(example: Example) -> str:
    """One example as a fenced block, cut after ``EXAMPLE_LINES`` lines."""
    if example.text is not None:
        body, language = example.text.rstrip("\n"), _language(example.filename)
    else:
        body, language = json.dumps(example.document, indent=2, ensure_ascii=False), "json"
    lines = body.split("\n")
    cut = ""
    if len(lines) > EXAMPLE_LINES:
        body = "\n".join(lines[:EXAMPLE_LINES])
        cut = f"\n\n({len(lines) - EXAMPLE_LINES} more lines in the rule's documentation.)"
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", body)), default=0))
    return f"{fence}{language}\n{body}\n{fence}{cut}"


def _language(filename: str | None) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if filename and "." in filename else "json"
    return {"json": "json", "yaml": "yaml", "yml": "yaml", "tf": "hcl"}.get(suffix, "text")


def _result(finding: Finding, rule_index: int | None) -> dict[str, object]:
    result: dict[str, object] = {"ruleId": finding.rule_id}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = _LEVELS[finding.severity]
    result["message"] = {"text": _message(finding)}
    result["locations"] = [_location(finding)]
    if finding.occurrences:
        # the same mistake in several places: the others as related locations, and the count
        result["relatedLocations"] = [
            _related(index, finding.path, place) for index, place in enumerate(finding.occurrences[1:], 1)
        ]
        result["properties"] = {"occurrences": len(finding.occurrences)}
    if finding.consumer:  # who ecslint takes to register the file, and why (docs/consumers.md)
        properties = result.setdefault("properties", {})
        assert isinstance(properties, dict)
        properties["consumer"] = finding.consumer
        properties["consumerBasis"] = finding.consumer_basis
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding)}
    return result


def _related(index: int, path: str, place: Place) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": artifact_location(path)}
    if place.span is not None:
        physical["region"] = _region(place.span, None)
    return {"id": index, "physicalLocation": physical, "logicalLocations": [{"fullyQualifiedName": place.pointer}]}


def _message(finding: Finding) -> str:
    return bidi_visible(f"{finding.message} — {finding.hint}" if finding.hint else finding.message)


def _location(finding: Finding) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": artifact_location(finding.path)}
    if finding.span is not None:
        physical["region"] = _region(finding.span, finding.excerpt)
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"fullyQualifiedName": finding.pointer}],
    }


def _region(span: Span, excerpt: str | None) -> dict[str, object]:
    """The span as a SARIF region; a malformed span is clamped rather than emitted invalid."""
    start_line = max(span.start.line, 1)
    start_column = max(span.start.column, 1)
    end_line = max(span.end.line, start_line)
    end_column = max(span.end.column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    region: dict[str, object] = {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }
    if excerpt is not None and end_line == start_line and end_column > start_column:
        snippet = excerpt[start_column - 1 : end_column - 1]
        if snippet:
            region["snippet"] = {"text": snippet}
    return region


def artifact_location(path: str) -> dict[str, object]:
    """A SARIF ``artifactLocation`` for a path as the user gave it."""
    if path in _STDIN_PATHS:
        return {"uri": STDIN_URI}
    normal = path.replace("\\", "/")
    if _DRIVE.match(normal):
        return {"uri": "file:///" + normal[:2] + _quote(normal[2:])}
    if normal.startswith("//"):
        return {"uri": "file:" + _quote(normal)}
    if normal.startswith("/"):
        return {"uri": "file://" + _quote(normal)}
    return {"uri": _quote(_relative(normal)), "uriBaseId": SRCROOT}


def _quote(path: str) -> str:
    """Percent-encode ``path`` as UTF-8; undecodable file-name bytes (surrogate escapes) as themselves."""
    try:
        return quote(path, safe="/", errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe="/", errors="surrogatepass")


def _relative(path: str) -> str:
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    return path or "."


def fingerprint(finding: Finding) -> str:
    """A hash of rule id, path and pointer: stable across runs, line moves and message changes."""
    path = finding.path.replace("\\", "/")
    if not path.startswith("/"):
        path = _relative(path)
    key = "\x00".join((finding.rule_id, path, finding.pointer))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
