"""The fast JSON writer gives exactly the text of ``json.dumps(value, indent=2, ensure_ascii=False)``."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.reporters.jsontext import dumps, escape_surrogates

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # lone surrogates included
)
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.tuples(children, children) | st.dictionaries(_KEYS, children, max_size=4)
    ),
    max_leaves=30,
)


def _reference(value: object) -> str:
    return escape_surrogates(json.dumps(value, indent=2, ensure_ascii=False))


@settings(max_examples=500)
@given(VALUES)
def test_same_text_as_json_dumps(value: object) -> None:
    assert dumps(value) == _reference(value)


@given(VALUES, st.sampled_from(["", "  ", "    ", "        "]))
def test_indent_prefixes_every_line_after_the_first(value: object, indent: str) -> None:
    lines = _reference(value).split("\n")
    assert dumps(value, indent) == "\n".join([lines[0], *(indent + line for line in lines[1:])])


def test_special_values() -> None:
    assert dumps({"a": [math.nan, math.inf, -math.inf, 1e300, -0.0]}) == _reference(
        {"a": [math.nan, math.inf, -math.inf, 1e300, -0.0]}
    )
    assert dumps("\ud800x\udfff") == '"\\ud800x\\udfff"'
    assert dumps({}) == "{}" and dumps([]) == "[]" and dumps({"a": {}}) == '{\n  "a": {}\n}'


def test_what_json_cannot_write_is_refused_alike() -> None:
    with pytest.raises(TypeError):
        dumps({"a": object()})
    with pytest.raises(TypeError):
        dumps({(1, 2): 1})
