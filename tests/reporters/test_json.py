"""The JSON reporter: the documented, versioned structure, field by field."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Fix, Place, Position, Replacement, Severity, Span
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from ecslint.reporters.json import render
from tests.reporters.fixtures import RULE

CONTEXT = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", files_checked=2)

FULL = Finding(
    rule_id="ECS101",
    rule_name="unsupported-fargate-size",
    severity=Severity.ERROR,
    message="memory 4096 is not offered with cpu 256 on Fargate",
    path="services/web/td.json",
    pointer="/memory",
    span=Span(Position(3, 13), Position(3, 19)),
    hint="use one of: 512, 1024, 2048",
    excerpt='  "memory": "4096",',
    fix=Fix("set memory to 2048", (Replacement(40, 44, "2048"),), safe=False),
    consumer="aws-cli",
    consumer_basis="--target",
)
BARE = Finding(
    rule_id="ECS001",
    rule_name="empty-file",
    severity=Severity.INFO,
    message="file is empty",
    path="名前.yaml",
    pointer="",
)


GOLDEN = """\
{
  "version": 1,
  "tool": {
    "name": "ecslint",
    "version": "1.2.3"
  },
  "summary": {
    "files": 2,
    "errors": 1,
    "warnings": 0,
    "info": 1
  },
  "findings": [
    {
      "rule": "ECS101",
      "name": "unsupported-fargate-size",
      "severity": "error",
      "message": "memory 4096 is not offered with cpu 256 on Fargate",
      "hint": "use one of: 512, 1024, 2048",
      "path": "services/web/td.json",
      "pointer": "/memory",
      "line": 3,
      "column": 13,
      "endLine": 3,
      "endColumn": 19,
      "fix": {
        "description": "set memory to 2048",
        "safe": false,
        "replacements": [
          {
            "start": 40,
            "end": 44,
            "text": "2048"
          }
        ]
      },
      "occurrences": null,
      "consumer": {
        "name": "aws-cli",
        "basis": "--target"
      }
    },
    {
      "rule": "ECS001",
      "name": "empty-file",
      "severity": "info",
      "message": "file is empty",
      "hint": null,
      "path": "名前.yaml",
      "pointer": "",
      "line": null,
      "column": null,
      "endLine": null,
      "endColumn": null,
      "fix": null,
      "occurrences": null,
      "consumer": null
    }
  ]
}
"""


def test_golden_document() -> None:
    assert render([FULL, BARE], CONTEXT) == GOLDEN


def test_registered_as_the_json_format() -> None:
    assert get_reporter("json") is render


def test_no_findings() -> None:
    document = json.loads(render([], ReportContext(CONTEXT.catalogue, "0.1.0", files_checked=0)))
    assert document == {
        "version": 1,
        "tool": {"name": "ecslint", "version": "0.1.0"},
        "summary": {"files": 0, "errors": 0, "warnings": 0, "info": 0},
        "findings": [],
    }


def test_summary_counts_each_severity() -> None:
    items = [FULL, FULL, BARE, Finding("ECS200", "x", Severity.WARNING, "m", "a.json", "/a")]
    summary = json.loads(render(items, CONTEXT))["summary"]
    assert summary == {"files": 2, "errors": 2, "warnings": 1, "info": 1}


def test_every_finding_has_the_same_keys_in_the_same_order() -> None:
    findings = json.loads(render([FULL, BARE], CONTEXT))["findings"]
    keys = [
        "rule",
        "name",
        "severity",
        "message",
        "hint",
        "path",
        "pointer",
        "line",
        "column",
        "endLine",
        "endColumn",
        "fix",
        "occurrences",
        "consumer",
    ]
    assert [list(finding) for finding in findings] == [keys, keys]


def test_a_finding_for_several_places_lists_every_place() -> None:
    # one ECS304 finding for a placeholder pasted into three values: the count stays in the output
    places = (
        Place("/taskRoleArn", Span(Position(3, 31), Position(3, 43))),
        Place("/executionRoleArn", Span(Position(4, 36), Position(4, 48))),
        Place("/containerDefinitions/0/image", None),
    )
    finding = FULL._replace(occurrences=places)
    (item,) = json.loads(render([finding], CONTEXT))["findings"]
    assert item["occurrences"] == [
        {"pointer": "/taskRoleArn", "line": 3, "column": 31, "endLine": 3, "endColumn": 43},
        {"pointer": "/executionRoleArn", "line": 4, "column": 36, "endLine": 4, "endColumn": 48},
        {"pointer": "/containerDefinitions/0/image", "line": None, "column": None, "endLine": None, "endColumn": None},
    ]


def test_lone_surrogates_are_escaped_so_the_output_is_utf8_and_round_trips() -> None:
    finding = Finding("ECS101", "n", Severity.ERROR, "m", "bad\udcff.json", "/a")
    output = render([finding], CONTEXT)
    output.encode("utf-8")
    assert '"path": "bad\\udcff.json"' in output
    assert json.loads(output)["findings"][0]["path"] == "bad\udcff.json"


texts = st.text(st.characters(codec="utf-8"))
positions = st.builds(Position, st.integers(1, 10**6), st.integers(1, 10**6))
fixes = st.builds(
    Fix,
    description=texts,
    replacements=st.lists(st.builds(Replacement, st.integers(0, 10**6), st.integers(0, 10**6), texts)).map(tuple),
    safe=st.booleans(),
)
findings = st.builds(
    Finding,
    rule_id=texts,
    rule_name=texts,
    severity=st.sampled_from(Severity),
    message=texts,
    path=texts,
    pointer=texts,
    span=st.none() | st.builds(Span, positions, positions),
    hint=st.none() | texts,
    excerpt=st.none() | texts,
    fix=st.none() | fixes,
    occurrences=st.lists(st.builds(Place, texts, st.none() | st.builds(Span, positions, positions))).map(tuple),
)


def expected(finding: Finding) -> dict[str, object]:
    span, fix = finding.span, finding.fix
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
        "fix": None
        if fix is None
        else {
            "description": fix.description,
            "safe": fix.safe,
            "replacements": [{"start": r.start, "end": r.end, "text": r.text} for r in fix.replacements],
        },
        "occurrences": [
            {
                "pointer": place.pointer,
                "line": place.span.start.line if place.span else None,
                "column": place.span.start.column if place.span else None,
                "endLine": place.span.end.line if place.span else None,
                "endColumn": place.span.end.column if place.span else None,
            }
            for place in finding.occurrences
        ]
        if finding.occurrences
        else None,
        "consumer": {"name": finding.consumer, "basis": finding.consumer_basis} if finding.consumer else None,
    }


@given(st.lists(findings, max_size=6), st.integers(0, 1000))
def test_round_trip(items: list[Finding], files: int) -> None:
    output = render(items, ReportContext(CONTEXT.catalogue, "9.9.9", files_checked=files))
    assert output.endswith("}\n")
    document = json.loads(output)
    assert document["version"] == 1
    assert document["tool"] == {"name": "ecslint", "version": "9.9.9"}
    assert document["summary"]["files"] == files
    assert sum(document["summary"][key] for key in ("errors", "warnings", "info")) == len(items)
    assert document["findings"] == [expected(item) for item in items]
