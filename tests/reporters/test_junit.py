"""The JUnit format: well-formed XML whatever the findings hold, one failed case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from hypothesis import given
from hypothesis import strategies as st

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Position, Severity, Span
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from ecslint.reporters.junit import render
from tests.reporters.fixtures import RULE

CONTEXT = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", files_checked=3)


def finding(
    severity: Severity = Severity.ERROR, *, path: str = "td.json", message: str = "memory 4096 is not offered"
) -> Finding:
    return Finding(
        "ECS101",
        "unsupported-fargate-size",
        severity,
        message,
        path,
        "/memory",
        Span(Position(3, 13), Position(3, 19)),
        hint="use one of: 512, 1024",
    )


def test_registered_as_the_junit_format() -> None:
    assert get_reporter("junit") is render


def test_one_suite_and_one_failed_case_per_finding() -> None:
    root = ElementTree.fromstring(render([finding(), finding(Severity.WARNING, path="b.json")], CONTEXT))
    assert root.tag == "testsuites" and root.attrib == {"name": "ecslint", "tests": "2", "failures": "2", "errors": "0"}
    [suite] = root
    assert suite.attrib["tests"] == "2" and suite.attrib["failures"] == "2"
    first, second = suite
    assert first.attrib == {
        "name": "ECS101 unsupported-fargate-size (3:13)",
        "classname": "td.json",
        "file": "td.json",
        "line": "3",
    }
    [failure] = first
    assert failure.attrib == {"type": "error", "message": "memory 4096 is not offered"}
    assert failure.text == "td.json:3:13: ECS101 error memory 4096 is not offered\nhint: use one of: 512, 1024"
    assert second[0].attrib["type"] == "warning"


def test_no_findings_is_one_passing_case() -> None:
    root = ElementTree.fromstring(render([], CONTEXT))
    assert root.attrib["tests"] == "1" and root.attrib["failures"] == "0"
    [case] = root[0]
    assert case.attrib == {"name": "no problems found in 3 files", "classname": "ecslint"}
    assert list(case) == []


def test_markup_quotes_and_characters_xml_cannot_carry() -> None:
    hostile = finding(path='a"<b>&.json', message="</failure>\x1b[31m\x00 ]]> line\nbreak")
    root = ElementTree.fromstring(render([hostile], CONTEXT))
    case = root[0][0]
    assert case.attrib["classname"] == 'a"<b>&.json'
    assert case[0].attrib["message"] == "</failure>\ufffd[31m\ufffd ]]> line\nbreak"


FINDINGS = st.builds(
    Finding,
    rule_id=st.text(max_size=6),
    rule_name=st.text(max_size=8),
    severity=st.sampled_from(list(Severity)),
    message=st.text(max_size=30),
    path=st.text(max_size=12),
    pointer=st.text(max_size=5),
    span=st.none()
    | st.builds(
        Span,
        st.builds(Position, st.integers(0, 9), st.integers(0, 9)),
        st.builds(Position, st.integers(0, 9), st.integers(0, 9)),
    ),
    hint=st.none() | st.text(max_size=10),
)


@given(st.lists(FINDINGS, max_size=5))
def test_any_findings_give_well_formed_xml(items: list[Finding]) -> None:
    output = render(items, CONTEXT)
    output.encode("utf-8")
    root = ElementTree.fromstring(output)
    cases = list(root[0])
    assert len(cases) == max(len(items), 1)
    assert root.attrib["failures"] == str(len(items))


def test_a_failure_whose_rule_depends_on_the_consumer_says_who_registers_the_file() -> None:
    from tests.reporters.fixtures import BOTH, consumer_findings

    root = ElementTree.fromstring(render(consumer_findings(), ReportContext(catalogue=BOTH, version="1.2.3")))
    texts = [case[0].text or "" for case in root[0]]
    assert ["checked as registered by" in text for text in texts] == [False, True, True, True]
    assert texts[1].endswith(
        "\nchecked as registered by deploy-action: "
        ".github/workflows/deploy.yml hands it to amazon-ecs-deploy-task-definition"
    )
