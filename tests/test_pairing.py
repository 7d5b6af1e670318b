"""Services and run-task requests paired with task definitions from other files of the same run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.engine.pairing import Pairing, family_of
from ecslint.engine.pipeline import Engine
from ecslint.readers.sources import documents, parse, usage_kind

ECSLINT = Path(sys.executable).parent / "ecslint"
ENGINE = Engine(builtin())

TASK = {
    "family": "web",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "256",
    "memory": "512",
    "containerDefinitions": [{"name": "app", "image": "example/app:1.4.2", "portMappings": [{"containerPort": 3000}]}],
}
SERVICE = {
    "cluster": "prod",
    "serviceName": "web",
    "taskDefinition": "web:12",
    "launchType": "FARGATE",
    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0123456789abcdef0"]}},
    "loadBalancers": [
        {"targetGroupArn": "arn:aws:elasticloadbalancing:tg", "containerName": "web", "containerPort": 3000}
    ],
}
RUN_TASK = {
    "cluster": "jobs",
    "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12",
    "overrides": {"containerOverrides": [{"name": "worker", "command": ["migrate"]}], "memory": "4096"},
}


@pytest.mark.parametrize(
    ("reference", "family"),
    [
        ("web", "web"),
        ("web:12", "web"),
        ("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12", "web"),
        ("arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web", "web"),
        ("arn:aws:ecs:eu-west-1:123456789012:service/web", None),
        ("web:latest", None),
        ("${TASK_DEFINITION}", None),
        ("", None),
    ],
)
def test_family_of_a_reference(reference: str, family: str | None) -> None:
    assert family_of(reference) == family


def test_usage_files_are_recognised_by_content() -> None:
    assert usage_kind(SERVICE) == "service"  # type: ignore[arg-type]
    assert usage_kind({"service": "web", "taskDefinition": "web:3"}) == "service"  # update-service
    assert usage_kind(RUN_TASK) == "run-task"  # type: ignore[arg-type]
    assert usage_kind({"taskDefinition": {"family": "web"}}) is None  # describe-task-definition output
    assert usage_kind({"taskDefinition": "web", "family": "web"}) is None  # a task definition
    assert usage_kind({"taskDefinition": "web"}) is None  # nothing says what it is
    docs = documents(parse("service.json", json.dumps(SERVICE).encode())) or []
    assert [(doc.origin, doc.uses, doc.task) for doc in docs] == [("service", "web:12", None)]


def _pair(files: dict[str, dict[str, object]]) -> dict[str, list[tuple[str, str]]]:
    """Check ``files`` as one run (in memory): each file's (rule, pointer) findings of ECS7xx."""
    pairing: Pairing[str] = Pairing(ENGINE)
    found: dict[str, list[tuple[str, str]]] = {}
    for name, document in files.items():
        raw = json.dumps(document, indent=2).encode()
        result = ENGINE.check_bytes(name, raw)
        found[name] = [(f.rule_id, f.pointer) for f in result.findings if f.rule_id.startswith("ECS7")]
        pairing.note(name, name, None, result, raw, True)
    for name, result, _ in pairing.results():
        found[name] += [(f.rule_id, f.pointer) for f in result.findings]
    return found


def test_a_service_and_a_run_task_request_pair_with_the_task_definition() -> None:
    found = _pair({"service.json": SERVICE, "td.json": TASK, "run-task.json": RUN_TASK})
    assert found == {
        "service.json": [("ECS701", "/loadBalancers/0/containerName")],
        "td.json": [],
        "run-task.json": [
            ("ECS704", "/taskDefinition"),  # awsvpc: a run-task request needs a network configuration too
            ("ECS711", "/overrides/containerOverrides/0/name"),
            ("ECS713", "/overrides/memory"),
        ],
    }


def test_without_the_task_definition_only_what_needs_none_is_checked() -> None:
    large = {"taskDefinition": "web", "overrides": {"containerOverrides": [{"name": "x", "command": ["y" * 9000]}]}}
    assert _pair({"service.json": SERVICE, "run-task.json": large}) == {
        "service.json": [],
        "run-task.json": [("ECS712", "/overrides/containerOverrides")],
    }


def test_an_ambiguous_family_is_not_guessed() -> None:
    other = {**TASK, "containerDefinitions": [{"name": "web", "image": "example/web:2"}]}
    assert _pair({"a/td.json": TASK, "b/td.json": other, "service.json": SERVICE})["service.json"] == []


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ECSLINT), "check", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_cli_pairs_files_of_a_walked_folder_and_of_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "task-definition.json").write_text(json.dumps(TASK, indent=2), "utf-8")
    (tmp_path / "deploy" / "service.json").write_text(json.dumps(SERVICE, indent=2), "utf-8")
    walked = _run("--select", "ECS7", "--format", "json", ".", cwd=tmp_path)
    assert walked.returncode == 1, walked.stderr
    report = json.loads(walked.stdout)
    assert [(f["rule"], f["path"], f["line"]) for f in report["findings"]] == [("ECS701", "./deploy/service.json", 16)]
    named = _run("--select", "ECS7", "deploy/service.json", "deploy/task-definition.json", cwd=tmp_path)
    assert named.returncode == 1
    assert (
        "deploy/service.json:16:" in named.stdout and "ECS701 error load balancer names container 'web'" in named.stdout
    )
    alone = _run("--select", "ECS7", "deploy/service.json", cwd=tmp_path)
    assert alone.returncode == 0, alone.stdout  # its task definition is not in the run: nothing is guessed


def test_cli_pairs_across_worker_processes(tmp_path: Path) -> None:
    """With -j the files are checked in other processes; the pairing still happens, once."""
    for number in range(80):
        (tmp_path / f"td-{number:02}.json").write_text(json.dumps({**TASK, "family": f"web{number}"}), "utf-8")
    (tmp_path / "zz-service.json").write_text(json.dumps({**SERVICE, "taskDefinition": "web7"}), "utf-8")
    result = _run("--select", "ECS7", "--format", "json", "-j", "2", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [(f["rule"], f["path"]) for f in report["findings"]] == [("ECS701", "./zz-service.json")]
    assert report["summary"]["files"] == 81


def test_a_suppression_in_a_usage_file_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(TASK), "utf-8")
    (tmp_path / "service.yaml").write_text(
        "serviceName: web\ntaskDefinition: web\nnetworkConfiguration: {awsvpcConfiguration: {subnets: [s]}}\n"
        "loadBalancers:\n  - containerName: web  # ecslint: ignore[ECS701]\n    containerPort: 3000\n",
        "utf-8",
    )
    result = _run("--select", "ECS7", "--report-unused-ignores", "td.json", "service.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "ECS090" not in result.stdout


def test_a_file_grown_past_the_limit_since_it_was_checked_is_not_read_again(tmp_path: Path) -> None:
    from ecslint.engine.pairing import _read
    from ecslint.readers.sources import MAX_FILE_BYTES

    path = tmp_path / "td.json"
    with path.open("wb") as handle:  # sparse: no disk, but reading it whole would need the memory
        handle.truncate(MAX_FILE_BYTES * 200)
    assert _read(str(path)) is None
    path.write_text("{}")
    assert _read(str(path)) == b"{}"


def test_cli_judges_command_and_environment_overrides_with_the_containers_entry_point(tmp_path: Path) -> None:
    task = {
        "family": "jobs",
        "containerDefinitions": [
            {"name": "app", "image": "example/app:1.4.2", "memory": 512},
            {"name": "shell", "image": "example/app:1.4.2", "memory": 512, "entryPoint": ["sh", "-c"]},
        ],
    }
    request = {
        "cluster": "jobs",
        "taskDefinition": "jobs:3",
        "overrides": {
            "containerOverrides": [
                {
                    "name": "app",
                    "command": ["python manage.py migrate"],
                    "environment": [{"name": "A-B", "value": "1"}],
                },
                {"name": "shell", "command": ["python manage.py migrate"]},
                {"name": "shell", "command": ["python", "manage.py", "migrate"]},
            ]
        },
    }
    (tmp_path / "td.json").write_text(json.dumps(task, indent=2), "utf-8")
    (tmp_path / "run-task.json").write_text(json.dumps(request, indent=2), "utf-8")
    result = _run("--select", "ECS714,ECS715", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # warnings only
    found = [(f["rule"], f["pointer"], f["severity"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [  # one file's findings of both passes, in order
        ("ECS714", "/overrides/containerOverrides/0/command/0", "warning"),
        ("ECS715", "/overrides/containerOverrides/0/environment/0/name", "warning"),
        ("ECS714", "/overrides/containerOverrides/2/command/1", "warning"),
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_reports_a_paired_file_in_its_place_among_the_files(tmp_path: Path, jobs: str) -> None:
    """The second pass of a file with usages comes after every file is checked; the report still
    lists files in order, each file's findings in order."""
    (tmp_path / "a-service.json").write_text(json.dumps(SERVICE, indent=2), "utf-8")
    (tmp_path / "b-td.json").write_text(json.dumps(TASK, indent=2), "utf-8")
    (tmp_path / "c-other.json").write_text(json.dumps({**TASK, "family": "other", "cpu": "3 cores"}), "utf-8")
    result = _run("--format", "json", "-j", jobs, ".", cwd=tmp_path)
    report = json.loads(result.stdout)
    paths = [f["path"] for f in report["findings"]]
    assert "./a-service.json" in paths and "./c-other.json" in paths, paths
    assert paths == sorted(paths, key=["./a-service.json", "./b-td.json", "./c-other.json"].index)
    own = [(f["line"], f["column"]) for f in report["findings"] if f["path"] == "./a-service.json"]
    assert own == sorted(own) and any(f["rule"] == "ECS701" for f in report["findings"])
