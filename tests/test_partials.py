"""Files ecspresso registers (readers/evidence.py): the partials cloudposse's ecspresso actions merge
into a task definition template, ecspresso's configuration files, and its ``{{ ... }}`` values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecslint.readers.evidence import evidence
from tests.test_evidence import _findings, _repository, _write

# deploy/task-definition.json of NASA-ACROSS/across-server (issue 12): a partial
PARTIAL = {"containerDefinitions": [{"name": "app", "image": "{{ must_env `IMAGE` }}"}]}

DEPLOY = """\
name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Deploy
        uses: cloudposse/github-action-deploy-ecspresso@0.6.0
        with:
          image: example/app
          image-tag: ${{ github.sha }}
          region: us-east-2
          cluster: main
          application: app
          taskdef-path: deploy/task-definition.json
          mirror_to_s3_bucket: ${{ vars.MIRROR_BUCKET }}
          use_partial_taskdefinition: 'true'
"""

# a reusable workflow whose taskdef-path is an input, as in NASA-ACROSS/across-server
REUSABLE = """\
on:
  workflow_call:
    inputs:
      path:
        description: "The path to the task definition template json file."
        required: false
        default: ./deploy/taskdef.json
        type: string
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: cloudposse/github-action-run-ecspresso@0.2.0
        with:
          taskdef-path: ${{ inputs.path }}
          mirror_to_s3_bucket: tasks-mirror
          use_partial_taskdefinition: 'true'
"""
CALLER = """\
on: push
jobs:
  cd:
    uses: ./.github/workflows/cd.yml
    with:
      path: services/api/task.json
"""


# -- the readers ----------------------------------------------------------------------------


def test_a_partial_step_names_the_file_and_ecspresso_registers_it(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/deploy.yml": DEPLOY})
    found = evidence(str(_write(root / "deploy" / "task-definition.json", PARTIAL)))
    assert (found.consumer, found.go_templates) == ("go-sdk", True)
    assert found.partial == found.basis
    assert found.basis.startswith(".github/workflows/deploy.yml merges it into a task definition template from S3")
    assert evidence(str(_write(root / "deploy" / "other.json", PARTIAL))).consumer is None


@pytest.mark.parametrize(
    ("change", "partial"),
    [
        ({}, True),
        ({"          use_partial_taskdefinition: 'true'\n": ""}, False),  # the action merges only with both inputs
        ({"          mirror_to_s3_bucket: ${{ vars.MIRROR_BUCKET }}\n": ""}, False),
        ({"'true'": "'false'"}, True),  # the action asks only that the input is not empty
        ({"@0.6.0": "@0.5.0"}, False),  # releases before 0.6.0 do not merge
        ({"@0.6.0": "@main"}, True),  # a branch or a commit: taken as merging
    ],
)
def test_the_step_merges_only_with_both_inputs_in_a_release_that_merges(
    tmp_path: Path, change: dict[str, str], partial: bool
) -> None:
    workflow = DEPLOY
    for old, new in change.items():
        workflow = workflow.replace(old, new)
    root = _repository(tmp_path, {".github/workflows/deploy.yml": workflow})
    found = evidence(str(_write(root / "deploy" / "task-definition.json", PARTIAL)))
    assert (found.consumer, bool(found.partial), found.go_templates) == ("go-sdk", partial, True)


def test_a_reusable_workflow_input_resolves_from_its_default_and_its_callers(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/cd.yml": REUSABLE, ".github/workflows/main.yml": CALLER})
    by_default = evidence(str(_write(root / "deploy" / "taskdef.json", PARTIAL)))
    by_caller = evidence(str(_write(root / "services" / "api" / "task.json", PARTIAL)))
    assert by_default.partial.startswith(".github/workflows/cd.yml merges it")
    assert by_caller.partial.startswith(".github/workflows/cd.yml merges it")
    assert evidence(str(_write(root / "deploy" / "other.json", PARTIAL))).partial == ""


def test_an_ecspresso_configuration_names_the_file_relative_to_itself(tmp_path: Path) -> None:
    root = _repository(
        tmp_path,
        {
            "deploy/ecspresso.yml": "region: us-east-1\ncluster: main\nservice: app\ntask_definition: taskdef.json\n",
            ".ecspresso/prod.jsonnet": "{\n  region: 'us-east-1',\n  task_definition: '../prod/td.json',\n}\n",
        },
    )
    found = evidence(str(_write(root / "deploy" / "taskdef.json", PARTIAL)))
    assert (found.consumer, found.go_templates, found.partial) == ("go-sdk", True, "")
    assert found.basis == "deploy/ecspresso.yml names it as ecspresso's task_definition"
    prod = evidence(str(_write(root / "prod" / "td.json", PARTIAL)))
    assert prod.basis == ".ecspresso/prod.jsonnet names it as ecspresso's task_definition"
    assert evidence(str(_write(root / "taskdef.json", PARTIAL))).consumer is None  # not relative to the root


def test_a_workflow_named_for_ecspresso_is_still_a_workflow(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/ecspresso-deploy.yml": DEPLOY})
    assert evidence(str(_write(root / "deploy" / "task-definition.json", PARTIAL))).partial


def test_a_partial_step_whose_file_is_not_there_says_so_for_the_repository(tmp_path: Path) -> None:
    """NASA-ACROSS/across-server: the input's default names ./deploy/taskdef.json, and the repository
    holds deploy/task-definition.json; which file is merged is not known."""
    root = _repository(tmp_path, {".github/workflows/cd.yml": REUSABLE})
    found = evidence(str(_write(root / "deploy" / "task-definition.json", PARTIAL)))
    assert (found.consumer, found.partial) == (None, "")
    assert found.partial_unnamed.startswith(".github/workflows/cd.yml merges a file into a task definition template")
    (root / "deploy" / "taskdef.json").write_text("{}")  # the named file exists: the others are not merged
    other = tmp_path / "again"
    again = _repository(other, {".github/workflows/cd.yml": REUSABLE, "deploy/taskdef.json": "{}"})
    assert evidence(str(_write(again / "deploy" / "task-definition.json", PARTIAL))).partial_unnamed == ""


# -- end to end ------------------------------------------------------------------------------


def test_a_partial_is_not_missing_what_the_template_brings(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/deploy.yml": DEPLOY})
    _write(root / "deploy" / "task-definition.json", PARTIAL)
    assert _findings(root, "deploy/task-definition.json") == []  # ECS023 family, ECS305 must_env: gone
    plain = tmp_path / "plain"
    _write(plain / "deploy" / "task-definition.json", PARTIAL)
    assert {f["rule"] for f in _findings(plain, "deploy/task-definition.json")} >= {"ECS023", "ECS305"}


def test_what_a_partial_gives_wrong_is_still_reported(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/deploy.yml": DEPLOY})
    partial = {
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "4096",  # not offered with cpu 256 on Fargate: the partial's values win the merge
        "containerDefinitions": [
            {
                "name": "app",
                "image": "{{ must_env `IMAGE` }}",
                "secrets": [{"name": "DB_PASSWORD"}],  # valueFrom missing in an item: lists are replaced
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-grup": "/ecs/app"}},
            }
        ],
    }
    _write(root / "deploy" / "task-definition.json", partial)
    findings = _findings(root, "deploy/task-definition.json")
    assert sorted((f["rule"], f["pointer"], f["severity"]) for f in findings) == [
        ("ECS023", "/containerDefinitions/0/secrets/0", "error"),
        ("ECS102", "/memory", "error"),
        ("ECS404", "/containerDefinitions/0/logConfiguration/options/awslogs-grup", "error"),
    ]
    assert {json.dumps(f["consumer"]) for f in findings} == {
        json.dumps(
            {
                "name": "go-sdk",
                "basis": ".github/workflows/deploy.yml merges it into a task definition template from S3"
                " (use_partial_taskdefinition) with cloudposse's ecspresso action",
            }
        )
    }


def test_a_partial_container_without_a_name_cannot_be_merged(tmp_path: Path) -> None:
    """The merge keys containers by name (jq fails on a null key): a missing name stays an error."""
    root = _repository(tmp_path, {".github/workflows/deploy.yml": DEPLOY})
    _write(root / "deploy" / "task-definition.json", {"containerDefinitions": [{"image": "nginx:1.27"}]})
    findings = _findings(root, "deploy/task-definition.json")
    assert [(f["rule"], f["pointer"], f["severity"]) for f in findings] == [
        ("ECS023", "/containerDefinitions/0", "error")
    ]


def test_an_ecspresso_file_renders_its_templates_but_is_whole(tmp_path: Path) -> None:
    root = _repository(tmp_path, {"ecspresso.yml": "service: app\ntask_definition: ecs-task-def.json\n"})
    _write(root / "ecs-task-def.json", PARTIAL)
    findings = _findings(root, "ecs-task-def.json")
    # the family is missing from what ecspresso registers: still an error; {{ must_env }} is not ECS305
    assert [(f["rule"], f["pointer"], f["severity"]) for f in findings if f["severity"] == "error"] == [
        ("ECS023", "", "error")
    ]
    assert "ECS305" not in {f["rule"] for f in findings}
    assert findings[0]["consumer"] == {
        "name": "go-sdk",
        "basis": "ecspresso.yml names it as ecspresso's task_definition",
    }


def test_a_file_written_for_ecspresso_beside_an_unnamed_partial_step(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/cd.yml": REUSABLE})
    _write(root / "deploy" / "task-definition.json", PARTIAL)
    assert _findings(root, "deploy/task-definition.json") == []
    _write(root / "deploy" / "plain.json", {"containerDefinitions": [{"name": "app", "image": "nginx:1.27"}]})
    assert "ECS023" in {f["rule"] for f in _findings(root, "deploy/plain.json")}  # nothing says it is ecspresso's


def test_describe_output_fields_are_dropped_by_ecspresso(tmp_path: Path) -> None:
    """ecspresso decodes strictly, logs ``[WARNING] json: unknown field`` and decodes again leniently:
    a read-only field of describe output is dropped, not refused (docs/facts.md 27)."""
    root = _repository(tmp_path, {"ecspresso.yml": "task_definition: td.json\n"})
    described = {
        "family": "web",
        "revision": 3,
        "status": "ACTIVE",
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}],
    }
    _write(root / "td.json", described)
    found = [f for f in _findings(root, "td.json") if f["rule"] == "ECS025"]
    assert [(f["severity"], f["pointer"]) for f in found] == [("warning", "/revision")]
    assert "ecspresso logs a warning" in str(found[0]["message"])
    assert [f["severity"] for f in _findings(root, "--target", "aws-cli", "td.json") if f["rule"] == "ECS025"] == [
        "error"
    ]


def test_an_ecspresso_image_is_never_an_error_even_without_evidence(tmp_path: Path) -> None:
    """Outside any repository ``{{ must_env `IMAGE` }}`` is a template variable (ECS305): a warning."""
    task = {
        "family": "app",
        "containerDefinitions": [{"name": "app", "image": "{{ must_env `IMAGE` }}", "memory": 512}],
    }
    _write(tmp_path / "td.json", task)
    findings = _findings(tmp_path, "td.json")
    assert [f["rule"] for f in findings if f["severity"] == "error"] == []
    assert ("ECS305", "warning") in {(f["rule"], f["severity"]) for f in findings}
