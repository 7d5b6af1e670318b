"""Glob patterns (config/globs.py): gitignore-style semantics, matched in linear steps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ecslint.config.globs import compile_glob
from tests.test_cli import GOOD, run
from tests.workcount import calls, grows_linearly, regex_steps


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.yaml", "deploy/prod/td.yaml", True),
        ("*.yaml", "deploy/prod/td.json", False),
        ("vendor", "vendor/x/td.json", True),
        ("vendor", "myvendor/td.json", False),
        ("deploy/*.json", "deploy/td.json", True),
        ("deploy/*.json", "deploy/prod/td.json", False),
        ("deploy/**/prod-*.json", "deploy/prod-a.json", True),
        ("deploy/**/prod-*.json", "deploy/x/y/prod-a.json", True),
        ("deploy/**/prod-*.json", "deploy/x/y/dev-a.json", False),
        ("deploy/**", "deploy/x/td.json", True),
        ("td-?.json", "td-1.json", True),
        ("td-?.json", "td-12.json", False),
        ("td-[0-9].json", "td-7.json", True),
        ("td-[!0-9].json", "td-7.json", False),
        ("td-[!0-9].json", "td-x.json", True),
        ("[]]x", "]x", True),
        ("./deploy/", "deploy/td.json", True),
        ("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a" * 40, False),
        ("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a" * 40 + "b", True),
    ],
)
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert compile_glob(pattern).matches(path) is expected


@pytest.mark.parametrize("pattern", ["", "  ", "a/[b.json", "[z-a]"])
def test_bad_globs_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        compile_glob(pattern)


def _work(pattern: str, path: str) -> int:
    """Calls made matching ``path``, plus the steps of any regular expression the glob matches with
    (``re`` works out of sight of the profiler; tests/workcount.py models its steps)."""
    glob = compile_glob(pattern)
    work = calls(glob.matches, path)
    for field in glob:
        if isinstance(field, re.Pattern):
            parts = path.split("/")
            work += sum(regex_steps(field, part, "fullmatch") for part in parts)
    return work


def test_matching_work_grows_linearly_with_the_stars() -> None:
    # a regex of [^/]* per star backtracks through every split of the name between the stars
    grows_linearly(lambda stars: _work("*a" * stars + "b", "a" * 24), 3)


def test_matching_work_grows_linearly_with_the_path() -> None:
    grows_linearly(lambda length: _work("*a" * 4 + "b", "a" * length), 12)
    grows_linearly(lambda length: _work("**/x*y*z", "/".join(["xyy"] * length)), 8)


def test_exclude_with_many_stars_end_to_end(tmp_path: Path) -> None:
    latest = {**GOOD, "containerDefinitions": [{**GOOD["containerDefinitions"][0], "image": "nginx:latest"}]}
    kept, excluded = "a" * 40 + ".json", "a" * 40 + "b.json"
    for name in (kept, excluded):
        (tmp_path / name).write_text(json.dumps(latest))
    pattern = "*a" * 16 + "b.json"
    completed = run("check", "--no-config", "--select", "ECS210", "-f", "json", "--exclude", pattern, ".", cwd=tmp_path)
    assert completed.stderr == ""
    assert [Path(f["path"]).name for f in json.loads(completed.stdout)["findings"]] == [kept]
