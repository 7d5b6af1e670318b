"""The baseline: record today's findings, report only new ones, survive edits that move lines."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ecslint.config.baseline import Entry, new_findings, read, value_fingerprint
from ecslint.core.errors import UsageError
from ecslint.core.model import JSON, Finding, Severity
from tests.test_cli import run

pytestmark = pytest.mark.slow  # each case runs the console script in a new process

YAML = """\
family: web
containerDefinitions:
  - name: web
    image: nginx:latest
  - name: side
    image: busybox:latest
"""
ARGS = ("check", "--no-config", "--select", "ECS210", "-f", "json")


def _reported(tmp_path: Path, *extra: str) -> list[tuple[str, int]]:
    result = run(*ARGS, *extra, "td.yaml", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [(f["pointer"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_baseline_hides_recorded_findings_and_survives_inserted_lines(tmp_path: Path) -> None:
    (tmp_path / "td.yaml").write_text(YAML)
    written = run(*ARGS, "--write-baseline", "ecslint-baseline.json", "td.yaml", cwd=tmp_path)
    assert written.returncode == 0 and "wrote 2 finding(s)" in written.stderr
    data = json.loads((tmp_path / "ecslint-baseline.json").read_text())
    assert [(e["rule"], e["path"], e["pointer"]) for e in data["findings"]] == [
        ("ECS210", "td.yaml", "/containerDefinitions/0/image"),
        ("ECS210", "td.yaml", "/containerDefinitions/1/image"),
    ]
    assert _reported(tmp_path, "--baseline", "ecslint-baseline.json") == []
    # insert lines above the findings and reformat: still the same findings
    (tmp_path / "td.yaml").write_text(
        "# the web service\n\nfamily: web\ncontainerDefinitions:\n- {name: web, image: 'nginx:latest'}\n"
        "- name: side\n  image:   busybox:latest\n"
    )
    assert _reported(tmp_path) == [("/containerDefinitions/0/image", 5), ("/containerDefinitions/1/image", 7)]
    assert _reported(tmp_path, "--baseline", "ecslint-baseline.json") == []
    # a changed value is a new finding
    (tmp_path / "td.yaml").write_text(YAML.replace("busybox:latest", "busybox"))
    assert _reported(tmp_path, "--baseline", "ecslint-baseline.json") == [("/containerDefinitions/1/image", 6)]


def test_reformatting_json_keeps_matching(tmp_path: Path) -> None:
    document = {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:latest"}]}
    (tmp_path / "td.json").write_text(json.dumps(document))
    assert run(*ARGS, "--write-baseline", "b.json", "td.json", cwd=tmp_path).returncode == 0
    (tmp_path / "td.json").write_text(json.dumps(document, indent=4, sort_keys=True))
    result = run(*ARGS, "--baseline", "b.json", "td.json", cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["findings"] == []


def test_a_fixed_finding_drops_out_on_the_next_write(tmp_path: Path) -> None:
    (tmp_path / "td.yaml").write_text(YAML)
    run(*ARGS, "--write-baseline", "b.json", "td.yaml", cwd=tmp_path)
    (tmp_path / "td.yaml").write_text(YAML.replace("nginx:latest", "nginx:1.27"))
    run(*ARGS, "--baseline", "b.json", "--write-baseline", "b.json", "td.yaml", cwd=tmp_path)
    entries = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert [e["pointer"] for e in entries] == ["/containerDefinitions/1/image"]
    # the old finding coming back is new again
    (tmp_path / "td.yaml").write_text(YAML)
    assert _reported(tmp_path, "--baseline", "b.json") == [("/containerDefinitions/0/image", 4)]


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "td.yaml").write_text(YAML)
    run(*ARGS, "--write-baseline", "b.json", "deploy", cwd=tmp_path)
    assert {e["path"] for e in json.loads((tmp_path / "b.json").read_text())["findings"]} == {"deploy/td.yaml"}
    inside = run(*ARGS, "--baseline", "../b.json", "td.yaml", cwd=tmp_path / "deploy")
    assert json.loads(inside.stdout)["findings"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [(None, "baseline not found"), ("{", "is not valid JSON"), ('{"findings": []}', "not an ecslint baseline")],
)
def test_a_bad_baseline_is_exit_2(tmp_path: Path, text: str | None, message: str) -> None:
    (tmp_path / "td.yaml").write_text(YAML)
    if text is not None:
        (tmp_path / "b.json").write_text(text)
    result = run(*ARGS, "--baseline", "b.json", "td.yaml", cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    with pytest.raises(UsageError):
        read(tmp_path / "b.json")


def test_fingerprints_and_counting() -> None:
    data = {"a": "x", "b": {"k": 1, "j": 2}, "c": [1, 2]}
    assert value_fingerprint(data, "/a") != value_fingerprint(data, "/c")
    assert value_fingerprint(data, "/b") == value_fingerprint({"b": {"j": 9, "k": 0}}, "/b")  # an object: its keys
    assert value_fingerprint(data, "/c") == value_fingerprint({"c": [3]}, "/c")
    assert value_fingerprint(data, "/missing") == value_fingerprint(None, "")
    finding = Finding("ECS210", "latest-image-tag", Severity.WARNING, "m", "td.json", "/a")
    entry = Entry("ECS210", "td.json", "/a", value_fingerprint(data, "/a"))
    kept = new_findings([(finding, data), (finding, data)], Counter({entry: 1}), Path.cwd())
    assert kept == [finding]  # one entry absorbs one finding


FARGATE = {
    "family": "web",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "256",
    "memory": "4096",
    "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}],
}
SIZE_ARGS = ("check", "--no-config", "--select", "ECS102", "-f", "json")


def _size_findings(tmp_path: Path, *extra: str) -> list[tuple[str, str]]:
    result = run(*SIZE_ARGS, *extra, "td.json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [(f["pointer"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_a_finding_is_new_again_when_a_value_it_names_changes(tmp_path: Path) -> None:
    """ECS102 on /memory names cpu too: cpu 256 -> 16384 keeps memory 4096 wrong, for another reason."""
    (tmp_path / "td.json").write_text(json.dumps(FARGATE))
    assert run(*SIZE_ARGS, "--write-baseline", "b.json", "td.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "b.json").read_text())["ecslint-baseline"] == 2
    assert _size_findings(tmp_path, "--baseline", "b.json") == []
    (tmp_path / "td.json").write_text(json.dumps({**FARGATE, "cpu": "16384"}))
    assert _size_findings(tmp_path, "--baseline", "b.json") == [
        ("/memory", "memory 4096 is not offered with cpu 16384 on Fargate")
    ]
    # reformatting and moving members still matches
    (tmp_path / "td.json").write_text(json.dumps(dict(reversed(list(FARGATE.items()))), indent=3))
    assert _size_findings(tmp_path, "--baseline", "b.json") == []


def test_a_format_1_baseline_is_still_read_and_matched_as_written(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(FARGATE))
    old = {
        "ecslint-baseline": 1,
        "findings": [
            {
                "rule": "ECS102",
                "path": "td.json",
                "pointer": "/memory",
                "fingerprint": value_fingerprint(FARGATE, "/memory"),
            }
        ],
    }
    (tmp_path / "b.json").write_text(json.dumps(old))
    assert _size_findings(tmp_path, "--baseline", "b.json") == []
    # writing again upgrades it, and the new entry covers cpu too
    run(*SIZE_ARGS, "--baseline", "b.json", "--write-baseline", "b.json", "td.json", cwd=tmp_path)
    written = json.loads((tmp_path / "b.json").read_text())
    assert written["ecslint-baseline"] == 2
    assert written["findings"][0]["fingerprint"] == value_fingerprint(FARGATE, "/memory", ("/cpu",))


def test_an_unknown_baseline_format_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(FARGATE))
    (tmp_path / "b.json").write_text('{"ecslint-baseline": 3, "findings": []}')
    result = run(*SIZE_ARGS, "--baseline", "b.json", "td.json", cwd=tmp_path)
    assert result.returncode == 2 and "baseline format 3 is not one this ecslint reads" in result.stderr
    assert "Traceback" not in result.stderr


def test_fingerprints_cover_the_values_a_finding_depends_on() -> None:
    data: JSON = {"cpu": "256", "memory": "4096"}
    assert value_fingerprint(data, "/memory") == value_fingerprint({"memory": "4096"}, "/memory")  # format 1
    with_cpu = value_fingerprint(data, "/memory", ("/cpu",))
    assert with_cpu != value_fingerprint({"cpu": "16384", "memory": "4096"}, "/memory", ("/cpu",))
    assert with_cpu != value_fingerprint(data, "/memory")
    finding = Finding(
        "ECS102", "unsupported-fargate-size", Severity.ERROR, "m", "td.json", "/memory", depends=("/cpu",)
    )
    legacy = Entry("ECS102", "td.json", "/memory", value_fingerprint(data, "/memory"), legacy=True)
    assert new_findings([(finding, data)], Counter({legacy: 1}), Path.cwd()) == []
    not_legacy = Entry("ECS102", "td.json", "/memory", value_fingerprint(data, "/memory"))
    assert new_findings([(finding, data)], Counter({not_legacy: 1}), Path.cwd()) == [finding]


def _depends(document: dict[str, JSON], rule: str) -> list[tuple[str, tuple[str, ...]]]:
    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    result = Engine(builtin()).check_bytes("td.json", json.dumps(document).encode(), explicit=True)
    return [(f.pointer, f.depends) for f in result.findings if f.rule_id == rule]


C0 = "/containerDefinitions/0"


@pytest.mark.parametrize(
    ("rule", "document", "expected"),
    [
        ("ECS102", FARGATE, [("/memory", ("/cpu",))]),
        (
            "ECS217",
            {"family": "w", "containerDefinitions": [{"name": "a", "image": "a:1", "memory": 64, "ulimits": [
                {"name": "nofile", "softLimit": 9, "hardLimit": 1}]}]},
            [(f"{C0}/ulimits/0/softLimit", (f"{C0}/ulimits/0/hardLimit",))],
        ),
        (
            "ECS233",
            {"family": "w", "containerDefinitions": [
                {"name": "a", "image": "a:1", "memory": 64,
                 "dependsOn": [{"containerName": "b", "condition": "HEALTHY"}]},
                {"name": "b", "image": "b:1", "memory": 64}]},
            [(f"{C0}/dependsOn/0/condition", (f"{C0}/dependsOn/0/containerName",))],
        ),
        (
            "ECS123",
            {"family": "w", "networkMode": "awsvpc", "containerDefinitions": [
                {"name": "a", "image": "a:1", "memory": 64, "portMappings": [{"containerPort": 80}]},
                {"name": "b", "image": "b:1", "memory": 64, "portMappings": [{"containerPort": 80}]}]},
            [("/containerDefinitions/1/portMappings/0/containerPort", (f"{C0}/portMappings/0/containerPort",))],
        ),
    ],
)  # fmt: skip
def test_findings_name_the_values_they_depend_on(
    rule: str, document: dict[str, JSON], expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert _depends(document, rule) == expected


def test_a_finding_of_several_task_definitions_keeps_its_fingerprint_when_another_one_is_added(
    tmp_path: Path,
) -> None:
    from tests.test_cli import STACK_OF_THREE

    args = ("check", "--no-config", "--select", "ECS304,ECS305", "-f", "json")
    (tmp_path / "stack.yaml").write_text(STACK_OF_THREE)
    assert run(*args, "--write-baseline", "b.json", "stack.yaml", cwd=tmp_path).returncode == 0
    recorded = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert [(e["rule"], e["pointer"]) for e in recorded] == [  # one entry per finding of the file
        ("ECS304", "/Resources/Api/Properties/ExecutionRoleArn"),
        ("ECS305", "/Resources/Api/Properties/ContainerDefinitions/0/Environment/0/Value"),
    ]
    unrelated = """\
  Proxy:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: proxy
      ContainerDefinitions:
        - {Name: proxy, Image: "nginx:1.27"}
"""
    for stack in (
        STACK_OF_THREE + unrelated,  # after them
        STACK_OF_THREE.replace("Resources:\n", "Resources:\n" + unrelated),  # before them
    ):
        (tmp_path / "stack.yaml").write_text(stack)
        result = run(*args, "--baseline", "b.json", "stack.yaml", cwd=tmp_path)
        assert (result.returncode, json.loads(result.stdout)["findings"]) == (0, [])
    # a baseline written when each task definition had its own finding still hides the one finding
    old = [{**recorded[0], "pointer": f"/Resources/{name}/Properties/ExecutionRoleArn"} for name in ("Worker", "Cron")]
    (tmp_path / "old.json").write_text(
        json.dumps({"ecslint-baseline": 2, "findings": [*recorded, *old]}), encoding="utf-8"
    )
    result = run(*args, "--baseline", "old.json", "stack.yaml", cwd=tmp_path)
    assert (result.returncode, json.loads(result.stdout)["findings"]) == (0, [])
