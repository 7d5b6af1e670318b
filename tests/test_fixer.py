from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import builtin
from ecslint.cli.main import main
from ecslint.core.model import Finding, Fix, Replacement, Severity
from ecslint.engine.fixer import FileChangedError, apply, chosen_replacements, safe_replacements, write_atomically
from ecslint.engine.pipeline import Engine
from ecslint.readers.syntax import DOUBLE_QUOTES

ENGINE = Engine(builtin())
TD = {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 512}]}


def _finding(*replacements: Replacement, safe: bool = True) -> Finding:
    return Finding("ECS004", "x", Severity.ERROR, "m", "p", "", fix=Fix("f", replacements, safe))


def test_overlapping_and_unsafe_fixes_are_skipped() -> None:
    findings = [
        _finding(Replacement(5, 6, "")),
        _finding(Replacement(0, 2, "ab"), Replacement(10, 11, "x")),
        _finding(Replacement(1, 3, "zz")),
        _finding(Replacement(20, 21, "u"), safe=False),
    ]
    assert safe_replacements(findings) == [Replacement(0, 2, "ab"), Replacement(5, 6, ""), Replacement(10, 11, "x")]
    assert apply("0123456789abc", safe_replacements(findings)) == "ab2346789xbc"


def test_the_unsafe_tier_is_chosen_only_when_asked_and_each_replacement_keeps_its_rule() -> None:
    findings = [
        _finding(Replacement(0, 2, "ab")),
        _finding(Replacement(20, 21, "u"), safe=False),
        _finding(Replacement(1, 3, "zz"), safe=False),  # overlaps a safe one: the earlier wins
    ]
    assert chosen_replacements(findings) == [("ECS004", Replacement(0, 2, "ab"))]
    assert chosen_replacements(findings, unsafe=True) == [
        ("ECS004", Replacement(0, 2, "ab")),
        ("ECS004", Replacement(20, 21, "u")),
    ]


@pytest.mark.parametrize(
    ("name", "text", "renamed"),
    [
        ("td.json", '{"family": "web", "containerDefinitions": [{"Name": "a", "image": "b"}]}', '"name": "a"'),
        ("td.yaml", "family: web\ncontainerDefinitions:\n  - Name: a\n    image: b\n", "- name: a"),
        ("td.yaml", "family: web\ncontainerDefinitions:\n  - 'Imgae': b\n    name: a\n", '- "image": b'),
        ("td.json", '{"famliy": "web", "containerDefinitions": []}', '{"family": "web"'),
    ],
)
def test_unknown_keys_get_the_hints_rename_as_an_unsafe_fix(name: str, text: str, renamed: str) -> None:
    result = ENGINE.check_bytes(name, text.encode())
    [finding] = [f for f in result.findings if f.rule_id == "ECS020"]
    assert finding.fix is not None and not finding.fix.safe
    assert result.text is not None
    fixed = apply(result.text, [r for _, r in chosen_replacements(result.findings, unsafe=True)])
    assert renamed in fixed
    assert not [f for f in ENGINE.check_bytes(name, fixed.encode()).findings if f.rule_id == "ECS020"]


@pytest.mark.parametrize(
    ("name", "text", "written"),
    [
        ("td.json", '{"family": "w", "networkMode": "AWSVPC", "containerDefinitions": []}', '"networkMode": "awsvpc"'),
        (
            "td.json",
            '{"family": "w", "requiresCompatibilities": ["fargate"], "containerDefinitions": []}',
            '["FARGATE"]',
        ),
        ("td.yaml", "family: w\nrequiresCompatibilities: [fargate]\ncontainerDefinitions: []\n", '["FARGATE"]'),
        ("td.yaml", "family: w\nnetworkMode: AWSVPC\ncontainerDefinitions: []\n", 'networkMode: "awsvpc"'),
    ],
)
def test_enum_values_get_the_hints_value_as_an_unsafe_fix(name: str, text: str, written: str) -> None:
    result = ENGINE.check_bytes(name, text.encode())
    [finding] = [f for f in result.findings if f.rule_id == "ECS022"]
    assert finding.fix is not None and not finding.fix.safe
    assert result.text is not None
    fixed = apply(result.text, [r for _, r in chosen_replacements(result.findings, unsafe=True)])
    assert written in fixed
    assert not [f for f in ENGINE.check_bytes(name, fixed.encode()).findings if f.rule_id == "ECS022"]


@pytest.mark.parametrize(
    "text",
    [
        '{"family": "web", "containerDefinitions": [{"Name": "a", "name": "b", "image": "c"}]}',  # name is taken
        '{"family": "web", "containerDefinitions": [{"Name": "a", "NAME": "b", "image": "c"}]}',  # two would clash
        '{"family": "web", "containerDefinitions": [{"name": "a", "image": "c", "xyzzy": 1}]}',  # no suggestion
    ],
)
def test_no_rename_that_would_duplicate_a_key_or_guess_blindly(text: str) -> None:
    findings = [f for f in ENGINE.check_bytes("td.json", text.encode()).findings if f.rule_id == "ECS020"]
    assert findings and all(f.fix is None for f in findings)


def _fix(raw: bytes, name: str = "td.json") -> bytes:
    result = ENGINE.check_bytes(name, raw)
    if result.text is None:
        return raw
    return apply(result.text, safe_replacements(result.findings)).encode("utf-8")


def test_seed_becomes_valid_json_keeping_everything_else(seed_path: Path) -> None:
    raw = seed_path.read_bytes()
    fixed = _fix(raw)
    data = json.loads(fixed)
    assert data["family"] == "タスク名" and data["cpu"] == "256"
    assert len(fixed.decode().splitlines()) == len(raw.decode().splitlines())
    assert fixed.decode().replace('"', "") == "".join(
        c if c not in "“”″" else "" for c in raw.decode()
    )  # only the quotes changed
    assert _fix(fixed) == fixed


def test_trailing_commas_bom_and_fullwidth() -> None:
    raw = b'\xef\xbb\xbf{"family"\xef\xbc\x9a"web",\r\n "containerDefinitions": [],\r\n}'
    fixed = _fix(raw)
    assert fixed == b'{"family":"web",\r\n "containerDefinitions": []\r\n}'
    assert _fix(fixed) == fixed


def test_comments_are_not_removed_because_that_is_unsafe() -> None:
    raw = b'{"family": "web", // keep me\n "containerDefinitions": [],}'
    assert _fix(raw) == b'{"family": "web", // keep me\n "containerDefinitions": []}'


def test_write_is_atomic_keeps_permissions_and_refuses_changed_files(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomically(path, b"new", b"old")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640
    with pytest.raises(FileChangedError):
        write_atomically(path, b"newer", b"old")
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["td.json"]


def test_cli_fix_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "td.json"
    path.write_text(
        '{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memory": 64}],}'
    )
    before = path.read_bytes()
    assert main(["check", "--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {path}\n+++ {path}\n") and '-{"family"' in out
    assert path.read_bytes() == before
    assert main(["check", "--fix", str(path)]) == 0
    assert json.loads(path.read_text()) == json.loads(before.decode().replace("],}", "]}"))
    assert main(["check", "--diff", str(path)]) == 0
    assert main(["check", "--fix", "-", str(path)]) == 2  # `--fix -` reads standard input alone


def test_check_never_writes_without_fix(tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_bytes(seed_path.read_bytes())
    os.utime(path, (1_000_000, 1_000_000))
    for output_format in ("text", "json", "sarif", "github"):
        main(["check", "--format", output_format, "--output", str(tmp_path / "out"), str(path)])
    main(["check", "--diff", str(path)])
    assert path.read_bytes() == seed_path.read_bytes() and path.stat().st_mtime == 1_000_000


PIECES = st.sampled_from(['"', "“", "”", "″", ",", "，", "：", ":", "{", "}", "[", "]", " ", "\n", "a", "1", "// c\n"])


def _fix_as_written(raw: bytes, name: str = "td.json") -> bytes:
    """The bytes ``ecslint check --fix`` writes (BOMs kept or removed as the command does)."""
    from ecslint.cli.run import _fixed_bytes

    fixed, _ = _fixed_bytes(ENGINE.check_bytes(name, raw), raw)
    return raw if fixed is None else fixed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 3), st.lists(PIECES, max_size=40), st.sampled_from(["td.json", "td.yaml"]))
def test_fixing_twice_changes_nothing_the_second_time(marks: int, pieces: list[str], name: str) -> None:
    raw = "\ufeff".encode() * marks + "".join(pieces).encode()
    once = _fix_as_written(raw, name)
    assert _fix_as_written(once, name) == once
    if once != raw and "// c\n" not in pieces and name.endswith(".json"):
        json.loads(once)  # a fixed file parses (unless a comment, whose removal is unsafe, remains)
    if once != raw:  # written only when the repaired text parses
        assert not {"ECS001", "ECS012"} & {f.rule_id for f in ENGINE.check_bytes(name, once).findings}


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b'\xef\xbb\xbf{"family": "web",, "containerDefinitions": []}', "td.json"),
        (b'\xef\xbb\xbf\xef\xbb\xbf{"family": "web" "containerDefinitions": []}', "td.json"),
        (b"\xef\xbb\xbffamily: [web\n", "td.yaml"),
        (b'\xef\xbb\xbfresource "aws_ecs_task_definition" "web" {\n  family =\n}\n', "main.tf"),
    ],
)
def test_a_bom_is_not_removed_from_a_file_that_does_not_parse(raw: bytes, name: str) -> None:
    result = ENGINE.check_bytes(name, raw)
    assert "ECS006" in {f.rule_id for f in result.findings}
    assert _fix_as_written(raw, name) == raw


def test_a_double_bom_is_removed_in_one_run() -> None:
    raw = b"\xef\xbb\xbf\xef\xbb\xbf" + json.dumps(TD).encode()
    assert [f.rule_id for f in ENGINE.check_bytes("td.json", raw).findings].count("ECS006") == 1
    assert _fix_as_written(raw) == json.dumps(TD).encode()
    assert _fix_as_written(raw.replace(b"\xef\xbb\xbf", b"", 1)) == json.dumps(TD).encode()


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["family", "cpu", "memory", "networkMode"]), st.text(max_size=8), max_size=4),
    st.sampled_from(["“", "”", "″"]),
)
def test_fixed_curly_json_parses_back_to_the_same_data(value: dict[str, object], quote: str) -> None:
    value = {**TD, **value}
    text = json.dumps(value, ensure_ascii=False, indent=1)
    if any(c in text for c in "“”″\\"):
        return
    curly = text.replace('"', quote)
    fixed = _fix(curly.encode())
    if any(c in text for c in DOUBLE_QUOTES):
        # a quote-like character inside a string delimited by quote-like characters is
        # ambiguous ("»:" could end a key): the fix is refused or right, never wrong
        assert fixed == curly.encode() or json.loads(fixed) == value
        return
    assert json.loads(fixed) == value


@pytest.mark.parametrize(
    ("name", "text", "fixed"),
    [
        (
            "td.json",
            '{"family": "web", "cpu": 256, "memory": 512,\n "containerDefinitions": []}',
            '{"family": "web", "cpu": "256", "memory": "512",\n "containerDefinitions": []}',
        ),
        (
            "td.yaml",
            "family: web  # ours\ncpu: 256\nmemory: 512\ncontainerDefinitions:\n  - {name: web, image: 'a:1'}\n",
            'family: web  # ours\ncpu: "256"\nmemory: "512"\ncontainerDefinitions:\n  - {name: web, image: \'a:1\'}\n',
        ),
    ],
)
def test_task_cpu_and_memory_numbers_become_strings(name: str, text: str, fixed: str) -> None:
    assert _fix(text.encode(), name).decode() == fixed
    assert _fix(fixed.encode(), name).decode() == fixed


def test_other_type_conversions_are_offered_but_not_applied() -> None:
    text = '{"family": "web", "containerDefinitions": [{"name": "web", "image": "a:1", "memory": "64"}]}'
    result = ENGINE.check_bytes("td.json", text.encode())
    [finding] = [f for f in result.findings if f.rule_id == "ECS021"]
    assert finding.fix is not None and not finding.fix.safe
    assert finding.fix.replacements[0].text == "64"
    assert _fix(text.encode()) == text.encode()


def test_cloudformation_values_are_never_rewritten() -> None:
    text = "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: 256\n"
    assert _fix(text.encode(), "template.yaml") == text.encode()


@pytest.mark.parametrize(
    "text",
    [
        "family: web\ncpu: &c 256\nmemory: '512'\ncontainerDefinitions:\n"
        "  - name: web\n    image: nginx:1\n    cpu: *c\n",  # the anchor (the example)
        "family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:1\n    cpu: &c 256\n"
        "cpu: *c\nmemory: '512'\n",  # the alias
        "family: web\nmemory: &m 1024\ncontainerDefinitions: []\nother: *m\n",
    ],
)
def test_a_fix_on_an_anchored_or_aliased_yaml_node_is_not_offered(tmp_path: Path, text: str) -> None:
    path = tmp_path / "td.yaml"
    path.write_text(text)
    completed = _console("check", "--fix", "--format", "json", str(path))
    assert completed.returncode in (0, 1), completed.stderr
    assert path.read_text() == text  # the anchor stays, so every alias still resolves
    assert ENGINE.check_bytes("td.yaml", text.encode()).findings  # still reported, only not rewritten


def test_a_fix_beside_an_anchor_is_applied_and_the_anchor_kept(tmp_path: Path) -> None:
    path = tmp_path / "td.yaml"
    path.write_text("family: web\ncpu: 256\nmemory: &m '512'\ncontainerDefinitions: []\nx: *m\n")
    _console("check", "--fix", str(path))
    assert path.read_text() == "family: web\ncpu: \"256\"\nmemory: &m '512'\ncontainerDefinitions: []\nx: *m\n"


def _console(*args: str):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    ecslint = Path(sys.executable).parent / "ecslint"
    return subprocess.run([str(ecslint), *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("replacement", "reason"),
    [
        (Replacement(10, 11, "{"), "would not parse"),  # breaks the JSON
        (Replacement(11, 16, '"WEB"'), "would not hold the intended values"),  # parses, but changes the family
    ],
)
def test_a_fix_that_would_break_the_file_is_never_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    replacement: Replacement,
    reason: str,
) -> None:
    from ecslint.cli import run as run_module

    text = '{"family": "web", "cpu": 256, "memory": "512", "containerDefinitions": []}'
    path = tmp_path / "td.json"
    path.write_text(text)
    real = run_module.chosen_replacements

    def with_a_bad_one(findings: list[Finding], *, unsafe: bool = False) -> list[tuple[str, Replacement]]:
        return sorted([*real(findings, unsafe=unsafe), ("ECS999", replacement)], key=lambda r: r[1].start)

    monkeypatch.setattr(run_module, "chosen_replacements", with_a_bad_one)
    assert main(["check", "--fix", str(path)]) == 2
    assert path.read_text() == text
    assert f"ecslint: error: {path}: not fixed: the fixed file {reason}" in capsys.readouterr().err
    assert main(["check", "--diff", str(path)]) == 2  # nor shown as a diff
    assert "+++" not in capsys.readouterr().out


def test_a_file_grown_since_it_was_checked_is_not_read_to_compare(tmp_path: Path) -> None:
    import resource
    import subprocess
    import sys

    path = tmp_path / "td.json"
    with path.open("wb") as handle:  # sparse: reading it to compare would need 1.6 GB
        handle.truncate(1650 * 2**20)
    code = (
        "import sys; from pathlib import Path; from ecslint.engine.fixer import FileChangedError, write_atomically\n"
        "try:\n    write_atomically(Path(sys.argv[1]), b'{}', b'{\"family\": \"web\"}')\n"
        "except FileChangedError:\n    sys.exit(3)"
    )

    def limit() -> None:  # far below the file's size
        resource.setrlimit(resource.RLIMIT_AS, (256 * 2**20, 256 * 2**20))

    completed = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, preexec_fn=limit, check=False
    )
    assert completed.returncode == 3, completed.stderr  # refused as changed, without reading it
    assert path.stat().st_size == 1650 * 2**20
