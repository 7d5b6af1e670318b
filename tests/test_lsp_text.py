"""The editor-independent parts of the language server: positions, ignore edits, completion contexts."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ecslint.core.model import Replacement
from ecslint.lsp.completion import ITEM, json_context, yaml_context
from ecslint.lsp.text import Lines, Point, hcl_ignore_comment, json_ignore_tag, utf16_units, yaml_ignore_comment
from ecslint.readers.sources import parse


def _apply(text: str, replacement: Replacement | None) -> str:
    assert replacement is not None
    return text[: replacement.start] + replacement.text + text[replacement.end :]


def test_positions_in_utf16_units_and_back() -> None:
    lines = Lines('{\n  "family": "😀x"\n}')
    x = lines.offset(Point(1, 14))
    assert lines.line(1)[14] == "x"
    assert lines.to_client(lines.point(x), utf16_units) == (1, 15)  # the emoji is two UTF-16 units
    assert lines.from_client(1, 15, utf16_units) == Point(1, 14)
    assert lines.from_client(1, 14, utf16_units) == Point(1, 13)  # inside the emoji: rounds down
    assert lines.to_client(Point(1, 14), len) == (1, 14)


def test_yaml_ignore_comment_added_extended_or_refused() -> None:
    text = "family: web\ncontainerDefinitions:\n  - image: nginx:latest\n"
    assert _apply(text, yaml_ignore_comment(Lines(text), 2, "ECS210")).splitlines()[2] == (
        "  - image: nginx:latest  # ecslint: ignore[ECS210]"
    )
    again = "  - image: nginx:latest  # ecslint: ignore[ECS505]\n"
    assert _apply(again, yaml_ignore_comment(Lines(again), 0, "ECS210")) == (
        "  - image: nginx:latest  # ecslint: ignore[ECS505, ECS210]\n"
    )
    assert yaml_ignore_comment(Lines(again), 0, "ECS505") is None  # already there
    block = "command: |\n  echo latest\n  run\n"
    assert yaml_ignore_comment(Lines(block), 1, "ECS210") is None  # a comment would become script text


def test_hcl_ignore_comment_added_extended_or_refused_in_a_heredoc() -> None:
    text = 'locals {\n  image = "nginx:latest"\n}\n'
    assert _apply(text, hcl_ignore_comment(Lines(text), 1, "ECS210")).splitlines()[1] == (
        '  image = "nginx:latest"  # ecslint: ignore[ECS210]'
    )
    again = '  image = "nginx:latest" // ecslint: ignore[ECS505]\n'
    assert _apply(again, hcl_ignore_comment(Lines(again), 0, "ECS210")) == (
        '  image = "nginx:latest" // ecslint: ignore[ECS505, ECS210]\n'
    )
    heredoc = 'x = <<-EOF\n  [{"image": "nginx:latest"}]\n  EOF\ny = 1\n'
    assert hcl_ignore_comment(Lines(heredoc), 1, "ECS210") is None  # it would become JSON text
    assert hcl_ignore_comment(Lines(heredoc), 2, "ECS210") is None  # the closing word's line
    assert hcl_ignore_comment(Lines(heredoc), 3, "ECS210") is not None


def test_json_ignore_tag_in_every_shape_of_tags() -> None:
    def tagged(text: str, rule: str = "ECS210") -> object:
        parsed = parse("td.json", text.encode())
        assert parsed.locator is not None
        fixed = _apply(text, json_ignore_tag(text, parsed.data, parsed.locator.value_offsets, rule))
        return json.loads(fixed)["tags"]

    assert tagged('{\n  "family": "web"\n}') == [{"key": "ecslint:ignore", "value": "ECS210"}]
    assert tagged('{"family": "web", "tags": []}') == [{"key": "ecslint:ignore", "value": "ECS210"}]
    assert tagged('{"family": "web", "tags": [\n  {"key": "team", "value": "a"}\n]}') == [
        {"key": "team", "value": "a"},
        {"key": "ecslint:ignore", "value": "ECS210"},
    ]
    assert tagged('{"tags": [{"key": "ecslint:ignore", "value": "ECS505"}]}') == [
        {"key": "ecslint:ignore", "value": "ECS505 ECS210"}
    ]
    text = '{"tags": [{"key": "ecslint:ignore", "value": "ECS210"}]}'
    parsed = parse("td.json", text.encode())
    assert parsed.locator is not None
    assert json_ignore_tag(text, parsed.data, parsed.locator.value_offsets, "ECS210") is None


def test_json_context_tolerates_unfinished_text() -> None:
    text = '{"containerDefinitions": [{"name": "a", "portMappings": [{"protocol": "t'
    context = json_context(text, len(text))
    assert context is not None
    assert (context.path, context.kind, context.key, context.in_string) == (
        ("containerDefinitions", ITEM, "portMappings", ITEM),
        "value",
        "protocol",
        True,
    )
    assert json_context("[1, 2", 5) is not None and json_context("", 0) is None


def test_yaml_context_walks_up_through_items_and_members() -> None:
    lines = ["family: web", "containerDefinitions:", "- name: web", "  linuxParameters:", "    capabilities:", "      "]
    context = yaml_context(lines, 5, 6)
    assert context is not None
    assert context.path == ("containerDefinitions", ITEM, "linuxParameters", "capabilities")
    assert yaml_context(["image: ${IMAGE}", "  weird"], 1, 7) is None  # not a block it can read: no guess


@given(st.text(alphabet=st.sampled_from('{}[]:,"\\ \nab-#|>😀'), max_size=60), st.integers(0, 70))
def test_contexts_never_fail_on_any_text(text: str, offset: int) -> None:
    from ecslint.lsp.completion import items
    from ecslint.schema.validation import load_schema

    for context in (json_context(text, offset), yaml_context(text.split("\n"), 0, min(offset, len(text)))):
        if context is not None:
            items(load_schema(), context, json_syntax=True)


@given(st.text(alphabet=st.sampled_from("ab\n\r😀é"), max_size=40), st.data())
def test_client_positions_round_trip(text: str, data: st.DataObject) -> None:
    lines = Lines(text)
    offset = data.draw(st.integers(0, len(text)))
    point = lines.point(offset)
    assert lines.offset(point) == offset or text[offset - 1 : offset] == "\n"
    line, character = lines.to_client(point, utf16_units)
    assert lines.from_client(line, character, utf16_units) == point
