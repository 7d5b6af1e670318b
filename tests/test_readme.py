"""The README shows real output: the seed example's block is what ecslint prints today."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND = "$ ecslint check examples/broken/seed-task-definition.json\n"


def test_readme_seed_output_is_current() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    start = readme.index(COMMAND) + len(COMMAND)
    shown = readme[start : readme.index("```", start)]
    ecslint = Path(sys.executable).parent / "ecslint"
    completed = subprocess.run(
        [str(ecslint), "check", "examples/broken/seed-task-definition.json"],
        cwd=REPO,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout.decode("utf-8") == shown, "README.md's seed output is stale: paste the new output"


def test_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    quick = readme[readme.index("## Quick start") : readme.index("## What it finds")]
    commands = [line for line in quick.splitlines() if line.startswith("python3")]
    assert commands == [  # python3, not python3.11: a machine whose only Python is 3.13 has no python3.11
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/ecslint check examples/",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert commands[1].replace("pip install -e", "pip install -q -e") in ci


def test_the_readme_claims_no_editor_integration() -> None:
    """ecslint has no editor integration (no language server, no extension): the README must not say it runs there."""
    readme = (REPO / "README.md").read_text("utf-8")
    assert "editor" not in readme.split("## Quick start")[0]


def test_the_fast_subset_is_documented_and_its_marker_registered() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert '.venv/bin/python -m pytest -m "not slow"' in readme
    pyproject = (REPO / "pyproject.toml").read_text("utf-8")
    assert '"slow: ' in pyproject  # registered, so a typo in a marker name is visible
