"""The fast schema check must agree with jsonschema on every document."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.fastschema import UnsupportedSchema, compile_schema
from ecslint.schema import _validator, load_schema
from ecslint.taskdef import READ_ONLY_FIELDS

FAST = compile_schema(load_schema())
SLOW = _validator()

KEYS = st.sampled_from(
    [
        "family",
        "containerDefinitions",
        "cpu",
        "memory",
        "networkMode",
        "requiresCompatibilities",
        "name",
        "image",
        "essential",
        "portMappings",
        "containerPort",
        "hostPort",
        "protocol",
        "tags",
        "key",
        "value",
        "ephemeralStorage",
        "sizeInGiB",
        "logConfiguration",
        "logDriver",
        "options",
        "volumes",
        "efsVolumeConfiguration",
        "fileSystemId",
        "unknownKey",
        "healthCheck",
        "command",
        "interval",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=300)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "256", "FARGATE", "awsvpc", "tcp", "awslogs", "EC2"])
)
VALUES = st.recursive(SCALARS, lambda c: st.lists(c, max_size=4) | st.dictionaries(KEYS, c, max_size=5), max_leaves=30)


@settings(max_examples=800, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_fast_check_agrees_with_jsonschema(document: dict[str, object]) -> None:
    assert FAST(document) == SLOW.is_valid(document)


@pytest.mark.parametrize(
    ("document", "valid"),
    [
        ({"family": "web", "containerDefinitions": []}, True),
        ({"family": "web", "containerDefinitions": [{"name": "a", "image": "b", "memory": 512}]}, True),
        ({"family": "web", "containerDefinitions": [{"name": "a", "image": "b", "memory": True}]}, False),
        ({"family": "web", "containerDefinitions": [{"name": "a", "image": "b", "memory": 512.0}]}, False),
        ({"family": "web", "containerDefinitions": [], "cpu": 256}, False),
        ({"family": "web", "containerDefinitions": [], "networkMode": "awsvpc "}, False),
        ({"family": "web", "containerDefinitions": [], "Family": "x"}, False),
        ({"containerDefinitions": []}, False),
        ({"family": "web", "containerDefinitions": [], "ephemeralStorage": {"sizeInGiB": 20}}, False),
    ],
)
def test_known_cases(document: dict[str, object], valid: bool) -> None:
    assert FAST(document) is valid
    assert SLOW.is_valid(document) is valid


def test_unsupported_keywords_are_refused() -> None:
    with pytest.raises(UnsupportedSchema):
        compile_schema({"oneOf": [{"type": "string"}]})
    with pytest.raises(UnsupportedSchema):
        compile_schema({"$ref": "https://example.com/schema.json"})


def test_a_valid_document_does_not_import_jsonschema() -> None:
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "from ecslint.schema import validate\n"
        "doc = {'family': 'web', 'containerDefinitions': [{'name': 'a', 'image': 'b:1'}]}\n"
        "assert list(validate(doc)) == []\n"
        "print('jsonschema' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(READ_ONLY_FIELDS)), unique=True),
    st.sampled_from(["register", "describe", "cloudformation"]),
    st.booleans(),
)
def test_fast_path_reports_describe_fields_as_the_slow_path_does(fields: list[str], origin: str, valid: bool) -> None:
    from ecslint.schema import _candidates, _one_per_location, validate

    document: dict[str, object] = {"family": "web", "containerDefinitions": [{"name": "a", "image": "a:1"}]}
    if not valid:
        document["cpu"] = 256  # a real schema problem: the slow path runs
    document.update({field: "x" for field in fields})
    fast = [(rule_id, v.pointer, v.variant, v.at) for rule_id, v in validate(document, origin)]  # type: ignore[arg-type]
    slow = [
        (c.rule_id, c.violation.pointer, c.violation.variant, c.violation.at)
        for c in _one_per_location(_candidates(document, origin))  # type: ignore[arg-type]
    ]
    assert sorted(fast) == sorted(slow)
