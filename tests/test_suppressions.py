"""Inline suppressions: YAML comments, CloudFormation comments, task-definition tags, unused ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.config import suppressions
from ecslint.config.selection import configure
from ecslint.config.settings import Config
from ecslint.config.suppressions import from_comments, from_tags, split_rules
from ecslint.engine.pipeline import Engine
from tests.test_cli import run
from tests.workcount import CountingPattern, calls, grows_linearly

ENGINE = Engine(builtin())  # every rule on, ECS090 (unused-suppression) included
WATCHED = {"ECS090", "ECS202", "ECS210"}


def _findings(name: str, text: str, engine: Engine = ENGINE) -> list[tuple[str, int, int]]:
    result = engine.check_bytes(name, text.encode())
    return [
        (f.rule_id, f.span.start.line if f.span else 0, f.span.start.column if f.span else 0)
        for f in result.findings
        if f.rule_id in WATCHED
    ]


YAML = """\
family: web
containerDefinitions:
  - name: web
    image: nginx:latest{same}
{above}  - name: side
    image: busybox:latest
"""


def test_no_suppression() -> None:
    assert _findings("td.yaml", YAML.format(same="", above="")) == [("ECS210", 4, 18), ("ECS210", 6, 20)]


def test_comment_on_the_line_by_id_or_name() -> None:
    for rule in ("ECS210", "latest-image-tag", "ecs210"):
        text = YAML.format(same=f"  # ecslint: ignore[{rule}]", above="")
        assert _findings("td.yaml", text) == [("ECS210", 6, 20)]


def test_comment_above_the_line() -> None:
    text = YAML.replace("    image: busybox", "    # ecslint: ignore[ECS210]\n\n    image: busybox").format(
        same="", above=""
    )
    assert _findings("td.yaml", text) == [("ECS210", 4, 18)]


def test_comment_covers_only_its_rules() -> None:
    text = "family: bad name!  # ecslint: ignore[ECS210]\ncontainerDefinitions:\n  - {name: a, image: 'a:1'}\n"
    assert "ECS202" in {rule for rule, _, _ in _findings("td.yaml", text)}


def test_unused_comment_is_reported_when_enabled() -> None:
    text = YAML.format(same="  # ecslint: ignore[ECS210, ECS202, not-a-rule]", above="")
    found = _findings("td.yaml", text)
    assert found.count(("ECS090", 4, 26)) == 2  # ECS202 suppressed nothing there, and not-a-rule is no rule
    messages = [f.message for f in ENGINE.check_bytes("td.yaml", text.encode()).findings if f.rule_id == "ECS090"]
    assert sorted(messages) == [
        "the suppression names not-a-rule, which is not a rule",
        "the suppression of ECS202 suppresses nothing here",
    ]


def test_unused_is_off_by_default_and_quiet_about_disabled_rules() -> None:
    text = YAML.format(same="  # ecslint: ignore[ECS210, ECS202]", above="")
    policy = configure(builtin(), Config())
    assert "ECS090" not in {f[0] for f in _findings("td.yaml", text, Engine(policy.catalogue, policy.enabled))}
    narrowed = configure(builtin(), Config().with_overrides(select=["ECS210", "ECS090"]))
    engine = Engine(narrowed.catalogue, narrowed.enabled)
    assert _findings("td.yaml", text, engine) == [("ECS210", 6, 20)]  # ECS202 is off: nothing to say


def test_cloudformation_yaml_comment() -> None:
    template = """\
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      ContainerDefinitions:
        - Name: web
          Image: nginx:latest  # ecslint: ignore[latest-image-tag]
        - Name: side
          Image: busybox:latest
"""
    assert [f[:2] for f in _findings("stack.yaml", template)] == [("ECS210", 10)]


def test_json_tag_suppresses_for_the_whole_task_definition() -> None:
    document = {
        "family": "web",
        "tags": [{"key": "ecslint:ignore", "value": "ECS210, unknown-thing"}],
        "containerDefinitions": [{"name": "a", "image": "a:latest"}, {"name": "b", "image": "b"}],
    }
    text = json.dumps(document, indent=2)
    assert _findings("td.json", text) == [("ECS090", 6, 16)]  # at the tag's value: unknown-thing is no rule
    result = ENGINE.check_bytes("td.json", text.encode())
    assert {f.rule_id for f in result.findings} & {"ECS219", "ECS220", "ECS020"} == set()  # the tag itself is fine


def test_cloudformation_tag_covers_only_its_resource() -> None:
    template = {
        "Resources": {
            "A": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Tags": [{"Key": "ecslint:ignore", "Value": "ECS210"}],
                    "ContainerDefinitions": [{"Name": "a", "Image": "a:latest"}],
                },
            },
            "B": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {"ContainerDefinitions": [{"Name": "b", "Image": "b:latest"}]},
            },
        }
    }
    result = ENGINE.check_bytes("stack.json", json.dumps(template, indent=2).encode())
    assert [f.pointer for f in result.findings if f.rule_id == "ECS210"] == [
        "/Resources/B/Properties/ContainerDefinitions/0/Image"
    ]


def test_parsing_helpers() -> None:
    assert split_rules(" ECS210,latest-image-tag  ECS1 ") == ("ECS210", "latest-image-tag", "ECS1")
    found = from_comments(
        "a: 1 # ecslint: ignore[X1]\n# ecslint: ignore[Y]\n\n# other\nb: 2\nurl: 'x#ecslint: ignore[Z]'\n"
    )
    assert [(s.rules, s.line) for s in found] == [(("X1",), 1), (("Y",), 5)]
    assert from_tags({"taskDefinition": {"tags": [{"key": "ecslint:ignore", "value": "A B"}]}})[0].rules == ("A", "B")


TERRAFORM = """\
resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    {
      name  = "web"
      image = "nginx:latest"@same@
    },
    {
      name  = "side"
@above@      image = "busybox:latest"
    },
  ])
@tags@}
"""


def _terraform(same: str = "", above: str = "", tags: str = "") -> str:
    return TERRAFORM.replace("@same@", same).replace("@above@", above).replace("@tags@", tags)


def test_terraform_comments_hash_and_slashes() -> None:
    plain = _findings("main.tf", _terraform())
    assert plain == [("ECS210", 6, 22), ("ECS210", 10, 24)]
    same = _terraform(same="  # ecslint: ignore[ECS210]")
    assert _findings("main.tf", same) == [("ECS210", 10, 24)]
    above = _terraform(above="      // ecslint: ignore[latest-image-tag]\n      // why\n")
    assert _findings("main.tf", above) == [("ECS210", 6, 22)]
    # a "#" in a value is not a comment: the suppression needs a blank or the line start before it
    assert from_comments('image = "a#ecslint: ignore[X]"', hcl=True) == []
    # YAML never reads "//" as a comment
    assert from_comments("a: 1 // ecslint: ignore[X]\n") == []


def test_terraform_tag_covers_its_resource_and_unused_names_are_reported() -> None:
    tags = '  tags = {\n    "ecslint:ignore" = "ECS210 ECS999"\n  }\n'
    found = _findings("main.tf", _terraform(tags=tags))
    assert found == [("ECS090", 14, 24)]  # ECS210 suppressed in both containers; ECS999 is no rule


def test_end_to_end_terraform_suppression(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(_terraform(same="  # ecslint: ignore[ECS210]"))
    result = run("check", "--no-config", "--select", "ECS210", "-f", "json", str(path))
    assert [f["line"] for f in json.loads(result.stdout)["findings"]] == [10]


def test_end_to_end_report_unused_ignores(tmp_path: Path) -> None:
    path = tmp_path / "td.yaml"
    path.write_text(YAML.format(same="  # ecslint: ignore[ECS210, ECS202]", above=""))
    plain = run("check", "--no-config", "--select", "ECS2", "-f", "json", str(path))
    assert "ECS090" not in {f["rule"] for f in json.loads(plain.stdout)["findings"]}
    flagged = run("check", "--no-config", "--select", "ECS2", "--report-unused-ignores", "-f", "json", str(path))
    unused = [(f["line"], f["column"]) for f in json.loads(flagged.stdout)["findings"] if f["rule"] == "ECS090"]
    assert unused == [(4, 26)]


def test_many_own_line_comments_are_read_in_linear_steps() -> None:
    # each own-line comment used to look down through every line below it for the line it covers
    def work(count: int) -> int:
        text = "family: web\n" + "# ecslint: ignore[ECS210]\n" * count + "containerDefinitions: []\n"
        return calls(from_comments, text)

    grows_linearly(work, 500)
    text = "# ecslint: ignore[ECS210]\n\n# ecslint: ignore[ECS202]\n# other\nfamily: x\n# ecslint: ignore[ECS101]\n"
    assert [(s.rules, s.line) for s in from_comments(text)] == [(("ECS210",), 5), (("ECS202",), 5), (("ECS101",), None)]


def test_a_line_of_many_unclosed_comments_is_read_in_linear_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # each unclosed "ignore[" used to be read on to the end of the line looking for "]"
    def work(count: int) -> int:
        counting = CountingPattern(suppressions._COMMENT)
        monkeypatch.setattr(suppressions, "_COMMENT", counting)
        from_comments(("image: x" + " # ecslint: ignore[" * count + "\n") * 2 + "x: y # ecslint: ignore[A]\n")
        monkeypatch.undo()
        return counting.steps

    grows_linearly(work, 40)
    line = "image: x # ecslint: ignore[ECS210 # ecslint: ignore[ECS202]"
    assert [s.rules for s in from_comments(line)] == [("ECS210", "#", "ecslint:", "ignore[ECS202")]


def test_many_suppressions_and_findings_are_paired_in_linear_steps() -> None:
    # every finding used to be compared with every suppression
    only = Engine(builtin(), lambda rule: rule.id in ("ECS210", "ECS090"))

    def work(count: int) -> int:
        document = {
            "family": "web",
            "containerDefinitions": [{"name": f"c{i}", "image": "nginx:latest"} for i in range(count)],
            "tags": [{"key": "ecslint:ignore", "value": f"ECS210 ECS{i:03}"} for i in range(count)],
        }
        return calls(only.check_bytes, "td.json", json.dumps(document).encode())

    grows_linearly(work, 100)
    item = "  - name: c{}\n    image: nginx:latest  # ecslint: ignore[ECS210]\n"
    text = "family: web\ncontainerDefinitions:\n" + item.format("a") + "  - name: b\n    image: nginx:latest\n"
    assert [f for f in _findings("td.yaml", text) if f[0] == "ECS210"] == [("ECS210", 6, 18)]
