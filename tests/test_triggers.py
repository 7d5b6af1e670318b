"""Checks skipped for want of their trigger members would have found nothing.

The engine runs a check that declares ``task=``/``container=`` members only when one of
them is there.  Here every document we have -- the corpus in every format, damaged copies
of it, the catalogue's examples and generated definitions with planted defects -- is
checked with and without that, and the findings must be the same.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import builtin
from ecslint.checks import registered
from ecslint.checks.registry import _TRIGGERS
from ecslint.engine.pipeline import Engine
from ecslint.schema.validation import load_schema
from tests.conftest import corpus_files, needs_corpus
from tests.strategies import Doc, task_definitions
from tests.test_mutations import _mutations
from tests.test_valid_definitions import MUTATIONS, Mutation

Found = list[tuple[str, str, str, object]]


@cache
def _engines() -> tuple[Engine, Engine]:
    catalogue = builtin()
    with_triggers = Engine(catalogue, lambda rule: rule.status not in ("removed", "deprecated"))
    without = Engine(catalogue, lambda rule: rule.status not in ("removed", "deprecated"))
    without.use_triggers = False
    return with_triggers, without


def _findings(engine: Engine, name: str, raw: bytes, fragment: bool = False) -> Found:
    result = engine.check_bytes(name, raw, fragment=fragment)
    assert not result.internal_errors, result.internal_errors
    return [(f.rule_id, f.pointer, f.message, f.span) for f in result.findings]


def _same(name: str, raw: bytes, fragment: bool = False) -> int:
    fast, full = _engines()
    skipped, everything = _findings(fast, name, raw, fragment), _findings(full, name, raw, fragment)
    assert skipped == everything, f"{name}: {set(everything) ^ set(skipped)}"
    return len(everything)


def _corpus_files() -> Iterator[Path]:
    yield from corpus_files(suffixes=(".json", ".yaml", ".yml", ".tf", ".template"))


@needs_corpus
@pytest.mark.slow
def test_the_corpus_in_every_format() -> None:
    files = findings = 0
    for path in _corpus_files():
        findings += _same(path.name, path.read_bytes())
        files += 1
    # (about 780 findings since one finding stands for each mistake: ECS025, ECS304, ECS305 merged)
    assert files > 150 and findings > 700


@needs_corpus
@pytest.mark.slow
def test_damaged_copies_of_the_corpus() -> None:
    rng = random.Random(11)
    checked = 0
    for path in corpus_files("json", suffixes=(".json",)):
        try:
            data = json.loads(path.read_bytes())
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        for mutated in _mutations(data, rng):
            _same(path.name, json.dumps(mutated).encode())
            checked += 1
    assert checked > 1000


def test_the_catalogue_examples() -> None:
    checked = 0
    for rule in builtin().rules:
        for example in rule.examples:
            name, raw, fragment = example.file_input()
            _same(name, raw, fragment)
            checked += 1
    assert checked > 250


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_definitions(), st.sampled_from(MUTATIONS), st.randoms(use_true_random=False))
def test_generated_definitions_with_a_planted_defect(td: Doc, mutation: Mutation, rng: random.Random) -> None:
    mutated = copy.deepcopy(td)
    with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
        mutation.apply(mutated)  # one meant for another shape of definition may fail half-way
    _same("td.json", json.dumps(mutated).encode())
    for damaged in _mutations(mutated, rng)[:5]:
        _same("td.json", json.dumps(damaged).encode())


def test_trigger_members_are_members_of_the_api() -> None:
    definitions = load_schema()["$defs"]
    task_members = set(definitions["RegisterTaskDefinitionRequest"]["properties"])
    container_members = set(definitions["ContainerDefinition"]["properties"])
    checks = registered()
    assert set(_TRIGGERS) <= set(checks)
    for name, trigger in _TRIGGERS.items():
        assert trigger.task <= task_members, (name, trigger.task - task_members)
        assert trigger.container <= container_members, (name, trigger.container - container_members)


def test_most_checks_declare_a_trigger() -> None:
    """Not a rule of nature, but a guard: a clean definition should not run every check."""
    checks = registered()  # loads the built-in checks, which fills _TRIGGERS
    assert len(_TRIGGERS) >= len(checks) // 2


@pytest.mark.parametrize("members", [{}, {"containerDefinitions": []}])
def test_an_empty_definition_runs_only_untriggered_checks(members: dict[str, object]) -> None:
    _same("td.json", json.dumps({"family": "web", **members}).encode())
