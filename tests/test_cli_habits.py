"""End-to-end, through the ``ecslint`` console script: the habits users bring from ruff,
cfn-lint and hadolint (issue 13, "CLI habits")."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import ECSLINT, GOOD, run

pytestmark = pytest.mark.slow  # starts the console script for every case: in the full suite, not the fast subset

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "broken" / "seed-task-definition.json"


def run_env(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Like ``run``, with the colour variables exactly as given (``run`` sets NO_COLOR)."""
    base = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    completed = subprocess.run(
        [str(ECSLINT), *args], capture_output=True, cwd=cwd, env={**base, **env}, timeout=120, check=False
    )
    result = subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode(), completed.stderr.decode()
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _good(folder: Path, name: str = "td.json") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(GOOD, indent=2))
    return path


@pytest.mark.parametrize(
    "command", [[], ["check"], ["rules"], ["rules", "test"], ["explain"], ["config"]], ids=" ".join
)
def test_dash_h_is_help_on_every_command(command: list[str]) -> None:
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.returncode == 0 and short.stdout == long.stdout
    assert "-h, --help" in short.stdout


def test_summary_counts_the_severities_found_and_the_files_with_findings(tmp_path: Path) -> None:
    _good(tmp_path / "a")
    _good(tmp_path / "b")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "seed.json").write_bytes(SEED.read_bytes())
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    # (the seed's three placeholder account ids are one ECS304 finding)
    assert result.stdout.splitlines()[-1] == "Found 3 errors, 3 warnings and 1 info in 1 of 3 files."
    warnings_only = run("check", "--ignore", "ECS505,ECS002,ECS202,ECS304", str(tmp_path / "c"))
    assert warnings_only.stdout.splitlines()[-1] == "Found 3 warnings in 1 file."


def test_quiet_prints_findings_only(tmp_path: Path) -> None:
    loud, quiet = run("check", str(SEED)), run("check", "-q", str(SEED))
    assert quiet.returncode == loud.returncode == 1
    assert loud.stdout == quiet.stdout + "\nFound 3 errors, 3 warnings and 1 info in 1 file.\n"
    clean = run("check", "--quiet", str(_good(tmp_path)))
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_a_walk_that_finds_no_task_definition_says_so_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    result = run("check", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout == "No problems found in 0 files.\n"
    assert result.stderr == f"ecslint: warning: no task definition found in {tmp_path}\n"
    assert run("check", "-q", str(tmp_path)).stderr == ""


def test_verbose_says_which_configuration_and_what_was_walked_on_stderr(tmp_path: Path) -> None:
    _good(tmp_path / "deploy")
    (tmp_path / "deploy" / "package.json").write_text('{"name": "x"}')
    (tmp_path / ".ecslint.toml").write_text('fail-on = "warning"\n')
    result = run("check", "-v", "deploy", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "No problems found in 1 file.\n"
    lines = result.stderr.splitlines()
    assert lines[0] == f"ecslint: configuration: {tmp_path / '.ecslint.toml'}"
    assert lines[1].startswith(
        "ecslint: 2 inputs (2 found by walking folders, 0 files and folders left out by .gitignore/.ignore); "
        "1 task definition file checked, 1 skipped; "
    )
    (tmp_path / "deploy" / ".gitignore").write_text("old/\n*.bak.json\n")
    (tmp_path / "deploy" / "old").mkdir()
    (tmp_path / "deploy" / "x.bak.json").write_text("{}")
    again = run("check", "-v", "deploy", cwd=tmp_path).stderr.splitlines()[1]
    assert "(2 found by walking folders, 2 files and folders left out by .gitignore/.ignore)" in again
    assert lines[1].endswith(" s")


def test_statistics_count_findings_per_rule_as_ruff_does() -> None:
    result = run("check", "--statistics", str(SEED))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # one finding per mistake: each rule counts 1 on the seed, so the table is in code order
    assert lines[0] == "1  ECS002  error    typographic-quote  [*]"
    assert "1  ECS304  error    placeholder-value" in lines
    assert lines[-1] == "Found 3 errors, 3 warnings and 1 info in 1 file."
    assert sum(int(line.split()[0]) for line in lines[:-2]) == 7
    table = json.loads(run("check", "--statistics", "--format", "json", str(SEED)).stdout)
    placeholder = {"code": "ECS304", "name": "placeholder-value", "severity": "error", "count": 1, "fixable": False}
    assert placeholder in table
    assert run("check", "--statistics", "--format", "sarif", str(SEED)).returncode == 2


def test_exit_zero_keeps_the_report_and_exits_zero() -> None:
    result = run("check", "--exit-zero", str(SEED))
    assert result.returncode == 0
    assert result.stdout == run("check", str(SEED)).stdout
    assert run("check", "--exit-zero", str(SEED) + ".missing").returncode == 2  # still 2: could not check


def test_no_color_and_force_color(tmp_path: Path) -> None:
    # captured output is not a terminal: plain by default, coloured with FORCE_COLOR
    assert "\x1b[" not in run_env("check", str(SEED), env={}).stdout
    assert "\x1b[31m" in run_env("check", str(SEED), env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_env("check", str(SEED), env={"FORCE_COLOR": ""}).stdout  # empty: unset
    assert "\x1b[" not in run_env("check", str(SEED), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in run_env("check", "--color", "never", str(SEED), env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in run_env("check", "--color", "always", str(SEED), env={"NO_COLOR": "1"}).stdout
    out = tmp_path / "report.txt"
    run_env("check", "-o", str(out), str(SEED), env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", str(SEED)], 1),
        (["check", "--format", "json", str(SEED)], 1),
        (["check", "--statistics", str(SEED)], 1),
        (["check", "--exit-zero", str(SEED)], 0),
        (["rules"], 0),
        (["explain", "ECS102"], 0),
    ],
    ids=lambda value: " ".join(value[:2]) if isinstance(value, list) else str(value),
)
def test_a_closed_pipe_ends_quietly_with_the_usual_exit_code(args: list[str], code: int) -> None:
    # the reader is gone before ecslint writes a byte, as `ecslint check . | head -1` can leave it
    process = subprocess.Popen(
        [str(ECSLINT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"}
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == code
    assert stderr == ""


def test_head_one_in_a_shell_pipeline() -> None:
    result = subprocess.run(
        f"'{ECSLINT}' check '{SEED}' | head -c 1; echo \" ${{PIPESTATUS[0]}}\"",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert (result.stdout, result.stderr) == ("/ 1\n", "")


def test_rules_and_explain_see_custom_rules_from_flags_and_configuration(tmp_path: Path) -> None:
    policies = REPO / "examples" / "policies"
    listing = run("rules", "--rules", str(policies))
    assert listing.returncode == 0
    assert any(line.startswith("ORG004  unchecked-essential-container") for line in listing.stdout.splitlines())
    assert "ORG004" not in run("rules").stdout
    ids = [rule["id"] for rule in json.loads(run("rules", "-f", "json", "--rules", str(policies)).stdout)]
    assert ids[-5:] == ["ORG001", "ORG002", "ORG003", "ORG004", "ORG005"]
    explained = run("explain", "--rules", str(policies), "unchecked-essential-container")
    assert explained.returncode == 0 and explained.stdout.startswith("ORG004 unchecked-essential-container (warning")
    # the configured rules-dirs, as `ecslint check` reads them
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "ORG001.yaml").write_bytes((policies / "ORG001-image-outside-org-registries.yaml").read_bytes())
    (tmp_path / ".ecslint.toml").write_text('rules-dirs = ["pol"]\n')
    assert run("explain", "ORG001", cwd=tmp_path).stdout.startswith("ORG001 image-outside-org-registries")
    assert "ORG001" in run("rules", cwd=tmp_path).stdout
    assert run("explain", "ORG001", "--no-config", cwd=tmp_path).returncode == 2
    # a broken rule file is reported, and the command says so in its exit code
    (tmp_path / "pol" / "ORG009.yaml").write_text("id: ORG009\n")
    broken = run("rules", cwd=tmp_path)
    assert broken.returncode == 2 and "ORG001" in broken.stdout
    assert broken.stderr.startswith("ecslint: error: ") and "ORG009.yaml" in broken.stderr


def test_concise_gitlab_and_junit_formats(tmp_path: Path) -> None:
    concise = run("check", "-f", "concise", str(SEED))
    assert concise.returncode == 1
    lines = concise.stdout.splitlines()
    assert lines[0].startswith(f"{SEED}:2:2: ECS002 error typographic quote")
    assert lines[-2:] == ["", "Found 3 errors, 3 warnings and 1 info in 1 file."] and len(lines) == 9
    assert len(run("check", "-q", "-f", "concise", str(SEED)).stdout.splitlines()) == 7

    gitlab = run("check", "-f", "gitlab", str(SEED), cwd=REPO)
    issues = json.loads(gitlab.stdout)
    assert gitlab.returncode == 1 and len(issues) == 7
    assert {issue["severity"] for issue in issues} == {"blocker", "major", "info"}
    assert len({issue["fingerprint"] for issue in issues}) == 7
    assert {issue["location"]["path"] for issue in issues} == {str(SEED)}

    out = tmp_path / "report.xml"
    junit = run("check", "-f", "junit", "-o", str(out), str(SEED))
    assert junit.returncode == 1 and junit.stdout == ""
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.parse(out).getroot()
    assert root.attrib["failures"] == "7" and len(root[0]) == 7
    clean = ElementTree.fromstring(run("check", "-f", "junit", str(_good(tmp_path))).stdout)
    assert clean.attrib["failures"] == "0" and clean[0][0].attrib["name"] == "no problems found in 1 file"


@pytest.mark.parametrize("output_format", ["concise", "gitlab", "junit"])
def test_new_formats_are_the_same_from_worker_processes(tmp_path: Path, output_format: str) -> None:
    for index in range(3):
        (tmp_path / f"seed{index}.json").write_bytes(SEED.read_bytes())
    one = run("check", "-j", "1", "-f", output_format, str(tmp_path))
    two = run("check", "-j", "2", "-f", output_format, str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout


def test_several_reports_from_one_run(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "ecslint.sarif", tmp_path / "report.xml"
    result = run("check", "--report", f"sarif={sarif}", "--report", f"junit={junit}", str(SEED))
    assert result.returncode == 1
    assert result.stdout == run("check", str(SEED)).stdout  # the text report on the terminal, as always
    assert sarif.read_text("utf-8") == run("check", "-f", "sarif", str(SEED)).stdout
    assert junit.read_text("utf-8") == run("check", "-f", "junit", str(SEED)).stdout
    # the main report may go to a file too, and the extra ones follow a baseline (the run that is not streamed)
    main, gitlab = tmp_path / "main.json", tmp_path / "gl.json"
    baseline = tmp_path / "baseline.json"
    run("check", "--write-baseline", str(baseline), "--select", "ECS304", str(SEED))  # and ECS002: syntax
    after = run(
        "check", "--baseline", str(baseline), "-f", "json", "-o", str(main), f"--report=gitlab={gitlab}", str(SEED)
    )
    assert after.returncode == 1 and after.stdout == ""
    assert len(json.loads(main.read_text("utf-8"))["findings"]) == len(json.loads(gitlab.read_text("utf-8"))) == 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("sarif", "write it FORMAT=PATH"),
        ("sarif=", "write it FORMAT=PATH"),
        ("sarif=-", "write it FORMAT=PATH"),
        ("xml=out.xml", "'xml' is not one of text, json, sarif, github, concise, gitlab, junit"),
    ],
)
def test_report_usage_errors(value: str, message: str) -> None:
    result = run("check", "--report", value, str(SEED))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("ecslint: error: --report ") and message in result.stderr


def test_report_paths_must_differ(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = run("check", "-o", str(out), "--report", f"sarif={out}", str(SEED))
    assert result.returncode == 2 and "is already written by another report" in result.stderr
    assert not out.exists()


def test_folder_walks_respect_gitignore_unless_no_ignore(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "deploy" / ".ignore").parent.mkdir()
    (tmp_path / "deploy" / ".ignore").write_text("seed.json\n")
    _good(tmp_path / "deploy")
    for folder in ("generated", "deploy"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "seed.json").write_bytes(SEED.read_bytes())
    walked = run("check", ".", cwd=tmp_path)
    assert (walked.returncode, walked.stdout) == (0, "No problems found in 1 file.\n")
    # a folder named on the command line is walked although ignored (as ripgrep and ruff do)
    named_folder = run("check", "deploy", "generated", cwd=tmp_path)
    assert named_folder.stdout.splitlines()[-1] == "Found 3 errors, 3 warnings and 1 info in 1 of 2 files."
    named = run("check", "generated/seed.json", "deploy/seed.json", cwd=tmp_path)  # files named are checked
    assert named.stdout.splitlines()[-1] == "Found 6 errors, 6 warnings and 2 info in 2 files."
    everything = run("check", "--no-ignore", ".", cwd=tmp_path)
    assert everything.stdout.splitlines()[-1] == "Found 6 errors, 6 warnings and 2 info in 2 of 3 files."


MISTAKES = REPO / "examples" / "broken" / "fargate-mistakes.json"


def test_fix_says_what_it_changed_and_what_unsafe_fixes_would(tmp_path: Path) -> None:
    seed, mistakes = tmp_path / "seed.json", tmp_path / "mistakes.json"
    seed.write_bytes(SEED.read_bytes())
    mistakes.write_bytes(MISTAKES.read_bytes())
    fixed = run("check", "--fix", str(seed), str(mistakes))
    assert fixed.returncode == 1
    assert fixed.stderr == "Fixed 87 problems in 2 files (ECS002: 86, ECS021: 1). 2 more with --unsafe-fixes.\n"
    assert json.loads(mistakes.read_text())["cpu"] == "256"
    again = run("check", "--fix", str(seed), str(mistakes))
    assert again.stderr == "No fixes applied. 2 more with --unsafe-fixes.\n"
    assert run("check", "--fix", "-q", str(seed)).stderr == ""


def test_unsafe_fixes_apply_the_type_conversions_and_key_renames_the_hints_spell_out(tmp_path: Path) -> None:
    mistakes = tmp_path / "mistakes.json"
    mistakes.write_bytes(MISTAKES.read_bytes())
    shown = run("check", "--diff", "--unsafe-fixes", str(mistakes))
    assert shown.returncode == 1 and shown.stderr == "Would fix 3 problems in 1 file (ECS020: 1, ECS021: 2).\n"
    assert '+      "name": "checkout",' in shown.stdout.splitlines()
    assert mistakes.read_bytes() == MISTAKES.read_bytes()  # --diff writes nothing
    fixed = run("check", "--fix", "--unsafe-fixes", str(mistakes))
    assert fixed.stderr == "Fixed 3 problems in 1 file (ECS020: 1, ECS021: 2).\n"
    container = json.loads(mistakes.read_text())["containerDefinitions"][0]
    assert container["name"] == "checkout" and container["memory"] == 512 and "Name" not in container
    assert "ECS020" not in fixed.stdout and "ECS021" not in fixed.stdout
    assert run("check", "--unsafe-fixes", str(mistakes)).returncode == 2  # it goes with --fix or --diff


def test_fix_dash_reads_stdin_and_writes_the_fixed_text_to_stdout_findings_to_stderr() -> None:
    result = run("check", "--fix", "--stdin-filename", "seed.json", "-", stdin=SEED.read_bytes())
    assert result.returncode == 1
    fixed = json.loads(result.stdout)  # the curly quotes are straight now: the output parses
    assert fixed["family"] == "タスク名"
    assert result.stderr.startswith("Fixed 86 problems in 1 file (ECS002: 86).\nseed.json:2:13: ECS202 error")
    assert "ECS002" not in result.stderr.split("\n", 1)[1]
    assert result.stderr.endswith("Found 2 errors, 3 warnings and 1 info in 1 file.\n")
    clean = run("check", "--fix", "-", stdin=json.dumps(GOOD).encode())
    assert (clean.returncode, clean.stdout) == (0, json.dumps(GOOD))  # nothing to fix: the text as it came
    assert run("check", "--fix", "-", str(SEED), stdin=b"{}").returncode == 2


def test_named_files_skipped_by_a_hook_are_no_reason_to_warn(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    hook = run("check", "--only-task-definitions", str(tmp_path / "package.json"))
    assert (hook.returncode, hook.stderr) == (0, "")
