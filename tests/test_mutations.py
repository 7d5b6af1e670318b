"""Mutations of the real corpus: truncated files and damaged members never crash the engine."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.core.model import JSON
from ecslint.engine.pipeline import Engine
from tests.conftest import corpus_files, needs_corpus

ENGINE = Engine(builtin())
FILES = corpus_files()
pytestmark = [needs_corpus, pytest.mark.slow]


def _check(name: str, raw: bytes) -> None:
    result = ENGINE.check_bytes(name, raw, explicit=True)
    assert not result.internal_errors, result.internal_errors[0].traceback
    for finding in result.findings:
        assert finding.message and "{" + "}" not in finding.message


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_truncated_at_every_64th_byte(path: Path) -> None:
    raw = path.read_bytes()
    for end in range(0, len(raw), 64):
        _check(path.name, raw[:end])


def _retyped(value: JSON) -> list[JSON]:
    huge_digits = "1" + "0" * 5000  # more digits than int() reads
    return [
        *(None, True, 0, -1, 2**63, 1.5, "", "x" * 300, [], {}, [value], {"value": value}),
        *(huge_digits, huge_digits + " vCPU", "0" * 5000, f"{huge_digits}-{huge_digits}", 10**4299),
        _wrapped(value, 99),  # as deep as the readers accept, with the document around it
    ]


def _wrapped(value: JSON, depth: int) -> JSON:
    for _ in range(depth):
        value = [value]
    return value


def _mutations(document: dict[str, JSON], rng: random.Random) -> list[dict[str, JSON]]:
    """Deleted, duplicated, retyped and re-nested members, at the top and in containers."""
    mutated: list[dict[str, JSON]] = []
    targets: list[tuple[dict[str, JSON], str]] = [(document, key) for key in document]
    containers = document.get("containerDefinitions")
    if isinstance(containers, list):
        for container in containers:
            if isinstance(container, dict):
                targets.extend((container, key) for key in container)
    for parent, key in rng.sample(targets, min(len(targets), 12)):
        original = parent[key]
        for replacement in [*rng.sample(_retyped(original), 4), "DELETE"]:
            if replacement == "DELETE":
                del parent[key]
            else:
                parent[key] = replacement
            mutated.append(json.loads(json.dumps(document)))
            parent[key] = original
    if isinstance(containers, list) and containers:
        document["containerDefinitions"] = containers + containers  # duplicated containers
        mutated.append(json.loads(json.dumps(document)))
        document["containerDefinitions"] = containers
    return mutated


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix == ".json"], ids=lambda p: p.name)
def test_damaged_members(path: Path) -> None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError):
        pytest.skip("not JSON: covered by the truncation test")
    documents = [data.get("taskDefinition") if isinstance(data, dict) and "taskDefinition" in data else data]
    if isinstance(data, list):
        documents = [{"containerDefinitions": data}]
    rng = random.Random(path.name)
    for document in documents:
        if not isinstance(document, dict):
            continue
        for mutated in _mutations(document, rng):
            _check("td.json", json.dumps(mutated, indent=1).encode())
            _check("td.yaml", json.dumps(mutated).encode())


_INTEGER = re.compile(r"(?<=[:\[,]) ?-?[0-9]+(?=[,}\]\s])")


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix == ".json"], ids=lambda p: p.name)
def test_a_number_too_long_or_nesting_too_deep_anywhere(path: Path) -> None:
    """Every integer literal of a real file in turn grown past 4,300 digits, and every value
    nested past 100 levels: a syntax finding at its position, never a crash."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        json.loads(text)
    except ValueError:
        pytest.skip("not JSON: nothing behind its first error is read")
    literals = [m for m in _INTEGER.finditer(text) if text.count('"', 0, m.start()) % 2 == 0]  # not in a string
    for match in literals[:20]:
        grown = text[: match.start()] + " 1" + "0" * 4300 + text[match.end() :]
        result = ENGINE.check_bytes("td.json", grown.encode(), explicit=True)
        assert not result.internal_errors, result.internal_errors[0].traceback
        assert any(f.rule_id == "ECS001" and "4,301 digits" in f.message for f in result.findings)
        deep = text[: match.start()] + "[" * 101 + match.group() + "]" * 101 + text[match.end() :]
        result = ENGINE.check_bytes("td.json", deep.encode(), explicit=True)
        assert not result.internal_errors, result.internal_errors[0].traceback
        assert any(f.rule_id == "ECS001" and "more than 100 deep" in f.message for f in result.findings)
