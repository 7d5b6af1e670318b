from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.core.model import Severity
from ecslint.core.taskdef import is_unknown
from ecslint.engine.pipeline import Engine
from ecslint.readers.jsonscan import NodeOffsets
from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.sources import documents, parse
from ecslint.readers.terraform import parse_expression, to_json, unknown_value
from tests.conftest import corpus_files, needs_corpus

ENGINE = Engine(builtin())
BASE = "/resource/aws_ecs_task_definition/web"

Found = tuple[str, str, int, int]


def _findings(text: str, name: str = "main.tf", *, explicit: bool = True) -> list[Found]:
    result = ENGINE.check_bytes(name, text.encode(), explicit=explicit)
    assert not result.internal_errors, result.internal_errors
    return [(f.rule_id, f.pointer, f.span.start.line, f.span.start.column) for f in result.findings if f.span]


def _rules(text: str, name: str = "main.tf") -> set[str]:
    return {found[0] for found in _findings(text, name)}


TASK = """\
resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 4096
  ipc_mode                 = null
  execution_role_arn       = "arn:aws:iam::210987654321:role/exec"

  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "nginx:1.27"
      essential = true
    }
  ])
}
"""


def test_task_level_findings_land_on_the_argument() -> None:
    found = _findings(TASK)
    assert ("ECS102", f"{BASE}/memory", 6, 30) in found
    # cpu = 256 is "256" for the provider; a null argument is no argument
    assert not {f[0] for f in found} & {"ECS021", "ECS026"}


def test_a_missing_member_points_at_the_resource() -> None:
    text = TASK.replace("  cpu                      = 256\n", "")
    assert ("ECS101", BASE, 1, 1) in _findings(text)


def test_enum_values_and_blocks() -> None:
    text = TASK.replace('"awsvpc"', '"awsvpcc"').replace(
        "  ipc_mode                 = null\n",
        '  runtime_platform {\n    operating_system_family = "linux"\n  }\n',
    )
    found = _findings(text)
    assert ("ECS022", f"{BASE}/network_mode", 4, 30) in found
    assert ("ECS022", f"{BASE}/runtime_platform/operating_system_family", 8, 31) in found


JSONENCODE = """\
resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    {
      name        = "web"
      image       = "nginx:latest"
      memroy      = 512
      essential   = "yes"
      environment = null
    },
    {
      "name": "side",
      "image": "busybox:1.36",
      "memory": 128,
      "hostPort": 80
    }
  ])
}
"""


def test_jsonencode_keys_and_values_are_located() -> None:
    found = _findings(JSONENCODE)
    containers = f"{BASE}/container_definitions"
    assert ("ECS020", f"{containers}/0/memroy", 7, 7) in found
    assert ("ECS021", f"{containers}/0/essential", 8, 21) in found
    assert ("ECS210", f"{containers}/0/image", 6, 28) in found  # narrowed to the tag
    assert ("ECS020", f"{containers}/1/hostPort", 15, 7) in found
    assert "ECS026" not in {f[0] for f in found}  # the provider reads a null member as unset


def test_unknown_values_stay_silent() -> None:
    text = """\
variable "image" {}

resource "aws_ecs_task_definition" "web" {
  family                   = "${var.env}-web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = var.network_mode
  cpu                      = var.cpu
  memory                   = local.memory * 2
  execution_role_arn       = aws_iam_role.exec.arn
  tags                     = merge(var.tags, { Name = "web" })

  container_definitions = jsonencode([
    {
      name         = var.name
      image        = "${var.repository}:${var.tag}"
      essential    = var.essential
      memory       = var.memory > 0 ? var.memory : null
      portMappings = [for port in var.ports : { containerPort = port }]
      environment  = [{ name = "A", value = lookup(var.env_map, "a") }]
    },
    module.sidecar.container_definition,
  ])
}
"""
    result = ENGINE.check_bytes("main.tf", text.encode())
    assert not result.internal_errors
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []
    assert not {f.rule_id for f in result.findings} & {"ECS020", "ECS021", "ECS022", "ECS023", "ECS101", "ECS102"}
    (doc,) = documents(parse("main.tf", text.encode())) or []
    container = doc.data["containerDefinitions"]
    assert isinstance(container, list)
    assert is_unknown(container[1])
    assert all(is_unknown(doc.data[key]) for key in ("family", "networkMode", "cpu", "memory", "tags"))


@pytest.mark.parametrize(
    "value",
    [
        "jsonencode(var.containers)",
        "data.template_file.app.rendered",
        "var.container_definitions",
        'templatefile("${path.root}/containers.json", {})',
        'jsonencode(concat(local.app, [{ name = "x" }]))',
    ],
)
def test_container_definitions_only_known_at_plan_time(value: str) -> None:
    text = f'resource "aws_ecs_task_definition" "web" {{\n  family = "web"\n  container_definitions = {value}\n}}\n'
    (doc,) = documents(parse("main.tf", text.encode())) or []
    assert is_unknown(doc.data["containerDefinitions"])
    assert _rules(text) == {"ECS222"}  # only the note that the containers were not checked


HEREDOC = """\
resource "aws_ecs_task_definition" "web" {
  family                = "web"
  container_definitions = <<EOF
[
  {
    "name": "web",
    "image": "${aws_ecr_repository.web.repository_url}:1.0",
    "cpu": ${var.cpu},
    "memroy": 512,
    "essential": true
  }
]
EOF
}
"""


def test_heredoc_json_with_interpolations() -> None:
    found = _findings(HEREDOC)
    assert [f for f in found if f[0].startswith("ECS02")] == [
        ("ECS020", f"{BASE}/container_definitions/0/memroy", 9, 5)
    ]


def test_heredoc_that_is_not_json() -> None:
    text = HEREDOC.replace('"memroy": 512,', "memory = 512").replace("${var.cpu}", "256").replace("${", "x{")
    found = _findings(text)
    assert ("ECS001", "", 9, 5) in found


def test_quoted_json_string() -> None:
    containers = json.dumps([{"name": "web", "image": "nginx:1.27", "essential": 1}])
    body = f'  family = "web"\n  container_definitions = {json.dumps(containers)}\n'
    text = f'resource "aws_ecs_task_definition" "web" {{\n{body}}}\n'
    found = _findings(text)
    assert ("ECS021", f"{BASE}/container_definitions/0/essential", 3, 27) in found


def test_volume_blocks_and_tags() -> None:
    text = """\
resource "aws_ecs_task_definition" "web" {
  family = "web"
  volume {
    name      = "data"
    host_path = "/data"
  }
  volume {
    name = "efs"
    efs_volume_configuration {
      file_system_id     = "fs-1234"
      transit_encryption = "ENABLE"
    }
  }
  tags = {
    Team = 42
  }
  container_definitions = jsonencode([{ name = "web", image = "nginx:1.27", memory = 128 }])
}
"""
    (doc,) = documents(parse("main.tf", text.encode())) or []
    assert doc.data["volumes"] == [
        {"name": "data", "host": {"sourcePath": "/data"}},
        {"name": "efs", "efsVolumeConfiguration": {"fileSystemId": "fs-1234", "transitEncryption": "ENABLE"}},
    ]
    assert doc.data["tags"] == [{"key": "Team", "value": 42}]
    found = _findings(text)
    assert ("ECS022", f"{BASE}/volume/1/efs_volume_configuration/transit_encryption", 11, 28) in found
    assert not [f for f in found if f[0] == "ECS021"]  # Terraform converts the tag value 42 to "42"


def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    module = tmp_path / "infra"
    module.mkdir()
    return module


def test_file_reads_the_json_in_the_repository(tmp_path: Path) -> None:
    module = _repository(tmp_path)
    (module / "containers.json").write_text(json.dumps([{"name": "web", "image": "nginx:1.27", "memroy": 64}]))
    text = """\
resource "aws_ecs_task_definition" "web" {
  family                = "web"
  container_definitions = file("${path.module}/containers.json")
}
"""
    (module / "main.tf").write_text(text)
    found = _findings(text, str(module / "main.tf"))
    # findings inside the containers point at the file() call that brings them in
    assert [f for f in found if f[0] == "ECS020"] == [("ECS020", f"{BASE}/container_definitions/0/memroy", 3, 27)]


def test_templatefile_placeholders_are_unknown(tmp_path: Path) -> None:
    module = _repository(tmp_path)
    template = '[{"name": "web", "image": "${image}", "memory": ${memory}, "essential": true, "links": []}]'
    (module / "web.json.tpl").write_text(template)
    text = """\
resource "aws_ecs_task_definition" "web" {
  family                = "web"
  container_definitions = templatefile("web.json.tpl", { image = var.image, memory = 512 })
}
"""
    (doc,) = documents(parse(str(module / "main.tf"), text.encode())) or []
    containers = doc.data["containerDefinitions"]
    assert isinstance(containers, list) and isinstance(containers[0], dict)
    assert is_unknown(containers[0]["image"]) and is_unknown(containers[0]["memory"])
    assert containers[0]["links"] == []


SPLICED = """\
resource "aws_ecs_task_definition" "web" {
  family                = "web"
  container_definitions = <<DEFS
[
  ${templatefile("${path.module}/api.json", { image = var.image })},
  ${jsonencode(local.sidecar)}
]
DEFS
}
"""


def test_a_heredoc_splicing_one_container_per_file_reads_each_file(tmp_path: Path) -> None:
    module = _repository(tmp_path)
    (module / "api.json").write_text('{"name": "api", "image": "${image}", "memroy": 64, "essential": true}')
    found = _findings(SPLICED, str(module / "main.tf"))
    # the spliced container is checked (ECS020 at the item that brings it in); the item known only at
    # plan time is named by ECS222 instead of "No problems found"
    assert ("ECS020", f"{BASE}/container_definitions/0/memroy", 5, 3) in found
    assert ("ECS222", f"{BASE}/container_definitions/1", 6, 3) in found
    (module / "api.json").unlink()
    assert {f[1] for f in _findings(SPLICED, str(module / "main.tf")) if f[0] == "ECS222"} == {
        f"{BASE}/container_definitions/0",
        f"{BASE}/container_definitions/1",
    }


def test_an_unknown_expression_is_shortened_but_never_rewritten() -> None:
    text = 'templatefile("${path.module}/templates/containers-with-a-long-name.json", { image = var.image })'
    value = unknown_value(text)
    assert is_unknown(value) and value.endswith("…}") and value[2:-2] in text


@pytest.mark.parametrize(
    ("reference", "rules"),
    [('file("missing.json")', {"ECS222"}), ('file("../../outside.json")', {"ECS222"})],
)
def test_a_file_that_cannot_be_read_is_unknown(tmp_path: Path, reference: str, rules: set[str]) -> None:
    module = _repository(tmp_path / "repo")
    (tmp_path / "outside.json").write_text('[{"name": "x", "image": "x", "bogus": 1}]')
    text = f'resource "aws_ecs_task_definition" "web" {{\n  family = "web"\n  container_definitions = {reference}\n}}\n'
    (doc,) = documents(parse(str(module / "main.tf"), text.encode())) or []
    assert is_unknown(doc.data["containerDefinitions"])
    assert _rules(text, str(module / "main.tf")) == rules


OUTSIDE_JSON = '[{"name": "x", "image": "x", "bogus": 1}]'


def _file_resource(reference: str) -> str:
    return f'resource "aws_ecs_task_definition" "web" {{\n  family = "web"\n  container_definitions = {reference}\n}}\n'


def test_without_a_repository_the_boundary_is_the_tf_files_folder_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "module"
    (module / "sub").mkdir(parents=True)
    (tmp_path / "outside.json").write_text(OUTSIDE_JSON)
    (module / "sub" / "inside.json").write_text(OUTSIDE_JSON)
    monkeypatch.chdir(tmp_path)  # the working directory holds both: it used to be the boundary
    outside = _file_resource('file("../outside.json")')
    assert _findings(outside, str(module / "main.tf")) == [("ECS222", f"{BASE}/container_definitions", 3, 27)]
    [finding] = ENGINE.check_bytes(str(module / "main.tf"), outside.encode(), explicit=True).findings
    assert finding.message == (
        "aws_ecs_task_definition.web: container_definitions could not be read"
        ' (file("../outside.json"), outside the .tf folder): its containers were not checked'
    )
    inside = _file_resource('file("sub/inside.json")')
    assert "ECS020" in _rules(inside, str(module / "main.tf"))  # read and checked: "bogus" is no key


def test_run_from_the_root_an_absolute_path_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('[{"name": "x", "image": "x", "password-in-here": 1}]')
    module = tmp_path / "module"
    module.mkdir()
    monkeypatch.chdir("/")
    text = _file_resource(f'file("{secret.as_posix()}")')
    result = ENGINE.check_bytes(str(module / "main.tf"), text.encode(), explicit=True)
    assert [f.rule_id for f in result.findings] == ["ECS222"]
    assert "password-in-here" not in "".join(f.message + (f.excerpt or "") for f in result.findings)


def test_a_symbolic_link_out_of_the_repository_is_not_followed(tmp_path: Path) -> None:
    module = _repository(tmp_path / "repo")
    (tmp_path / "outside.json").write_text(OUTSIDE_JSON)
    (module / "containers.json").symlink_to(tmp_path / "outside.json")
    result = ENGINE.check_bytes(str(module / "main.tf"), _file_resource('file("containers.json")').encode())
    assert [f.rule_id for f in result.findings] == ["ECS222"]
    assert 'file("containers.json"), outside the repository)' in result.findings[0].message


def test_invalid_hcl_is_a_finding_with_a_position() -> None:
    text = 'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n  cpu = \n}\n'
    result = ENGINE.check_bytes("main.tf", text.encode())
    assert [(f.rule_id, f.span.start.line if f.span else 0) for f in result.findings] == [("ECS014", 3)]
    assert result.findings[0].message.startswith("invalid HCL: ")
    walked = ENGINE.check_bytes("main.tf", text.encode(), explicit=False)
    assert [f.rule_id for f in walked.findings] == ["ECS014"]  # it declares a task definition
    other = ENGINE.check_bytes("vpc.tf", b'resource "aws_vpc" "main" {\n  cidr = \n}\n', explicit=False)
    assert (other.is_task_definition, other.findings) == (False, [])


def test_a_terraform_file_without_task_definitions() -> None:
    text = 'resource "aws_ecs_service" "web" {\n  task_definition = var.task_definition_arn\n}\n'
    result = ENGINE.check_bytes("service.tf", text.encode())
    assert [(f.rule_id, f.message, f.severity.label) for f in result.findings] == [
        ("ECS013", "a Terraform file without an aws_ecs_task_definition resource", "warning")
    ]  # a valid Terraform file (a module may build its task definition): nothing is rejected
    walked = ENGINE.check_bytes("service.tf", text.encode(), explicit=False)
    assert (walked.is_task_definition, walked.findings) == (False, [])


def test_several_resources_are_labelled() -> None:
    text = TASK + TASK.replace('"web" {', '"api" {').replace("4096", "512")
    result = ENGINE.check_bytes("main.tf", text.encode())
    fargate = [f.message for f in result.findings if f.rule_id == "ECS102"]
    assert fargate == ["aws_ecs_task_definition.web: memory 4096 is not offered with cpu 256 on Fargate"]


def test_expressions_parse_with_positions() -> None:
    text = '{ a = [1, -2.5, true, null], "b": "x${y}", c = var.z + 1, d = f(1)[0] }'
    expr = parse_expression(text, 0, len(text))
    assert expr is not None and expr.kind == "object"
    nodes: dict[str, NodeOffsets] = {}
    value = to_json(expr, "", nodes)
    assert value == {"a": [1, -2.5, True, None], "b": "x${y}", "c": "${var.z + 1}", "d": "${f(1)[0]}"}
    assert text[nodes["/a/1"].value_start : nodes["/a/1"].value_end] == "-2.5"
    assert text[nodes["/b"].key_start : nodes["/b"].key_end] == '"b"'


def test_locator_accepts_precomputed_nodes() -> None:
    text = "key = {\n  inner = 12\n}\n"
    nodes = {"": NodeOffsets(6, 21), "/inner": NodeOffsets(18, 20, 10, 15)}
    locator = Locator(TextIndex(text), nodes=nodes)
    assert locator.offsets("/inner") == (18, 20)
    assert locator.offsets("/inner", at="key") == (10, 15)
    assert locator.offsets("/missing/deeper") == (6, 7)


@needs_corpus
def test_real_terraform_files_run_cleanly() -> None:
    errors: Counter[tuple[str, str]] = Counter()
    dropped: Counter[tuple[str, str]] = Counter()
    for path in corpus_files("tf", suffixes=(".tf",)):
        result = ENGINE.check_bytes(str(path), path.read_bytes())
        assert not result.internal_errors, (path.name, result.internal_errors)
        for finding in result.findings:
            if finding.severity is Severity.ERROR:
                errors[(path.name.split("__")[0], finding.rule_id)] += 1
            elif "Terraform drops it silently" in finding.message:
                dropped[(path.name.split("__")[0], finding.rule_id)] += 1
    # each reviewed: real problems that Terraform or ECS would reject
    reviewed = {
        ("ChenChihChiang", "ECS001"): 1,  # HCL `portMappings = [` inside the JSON heredoc
        ("hotosm", "ECS101"): 2,  # FARGATE without task-level cpu and memory
        ("potteringabout", "ECS101"): 2,  # FARGATE without task-level cpu and memory
    }
    assert {key: errors[key] for key in reviewed} == reviewed
    # and keys the provider drops without a word: warnings, since nothing rejects them (docs/consumers.md)
    assert dict(dropped) == {
        ("708u", "ECS020"): 1,  # "networkMode" inside a container definition
        ("nsaxelby", "ECS020"): 1,  # `count` inside a jsonencode'd container: not a meta-argument there
    }
    unreviewed = {key: count for key, count in errors.items() if key not in reviewed and key[1][3] == "0"}
    assert unreviewed == {}, "schema or syntax errors on real Terraform files: review each one"


def test_console_script_on_a_folder(tmp_path: Path) -> None:
    module = _repository(tmp_path)
    (module / "containers.json").write_text(
        json.dumps([{"name": "web", "image": "nginx:1.27", "memory": 512, "essential": False}], indent=2)
    )
    (module / "main.tf").write_text(
        'resource "aws_ecs_task_definition" "web" {\n'
        '  family                = "web"\n'
        '  container_definitions = file("containers.json")\n'
        "}\n"
    )
    (module / "vpc.tf").write_text('resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    ecslint = Path(sys.executable).parent / "ecslint"
    result = subprocess.run(
        [str(ecslint), "check", "--format", "json", str(module)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 2  # vpc.tf holds no task definition: skipped
    essential = {(Path(f["path"]).name, f["line"], f["column"]) for f in report["findings"] if f["rule"] == "ECS201"}
    assert essential == {("containers.json", 1, 1), ("main.tf", 3, 27)}


def test_unread_container_definitions_say_so_instead_of_no_problems(tmp_path: Path) -> None:
    """A resource whose containers could not be read is an info finding, not "No problems found"."""
    from tests.test_cli import run

    text = 'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n  container_definitions = var.defs\n}\n'
    (tmp_path / "main.tf").write_text(text)
    result = run("check", "--no-config", "main.tf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No problems found" not in result.stdout
    assert "main.tf:3:27" in result.stdout and "ECS222" in result.stdout
    assert "aws_ecs_task_definition.web: container_definitions could not be read (var.defs)" in result.stdout
    read = text.replace("var.defs", 'jsonencode([{ name = "web", image = "nginx:1.27", memory = 256 }])')
    (tmp_path / "main.tf").write_text(read)
    assert "ECS222" not in run("check", "--no-config", "main.tf", cwd=tmp_path).stdout


def test_a_heredoc_that_is_not_json_is_one_finding() -> None:
    """ECS001 says where the heredoc stops being JSON; no second note that the containers were not read."""
    text = HEREDOC.replace('"memroy": 512,', "memory = 512").replace("${var.cpu}", "256").replace("${", "x{")
    rules = [found[0] for found in _findings(text)]
    assert "ECS001" in rules and "ECS222" not in rules


def _family_resource(family: str) -> str:
    return f'resource "aws_ecs_task_definition" "web" {{\n  family = "{family}"\n  container_definitions = "[]"\n}}\n'


@pytest.mark.parametrize(
    "escape",
    [r"\UFFFFFFFF", r"\U00110000", r"\uD800", r"\uDFFF", r"\u12", r"\u+123", r"\u 123", r"\u1_23", r"\U0001F6zz"],
)
def test_an_escape_hcl_refuses_is_invalid_hcl_at_the_escape(escape: str) -> None:
    # hclsyntax ParseStringLiteralToken: exactly 4 (\u) or 8 (\U) hex digits naming a character
    # UTF-8 can encode, else "Invalid escape sequence"; python-hcl2 lets these pass.
    result = ENGINE.check_bytes("main.tf", _family_resource("a" + escape + "b").encode(), explicit=True)
    assert not result.internal_errors, result.internal_errors
    assert [(f.rule_id, f.span.start.line, f.span.start.column) for f in result.findings if f.span] == [
        ("ECS014", 2, 14)
    ]
    assert "invalid escape sequence" in result.findings[0].message


@pytest.mark.parametrize(("escape", "decoded"), [(r"\u00e9", "é"), (r"\U0001F600", "😀"), (r"\u0041", "A")])
def test_escapes_hcl_accepts_are_decoded(escape: str, decoded: str) -> None:
    (doc,) = documents(parse("main.tf", _family_resource(escape).encode())) or []
    assert doc.data["family"] == decoded
