"""Terraform services paired with the task definition of another ``.tf`` file of their module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.core.model import Finding
from ecslint.engine import pairing as pairing_module
from ecslint.engine.pairing import Pairing
from ecslint.engine.pipeline import Engine
from ecslint.readers.terraform import task_reference

ECSLINT = Path(sys.executable).parent / "ecslint"
ENGINE = Engine(builtin())

TASK = """\
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    { name = "app", image = "example/app:1.4.2", memory = 256, portMappings = [{ containerPort = 80 }] }
  ])
}
"""
SERVICE = """\
resource "aws_ecs_service" "app" {
  name            = "app"
  task_definition = aws_ecs_task_definition.app.arn
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "web"
    container_port   = 80
  }
}
"""
MISSING = ("ECS701", "/resource/aws_ecs_service/app/load_balancer/0/container_name", 6, 24)


def _run(folder: Path, *names: str) -> dict[str, list[tuple[str, str, int, int]]]:
    """Check ``names`` (files of ``folder``) as one run does: each file's ECS7xx findings."""
    pairing: Pairing[str] = Pairing(ENGINE)
    found: dict[str, list[tuple[str, str, int, int]]] = {}
    for name in names:
        path = str(folder / name)
        raw = (folder / name).read_bytes()
        result = ENGINE.check_bytes(path, raw)
        found[name] = _ecs7(result.findings)
        if result.families or result.uses:
            pairing.note(name, path, path, result, raw, True)
    for name, result, _ in pairing.results():
        found[name] += _ecs7(result.findings)
    return found


def _ecs7(findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [
        (f.rule_id, f.pointer, f.span.start.line, f.span.start.column)
        for f in findings
        if f.rule_id.startswith("ECS7") and f.span is not None
    ]


def _module(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("aws_ecs_task_definition.app.arn", "aws_ecs_task_definition.app"),
        ("aws_ecs_task_definition.app.arn_without_revision", "aws_ecs_task_definition.app"),
        ('"${aws_ecs_task_definition.app.family}"', "aws_ecs_task_definition.app"),
        ("aws_ecs_task_definition.app.id", "aws_ecs_task_definition.app"),
        (
            '"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"',
            "aws_ecs_task_definition.app",
        ),
        ("aws_ecs_task_definition.app[01].arn", "aws_ecs_task_definition.app[1]"),
        ('aws_ecs_task_definition.app[ "web" ].arn', 'aws_ecs_task_definition.app["web"]'),
        ('"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.api.revision}"', None),
        ("aws_ecs_task_definition.app[count.index].arn", None),
        ("aws_ecs_task_definition.app[each.key].arn", None),
        ("each.value.arn", None),
        ("data.aws_ecs_task_definition.app.arn", None),
        ("module.app.task_definition_arn", None),
        ("aws_ecs_task_definition.app.revision", None),
        ("var.task_definition", None),
    ],
)
def test_what_a_task_definition_argument_refers_to(text: str, reference: str | None) -> None:
    assert task_reference(text) == reference


def test_a_service_pairs_with_the_task_definition_of_another_file_of_its_folder(tmp_path: Path) -> None:
    _module(tmp_path, {"taskdef.tf": TASK, "service.tf": SERVICE})
    assert _run(tmp_path, "service.tf") == {"service.tf": [MISSING]}  # its sibling is read from disk
    assert _run(tmp_path, "service.tf", "taskdef.tf") == {"service.tf": [MISSING], "taskdef.tf": []}
    fixed = SERVICE.replace('"web"', '"app"')
    (tmp_path / "service.tf").write_text(fixed, "utf-8")
    assert _run(tmp_path, "service.tf") == {"service.tf": []}


def test_a_service_alone_in_its_file_is_no_longer_not_a_task_definition(tmp_path: Path) -> None:
    result = ENGINE.check_bytes(str(tmp_path / "service.tf"), SERVICE.encode())
    assert (result.is_task_definition, [f.rule_id for f in result.findings], result.uses) == (
        True,
        [],
        ["aws_ecs_task_definition.app"],
    )


@pytest.mark.parametrize(
    ("count", "reference", "paired"),
    [
        ("count = 2", "aws_ecs_task_definition.app[1].arn", True),
        ("count = 2", "aws_ecs_task_definition.app[2].arn", False),  # no such instance
        ("count = 2", "aws_ecs_task_definition.app.arn", False),  # Terraform wants an instance key
        ("count = var.replicas", "aws_ecs_task_definition.app[0].arn", False),  # known at plan time
        ('for_each = toset(["web", "api"])', 'aws_ecs_task_definition.app["api"].arn', True),
        ("for_each = { web = 1 }", 'aws_ecs_task_definition.app["web"].arn', True),
        ("for_each = { web = 1 }", 'aws_ecs_task_definition.app["api"].arn', False),
        ("for_each = var.apps", 'aws_ecs_task_definition.app["web"].arn', False),
        ("", "aws_ecs_task_definition.app[0].arn", False),  # not a counted resource
    ],
)
def test_count_and_for_each_pair_only_a_literal_instance_key(
    tmp_path: Path, count: str, reference: str, paired: bool
) -> None:
    task = TASK.replace('  family = "app"\n', f'  {count}\n  family = "app"\n')
    service = SERVICE.replace("aws_ecs_task_definition.app.arn", reference)
    _module(tmp_path, {"taskdef.tf": task, "service.tf": service})
    assert _run(tmp_path, "service.tf") == {"service.tf": [MISSING] if paired else []}
    both = _module(tmp_path / "same", {"main.tf": task + "\n" + service})  # the same in one file
    assert bool(_run(both, "main.tf")["main.tf"]) is paired


def test_each_value_and_references_to_data_sources_or_modules_are_not_paired(tmp_path: Path) -> None:
    services = [
        SERVICE.replace("aws_ecs_task_definition.app.arn", other)
        for other in ("each.value.arn", "data.aws_ecs_task_definition.app.arn", "module.app.task_definition_arn")
    ]
    _module(tmp_path, {"taskdef.tf": TASK, "service.tf": "\n".join(services)})
    assert _run(tmp_path, "service.tf", "taskdef.tf") == {"service.tf": [], "taskdef.tf": []}


def test_a_resource_declared_in_two_files_is_not_guessed(tmp_path: Path) -> None:
    other = TASK.replace('name = "app"', 'name = "web"')  # would make the service right
    _module(tmp_path, {"a.tf": TASK, "b.tf": other, "service.tf": SERVICE})
    assert _run(tmp_path, "service.tf") == {"service.tf": []}  # Terraform: Duplicate resource


def test_a_resource_an_override_file_declares_again_is_not_guessed(tmp_path: Path) -> None:
    _module(tmp_path, {"taskdef.tf": TASK, "service.tf": SERVICE, "app_override.tf": TASK})
    assert _run(tmp_path, "service.tf") == {"service.tf": []}
    (tmp_path / "app_override.tf").rename(tmp_path / "override.tf")
    assert _run(tmp_path, "service.tf") == {"service.tf": []}


@pytest.mark.parametrize("name", ["taskdef.tf.bak", "taskdef.txt", ".taskdef.tf", "taskdef.tf~", "#taskdef.tf#"])
def test_files_that_are_not_part_of_the_module_are_not_read(tmp_path: Path, name: str) -> None:
    _module(tmp_path, {name: TASK, "service.tf": SERVICE})
    assert _run(tmp_path, "service.tf") == {"service.tf": []}


def test_nested_folders_are_separate_modules(tmp_path: Path) -> None:
    _module(tmp_path, {"service.tf": SERVICE})
    _module(tmp_path / "task", {"taskdef.tf": TASK})
    _module(tmp_path / "task" / "inner", {"service.tf": SERVICE})
    assert _run(tmp_path, "service.tf", "task/taskdef.tf", "task/inner/service.tf") == {
        "service.tf": [],
        "task/taskdef.tf": [],
        "task/inner/service.tf": [],
    }


def test_a_sibling_that_cannot_be_read_or_parsed_is_left_out_without_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = TASK.replace('family = "app"', "family = ")
    _module(tmp_path, {"broken.tf": broken, "service.tf": SERVICE})
    (tmp_path / "folder.tf").mkdir()
    os.mkfifo(tmp_path / "pipe.tf")  # opening it would block the run
    (tmp_path / "dangling.tf").symlink_to(tmp_path / "nowhere.tf")
    assert _run(tmp_path, "service.tf") == {"service.tf": []}
    (tmp_path / "broken.tf").write_text(TASK + "# " + "-" * len(SERVICE), "utf-8")
    assert _run(tmp_path, "service.tf") == {"service.tf": [MISSING]}
    monkeypatch.setattr(pairing_module, "MAX_FILE_BYTES", len(SERVICE))  # the same limit as the run's files
    assert _run(tmp_path, "service.tf") == {"service.tf": []}


def test_the_module_is_read_once_per_folder_and_never_for_a_task_definition_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str | None] = []
    module = pairing_module._module

    def counted(folder: str) -> list[pairing_module.Document]:
        read.append(folder)
        return module(folder)

    monkeypatch.setattr(pairing_module, "_module", counted)
    _module(tmp_path, {"taskdef.tf": TASK, "a.tf": SERVICE, "b.tf": SERVICE.replace('"app" {', '"b" {')})
    assert _run(tmp_path, "taskdef.tf") == {"taskdef.tf": []}
    assert read == []
    same = SERVICE + "\n" + TASK  # its task definition in its own file: nothing else is read
    _module(tmp_path / "same", {"main.tf": same, "other.tf": TASK.replace('"app" {', '"b" {')})
    assert _run(tmp_path / "same", "main.tf") == {"main.tf": [MISSING]}
    assert read == []
    found = _run(tmp_path, "a.tf", "b.tf", "taskdef.tf")
    assert found["a.tf"] == [MISSING] and [f[0] for f in found["b.tf"]] == ["ECS701"]
    assert read == [str(tmp_path)]


def test_a_catalogue_example_pairs_with_a_terraform_file_beside_it() -> None:
    from ecslint.catalogue.entries import Example
    from ecslint.engine.examples import check_example

    example = Example("bad", None, SERVICE, (), (), filename="service.tf", beside=(("taskdef.tf", TASK),))
    result = check_example(ENGINE, example)
    assert [f.rule_id for f in result.findings if f.rule_id.startswith("ECS7")] == ["ECS701"]


# -- through the console script ------------------------------------------------------------------


def _ecslint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ECSLINT), "check", "--select", "ECS7", "--format", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int, int]]:
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    return [(f["rule"], f["path"], f["line"], f["column"]) for f in report["findings"]]


def test_cli_a_folder_each_file_alone_and_parallel_workers(tmp_path: Path) -> None:
    _module(tmp_path / "infra", {"taskdef.tf": TASK, "service.tf": SERVICE, "variables.tf": 'variable "x" {}\n'})
    for number in range(40):  # enough files for two workers to share
        _module(tmp_path / "infra" / f"m{number:02}", {"main.tf": TASK.replace('"app"', f'"app{number}"')})
    expected = [("ECS701", "infra/service.tf", 6, 24)]
    folder = _ecslint("infra", cwd=tmp_path)
    assert (folder.returncode, _findings(folder)) == (1, expected)
    alone = _ecslint("infra/service.tf", cwd=tmp_path)
    assert (alone.returncode, _findings(alone)) == (1, expected)
    every_rule = _ecslint("--select", "ECS", "infra/service.tf", cwd=tmp_path)  # the task definition's own
    assert {path for _, path, _, _ in _findings(every_rule)} == {"infra/service.tf"}  # findings are not reported
    assert json.loads(every_rule.stdout)["summary"]["files"] == 1
    task_alone = _ecslint("infra/taskdef.tf", cwd=tmp_path)  # the service is not in the run: not reported
    assert (task_alone.returncode, _findings(task_alone)) == (0, [])
    serial = _ecslint("-j", "1", "infra", cwd=tmp_path)
    parallel = _ecslint("-j", "2", "infra", cwd=tmp_path)
    assert _findings(parallel) == _findings(serial) == expected
    assert json.loads(parallel.stdout)["summary"] == json.loads(serial.stdout)["summary"]
