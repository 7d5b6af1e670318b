"""Configuration: discovery, every setting, precedence (file < flag) and errors with positions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.cli.configshow import render
from ecslint.config.selection import configure
from ecslint.config.settings import Config, load
from ecslint.core.errors import ConfigError
from ecslint.core.model import Severity
from tests.test_cli import GOOD, run
from tests.workcount import grows_linearly, regex_steps

pytestmark = pytest.mark.slow  # each case runs the console script in a new process

LATEST = json.loads(json.dumps(GOOD))
LATEST["containerDefinitions"][0]["image"] = "nginx:latest"  # ECS210, a warning
# Rules other than these may come and go in the catalogue: the tests look only at these, and
# tests about exit codes select just the two rules they are about.
WATCHED = {"ECS004", "ECS090", "ECS202", "ECS210", "ORG003", "TST801"}
ONLY = 'select = ["ECS202", "ECS210"]\n'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _td(directory: Path, name: str = "td.json", document: object = LATEST) -> Path:
    return _write(directory / name, json.dumps(document, indent=2))


def _rules(result_stdout: str) -> list[str]:
    return sorted(f["rule"] for f in json.loads(result_stdout)["findings"] if f["rule"] in WATCHED)


# -- discovery ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".ecslint.toml", 'ignore = ["ECS210"]\n'),
        (".ecslint.yaml", "ignore: [ECS210]\n"),
        (".ecslint.yml", "ignore:\n  - latest-image-tag\n"),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.ecslint]\nignore = ["ECS210"]\n'),
    ],
)
def test_config_is_found_by_walking_up(tmp_path: Path, name: str, text: str) -> None:
    _write(tmp_path / name, text)
    nested = tmp_path / "deploy" / "prod"
    nested.mkdir(parents=True)
    config = load(start=nested)
    assert config.path == tmp_path / name
    assert [ref.key for ref in config.layers[0].ignore] in (["ECS210"], ["latest-image-tag"])
    _td(nested)
    result = run("check", "--format", "json", "td.json", cwd=nested)
    assert result.returncode == 0 and _rules(result.stdout) == []


def test_pyproject_without_a_tool_ecslint_table_is_passed_over(tmp_path: Path) -> None:
    _write(tmp_path / ".ecslint.toml", 'ignore = ["ECS210"]\n')
    _write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "ecslint-user"\n')
    assert load(start=tmp_path / "app").path == tmp_path / ".ecslint.toml"


def test_a_broken_pyproject_is_searched_for_the_table_in_linear_steps(tmp_path: Path) -> None:
    # "^\s*" read on through every blank line below each line start: quadratic in blank lines
    from ecslint.config.files import _ECSLINT_TABLE

    grows_linearly(lambda count: regex_steps(_ECSLINT_TABLE, "\n" * count + "[tool.ecslint\n"), 200)
    grows_linearly(lambda count: regex_steps(_ECSLINT_TABLE, " \n" * count + "x = [ecslint"), 200)
    _write(tmp_path / ".ecslint.toml", 'ignore = ["ECS210"]\n')
    _write(tmp_path / "a" / "pyproject.toml", '[project\n\n  \t[tool.ecslint]\nignore = ["ECS210"]\n')
    _write(tmp_path / "b" / "pyproject.toml", "[project\n# ecslint\n")
    with pytest.raises(ConfigError):
        load(start=tmp_path / "a")  # the table is there: its own file's syntax error is reported
    assert load(start=tmp_path / "b").path == tmp_path / ".ecslint.toml"


def test_the_nearest_file_wins_and_no_file_means_defaults(tmp_path: Path) -> None:
    _write(tmp_path / ".ecslint.toml", 'fail-on = "info"\n')
    _write(tmp_path / "sub" / ".ecslint.yaml", "fail-on: warning\n")
    assert load(start=tmp_path / "sub").fail_on == "warning"
    assert load(isolated=True, start=tmp_path / "sub") == Config(root=load(isolated=True).root)


def test_config_flag_and_no_config(tmp_path: Path) -> None:
    _td(tmp_path)
    _write(tmp_path / ".ecslint.toml", ONLY + 'ignore = ["ECS210"]\nfail-on = "warning"\n')
    _write(tmp_path / "strict.toml", ONLY + 'fail-on = "warning"\n')
    assert run("check", "td.json", cwd=tmp_path).returncode == 0
    assert run("check", "--config", "strict.toml", "td.json", cwd=tmp_path).returncode == 1
    no_config = run("check", "--no-config", "--select", "ECS210", "--fail-on", "warning", "td.json", cwd=tmp_path)
    assert no_config.returncode == 1
    missing = run("check", "--config", "nope.toml", "td.json", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml: configuration file not found" in missing.stderr


# -- every setting --------------------------------------------------------------------------


def test_select_by_prefix_id_and_name(tmp_path: Path) -> None:
    document = {**LATEST, "family": "bad name!"}  # ECS202 and ECS210
    _td(tmp_path, document=document)
    for selector in ('"ECS2"', '"ECS202", "latest-image-tag"'):
        _write(tmp_path / ".ecslint.toml", f"select = [{selector}]\n")
        assert _rules(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout) == ["ECS202", "ECS210"]
    _write(tmp_path / ".ecslint.toml", 'select = ["invalid-family-name"]\n')
    assert _rules(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout) == ["ECS202"]


def test_select_and_ignore_by_consequence(tmp_path: Path) -> None:
    document = {**LATEST, "family": "bad name!"}  # ECS202 (rejected) and ECS210 (reliability)
    _td(tmp_path, document=document)
    flags = ("check", "--no-config", "-f", "json", "td.json")
    assert _rules(run(*flags, "--select", "rejected", cwd=tmp_path).stdout) == ["ECS202"]
    assert _rules(run(*flags, "--select", "reliability,rejected", cwd=tmp_path).stdout) == ["ECS202", "ECS210"]
    assert _rules(run(*flags, "--ignore", "REJECTED", cwd=tmp_path).stdout) == ["ECS210"]
    # a prefix is more specific than a consequence, an id or name more than both
    assert _rules(run(*flags, "--select", "rejected", "--ignore", "ECS2", cwd=tmp_path).stdout) == []
    assert _rules(run(*flags, "--ignore", "rejected", "--extend-select", "ECS202", cwd=tmp_path).stdout) == [
        "ECS202",
        "ECS210",
    ]
    _write(tmp_path / ".ecslint.toml", 'select = ["reliability"]\n[severity]\nreliability = "error"\n')
    report = json.loads(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout)
    assert {(f["rule"], f["severity"]) for f in report["findings"] if f["rule"] in WATCHED} == {("ECS210", "error")}


def test_select_keeps_syntax_errors(tmp_path: Path) -> None:
    _write(tmp_path / "td.json", '{"family": "web", "containerDefinitions": [],}')
    _write(tmp_path / ".ecslint.toml", 'select = ["ECS210"]\n')
    assert "ECS004" in _rules(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout)


def test_ignore_and_extend_select_most_specific_wins(tmp_path: Path) -> None:
    document = {**LATEST, "family": "bad name!"}
    _td(tmp_path, document=document)
    _write(tmp_path / ".ecslint.toml", 'ignore = ["ECS2"]\nextend-select = ["ECS210"]\n')
    assert _rules(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout) == ["ECS210"]
    _write(tmp_path / ".ecslint.toml", 'select = ["ECS2"]\nignore = ["ECS21"]\n')
    assert _rules(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout) == ["ECS202"]


def test_per_file_ignores(tmp_path: Path) -> None:
    _td(tmp_path / "legacy", "old.json")
    _td(tmp_path / "services", "new.json")
    _write(tmp_path / ".ecslint.toml", '[per-file-ignores]\n"legacy/**" = ["latest-image-tag"]\n')
    result = run("check", "-f", "json", ".", cwd=tmp_path)
    paths = {Path(f["path"]).name for f in json.loads(result.stdout)["findings"] if f["rule"] == "ECS210"}
    assert paths == {"new.json"}


def test_severity_override(tmp_path: Path) -> None:
    _td(tmp_path)
    _write(tmp_path / ".ecslint.toml", ONLY + '[severity]\nlatest-image-tag = "error"\n')
    result = run("check", "-f", "json", "td.json", cwd=tmp_path)
    assert result.returncode == 1
    assert [f["severity"] for f in json.loads(result.stdout)["findings"]] == ["error"]
    sarif = json.loads(run("check", "-f", "sarif", "td.json", cwd=tmp_path).stdout)
    descriptor = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "ECS210")
    assert descriptor["defaultConfiguration"]["level"] == "error"


@pytest.mark.parametrize(("setting", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_setting(tmp_path: Path, setting: str, code: int) -> None:
    _td(tmp_path)
    _write(tmp_path / ".ecslint.yaml", f"select: [ECS210]\nfail-on: {setting}\n")
    assert run("check", "td.json", cwd=tmp_path).returncode == code


def test_format_setting(tmp_path: Path) -> None:
    _td(tmp_path)
    _write(tmp_path / ".ecslint.toml", ONLY + 'format = "github"\n')
    assert run("check", "td.json", cwd=tmp_path).stdout.startswith("::warning file=td.json")


def test_include_and_exclude_apply_to_folder_walks(tmp_path: Path) -> None:
    _td(tmp_path / "deploy", "a.json")
    _td(tmp_path / "deploy", "b.json")
    _td(tmp_path / "vendor", "c.json")
    _write(tmp_path / ".ecslint.toml", ONLY + 'include = ["deploy/**", "vendor/**"]\nexclude = ["vendor", "b.json"]\n')
    report = json.loads(run("check", "-f", "json", ".", cwd=tmp_path).stdout)
    assert {Path(f["path"]).name for f in report["findings"]} == {"a.json"}
    named = json.loads(run("check", "-f", "json", "vendor/c.json", cwd=tmp_path).stdout)
    assert len(named["findings"]) == 1, "a file named on the command line is checked"
    _write(tmp_path / ".ecslint.toml", ONLY + 'exclude = ["vendor"]\nforce-exclude = true\n')
    assert json.loads(run("check", "-f", "json", "vendor/c.json", cwd=tmp_path).stdout)["findings"] == []
    flag = run("check", "-f", "json", "--no-config", "--select", "ECS210", "--exclude", "deploy", ".", cwd=tmp_path)
    assert {Path(f["path"]).name for f in json.loads(flag.stdout)["findings"]} == {"c.json"}


def test_rules_dirs_and_rule_options(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "policies", tmp_path / "policies")
    policies = tmp_path / "policies"
    document = {**GOOD, "tags": [{"key": "team", "value": "web"}]}
    _td(tmp_path, document=document)
    _write(tmp_path / ".ecslint.toml", f'rules-dirs = ["{policies.as_posix()}"]\nselect = ["ORG003"]\n')
    result = run("check", "-f", "json", "td.json", cwd=tmp_path)
    assert _rules(result.stdout) == ["ORG003"]
    assert "team, cost-center" in json.loads(result.stdout)["findings"][0]["message"]
    _write(
        tmp_path / ".ecslint.toml",
        f'rules-dirs = ["{policies.as_posix()}"]\nselect = ["ORG003"]\n\n[rules.ORG003]\nrequired-tags = ["team"]\n',
    )
    assert _rules(run("check", "-f", "json", "td.json", cwd=tmp_path).stdout) == []


@pytest.mark.parametrize("value", ["/", "..", "../..", "policies/../.."])
def test_rules_dirs_outside_the_project_are_refused_unless_named_with_rules(tmp_path: Path, value: str) -> None:
    project = tmp_path / "a" / "project"
    (project / "policies").mkdir(parents=True)
    _td(project)
    _write(project / ".ecslint.toml", f'rules-dirs = ["{value}"]\n')
    result = run("check", "td.json", cwd=project)
    assert result.returncode == 2
    assert f".ecslint.toml:1:15: rules-dirs: '{value}' is outside the project" in result.stderr
    outside = tmp_path / "shared-policies"
    outside.mkdir()
    examples = Path(__file__).resolve().parents[1] / "examples" / "policies"
    (outside / "ORG003.yaml").write_text((examples / "ORG003-missing-required-tags.yaml").read_text())
    named = run("check", "--no-config", "--rules", str(outside), "-f", "json", "td.json", cwd=project)
    assert "ORG003" in _rules(named.stdout)


def test_a_rule_file_that_vanishes_during_the_walk_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.catalogue import rulesets

    policies = Path(__file__).resolve().parents[1] / "examples" / "policies"
    (tmp_path / "rules").mkdir()
    for source in policies.glob("*.yaml"):
        (tmp_path / "rules" / source.name).write_text(source.read_text())
    real = rulesets.rule_files

    def walk_then_delete(directory: Path) -> list[Path]:
        files = real(directory)
        files[0].unlink()  # listed, then removed before it is read
        return files

    monkeypatch.setattr(rulesets, "rule_files", walk_then_delete)
    rules, errors = rulesets.load_custom([tmp_path / "rules"], builtin())
    assert errors == [] and len(rules) == len(list(policies.glob("*.yaml"))) - 1


def test_rule_options_reach_python_checks(tmp_path: Path) -> None:
    from ecslint import checks
    from ecslint.catalogue.entries import Catalogue, rule_from_mapping
    from ecslint.core.model import Violation
    from ecslint.core.taskdef import TaskDef
    from ecslint.engine.pipeline import Engine

    def families(td: TaskDef, options: dict[str, object]) -> list[Violation]:
        allowed = options["allowed"]
        family = td.data.get("family")
        return [] if isinstance(allowed, list) and family in allowed else [Violation("/family", {"family": family})]

    checks.registered()
    checks._REGISTRY["test_config_families"] = families  # type: ignore[assignment]
    try:
        entry = {
            "id": "TST801",
            "name": "family-not-allowed",
            "severity": "error",
            "consequence": "style",
            "summary": "Checks the family.",
            "rationale": "Test.",
            "references": ["https://docs.aws.amazon.com/"],
            "check": "test_config_families",
            "message": "family {family}",
            "options": {"allowed": {"default": ["web"], "description": "families"}},
        }
        catalogue = Catalogue([*builtin().rules, rule_from_mapping(entry, "t.yaml")])
        _write(tmp_path / ".ecslint.toml", '[rules.TST801]\nallowed = ["api"]\n')
        policy = configure(catalogue, load(start=tmp_path))
        engine = Engine(policy.catalogue, policy.enabled)
        result = engine.check_bytes("td.json", json.dumps({"family": "web", "containerDefinitions": []}).encode())
        assert [f.pointer for f in result.findings if f.rule_id == "TST801"] == ["/family"]
        assert Engine(catalogue).check_bytes("td.json", b'{"family": "web", "containerDefinitions": []}').findings
    finally:
        del checks._REGISTRY["test_config_families"]


def test_baseline_and_report_unused_ignores_settings(tmp_path: Path) -> None:
    _td(tmp_path)
    assert run("check", "--no-config", "--write-baseline", "base.json", "td.json", cwd=tmp_path).returncode == 0
    _write(tmp_path / ".ecslint.toml", ONLY + 'baseline = "base.json"\nfail-on = "warning"\n')
    assert run("check", "td.json", cwd=tmp_path).returncode == 0
    _write(
        tmp_path / "td.yaml",
        "family: web\ncontainerDefinitions:\n  - {name: web, image: 'nginx:1.2'}  # ecslint: ignore[ECS210]\n",
    )
    _write(tmp_path / ".ecslint.toml", "report-unused-ignores = true\n")
    result = run("check", "-f", "json", "--select", "ECS210", "td.yaml", cwd=tmp_path)
    assert _rules(result.stdout) == ["ECS090"]


# -- precedence ------------------------------------------------------------------------------


def test_flags_override_the_file(tmp_path: Path) -> None:
    _td(tmp_path, document={**LATEST, "family": "bad name!"})
    _write(tmp_path / ".ecslint.toml", 'select = ["ECS202"]\nfail-on = "never"\nformat = "json"\n')
    from_file = run("check", "td.json", cwd=tmp_path)
    assert from_file.returncode == 0 and _rules(from_file.stdout) == ["ECS202"]
    flagged = run("check", "--select", "ECS210", "--fail-on", "warning", "-f", "text", "td.json", cwd=tmp_path)
    assert flagged.returncode == 1 and "ECS210" in flagged.stdout and "ECS202" not in flagged.stdout
    ignored = run("check", "--ignore", "ECS202", "--extend-select", "ECS210,ECS2", "td.json", cwd=tmp_path)
    assert _rules(ignored.stdout) == ["ECS210"]


def test_config_show(tmp_path: Path) -> None:
    _write(tmp_path / ".ecslint.toml", 'select = ["ECS2"]\n[severity]\nECS210 = "error"\n[rules.ORG001]\nx = ["a"]\n')
    shown = run("config", "--show", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.startswith("# ecslint configuration from ")
    assert 'select = ["ECS2"]' in shown.stdout and "[rules.ORG001]" in shown.stdout
    import tomllib

    assert tomllib.loads(shown.stdout)["severity"] == {"ECS210": "error"}
    data = json.loads(run("config", "--show", "--format", "json", cwd=tmp_path).stdout)
    assert data["settings"]["fail-on"] == "error" and data["source"].endswith(".ecslint.toml")
    defaults = render(Config())
    assert defaults.startswith("# no configuration file found")


# -- errors ----------------------------------------------------------------------------------

# Aliases that expand to 9**9 strings (a "billion laughs"); the error points at the first anchor past the budget.
ALIAS_BOMB = (
    "[&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol], "
    + ", ".join(f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9))
    + "]"
)
ERRORS = [
    (
        ".ecslint.toml",
        'select = ["ECS2"]\nselct = []\n',
        ".ecslint.toml:2:1: unknown setting 'selct'; did you mean 'select'?",
    ),
    (
        ".ecslint.toml",
        'ignore = [\n  "ECS210",\n  "ECS9x9",\n]\n',
        ".ecslint.toml:3:3: unknown rule id, name or prefix 'ECS9x9'",
    ),
    (".ecslint.toml", '[per-file-ignores]\n"a/[b.json" = ["ECS210"]\n', ".ecslint.toml:2:1: bad glob 'a/[b.json'"),
    (".ecslint.toml", "fail-on = 3\n", ".ecslint.toml:1:11: fail-on must be a string, not a number"),
    (
        ".ecslint.toml",
        'fail-on = "warn"\n',
        "1:11: fail-on must be one of error, warning, info, never, not 'warn'; did you mean 'warning'?",
    ),
    (".ecslint.toml", "select = \n", ".ecslint.toml:1:10: invalid TOML: Invalid value"),
    (".ecslint.toml", 'exclude = "vendor"\n', ".ecslint.toml:1:11: exclude must be a list of strings, not a string"),
    (".ecslint.toml", 'include = ["ok", 3]\n', ".ecslint.toml:1:1: include: item 2 must be a string"),
    (".ecslint.toml", "[rules.ECS210]\nfoo = 1\n", ".ecslint.toml:2:1: ECS210 has no option 'foo'"),
    (
        ".ecslint.toml",
        '[severity]\nECS210 = "fatal"\n',
        ".ecslint.toml:2:10: severity.ECS210 must be error, warning or info",
    ),
    (".ecslint.toml", '[severity]\nECS999 = "error"\n', ".ecslint.toml:2:1: unknown rule id, name or prefix 'ECS999'"),
    (".ecslint.toml", 'rules-dirs = ["nowhere"]\n', ".ecslint.toml:1:15: rules-dirs: 'nowhere' is not a directory"),
    (
        ".ecslint.yaml",
        "select:\n  - ECS2\n  - latest-image-tagg\n",
        ".ecslint.yaml:3:5: unknown rule id, name or prefix 'latest-image-tagg'; did you mean 'latest-image-tag'?",
    ),
    (
        ".ecslint.toml",
        'ignore = ["securty"]\n',
        ".ecslint.toml:1:11: unknown rule id, name or prefix 'securty'; did you mean 'security'?",
    ),
    (".ecslint.yaml", "format: xml\n", ".ecslint.yaml:1:9: format must be one of text, json, sarif, github"),
    (".ecslint.yaml", "force-exclude: maybe\n", ".ecslint.yaml:1:16: force-exclude must be true or false"),
    (".ecslint.yaml", "per-file-ignores: [a]\n", ".ecslint.yaml:1:19: per-file-ignores must be a table"),
    (".ecslint.yaml", "a: [\n", ".ecslint.yaml:2:1: invalid YAML"),
    (".ecslint.yaml", "!!python/object/apply:os.system ['true']\n", ".ecslint.yaml:1:1: invalid YAML"),
    (".ecslint.yaml", "- select\n", ".ecslint.yaml:1:1: the configuration is a mapping"),
    (".ecslint.yaml", f"severity: {{ECS210: {ALIAS_BOMB}}}\n", ".ecslint.yaml:1:276: invalid YAML: aliases expand"),
    (".ecslint.yaml", f"rules: {{ECS210: {ALIAS_BOMB}}}\n", ".ecslint.yaml:1:273: invalid YAML: aliases expand"),
    (".ecslint.yaml", "severity: &s {ECS210: *s}\n", ".ecslint.yaml:1:1: invalid YAML: an alias refers to its own"),
    (".ecslint.yaml", "severity: " + "[" * 50_000 + "]" * 50_000, ".ecslint.yaml: invalid YAML: nested too deeply"),
    (
        "pyproject.toml",
        '[tool.ecslint]\nformat = "json"\nextend_select = []\n',
        "pyproject.toml:3:1: unknown setting 'extend_select'; did you mean 'extend-select'?",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_config_errors_have_positions_and_exit_2(tmp_path: Path, name: str, text: str, message: str) -> None:
    _td(tmp_path)
    _write(tmp_path / name, text)
    result = run("check", "td.json", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("ecslint: error: "), result.stderr
    assert message in result.stderr, result.stderr


def test_flag_errors_exit_2(tmp_path: Path) -> None:
    _td(tmp_path)
    result = run("check", "--no-config", "--select", "ECS2,nope-rule", "td.json", cwd=tmp_path)
    assert result.returncode == 2 and "--select: unknown rule id, name or prefix 'nope-rule'" in result.stderr
    assert run("check", "--rules", "missing-dir", "td.json", cwd=tmp_path).returncode == 2


def test_unknown_rule_in_config_is_a_config_error_in_process(tmp_path: Path) -> None:
    _write(tmp_path / ".ecslint.toml", 'ignore = ["ECS2", "nope"]\n')
    with pytest.raises(ConfigError, match=r"\.ecslint\.toml:1:19: unknown rule"):
        configure(builtin(), load(start=tmp_path))


def test_no_config_file_means_no_toml_or_yaml_import(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from ecslint.config.settings import load; "
        f"load(start=Path({str(tmp_path)!r})); "
        "print(sorted(m for m in ('tomllib', 'ruamel.yaml', 'jsonschema') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "[]"


def test_severity_override_in_process(tmp_path: Path) -> None:
    _write(tmp_path / ".ecslint.toml", '[severity]\nECS2 = "info"\nECS210 = "error"\n')
    policy = configure(builtin(), load(start=tmp_path))
    assert policy.catalogue.by_id["ECS210"].severity is Severity.ERROR  # the exact id beats the prefix
    assert policy.catalogue.by_id["ECS202"].severity is Severity.INFO


def test_severity_override_holds_for_every_message_variant(tmp_path: Path) -> None:
    # ECS405 is an error where Docker runs the task (variant "docker"); the user's severity still holds
    assert builtin().by_id["ECS405"].severity_for("docker", None) is Severity.ERROR
    _write(tmp_path / ".ecslint.toml", '[severity]\nECS405 = "info"\n')
    rule = configure(builtin(), load(start=tmp_path)).catalogue.by_id["ECS405"]
    assert rule.severity_for("docker", None) is rule.severity_for("docker", "unknown") is Severity.INFO
