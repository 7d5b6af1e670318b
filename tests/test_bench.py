"""bench/run.py's own code, without timing anything: its options parse and its hostile inputs are
what they say (each is checked here once, small, through the console script)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from tests.test_cli import run

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


@cache
def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_help() -> None:
    completed = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0 and "--hostile-size" in completed.stdout


@pytest.mark.parametrize("label", list(_bench().hostile_workloads(8)))
def test_each_hostile_input_is_checked(label: str, tmp_path: Path) -> None:
    name, text, extra = _bench().hostile_workloads(64)[label]
    (tmp_path / name).write_text(text, "utf-8")
    target = str(tmp_path) if extra else str(tmp_path / name)
    completed = run("check", "--no-config", "--format", "json", *extra, target)
    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    if extra:  # --exclude with 16 stars keeps the walked file: its name does not end in "b.json"
        assert {Path(f["path"]).name for f in report["findings"]} == {name}
    else:
        assert report["findings"], label


def test_the_16_star_pattern_excludes_what_it_matches() -> None:
    from ecslint.config.globs import compile_glob

    glob = compile_glob(_bench().STARS_16)
    assert glob.matches("a" * 40 + "b.json") and not glob.matches("a" * 40 + ".json")
