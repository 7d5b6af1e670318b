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
    assert "nests collections more than 100 deep" in completed.stdout


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


_BAD_NAME = '{"family": "bad name", "containerDefinitions": [{"name": "web", "image": "a:1", "memory": 64}]}'


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_crashes_costs_only_its_own_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output_format: str, jobs: str
) -> None:
    from ecslint.cli.main import main
    from ecslint.engine import pipeline

    real_parse = pipeline.parse

    def parse_or_crash(path: str, raw: bytes, size: int | None = None):  # type: ignore[no-untyped-def]
        if path.endswith("crash.json"):
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(path, raw, size)

    monkeypatch.setattr(pipeline, "parse", parse_or_crash)
    names = ["a.json", "crash.json", "z.json"]
    for name in names:
        (tmp_path / name).write_text(_BAD_NAME)
    report = tmp_path / "report"
    paths = [str(tmp_path / name) for name in names]
    code = main(["check", "-j", jobs, "--format", output_format, "-o", str(report), *paths])
    err = capsys.readouterr().err
    assert code == 2  # an internal error, as the README's exit codes say
    assert f"ecslint: error: {tmp_path / 'crash.json'}: internal error: RecursionError" in err
    assert "Traceback" not in err
    text = report.read_text()
    assert str(tmp_path / "a.json") in text and str(tmp_path / "z.json") in text  # the others keep theirs
    assert text.count("ECS202") >= 2


def _findings(completed: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int, int, str]]:
    return [
        (Path(f["path"]).name, f["rule"], f["line"], f["column"], f["message"])
        for f in json.loads(completed.stdout)["findings"]
    ]


@pytest.mark.parametrize(
    ("name", "text", "rule", "position"),
    [
        ("td.json", '{"family": "x",\n "cpu": 1' + "0" * 4300 + "}", "ECS001", (2, 9)),
        ("td.json", '{"family": "x",\n "cpu": -' + "9" * 5000 + "}", "ECS001", (2, 9)),
        ("td.json", "{\u201cfamily\u201d: 1" + "0" * 4300 + "}", "ECS001", (1, 12)),  # found after the repairs
        ("td.yaml", "family: x\ncpu: 0x" + "f" * 3600 + "\n", "ECS012", (2, 6)),
        ("td.yaml", "family: x\ncontainerDefinitions:\n- memory: 1" + "0" * 4300 + "\n", "ECS012", (3, 11)),
        (
            "main.tf",
            'resource "aws_ecs_task_definition" "x" {\n  family = "x"\n  cpu = 1' + "0" * 4400 + "\n}\n",
            "ECS014",
            (3, 9),
        ),
    ],
)
def test_an_integer_of_more_than_4300_digits_is_a_syntax_finding(
    tmp_path: Path, name: str, text: str, rule: str, position: tuple[int, int]
) -> None:
    path = tmp_path / name
    path.write_text(text)
    other = tmp_path / "other.json"
    other.write_text(_BAD_NAME)
    completed = run("check", "--format", "json", str(path), str(other))
    assert completed.returncode == 1
    found = _findings(completed)
    assert [f[:4] for f in found if f[0] == name and f[1] != "ECS002"] == [(name, rule, *position)]
    assert "digits: no ECS field takes one" in next(f for f in found if f[1] == rule)[4]
    assert ("other.json", "ECS202") in [f[:2] for f in found]  # the other file keeps its findings


@pytest.mark.parametrize(
    ("document", "rule"),
    [
        ({"family": "x", "requiresCompatibilities": ["EC2"], "cpu": "1" + "0" * 4400}, "ECS104"),
        ({"family": "x", "requiresCompatibilities": ["FARGATE"], "cpu": "1" + "0" * 400 + " vCPU"}, "ECS101"),
        ({"family": "x", "requiresCompatibilities": ["EC2"], "memory": "2" + "0" * 9000 + " GB"}, None),
        ({"family": "x", "containerDefinitions": [{"name": "a", "user": "0" * 5000}]}, "ECS603"),
        (
            {
                "family": "x",
                "containerDefinitions": [
                    {"name": "a", "portMappings": [{"containerPortRange": "1" * 5000 + "-" + "2" * 5000}]}
                ],
            },
            "ECS125",
        ),
    ],
)
def test_digit_strings_of_any_length_are_read(tmp_path: Path, document: dict[str, object], rule: str | None) -> None:
    path = tmp_path / "td.json"
    path.write_text(json.dumps(document))
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode in (0, 1)
    found = _findings(completed)
    if rule is not None:
        assert rule in {f[1] for f in found}


def _nested(depth: int, inner: str) -> str:
    return "[" * depth + inner + "]" * depth


# Each document nests collections exactly ``depth`` deep (the root counts), with a null member.
_DEEP = {
    "td.json": lambda depth: '{"family": "x", "x": null,\n"deep": ' + _nested(depth - 1, "null") + "}",
    "td.yaml": lambda depth: "family: x\nx: null\ndeep: " + _nested(depth - 1, "null") + "\n",
    "cfn.yaml": lambda depth: (
        "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: x\n"
        "      Deep: " + _nested(depth - 5, "{Ref: X}") + "\n"
    ),
    "cfn.json": lambda depth: (
        '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "x",\n"Deep": '
        + _nested(depth - 5, '{"Fn::If": null}')
        + "}}}}"
    ),
    "main.tf": lambda depth: (
        'resource "aws_ecs_task_definition" "x" {\n  family = "x"\n'
        "  container_definitions = jsonencode(" + _nested(depth - 3, '{name = "a", x = null}') + ")\n}\n"
    ),
}
_TOO_DEEP_RULE = {".json": "ECS001", ".yaml": "ECS012", ".tf": "ECS014"}


@pytest.mark.parametrize("name", sorted(_DEEP))
@pytest.mark.parametrize("depth", [100, 101, 500, 990, 5000])
def test_nesting_beyond_100_is_refused_at_a_position(tmp_path: Path, name: str, depth: int) -> None:
    path = tmp_path / name
    path.write_text(_DEEP[name](depth))
    other = tmp_path / "other.json"
    other.write_text(_BAD_NAME)
    completed = run("check", "--format", "json", str(path), str(other))
    assert completed.returncode == 1
    found = _findings(completed)
    assert ("other.json", "ECS202") in [f[:2] for f in found]
    mine = [f for f in found if f[0] == name]
    rule = _TOO_DEEP_RULE[path.suffix]
    if depth <= 100:
        assert rule not in {f[1] for f in mine}  # as deep as the readers go: checked like any other
        return
    assert len(mine) == 1 and mine[0][1] == rule and "more than 100 deep" in mine[0][4]
    assert mine[0][2] > 1  # at the bracket that goes too deep, not at the top of the file


def test_aliases_cannot_nest_deeper_than_the_composer_saw(tmp_path: Path) -> None:
    path = tmp_path / "td.yaml"
    lines = ["family: x", "a0: &a0 " + _nested(90, "x")]
    lines += [f"a{i}: &a{i} " + _nested(90, f"*a{i - 1}") for i in range(1, 5)]
    path.write_text("\n".join(lines) + "\n")
    completed = run("check", "--format", "json", str(path))
    assert completed.returncode == 1
    assert [f[1:3] for f in _findings(completed)] == [("ECS012", 2)]  # inside a0, reached through a1 beyond 100


@pytest.mark.parametrize("name", sorted(_DEEP))
def test_the_deepest_document_accepted_needs_a_bounded_stack(name: str) -> None:
    """The readers accept 100 levels; every walk after them (schema, null walk, checks,
    CloudFormation conversion, Terraform, locating, suppressions) then fits in 500 frames (a run
    starts them about 30 frames deep, under a limit of 1,000), so the outcome
    never depends on how deep the caller's stack is or which files were checked before."""
    import inspect

    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    engine = Engine(builtin())
    raw = _DEEP[name](100).encode()
    expected = engine.check_bytes(name, raw)
    assert not expected.internal_errors
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 500)
    try:
        result = engine.check_bytes(name, raw)
    finally:
        sys.setrecursionlimit(limit)
    assert not result.internal_errors, result.internal_errors[0].traceback
    assert [(f.rule_id, f.span) for f in result.findings] == [(f.rule_id, f.span) for f in expected.findings]


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
@pytest.mark.parametrize("spelling", ["same", "dotted", "hard-link", "symlink", "stdin", "stdin-filename", "walked"])
def test_a_report_or_baseline_is_never_written_over_an_input(tmp_path: Path, option: str, spelling: str) -> None:
    td = tmp_path / "td.json"
    td.write_text(_BAD_NAME)
    target, arguments, stdin = str(td), [str(td)], None
    if spelling == "dotted":
        target = str(tmp_path / "sub" / ".." / "td.json")
        (tmp_path / "sub").mkdir()
    elif spelling == "hard-link":
        os.link(td, tmp_path / "hard.json")
        target = str(tmp_path / "hard.json")
    elif spelling == "symlink":
        (tmp_path / "link.json").symlink_to(td)
        target = str(tmp_path / "link.json")
    elif spelling == "stdin":
        arguments, stdin = ["-"], td
    elif spelling == "stdin-filename":
        arguments, stdin, target = ["--stdin-filename", "new.json", "-"], td, str(tmp_path / "new.json")
    elif spelling == "walked":
        arguments = [str(tmp_path)]
    with open(stdin if stdin is not None else os.devnull, "rb") as source:
        completed = subprocess.run(
            [str(ECSLINT), "check", option, target, *arguments],
            stdin=source,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 2, completed.stderr
    assert f"ecslint: error: {option} {target} is " in completed.stderr
    assert "refusing to write the" in completed.stderr and "Traceback" not in completed.stderr
    assert td.read_text() == _BAD_NAME
    assert not (tmp_path / "new.json").exists()


def test_last_runs_report_and_baseline_in_a_walked_folder_may_be_rewritten(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(_BAD_NAME)
    for _ in range(2):  # the second run walks the first run's report and baseline: not task definitions
        report = run("check", "--format", "json", "-o", str(tmp_path / "report.json"), str(tmp_path))
        assert report.returncode == 1, report.stderr
        baseline = run("check", "--write-baseline", str(tmp_path / "baseline.json"), str(tmp_path))
        assert baseline.returncode == 0, baseline.stderr
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["files"] == 1


def test_a_report_over_the_baseline_it_reads_is_refused(tmp_path: Path) -> None:
    td = tmp_path / "td.json"
    td.write_text(_BAD_NAME)
    baseline = tmp_path / "baseline.json"
    assert run("check", "--write-baseline", str(baseline), str(td)).returncode == 0
    before = baseline.read_text()
    completed = run("check", "--baseline", str(baseline), "-o", str(baseline), str(td))
    assert completed.returncode == 2 and "the baseline this run reads" in completed.stderr
    assert baseline.read_text() == before


@pytest.mark.parametrize(("jobs", "files"), [(1000, 3), (3, 1000), (1024, 70)])
def test_workers_are_bounded_by_files_and_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: int, files: int
) -> None:
    import concurrent.futures

    from ecslint.cli.main import main

    started: list[int] = []

    class Counting(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **options: object) -> None:
            started.append(max_workers)
            super().__init__(max_workers, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    for number in range(files):
        (tmp_path / f"td{number}.json").write_text(_BAD_NAME)
    code = main(["check", "-j", str(jobs), "--format", "json", str(tmp_path)])
    assert code == 1
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == files
    assert started == [min(jobs, files, 4)]


_KILL_ONE = """
import os, signal, sys
from ecslint.cli.main import main
from ecslint.engine import pipeline

real_parse = pipeline.parse

def parse_or_die(path, raw, size=None):
    if path.endswith("td13.json"):
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
    return real_parse(path, raw, size)

pipeline.parse = parse_or_die
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_a_worker_killed_while_checking_costs_only_that_file(tmp_path: Path, output_format: str) -> None:
    """A worker process killed (the OOM killer, a crash in C) used to leave the run waiting forever."""
    folder = tmp_path / "repo"
    folder.mkdir()
    for number in range(40):
        (folder / f"td{number}.json").write_text(_BAD_NAME)
    report = tmp_path / "report"
    arguments = ["check", "-j", "3", "--format", output_format, "-o", str(report), str(folder)]
    completed = subprocess.run(
        [sys.executable, "-c", _KILL_ONE, *arguments], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 2, completed.stderr
    assert f"{folder / 'td13.json'}: internal error: RuntimeError: the process checking this file died" in (
        completed.stderr
    )
    text = report.read_text()
    assert text.count("ECS202") == 39  # every other file keeps its findings
    assert str(folder / "td13.json") not in text


def _limit_memory_to_256_mib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (256 * 2**20, 256 * 2**20))


@pytest.mark.parametrize("through", ["path", "stdin"])
def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path, through: str) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # 1.65 GB, sparse: no disk, but a read would need the memory
        handle.truncate(1650 * 2**20)
    with path.open("rb") as source:
        completed = subprocess.run(
            [str(ECSLINT), "check", "--format", "json", str(path) if through == "path" else "-"],
            stdin=source,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limit_memory_to_256_mib,  # far below the file's size
            check=False,
        )
    assert completed.returncode == 1, completed.stderr
    [finding] = json.loads(completed.stdout)["findings"]
    assert finding["rule"] == "ECS015" and "the file is 1650.0 MiB" in finding["message"]


def test_a_pipe_is_read_no_further_than_the_limit() -> None:
    process = subprocess.Popen(
        [str(ECSLINT), "check", "--format", "json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory_to_256_mib,
    )
    assert process.stdin is not None
    chunk, written = b" " * 2**20, 0
    try:
        while written < 1024 * 2**20:  # an endless pipe, as far as ecslint can tell
            process.stdin.write(chunk)
            written += len(chunk)
        process.stdin.close()
    except BrokenPipeError:  # ecslint stopped reading and went on
        pass
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert written <= 16 * 2**20  # the 8 MiB limit, one more byte, and what the pipe buffers
    [finding] = json.loads(out)["findings"]
    assert finding["rule"] == "ECS015" and "the file is more than 8 MiB" in finding["message"]


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_file_whose_findings_cannot_be_rendered_costs_only_those(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    """With a baseline the report is rendered at the end, not file by file as it streams."""
    from ecslint.cli import run as run_module
    from ecslint.cli.main import main

    real = run_module.get_reporter

    def get_reporter(name: str):  # type: ignore[no-untyped-def]
        render = real(name)

        def rendering(findings, context):  # type: ignore[no-untyped-def]
            if any(f.path.endswith("bad.json") for f in findings):
                raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
            return render(findings, context)

        return rendering

    monkeypatch.setattr(run_module, "get_reporter", get_reporter)
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"ecslint-baseline": 1, "findings": []}')
    for name in ("a.json", "bad.json", "z.json"):
        (tmp_path / name).write_text(_BAD_NAME)
    paths = [str(tmp_path / name) for name in ("a.json", "bad.json", "z.json")]
    code = main(["check", "--baseline", str(baseline), "--format", output_format, *paths])
    captured = capsys.readouterr()
    assert code == 2
    assert f"{tmp_path / 'bad.json'}: internal error: ValueError" in captured.err
    assert str(tmp_path / "a.json") in captured.out and str(tmp_path / "z.json") in captured.out
    assert str(tmp_path / "bad.json") not in captured.out


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


@pytest.mark.parametrize(
    ("format_name", "shown"),
    [("github", "admin<U+202E><U+2066>"), ("gitlab", "admin<U+202E><U+2066>"), ("junit", "admin&lt;U+202E&gt;")],
)
def test_bidirectional_controls_are_shown_in_the_formats_a_web_page_renders(
    tmp_path: Path, format_name: str, shown: str
) -> None:
    path = tmp_path / "td.json"
    path.write_text('{"family": "admin\u202e\u2066", "containerDefinitions": []}', encoding="utf-8")
    completed = run("check", "--format", format_name, str(path))
    assert completed.returncode == 1 and shown in completed.stdout
    assert "\u202e" not in completed.stdout and "\u2066" not in completed.stdout
    # SARIF: the message shows them; the region's snippet is the file's text, exactly, for viewers to match
    sarif = json.loads(run("check", "--format", "sarif", str(path)).stdout)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "ECS202"]
    assert "admin<U+202E><U+2066>" in result["message"]["text"] and "\u202e" not in result["message"]["text"]
    # the JSON report is data for programs: it keeps the value exactly
    report = json.loads(run("check", "--format", "json", str(path)).stdout)
    [finding] = [f for f in report["findings"] if f["rule"] == "ECS202"]
    assert "admin\u202e\u2066" in finding["message"]


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
