"""Consumers (docs/consumers.md): who registers a file decides what a finding says and how severe it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecslint.catalogue.entries import CONSUMERS, PLAIN_FILE_CONSUMERS, UNKNOWN_CONSUMER, builtin, rule_from_mapping
from ecslint.core.errors import RuleFileError
from ecslint.core.model import Severity
from ecslint.engine.pipeline import default_consumer
from tests.test_cli import run

DESCRIBED = {
    "taskDefinitionArn": "arn:aws:ecs:eu-west-1:210987654321:task-definition/web:3",
    "family": "web",
    "revision": 3,
    "status": "ACTIVE",
    "ipcMode": "",
    "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "hostname": None}],
}
CONTAINERS = [
    {
        "name": "web",
        "image": "nginx:1.27",
        "LogConfiguration": {"logDriver": "awslogs"},
        "gracePeriod": 30,
    }
]
WEB = '{"name": "web", "image": "nginx:1.27"}'
SELECT = ("--select", "ECS004,ECS011,ECS020,ECS022,ECS025,ECS026")


def _found(path: Path, *args: str) -> list[tuple[str, str, str]]:
    result = run("check", "--format", "json", *SELECT, *args, str(path.name), cwd=path.parent)
    assert result.returncode in (0, 1), result.stderr
    return [(f["rule"], f["severity"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_default_consumer_follows_the_file_kind() -> None:
    assert default_consumer("register") == "unknown"  # the AWS CLI, the deploy action or CodePipeline
    assert default_consumer("describe") == "unknown"
    assert default_consumer("cloudformation") == "cloudformation"
    assert default_consumer("terraform") == "terraform"
    assert default_consumer("containers") == "terraform"
    assert default_consumer(None, "hcl") == "terraform"


def test_a_file_that_cannot_be_read_is_still_named_by_what_its_text_says_it_is(tmp_path: Path) -> None:
    template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n  - x\n'
    (tmp_path / "stack.yml").write_text(template)
    directives = '[{"name": "web", "image": "${image}"%{ if debug }, "command": ["sh"]%{ endif }}]\n'
    (tmp_path / "containers.json").write_text(directives)
    (tmp_path / "td.json").write_text('{"family": "web",\n')
    result = run("check", "--format", "json", "stack.yml", "containers.json", "td.json", cwd=tmp_path)
    consumers = {(f["path"], f["rule"], f["consumer"]["name"]) for f in json.loads(result.stdout)["findings"]}
    assert consumers == {
        ("stack.yml", "ECS012", "cloudformation"),
        ("containers.json", "ECS222", "terraform"),
        ("td.json", "ECS001", "aws-cli"),
    }


def test_register_input_no_one_names_gets_what_every_plain_file_consumer_agrees_on(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    result = run("check", "--format", "json", *SELECT, "td.json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout  # no error: the deploy action would register it
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [
        ("ECS025", "warning"),
        ("ECS022", "warning"),
        ("ECS026", "warning"),
    ]
    assert findings[0]["message"].endswith(
        "the AWS CLI rejects them, amazon-ecs-deploy-task-definition removes them"
        " and CodePipeline's ECS blue/green deploy is seen to ignore them"
    )
    assert findings[0]["hint"].endswith(
        "say who registers the file: --target aws-cli, deploy-action or codedeploy (target = ... in the configuration)"
    )
    assert "amazon-ecs-deploy-task-definition drops them" in findings[2]["message"]
    assert {f["consumer"]["name"] for f in findings} == {"unknown"}
    assert findings[0]["consumer"]["basis"].startswith("nothing names who registers it")


def test_an_image_left_for_a_deploy_step_is_a_warning_until_something_names_the_consumer(tmp_path: Path) -> None:
    """Class 2 of docs/accuracy.md: no tool registers a file with no image as written, so with no
    evidence of who does, the file is plainly one a deploy step completes (a warning); with the
    consumer named (here the AWS CLI, by --target) nothing fills it in, and it is an error."""
    task = {
        "family": "web",
        "containerDefinitions": [{"name": "app", "image": "", "memory": 256}, {"name": "proxy", "memory": 64}],
    }
    (tmp_path / "td.json").write_text(json.dumps(task, indent=2), encoding="utf-8")
    unnamed = run("check", "--format", "json", "--select", "ECS023", "td.json", cwd=tmp_path)
    assert unnamed.returncode == 0, unnamed.stdout
    findings = json.loads(unnamed.stdout)["findings"]
    assert [(f["pointer"], f["severity"]) for f in findings] == [
        ("/containerDefinitions/0/image", "warning"),
        ("/containerDefinitions/1", "warning"),
    ]
    assert "a deploy step must fill it in (amazon-ecs-render-task-definition does)" in findings[0]["message"]
    named = run("check", "--format", "json", "--select", "ECS023", "--target", "aws-cli", "td.json", cwd=tmp_path)
    assert named.returncode == 1
    assert {f["severity"] for f in json.loads(named.stdout)["findings"]} == {"error"}


def test_register_input_is_read_as_the_aws_cli_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    found = _found(path, "--target", "aws-cli")
    assert [(rule, severity) for rule, severity, _ in found] == [
        ("ECS025", "error"),
        ("ECS022", "error"),
        ("ECS026", "error"),
    ]
    assert found[0][2].endswith("the AWS CLI rejects them (Unknown parameter in input)")
    assert (
        found[1][2]
        == "task 'ipcMode' is empty; the AWS CLI sends it and ECS rejects it (it must be one of host, task, none)"
    )
    assert found[2][2].endswith("the AWS CLI rejects null values (Invalid type for parameter)")


def test_the_deploy_action_removes_describe_fields_nulls_and_empty_values(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    result = run("check", *SELECT, "--target", "deploy-action", "td.json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout  # nothing the action would fail on
    found = _found(path, "--target", "deploy-action")
    assert [(rule, severity) for rule, severity, _ in found] == [
        ("ECS025", "info"),
        ("ECS022", "info"),
        ("ECS026", "info"),
    ]
    assert "amazon-ecs-deploy-task-definition removes them before registering" in found[0][2]


def test_a_container_array_is_read_as_terraform_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "containers.json"
    path.write_text(json.dumps(CONTAINERS, indent=2), encoding="utf-8")
    assert _found(path) == [
        (
            "ECS020",
            "info",
            "'LogConfiguration' in container 'web' is read as 'logConfiguration': "
            "Terraform matches container-definition keys ignoring case",
        ),
        ("ECS020", "warning", "unknown key 'gracePeriod' in container 'web'; Terraform drops it silently"),
    ]
    # the same file given to the AWS CLI: both are errors
    assert [(r, s) for r, s, _ in _found(path, "--target", "aws-cli")] == [("ECS020", "error"), ("ECS020", "error")]


def test_the_target_setting_in_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    (tmp_path / ".ecslint.toml").write_text('target = "go-sdk"\n', encoding="utf-8")
    found = _found(path)
    assert [(rule, severity) for rule, severity, _ in found] == [
        ("ECS025", "warning"),  # Go's decoding drops describe-only fields (docs/facts.md 27.4)
        ("ECS022", "info"),
        ("ECS026", "info"),
    ]
    # --target wins over the file
    assert [s for _, s, _ in _found(path, "--target", "aws-cli")] == ["error", "error", "error"]


def test_a_configured_severity_holds_whatever_the_consumer(tmp_path: Path) -> None:
    path = tmp_path / "containers.json"
    path.write_text(json.dumps(CONTAINERS, indent=2), encoding="utf-8")
    (tmp_path / ".ecslint.toml").write_text('[severity]\nECS020 = "error"\n', encoding="utf-8")
    assert [s for _, s, _ in _found(path)] == ["error", "error"]


def test_duplicate_keys_the_aws_cli_keeps_silently(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text('{"family": "a", "family": "b", "containerDefinitions": []}', encoding="utf-8")
    ((rule, severity, message),) = _found(path, "--target", "aws-cli")
    assert (rule, severity) == ("ECS011", "warning")
    assert message == "key 'family' appears again here; the AWS CLI keeps only this last value, without a word"
    # whoever registers it: the least severe (the AWS CLI's warning), in the rule's own words
    ((rule, severity, message),) = _found(path)
    assert (rule, severity) == ("ECS011", "warning")
    assert message.endswith("while amazon-ecs-deploy-task-definition refuses the file (Map keys must be unique)")
    ((rule, severity, message),) = _found(path, "--target", "deploy-action")  # it reads JSON as YAML
    assert (rule, severity) == ("ECS011", "error")
    assert message.endswith("reads the file as YAML and refuses it (Map keys must be unique)")
    yaml_path = tmp_path / "td.yaml"
    yaml_path.write_text("family: a\nfamily: b\ncontainerDefinitions: []\n", encoding="utf-8")
    assert [(r, s) for r, s, _ in _found(yaml_path)] == [("ECS011", "error")]  # YAML does not allow it
    ((rule, severity, message),) = _found(yaml_path, "--target", "aws-cli")
    assert (rule, severity) == ("ECS011", "error")
    assert message.endswith("the AWS CLI's YAML reader refuses the file (Invalid YAML received)")


@pytest.mark.parametrize(
    ("text", "rule", "unknown"),
    [
        ('{"family": "web", "containerDefinitions": [' + WEB + "],}", "ECS004", "accepts it"),
        ('\ufeff{"family": "web", "containerDefinitions": [' + WEB + "]}", "ECS006", "skips it"),
    ],
)
def test_what_the_deploy_action_yaml_reader_accepts(tmp_path: Path, text: str, rule: str, unknown: str) -> None:
    """amazon-ecs-deploy-task-definition parses the file as YAML, which takes a trailing comma and a
    byte order mark; the AWS CLI's json refuses both (docs/facts.md 25.2, 25.4)."""
    path = tmp_path / "td.json"
    path.write_text(text, encoding="utf-8")
    assert [(r, s) for r, s, _ in _found(path, "--select", rule, "--target", "aws-cli")] == [(rule, "error")]
    ((found, severity, message),) = _found(path, "--select", rule, "--target", "deploy-action")
    assert (found, severity) == (rule, "info") and "amazon-ecs-deploy-task-definition reads the file as YAML" in message
    ((found, severity, message),) = _found(path, "--select", rule)  # nothing says who registers it
    assert (found, severity) == (rule, "warning") and message.endswith(unknown)


def test_a_trailing_comma_in_a_cloudformation_json_template(tmp_path: Path) -> None:
    template = (
        '{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {\n'
        '  "ContainerDefinitions": [{"Name": "web", "Image": "nginx:1.27"},]}}}}\n'
    )
    path = tmp_path / "template.json"
    path.write_text(template, encoding="utf-8")
    ((rule, severity, message),) = _found(path)
    assert (rule, severity) == ("ECS004", "warning")
    assert "CloudFormation is reported to accept it" in message
    assert [(r, s) for r, s, _ in _found(path, "--target", "aws-cli")] == [("ECS004", "error")]


def test_an_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(DESCRIBED), encoding="utf-8")
    result = run("check", "--target", "pulumi", "td.json", cwd=tmp_path)
    assert result.returncode == 2 and "pulumi" in result.stderr
    (tmp_path / ".ecslint.toml").write_text('target = "terraform-cli"\n', encoding="utf-8")
    result = run("check", "td.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("ecslint: error: .ecslint.toml:1:10: target must be one of aws-cli,")
    assert "did you mean 'terraform'?" in result.stderr


def test_every_consumer_entry_names_a_known_consumer_and_its_texts_render() -> None:
    for rule in builtin().rules:
        for name, consumer in rule.consumers.items():
            assert name in (*CONSUMERS, UNKNOWN_CONSUMER)
            for variant in consumer.messages:
                text = rule.message(variant, {"key": "k", "keys": "'k'", "count": 2}, name)
                assert text and not text.endswith(".")


def test_a_bad_consumer_entry_is_a_rule_file_error() -> None:
    base = {
        "id": "TST001",
        "name": "t",
        "severity": "error",
        "consequence": "rejected",
        "summary": "Checks t.",
        "rationale": "r",
        "references": ["https://docs.aws.amazon.com/x"],
        "message": "m",
        "check": "x",
    }
    with pytest.raises(RuleFileError, match="unknown consumer 'pulumi'"):
        rule_from_mapping({**base, "consumers": {"pulumi": {"severity": "info"}}}, "t.yaml")
    rule = rule_from_mapping({**base, "consumers": {"terraform": {"severity": {"case": "info"}}}}, "t.yaml")
    assert rule.severity_for("case", "terraform") is Severity.INFO
    assert rule.severity_for("default", "terraform") is Severity.ERROR
    assert rule.severity_for("case", None) is Severity.ERROR


WORKFLOW = """name: Deploy to Amazon ECS
on: {push: {branches: [main]}}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Fill in the new image ID in the Amazon ECS task definition
        id: task-def
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: .aws/task-definition.json  # made with describe-task-definition
          container-name: web
          image: ${{ steps.build-image.outputs.image }}
      - name: Deploy Amazon ECS task definition
        uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with:
          task-definition: ${{ steps.task-def.outputs.task-definition }}
          service: web
          cluster: main
"""


def test_a_file_a_workflow_registers_with_the_deploy_action_is_read_as_the_action_reads_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "deploy.yml").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "task-definition.json").write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    result = run("check", "--format", "json", *SELECT, ".aws/task-definition.json", "other.json", cwd=tmp_path)
    found = [(f["path"], f["rule"], f["severity"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        (".aws/task-definition.json", "ECS025", "info"),
        (".aws/task-definition.json", "ECS022", "info"),
        (".aws/task-definition.json", "ECS026", "info"),
        ("other.json", "ECS025", "warning"),  # nothing names who registers it
        ("other.json", "ECS022", "warning"),
        ("other.json", "ECS026", "warning"),
    ]
    basis = json.loads(result.stdout)["findings"][0]["consumer"]
    assert basis == {
        "name": "deploy-action",
        "basis": ".github/workflows/deploy.yml hands it to amazon-ecs-deploy-task-definition",
    }
    # --target says otherwise, and wins
    forced = run("check", "--format", "json", *SELECT, "--target", "aws-cli", ".aws/task-definition.json", cwd=tmp_path)
    assert {f["severity"] for f in json.loads(forced.stdout)["findings"]} == {"error"}


def test_explain_and_the_rules_page_show_what_each_consumer_changes() -> None:
    explained = run("explain", "ECS020")
    assert "Who registers the file (--target; docs/consumers.md)" in explained.stdout
    assert "  terraform: warning; case: info: unknown key '{key}' in {parent}; Terraform drops it silently" in (
        explained.stdout
    )
    page = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "| `deploy-action` | info |" in page


def test_a_rule_whose_outcome_differs_between_plain_file_consumers_says_what_each_does() -> None:
    """Unknown consumer: an error only when every plain-file consumer rejects, and a message of its own."""
    for rule in builtin().rules:
        variants = {"default", *(v for c in rule.consumers.values() for v in c.severities)}
        for variant in variants:
            levels = {rule.severity_for(variant, name) for name in PLAIN_FILE_CONSUMERS}
            unknown = rule.severity_for(variant, UNKNOWN_CONSUMER)
            derived = Severity.WARNING if Severity.ERROR in levels and len(levels) > 1 else min(levels)
            assert unknown <= derived, rule.id  # a rule's own word for unknown may only lower it
            if UNKNOWN_CONSUMER not in rule.consumers or rule.consumers[UNKNOWN_CONSUMER].severity(variant) is None:
                assert unknown is min(levels) or (unknown is Severity.WARNING and Severity.ERROR in levels), rule.id
            if len(levels) > 1 and Severity.ERROR in levels and variant in rule.messages:
                texts = rule.consumers[UNKNOWN_CONSUMER].messages if UNKNOWN_CONSUMER in rule.consumers else {}
                assert variant in texts or "default" in texts, (rule.id, variant)


def test_unknown_takes_a_severity_of_its_own_only_to_lower_it() -> None:
    base = {
        "id": "TST001",
        "name": "t",
        "severity": "error",
        "consequence": "rejected",
        "summary": "Checks t.",
        "rationale": "r",
        "references": ["https://docs.aws.amazon.com/x"],
        "message": "m",
        "check": "x",
    }
    lowered = rule_from_mapping({**base, "consumers": {"unknown": {"severity": "info"}}}, "t.yaml")
    assert lowered.severity_for("default", UNKNOWN_CONSUMER) is Severity.INFO
    raised = rule_from_mapping({**base, "severity": "info", "consumers": {"unknown": {"severity": "error"}}}, "t.yaml")
    assert raised.severity_for("default", UNKNOWN_CONSUMER) is Severity.INFO  # never above what the tools give
    with pytest.raises(RuleFileError):
        rule_from_mapping({**base, "consumers": {"unknown": {"severity": "fatal"}}}, "t.yaml")
    rule = rule_from_mapping({**base, "consumers": {"deploy-action": {"severity": "info"}}}, "t.yaml")
    assert rule.severity_for("default", UNKNOWN_CONSUMER) is Severity.WARNING
    lenient = {"codedeploy": {"severity": "info"}}
    rule = rule_from_mapping({**base, "severity": "warning", "consumers": lenient}, "t.yaml")
    assert rule.severity_for("default", UNKNOWN_CONSUMER) is Severity.INFO  # no consumer rejects it


def test_the_deploy_action_lookup_resolves_links_as_path_resolve_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookups resolve each file's folder once and the file with one lstat: the same answers as
    with ``Path.resolve`` through folder and file links, ``..`` after a link, relative paths."""
    from ecslint.readers import workflows

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "deploy.yml").write_text(WORKFLOW, encoding="utf-8")
    (repo / ".aws" / "deep").mkdir(parents=True)
    (repo / ".aws" / "task-definition.json").write_text("{}")
    (repo / ".aws" / "other.json").write_text("{}")
    (tmp_path / "folder-link").symlink_to(repo / ".aws")
    (tmp_path / "deep-link").symlink_to(repo / ".aws" / "deep")
    (tmp_path / "file-link.json").symlink_to(repo / ".aws" / "task-definition.json")
    (repo / ".aws" / "relative-link.json").symlink_to("task-definition.json")
    (tmp_path / "outside.json").write_text("{}")
    monkeypatch.chdir(tmp_path)

    def before(path: str) -> bool:  # the lookup as it was: Path.resolve, then the repository
        file = Path(path).resolve()
        root = workflows._repository_root(file.parent)
        return root is not None and file in workflows._deployed_files(root)

    paths = [
        "repo/.aws/task-definition.json",
        "folder-link/task-definition.json",
        "deep-link/../task-definition.json",  # `..` after a link: the link's target's parent
        "file-link.json",
        "repo/.aws/relative-link.json",
        "repo/.aws/other.json",
        "outside.json",
        "missing.json",
        str(tmp_path / "folder-link" / "task-definition.json"),
        "folder-link/",
        ".",
    ]
    answers = {path: workflows.registered_by_deploy_action(path) for path in paths}
    assert answers == {path: before(path) for path in paths}
    inside = {path: workflows.in_repository(path) for path in paths}
    assert inside == {path: workflows._repository_root(Path(path).resolve().parent) is not None for path in paths}
    assert inside["file-link.json"] and not inside["outside.json"]
    assert answers["deep-link/../task-definition.json"] and answers["file-link.json"]
    assert not answers["repo/.aws/other.json"] and not answers["outside.json"]


def test_an_environment_file_without_the_env_extension_is_a_warning(tmp_path: Path) -> None:
    """The .env extension is documented, not enforced by the EC2 agent; a value that is not an S3
    object ARN fails the task (docs/facts.md 25.12). So only the extension case is lowered."""
    files = [{"type": "s3", "value": "arn:aws:s3:::config/web/app.txt"}, {"type": "s3", "value": "arn:aws:s3:::config"}]
    td = {"family": "web", "containerDefinitions": [json.loads(WEB) | {"environmentFiles": files}]}
    path = tmp_path / "td.json"
    path.write_text(json.dumps(td), encoding="utf-8")
    for target in ((), ("--target", "aws-cli"), ("--target", "deploy-action")):
        found = [(s, m) for r, s, m in _found(path, "--select", "ECS216", *target) if r == "ECS216"]
        assert [s for s, _ in found] == ["warning", "error"], target
        assert found[0][1].endswith("does not have the .env extension the AWS documentation asks for")


def test_the_text_report_says_once_per_file_who_registers_it_where_that_changes_a_finding(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "deploy.yml").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "task-definition.json").write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    result = run("check", "--select", "ECS025,ECS026,ECS210", ".aws/task-definition.json", "other.json", cwd=tmp_path)
    notes = [line for line in result.stdout.splitlines() if "checked as registered by" in line]
    assert notes == [
        "  checked as registered by deploy-action: "
        ".github/workflows/deploy.yml hands it to amazon-ecs-deploy-task-definition",
        "  checked as registered by an unknown tool: "
        "nothing names who registers it (--target or target = ... in the configuration says)",
    ]
    lines = result.stdout.splitlines()
    assert lines[lines.index(notes[0]) - 1].startswith("  hint: ")  # under the file's first finding's hint
    # a file whose findings the consumer does not change says nothing about it
    (tmp_path / "plain.json").write_text(
        json.dumps({"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:latest"}]}),
        encoding="utf-8",
    )
    plain = run("check", "--select", "ECS025,ECS210", "plain.json", cwd=tmp_path)
    assert "ECS210" in plain.stdout and "checked as registered" not in plain.stdout


def test_explain_gives_the_severity_for_each_consumer_from_the_catalogue() -> None:
    explained = run("explain", "ECS025").stdout
    section = explained.split("Severity by who registers the file (--target; docs/consumers.md)\n", 1)[1]
    assert section.split("\n\n", 1)[0].splitlines() == [
        "  aws-cli: error",
        "  deploy-action: info",
        "  codedeploy: warning",
        "  go-sdk: warning",
        "  unknown (nothing names it): warning",
        "  any other: error (the rule's own severity)",
    ]
    assert "  terraform: warning (case: info)" in run("explain", "ECS020").stdout
    assert "Severity by who registers the file" not in run("explain", "ECS101").stdout  # the same for all


def test_severities_by_consumer_follow_severity_for() -> None:
    for rule in builtin().rules:
        for name, level, variants in rule.severities_by_consumer():
            assert level == rule.severity_for("default", name), rule.id
            assert all(rule.severity_for(variant, name) == other for variant, other in variants), rule.id


def test_github_annotations_say_who_registers_the_file_where_that_changes_a_finding(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(DESCRIBED, indent=2), encoding="utf-8")
    result = run("check", "-f", "github", "--select", "ECS025,ECS210", "--target", "aws-cli", "td.json", cwd=tmp_path)
    (annotation,) = result.stdout.splitlines()
    assert annotation.startswith("::error file=td.json,line=2,")
    assert annotation.endswith("%0Achecked as registered by aws-cli: target (--target or the configuration)")


def test_a_number_where_a_string_belongs_is_an_error_only_where_a_refusal_is_known(tmp_path: Path) -> None:
    """The AWS CLI and Go refuse it; what ECS does when the deploy action's or CodePipeline's SDK
    sends it is not verified (docs/facts.md 28). A string where an integer belongs is refused by all."""
    td = {"family": "web", "memory": 512, "containerDefinitions": [{"name": "web", "image": "a:1", "memory": "512"}]}
    path = tmp_path / "td.json"
    path.write_text(json.dumps(td), encoding="utf-8")
    for target, number in ((), "warning"), (("--target", "aws-cli"), "error"), (("--target", "codedeploy"), "warning"):
        found = [(s, m) for r, s, m in _found(path, "--select", "ECS021", *target) if r == "ECS021"]
        assert [s for s, _ in found] == [number, "error"], target
        assert ("not verified" in found[0][1]) is (number == "warning")
    containers = tmp_path / "containers.json"  # Terraform's container definitions: Go's decoder refuses it
    containers.write_text(json.dumps([{"name": "web", "image": "a:1", "environment": [{"name": "P", "value": 80}]}]))
    assert [s for r, s, _ in _found(containers, "--select", "ECS021")] == ["error"]


def test_an_empty_string_the_deploy_action_removes_is_not_an_error_for_it(tmp_path: Path) -> None:
    td = {
        "family": "w",
        "containerDefinitions": [{"name": "a", "image": "a:1", "memory": 512, "memoryReservation": ""}],
    }
    path = tmp_path / "td.json"
    path.write_text(json.dumps(td), encoding="utf-8")
    levels = {
        target: [s for r, s, _ in _found(path, "--select", "ECS021", *target) if r == "ECS021"]
        for target in ((), ("--target", "aws-cli"), ("--target", "deploy-action"))
    }
    assert levels == {(): ["warning"], ("--target", "aws-cli"): ["error"], ("--target", "deploy-action"): ["info"]}


def test_a_service_in_a_template_is_sent_by_cloudformation(tmp_path: Path) -> None:
    template = (
        "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      NetworkMode: awsvpc\n"
        '      Cpu: "256"\n      Memory: "512"\n      ContainerDefinitions:\n        - Name: app\n'
        "          Image: example/app:1.4.2\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n"
        "      TaskDefinition: !Ref Task\n      LaunchType: FARGATE\n      NetworkConfiguration:\n"
        "        AwsvpcConfiguration:\n          Subnets: [subnet-0123456789abcdef0]\n"
    )
    (tmp_path / "stack.yaml").write_text(template, encoding="utf-8")
    result = run("check", "--format", "json", "--select", "ECS703", "stack.yaml", cwd=tmp_path)
    found = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["consumer"]["name"]) for f in found] == [("ECS703", "cloudformation")]
