"""The SARIF reporter: valid SARIF 2.1.0 (checked against the official schema) that GitHub accepts."""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from ecslint.catalogue.entries import Catalogue, Rule, builtin, rule_from_mapping
from ecslint.core.model import Finding, Fix, Place, Position, Replacement, Severity, Span
from ecslint.reporters.context import ReportContext
from ecslint.reporters.formats import get_reporter
from ecslint.reporters.sarif import artifact_location, fingerprint, render
from tests.conftest import SARIF_SCHEMA

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = SARIF_SCHEMA

# jsonschema checks "uri" and "uri-reference" only with an optional package; check them here (RFC 3986).
_URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
URI_FORMATS = FormatChecker(formats=())


@URI_FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    return not isinstance(value, str) or _URI_CHARACTERS.fullmatch(value) is not None


@URI_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (_SCHEME.match(value) is not None and _is_uri_reference(value))


@cache
def sarif_validator() -> Validator:
    if not SCHEMA_PATH.is_file():
        pytest.fail(
            f"the official SARIF 2.1.0 schema is missing: expected {SCHEMA_PATH} "
            "(it is kept in the repository: tests/data/)",
            pytrace=False,
        )
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator: Validator = validator_class(schema, format_checker=URI_FORMATS)
    return validator


def assert_valid(output: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(output)
    errors = sorted(sarif_validator().iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors)
    return log


def rule(rule_id: str, name: str, severity: str, consequence: str, **extra: object) -> Rule:
    mapping: dict[str, object] = {
        "id": rule_id,
        "name": name,
        "severity": severity,
        "consequence": consequence,
        "summary": f"Checks for {name}.",
        "rationale": f"Because {name} matters.",
        "references": [f"https://docs.aws.amazon.com/{name}.html"],
        "message": "bad value {value}",
        "check": name.replace("-", "_"),
        **extra,
    }
    return rule_from_mapping(mapping, f"rules/{rule_id}-{name}.yaml")


FARGATE = rule(
    "ECS101",
    "unsupported-fargate-size",
    "error",
    "rejected",
    references=[
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html",
    ],
)
SECRET = rule("ECS301", "plaintext-secret", "warning", "security")
SYNTAX = rule_from_mapping(
    {
        "id": "ECS001",
        "name": "invalid-json",
        "severity": "info",
        "consequence": "style",
        "layer": "syntax",
        "summary": "Checks that the file parses.",
        "rationale": "ECS cannot read it otherwise.",
        "references": ["https://docs.aws.amazon.com/syntax.html"],
        "message": "cannot parse",
    },
    "rules/ECS001-invalid-json.yaml",
)
CATALOGUE = Catalogue([SECRET, FARGATE, SYNTAX])
CONTEXT = ReportContext(catalogue=CATALOGUE, version="1.2.3", files_checked=1)
MEMORY_SPAN = Span(Position(3, 13), Position(3, 19))


def finding(
    rule_id: str = "ECS101",
    severity: Severity = Severity.ERROR,
    *,
    path: str = "td.json",
    pointer: str = "/memory",
    where: Span | None = MEMORY_SPAN,
    message: str = "memory 4096 is not offered with cpu 256 on Fargate",
    hint: str | None = None,
    excerpt: str | None = None,
) -> Finding:
    name = CATALOGUE.by_id[rule_id].name if rule_id in CATALOGUE.by_id else "unknown-rule"
    return Finding(rule_id, name, severity, message, path, pointer, where, hint, excerpt)


def only_result(output: str) -> dict[str, Any]:
    results: list[dict[str, Any]] = assert_valid(output)["runs"][0]["results"]
    assert len(results) == 1
    return results[0]


def test_registered_as_the_sarif_format() -> None:
    assert get_reporter("sarif") is render


def test_golden_document() -> None:
    catalogue = Catalogue([FARGATE])
    result = finding(hint="use one of: 512, 1024, 2048", excerpt='  "memory": "4096",')
    expected = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ecslint",
                        "version": "1.2.3",
                        "semanticVersion": "1.2.3",
                        "informationUri": "https://github.com/ecslint/ecslint",
                        "rules": [
                            {
                                "id": "ECS101",
                                "name": "unsupported-fargate-size",
                                "shortDescription": {"text": "Checks for unsupported-fargate-size."},
                                "fullDescription": {"text": "Because unsupported-fargate-size matters."},
                                "help": {
                                    "text": "Checks for unsupported-fargate-size.\n\n"
                                    "Because unsupported-fargate-size matters.\n\n"
                                    "Consequence: rejected\n\n"
                                    "References:\n"
                                    "- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html\n"
                                    "- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html",
                                    "markdown": "## What it does\n\nChecks for unsupported-fargate-size.\n\n"
                                    "## Why it matters\n\nECS rejects the task definition when it is registered. "
                                    "Because unsupported-fargate-size matters.\n\n"
                                    "Consequence: `rejected`\n\n"
                                    "## AWS reference\n\n"
                                    "- <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html>\n"
                                    "- <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html>",
                                },
                                "helpUri": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html",
                                "defaultConfiguration": {"level": "error"},
                                "properties": {
                                    "tags": ["rejected", "rules"],
                                    "problem.severity": "error",
                                    "precision": "very-high",
                                },
                            }
                        ],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory ecslint was run from."}}},
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": "ECS101",
                        "ruleIndex": 0,
                        "level": "error",
                        "message": {
                            "text": "memory 4096 is not offered with cpu 256 on Fargate — use one of: 512, 1024, 2048"
                        },
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "td.json", "uriBaseId": "%SRCROOT%"},
                                    "region": {
                                        "startLine": 3,
                                        "startColumn": 13,
                                        "endLine": 3,
                                        "endColumn": 19,
                                        "snippet": {"text": '"4096"'},
                                    },
                                },
                                "logicalLocations": [{"fullyQualifiedName": "/memory"}],
                            }
                        ],
                        "partialFingerprints": {"ecslint/v1": fingerprint(result)},
                    }
                ],
            }
        ],
    }
    output = render([result], ReportContext(catalogue, "1.2.3"))
    assert output == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert_valid(output)


def test_no_findings_is_valid_with_an_empty_results_list() -> None:
    log = assert_valid(render([], CONTEXT))
    assert log["runs"][0]["results"] == []


def test_driver_lists_the_whole_catalogue_in_id_order() -> None:
    driver = assert_valid(render([], CONTEXT))["runs"][0]["tool"]["driver"]
    assert [descriptor["id"] for descriptor in driver["rules"]] == ["ECS001", "ECS101", "ECS301"]
    levels = [descriptor["defaultConfiguration"]["level"] for descriptor in driver["rules"]]
    assert levels == ["note", "error", "warning"]
    assert [descriptor["properties"]["tags"] for descriptor in driver["rules"]] == [
        ["style", "syntax"],
        ["rejected", "rules"],
        ["security", "rules"],
    ]
    severities = [descriptor["properties"]["problem.severity"] for descriptor in driver["rules"]]
    assert severities == ["recommendation", "error", "warning"]
    assert driver["rules"][2]["helpUri"] == "https://docs.aws.amazon.com/plaintext-secret.html"


def test_security_rules_carry_a_security_severity_for_github() -> None:
    driver = assert_valid(render([], CONTEXT))["runs"][0]["tool"]["driver"]
    scores = {descriptor["id"]: descriptor["properties"].get("security-severity") for descriptor in driver["rules"]}
    assert scores == {"ECS001": None, "ECS101": None, "ECS301": "5.0"}  # a warning: medium (4.0-6.9)
    real = assert_valid(render([], ReportContext(builtin(), "1")))["runs"][0]["tool"]["driver"]["rules"]
    for descriptor in real:
        score = descriptor["properties"].get("security-severity")
        assert (score is not None) == ("security" in descriptor["properties"]["tags"]), descriptor["id"]
        own = builtin().by_id[descriptor["id"]].security_severity
        if score is not None and own is None:
            level = descriptor["defaultConfiguration"]["level"]
            assert score == {"error": "8.0", "warning": "5.0", "note": "2.0"}[level]
    scores = {descriptor["id"]: descriptor["properties"].get("security-severity") for descriptor in real}
    # a rule with a Security Hub control takes its severity: High 8.0, Medium 5.0 (docs/facts.md 13.4)
    assert (scores["ECS601"], scores["ECS602"], scores["ECS604"], scores["ECS605"]) == ("8.0", "8.0", "5.0", "5.0")
    assert scores["ECS610"] == "8.0"  # no control: an error scores high


def test_built_in_rules_link_their_own_section_of_docs_rules_md() -> None:
    headings = set(re.findall(r"^## (ECS\d+ [a-z0-9-]+)$", (REPO_ROOT / "docs" / "rules.md").read_text("utf-8"), re.M))
    real = assert_valid(render([], ReportContext(builtin(), "1")))["runs"][0]["tool"]["driver"]["rules"]
    for descriptor in real:
        page, anchor = descriptor["helpUri"].split("#")
        assert page == "https://github.com/ecslint/ecslint/blob/main/docs/rules.md"
        assert anchor == f"{descriptor['id']} {descriptor['name']}".lower().replace(" ", "-")
        assert f"{descriptor['id']} {descriptor['name']}" in headings


def render_rules(catalogue: Catalogue) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = json.loads(render([], ReportContext(catalogue, "1")))["runs"][0]["tool"]["driver"][
        "rules"
    ]
    return rules


def test_help_markdown_has_the_rationale_and_a_bad_and_a_good_example() -> None:
    real = {d["id"]: d for d in render_rules(builtin())}
    markdown = real["ECS601"]["help"]["markdown"]
    assert "## Why it matters\n\nA security weakness. A privileged container" in markdown
    example = markdown.split("## Example\n\n")[1].split("\n\n## ")[0]
    assert example.startswith("```json\n{") and '"privileged": true' in example and example.endswith("```")
    instead = markdown.split("## Use instead\n\n")[1].split("\n\n## ")[0]
    assert '"privileged": false' in instead
    assert markdown.endswith(
        "## AWS reference\n\n- <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/"
        "API_ContainerDefinition.html>\n- <https://docs.aws.amazon.com/securityhub/latest/"
        "userguide/ecs-controls.html>"
    )
    # a very long example is cut, and says where the whole one is
    long = real["ECS206"]["help"]["markdown"].split("## Example\n\n")[1].split("\n\n## ")[0]
    assert long.count("\n") < 40 and "more lines in the rule's documentation.)" in long
    for descriptor in real.values():
        assert "## Example" in descriptor["help"]["markdown"], descriptor["id"]


def test_rule_index_points_at_the_rule_in_the_driver() -> None:
    items = [finding("ECS301", Severity.WARNING), finding("ECS001", Severity.INFO), finding("ECS101")]
    run = assert_valid(render(items, CONTEXT))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_finding_of_a_rule_outside_the_catalogue_has_no_rule_index() -> None:
    result = only_result(render([finding("ECS999")], CONTEXT))
    assert result["ruleId"] == "ECS999"
    assert "ruleIndex" not in result


@pytest.mark.parametrize(
    ("severity", "level"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note")]
)
def test_result_level_follows_the_finding_not_the_rule_default(severity: Severity, level: str) -> None:
    assert only_result(render([finding(severity=severity)], CONTEXT))["level"] == level


def test_message_without_hint_is_the_message_alone() -> None:
    assert only_result(render([finding(message="just this")], CONTEXT))["message"] == {"text": "just this"}


def test_finding_without_span_has_a_physical_location_but_no_region() -> None:
    location = only_result(render([finding(where=None, pointer="")], CONTEXT))["locations"][0]
    assert location == {
        "physicalLocation": {"artifactLocation": {"uri": "td.json", "uriBaseId": "%SRCROOT%"}},
        "logicalLocations": [{"fullyQualifiedName": ""}],
    }


def test_a_finding_for_several_places_has_the_others_as_related_locations() -> None:
    places = (
        Place("/taskRoleArn", Span(Position(3, 31), Position(3, 43))),
        Place("/executionRoleArn", Span(Position(4, 36), Position(4, 48))),
        Place("/containerDefinitions/0/image", None),
    )
    result = assert_valid(render([finding()._replace(occurrences=places)], CONTEXT))["runs"][0]["results"][0]
    assert result["properties"] == {"occurrences": 3}
    artifact = {"uri": "td.json", "uriBaseId": "%SRCROOT%"}
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {"startLine": 4, "startColumn": 36, "endLine": 4, "endColumn": 48},
            },
            "logicalLocations": [{"fullyQualifiedName": "/executionRoleArn"}],
        },
        {
            "id": 2,
            "physicalLocation": {"artifactLocation": artifact},
            "logicalLocations": [{"fullyQualifiedName": "/containerDefinitions/0/image"}],
        },
    ]
    assert "relatedLocations" not in only_result(render([finding()], CONTEXT))


def test_snippet_only_for_a_single_line_span_with_an_excerpt() -> None:
    multi_line = finding(where=Span(Position(2, 3), Position(5, 2)), excerpt='  "a": {')
    no_excerpt = finding()
    for item in (multi_line, no_excerpt):
        assert "snippet" not in only_result(render([item], CONTEXT))["locations"][0]["physicalLocation"]["region"]
    wide = finding(where=Span(Position(1, 8), Position(1, 10)), excerpt='"名前": "値値"')
    region = only_result(render([wide], CONTEXT))["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"] == {"text": "値値"}


@pytest.mark.parametrize(
    ("start", "end", "region"),
    [
        ((0, 0), (0, 0), {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}),
        ((4, 9), (4, 2), {"startLine": 4, "startColumn": 9, "endLine": 4, "endColumn": 9}),
        ((4, 9), (2, 2), {"startLine": 4, "startColumn": 9, "endLine": 4, "endColumn": 9}),
        ((4, 9), (6, 1), {"startLine": 4, "startColumn": 9, "endLine": 6, "endColumn": 1}),
    ],
)
def test_malformed_spans_are_clamped_to_valid_regions(
    start: tuple[int, int], end: tuple[int, int], region: dict[str, int]
) -> None:
    item = finding(where=Span(Position(*start), Position(*end)))
    assert only_result(render([item], CONTEXT))["locations"][0]["physicalLocation"]["region"] == region


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("td.json", {"uri": "td.json", "uriBaseId": "%SRCROOT%"}),
        ("./services/td.json", {"uri": "services/td.json", "uriBaseId": "%SRCROOT%"}),
        ("services\\web\\td.json", {"uri": "services/web/td.json", "uriBaseId": "%SRCROOT%"}),
        ("../other/td.json", {"uri": "../other/td.json", "uriBaseId": "%SRCROOT%"}),
        ("my task def.json", {"uri": "my%20task%20def.json", "uriBaseId": "%SRCROOT%"}),
        ("名前.json", {"uri": "%E5%90%8D%E5%89%8D.json", "uriBaseId": "%SRCROOT%"}),
        ("100%#?.json", {"uri": "100%25%23%3F.json", "uriBaseId": "%SRCROOT%"}),
        ("c:td.json", {"uri": "c%3Atd.json", "uriBaseId": "%SRCROOT%"}),
        ("/home/runner/work/td.json", {"uri": "file:///home/runner/work/td.json"}),
        ("C:\\work\\my td.json", {"uri": "file:///C:/work/my%20td.json"}),
        ("\\\\server\\share\\td.json", {"uri": "file://server/share/td.json"}),
        ("bad\udcff.json", {"uri": "bad%FF.json", "uriBaseId": "%SRCROOT%"}),
        ("-", {"uri": "stdin"}),
        ("<stdin>", {"uri": "stdin"}),
    ],
)
def test_artifact_location(path: str, location: dict[str, str]) -> None:
    assert artifact_location(path) == location
    result = only_result(render([finding(path=path)], CONTEXT))
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == location


def test_lone_surrogates_are_escaped_so_the_output_is_utf8() -> None:
    output = render([finding(path="bad\udcff.json", message="bad\udcff")], CONTEXT)
    output.encode("utf-8")
    assert only_result(output)["message"]["text"] == "bad\udcff"


def test_fingerprint_is_stable_and_ignores_position_message_and_spelling_of_the_path() -> None:
    base = finding()
    moved = finding(where=Span(Position(30, 1), Position(30, 5)), message="reworded", path="./td.json")
    assert fingerprint(base) == fingerprint(moved)
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(base))
    assert fingerprint(finding(path="dir\\td.json")) == fingerprint(finding(path="dir/td.json"))
    assert fingerprint(base) != fingerprint(finding(pointer="/cpu"))
    assert fingerprint(base) != fingerprint(finding(path="other.json"))
    assert fingerprint(base) != fingerprint(finding("ECS301"))


def test_output_is_deterministic() -> None:
    items = [finding("ECS301", Severity.WARNING, path="b.json"), finding(where=None)]
    assert render(items, CONTEXT) == render(list(items), CONTEXT)


def test_a_missing_schema_fails_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SCHEMA_PATH", tmp_path / "absent.json")
    sarif_validator.cache_clear()
    with pytest.raises(pytest.fail.Exception, match=r"SARIF 2\.1\.0 schema is missing: expected .*absent\.json"):
        sarif_validator()
    sarif_validator.cache_clear()


def test_official_schema_is_present_and_valid() -> None:
    # fails (never skips) with a message naming the expected path when tests/data/ lacks it
    assert sarif_validator() is sarif_validator()


texts = st.text(st.characters(codec="utf-8"))
positions = st.builds(Position, st.integers(0, 10**6), st.integers(0, 10**6))
fixes = st.builds(
    Fix,
    description=texts,
    replacements=st.lists(st.builds(Replacement, st.integers(0, 99), st.integers(0, 99), texts)).map(tuple),
)
paths = st.sampled_from(["-", "<stdin>", "", "/abs/td.json", "C:\\x\\y.json", "./a.json"]) | texts
findings = st.builds(
    Finding,
    rule_id=st.sampled_from(["ECS001", "ECS101", "ECS301"]) | texts,
    rule_name=texts,
    severity=st.sampled_from(Severity),
    message=texts,
    path=paths,
    pointer=texts,
    span=st.none() | st.builds(Span, positions, positions),
    hint=st.none() | texts,
    excerpt=st.none() | texts,
    fix=st.none() | fixes,
    occurrences=st.lists(st.builds(Place, texts, st.none() | st.builds(Span, positions, positions))).map(tuple),
)


@given(st.lists(findings, max_size=5))
def test_any_findings_give_valid_sarif(items: list[Finding]) -> None:
    output = render(items, CONTEXT)
    run = assert_valid(output)["runs"][0]
    assert len(run["results"]) == len(items)
    rules = run["tool"]["driver"]["rules"]
    for item, result in zip(items, run["results"], strict=True):
        assert result["ruleId"] == item.rule_id
        assert ("ruleIndex" in result) == (item.rule_id in CATALOGUE.by_id)
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == item.rule_id
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uri"]
        if "uriBaseId" in artifact:
            assert urlsplit(artifact["uri"]).scheme == ""
            decoded = unquote(artifact["uri"])
            assert decoded == "." or item.path.replace("\\", "/").endswith(decoded)
        assert result["message"]["text"].startswith(item.message)
