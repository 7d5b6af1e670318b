"""The GitLab Code Quality format: the fields GitLab requires, stable and unique fingerprints."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Position, Severity, Span
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from ecslint.reporters.gitlab import render
from ecslint.reporters.sarif import fingerprint
from tests.reporters.fixtures import RULE

CONTEXT = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", files_checked=1)
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
TWO_LINES = Span(Position(3, 13), Position(4, 2))


def finding(
    severity: Severity = Severity.ERROR,
    *,
    path: str = "td.json",
    pointer: str = "/memory",
    span: Span | None = TWO_LINES,
    hint: str | None = "use one of: 512, 1024, 2048",
) -> Finding:
    return Finding(
        "ECS101", "unsupported-fargate-size", severity, "memory 4096 is not offered", path, pointer, span, hint
    )


def test_registered_as_the_gitlab_format() -> None:
    assert get_reporter("gitlab") is render


def test_an_issue_has_every_field_gitlab_requires() -> None:
    [issue] = json.loads(render([finding()], CONTEXT))
    assert issue == {
        "description": "memory 4096 is not offered — use one of: 512, 1024, 2048",
        "check_name": "ECS101",
        "fingerprint": fingerprint(finding()),
        "severity": "blocker",
        "location": {"path": "td.json", "lines": {"begin": 3, "end": 4}},
    }


def test_severities_paths_and_findings_without_a_position() -> None:
    issues = json.loads(
        render(
            [
                finding(Severity.WARNING, path="./deploy\\td.json", hint=None),
                finding(Severity.INFO, span=None, pointer=""),
            ],
            CONTEXT,
        )
    )
    assert [issue["severity"] for issue in issues] == ["major", "info"]
    assert issues[0]["location"]["path"] == "deploy/td.json"
    assert issues[0]["description"] == "memory 4096 is not offered"
    assert issues[1]["location"]["lines"] == {"begin": 1, "end": 1}


def test_fingerprints_are_unique_within_a_report_and_stable_across_runs() -> None:
    same = [finding(), finding(span=Span(Position(9, 1), Position(9, 2))), finding()]
    first = [issue["fingerprint"] for issue in json.loads(render(same, CONTEXT))]
    assert len(set(first)) == 3
    assert first == [issue["fingerprint"] for issue in json.loads(render(same, CONTEXT))]
    assert first[0] == fingerprint(finding())


def test_no_findings_is_an_empty_array() -> None:
    assert render([], CONTEXT) == "[]\n"


FINDINGS = st.builds(
    Finding,
    rule_id=st.sampled_from(["ECS101", "ECS102"]),
    rule_name=st.text(max_size=8),
    severity=st.sampled_from(list(Severity)),
    message=st.text(max_size=30),
    path=st.text(max_size=12),
    pointer=st.sampled_from(["", "/memory", "/a~1b"]),
    span=st.none()
    | st.builds(
        Span,
        st.builds(Position, st.integers(-2, 9), st.integers(0, 9)),
        st.builds(Position, st.integers(-2, 9), st.integers(0, 9)),
    ),
    hint=st.none() | st.text(max_size=10),
)


@given(st.lists(FINDINGS, max_size=6))
def test_any_findings_give_a_valid_report(items: list[Finding]) -> None:
    issues = json.loads(render(items, CONTEXT))
    render(items, CONTEXT).encode("utf-8")
    assert len(issues) == len(items)
    assert len({issue["fingerprint"] for issue in issues}) == len(items)
    for issue in issues:
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        assert 1 <= issue["location"]["lines"]["begin"] <= issue["location"]["lines"]["end"]
