from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.core.pointer import resolve
from ecslint.readers.jsonscan import JsonIndex, NodeOffsets, scan

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=25,
)


def test_offsets_of_keys_and_values() -> None:
    text = '{"a": 1, "b": [true, {"c": "x\\"y"}], "e/f": {}}'
    nodes = scan(text).nodes
    assert text[nodes["/a"].value_start : nodes["/a"].value_end] == "1"
    assert text[nodes["/a"].key_start : nodes["/a"].key_end] == '"a"'
    assert text[nodes["/b/1/c"].value_start : nodes["/b/1/c"].value_end] == '"x\\"y"'
    assert text[nodes["/e~1f"].value_start : nodes["/e~1f"].value_end] == "{}"
    assert text[nodes[""].value_start : nodes[""].value_end] == text


def test_duplicate_keys_name_the_later_occurrence() -> None:
    text = '{"a": 1, "b": {"x": 1, "x": 2}, "a": 3}'
    duplicates = scan(text).duplicates
    assert [(pointer, text[start:end]) for pointer, start, end, _ in duplicates] == [("/b/x", '"x"'), ("/a", '"a"')]
    assert duplicates[1][1] == text.rindex('"a"')


def test_deep_nesting_does_not_recurse() -> None:
    depth = 5_000  # json.loads refuses far less deep documents before a scan could run
    text = "[" * depth + "]" * depth
    nodes = scan(text).nodes
    assert len(nodes) == depth


@settings(max_examples=300)
@given(JSON_VALUES, st.sampled_from([None, 2]), st.booleans())
def test_every_pointer_spans_text_that_parses_back(value: object, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    nodes = scan(text).nodes
    for pointer, node in nodes.items():
        assert json.loads(text[node.value_start : node.value_end]) == resolve(value, pointer)  # type: ignore[arg-type]
        if node.key_start >= 0:
            assert json.loads(text[node.key_start : node.key_end]) == pointer.rsplit("/", 1)[1].replace(
                "~1", "/"
            ).replace("~0", "~")


def _offsets(node: NodeOffsets | None) -> tuple[int, int, int, int] | None:
    return (node.value_start, node.value_end, node.key_start, node.key_end) if node is not None else None


@settings(max_examples=500)
@given(JSON_VALUES, st.sampled_from([None, 0, 2, 4]), st.booleans(), st.sampled_from(["", " ", "\n\t "]))
def test_the_lazy_index_finds_what_the_scan_finds(
    value: object, indent: int | None, ascii_only: bool, pad: str
) -> None:
    text = pad + json.dumps(value, indent=indent, ensure_ascii=ascii) + pad
    nodes = scan(text).nodes
    index = JsonIndex(text)
    for pointer in sorted(nodes, key=len, reverse=True):  # deepest first: nothing expanded yet
        assert _offsets(index.node(pointer)) == _offsets(nodes[pointer])
    for missing in ("/nope", "/0/9/x", "/~1"):
        if missing not in nodes:
            assert index.node(missing) is None


def test_the_lazy_index_reads_only_the_way_to_the_pointer() -> None:
    text = json.dumps({"a": {"deep": [1, 2, {"x": 1}]}, "b": {"c": 1}}, indent=2)
    index = JsonIndex(text)
    assert _offsets(index.node("/b/c")) == _offsets(scan(text).nodes["/b/c"])
    assert set(index.nodes) == {"", "/a", "/b", "/b/c"}  # /a was skipped over, not read
