"""The concise format: one line per finding, the text format's header, then the summary."""

from __future__ import annotations

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Position, Severity, Span
from ecslint.reporters.concise import render
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from tests.reporters.fixtures import RULE

CONTEXT = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", files_checked=2)


MEMORY = Span(Position(3, 13), Position(3, 19))


def finding(path: str = "td.json", span: Span | None = MEMORY) -> Finding:
    return Finding(
        "ECS101",
        "unsupported-fargate-size",
        Severity.ERROR,
        "memory 4096 is not offered with cpu 256 on Fargate",
        path,
        "/memory",
        span,
        hint="use one of: 512, 1024, 2048",
        excerpt='  "memory": "4096",',
    )


def test_registered_as_the_concise_format() -> None:
    assert get_reporter("concise") is render


def test_one_line_per_finding_without_excerpt_or_hint_then_the_summary() -> None:
    output = render([finding(), finding("empty.json", None)], CONTEXT)
    assert output == (
        "td.json:3:13: ECS101 error memory 4096 is not offered with cpu 256 on Fargate\n"
        "empty.json: ECS101 error memory 4096 is not offered with cpu 256 on Fargate\n"
        "\n"
        "Found 2 errors in 2 files.\n"
    )


def test_quiet_leaves_only_the_findings_and_no_findings_is_the_summary_alone() -> None:
    assert render([finding()], CONTEXT._replace(quiet=True)) == (
        "td.json:3:13: ECS101 error memory 4096 is not offered with cpu 256 on Fargate\n"
    )
    assert render([], CONTEXT) == "No problems found in 2 files.\n"
    assert render([], CONTEXT._replace(quiet=True)) == ""


def test_control_characters_never_reach_the_terminal() -> None:
    assert "\x1b" not in render([finding(path="\x1b[2J.json")], CONTEXT)
