"""The fast schema check must agree with jsonschema on every document."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import builtin
from ecslint.core.taskdef import READ_ONLY_FIELDS
from ecslint.schema.compiled import SchemaError, UnsupportedSchema, compile_schema
from ecslint.schema.validation import _converted, _validator, load_schema
from tests.conftest import corpus_files, needs_corpus
from tests.test_mutations import _mutations

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


@pytest.mark.slow
@settings(max_examples=800, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_fast_check_agrees_with_jsonschema(document: dict[str, object]) -> None:
    assert FAST.ok(document) == SLOW.is_valid(document)


def _slow_errors(document: object) -> list[SchemaError]:
    return [converted for error in SLOW.iter_errors(document) for converted in _converted(error)]


def _key(error: SchemaError) -> str:
    return repr((error.keyword, error.path, error.instance, error.expected, sorted(error.schema)))


@pytest.mark.slow
@settings(max_examples=800, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_errors_are_jsonschemas(document: dict[str, object]) -> None:
    fast, slow = list(FAST.errors(document)), _slow_errors(document)
    assert sorted(map(_key, fast)) == sorted(map(_key, slow))
    for error in fast:  # the very subschema jsonschema names, not an equal copy
        assert any(error.schema is other.schema for other in slow)


def corpus_documents() -> Iterator[object]:
    """Every JSON task definition of the corpus and the catalogue's examples, and damaged copies."""
    rng = random.Random(7)
    for path in corpus_files(suffixes=(".json",)):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
            data = data["taskDefinition"]
        if isinstance(data, dict) and "containerDefinitions" in data:
            yield data
            yield from _mutations(data, rng)
    for rule in builtin().rules:
        for example in rule.examples:
            yield example.document


@needs_corpus
@pytest.mark.slow
def test_errors_on_every_corpus_document_are_jsonschemas() -> None:
    checked, keywords = 0, set()
    for document in corpus_documents():
        fast, slow = list(FAST.errors(document)), _slow_errors(document)
        keywords.update(error.keyword for error in fast)
        assert sorted(map(_key, fast)) == sorted(map(_key, slow))
        assert [e.path for e in fast] == [e.path for e in slow] or any(
            e.keyword == "additionalProperties" for e in slow
        )
        checked += 1
    assert checked > 1000
    assert {"type", "additionalProperties", "enum", "required", "minimum", "minLength"} <= keywords


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
    assert FAST.ok(document) is valid
    assert SLOW.is_valid(document) is valid


def test_unsupported_keywords_are_refused() -> None:
    with pytest.raises(UnsupportedSchema):
        compile_schema({"oneOf": [{"type": "string"}]})
    with pytest.raises(UnsupportedSchema):
        compile_schema({"$ref": "https://example.com/schema.json"})


def test_checking_documents_never_imports_jsonschema() -> None:
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "from ecslint.schema.validation import validate\n"
        "doc = {'family': 'web', 'containerDefinitions': [{'name': 'a', 'image': 'b:1'}]}\n"
        "assert list(validate(doc)) == []\n"
        "bad = {'family': 7, 'containerDefinitions': [{'name': 'a', 'image': 'b:1', 'cpu': '1'}], 'x': 1}\n"
        "assert len(list(validate(bad))) == 3\n"
        "print('jsonschema' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(READ_ONLY_FIELDS)), unique=True),
    st.sampled_from(["register", "describe", "cloudformation"]),
    st.booleans(),
)
def test_fast_path_reports_describe_fields_as_the_slow_path_does(fields: list[str], origin: str, valid: bool) -> None:
    from ecslint.schema.validation import _candidates, _one_per_location, one_read_only_finding, validate

    document: dict[str, object] = {"family": "web", "containerDefinitions": [{"name": "a", "image": "a:1"}]}
    if not valid:
        document["cpu"] = 256  # a real schema problem: the slow path runs
    document.update({field: "x" for field in fields})
    fast = [(rule_id, v.pointer, v.variant, v.at) for rule_id, v in validate(document, origin)]  # type: ignore[arg-type]
    candidates = _one_per_location(_candidates(document, origin))  # type: ignore[arg-type]
    slow = [  # the slow path's findings, with the read-only fields made one finding as validate does
        (rule_id, v.pointer, v.variant, v.at)
        for rule_id, v in one_read_only_finding([(c.rule_id, c.violation) for c in candidates])
    ]
    assert sorted(fast) == sorted(slow)
