"""Every command shown in README.md and docs/*.md runs, as a user would run it, without a usage error.

Commands are the lines of ```sh blocks, the `$ ` lines of other blocks, the `run:` lines of
workflow snippets, and inline `ecslint ...` spans. Each block runs in a scratch folder holding the
paths the docs use (examples/, policies/, deploy/, task-definitions/), in order, so a baseline written
by one line is there for the next. A few commands are exempt, each for the reason given."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`((?:ecslint|python|\.venv/bin/\w+) [^`]+)`")
PLACEHOLDERS = {"ID": "ECS102", "DIR": "policies/", "FILE": "deploy/fargate-web.json"}  # `ecslint explain ID`...

EXEMPT = {
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest": (
        "the test suite itself; .ci/run runs it verbatim (test_readme.py checks that)"
    ),
    '.venv/bin/python -m pytest -m "not slow"': "the test suite itself (its fast subset)",
    "python3 -m venv /tmp/bench && /tmp/bench/bin/pip install '.[bench]'": (
        "bench/ setup: benchmarks are run by hand, never by tests (they time things and need cfn-lint)"
    ),
    "python -m ecslint.cli.docgen": "rewrites docs/rules.md in the checkout; test_docgen.py runs it with --check",
    "python schemas/generate.py": "regenerates schemas/ in a checkout; test_schema.py regenerates and compares it",
    "pip install 'ecslint[aws]'": "installs from the package index; the test extra installs boto3 for the tests",
    "AWS_PROFILE=prod ecslint check --aws deploy/": (
        "asks a real AWS account; tests/test_account.py runs --aws against a moto server on 127.0.0.1"
    ),
}
EXEMPT_PREFIXES = {
    "/tmp/bench/bin/python bench/run.py": "the benchmark itself: minutes of timing, never run by tests",
}
NAMES = {"ecslint check"}  # a subcommand named in prose ("`ecslint check`'s options"), not a command line
SLOW = {"python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/ecslint check examples/"}


def _commands(page: Path) -> list[tuple[str, list[str]]]:
    """(where, the commands of one block or inline span) in page order."""
    text = page.read_text("utf-8")
    found = []
    for match in BLOCK.finditer(text):
        language, body = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if language in {"sh", "bash", "shell"}:
            lines = [re.sub(r"\s+#.*$", "", raw).strip() for raw in body.splitlines()]
        elif language == "yaml":
            lines = [m.group(1) for m in re.finditer(r"^\s*-?\s*run: (.+)$", body, re.M)]
        else:
            lines = [raw[2:] for raw in body.splitlines() if raw.startswith("$ ")]
        lines = [command for command in lines if command and not command.startswith("#")]
        if lines:
            found.append((f"{page.relative_to(REPO)}:{line}", lines))
    for match in INLINE.finditer(BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)):
        command = match.group(1)
        if command not in NAMES:
            words = [PLACEHOLDERS.get(word, word) for word in command.split(" ")]
            found.append((f"{page.relative_to(REPO)}:{text.count(chr(10), 0, match.start()) + 1}", [" ".join(words)]))
    return found


def _exempt(command: str) -> str | None:
    if command in EXEMPT:
        return EXEMPT[command]
    return next((reason for prefix, reason in EXEMPT_PREFIXES.items() if command.startswith(prefix)), None)


BLOCKS = [(where, commands) for page in PAGES for where, commands in _commands(page)]
RUNNABLE = [(where, [c for c in commands if not _exempt(c)]) for where, commands in BLOCKS]
RUNNABLE = [(where, commands) for where, commands in RUNNABLE if commands]


def _workspace(tmp_path: Path) -> Path:
    examples = REPO / "examples"
    shutil.copytree(examples, tmp_path / "examples")
    shutil.copytree(examples / "policies", tmp_path / "policies")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "task-definitions").mkdir()
    for name in ("fargate-web.json", "ec2-worker.yaml"):
        shutil.copy(examples / name, tmp_path / "deploy" / name)
    for path in (examples / "broken").iterdir():
        shutil.copy(path, tmp_path / "task-definitions" / path.name)
    return tmp_path


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_commands_are_found() -> None:
    commands = {command for _, block in BLOCKS for command in block}
    assert {
        "ecslint check examples/broken/seed-task-definition.json",
        "ecslint rules test policies/",
        "ecslint check --write-baseline ecslint-baseline.json .",
        "ecslint check --format sarif task-definitions/ > ecslint.sarif",
        "ecslint explain ECS102",
        "ecslint config --show",
    } <= commands
    assert len(commands) >= 15
    assert all(_exempt(c) or c in commands for c in EXEMPT)  # no stale exemption


@pytest.mark.parametrize(
    ("where", "commands"),
    [
        pytest.param(where, commands, marks=pytest.mark.slow)  # about a minute in all: not in the fast subset
        for where, commands in RUNNABLE
    ],
    ids=[where for where, _ in RUNNABLE],
)
def test_every_command_in_the_docs_runs(where: str, commands: list[str], tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    if SLOW & set(commands):  # the README's first command installs from a clean copy of the project
        source = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
        for name in filter(None, source.decode().split("\0")):
            if (REPO / name).is_file():
                (workspace / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, workspace / name)
    for command in commands:
        completed = _run(command, workspace)
        assert "Traceback" not in completed.stderr, (where, command, completed.stderr)
        assert completed.returncode in (0, 1), (where, command, completed.returncode, completed.stderr[-2000:])


def _code_blocks(page: Path) -> str:
    return "\n".join(match.group(2) for match in BLOCK.finditer(page.read_text("utf-8")))


def test_examples_in_the_docs_name_the_right_rules() -> None:
    """An id shown with a name or a severity in a docs example is that rule's (ECS101 was shown for ECS102)."""
    from ecslint.catalogue.entries import builtin

    rules = {rule.id: rule for rule in builtin().rules}
    checked, wrong = 0, []
    for page in PAGES:
        if page.name == "rules.md":  # generated from the catalogue itself
            continue
        blocks = _code_blocks(page)
        pairs = re.findall(r"\b(ECS\d{3}) ((?:error|warning|info)\b|[a-z0-9]+(?:-[a-z0-9]+)+)", blocks)
        pairs += re.findall(r'"rule": "(ECS\d{3})",\s*"name": "([a-z0-9-]+)"', blocks)
        for rule_id, word in pairs:
            rule = rules.get(rule_id)
            if rule is not None and word in {"error", "warning", "info"}:  # what some consumer gives it counts
                expected = {rule.severity.label} | {level.label for _, level, _ in rule.severities_by_consumer()}
            else:
                expected = {rule.name} if rule is not None else set()
            checked += 1
            if word not in expected:
                wrong.append(f"{page.name}: {rule_id} {word} (the catalogue says {' or '.join(sorted(expected))})")
    assert checked >= 5
    assert not wrong, wrong


def test_the_text_example_in_output_formats_is_what_ecslint_prints(tmp_path: Path) -> None:
    (tmp_path / "services" / "api").mkdir(parents=True)
    (tmp_path / "services" / "web").mkdir()
    (tmp_path / "services" / "api" / "td.json").write_text("")
    web = {"cpu": "256", "memory": "4096", "requiresCompatibilities": ["FARGATE"], "family": "web"}
    lines = [f'  "{key}": {json.dumps(value)},' for key, value in web.items()]
    containers = '  "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]'
    (tmp_path / "services" / "web" / "td.json").write_text("{\n" + "\n".join(lines) + "\n" + containers + "\n}\n")
    shown = re.findall(r"^(services/\S+: ECS\d{3} .*)$", _code_blocks(REPO / "docs" / "output-formats.md"), re.M)
    printed = _run("ecslint check services/api/td.json services/web/td.json", tmp_path).stdout.splitlines()
    assert len(shown) >= 2
    assert not [line for line in shown if line not in printed], printed
