"""Hostile inputs: each gets a clear message and exit 2, or a finding, in bounded time and memory.

Every case runs the installed console script with a 2 GiB address-space limit and a timeout,
so a hang or a blow-up fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ECSLINT = Path(sys.executable).parent / "ecslint"
MEMORY_LIMIT = 2 * 2**30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [str(ECSLINT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    assert "internal error" not in completed.stderr, completed.stderr
    return completed


def _rules(completed: subprocess.CompletedProcess[str]) -> set[str]:
    return {f["rule"] for f in json.loads(completed.stdout)["findings"]}


def test_json_nested_100000_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS001"}
    assert "nested too deeply" in completed.stdout


def test_yaml_nested_100000_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("family: " + "[" * 100_000 + "]" * 100_000 + "\n")
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS012"}


def test_a_50_mb_file_is_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("w") as handle:
        handle.write('{"family": "x", "containerDefinitions": [')
        handle.write(",".join(['{"name": "c", "image": "nginx:1"}'] * 1_600_000))
        handle.write("]}")
    assert path.stat().st_size > 50 * 2**20
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS015"}


def test_a_million_containers(tmp_path: Path) -> None:
    path = tmp_path / "million.json"
    containers = [{"name": f"c{i}", "image": "nginx:1"} for i in range(1_000_000)]
    path.write_text(json.dumps({"family": "x", "containerDefinitions": containers}))
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS015"}


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.json"
    path.write_bytes(bytes(range(256)) * 64)
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS009"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "td.json"
    path.write_bytes('{"family": "web app", "containerDefinitions": []}'.encode(encoding))
    completed = run("check", "--format", "json", str(path))
    rules = _rules(completed)
    assert completed.returncode == 1 and {"ECS007", "ECS202", "ECS205"} <= rules  # decoded, then checked


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_bytes(b'{"family": "caf\xe9", "containerDefinitions": []}')
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and "ECS008" in _rules(completed)


def test_nul_inside_a_string(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text('{"family": "a\\u0000b", "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}')
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and "ECS202" in _rules(completed)


def test_yaml_alias_bomb(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nfamily: x\n")
    completed = run("check", "--format", "json", str(path), timeout=30)
    assert completed.returncode == 1 and _rules(completed) == {"ECS012"}
    assert "aliases expand" in completed.stdout


def test_yaml_tags_construct_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "td.yaml"
    path.write_text(
        f"family: !!python/object/apply:os.system ['touch {marker}']\n"
        "containerDefinitions: !!python/object/new:os.system ['id']\n"
    )
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1
    assert not marker.exists()


def test_symlink_loop_and_pipe_during_a_walk(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "loop").symlink_to(folder)
    (folder / "self.json").symlink_to(folder / "self.json")
    os.mkfifo(folder / "pipe.json")
    (folder / "td.json").write_text('{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1"}]}')
    completed = run("check", "--format", "json", str(folder), timeout=30)
    assert completed.returncode in (0, 1)
    assert json.loads(completed.stdout)["summary"]["files"] == 1


def test_named_pipe_on_the_command_line(tmp_path: Path) -> None:
    pipe = tmp_path / "td.json"
    os.mkfifo(pipe)
    completed = run("check", str(pipe), timeout=30)
    assert completed.returncode == 2
    assert f"ecslint: error: {pipe}: not a regular file" in completed.stderr


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root reads files without permissions: use one that fails to read anyway
        path = Path("/proc/self/mem")
        if not path.exists():
            pytest.skip("no /proc/self/mem here")
    else:
        path = tmp_path / "td.json"
        path.write_text("{}")
        path.chmod(0)
    completed = run("check", str(path))
    assert completed.returncode == 2 and f"ecslint: error: {path}: cannot read" in completed.stderr


def test_a_file_deleted_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.cli import run as run_module
    from ecslint.cli.main import main
    from ecslint.readers.inputs import Input

    gone = tmp_path / "gone.json"
    real_collect = run_module.collect

    def collect_then_delete(paths: list[str], stdin_name: str = "<stdin>", **options):  # type: ignore[no-untyped-def]
        items = list(real_collect(paths, stdin_name, **options))
        yield Input(str(gone), gone, True)  # listed, then removed before it is read
        yield from items

    monkeypatch.setattr(run_module, "collect", collect_then_delete)
    good = tmp_path / "td.json"
    good.write_text('{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1", "memory": 64}]}')
    assert main(["check", "--format", "json", "--output", str(tmp_path / "out.json"), str(good)]) == 2
    assert json.loads((tmp_path / "out.json").read_text())["summary"]["files"] == 1


def test_a_path_given_twice_is_checked_once(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text('{"family": "bad name", "containerDefinitions": [{"name": "web", "image": "a:1"}]}')
    completed = run("check", "--format", "json", str(path), str(path), str(tmp_path))
    report = json.loads(completed.stdout)
    assert report["summary"]["files"] == 1
    assert [f["rule"] for f in report["findings"]].count("ECS202") == 1


def test_output_that_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text('{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1"}]}')
    completed = run("check", "--output", str(tmp_path), str(path))  # a folder, not a file
    assert completed.returncode == 2 and "cannot write the report" in completed.stderr


def test_check_never_writes_to_the_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in corpus_dir.rglob("*") if p.is_file()}
    for output_format in ("text", "json", "sarif", "github"):
        run("check", "--format", output_format, "--output", str(tmp_path / "r"), str(corpus_dir), timeout=300)
    run("check", "--diff", str(corpus_dir), timeout=300)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in corpus_dir.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("text", ["%YAML 1.3\n---\nfamily: x\n", "family: x\n...\n---\n%YAML 9.9\nfamily: y\n"])
def test_an_unsupported_yaml_version_is_invalid_yaml(tmp_path: Path, text: str) -> None:
    path = tmp_path / "td.yaml"
    path.write_text(text)
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS012"}
    config = tmp_path / ".ecslint.yaml"
    config.write_text(text.replace("family", "fail-on"))
    completed = run("check", "--config", str(config), str(path))
    assert completed.returncode == 2 and f"ecslint: error: {config}:" in completed.stderr
    assert "invalid YAML" in completed.stderr


@pytest.mark.parametrize("escape", [r"\UFFFFFFFF", r"\uD800", r"\u12"])
def test_a_terraform_escape_hcl_refuses(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "main.tf"
    resource = f'resource "aws_ecs_task_definition" "web" {{\n  family = "{escape}"\n'
    resource += '  container_definitions = "[]"\n}\n'
    path.write_text(resource)
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1 and _rules(completed) == {"ECS014"}


def test_bidirectional_controls_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text('{"family": "admin\u202e\u2066", "containerDefinitions": []}', encoding="utf-8")
    completed = run("check", str(path))
    assert completed.returncode == 1
    assert "\u202e" not in completed.stdout and "\u2066" not in completed.stdout
    assert "admin<U+202E><U+2066>" in completed.stdout
    # the command's own error lines quote paths and values too
    completed = run("check", "--config", str(tmp_path / "x\u202e\x1b[2J.toml"), str(path))
    assert completed.returncode == 2 and "x<U+202E>\u241b[2J.toml" in completed.stderr
    assert "\u202e" not in completed.stderr and "\x1b" not in completed.stderr


def _alias_bomb() -> str:
    parts = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return "[" + ", ".join(parts) + "]"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".ecslint.yaml", "severity: {ECS210: BOMB}\n"),
        (".ecslint.yaml", "rules: BOMB\n"),
        ("rules/ORG001.yaml", "id: ORG001\nname: x\nsummary: BOMB\n"),
        ("rules/ORG001.yaml", "id: ORG001\nassert: {enum: BOMB}\n"),
    ],
)
def test_alias_bombs_in_configuration_and_rule_files(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace("BOMB", _alias_bomb()))
    td = tmp_path / "td.json"
    td.write_text('{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1"}]}')
    arguments = ["--config", str(path)] if name.endswith(".ecslint.yaml") else ["--rules", str(path.parent)]
    completed = run("check", *arguments, str(td), timeout=30)
    assert completed.returncode == 2
    line = text.count("\n", 0, text.index("BOMB")) + 1
    assert f"{path}:{line}:" in completed.stderr and "aliases expand to more than 500,000 nodes" in completed.stderr


CUSTOM_RULE = """\
id: ORG001
name: family-shape
severity: error
consequence: style
summary: Checks the family's shape.
rationale: A convention.
references: [https://example.com/conventions]
target: .
assert: {properties: {family: {pattern: '^[a-z]+$'}}}
message: "family {value} breaks the convention"
"""


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("family {value}", "family {0}", ":10:1: 'message': placeholder {0}"),
        ("assert: {", "assert: {anyOf: [{$ref: '#'}], ", ":9:19: 'assert': $ref '#' refers back"),
        ("assert: {", "assert: {$ref: '#/$defs/gone', ", ":9:10: 'assert': $ref '#/$defs/gone' does not resolve"),
        ("'^[a-z]+$'", "'^(a|a)*$'", ":9:32: a pattern in 'assert' of rule ORG001 ran for more than 1 s"),
    ],
)
def test_a_custom_rule_that_cannot_run_is_an_error_at_its_line(tmp_path: Path, old: str, new: str, where: str) -> None:
    rule = tmp_path / "rules" / "ORG001.yaml"
    rule.parent.mkdir()
    rule.write_text(CUSTOM_RULE.replace(old, new))
    td = tmp_path / "td.json"
    td.write_text(json.dumps({"family": "a" * 29 + "!", "containerDefinitions": [{"name": "web", "image": "a:1"}]}))
    completed = run("check", "--no-config", "--rules", str(rule.parent), "--format", "json", str(td), timeout=30)
    assert completed.returncode == 2
    assert f"ecslint: error: {rule}{where}" in completed.stderr
    assert "ECS202" in _rules(completed)  # the built-in rules still ran


@pytest.mark.parametrize("value", ["/", "../../../../../../../../.."])
def test_rules_dirs_that_reach_the_root_are_not_walked(tmp_path: Path, value: str) -> None:
    (tmp_path / ".ecslint.toml").write_text(f'rules-dirs = ["{value}"]\n')
    (tmp_path / "td.json").write_text('{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1"}]}')
    completed = subprocess.run(
        [str(ECSLINT), "check", "td.json"], capture_output=True, text=True, timeout=30, cwd=tmp_path, check=False
    )
    assert completed.returncode == 2 and "Traceback" not in completed.stderr
    assert f"rules-dirs: '{value}' is outside the project" in completed.stderr


def test_terraform_file_outside_the_boundary_is_never_read_even_from_the_root(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "secret.json"
    secret.parent.mkdir()
    secret.write_text('[{"name": "x", "image": "x", "s3cr3t-t0ken": "AKIAIOSFODNN7EXAMPLE"}]')
    module = tmp_path / "module"  # no .git anywhere above: the boundary is this folder
    module.mkdir()
    for reference in (secret.as_posix(), "../elsewhere/secret.json"):
        tf = module / "main.tf"
        tf.write_text(
            f'resource "aws_ecs_task_definition" "web" {{\n  family = "web"\n'
            f'  container_definitions = file("{reference}")\n}}\n'
        )
        completed = subprocess.run(
            [str(ECSLINT), "check", "--format", "json", str(tf)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
            check=False,
        )
        assert "Traceback" not in completed.stderr
        assert "s3cr3t" not in completed.stdout and "AKIA" not in completed.stdout
        assert "ECS222" in _rules(completed)
        assert "outside the .tf folder" in completed.stdout


def test_fix_leaves_a_file_that_does_not_parse_as_it_was_and_fixes_a_double_bom_at_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'\xef\xbb\xbf{"family": "web",, "containerDefinitions": []}')
    os.utime(broken, (1_000_000, 1_000_000))
    doubled = tmp_path / "doubled.json"
    good = b'{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1"}]}'
    doubled.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + good)
    run("check", "--fix", str(broken), str(doubled))
    assert broken.read_bytes().startswith(b"\xef\xbb\xbf") and broken.stat().st_mtime == 1_000_000
    assert doubled.read_bytes() == good


def test_typographic_quotes_inside_a_string_survive_fixing_a_trailing_comma(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    text = '{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1", '
    text += '"command": ["say “hi”, then go"],}]}'
    path.write_text(text, encoding="utf-8")
    completed = run("check", "--format", "json", str(path))
    assert {"ECS004"} <= _rules(completed) and not {"ECS001", "ECS002"} & _rules(completed)
    run("check", "--fix", str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["containerDefinitions"][0]["command"] == ["say “hi”, then go"]


@pytest.mark.parametrize("value", ["2001-12-14", "!!binary AAA=", "!!set {a, b}", "!!int 0x"])
def test_a_custom_rule_with_a_value_json_cannot_hold(tmp_path: Path, value: str) -> None:
    rule = tmp_path / "rules" / "ORG001.yaml"
    rule.parent.mkdir()
    rule.write_text(CUSTOM_RULE.replace("pattern: '^[a-z]+$'", f"const: {value}"))
    td = tmp_path / "td.json"
    td.write_text('{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1"}]}')
    completed = run("check", "--no-config", "--rules", str(rule.parent), str(td))
    assert completed.returncode == 2 and f"ecslint: error: {rule}:9:" in completed.stderr
