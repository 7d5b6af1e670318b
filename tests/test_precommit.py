"""The pre-commit hook, run for real with `pre-commit try-repo` against this repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GOOD = {
    "family": "web",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "256",
    "memory": "512",
    "containerDefinitions": [
        {"name": "web", "image": "nginx:1.27", "readonlyRootFilesystem": True, "user": "101",
         "healthCheck": {"command": ["CMD-SHELL", "true"]},
         "logConfiguration": {"logDriver": "awslogs", "options": {
             "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web"}}}
    ],
    "executionRoleArn": "arn:aws:iam::210987654321:role/web-execution",
}  # fmt: skip
BAD_TF = """resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "4096"
  network_mode             = "awsvpc"
  execution_role_arn       = "arn:aws:iam::210987654321:role/web-execution"
  container_definitions = jsonencode([{ name = "web", image = "nginx:1.27", essential = true }])
}
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_fails_on_the_bad_file_and_passes_the_good_one(tmp_path: Path) -> None:
    assert PRE_COMMIT.exists(), "pre-commit is missing: install the test extra"
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    (project / "good.json").write_text(json.dumps(GOOD, indent=2) + "\n")
    bad = {**GOOD, "cpu": "256", "memory": "4096"}
    (project / "bad.json").write_text(json.dumps(bad, indent=2) + "\n")
    (project / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    _git(project, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "try-repo", str(REPO), "ecslint", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    failing = try_repo("bad.json", "good.json", "package.json")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "bad.json:8:13: ECS102 error memory 4096 is not offered with cpu 256 on Fargate" in failing.stdout
    assert "good.json:" not in failing.stdout and "package.json" not in failing.stdout
    passing = try_repo("good.json", "package.json")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout

    # Terraform: the hook runs on .tf files too; a .tf or .tfvars file without a task definition is skipped
    (project / "ecs.tf").write_text(BAD_TF)
    (project / "s3.tf").write_text('resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n')
    (project / "prod.tfvars").write_text('region = "eu-west-1"\n')
    _git(project, "add", ".")
    terraform = try_repo("ecs.tf", "s3.tf", "prod.tfvars")
    assert terraform.returncode == 1, terraform.stdout + terraform.stderr
    assert (
        "ecs.tf:5:30: ECS102 error aws_ecs_task_definition.web: memory 4096 is not offered with cpu 256 on Fargate"
        in terraform.stdout
    )
    assert "s3.tf" not in terraform.stdout and "prod.tfvars" not in terraform.stdout
    (project / "ecs.tf").write_text(BAD_TF.replace("4096", "512"))
    assert try_repo("ecs.tf", "s3.tf", "prod.tfvars").returncode == 0

    # a service changed alone is checked with the task definition of the module's other file
    service = 'resource "aws_ecs_service" "web" {\n  task_definition = aws_ecs_task_definition.web.arn\n'
    (project / "service.tf").write_text(service + '  load_balancer {\n    container_name = "app"\n  }\n}\n')
    _git(project, "add", ".")
    paired = try_repo("service.tf")
    assert paired.returncode == 1, paired.stdout + paired.stderr
    assert "service.tf:4:22: ECS701 error aws_ecs_service.web: load balancer names container 'app'" in paired.stdout
    assert "ecs.tf" not in paired.stdout  # the task definition's own findings belong to a run that holds it


def test_the_hook_covers_terraform_files() -> None:
    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe", pure=True).load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["types_or"] == ["json", "yaml", "terraform"]
