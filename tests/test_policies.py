"""The example organisation policies and ``ecslint rules test``: custom rules without code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecslint.catalogue.entries import Catalogue, builtin
from ecslint.catalogue.rulesets import load_custom
from ecslint.cli.policytest import check_example
from ecslint.cli.policytest import run as run_policy_tests
from ecslint.engine.pipeline import Engine
from tests.test_cli import GOOD, run

pytestmark = pytest.mark.slow  # each case runs the console script in a new process

POLICIES = Path(__file__).resolve().parents[1] / "examples" / "policies"
RULES, ERRORS = load_custom([POLICIES], builtin())
ENGINE = Engine(Catalogue([*builtin().rules, *RULES]))


def test_every_policy_loads() -> None:
    assert ERRORS == []
    assert {rule.id for rule in RULES} == {"ORG001", "ORG002", "ORG003", "ORG004", "ORG005"}


@pytest.mark.parametrize(
    ("rule", "number"),
    [(rule, number) for rule in RULES for number in range(len(rule.examples))],
    ids=lambda value: value.id if hasattr(value, "id") else str(value),
)
def test_policy_example(rule: object, number: int) -> None:
    from ecslint.catalogue.entries import Rule

    assert isinstance(rule, Rule)
    assert check_example(ENGINE, rule, rule.examples[number]) is None
    assert {example.kind for example in rule.examples} == {"bad", "good"}


def test_rules_test_command_passes_on_the_examples() -> None:
    result = run("rules", "test", str(POLICIES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS ") == 5 and "all passed" in result.stdout


def _rule_file(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


RULE = """\
id: ACME001
name: no-privileged
severity: error
consequence: security
summary: Checks that no container is privileged.
rationale: Privileged containers own the host.
references: [https://wiki.example.com/ecs]
target: containerDefinitions[*]
assert:
  not: {required: [privileged], properties: {privileged: {const: true}}}
pointer: privileged
message: "container '{container}' is privileged"
examples:
  - bad: {containerDefinitions: [{name: a, image: 'a:1', privileged: true}]}
    expect: [/containerDefinitions/0/privileged]
  - good: {containerDefinitions: [{name: a, image: 'a:1'}]}
"""


def test_rules_test_reports_a_failing_example(tmp_path: Path) -> None:
    _rule_file(tmp_path, "ACME001.yaml", RULE.replace("expect: [/containerDefinitions/0/privileged]", "expect: [/x]"))
    result = run("rules", "test", str(tmp_path))
    assert result.returncode == 1
    assert "FAIL ACME001" in result.stdout
    assert "expected findings at /x, got /containerDefinitions/0/privileged" in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("id: ACME001", "id: ECS210"), "ACME001.yaml:1:1: id ECS210 is already used by a built-in rule"),
        (("name: no-privileged", "name: No Privileged"), "ACME001.yaml:2:1: name 'No Privileged' must be"),
        (("severity: error", "severity: fatal"), "ACME001.yaml:3:1: unknown severity 'fatal'"),
        (("target: containerDefinitions[*]", "target: 'a b'"), "ACME001.yaml:8:1: invalid target step"),
        (("assert:\n", "asert:\n"), "ACME001.yaml:9:1: unknown field(s) asert (did you mean 'assert'?)"),
        (("  not: {", "  type: 12\n  not: {"), "ACME001.yaml:9:1: 'assert' is not a valid JSON Schema"),
        (('message: "container', 'message: "{value.__class__} container'), "ACME001.yaml:12:1: 'message': placeholder"),
        (("pointer: privileged", "pointer: [privileged"), "ACME001.yaml:12:8: invalid YAML"),
        (('message: "container', 'message: "{0} container'), "ACME001.yaml:12:1: 'message': placeholder {0} must be"),
        (('message: "container', 'message: "{value!z} container'), "placeholder {value!z} takes no format"),
        (('message: "container', 'message: "{value:d} container'), "ACME001.yaml:12:1: 'message': placeholder {v"),
        (('message: "container', 'message: "{image} container'), "{image} is not a value this rule provides"),
        (("examples:", "hint: 'run {}'\nexamples:"), "ACME001.yaml:13:1: 'hint': placeholder {} must be a plain"),
        (("  not: {", "  $ref: '#/$defs/nope'\n  not: {"), "ACME001.yaml:10:3: 'assert': $ref '#/$defs/nope' does"),
        (("  not: {", "  anyOf: [{$ref: '#'}]\n  not: {"), "ACME001.yaml:10:12: 'assert': $ref '#' refers back"),
        (
            (
                "  not: {",
                "  $defs: {a: {$ref: '#/$defs/b'}, b: {not: {$ref: '#/$defs/a'}}}\n"
                "  allOf: [{$ref: '#/$defs/a'}]\n  not: {",
            ),
            "refers back to a schema that contains it",
        ),
        (("  not: {", "  $ref: 'https://example.com/s.json'\n  not: {"), "must be a local JSON pointer"),
        (
            ("{const: true}", "{const: 2001-12-14}"),
            "ACME001.yaml:10:59: assert.not.properties.privileged.const: a date",
        ),
        (("{const: true}", "{enum: !!set {a, b}}"), "assert.not.properties.privileged.enum: a set is not a JSON"),
        (("{const: true}", "{const: !!binary AAA=}"), "privileged.const: binary data is not a JSON value"),
        (("  - good: {", "  - encoding: rot13\n    good_text: '{}'\n  - good: {"), "'encoding' 'rot13' is not a text"),
        (("  - good: {", "  - encoding: ascii\n    good_text: 'é'\n  - good: {"), "cannot be written in ascii"),
        (("{const: true}", "{const: !!int 0x}"), "ACME001.yaml:10:66: invalid YAML: cannot read the value '0x'"),
        (("  not: {", "  properties: {a: {pattern: '('}}\n  not: {"), "ACME001.yaml:9:1: 'assert' is not a valid JSON"),
        (
            ("target: containerDefinitions[*]", "check: nobody_registered_this"),
            "ACME001.yaml:8:1: check 'nobody_registered_this' is not registered",
        ),
        (
            ("severity: error", "severity: error\nsecurity_severity: 11"),
            "ACME001.yaml:4:1: 'security_severity' is a score above 0 up to 10",
        ),
        (("severity: error", "severity: error\nseverities: {docker: fatal}"), "ACME001.yaml:4:1: severities: "),
        (
            ("severity: error", "severity: error\nseverities: [error]"),
            "'severities' must be a mapping of message variant",
        ),
    ],
)
def test_a_broken_rule_file_is_reported_with_a_position_and_the_others_run(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    rules = tmp_path / "rules"
    text = RULE.replace(*change)
    if change[1].startswith("check:"):
        text = text.replace("assert:\n  not: {required: [privileged], properties: {privileged: {const: true}}}\n", "")
    _rule_file(rules, "ACME001.yaml", text)
    _rule_file(rules, "ACME002.yaml", RULE.replace("ACME001", "ACME002").replace("no-privileged", "no-privileged-2"))
    result = run("rules", "test", str(rules))
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "PASS ACME002" in result.stdout


def test_check_reports_a_broken_rule_file_and_runs_the_others(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    _rule_file(rules, "ACME001.yaml", RULE.replace("id: ACME001", "id: ECS210"))
    _rule_file(rules, "ACME002.yaml", RULE.replace("ACME001", "ACME002").replace("no-privileged", "no-privileged-2"))
    document = {**GOOD, "containerDefinitions": [{**GOOD["containerDefinitions"][0], "privileged": True}]}
    (tmp_path / "td.json").write_text(json.dumps(document))
    checked = run("check", "--no-config", "--rules", str(rules), "-f", "json", str(tmp_path / "td.json"))
    assert checked.returncode == 2
    assert "ACME001.yaml:1:1: id ECS210 is already used by a built-in rule" in checked.stderr
    assert "ACME002" in {f["rule"] for f in json.loads(checked.stdout)["findings"]}


def test_rule_files_never_execute_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f"!!python/object/apply:os.system ['touch {marker}']\n"
    _rule_file(tmp_path / "rules", "EVIL001.yaml", evil)
    result = run("rules", "test", str(tmp_path / "rules"))
    assert result.returncode == 2 and "invalid YAML" in result.stderr
    assert not marker.exists()


def test_policies_in_process_outcome() -> None:
    outcome = run_policy_tests([POLICIES])
    assert outcome.exit_code == 0 and outcome.examples >= 10 and outcome.failures == 0


def _alias_bomb(levels: int = 9) -> str:
    """A flow list whose aliases expand to 9**levels strings (a "billion laughs")."""
    parts = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("summary: Checks that no container is privileged.", "summary: BOMB"),
        ("pointer: privileged", "pointer: privileged\nknown_problems: BOMB"),
        ("{const: true}", "{const: true, enum: BOMB}"),
        ("pointer: privileged", "pointer: privileged\noptions: {names: {default: BOMB}}"),
    ],
    ids=["summary", "known_problems", "assert-enum", "option-default"],
)
def test_an_alias_bomb_in_a_rule_file_is_refused_with_its_position(tmp_path: Path, old: str, new: str) -> None:
    rules = tmp_path / "rules"
    _rule_file(rules, "ACME001.yaml", RULE.replace(old, new.replace("BOMB", _alias_bomb())))
    result = run("rules", "test", str(rules))
    assert result.returncode == 2
    assert "ACME001.yaml:" in result.stderr and "aliases expand to more than 500,000 nodes" in result.stderr


def test_a_rule_file_within_the_alias_budget_loads(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    _rule_file(
        rules,
        "ACME001.yaml",
        RULE.replace("{const: true}", "{const: true, not: {enum: BOMB}}").replace("BOMB", _alias_bomb(3)),
    )
    assert run("rules", "test", str(rules)).returncode == 0


def test_recursive_schemas_that_descend_into_the_value_load(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    _rule_file(
        rules,
        "ACME001.yaml",
        RULE.replace(
            "  not: {",
            "  $defs: {tree: {properties: {child: {$ref: '#/$defs/tree'}}}}\n  $ref: '#/$defs/tree'\n  not: {",
        ),
    )
    assert run("rules", "test", str(rules)).returncode == 0


def test_a_runaway_pattern_stops_its_rule_with_the_pattern_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecslint.catalogue import declarative
    from ecslint.core.errors import RuleFileError

    monkeypatch.setattr(declarative, "PATTERN_SECONDS", 0.05)
    monkeypatch.setattr(declarative, "_STOPPED", {})
    rules = tmp_path / "rules"
    text = RULE.replace("  not: {", "  properties: {name: {pattern: '^(a|a)*$'}}\n  not: {")
    _rule_file(rules, "ACME001.yaml", text)
    [rule], errors = load_custom([rules], builtin())
    assert errors == []
    engine = Engine(Catalogue([*builtin().rules, rule]))
    document = {**GOOD, "containerDefinitions": [{**GOOD["containerDefinitions"][0], "name": "a" * 40 + "!"}]}
    result = engine.check_bytes("td.json", json.dumps(document).encode(), explicit=True)
    [error] = result.internal_errors
    assert error.in_rule_file and error.rule_id == "ACME001"
    assert error.message.startswith(f"{rules / 'ACME001.yaml'}:10:23: a pattern in 'assert' of rule ACME001 ran for")
    assert result.findings  # the other rules still ran
    with pytest.raises(RuleFileError):  # stopped once: the next file does not wait again
        list(declarative.evaluate(rule, __import__("ecslint.core.taskdef").core.taskdef.TaskDef(document, "json")))


def test_the_pattern_timer_gives_an_outer_timer_back(tmp_path: Path) -> None:
    import signal

    rules = tmp_path / "rules"
    _rule_file(rules, "ACME001.yaml", RULE.replace("  not: {", "  properties: {name: {pattern: '^[a-z]+$'}}\n  not: {"))
    [rule], _ = load_custom([rules], builtin())
    engine = Engine(Catalogue([*builtin().rules, rule]))
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        result = engine.check_bytes("td.json", json.dumps(GOOD).encode(), explicit=True)
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert result.internal_errors == []
    assert 0 < remaining <= 100


def test_placeholders_may_convert_but_not_format(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    _rule_file(rules, "ACME001.yaml", RULE.replace("container '{container}'", "container {container!r} {family!s}"))
    [rule], errors = load_custom([rules], builtin())
    assert (
        errors == []
        and rule.message("default", {"container": "web", "family": "f"}) == "container 'web' f is privileged"
    )
