"""The text reporter: headers, excerpts with carets (CJK, tabs), colour and the summary line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Position, Severity, Span
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from ecslint.reporters.text import render
from tests.reporters.fixtures import RULE

PLAIN = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", color=False, files_checked=1)
COLOUR = ReportContext(catalogue=Catalogue([RULE]), version="1.2.3", color=True, files_checked=1)


def span(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span(Position(line, column), Position(end_line, end_column))


def finding(
    severity: Severity = Severity.ERROR,
    *,
    path: str = "td.json",
    where: Span | None = None,
    excerpt: str | None = None,
    hint: str | None = None,
    message: str = "memory 4096 is not offered with cpu 256 on Fargate",
) -> Finding:
    return Finding(
        rule_id="ECS101",
        rule_name="unsupported-fargate-size",
        severity=severity,
        message=message,
        path=path,
        pointer="/memory",
        span=where,
        hint=hint,
        excerpt=excerpt,
    )


def excerpt_lines(excerpt: str, where: Span) -> list[str]:
    """The excerpt line and the caret line printed for one finding."""
    return render([finding(where=where, excerpt=excerpt)], PLAIN).splitlines()[1:3]


def test_golden_finding_with_excerpt_and_hint() -> None:
    result = finding(
        where=span(3, 13, 3, 19),
        excerpt='  "memory": "4096",',
        hint="use one of: 512, 1024, 2048",
    )
    assert render([result], PLAIN) == (
        "td.json:3:13: ECS101 error memory 4096 is not offered with cpu 256 on Fargate\n"
        '      "memory": "4096",\n'
        "                ^^^^^^\n"
        "  hint: use one of: 512, 1024, 2048\n"
        "\n"
        "Found 1 error in 1 file.\n"
    )


def test_registered_as_the_text_format() -> None:
    assert get_reporter("text") is render


def test_finding_without_span_has_no_position_and_no_excerpt() -> None:
    result = finding(Severity.WARNING, excerpt="ignored without a span", message="file is empty")
    assert render([result], PLAIN) == ("td.json: ECS101 warning file is empty\n\nFound 1 warning in 1 file.\n")


def test_span_without_excerpt_prints_only_the_header() -> None:
    result = finding(Severity.INFO, where=span(7, 2, 7, 9), message="note this")
    assert render([result], PLAIN).splitlines()[:2] == ["td.json:7:2: ECS101 info note this", ""]


def test_findings_keep_the_given_order() -> None:
    later = finding(path="b.json", where=span(9, 1, 9, 2), message="second")
    earlier = finding(path="a.json", where=span(1, 1, 1, 2), message="first")
    lines = render([later, earlier], PLAIN).splitlines()
    assert lines[:2] == ["b.json:9:1: ECS101 error second", "a.json:1:1: ECS101 error first"]


def test_caret_under_wide_characters_takes_two_cells_each() -> None:
    # code points: "(1) 名(2) 前(3) "(4) :(5) space(6) "(7) 値(8) 値(9) "(10)
    assert excerpt_lines('"名前": "値値"', span(1, 8, 1, 10)) == [
        '    "名前": "値値"',
        "             ^^^^",
    ]


def test_caret_after_fullwidth_characters_is_shifted_by_their_width() -> None:
    # Ａ and Ｂ are fullwidth ('F'): two cells each, one column each
    assert excerpt_lines("ＡＢx = 1", span(1, 3, 1, 4)) == ["    ＡＢx = 1", "        ^"]


def test_tabs_are_expanded_to_tab_stops_in_excerpt_and_caret() -> None:
    # two tabs (16 cells), then "memory" at columns 4..9
    assert excerpt_lines('\t\t"memory": 1', span(1, 4, 1, 10)) == [
        '                    "memory": 1',
        "                     ^^^^^^",
    ]


def test_tab_after_a_wide_character_stops_at_the_next_tab_stop() -> None:
    # 名 takes cells 0-1, the tab fills cells 2-7, x is at cell 8
    assert excerpt_lines("名\tx", span(1, 3, 1, 4)) == ["    名      x", "            ^"]


def test_caret_covers_every_cell_of_a_tab_inside_the_span() -> None:
    assert excerpt_lines("ab\tc", span(1, 2, 1, 4)) == ["    ab      c", "     ^^^^^^^"]


def test_zero_width_span_gets_one_caret() -> None:
    assert excerpt_lines('{"a": 1 "b": 2}', span(1, 8, 1, 8)) == ['    {"a": 1 "b": 2}', "           ^"]


def test_span_at_end_of_line_puts_the_caret_after_the_last_character() -> None:
    assert excerpt_lines('"a": 1', span(1, 7, 1, 8)) == ['    "a": 1', "          ^"]


def test_multi_line_span_underlines_to_the_end_of_the_first_line() -> None:
    assert excerpt_lines('  "a": {', span(1, 8, 4, 4)) == ['      "a": {', "           ^"]
    assert excerpt_lines('  "ab": 1,', span(1, 3, 2, 1)) == ['      "ab": 1,', "      ^^^^^^^^"]


def test_combining_marks_take_no_cell() -> None:
    # "e" + COMBINING ACUTE ACCENT is two code points shown in one cell
    assert excerpt_lines("e\u0301x", span(1, 3, 1, 4)) == ["    e\u0301x", "     ^"]


def test_control_characters_in_the_excerpt_are_shown_as_control_pictures() -> None:
    lines = excerpt_lines("a\x1b[31mb", span(1, 7, 1, 8))
    assert lines == ["    a\u241b[31mb", "          ^"]


BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidirectional_controls_are_shown_escaped_everywhere() -> None:
    # "Trojan Source" (CVE-2021-42574): U+202E would make the terminal show the line reversed
    for char in BIDI_CONTROLS:
        hostile = finding(
            path=f"a{char}.json", where=span(1, 3, 1, 4), excerpt=f"a{char}bc", hint=f"h{char}", message=f"m{char}"
        )
        output = render([hostile], PLAIN)
        assert not set(output) & set(BIDI_CONTROLS), output
        stand_in = f"<U+{ord(char):04X}>"
        assert output.count(stand_in) == 4
        excerpt, caret = output.splitlines()[1:3]
        assert excerpt == f"    a{stand_in}bc" and caret == " " * (4 + 1 + len(stand_in)) + "^"


def test_trailing_carriage_return_is_not_shown() -> None:
    assert excerpt_lines('"a": 1\r', span(1, 6, 1, 7)) == ['    "a": 1', "         ^"]


def test_empty_excerpt_line_has_no_trailing_spaces() -> None:
    assert excerpt_lines("", span(2, 1, 2, 1)) == ["", "    ^"]


def test_colour_marks_severity_rule_id_and_caret() -> None:
    result = finding(where=span(1, 2, 1, 4), excerpt=" ab", hint="do this")
    assert render([result], COLOUR) == (
        "td.json:1:2: \x1b[1mECS101\x1b[0m \x1b[31merror\x1b[0m memory 4096 is not offered with cpu 256 on Fargate\n"
        "     ab\n"
        "     \x1b[31m^^\x1b[0m\n"
        "  hint: do this\n"
        "\n"
        "Found 1 error in 1 file.\n"
    )


def test_colour_per_severity() -> None:
    warning = render([finding(Severity.WARNING)], COLOUR).splitlines()[0]
    info = render([finding(Severity.INFO)], COLOUR).splitlines()[0]
    assert "\x1b[33mwarning\x1b[0m" in warning
    assert "\x1b[36minfo\x1b[0m" in info


def test_no_escape_codes_without_colour_even_from_hostile_input() -> None:
    hostile = finding(
        path="\x1b]0;title\x07.json",
        where=span(1, 1, 1, 3),
        excerpt="\x1b[2J",
        hint="\x1b[31mred",
        message="\x1bc reset",
    )
    assert "\x1b" not in render([hostile], PLAIN)


def test_summary_without_findings() -> None:
    assert render([], PLAIN) == "No problems found in 1 file.\n"
    assert render([], ReportContext(PLAIN.catalogue, "1", files_checked=0)) == "No problems found in 0 files.\n"
    assert render([], ReportContext(PLAIN.catalogue, "1", files_checked=12)) == "No problems found in 12 files.\n"


def test_summary_pluralises_each_count() -> None:
    findings = [
        *[finding(Severity.ERROR)] * 3,
        finding(Severity.WARNING),
        *[finding(Severity.INFO)] * 2,
    ]
    context = ReportContext(PLAIN.catalogue, "1", files_checked=2)
    assert render(findings, context).splitlines()[-1] == "Found 3 errors, 1 warning and 2 info in 1 of 2 files."
    assert render([finding(Severity.WARNING)] * 2, PLAIN).splitlines()[-1] == "Found 2 warnings in 1 file."
    assert render([finding(Severity.INFO)], PLAIN).splitlines()[-1] == "Found 1 info in 1 file."


def test_summary_names_only_the_severities_found_and_the_files_with_findings() -> None:
    findings = [
        *[finding(Severity.ERROR, path="a.json")] * 5,
        *[finding(Severity.WARNING, path="a.json")] * 3,
    ]
    context = ReportContext(PLAIN.catalogue, "1", files_checked=3)
    assert render(findings, context).splitlines()[-1] == "Found 5 errors and 3 warnings in 1 of 3 files."
    both = [finding(Severity.ERROR, path="a.json"), finding(Severity.INFO, path="b.json")]
    assert render(both, context).splitlines()[-1] == "Found 1 error and 1 info in 2 of 3 files."
    every = ReportContext(PLAIN.catalogue, "1", files_checked=2)
    assert render(both, every).splitlines()[-1] == "Found 1 error and 1 info in 2 files."
    # a named file that is not a task definition is not counted as checked, but has a finding
    assert render(both, ReportContext(PLAIN.catalogue, "1", files_checked=1)).splitlines()[-1] == (
        "Found 1 error and 1 info in 2 files."
    )


def test_quiet_prints_the_findings_without_the_summary() -> None:
    quiet = PLAIN._replace(quiet=True)
    assert render([], quiet) == ""
    assert render([finding(Severity.ERROR)], quiet) == render([finding(Severity.ERROR)], PLAIN).split("\n\n")[0] + "\n"


def test_lone_surrogates_from_undecodable_file_names_can_be_written_as_utf8() -> None:
    output = render([finding(path="bad\udcff.json")], PLAIN)
    assert output.encode("utf-8").startswith(b"bad\xef\xbf\xbd.json: ECS101")


positions = st.builds(Position, st.integers(0, 50), st.integers(0, 50))
findings = st.builds(
    Finding,
    rule_id=st.text(max_size=8),
    rule_name=st.text(max_size=12),
    severity=st.sampled_from(Severity),
    message=st.text(),
    path=st.text(),
    pointer=st.text(),
    span=st.none() | st.builds(Span, positions, positions),
    hint=st.none() | st.text(),
    excerpt=st.none() | st.text(),
)


@given(st.lists(findings, max_size=5), st.booleans())
def test_any_findings_render_one_header_each_and_no_stray_escapes(items: list[Finding], color: bool) -> None:
    context = ReportContext(PLAIN.catalogue, "1", color=color, files_checked=len(items))
    output = render(items, context)
    assert output.endswith("\n")
    output.encode("utf-8")
    if not color:
        assert "\x1b" not in output
    assert not set(output) & set(BIDI_CONTROLS)
    lines = output[:-1].split("\n")  # not splitlines(): U+2028 and friends are not line breaks on a terminal
    expected = 1 + sum(
        1 + (2 if item.span and item.excerpt is not None else 0) + (1 if item.hint else 0) for item in items
    )
    assert len(lines) == expected + (1 if items else 0)


@given(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
    st.integers(1, 70),
    st.integers(0, 70),
    st.booleans(),
)
def test_the_ascii_fast_path_draws_the_caret_as_the_cell_walk_does(
    line: str, column: int, length: int, same_line: bool
) -> None:
    from ecslint.reporters.text import _display_cells, _excerpt_and_caret

    span = Span(Position(3, column), Position(3 if same_line else 4, column + length))
    cells = _display_cells(line)
    first = column - 1
    last = span.end.column - 1 if same_line else len(cells)
    before = sum(width for _, width in cells[:first]) + max(first - len(cells), 0)
    under = sum(width for _, width in cells[first:last])
    assert _excerpt_and_caret(line + "\n", span) == (line, (before, max(under, 1)))


def test_who_registers_the_file_is_said_once_per_file_under_its_first_finding_that_depends_on_it() -> None:
    from tests.reporters.fixtures import BOTH, consumer_findings

    text = render(consumer_findings(), ReportContext(catalogue=BOTH, version="1.2.3", files_checked=2))
    assert text.splitlines() == [
        "a.json:2:3: ECS101 error memory 4096 is not offered with cpu 256 on Fargate",  # not changed by it: no note
        "a.json:3:3: ECS025 info 'revision' is removed by the action",
        "  checked as registered by deploy-action: "
        ".github/workflows/deploy.yml hands it to amazon-ecs-deploy-task-definition",
        "a.json:4:3: ECS025 info 'revision' is removed by the action",  # once per file
        "b.json:3:3: ECS025 warning 'revision' is a read-only field",
        "  checked as registered by an unknown tool: "
        "nothing names who registers it (--target or target = ... in the configuration says)",
        "",
        "Found 1 error, 1 warning and 2 info in 2 files.",
    ]
    coloured = render(consumer_findings(), ReportContext(catalogue=BOTH, version="1.2.3", color=True))
    assert "\x1b[2m  checked as registered by deploy-action: " in coloured  # dim


def test_no_consumer_note_without_a_consumer() -> None:
    from tests.reporters.fixtures import BOTH, consumer_findings

    findings = [f._replace(consumer=None, consumer_basis=None) for f in consumer_findings()]
    assert "checked as registered" not in render(findings, ReportContext(catalogue=BOTH, version="1.2.3"))
