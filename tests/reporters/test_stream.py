"""A streamed report is byte for byte the report ``render`` gives for the same findings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import builtin
from ecslint.core.model import Finding, Position, Severity, Span
from ecslint.engine.pipeline import Engine
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import FORMATS, get_reporter
from ecslint.reporters.stream import ReportStream

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = builtin()


def _streamed(output_format: str, findings: list[Finding], files: int, color: bool = False) -> str:
    stream = ReportStream(output_format, ReportContext(CATALOGUE, "9.9.9", color, 0))
    for finding in findings:
        stream.add(finding)
    out = io.BytesIO()
    stream.finish(out, files)
    return out.getvalue().decode("utf-8")


def _rendered(output_format: str, findings: list[Finding], files: int, color: bool = False) -> str:
    return get_reporter(output_format)(findings, ReportContext(CATALOGUE, "9.9.9", color, files))


def _real_findings() -> list[Finding]:
    engine = Engine(CATALOGUE)
    findings: list[Finding] = []
    for path in sorted((REPO / "examples").rglob("*.json")):
        findings.extend(engine.check_bytes(str(path.relative_to(REPO)), path.read_bytes()).findings)
    return findings


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("count", [0, 1, 2, None])
def test_streamed_equals_rendered(output_format: str, count: int | None) -> None:
    findings = _real_findings()[:count] if count is not None else _real_findings()
    for color in (False, True):
        assert _streamed(output_format, findings, 7, color) == _rendered(output_format, findings, 7, color)


FINDINGS = st.builds(
    Finding,
    rule_id=st.sampled_from(["ECS002", "ECS102", "XYZ999"]),
    rule_name=st.text(max_size=10),
    severity=st.sampled_from(list(Severity)),
    message=st.text(max_size=40),
    path=st.text(max_size=20),
    pointer=st.text(max_size=20),
    span=st.none()
    | st.builds(
        Span,
        st.builds(Position, st.integers(1, 50), st.integers(1, 80)),
        st.builds(Position, st.integers(1, 50), st.integers(1, 80)),
    ),
    hint=st.none() | st.text(max_size=20),
    excerpt=st.none() | st.text(max_size=40),
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FORMATS), st.lists(FINDINGS, max_size=5), st.integers(0, 3))
def test_any_findings_stream_as_they_render(output_format: str, findings: list[Finding], files: int) -> None:
    assert _streamed(output_format, findings, files) == _rendered(output_format, findings, files)


@pytest.mark.parametrize("output_format", FORMATS)
def test_quiet_reports_stream_as_they_render(output_format: str) -> None:
    findings = _real_findings()
    for items in (findings, []):
        stream = ReportStream(output_format, ReportContext(CATALOGUE, "9.9.9", False, 0, True))
        for finding in items:
            stream.add(finding)
        out = io.BytesIO()
        stream.finish(out, 7)
        rendered = get_reporter(output_format)(items, ReportContext(CATALOGUE, "9.9.9", False, 7, True))
        assert out.getvalue().decode("utf-8") == rendered


@pytest.mark.parametrize("output_format", FORMATS)
def test_who_registers_the_file_streams_as_it_renders(output_format: str) -> None:
    from tests.reporters.fixtures import BOTH, consumer_findings

    findings = consumer_findings()
    stream = ReportStream(output_format, ReportContext(BOTH, "9.9.9", False, 0))
    for finding in findings:
        stream.add(finding)
    out = io.BytesIO()
    stream.finish(out, 2)
    assert out.getvalue().decode("utf-8") == get_reporter(output_format)(
        findings, ReportContext(BOTH, "9.9.9", False, 2)
    )
