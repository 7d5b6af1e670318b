"""The typer-free parser of ``ecslint check`` agrees with the typer application."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.cli import checkargs
from ecslint.cli.checkargs import OPTIONS, CheckArguments, parse
from ecslint.cli.commands import app
from ecslint.cli.main import main
from tests.test_cli import ECSLINT

GOOD = Path(__file__).parent.parent / "examples" / "fargate-web.json"


def _typer_parse(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> CheckArguments | None:
    """What the typer application hands to ``execute`` for ``ecslint check ARGV`` (None: it refused)."""
    seen: list[CheckArguments] = []

    def capture(arguments: CheckArguments) -> int:
        seen.append(arguments)
        return 0

    monkeypatch.setattr(checkargs, "execute", capture)
    try:
        app(args=["check", *argv], prog_name="ecslint", standalone_mode=False)
    except typer.Exit:
        pass
    except Exception:  # click's usage errors: typer refused the command line
        return None
    return seen[0] if seen else None


def test_options_are_exactly_the_ones_typer_declares() -> None:
    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    declared = {}
    for param in command.params:
        if param.param_type_name == "argument":
            assert (param.name, param.nargs) == ("paths", -1)
            continue
        if param.name == "help":
            continue
        kind = "flag" if param.is_flag else "multi" if param.multiple else "value"
        choices = tuple(getattr(param.type, "choices", ()))
        declared[param.name] = (tuple(param.opts + param.secondary_opts), kind, choices)
    ours = {option.dest: (option.flags, option.kind, option.choices) for option in OPTIONS}
    assert ours == declared


@pytest.mark.parametrize(
    "argv",
    [
        ["a.json"],
        ["a.json", "b.yaml", "-"],
        ["--format", "json", "a.json"],
        ["-f", "sarif", "-o", "out.sarif", "a.json"],
        ["-fjson", "a.json", "-j2"],
        ["--format=github", "--fail-on=warning", "dir"],
        ["a.json", "--select", "ECS1", "--select", "ECS2,ECS3", "--ignore=ECS210"],
        ["--rules", "policies", "--rules", "more", "--exclude", "*.tf", "a.json"],
        ["--fix", "--diff", "--debug", "--no-config", "a.json"],
        ["--isolated", "--report-unused-ignores", "--only-task-definitions", "a.json"],
        ["--config", "x.toml", "--baseline", "b.json", "--write-baseline", "c.json", "a.json"],
        ["--color", "never", "--stdin-filename", "td.json", "-"],
        ["--jobs", "0", "a.json"],
        ["-j", "1024", "a.json"],
        ["--", "-odd-name.json"],
        ["a.json", "--extend-select", "ECS604"],
        ["-q", "-v", "--statistics", "--exit-zero", "a.json"],
        ["--quiet", "--verbose", "a.json"],
        ["--report", "sarif=x.sarif", "--report=junit=r.xml", "-f", "concise", "a.json"],
        ["--format", "gitlab", "a.json"],
        ["--no-ignore", "dir"],
        ["--var", "ACCOUNT_ID=210987654321", "--var=IMAGE_TAG", "--vars-file", "ci.env", "td.json"],
        ["--target", "deploy-action", "td.json"],
        ["--target=terraform", "containers.json"],
    ],
)
def test_common_command_lines_take_the_fast_path_and_agree(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse(argv)
    assert fast is not None
    assert fast == _typer_parse(argv, monkeypatch)


@pytest.mark.parametrize(
    "argv",
    [
        [],  # missing paths
        ["--help"],
        ["--bogus", "a.json"],
        ["--format", "yaml", "a.json"],  # not a format
        ["--format"],  # missing value
        ["--jobs", "-1", "a.json"],
        ["--jobs", "two", "a.json"],
        ["--jobs", "1025", "a.json"],  # beyond MAX_JOBS
        ["-j", "99999999999999999999", "a.json"],
        ["-j", "1" + "0" * 5000, "a.json"],  # more digits than int() reads
        ["--fix=yes", "a.json"],
        ["-x", "a.json"],
        ["--select", "--ignore", "a.json"],  # an option where a value belongs
        ["--output=", "a.json"],
        ["-qv", "a.json"],  # bundled short flags: typer's
        ["-h"],
    ],
)
def test_unusual_command_lines_are_left_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


_WORDS = st.sampled_from(["a.json", "dir", "-", "ECS1", "ECS210,ECS2", "x y", "json", "7", "é.yaml", ""])


@st.composite
def _command_lines(draw: st.DrawFn) -> list[str]:
    tokens: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            tokens.append(draw(_WORDS))
            continue
        option = draw(st.sampled_from(OPTIONS))
        flag = draw(st.sampled_from(option.flags))
        if option.kind == "flag":
            tokens.append(flag)
            continue
        value = draw(st.sampled_from(option.choices) if option.choices and choice < 3 else _WORDS)
        if flag.startswith("--") and draw(st.booleans()):
            tokens.append(f"{flag}={value}")
        else:
            tokens.extend([flag, value])
    if draw(st.booleans()):
        tokens.extend(["--", draw(_WORDS)])
    return tokens


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_command_lines())
def test_generated_command_lines_parse_as_typer_parses_them(argv: list[str]) -> None:
    fast = parse(argv)
    if fast is None:
        return  # typer parses it, as it always did
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert fast == _typer_parse(argv, monkeypatch)


def test_check_never_imports_typer(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code = (
        "import sys; from ecslint.cli.main import main; "
        f"code = main(['check', {str(GOOD)!r}, '--format', 'json', '-o', {str(report)!r}]); "
        "sys.exit(10 + code if 'typer' in sys.modules else 20 + code if 'pathspec' in sys.modules else code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert '"findings": []' in report.read_text(encoding="utf-8")


def test_pathspec_is_imported_only_when_a_walk_meets_an_ignore_file(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_bytes(GOOD.read_bytes())
    code = (
        "import sys; from ecslint.cli.main import main; "
        f"code = main(['check', '-q', {str(tmp_path)!r}]); "
        "print('pathspec' in sys.modules); sys.exit(code)"
    )
    walked = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (walked.returncode, walked.stdout) == (0, "False\n"), walked.stderr
    (tmp_path / ".gitignore").write_text("*.bak.json\n")
    ignoring = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (ignoring.returncode, ignoring.stdout) == (0, "True\n"), ignoring.stderr


def test_help_and_usage_errors_still_come_from_typer() -> None:
    helped = subprocess.run([str(ECSLINT), "check", "--help"], capture_output=True, text=True, check=False)
    assert helped.returncode == 0
    assert "--only-task-definitions" in helped.stdout
    bad = subprocess.run([str(ECSLINT), "check", "--bogus", str(GOOD)], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "No such option: --bogus" in bad.stderr
    missing = subprocess.run([str(ECSLINT), "check"], capture_output=True, text=True, check=False)
    assert missing.returncode == 2
    assert "Missing argument 'PATH...'" in missing.stderr


def test_interrupt_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(arguments: CheckArguments) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(checkargs, "execute", interrupted)
    assert main(["check", str(GOOD)]) == 130
    assert capsys.readouterr().err == "ecslint: interrupted\n"


@pytest.mark.parametrize("value", ["-1", "1025", "99999999999999999999", "1" + "0" * 5000, "2.5", ""])
def test_absurd_job_counts_are_refused_by_both_parsers(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse(["-j", value, "a.json"]) is None  # the fast parser leaves it to typer...
    assert _typer_parse(["-j", value, "a.json"], monkeypatch) is None  # ...which refuses it
    completed = subprocess.run(
        [str(ECSLINT), "check", "-j", value, str(GOOD)], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 2
    assert "Invalid value for '--jobs' / '-j'" in completed.stderr


def test_targets_are_the_catalogue_consumers() -> None:
    from ecslint.catalogue.entries import CONSUMERS
    from ecslint.cli.checkargs import TARGETS

    assert TARGETS == CONSUMERS
