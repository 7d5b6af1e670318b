"""-j: several processes give the same report, in the same order, as one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ecslint.cli.main import main
from tests.conftest import REPO


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    # the repository's own examples (good, broken, describe output, a container list), not the
    # corpus: the workers' order and rendering do not depend on which task definitions they check
    sources = sorted((REPO / "examples").rglob("*.json"))
    assert len(sources) >= 4
    for number in range(150):
        shutil.copy(sources[number % len(sources)], folder / f"td-{number:03}.json")
    return folder


def _report(folder: Path, tmp_path: Path, *options: str) -> tuple[int, dict[str, object]]:
    out = tmp_path / f"report{len(list(tmp_path.iterdir()))}.json"
    code = main(["check", "--format", "json", "--output", str(out), *options, str(folder)])
    return code, json.loads(out.read_text())


def test_parallel_report_equals_serial(many: Path, tmp_path: Path) -> None:
    serial_code, serial = _report(many, tmp_path, "-j", "1")
    parallel_code, parallel = _report(many, tmp_path, "-j", "2")
    automatic_code, automatic = _report(many, tmp_path)
    assert serial_code == parallel_code == automatic_code == 1
    assert serial == parallel == automatic
    assert serial["summary"]["files"] == 150  # type: ignore[index]


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_reports_rendered_by_workers_are_byte_for_byte_the_serial_ones(
    many: Path, tmp_path: Path, output_format: str
) -> None:
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"{output_format}-{jobs}"
        assert main(["check", "--format", output_format, "-j", jobs, "--output", str(out), str(many)]) == 1
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    assert len(reports[0]) > 10_000


def test_parallel_with_a_baseline(many: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["check", "-j", "2", "--write-baseline", str(baseline), str(many)]) == 0
    code, report = _report(many, tmp_path, "-j", "2", "--baseline", str(baseline))
    assert (code, report["findings"]) == (0, [])


def test_only_task_definitions_skips_other_named_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "web", "version": "1.0.0"}')
    assert main(["check", str(other)]) == 1
    capsys.readouterr()
    assert main(["check", "--only-task-definitions", str(other)]) == 0
    assert capsys.readouterr().out.strip() == "No problems found in 0 files."
