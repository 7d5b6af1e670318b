"""The Python API (``from ecslint import check, check_paths``): names, results, errors, cost."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import ecslint
from ecslint.core.errors import ConfigError, EcslintError, SourceError
from tests.test_cli import ECSLINT, GOOD

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "examples" / "broken" / "fargate-mistakes.json"


def test_the_public_names_are_pinned() -> None:
    assert ecslint.__all__ == ["Finding", "__version__", "check", "check_paths"]
    assert ecslint.Finding._fields == (
        "rule",
        "name",
        "severity",
        "message",
        "hint",
        "path",
        "pointer",
        "line",
        "column",
        "end_line",
        "end_column",
        "fix",
        "occurrences",  # added with the JSON report's field of that name (one finding for several places)
        "consumer",  # added with the JSON report's field of that name (who registers the file, and why)
        "consumer_basis",
    )
    from ecslint import api

    assert api.__all__ == ["ConfigLike", "Finding", "InternalCheckError", "check", "check_paths"]
    assert list(inspect.signature(ecslint.check).parameters) == ["document", "path", "config"]
    assert list(inspect.signature(ecslint.check_paths).parameters) == ["paths", "config"]
    assert {name for name in dir(ecslint) if not name.startswith("_")} >= {"check", "check_paths", "Finding"}


def test_importing_ecslint_does_not_import_the_api() -> None:
    loaded = "print('ecslint.api' in sys.modules)"
    code = f"import sys, ecslint; {loaded}; ecslint.check; {loaded}"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


def test_the_check_command_never_imports_the_api(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code = (
        "import sys; from ecslint.cli.main import main; "
        f"code = main(['check', {str(BROKEN)!r}, '--format', 'json', '-o', {str(report)!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith(('ecslint.api', 'ecslint.lsp', 'pygls', 'lsprotocol'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "[]", result.stderr
    assert json.loads(report.read_text("utf-8"))["findings"]


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ecslint.nope  # type: ignore[attr-defined]  # noqa: B018


def test_a_clean_dict_has_no_findings() -> None:
    assert ecslint.check(GOOD) == []


def test_findings_of_a_file_equal_the_json_report() -> None:
    found = ecslint.check_paths([BROKEN])
    result = subprocess.run(
        [str(ECSLINT), "check", str(BROKEN), "--format", "json"], capture_output=True, text=True, check=False
    )
    report = json.loads(result.stdout)["findings"]
    assert report, "the example should have findings"
    assert [finding.to_dict() for finding in found] == report


def test_a_string_and_bytes_give_the_file_s_findings() -> None:
    text = BROKEN.read_text("utf-8")
    from_file = ecslint.check_paths([BROKEN])
    assert ecslint.check(text, path=str(BROKEN)) == from_file
    assert ecslint.check(text.encode("utf-8"), path=BROKEN) == from_file


def test_a_dict_s_findings_have_pointers_but_no_positions() -> None:
    # a string where an integer belongs: refused whoever registers it (docs/facts.md 28)
    document = {**GOOD, "containerDefinitions": [{**GOOD["containerDefinitions"][0], "memory": "512"}]}
    findings = ecslint.check(document)
    assert [(f.rule, f.pointer, f.severity) for f in findings] == [
        ("ECS021", "/containerDefinitions/0/memory", "error")
    ]
    assert findings[0].line is None and findings[0].column is None and findings[0].path == "<document>"


def test_yaml_text_is_recognised_by_its_path() -> None:
    text = "family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:latest\n    memory: 512\n"
    findings = ecslint.check(text, path="td.yaml")
    tag = [f for f in findings if f.rule == "ECS210"]
    assert tag and (tag[0].line, tag[0].path) == (4, "td.yaml")


def test_a_document_that_does_not_parse_is_a_syntax_finding() -> None:
    assert [(f.rule, f.line, f.column) for f in ecslint.check('{"family": "web"')] == [("ECS001", 1, 16)]
    repaired = [(f.rule, f.line, f.column) for f in ecslint.check('{"family": "web",}')]
    assert ("ECS004", 1, 17) in repaired


def test_settings_as_a_mapping_or_a_file(tmp_path: Path) -> None:
    rules = {f.rule for f in ecslint.check_paths([BROKEN])}
    dropped = sorted(rules)[0]
    assert dropped not in {f.rule for f in ecslint.check_paths([BROKEN], config={"ignore": [dropped]})}
    settings = tmp_path / ".ecslint.toml"
    settings.write_text(f'ignore = ["{dropped}"]\n', "utf-8")
    assert dropped not in {f.rule for f in ecslint.check_paths([BROKEN], config=settings)}
    with pytest.raises(ConfigError, match="unknown setting 'ignroe'"):
        ecslint.check(GOOD, config={"ignroe": ["ECS505"]})


def test_folders_are_walked_and_missing_paths_raise(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps({**GOOD, "cpu": 256}), "utf-8")
    (tmp_path / "package.json").write_text('{"name": "not a task definition"}', "utf-8")
    found = ecslint.check_paths([tmp_path])
    assert [(Path(f.path).name, f.rule) for f in found] == [("td.json", "ECS021")]
    with pytest.raises(SourceError, match="no such file or directory"):
        ecslint.check_paths([tmp_path / "missing.json"])


def test_wrong_arguments_raise_instead_of_exiting() -> None:
    with pytest.raises(EcslintError, match="not JSON data"):
        ecslint.check({"family": object()})
    with pytest.raises(EcslintError, match="takes a dict, a str or bytes"):
        ecslint.check(42)  # type: ignore[arg-type]


def test_nothing_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    ecslint.check_paths([BROKEN])
    ecslint.check("not json")
    assert capsys.readouterr() == ("", "")


def test_the_engine_is_built_once_per_configuration() -> None:
    from ecslint.api import _cached_engine

    _cached_engine.cache_clear()
    for _ in range(3):
        ecslint.check(GOOD)
        ecslint.check(GOOD, config={"ignore": ["ECS505"]})
    assert _cached_engine.cache_info().misses == 2


def test_callers_get_the_types(tmp_path: Path) -> None:
    """ecslint ships py.typed (PEP 561): mypy --strict checks a caller against the API's types."""
    caller = tmp_path / "caller.py"
    caller.write_text(
        "import ecslint\n\n"
        'findings: list[ecslint.Finding] = ecslint.check({"family": "web"})\n'
        "lines: list[int | None] = [f.line for f in findings]\n"
        'wrong: int = ecslint.check_paths(["."])\n',
        "utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(caller)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.stdout.splitlines()[0].endswith(
        'caller.py:5: error: Incompatible types in assignment (expression has type "list[Finding]", '
        'variable has type "int")  [assignment]'
    ), done.stdout
    assert "Found 1 error" in done.stdout


def test_a_crash_on_one_path_keeps_the_other_paths_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.api import InternalCheckError
    from ecslint.engine import pipeline

    real_parse = pipeline.parse

    def parse_or_crash(path: str, raw: bytes, size: int | None = None):  # type: ignore[no-untyped-def]
        if path.endswith("crash.json"):
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(path, raw, size)

    monkeypatch.setattr(pipeline, "parse", parse_or_crash)
    for name in ("a.json", "crash.json", "z.json"):
        (tmp_path / name).write_text(json.dumps({**GOOD, "cpu": 256}), "utf-8")
    with pytest.raises(InternalCheckError, match=r"crash\.json: internal error: RecursionError") as raised:
        ecslint.check_paths([tmp_path])
    assert [(Path(f.path).name, f.rule) for f in raised.value.findings] == [("a.json", "ECS021"), ("z.json", "ECS021")]


def test_an_oversized_file_is_a_finding_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    with path.open("wb") as handle:  # sparse
        handle.truncate(1650 * 2**20)
    code = "import sys, ecslint; print([f.rule for f in ecslint.check_paths([sys.argv[1]])])"
    completed = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        preexec_fn=lambda: __import__("resource").setrlimit(__import__("resource").RLIMIT_AS, (2**28, 2**28)),
        check=False,
    )
    assert completed.stdout.strip() == "['ECS015']", completed.stderr


def test_a_finding_for_several_places_lists_them_and_the_config_s_variables_and_target_apply() -> None:
    document = {
        "family": "web",
        "taskRoleArn": "arn:aws:iam::ACCOUNT_ID:role/web",
        "executionRoleArn": "arn:aws:iam::ACCOUNT_ID:role/web-execution",
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 512}],
    }
    text = json.dumps(document, indent=2)
    (placeholder,) = [f for f in ecslint.check(text, path="td.json") if f.rule == "ECS304"]
    assert [(p.pointer, p.span.start.line if p.span else None) for p in placeholder.occurrences] == [
        ("/taskRoleArn", 3),
        ("/executionRoleArn", 4),
    ]
    assert placeholder.to_dict()["occurrences"] == [
        {"pointer": "/taskRoleArn", "line": 3, "column": 32, "endLine": 3, "endColumn": 42},
        {"pointer": "/executionRoleArn", "line": 4, "column": 37, "endLine": 4, "endColumn": 47},
    ]
    rendered = ecslint.check(text, path="td.json", config={"variables": {"ACCOUNT_ID": "210987654321"}})
    assert "ECS304" not in {f.rule for f in rendered}
    described = {**document, "revision": 3}
    (read_only,) = [f for f in ecslint.check(described, config={"target": "deploy-action"}) if f.rule == "ECS025"]
    assert read_only.severity == "info"
