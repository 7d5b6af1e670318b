"""Every real-world file of the corpus (ECSLINT_CORPUS): no traceback, exit 0 or 1, in every format."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from tests.conftest import SARIF_SCHEMA, corpus_files, needs_corpus

ECSLINT = Path(sys.executable).parent / "ecslint"
FILES = corpus_files()
pytestmark = [needs_corpus, pytest.mark.slow]


@lru_cache(maxsize=1)
def sarif_validator() -> Draft7Validator:
    schema = json.loads(SARIF_SCHEMA.read_text())
    return Draft7Validator(schema)


def test_corpus_is_there() -> None:
    assert len(FILES) > 150


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_whole_corpus_in_one_run(output_format: str, tmp_path: Path) -> None:
    """All files named at once, as a user would: no traceback, exit 0 or 1, output well formed."""
    out = tmp_path / "report"
    result = subprocess.run(
        [str(ECSLINT), "check", "--format", output_format, "--output", str(out), *map(str, FILES)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    report = out.read_text(encoding="utf-8")
    if output_format == "json":
        parsed = json.loads(report)
        assert parsed["summary"]["files"] >= 99
    elif output_format == "sarif":
        errors = sorted(sarif_validator().iter_errors(json.loads(report)), key=str)
        assert not errors, errors[0].message


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_file_alone(path: Path) -> None:
    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    result = Engine(builtin()).check_bytes(str(path), path.read_bytes(), explicit=True)
    assert not result.internal_errors, result.internal_errors
    for finding in result.findings:
        assert finding.span is not None, finding
        assert finding.span.start.line >= 1 and finding.span.start.column >= 1
