"""The GitHub reporter: workflow-command annotations, escaped as the actions toolkit escapes them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Position, Severity, Span
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from ecslint.reporters.github import escape_data, escape_property, render
from tests.reporters.fixtures import RULE

CONTEXT = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", files_checked=1)
TITLE = "title=ECS101 unsupported-fargate-size"
MEMORY_SPAN = Span(Position(3, 13), Position(3, 19))


def finding(
    severity: Severity = Severity.ERROR,
    *,
    path: str = "td.json",
    where: Span | None = MEMORY_SPAN,
    message: str = "memory 4096 is not offered with cpu 256 on Fargate",
    hint: str | None = None,
) -> Finding:
    return Finding("ECS101", "unsupported-fargate-size", severity, message, path, "/memory", where, hint)


def test_registered_as_the_github_format() -> None:
    assert get_reporter("github") is render


def test_golden_error_with_hint() -> None:
    assert render([finding(hint="use one of: 512, 1024, 2048")], CONTEXT) == (
        f"::error file=td.json,line=3,col=13,endLine=3,endColumn=18,{TITLE}"
        "::memory 4096 is not offered with cpu 256 on Fargate%0Ahint: use one of: 512, 1024, 2048\n"
    )


def test_warning_and_info_commands() -> None:
    assert render([finding(Severity.WARNING, where=None, message="w")], CONTEXT) == (
        f"::warning file=td.json,{TITLE}::w\n"
    )
    assert render([finding(Severity.INFO, where=None, message="i")], CONTEXT) == f"::notice file=td.json,{TITLE}::i\n"


def test_end_column_is_inclusive_and_never_before_the_start() -> None:
    one = finding(where=Span(Position(2, 5), Position(2, 6)), message="m")
    empty = finding(where=Span(Position(2, 5), Position(2, 5)), message="m")
    expected = f"::error file=td.json,line=2,col=5,endLine=2,endColumn=5,{TITLE}::m\n"
    assert render([one], CONTEXT) == expected
    assert render([empty], CONTEXT) == expected


def test_multi_line_span_gives_lines_only() -> None:
    item = finding(where=Span(Position(2, 9), Position(5, 2)), message="m")
    assert render([item], CONTEXT) == f"::error file=td.json,line=2,endLine=5,{TITLE}::m\n"


@pytest.mark.parametrize("path", ["-", "<stdin>", ""])
def test_standard_input_has_no_file_and_no_position(path: str) -> None:
    assert render([finding(path=path, message="m")], CONTEXT) == f"::error {TITLE}::m\n"


def test_message_hint_path_and_title_are_escaped() -> None:
    item = Finding(
        rule_id="ECS1,0:1",
        rule_name="x%y",
        severity=Severity.ERROR,
        message="100% bad\r\n::error::injected, really: yes",
        path="dir/a,b:c%.json",
        pointer="/a",
        span=Span(Position(1, 1), Position(1, 2)),
        hint="two\nlines",
    )
    assert render([item], CONTEXT) == (
        "::error file=dir/a%2Cb%3Ac%25.json,line=1,col=1,endLine=1,endColumn=1,title=ECS1%2C0%3A1 x%25y"
        "::100%25 bad%0D%0A::error::injected, really: yes%0Ahint: two%0Alines\n"
    )


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50%", "50%25", "50%25"),
        ("%0A", "%250A", "%250A"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("名前 ✓", "名前 ✓", "名前 ✓"),
        ("bad\udcff", "bad\ufffd", "bad\ufffd"),
    ],
)
def test_escape_functions(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_no_findings_no_output() -> None:
    assert render([], CONTEXT) == ""


def test_one_line_per_finding_in_the_given_order() -> None:
    items = [finding(path="b.json", message="first"), finding(path="a.json", message="second")]
    lines = render(items, CONTEXT).splitlines()
    assert [line.rsplit("::", 1)[1] for line in lines] == ["first", "second"]


_COMMAND = re.compile(r"::(error|warning|notice) (?P<properties>[^:]*)::(?P<data>.*)")
_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda match: _ESCAPES[match.group()], text)


texts = st.text(st.characters(codec="utf-8"))
positions = st.builds(Position, st.integers(0, 10**6), st.integers(0, 10**6))
findings = st.builds(
    Finding,
    rule_id=texts,
    rule_name=texts,
    severity=st.sampled_from(Severity),
    message=texts,
    path=st.sampled_from(["-", "td.json"]) | texts,
    pointer=texts,
    span=st.none() | st.builds(Span, positions, positions),
    hint=st.none() | texts,
)


@given(st.lists(findings, max_size=5))
def test_any_findings_give_one_parsable_command_each(items: list[Finding]) -> None:
    output = render(items, CONTEXT)
    assert "\r" not in output
    lines = output.split("\n")  # the runner splits on CR and LF only
    assert lines.pop() == ""
    assert len(lines) == len(items)
    for item, line in zip(items, lines, strict=True):
        match = _COMMAND.fullmatch(line)
        assert match is not None, line
        expected = item.message + (f"\nhint: {item.hint}" if item.hint else "")
        assert unescape(match["data"]) == expected
        properties = dict(part.split("=", 1) for part in match["properties"].split(","))
        assert unescape(properties["title"]) == f"{item.rule_id} {item.rule_name}"
        if "file" in properties:
            assert unescape(properties["file"]) == item.path
        if "col" in properties:
            assert properties["line"] == properties["endLine"]
            assert int(properties["col"]) <= int(properties["endColumn"])


def test_an_annotation_whose_rule_depends_on_the_consumer_says_who_registers_the_file() -> None:
    from tests.reporters.fixtures import BOTH, consumer_findings

    commands = render(consumer_findings(), ReportContext(catalogue=BOTH, version="1.2.3")).splitlines()
    note = "%0Achecked as registered by deploy-action: .github/workflows/deploy.yml hands it to "
    assert [note in command for command in commands] == [False, True, True, False]  # each annotation on its own
    assert commands[3].endswith(
        "%0Achecked as registered by an unknown tool: nothing names who registers it "
        "(--target or target = ... in the configuration says)"
    )
