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
