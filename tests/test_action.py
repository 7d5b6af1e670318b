"""The GitHub Action's steps, run locally as the runner would run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from jsonschema import Draft7Validator
from ruamel.yaml import YAML

from tests.conftest import REPO, SARIF_SCHEMA

BIN = Path(sys.executable).parent


def _action() -> dict:  # type: ignore[type-arg]
    return YAML(typ="safe", pure=True).load((REPO / "action.yml").read_text())  # type: ignore[no-any-return]


def _run_check_step(workspace: Path, inputs: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    action = _action()
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(workspace / "github-output.txt"),
        "GITHUB_ACTION_PATH": str(REPO),
    }
    for key, expression in step["env"].items():
        name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = values[name]
    # GitHub runs composite bash steps as: bash --noprofile --norc -eo pipefail {0}
    script = workspace / "step.sh"
    script.write_text(step["run"])
    shell = shutil.which("bash") or "/bin/bash"
    completed = subprocess.run(
        [shell, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return completed, workspace / "github-output.txt"


def _workspace(tmp_path: Path, seed: Path) -> Path:
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    (deploy / "seed.json").write_bytes(seed.read_bytes())
    (deploy / "package.json").write_text('{"name": "web"}')
    return tmp_path


def test_action_metadata_is_complete() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "config", "fail-on", "format", "sarif-file"}
    assert "sarif-file" in action["outputs"]


def test_check_step_writes_sarif_annotates_and_fails(tmp_path: Path, seed_path: Path) -> None:
    workspace = _workspace(tmp_path, seed_path)
    completed, output = _run_check_step(workspace, {"paths": "deploy/"})
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout.startswith("::error file=deploy/seed.json,line=2,col=2")
    assert "sarif-file=ecslint.sarif" in output.read_text().splitlines()
    sarif = json.loads((workspace / "ecslint.sarif").read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    errors = list(Draft7Validator(schema).iter_errors(sarif))
    assert not errors, errors[0].message
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"ECS002", "ECS202", "ECS304", "ECS210"}


def test_fail_on_never_passes_and_still_writes_sarif(tmp_path: Path, seed_path: Path) -> None:
    workspace = _workspace(tmp_path, seed_path)
    completed, _ = _run_check_step(workspace, {"paths": "deploy/", "fail-on": "never", "sarif-file": "out/r.sarif"})
    assert completed.returncode == 2, "the report folder does not exist: the step must fail loudly"
    (workspace / "out").mkdir()
    completed, _ = _run_check_step(workspace, {"paths": "deploy/", "fail-on": "never", "sarif-file": "out/r.sarif"})
    assert completed.returncode == 0, completed.stderr
    assert json.loads((workspace / "out" / "r.sarif").read_text())["version"] == "2.1.0"
