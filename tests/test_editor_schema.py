"""schemas/task-definition.schema.json as editors use it (without ecslint): descriptions, examples,
the SchemaStore catalog entry, and agreement with ecslint on the real-world corpus."""

from __future__ import annotations

import fnmatch
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import ecslint
from tests.conftest import CORPUS, needs_corpus

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schemas" / "task-definition.schema.json"
CATALOG = ROOT / "schemas" / "schemastore-catalog.json"


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text("utf-8"))
    return loaded


@cache
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def test_every_member_and_structure_has_a_short_plain_description() -> None:
    missing, bad = [], []
    for name, definition in schema()["$defs"].items():
        if name.startswith("x-"):
            continue
        entries = [(name, definition)] if definition.get("type") == "object" and "properties" in definition else []
        entries += [(f"{name}.{member}", spec) for member, spec in definition.get("properties", {}).items()]
        for where, entry in entries:
            text = entry.get("description")
            if not text:
                missing.append(where)
            elif "<" in text or "\n" in text or "  " in text or len(text) > 300 or not text[0].isupper():
                bad.append(f"{where}: {text!r}")
    assert not missing and not bad, (missing, bad)
    assert schema()["$defs"]["RegisterTaskDefinitionRequest"]["properties"]["family"]["description"].startswith(
        "You must specify a family for a task definition."
    )


def test_enums_and_the_model_s_example() -> None:
    defs = schema()["$defs"]
    assert defs["NetworkMode"]["enum"] == ["bridge", "host", "awsvpc", "none"]
    examples = schema()["examples"]
    assert examples and all(not list(validator().iter_errors(example)) for example in examples)
    assert ecslint.check(examples[0]) is not None  # ecslint reads it too (its findings are advice)


def test_ecslint_ignores_the_editor_keywords() -> None:
    from ecslint.schema.compiled import compile_schema

    assert compile_schema(schema()) is not None  # description and examples do not make it refuse


def _corpus_documents() -> list[tuple[Path, Any]]:
    found = []
    for path in sorted((CORPUS / "json").glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue
        if isinstance(data, dict) and "taskDefinition" not in data and "Resources" not in data:
            found.append((path, data))
    return found


@needs_corpus
@pytest.mark.slow
def test_the_schema_agrees_with_ecslint_on_the_real_corpus() -> None:
    """A register-format file ecslint finds no syntax or schema problem in validates, and one it
    finds a schema problem in does not: an editor shows what ecslint's schema layer says."""
    documents = _corpus_documents()
    valid = disagree = 0
    for path, data in documents:
        # An empty image is reported as a missing one (ECS023: the service refuses it), which the API
        # model's schema, and so the editor's, cannot say: only its absence is a schema error.
        schema_findings = [
            f.rule
            for f in ecslint.check_paths([path])
            if f.rule.startswith("ECS0") and not (f.rule == "ECS023" and "is empty" in f.message)
        ]
        errors = list(validator().iter_errors(data))
        if not schema_findings:
            valid += 1
        if bool(errors) != bool(schema_findings):
            disagree += 1
            print(path.name, schema_findings, [error.message[:80] for error in errors[:2]])
    assert len(documents) >= 50 and valid >= 30
    assert disagree == 0


def test_the_bundled_good_examples_validate() -> None:
    for name in ("fargate-web.json",):
        data = json.loads((ROOT / "examples" / name).read_text("utf-8"))
        assert list(validator().iter_errors(data)) == [], name


def test_the_schemastore_catalog_entry() -> None:
    entry = json.loads(CATALOG.read_text("utf-8"))
    assert set(entry) == {"name", "description", "fileMatch", "url"}
    assert entry["url"].endswith("/schemas/task-definition.schema.json")
    assert not entry["description"].endswith(".")  # SchemaStore's catalog style

    def matched(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in entry["fileMatch"])

    for name in ("task-definition.json", "taskdef.json", "web.taskdef.json", "task-definition-prod.json",
                 "api-task-definition.json", "task-definition.staging.json"):  # fmt: skip
        assert matched(name), name
    for name in ("package.json", "container-definitions.json", "task-definition.yaml", "template.json"):
        assert not matched(name), name  # YAML: CloudFormation templates share these names


@pytest.mark.parametrize("pattern", json.loads(CATALOG.read_text("utf-8"))["fileMatch"])
def test_file_match_patterns_are_simple_globs(pattern: str) -> None:
    assert "/" not in pattern and pattern.endswith(".json")


def test_documentation_html_becomes_short_plain_text() -> None:
    from tests.test_schema import load_generator

    plain_text = load_generator().plain_text
    assert plain_text("<p>The <code>family</code> name. More text.</p>") == "The family name. More text."
    long_first = "<p>" + "A long first sentence about the value " * 3 + "here. Second sentence.</p>"
    assert plain_text(long_first).endswith("here.")
    assert plain_text("<p>Use e.g. <b>x</b> &amp; y.</p>") == "Use e.g. x & y."
    assert len(plain_text("<p>" + "word " * 200 + "</p>")) <= 300
