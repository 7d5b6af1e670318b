from __future__ import annotations

import codecs
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.readers.syntax import decode, parse_json, repair
from tests.workcount import grows_linearly

TD = {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 512}]}


def _ids(problems: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(p.rule_id, p.start) for p in problems]


def test_valid_json_has_no_problems() -> None:
    parsed = parse_json(json.dumps(TD))
    assert parsed.ok and parsed.data == TD and parsed.problems == []


def test_curly_quotes_are_repaired_in_place_and_counted() -> None:
    text = "{\n ”family”: “web“,\n ”cpu”: “256″\n}"
    parsed = parse_json(text)
    assert parsed.ok
    assert parsed.data == {"family": "web", "cpu": "256"}
    assert len(parsed.repaired_text) == len(text)
    [problem] = parsed.problems
    assert problem.rule_id == "ECS002" and problem.start == 3
    assert problem.violation.params["count"] == 8
    assert problem.violation.params["lines"] == "2-3"
    assert problem.violation.fix is not None and len(problem.violation.fix.replacements) == 8


def test_curly_quotes_inside_strings_are_text() -> None:
    text = '{"family": "web", "note": "he said “hi”", "x": [1,]}'
    parsed = parse_json(text)
    assert parsed.data == {"family": "web", "note": "he said “hi”", "x": [1]}
    assert _ids(parsed.problems) == [("ECS004", text.index(",]"))]


@pytest.mark.parametrize(
    ("elsewhere", "rule_id"),
    [
        ('"memory": 512,}', "ECS004"),  # a trailing comma
        ('"memory": 512 // half a GiB\n}', "ECS005"),  # a comment
        ('"memory"：512}', "ECS003"),  # a full-width colon
    ],
)
@pytest.mark.parametrize("inside", ["say “hi”, then go", "a ”quote”: here", "‘x’, “y”]", "end”"])
def test_typographic_quotes_inside_a_valid_string_stay_text_when_something_else_is_repaired(
    inside: str, elsewhere: str, rule_id: str
) -> None:
    text = '{"family": "web", "command": ' + json.dumps([inside], ensure_ascii=False) + ", " + elsewhere
    parsed = parse_json(text)
    assert parsed.ok and parsed.data == {"family": "web", "command": [inside], "memory": 512}
    assert [p.rule_id for p in parsed.problems] == [rule_id]


def test_fullwidth_punctuation() -> None:
    text = '{"family"："web"，"cpu"："256"}'
    parsed = parse_json(text)
    assert parsed.data == {"family": "web", "cpu": "256"}
    [problem] = parsed.problems
    assert problem.rule_id == "ECS003" and problem.start == 9
    assert problem.violation.params["more"] == 2


def test_comments_and_trailing_commas() -> None:
    text = '{\n  // note\n  "a": [1, 2,], /* b */\n  "b": 2,\n}'
    parsed = parse_json(text)
    assert parsed.data == {"a": [1, 2], "b": 2}
    assert [p.rule_id for p in parsed.problems] == ["ECS005", "ECS004", "ECS005", "ECS004"]


def test_unrepairable_error_is_explained_at_its_position() -> None:
    parsed = parse_json('{"family": "web"\n "cpu": "256"}')
    assert not parsed.ok
    [problem] = parsed.problems
    assert problem.rule_id == "ECS001"
    assert problem.violation.params["reason"] == "expected a comma or a closing bracket"
    assert problem.start == 18


def test_merge_conflict_and_template_expressions_are_named() -> None:
    assert parse_json("<<<<<<< HEAD\n{}\n").problems[0].violation.variant == "merge-conflict"
    assert parse_json('{"memory": ${MEMORY}}').problems[0].violation.variant == "template"


def test_duplicate_keys_point_at_the_later_key() -> None:
    text = '{"a": 1, "b": {"x": 1, "x": 2}}'
    parsed = parse_json(text)
    assert parsed.data == {"a": 1, "b": {"x": 2}}
    [problem] = parsed.problems
    assert (problem.rule_id, problem.violation.pointer, problem.start) == ("ECS011", "/b/x", 23)


def test_decode_bom_utf16_binary_empty_and_bad_utf8() -> None:
    assert _ids(decode(codecs.BOM_UTF8 + b"{}").problems) == [("ECS006", 0)]
    assert decode(codecs.BOM_UTF8 + b"{}").text == " {}"
    utf16 = decode('{"a": "é"}'.encode("utf-16"))
    assert utf16.text == '{"a": "é"}' and _ids(utf16.problems) == [("ECS007", 0)]
    no_bom = decode('{"family": "web"}'.encode("utf-16-le"))
    assert no_bom.text == '{"family": "web"}' and no_bom.problems[0].violation.params["bom"] == "without"
    assert _ids(decode(b'{"a": "\x00"}').problems) == [("ECS009", 0)]
    assert _ids(decode(b"  \n").problems) == [("ECS010", 0)]
    bad = decode(b'{"a": "caf\xe9"}')
    assert _ids(bad.problems) == [("ECS008", 10)] and bad.text == '{"a": "caf\ufffd"}'


JSON_TEXT = st.text(alphabet=st.sampled_from(list("{}[]:,\"' \n\tab1-/*“”‘’″：，｛｝\u3000")), max_size=60)


@settings(max_examples=400)
@given(JSON_TEXT)
def test_repair_keeps_length_and_never_raises(text: str) -> None:
    repaired, problems = repair(text)
    assert len(repaired) == len(text)
    for problem in problems:
        assert 0 <= problem.start <= len(text)
    parse_json(text)


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_decode_never_raises(raw: bytes) -> None:
    decoded = decode(raw)
    assert decoded.text is not None or decoded.problems


class _ScanCountingStr(str):
    """A text that adds up how many characters ``count`` is asked to scan."""

    scanned = 0

    def count(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        begin = 0 if start is None else start
        finish = len(self) if end is None else end
        _ScanCountingStr.scanned += max(0, finish - begin)
        return str.count(self, sub, start, end)


def test_the_summary_of_thousands_of_typographic_quotes_counts_lines_in_linear_steps() -> None:
    # the line of each quote was counted from the start of the text: quadratic in the quotes
    def work(count: int) -> int:
        _ScanCountingStr.scanned = 0
        repair(_ScanCountingStr('{"family": "web", ' + ", ".join(f"\u201ck{i}\u201d: 1" for i in range(count)) + "}"))
        return _ScanCountingStr.scanned

    grows_linearly(work, 500)
    _, problems = repair("{\n\u201ca\u201d: 1,\n\n\u201cb\u201d: 2,\n\u201cc\u201d: 3}")
    assert problems[0].violation.params["lines"] == "2, 4-5"
    assert problems[0].violation.params["count"] == 6
