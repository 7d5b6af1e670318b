"""Glob patterns (config/globs.py): gitignore-style semantics, matched in linear steps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ecslint.config.globs import compile_glob
from tests.test_cli import GOOD, run
from tests.workcount import CountingPattern, calls, grows_linearly


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
    """Calls made matching ``path``, plus the steps of the regular expression the glob matches with,
    if it has one (``re`` works out of sight of the profiler; tests/workcount.py models its steps)."""
    glob = compile_glob(pattern)
    regex = getattr(glob, "regex", None)
    counting = CountingPattern(regex) if isinstance(regex, re.Pattern) else None
    if counting is not None:
        glob = glob._replace(regex=counting)
    return calls(glob.matches, path) + (counting.steps if counting is not None else 0)


def test_matching_work_grows_linearly_with_the_stars() -> None:
    # a regex of [^/]* per star backtracks through every split of the name between the stars
    grows_linearly(lambda stars: _work("*a" * stars + "b", "a" * 24), 3)


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("*a*a*a*ab", "a"),  # stars: the NFA
        ("**/x*y*z", "xyy/"),
        ("*.yaml", "a"),  # one star: a regular expression, one split point at a time
        ("*.yaml", "a/"),
        ("deploy/**", "a/"),
        ("**/prod.json", "a/"),
        ("deploy/*.json", "deploy/"),
    ],
)
def test_matching_work_grows_linearly_with_the_path(pattern: str, path: str) -> None:
    grows_linearly(lambda length: _work(pattern, path * length), 12)


def test_exclude_with_many_stars_end_to_end(tmp_path: Path) -> None:
    latest = {**GOOD, "containerDefinitions": [{**GOOD["containerDefinitions"][0], "image": "nginx:latest"}]}
    kept, excluded = "a" * 40 + ".json", "a" * 40 + "b.json"
    for name in (kept, excluded):
        (tmp_path / name).write_text(json.dumps(latest))
    pattern = "*a" * 16 + "b.json"
    completed = run("check", "--no-config", "--select", "ECS210", "-f", "json", "--exclude", pattern, ".", cwd=tmp_path)
    assert completed.stderr == ""
    assert [Path(f["path"]).name for f in json.loads(completed.stdout)["findings"]] == [kept]
