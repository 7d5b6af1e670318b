"""End-to-end: the installed ``ecslint`` console script, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each case runs the console script in a new process

ECSLINT = Path(sys.executable).parent / "ecslint"
GOOD = {
    "family": "web",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "256",
    "memory": "512",
    "executionRoleArn": "arn:aws:iam::123456789013:role/ecsTaskExecutionRole",
    "containerDefinitions": [
        {
            "name": "web",
            "image": "nginx:1.27",
            "essential": True,
            "readonlyRootFilesystem": True,
            "user": "101:101",
            "healthCheck": {"command": ["CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1"]},
            "portMappings": [{"containerPort": 80}],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": "/ecs/web",
                    "awslogs-region": "eu-west-1",
                    "awslogs-stream-prefix": "web",
                },
            },
        }
    ],
}


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    completed = subprocess.run(
        [str(ECSLINT), *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=120, check=False
    )
    result = subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(GOOD, indent=2))
    return path


def test_console_script_is_installed() -> None:
    assert ECSLINT.exists(), f"{ECSLINT} is missing: install the project with pip first"


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("ecslint ")


def test_clean_file_exits_zero(good_file: Path) -> None:
    result = run("check", str(good_file))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "No problems found in 1 file."


def test_seed_example_reports_every_problem(seed_path: Path) -> None:
    result = run("check", "--format", "json", str(seed_path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    found = {(f["rule"], f["pointer"], f["line"], f["column"]) for f in report["findings"]}
    assert ("ECS002", "", 2, 2) in found  # the curly quotes come first, at line 2, column 2
    assert ("ECS202", "/family", 2, 13) in found  # タスク名
    # the three placeholder account ids are one mistake: one finding, at the first, listing all three
    (placeholder,) = [f for f in report["findings"] if f["rule"] == "ECS304"]
    assert (placeholder["pointer"], placeholder["line"], placeholder["column"]) == ("/taskRoleArn", 3, 31)
    assert placeholder["message"].endswith("; 2 more on lines 4, 9")
    assert [(o["pointer"], o["line"], o["column"]) for o in placeholder["occurrences"]] == [
        ("/taskRoleArn", 3, 31),
        ("/executionRoleArn", 4, 36),
        ("/containerDefinitions/0/image", 9, 14),
    ]
    latest = [f for f in report["findings"] if f["rule"] == "ECS210"]
    assert [(f["severity"], f["line"]) for f in latest] == [("warning", 9)]
    by_severity = {
        severity: sorted({f["rule"] for f in report["findings"] if f["severity"] == severity})
        for severity in ("error", "warning", "info")
    }
    assert by_severity == {
        "error": ["ECS002", "ECS202", "ECS304"],
        # also true: ':latest', readonlyRootFilesystem false, one role for task and execution, no health check
        "warning": ["ECS210", "ECS602", "ECS611"],
        "info": ["ECS505"],
    }


def test_text_output_shows_the_line_and_a_caret(seed_path: Path) -> None:
    result = run("check", str(seed_path))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{seed_path}:2:2: ECS002 error typographic quote")
    assert "\x1b[" not in result.stdout
    assert result.stdout.rstrip().endswith("in 1 file.")


def test_stdin(good_file: Path) -> None:
    result = run("check", "-", stdin=good_file.read_bytes())
    assert result.returncode == 0
    text = b'{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 64}],}'
    bad = run("check", "--target", "aws-cli", "--stdin-filename", "td.json", "-", stdin=text)
    assert bad.returncode == 1
    assert "td.json:1:97: ECS004 error trailing comma before the closing bracket" in bad.stdout.splitlines()


def test_folder_walk_skips_files_that_are_not_task_definitions(tmp_path: Path, good_file: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "notes.txt").write_text("hello")
    nested = tmp_path / "deploy"
    nested.mkdir()
    (nested / "td.yaml").write_text("family: api\ncontainerDefinitions:\n  - name: api\n    image: api:1\n")
    result = run("check", "--format", "json", str(tmp_path))
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 2
    assert {Path(f["path"]).name for f in report["findings"]} <= {"td.yaml"}


def test_named_file_that_is_not_a_task_definition(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text('{"name": "x", "version": "1.0.0"}')
    result = run("check", str(path))
    assert result.returncode == 1
    assert "ECS013 error not an ECS task definition" in result.stdout


def test_missing_file_is_exit_2_with_the_path(tmp_path: Path, good_file: Path) -> None:
    missing = tmp_path / "nope.json"
    result = run("check", str(good_file), str(missing))
    assert result.returncode == 2
    assert f"ecslint: error: {missing}: no such file or directory" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("check", "--format", "xml", "x.json").returncode == 2
    assert run("check", "--fail-on", "sometimes", "x.json").returncode == 2
    assert run("no-such-command").returncode == 2
    assert run("explain", "ECS999").returncode == 2


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(tmp_path: Path, fail_on: str, expected: int) -> None:
    document = json.loads(json.dumps(GOOD))
    document["containerDefinitions"][0]["image"] = "nginx:latest"  # a warning only
    path = tmp_path / "td.json"
    path.write_text(json.dumps(document))
    assert run("check", "--fail-on", fail_on, str(path)).returncode == expected


def test_output_file_and_unwritable_output(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = run("check", "--format", "sarif", "--output", str(out), str(seed_path))
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"
    blocked = run("check", "--output", str(tmp_path / "no" / "such" / "dir" / "r.txt"), str(seed_path))
    assert blocked.returncode == 2 and "cannot write the report" in blocked.stderr


def test_github_format(seed_path: Path) -> None:
    result = run("check", "--format", "github", str(seed_path))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(f"::error file={seed_path},line=2,col=2")


def test_rules_and_explain() -> None:
    listing = run("rules")
    assert listing.returncode == 0 and "ECS101" in listing.stdout and "unsupported-fargate-size" in listing.stdout
    by_id = run("explain", "ECS102")
    by_name = run("explain", "unsupported-fargate-size")
    assert by_id.returncode == 0 and by_id.stdout == by_name.stdout
    for heading in ("What it does", "Why it matters", "Example", "Use instead", "AWS reference"):
        assert heading in by_id.stdout
    assert json.loads(run("rules", "--format", "json").stdout)[0]["id"] == "ECS001"


def test_bundled_examples_run(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    result = run("check", "--format", "json", str(examples))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    flagged = {Path(f["path"]).relative_to(examples).as_posix() for f in report["findings"]}
    assert flagged == {
        "broken/fargate-mistakes.json",
        "broken/seed-task-definition.json",
        "services/cli/run-task.json",  # paired by family with task-definition.json beside it
        "services/cli/service.json",
        "services/cli/task-definition.json",
        "services/jobs/migrate.json",
        "services/jobs/release.asl.json",  # a Step Functions state paired with migrate.json beside it
        "services/main.tf",
        "services/module/service.tf",  # its task definition in the module's other file
        "services/module/taskdef.tf",
        "services/nightly.yaml",
        "services/schedule.tf",
        "services/stack.yaml",
    }
    assert report["summary"]["files"] == 19


def test_errors_from_evidence_end_to_end(tmp_path: Path) -> None:
    """Issue 12: what AWS rejects or what fails the task is an error, with the message naming the outcome."""
    document = {
        "family": "web",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["EC2"],
        "cpu": "2 cores",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "",
                "memory": 512,
                "portMappings": [{"containerPort": 3000}, {"containerPort": 3000}],
                "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 4096}],
                "dependsOn": [{"containerName": "proxy", "condition": "HEALTHY"}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-grup": "/ecs/web", "awslogs-region": "eu-west-1"},
                },
            },
            {"name": "proxy", "image": "example/proxy:1.4.0", "memory": 128},
        ],
    }
    (tmp_path / "td.json").write_text(json.dumps(document, indent=2))
    # registered with the AWS CLI (with no evidence of who registers it, the empty image is a warning:
    # no tool registers it as written, so a deploy step plainly fills it in; tests/test_consumers.py)
    result = run("check", "--no-config", "--target", "aws-cli", "--format", "json", "td.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    errors = {(f["rule"], f["pointer"]) for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"}
    assert {
        ("ECS023", "/containerDefinitions/0/image"),  # "image": "" as a missing image
        ("ECS114", "/cpu"),  # "Invalid 'cpu' setting for task."
        ("ECS123", "/containerDefinitions/0/portMappings/1/containerPort"),  # mapped multiple times in task
        ("ECS217", "/containerDefinitions/0/ulimits/0/softLimit"),  # runc: error setting rlimit
        ("ECS233", "/containerDefinitions/0/dependsOn/0/condition"),  # waits forever
        ("ECS404", "/containerDefinitions/0/logConfiguration/options/awslogs-grup"),  # disallows options
    } <= errors
    assert not any(rule == "ECS122" for rule, _ in errors)


def test_a_file_holding_one_container_definition_gets_its_findings_not_ecs013(tmp_path: Path) -> None:
    (tmp_path / "api.json").write_text('{"name": "api", "image": "example/api:1", "essential": true, "memory": "512"}')
    done = run("check", "--format", "json", "--select", "ECS0", str(tmp_path / "api.json"))
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["rule"], finding["pointer"], finding["line"]) == ("ECS021", "/memory", 1), finding
    walked = run("check", "--format", "json", "--select", "ECS0", str(tmp_path))
    assert [f["rule"] for f in json.loads(walked.stdout)["findings"]] == ["ECS021"]  # a folder walk finds it too


def test_a_terraform_template_file_gets_no_template_variable_warning(tmp_path: Path) -> None:
    text = '[{"name": "${name}", "image": "${repo}:${tag}", "memory": 512, "essential": true}]'
    (tmp_path / "containers.json.tftpl").write_text(text)
    (tmp_path / "containers.json").write_text(text)
    rules = {
        name: [f["rule"] for f in json.loads(run("check", "--format", "json", str(tmp_path / name)).stdout)["findings"]]
        for name in ("containers.json.tftpl", "containers.json")
    }
    assert "ECS305" not in rules["containers.json.tftpl"]  # templatefile() renders it
    assert "ECS305" in rules["containers.json"]  # file() would send ${name} as it is


STACK_OF_THREE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: api
      ExecutionRoleArn: "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole"
      ContainerDefinitions:
        - Name: api
          Image: "nginx:1.27"
          Environment: [{Name: STAGE, Value: "${STAGE}"}]
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: worker
      ExecutionRoleArn: "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole"
      ContainerDefinitions:
        - Name: worker
          Image: "<IMAGE1_NAME>"
          Environment: [{Name: STAGE, Value: "${STAGE}"}]
  Cron:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: cron
      ExecutionRoleArn: "arn:aws:iam::<ACCOUNT_ID>:role/ecsTaskExecutionRole"
      ContainerDefinitions:
        - Name: cron
          Image: "nginx:1.27"
"""


def test_a_placeholder_and_the_template_variables_of_a_file_are_one_finding_each(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_text(STACK_OF_THREE)
    select = ("check", "--no-config", "--select", "ECS304,ECS305")
    text = run(*select, "--format", "concise", "stack.yaml", cwd=tmp_path)
    assert text.returncode == 1
    assert text.stdout.splitlines()[:2] == [
        "stack.yaml:7:39: ECS304 error Api, Worker, Cron: '<ACCOUNT_ID>' is a placeholder, not an AWS account id; "
        "2 more on lines 16, 25",
        "stack.yaml:11:47: ECS305 warning Api, Worker: template variables that ECS takes literally: "
        "'${STAGE}', '<IMAGE1_NAME>' (3 occurrences on lines 11, 19-20)",
    ]
    found = json.loads(run(*select, "--format", "json", "stack.yaml", cwd=tmp_path).stdout)["findings"]
    assert [(f["rule"], f["line"], [o["line"] for o in f["occurrences"]]) for f in found] == [
        ("ECS304", 7, [7, 16, 25]),
        ("ECS305", 11, [11, 19, 20]),
    ]
    sarif = json.loads(run(*select, "--format", "sarif", "stack.yaml", cwd=tmp_path).stdout)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["properties"]["occurrences"], len(r["relatedLocations"])) for r in results] == [
        ("ECS304", 3, 2),
        ("ECS305", 3, 2),
    ]


def test_a_codedeploy_image_placeholder_and_template_variables_are_one_finding(tmp_path: Path) -> None:
    document = {
        "family": "web",
        "containerDefinitions": [
            {"name": "web", "image": "<IMAGE1_NAME>", "environment": [{"name": "STAGE", "value": "${STAGE}"}]}
        ],
    }
    (tmp_path / "taskdef.json").write_text(json.dumps(document, indent=2))
    # the AWS CLI registers it as written: both are taken literally (before: two ECS305 findings)
    result = run(
        "check", "--no-config", "--select", "ECS305", "--target", "aws-cli", "-f", "json", "taskdef.json", cwd=tmp_path
    )
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["message"] == (
        "template variables that ECS takes literally: '<IMAGE1_NAME>', '${STAGE}' (2 occurrences on lines 6, 10)"
    )
