"""Property tests: whatever a file holds, ecslint answers with exit 0, 1 or 2 and no traceback."""

from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from ecslint.cli.main import main
from tests.conftest import SARIF_SCHEMA

pytestmark = pytest.mark.slow

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=30,
)
TASK_KEYS = st.sampled_from(
    [
        "family",
        "containerDefinitions",
        "cpu",
        "memory",
        "networkMode",
        "requiresCompatibilities",
        "executionRoleArn",
        "taskRoleArn",
        "volumes",
        "runtimePlatform",
        "name",
        "image",
        "essential",
        "secrets",
        "logConfiguration",
        "options",
        "logDriver",
        "valueFrom",
        "portMappings",
        "dependsOn",
        "Family",
    ]
)
TASK_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.sampled_from(["FARGATE", "awslogs", "256"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TASK_KEYS, children, max_size=6),
    max_leaves=40,
)


@lru_cache(maxsize=1)
def sarif_validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SARIF_SCHEMA.read_text()))


def run_in_process(raw: bytes, name: str, output_format: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(raw)
        out = Path(directory) / "report"
        code = main(["check", "--format", output_format, "--output", str(out), str(path)])
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err, err
        assert code in (0, 1, 2)
        return code, out.read_text(encoding="utf-8") if out.exists() else ""


def _well_formed(report: str, output_format: str) -> None:
    if output_format == "json":
        json.loads(report)
    elif output_format == "sarif":
        errors = list(sarif_validator().iter_errors(json.loads(report)))
        assert not errors, errors[0].message


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["td.json", "td.yaml", "td"]), st.sampled_from(["json", "sarif"]))
def test_any_bytes(capsys: pytest.CaptureFixture[str], raw: bytes, name: str, output_format: str) -> None:
    code, report = run_in_process(raw, name, output_format, capsys)
    assert code in (0, 1)
    _well_formed(report, output_format)


@SETTINGS
@given(JSON_VALUES, st.sampled_from(["json", "sarif", "text", "github"]))
def test_any_json_value(capsys: pytest.CaptureFixture[str], value: object, output_format: str) -> None:
    code, report = run_in_process(json.dumps(value).encode(), "td.json", output_format, capsys)
    assert code in (0, 1)
    _well_formed(report, output_format)


@SETTINGS
@given(st.dictionaries(TASK_KEYS, TASK_LIKE, min_size=1, max_size=8), st.sampled_from(["td.json", "td.yaml"]))
def test_any_task_shaped_document(capsys: pytest.CaptureFixture[str], value: dict[str, object], name: str) -> None:
    value.setdefault("family", "x")
    code, report = run_in_process(json.dumps(value, indent=1).encode(), name, "sarif", capsys)
    assert code in (0, 1)
    _well_formed(report, "sarif")
