"""The catalogue is the test suite's first input: every example runs through the engine."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from ecslint import checks
from ecslint.catalogue.entries import CONSEQUENCES, Example, Rule, builtin
from ecslint.core.model import Severity
from ecslint.engine.examples import check_example
from ecslint.engine.pipeline import Engine

CATALOGUE = builtin()
ENGINE = Engine(CATALOGUE)
EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.id}-{example.kind}-{number}")
    for rule in CATALOGUE.rules
    for number, example in enumerate(rule.examples, 1)
]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example(rule: Rule, example: Example) -> None:
    result = check_example(ENGINE, example)
    assert not result.internal_errors, result.internal_errors
    own = [finding for finding in result.findings if finding.rule_id == rule.id]
    if example.kind == "good":
        assert own == [], f"{rule.id} fired on its good example: {[f.message for f in own]}"
        return
    assert sorted(f.pointer for f in own) == sorted(example.expect), [(f.pointer, f.message) for f in own]
    for pointer, position in zip(example.expect, example.positions, strict=True):
        if position is None:
            continue
        spans = [(f.span.start.line, f.span.start.column) for f in own if f.pointer == pointer and f.span]
        assert position in spans, f"{rule.id} at {pointer}: expected line/column {position}, got {spans}"
    templates = [*rule.messages.values(), *rule.hints.values()]
    names = {name for template in templates for _, name, _, _ in Formatter().parse(template) if name}
    # a consumer (docs/consumers.md) may change a finding's severity, as its catalogue entry says
    # and so may a message variant (``severities``)
    severities = {
        rule.severity,
        *rule.severities.values(),
        *(s for c in rule.consumers.values() for s in c.severities.values()),
    }
    for finding in own:
        assert finding.severity in severities
        unfilled = [name for name in names if "{" + name + "}" in finding.message + (finding.hint or "")]
        assert not unfilled, f"{finding.message}: placeholders left unfilled: {unfilled}"


def test_catalogue_is_not_empty() -> None:
    assert len(CATALOGUE) >= 30


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=lambda rule: rule.id)
def test_entry_integrity(rule: Rule) -> None:
    path = Path(rule.source)
    assert path.name == f"{rule.id}-{rule.name}.yaml"
    assert rule.consequence in CONSEQUENCES
    if rule.consequence in ("rejected", "deploy-rejected", "fails-at-launch") or (
        rule.consequence == "fails-in-account" and rule.id not in ("ECS800", "ECS807")  # info; unverified warning
    ):
        assert rule.severity is Severity.ERROR, "rejected, deploy-rejected and fails-at-launch rules are errors"
    assert any(url.startswith("https://docs.aws.amazon.com/") for url in rule.references), "cite the AWS docs"
    assert all(url.startswith("https://") for url in rule.references)
    kinds = {example.kind for example in rule.examples}
    assert kinds == {"bad", "good"}, "every rule needs at least one bad and one good example"
    assert rule.summary.startswith("Checks "), "summaries start with 'Checks that/for'"
    assert not rule.messages["default"].endswith("."), "messages have no trailing period"
    if rule.check is not None:
        registered = checks.get(rule.check) or checks.get_usage(rule.check) or checks.get_account(rule.check)
        assert registered is not None, f"check {rule.check} is not registered"


def test_every_registered_check_is_used() -> None:
    used = {rule.check for rule in CATALOGUE.rules if rule.check}
    assert set(checks.registered()) <= used
    assert set(checks.registered_usages()) <= used
    assert set(checks.registered_accounts()) <= used


def test_ids_sit_in_their_area() -> None:
    areas = {
        "syntax": "ECS0",
        "schema": "ECS0",
        "fargate": "ECS1",
        "compute": "ECS1",
        "network": "ECS1",
        "containers": "ECS2",
        "references": "ECS2",
        "secrets": "ECS3",
        "iam": "ECS3",
        "logging": "ECS4",
        "health": "ECS5",
        "security": "ECS6",
        "services": "ECS7",
        "account": "ECS8",
        "policies": "ECS9",
    }
    for rule in CATALOGUE.rules:
        area = Path(rule.source).parent.name
        assert rule.id.startswith(areas.get(area, "ECS")), f"{rule.id} lives in rules/{area}/"


def test_names_are_kebab_case_slugs() -> None:
    for rule in CATALOGUE.rules:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)


# Issue 12: severity follows evidence. No refusal of these was found, at registration or at launch
# (docs/facts.md 25.13-25.15), so they are warnings, and each entry says what is not verified.
@pytest.mark.parametrize("rule_id", ["ECS121", "ECS126", "ECS131", "ECS144", "ECS145", "ECS215", "ECS219", "ECS220"])
def test_rules_without_evidence_of_a_refusal_are_warnings(rule_id: str) -> None:
    entry = CATALOGUE[rule_id]
    assert (entry.severity, entry.consequence) == (Severity.WARNING, "reliability")
    assert re.search(r"docs/facts\.md 25\.\d+", entry.rationale), "the rationale cites the evidence looked for"
    assert entry.known_problems and "not verified" in entry.known_problems


def test_a_memory_limit_below_the_reservation_fails_at_launch() -> None:
    """Docker refuses to create the container (docs/facts.md 25.9); no refusal at registration was seen."""
    entry = CATALOGUE["ECS105"]
    assert (entry.severity, entry.consequence) == (Severity.ERROR, "fails-at-launch")
    assert "docs/facts.md 25.9" in entry.rationale and "refused at registration" not in entry.rationale
