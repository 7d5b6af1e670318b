"""The GitHub Action's steps, run locally as the runner would run them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from ruamel.yaml import YAML

from tests.conftest import REPO, SARIF_SCHEMA

BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")

pytestmark = pytest.mark.slow  # installs ecslint into a fresh virtual environment, as the runner does


def _action() -> dict:  # type: ignore[type-arg]
    return YAML(typ="safe", pure=True).load((REPO / "action.yml").read_text())  # type: ignore[no-any-return]


def _steps(uses: str | None = None) -> list[dict]:  # type: ignore[type-arg]
    steps = _action()["runs"]["steps"]
    return [s for s in steps if uses is None or s.get("uses", "").startswith(uses)]  # type: ignore[no-any-return]


class Runner:
    """Runs the action's bash steps as a GitHub runner does: expressions filled in, each step's
    GITHUB_OUTPUT read back as steps.<id>.outputs, `uses:` steps (setup-python, cache) left to GitHub."""

    def __init__(self, workspace: Path, runner_temp: Path, inputs: dict[str, str]) -> None:
        action = _action()
        defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        self.values = {f"inputs.{name}": value for name, value in {**defaults, **inputs}.items()}
        self.values["github.action_path"] = str(REPO)
        self.workspace, self.runner_temp = workspace, runner_temp
        self.files = {name: workspace / f"{name.lower()}.txt" for name in ("GITHUB_ENV", "GITHUB_PATH")}
        for path in self.files.values():
            path.touch()

    def _value(self, match: re.Match[str]) -> str:
        return self.values.get(match.group(1), "")  # an unset output is empty, as on GitHub

    def run(self, step_id: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        step = next(s for s in _action()["runs"]["steps"] if s.get("id") == step_id)
        output = self.workspace / f"output-{step_id}.txt"
        output.write_text("")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",  # the job's Python: this virtual environment
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(output),
            "RUNNER_TEMP": str(self.runner_temp),
            "RUNNER_OS": "Linux",
            **{name: str(path) for name, path in self.files.items()},
            **(extra_env or {}),
        }
        env.pop("PIP_CACHE_DIR", None)
        for key, expression in step.get("env", {}).items():
            env[key] = EXPRESSION.sub(self._value, str(expression))
        script = self.workspace / f"{step_id}.sh"
        script.write_text(step["run"])
        shell = shutil.which("bash") or "/bin/bash"
        # GitHub runs composite bash steps as: bash --noprofile --norc -eo pipefail {0}
        completed = subprocess.run(
            [shell, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        for line in output.read_text().splitlines():
            name, _, value = line.partition("=")
            self.values[f"steps.{step_id}.outputs.{name}"] = value
        return completed


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The prepare and install steps, run once: their outputs and what they did to the job's Python."""
    root = tmp_path_factory.mktemp("runner")
    (root / "workspace").mkdir()
    freeze = [str(BIN / "python"), "-m", "pip", "freeze", "--all"]
    before = subprocess.run(freeze, capture_output=True, text=True, check=True).stdout
    runner = Runner(root / "workspace", root / "temp", {"python-version": ""})
    (root / "temp").mkdir()
    for step_id in ("setup", "install"):
        completed = runner.run(step_id)
        assert completed.returncode == 0, completed.stdout + completed.stderr
    after = subprocess.run(freeze, capture_output=True, text=True, check=True).stdout
    return {
        **{key: value for key, value in runner.values.items() if key.startswith("steps.")},
        "freeze-before": before,
        "freeze-after": after,
        "github-env": runner.files["GITHUB_ENV"].read_text() + runner.files["GITHUB_PATH"].read_text(),
        "runner-temp": str(root / "temp"),
    }


def _run_check_step(
    workspace: Path, inputs: dict[str, str], installed: dict[str, str], summary: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    runner = Runner(workspace, Path(installed["runner-temp"]), inputs)
    runner.values.update({k: v for k, v in installed.items() if k.startswith("steps.")})
    extra = {"GITHUB_STEP_SUMMARY": str(summary)} if summary else {}
    return runner.run("check", extra), workspace / "output-check.txt"


def _workspace(tmp_path: Path, seed: Path) -> Path:
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    (deploy / "seed.json").write_bytes(seed.read_bytes())
    (deploy / "package.json").write_text('{"name": "web"}')
    return tmp_path


def test_action_metadata_is_complete() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "config", "fail-on", "format", "sarif-file", "python-version", "cache"}
    assert "sarif-file" in action["outputs"]


def test_the_actions_it_uses_are_current_major_versions() -> None:
    uses = {s["uses"].partition("@")[0]: s["uses"].partition("@")[2] for s in _steps("actions/")}
    assert uses == {"actions/setup-python": "v7", "actions/cache": "v6"}  # docs/facts.md 15
    workflow = YAML(typ="safe", pure=True).load((REPO / "examples" / "workflows" / "ecslint.yml").read_text())
    steps = [s.get("uses", "") for s in workflow["jobs"]["ecslint"]["steps"]]
    assert "actions/checkout@v7" in steps and "github/codeql-action/upload-sarif@v4" in steps


def test_the_example_workflow_declares_its_permissions() -> None:
    workflow = YAML(typ="safe", pure=True).load((REPO / "examples" / "workflows" / "ecslint.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}


def test_setup_python_leaves_the_jobs_python_alone_and_pip_downloads_are_cached() -> None:
    (setup_python,) = _steps("actions/setup-python")
    assert setup_python["with"]["update-environment"] is False  # no PATH, no pythonLocation for later steps
    (cache,) = _steps("actions/cache")
    assert cache["if"] == "inputs.cache == 'true'"
    install = next(s for s in _steps() if s.get("id") == "install")
    assert cache["with"]["path"] == install["env"]["PIP_CACHE_DIR"] == "${{ steps.setup.outputs.pip-cache }}"
    assert cache["with"]["key"] == "${{ steps.setup.outputs.cache-key }}"


def test_ecslint_is_installed_in_its_own_virtual_environment(installed: dict[str, str]) -> None:
    ecslint = Path(installed["steps.install.outputs.ecslint"])
    assert ecslint.is_file() and ecslint.is_relative_to(installed["runner-temp"])
    assert installed["steps.setup.outputs.cache-key"].startswith("ecslint-pip-Linux-3.")
    assert Path(installed["steps.setup.outputs.pip-cache"]).is_relative_to(installed["runner-temp"])
    # the job's Python: the same packages as before, and nothing added to PATH or the environment
    assert installed["freeze-after"] == installed["freeze-before"]
    assert installed["github-env"] == ""
    version = subprocess.run([str(ecslint), "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.strip(), version.stderr


def test_check_step_writes_sarif_annotates_and_fails(
    tmp_path: Path, seed_path: Path, installed: dict[str, str]
) -> None:
    workspace = _workspace(tmp_path, seed_path)
    completed, output = _run_check_step(workspace, {"paths": "deploy/"}, installed)
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


def test_job_summary_has_the_counts_and_the_first_findings(
    tmp_path: Path, seed_path: Path, installed: dict[str, str]
) -> None:
    workspace = _workspace(tmp_path, seed_path)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step's summary\n")
    completed, _ = _run_check_step(workspace, {"paths": "deploy/"}, installed, summary)
    assert completed.returncode == 1, completed.stderr
    text = summary.read_text()
    assert text.startswith("earlier step's summary\n### ecslint\n")  # appended, never overwritten
    assert "Found 3 errors, 3 warnings and 1 info in 1 file." in text  # three placeholder ids: one ECS304
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == 7
    assert rows[0].startswith("| `deploy/seed.json:2` | ECS002 | error | typographic quote")
    off, _ = _run_check_step(workspace, {"paths": "deploy/", "summary": "false"}, installed, tmp_path / "off.md")
    assert off.returncode == 1 and not (tmp_path / "off.md").exists()


def test_job_summary_of_a_clean_run(tmp_path: Path, installed: dict[str, str]) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "package.json").write_text('{"name": "web"}')
    summary = tmp_path / "step-summary.md"
    completed, _ = _run_check_step(tmp_path, {"paths": "deploy/"}, installed, summary)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert summary.read_text() == "### ecslint\n\nNo findings.\n"


def test_fail_on_never_passes_and_still_writes_sarif(
    tmp_path: Path, seed_path: Path, installed: dict[str, str]
) -> None:
    workspace = _workspace(tmp_path, seed_path)
    inputs = {"paths": "deploy/", "fail-on": "never", "sarif-file": "out/r.sarif"}
    completed, _ = _run_check_step(workspace, inputs, installed)
    assert completed.returncode == 2, "the report folder does not exist: the step must fail loudly"
    (workspace / "out").mkdir()
    completed, _ = _run_check_step(workspace, inputs, installed)
    assert completed.returncode == 0, completed.stderr
    assert json.loads((workspace / "out" / "r.sarif").read_text())["version"] == "2.1.0"


def test_a_python_older_than_3_11_is_refused_clearly(tmp_path: Path) -> None:
    old = tmp_path / "bin" / "python3"
    old.parent.mkdir()
    old.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python 3.9.18'; exit 0; fi\nexit 1\n")
    old.chmod(0o755)
    runner = Runner(tmp_path, tmp_path, {"python-version": ""})
    completed = runner.run("setup", {"PATH": f"{old.parent}{os.pathsep}{os.environ['PATH']}"})
    assert completed.returncode == 2
    assert "::error::ecslint needs Python 3.11 or newer" in completed.stdout and "3.9.18" in completed.stdout
