"""What a file's repository says about who registers it (readers/evidence.py), and what that changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecslint.readers.evidence import evidence
from tests.test_cli import run

TASK = {
    "family": "site",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "256",
    "memory": "512",
    "executionRoleArn": "arn:aws:iam::210987654321:role/ecsTaskExecutionRole",
    "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}],
}
DESCRIBED = {**TASK, "status": "ACTIVE", "revision": 3, "pidMode": None}


def _repository(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _write(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _findings(folder: Path, *args: str) -> list[dict[str, object]]:
    result = run("check", "--no-config", "--format", "json", *args, cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


# -- the readers ----------------------------------------------------------------------------


def test_outside_a_repository_nothing_is_said(tmp_path: Path) -> None:
    (tmp_path / "deploy.sh").write_text("aws ecs register-task-definition --cli-input-json file://td.json\n")
    found = evidence(str(_write(tmp_path / "td.json", TASK)))
    assert (found.consumer, found.renders) == (None, ())


def test_a_script_that_registers_the_file_with_the_aws_cli(tmp_path: Path) -> None:
    root = _repository(
        tmp_path,
        {
            "scripts/deploy.sh": "aws ecs register-task-definition \\\n  --cli-input-json file://deploy/td.json\n",
            "Jenkinsfile": "sh 'aws ecs register-task-definition --cli-input-yaml file://other.yaml'\n",
        },
    )
    found = evidence(str(_write(root / "deploy" / "td.json", TASK)))
    assert found.consumer == "aws-cli"
    assert found.basis == "scripts/deploy.sh registers it with the AWS CLI (register-task-definition)"
    assert evidence(str(_write(root / "other.yaml", TASK))).consumer == "aws-cli"
    assert evidence(str(_write(root / "unnamed.json", TASK))).consumer is None
    # a file a script only reads (sed into another file, which it registers) is not the one registered
    (root / "Makefile").write_text("all:\n\tsed s/X/Y/ tpl.json > out.json\n", encoding="utf-8")
    assert evidence(str(_write(root / "tpl.json", TASK))).consumer is None


def test_a_workflow_that_registers_with_the_aws_cli_wins_over_the_deploy_action(tmp_path: Path) -> None:
    workflow = (
        "jobs:\n  d:\n    steps:\n"
        "      - run: aws ecs register-task-definition --cli-input-json file://td.json\n"
        "      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n"
        "        with:\n          task-definition: td.json\n"
    )
    root = _repository(tmp_path, {".github/workflows/deploy.yml": workflow})
    assert evidence(str(_write(root / "td.json", TASK))).consumer == "aws-cli"  # the stricter of the two


def test_a_codepipeline_blue_green_definition_names_the_file(tmp_path: Path) -> None:
    terraform = (
        'resource "aws_codepipeline" "p" {\n  stage {\n    action {\n      provider = "CodeDeployToECS"\n'
        '      configuration = {\n        TaskDefinitionTemplatePath = "api/taskdef.json"\n'
        '        Image1ContainerName = "IMAGE1_NAME"\n      }\n    }\n  }\n}\n'
    )
    root = _repository(tmp_path, {"infra/pipeline.tf": terraform})
    found = evidence(str(_write(root / "service" / "api" / "taskdef.json", TASK)))
    assert found.consumer == "codedeploy"
    assert found.basis == "infra/pipeline.tf names it as TaskDefinitionTemplatePath of CodeDeployToECS"
    assert evidence(str(_write(root / "taskdef.json", TASK))).consumer is None  # another path


def test_a_cloudformation_pipeline_names_the_file(tmp_path: Path) -> None:
    template = (
        "Resources:\n  Pipeline:\n    Type: AWS::CodePipeline::Pipeline\n    Properties:\n      Stages:\n"
        "        - Actions:\n            - ActionTypeId: {Category: Deploy, Owner: AWS, Provider: CodeDeployToECS}\n"
        "              Configuration:\n                TaskDefinitionTemplatePath: deploy/taskdef.json\n"
    )
    root = _repository(tmp_path, {"cfn/pipeline.yaml": template})
    assert evidence(str(_write(root / "deploy" / "taskdef.json", TASK))).consumer == "codedeploy"
    # the same key without CodeDeployToECS in the file says nothing
    (tmp_path / "b").mkdir()
    other = _repository(tmp_path / "b", {"cfn/pipeline.yaml": template.replace("CodeDeployToECS", "ECS")})
    assert evidence(str(_write(other / "deploy" / "taskdef.json", TASK))).consumer is None


def test_an_appspec_with_a_task_definition_placeholder(tmp_path: Path) -> None:
    appspec = (
        "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n"
        "      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n"
    )
    buildspec = "version: 0.2\nartifacts:\n  files:\n    - appspec.yaml\n    - api-taskdef.json\n"
    root = _repository(tmp_path, {"appspec.yaml": appspec, "buildspec.yml": buildspec})
    assert evidence(str(_write(root / "taskdef.json", TASK))).consumer == "codedeploy"  # the action's default
    assert evidence(str(_write(root / "api-taskdef.json", TASK))).consumer == "codedeploy"  # the build ships it
    assert evidence(str(_write(root / "td.json", TASK))).consumer is None
    # an AppSpec for EC2 or Lambda (no ECS task definition placeholder) says nothing
    (tmp_path / "other").mkdir()
    other = _repository(tmp_path / "other", {"appspec.yml": "version: 0.0\nos: linux\n"})
    assert evidence(str(_write(other / "taskdef.json", TASK))).consumer is None


RENDER = """jobs:
  deploy:
    steps:
      - id: r1
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with: {task-definition: td.json, container-name: web, image: "${{ steps.b.outputs.image }}"}
      - id: r2
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: ${{ steps.r1.outputs.task-definition }}
          container-name: proxy
          image: ${{ steps.b.outputs.proxy }}
          log-configuration-log-driver: awslogs
          log-configuration-options: |
            awslogs-group=/ecs/site
            awslogs-region=eu-west-1
            awslogs-stream-prefix=proxy
"""


def test_render_steps_name_their_containers_and_inputs(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/deploy.yml": RENDER})
    found = evidence(str(_write(root / "td.json", TASK)))
    assert found.consumer is None  # rendering is not registering
    assert [(r.container, sorted(r.inputs), r.workflow.rsplit("/", 1)[-1]) for r in found.renders] == [
        ("web", ["image"], "deploy.yml"),
        ("proxy", ["image", "log-configuration-log-driver", "log-configuration-options"], "deploy.yml"),
    ]
    assert evidence(str(_write(root / "other.json", TASK))).renders == ()


def test_an_unreadable_workflow_says_nothing(tmp_path: Path) -> None:
    root = _repository(
        tmp_path, {".github/workflows/bad.yml": "uses: aws-actions/amazon-ecs-render-task-definition@v1\n  : [\n"}
    )
    assert evidence(str(_write(root / "td.json", TASK))).renders == ()


# -- end to end ------------------------------------------------------------------------------


def test_a_render_step_fills_in_its_containers_image_and_log_options(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/deploy.yml": RENDER})
    containers = [
        {"name": "web", "essential": True},
        {"name": "proxy", "image": "REPLACE_ME_WITH_ECR_URL", "logConfiguration": {"logDriver": "awslogs"}},
        {"name": "worker", "image": ""},
        {"name": "sidecar", "image": "REPLACE_ME_WITH_ECR_URL"},
    ]
    _write(root / "td.json", {**TASK, "containerDefinitions": containers})
    select = ("--select", "ECS023,ECS208,ECS304,ECS305,ECS401")
    found = [(f["rule"], f["pointer"], f["severity"]) for f in _findings(root, *select, "td.json")]
    assert found == [  # web's missing image, proxy's placeholder and log options: filled in by the render steps
        ("ECS023", "/containerDefinitions/2/image", "error"),
        ("ECS304", "/containerDefinitions/3/image", "error"),
    ]
    (root / ".github" / "workflows" / "deploy.yml").unlink()
    run_again = _write(root / "again" / "td.json", {**TASK, "containerDefinitions": containers})
    unrendered = {(f["rule"], f["pointer"]) for f in _findings(root, *select, str(run_again.relative_to(root)))}
    assert {("ECS023", "/containerDefinitions/0"), ("ECS304", "/containerDefinitions/1/image")} <= unrendered


def test_codedeploy_fills_in_the_image_placeholder(tmp_path: Path) -> None:
    appspec = "version: 0.0\nResources:\n  - TargetService:\n      Properties:\n"
    root = _repository(tmp_path, {"appspec.yaml": appspec + "        TaskDefinition: <TASK_DEFINITION>\n"})
    task = {**DESCRIBED, "containerDefinitions": [{"name": "api", "image": "<IMAGE1_NAME>", "essential": True}]}
    _write(root / "taskdef.json", task)
    findings = _findings(root, "--select", "ECS025,ECS026,ECS208,ECS304,ECS305", "taskdef.json")
    assert [(f["rule"], f["severity"]) for f in findings] == [("ECS025", "warning"), ("ECS026", "warning")]
    assert "CodePipeline's ECS blue/green deploy (CodeDeployToECS) is seen to ignore them" in str(
        findings[0]["message"]
    )
    assert findings[0]["consumer"] == {
        "name": "codedeploy",
        "basis": "appspec.yaml deploys it with CodeDeploy (an ECS TaskDefinition placeholder)",
    }


def test_the_codedeploy_image_placeholder_is_evidence_by_itself(tmp_path: Path) -> None:
    task = {**DESCRIBED, "containerDefinitions": [{"name": "api", "image": "<IMAGE1_NAME>"}]}
    _write(tmp_path / "taskdef.json", task)  # no repository at all
    findings = _findings(tmp_path, "--select", "ECS025,ECS026,ECS304,ECS305", "taskdef.json")
    assert [(f["rule"], f["severity"]) for f in findings] == [("ECS025", "warning"), ("ECS026", "warning")]
    assert findings[0]["consumer"] == {
        "name": "codedeploy",
        "basis": "its image <IMAGE1_NAME> is CodeDeployToECS's placeholder",
    }
    # --target aws-cli: the AWS CLI registers "<IMAGE1_NAME>" as it is
    forced = _findings(tmp_path, "--select", "ECS025,ECS026,ECS305", "--target", "aws-cli", "taskdef.json")
    assert sorted((f["rule"], f["severity"]) for f in forced) == [
        ("ECS025", "error"),
        ("ECS026", "error"),
        ("ECS305", "warning"),
    ]


def test_a_script_registering_with_the_aws_cli_makes_the_errors_true(tmp_path: Path) -> None:
    root = _repository(tmp_path, {"deploy.sh": "aws ecs register-task-definition --cli-input-json file://td.json\n"})
    _write(root / "td.json", DESCRIBED)
    findings = _findings(root, "--select", "ECS025,ECS026", "td.json")
    assert [(f["rule"], f["severity"]) for f in findings] == [("ECS025", "error"), ("ECS026", "error")]
    assert findings[0]["consumer"] == {
        "name": "aws-cli",
        "basis": "deploy.sh registers it with the AWS CLI (register-task-definition)",
    }


STARTER = """name: Deploy to Amazon ECS
on: {push: {branches: [main]}}
env:
  ECS_TASK_DEFINITION: .aws/task-definition.json
  CONTAINER_NAME: site
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Fill in the new image ID in the Amazon ECS task definition
        id: task-def
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: ${{ env.ECS_TASK_DEFINITION }}
          container-name: ${{ env.CONTAINER_NAME }}
          image: ${{ steps.build-image.outputs.image }}
      - name: Deploy Amazon ECS task definition
        uses: aws-actions/amazon-ecs-deploy-task-definition@v1
        with:
          task-definition: ${{ steps.task-def.outputs.task-definition }}
"""


def test_the_starter_workflow_names_the_file_and_container_through_its_env(tmp_path: Path) -> None:
    """GitHub's "Deploy to Amazon ECS" starter workflow names both in the workflow's ``env``."""
    root = _repository(tmp_path, {".github/workflows/aws.yml": STARTER})
    found = evidence(str(_write(root / ".aws" / "task-definition.json", TASK)))
    assert found.consumer == "deploy-action"
    assert found.basis == ".github/workflows/aws.yml hands it to amazon-ecs-deploy-task-definition"
    assert [(r.container, sorted(r.inputs)) for r in found.renders] == [("site", ["image"])]
    # a job's or a step's own env is seen by its steps, and wins over the workflow's
    runs_on = "    runs-on: ubuntu-latest\n"
    job_env = STARTER.replace(runs_on, runs_on + "    env: {CONTAINER_NAME: api}\n")
    other = tmp_path / "other"
    other.mkdir()
    root = _repository(other, {".github/workflows/aws.yml": job_env})
    found = evidence(str(_write(root / ".aws" / "task-definition.json", TASK)))
    assert [r.container for r in found.renders] == ["api"]


def test_a_render_step_does_not_add_what_the_file_lacks(tmp_path: Path) -> None:
    """Variables and secrets a render step adds are not in the file: nothing is checked about them."""
    workflow = STARTER.replace(
        "          image: ${{ steps.build-image.outputs.image }}\n",
        "          image: ${{ steps.build-image.outputs.image }}\n          secrets: |\n            TOKEN=arn:x\n",
    )
    root = _repository(tmp_path, {".github/workflows/aws.yml": workflow})
    task = {key: value for key, value in TASK.items() if key != "executionRoleArn"}
    task["containerDefinitions"] = [{"name": "site", "image": ""}]
    _write(root / ".aws" / "task-definition.json", task)
    findings = _findings(root, "--select", "ECS023,ECS303", ".aws/task-definition.json")
    assert findings == []  # the image is rendered; the secret the step adds needs a role, but it is not in the file


def test_sarif_names_the_consumer_of_each_result(tmp_path: Path) -> None:
    _write(tmp_path / "td.json", DESCRIBED)
    result = run("check", "--no-config", "--format", "sarif", "--select", "ECS025", "td.json", cwd=tmp_path)
    (finding,) = json.loads(result.stdout)["runs"][0]["results"]
    assert finding["properties"]["consumer"] == "unknown"
    assert finding["properties"]["consumerBasis"].startswith("nothing names who registers it")


def test_outside_a_repository_the_evidence_reader_is_not_imported(tmp_path: Path) -> None:
    """Cold start: a file outside a git repository costs the walk up to the root, no more."""
    import subprocess
    import sys

    _write(tmp_path / "td.json", DESCRIBED)
    # The catalogue is loaded first: in a source checkout whose rule files changed, loading it parses
    # YAML (ruamel) once to refill its cache, which is not what checking the file costs.
    code = (
        "import sys; from ecslint.catalogue.entries import builtin; builtin(); before = set(sys.modules); "
        "from ecslint.cli.main import main; main(['check', '-q', '--no-config', 'td.json']); "
        "print(sorted(m for m in set(sys.modules) - before if m.endswith('evidence') or m.startswith('ruamel')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.stdout.strip().endswith("[]"), (result.stdout, result.stderr)
    (tmp_path / ".git").mkdir()  # the same file in a repository: the reader is imported, and reads it
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert "ecslint.readers.evidence" in result.stdout, (result.stdout, result.stderr)


def test_a_document_without_a_file_reads_no_repository(tmp_path: Path) -> None:
    """``ecslint.check(dict)`` and unnamed standard input are no file of the repository they run in."""
    import subprocess
    import sys

    _repository(tmp_path, {"deploy.sh": "aws ecs register-task-definition --cli-input-json file://td.json\n"})
    code = (
        "import sys, ecslint; found = [f for f in ecslint.check(" + repr(DESCRIBED) + ") if f.rule == 'ECS025']; "
        "print(found[0].severity, found[0].consumer, sorted(m for m in sys.modules if m.endswith('evidence')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.stdout.strip() == "warning unknown []", (result.stdout, result.stderr)


def test_the_walk_is_bounded_skips_dependency_folders_and_keeps_name_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecslint.readers import evidence as module

    root = _repository(
        tmp_path,
        {
            "b/buildspec.yml": "x",
            "a/deploy.sh": "x",
            "a/z/Makefile": "x",
            "node_modules/pkg/deploy.sh": "x",
            ".hidden/deploy.sh": "x",
            ".github/workflows/ci.yml": "x",
            "notes.txt": "x",
            "data/fixture.json": "x",  # JSON and YAML are read as pipelines only when their name says so
            "infra/release-pipeline.yaml": "x",
            "infra/main.tf": "x",
        },
    )
    found = [(path.relative_to(root).as_posix(), kind) for path, kind in module._interesting_files(root)]
    assert found == [
        (".github/workflows/ci.yml", "workflow"),
        ("a/deploy.sh", "script"),
        ("a/z/Makefile", "script"),
        ("b/buildspec.yml", "buildspec"),
        ("infra/main.tf", "pipeline"),
        ("infra/release-pipeline.yaml", "pipeline"),
    ]
    monkeypatch.setattr(module, "_MAX_FILES", 2)  # entries looked at, whatever their kind
    assert len(module._interesting_files(root)) < len(found)


def test_a_pipeline_definition_is_read_only_when_it_names_codedeploy(tmp_path: Path) -> None:
    from ecslint.readers.evidence import _read

    (tmp_path / "data.json").write_text('{"a": 1}')
    (tmp_path / "pipeline.yml").write_text("Provider: CodeDeployToECS\n")
    assert _read(tmp_path / "data.json", b"CodeDeployToECS") is None
    assert _read(tmp_path / "pipeline.yml", b"CodeDeployToECS") == "Provider: CodeDeployToECS\n"
    assert _read(tmp_path / "data.json") == '{"a": 1}'


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            'sed -e "s|<EXECUTION_ROLE_ARN>|$ROLE|g" -e "s/ACCOUNT_ID/$ACCOUNT/g" deploy/td.json > out.json',
            {
                ("deploy", "td.json"): {"EXECUTION_ROLE_ARN", "ACCOUNT_ID"},
                ("out.json",): {"EXECUTION_ROLE_ARN", "ACCOUNT_ID"},
            },
        ),
        ('sed -i "s/\\<IMAGE\\>/$IMG/g; s/__TAG__/x/" taskdef.json', {("taskdef.json",): {"IMAGE", "TAG"}}),
        (
            'cat td.json | sed "s#{{ REGION }}#eu-west-1#g" | aws ecs register-task-definition --cli-input-json file:///dev/stdin',
            {("td.json",): {"REGION"}},
        ),
        ('sed <td.template -e "s,@VERSION@,$1," -e "s/%STAGE%/prod/" > td.json', {("td.json",): {"VERSION", "STAGE"}}),
        ('sed "s/[0-9]+/x/" td.json', {}),  # a regular expression, not a placeholder
        ('sed "s/image/x/" td.json', {}),  # a word, not written like a constant
        ('echo "s/ACCOUNT_ID/x/" td.json', {}),  # no sed
    ],
)
def test_sed_steps_say_which_placeholders_they_fill(script: str, expected: dict[tuple[str, ...], set[str]]) -> None:
    from ecslint.readers.evidence import _sed_substitutions

    assert {parts: set(names) for parts, names in _sed_substitutions(script + "\n")} == expected


def test_a_placeholder_a_sed_step_fills_is_not_reported(tmp_path: Path) -> None:
    task = {
        "family": "web",
        "executionRoleArn": "<EXECUTION_ROLE_ARN>",
        "taskRoleArn": "arn:aws:iam::ACCOUNT_ID:role/web",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "ACCOUNT_ID.dkr.ecr.eu-west-1.amazonaws.com/web:1.0",
                "memory": 256,
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-region": "<REGION>"}},
            }
        ],
    }
    alone = _repository(tmp_path / "a", {})
    _write(alone / "deploy" / "td.json", task)
    before = [f["message"] for f in _findings(alone, "--select", "ECS304,ECS305", "deploy/td.json")]
    assert len(before) == 3, before
    script = (
        'sed -e "s|<EXECUTION_ROLE_ARN>|$ROLE|g" \\\n  -e "s/ACCOUNT_ID/$ACCOUNT/g" deploy/td.json > /tmp/td.json\n'
    )
    root = _repository(tmp_path / "b", {"deploy.sh": script})
    _write(root / "deploy" / "td.json", task)
    after = _findings(root, "--select", "ECS304,ECS305", "deploy/td.json")
    assert [(f["rule"], f["message"]) for f in after] == [("ECS304", "'<REGION>' is a placeholder, not a Region")]


_DESCRIBED_EDIT = (
    'jq --arg IMAGE "$NEW_IMAGE" \'.taskDefinition | .containerDefinitions[0].image = $IMAGE'
    " | del(.taskDefinitionArn) | del(.revision)' task-definition.json > new.json"
)
_MULTI_LINE_DEL = (
    "jq 'del(.taskDefinitionArn, .revision, .status) |\n"
    "    .containerDefinitions[0].image = $IMAGE' \\\n"
    '    --arg IMAGE "$REGISTRY/app:$TAG" \\\n'
    "    < task-definition.json > new-task-definition.json"
)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            """jq --arg r "$R" '.executionRoleArn = $r | .containerDefinitions[0].image = $i' ecs/td.json > o.json""",
            {("ecs", "td.json"): ({"/executionRoleArn", "/containerDefinitions/0/image"}, set()), ("o.json",): None},
        ),
        ("""jq '.family == "web"' td.json""", {}),  # a comparison sets nothing
        ("""jq '.taskRoleArn |= ascii_downcase' td.json""", {}),  # an update keeps the member as it is
        # every container, or the container of a name
        (
            """jq '.containerDefinitions |= map(.image = $i)' td.json""",
            {("td.json",): ({"/containerDefinitions/*/image"}, set())},
        ),
        (
            """jq '.containerDefinitions[] |= (.image = $i)' td.json""",
            {("td.json",): ({"/containerDefinitions/*/image"}, set())},
        ),
        (
            """jq --argjson n 2 '(.containerDefinitions[] | select(.name == "app") | .image) = $x' td.json""",
            {("td.json",): ({"/containerDefinitions/*name=app/image"}, set())},
        ),
        (
            """jq '.containerDefinitions |= map(if .name == "app" then .image = $i else . end)' td.json""",
            {("td.json",): ({"/containerDefinitions/*name=app/image"}, set())},
        ),
        (  # a quoted key, a program in double quotes, an update to a literal
            'jq ".containerDefinitions[0].logConfiguration.options.\\"awslogs-group\\" |= \\"/ecs/$P\\"" td.json',
            {("td.json",): ({"/containerDefinitions/0/logConfiguration/options/awslogs-group"}, set())},
        ),
        # describe output: what del() deletes, and the path in the task definition
        (
            _DESCRIBED_EDIT,
            {
                ("task-definition.json",): (
                    {"/taskDefinition/containerDefinitions/0/image"},
                    {"/taskDefinition/taskDefinitionArn", "/taskDefinition/revision"},
                ),
                ("new.json",): None,
            },
        ),
        (  # a program that spans lines, the file on stdin
            _MULTI_LINE_DEL,
            {
                ("task-definition.json",): (
                    {"/containerDefinitions/0/image"},
                    {"/taskDefinitionArn", "/revision", "/status"},
                ),
                ("new-task-definition.json",): None,
            },
        ),
        (  # a program the shell builds of quoted pieces, on describe output piped in
            "aws ecs describe-task-definition --task-definition web --query taskDefinition | "
            """jq '.containerDefinitions[].image = "'${REGISTRY}'/web:1"' | jq 'del(.revision)' > td.json""",
            {("td.json",): ({"/containerDefinitions/*/image"}, {"/revision"})},
        ),
        # programs that are not read: they say nothing
        ("""jq '.taskDefinition | .containerDefinitions[0]' td.json""", {}),  # a projection
        ("""jq -r '.containerDefinitions[0].name' td.json""", {}),
        ("""X=$(jq -r .family td.json) && jq '.cpu = "512"' td.json""", {}),  # one program of the line unread
        ("""jq '.cpu = null' td.json""", {}),
        ("""jq '.containerDefinitions[0].environment += [{"name": "A"}]' td.json""", {}),
        ("""jq 'del(..|select(. == ""))' td.json""", {}),
        ("""jq -f filter.jq td.json""", {}),  # the program is in another file
        ("""jq --null-input -f ecs/td.jq | tee ecs/td.json""", {}),  # the file is made, not edited
        ("""jq -n '.cpu = "1"' td.json""", {}),
        ("""apt-get install -y jq""", {}),
    ],
)
def test_jq_steps_say_which_members_they_set_and_delete(
    script: str, expected: dict[tuple[str, ...], tuple[set[str], set[str]] | None]
) -> None:
    from ecslint.readers.evidence import _jq_edits

    found = {parts: (set(edits[0]), set(edits[1])) for parts, edits in _jq_edits(script + "\n")}
    assert set(found) == set(expected)
    for parts, edits in expected.items():
        if edits is not None:
            assert found[parts] == edits


def test_a_member_a_jq_step_sets_is_present_at_deploy_time(tmp_path: Path) -> None:
    task = {
        "family": "bot",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [
            {
                "name": "bot",
                "image": "example/bot:1.0",
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/bot",
                        "awslogs-region": "eu-west-1",
                        "awslogs-stream-prefix": "b",
                    },
                },
            }
        ],
    }
    alone = _repository(tmp_path / "a", {})
    _write(alone / "ecs" / "task-definition.json", task)
    assert [f["rule"] for f in _findings(alone, "--select", "ECS403", "ecs/task-definition.json")] == ["ECS403"]
    script = """jq --arg role "$ROLE" '.executionRoleArn = $role' ecs/task-definition.json > rendered.json\n"""
    root = _repository(tmp_path / "b", {"scripts/deploy.sh": script})
    _write(root / "ecs" / "task-definition.json", task)
    assert _findings(root, "--select", "ECS403,ECS305", "ecs/task-definition.json") == []


CONTAINERS_TEMPLATE = '[{"name": "web", "image": "${image}", "memory": 512, "essential": true}]\n'


def test_terraform_templatefile_calls_name_the_files_they_render(tmp_path: Path) -> None:
    from ecslint.readers.evidence import evidence

    root = _repository(
        tmp_path,
        {
            "infra/main.tf": 'locals {\n  c = templatefile("${path.module}/tpl/${var.env}.json", { image = "a" })\n}\n',
            "infra/legacy.tf": 'data "template_file" "c" {\n  template = file("../common/containers.json")\n}\n',
            "infra/absolute.tf": 'locals {\n  x = templatefile("/etc/containers.json", {})\n}\n',
            "infra/tpl/prod.json": CONTAINERS_TEMPLATE,
            "infra/tpl/deeper/prod.json": CONTAINERS_TEMPLATE,
            "common/containers.json": CONTAINERS_TEMPLATE,
            "other.json": CONTAINERS_TEMPLATE,
        },
    )
    assert evidence(str(root / "infra/tpl/prod.json")).templated_by == "infra/main.tf"
    assert evidence(str(root / "common/containers.json")).templated_by == "infra/legacy.tf"
    assert evidence(str(root / "infra/tpl/deeper/prod.json")).templated_by == ""  # ${var.env} is one name
    assert evidence(str(root / "other.json")).templated_by == ""


def test_a_file_terraform_renders_has_no_template_variables_ecs_takes_literally(tmp_path: Path) -> None:
    root = _repository(tmp_path, {"tpl/containers.json": CONTAINERS_TEMPLATE})
    assert [f["rule"] for f in _findings(root, "--select", "ECS305", "tpl/containers.json")] == ["ECS305"]
    (root / "main.tf").write_text('locals {\n  c = templatefile("tpl/containers.json", { image = "a:1" })\n}\n')
    assert _findings(root, "--select", "ECS305", "tpl/containers.json") == []


@pytest.mark.parametrize(
    "pipeline",
    ["bitbucket-pipelines.yml", ".gitlab-ci.yml", "azure-pipelines.yml", ".circleci/config.yml", "cloudbuild.yaml"],
)
def test_other_ci_systems_pipelines_are_read_as_scripts(tmp_path: Path, pipeline: str) -> None:
    from ecslint.readers.evidence import evidence

    commands = (
        "script:\n"
        '  - sed -i "s/{{ACCOUNT_ID}}/$ACCOUNT/g" ecs/td.json\n'
        "  - aws ecs register-task-definition --cli-input-json file://ecs/td.json\n"
    )
    root = _repository(tmp_path, {pipeline: commands, "ecs/td.json": "{}"})
    found = evidence(str(root / "ecs" / "td.json"))
    assert found.consumer == "aws-cli" and found.basis.startswith(pipeline)
    assert found.filled == {"ACCOUNT_ID"}


RENDER_BY_SECRET = """\
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - id: render
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: task-definition.json
          container-name: ${{ secrets.ECS_CONTAINER_NAME }}
          image: ${{ steps.build.outputs.image }}
      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with:
          task-definition: ${{ steps.render.outputs.task-definition }}
"""


def test_a_render_step_naming_its_container_by_a_secret_fills_the_one_it_can_only_be(tmp_path: Path) -> None:
    root = _repository(tmp_path, {".github/workflows/deploy.yml": RENDER_BY_SECRET})
    one = {"family": "w", "containerDefinitions": [{"name": "app", "image": "", "memory": 512}]}
    _write(root / "task-definition.json", one)
    assert [f["rule"] for f in _findings(root, "--select", "ECS023", "task-definition.json")] == []
    # of several, the ones whose image awaits the step; a container with its own image keeps its checks
    two = {
        "family": "w",
        "containerDefinitions": [
            {"name": "app", "image": "", "memory": 512},
            {"name": "side", "image": "busybox:latest", "memory": 128},
        ],
    }
    _write(root / "task-definition.json", two)
    found = _findings(root, "--select", "ECS023,ECS210", "task-definition.json")
    assert [(f["rule"], f["pointer"]) for f in found] == [("ECS210", "/containerDefinitions/1/image")]


# -- variables naming the file, envsubst ------------------------------------------------------

_BUILDSPEC = """version: 0.2
env:
  variables:
    # TASKDEF: ecs/taskdef.json
    TASKDEF: ecs/taskdef-otel.json
    OTHER: $HOME/x.json
phases:
  build:
    commands:
      - sed -i -e "s!<CPU>!${CPU}!g" -e "s!<MEMORY>!${MEMORY}!g" $TASKDEF
      - sed -i -e "s!<ROLE>!x!g" "${TASKDEF}"
      - sed -i "s/<X>/y/" $OTHER
"""
_SCRIPT = """#!/bin/sh
sed -i "s/<A>/x/" $TASKDEF
TASKDEF=ecs/a.json
sed -i "s/<B>/x/" "$TASKDEF"
export TASKDEF="ecs/b.json"
sed -i "s/<C>/x/" $TASKDEF
TASKDEF=$(ls ecs/*.json | head -1)
sed -i "s/<D>/x/" $TASKDEF
DIR=ecs
FILE=$DIR/e.json
sed -i "s/<E>/x/" $FILE
# FILE=ecs/f.json
sed -i "s/<F>/x/" ${FILE%.json}.json $UNSET
"""
_WORKFLOW = """env:
  TD: deploy/td.json
jobs:
  a:
    env:
      DIR: infra
    steps:
      - run: |
          T=ecs/a.json
          sed -i "s/<A>/x/" $T
      - run: sed -i "s/<B>/x/" $T
      - env:
          NAME: web.json
        run: sed -i "s/<C>/$C/" $DIR/$NAME $TD
  b:
    env:
      DIR: other
    steps:
      - run: sed -i "s/<D>/x/" $DIR/web.json
      - run: sed -i "s/<E>/x/" ${{ env.DIR }}/e.json
"""
_MAKEFILE = """TASKDEF := deploy/td.json
BUILD ?= out
OUT = $(BUILD)/ecs
render:
\tsed "s/<IMAGE>/$(IMAGE)/" $(TASKDEF) > $(OUT)/rendered.json
\tsed "s/<TAG>/x/" $(SHELL_ONLY)
"""


@pytest.mark.parametrize(
    ("script", "kind", "expected"),
    [
        (_BUILDSPEC, "buildspec", {("ecs", "taskdef-otel.json"): {"CPU", "MEMORY", "ROLE"}}),
        (_SCRIPT, "script", {("ecs", "a.json"): {"B"}, ("ecs", "b.json"): {"C"}, ("ecs", "e.json"): {"E"}}),
        # a run block's assignment stays in its step; each step sees its job's env
        (
            _WORKFLOW,
            "workflow",
            {
                ("ecs", "a.json"): {"A"},
                ("infra", "web.json"): {"C"},
                ("deploy", "td.json"): {"C"},
                ("other", "web.json"): {"D"},
                ("other", "e.json"): {"E"},
            },
        ),
        (_MAKEFILE, "make", {("deploy", "td.json"): {"IMAGE"}, ("out", "ecs", "rendered.json"): {"IMAGE"}}),
    ],
)
def test_variables_naming_the_file_are_resolved_from_literal_values(
    script: str, kind: str, expected: dict[tuple[str, ...], set[str]]
) -> None:
    from ecslint.readers.evidence import _sed_substitutions

    found: dict[tuple[str, ...], set[str]] = {}
    for parts, names in _sed_substitutions(script, kind):
        found.setdefault(parts, set()).update(names)
    assert found == expected


def test_a_variable_names_the_file_the_aws_cli_registers(tmp_path: Path) -> None:
    script = "OUT=deploy/td.json\naws ecs register-task-definition --cli-input-json file://$OUT\n"
    root = _repository(tmp_path, {"scripts/deploy.sh": script})
    assert evidence(str(_write(root / "deploy" / "td.json", TASK))).consumer == "aws-cli"
    unresolved = _repository(tmp_path / "b", {"deploy.sh": script.replace("OUT=deploy/td.json", "OUT=$(mktemp)")})
    assert evidence(str(_write(unresolved / "deploy" / "td.json", TASK))).consumer is None


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("envsubst < in.json > out.json", {("in.json",): {"$"}, ("out.json",): {"$"}}),
        ("envsubst '$A ${B}' < in.json > out.json", {("in.json",): {"A", "B"}, ("out.json",): {"A", "B"}}),
        (
            'envsubst "\\${IMAGE} \\$TAG" < in.json > out.json',
            {("in.json",): {"IMAGE", "TAG"}, ("out.json",): {"IMAGE", "TAG"}},
        ),
        ("cat ecs/in.json | envsubst > out.json", {("ecs", "in.json"): {"$"}, ("out.json",): {"$"}}),
        ("envsubst < in.yaml | tee out.yaml", {("in.yaml",): {"$"}, ("out.yaml",): {"$"}}),
        (
            "envsubst < in.json | aws ecs register-task-definition --cli-input-json file:///dev/stdin",
            {("in.json",): {"$"}},
        ),
        # the pipeline of the line that runs envsubst, not the others
        (
            "envsubst '$A' < a.json > b.json && aws ecs register-task-definition --cli-input-json file://c.json",
            {
                ("a.json",): {"A"},
                ("b.json",): {"A"},
            },
        ),
        ('envsubst "$VARS" < in.json > out.json', {}),  # the shell expands SHELL-FORMAT first: not known
        ("envsubst --variables '$A' < in.json", {}),  # lists names, replaces nothing
        ("envsubst 'no variables' < in.json > out.json", {}),
        ("# envsubst < in.json > out.json", {}),  # a comment
    ],
)
def test_envsubst_steps_say_which_variables_they_fill(script: str, expected: dict[tuple[str, ...], set[str]]) -> None:
    from ecslint.readers.evidence import _envsubst_substitutions

    assert {parts: set(names) for parts, names in _envsubst_substitutions(script + "\n")} == expected


_TEMPLATE = {
    "family": "web",
    "executionRoleArn": "${EXECUTION_ROLE_ARN}",
    "containerDefinitions": [
        {
            "name": "web",
            "image": "${IMAGE}",
            "memory": 256,
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "/ecs/web", "awslogs-region": "$AWS_REGION", "awslogs-stream-prefix": "w"},
            },
        }
    ],
}


def test_the_variables_an_envsubst_step_fills_are_not_reported(tmp_path: Path) -> None:
    alone = _repository(tmp_path / "a", {})
    _write(alone / "ecs" / "td.json", _TEMPLATE)
    before = _findings(alone, "--select", "ECS304,ECS305", "ecs/td.json")
    assert [f["rule"] for f in before] == ["ECS305"], before
    every = _repository(tmp_path / "b", {"deploy.sh": "envsubst < ecs/td.json > rendered.json\n"})
    _write(every / "ecs" / "td.json", _TEMPLATE)
    assert _findings(every, "--select", "ECS304,ECS305", "ecs/td.json") == []
    # SHELL-FORMAT: only the variables it names are replaced, $AWS_REGION stays as written
    some = _repository(
        tmp_path / "c", {"deploy.sh": "cat ecs/td.json | envsubst '${IMAGE} $EXECUTION_ROLE_ARN' > o.json\n"}
    )
    _write(some / "ecs" / "td.json", _TEMPLATE)
    after = _findings(some, "--select", "ECS304,ECS305", "ecs/td.json")
    assert [(f["rule"], f["message"]) for f in after] == [
        ("ECS305", "'$AWS_REGION' is a template variable that ECS takes literally")
    ], after


def test_a_buildspec_variable_naming_the_file_fills_its_placeholders(tmp_path: Path) -> None:
    """The CodeBuild buildspec shape of issue 12: every sed names the file as $TASKDEF."""
    task = {
        "family": "<NAME>",
        "executionRoleArn": "<EXECUTION_ROLE_ARN>",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "<CPU>",
        "memory": "<MEMORY>",
        "containerDefinitions": [{"name": "<NAME>", "image": "nginx:1.27", "essential": True}],
    }
    commands = "".join(
        f'      - sed -i -e "s!<{name}>!${{{name}}}!g" $TASKDEF\n' for name in ("NAME", "EXECUTION_ROLE_ARN", "CPU")
    )
    buildspec = "version: 0.2\nenv:\n  variables:\n    TASKDEF: ecs/taskdef.json\nphases:\n  build:\n    commands:\n"
    alone = _repository(tmp_path / "a", {"ecs/buildspec.yml": buildspec + commands.replace("$TASKDEF", "$UNKNOWN")})
    _write(alone / "ecs" / "taskdef.json", task)
    before = {f["message"] for f in _findings(alone, "--select", "ECS304", "ecs/taskdef.json")}
    assert len(before) == 4, before
    root = _repository(tmp_path / "b", {"ecs/buildspec.yml": buildspec + commands})
    _write(root / "ecs" / "taskdef.json", task)
    after = _findings(root, "--select", "ECS304", "ecs/taskdef.json")
    assert [f["message"] for f in after] == ["'<MEMORY>' is placeholder text"], after


def test_what_a_jq_step_deletes_never_reaches_aws(tmp_path: Path) -> None:
    """describe-task-definition output edited by jq: the read-only fields and the null it
    deletes are no error for the file, whoever registers the result."""
    edit = "jq 'del(.taskDefinitionArn, .revision, .status, .pidMode) | .containerDefinitions[0].image = $IMAGE' \\\n"
    script = edit + '  --arg IMAGE "$REGISTRY/site:$TAG" < ecs/td.json > new.json\n'
    args = ("--target", "aws-cli", "--select", "ECS025,ECS026", "ecs/td.json")
    alone = _repository(tmp_path / "a", {"deploy.sh": "jq -f edit.jq < ecs/td.json > new.json\n"})  # not read
    _write(alone / "ecs" / "td.json", DESCRIBED)
    assert [(f["rule"], f["severity"]) for f in _findings(alone, *args)] == [("ECS025", "error"), ("ECS026", "error")]
    root = _repository(tmp_path / "b", {"deploy.sh": script})
    _write(root / "ecs" / "td.json", DESCRIBED)
    assert _findings(root, *args) == []
    assert (root / "ecs" / "td.json").read_text(encoding="utf-8") == json.dumps(DESCRIBED, indent=2)  # not written


@pytest.mark.parametrize(
    ("program", "unset"),
    [
        (".containerDefinitions[] |= (.image = $i)", []),
        (".containerDefinitions |= map(.image = $i)", []),
        ('(.containerDefinitions[] | select(.name == "web") | .image) = $i', ["sidecar"]),
        ('.containerDefinitions |= map(if .name == "sidecar" then .image = $i else . end)', ["web"]),
        (".containerDefinitions[0].image = $i | .containerDefinitions[] |= ascii_downcase", ["web", "sidecar"]),
    ],
)
def test_a_jq_step_sets_the_image_of_every_container_or_of_the_named_one(
    tmp_path: Path, program: str, unset: list[str]
) -> None:
    task = {
        **TASK,
        "containerDefinitions": [{"name": "web", "essential": True}, {"name": "sidecar", "essential": False}],
    }
    run = f"jq --arg i \"$IMAGE\" '{program}' ecs/td.json > out.json"
    root = _repository(tmp_path, {".github/workflows/deploy.yml": f"jobs:\n  d:\n    steps:\n      - run: {run}\n"})
    _write(root / "ecs" / "td.json", task)
    found = _findings(root, "--target", "aws-cli", "--select", "ECS023", "ecs/td.json")
    assert [f["pointer"] for f in found] == [
        f"/containerDefinitions/{['web', 'sidecar'].index(name)}" for name in unset
    ]


def test_a_jq_program_in_quotes_spans_lines_and_nothing_else_does() -> None:
    from ecslint.readers.evidence import _script_lines

    script = (
        'jq \'del(.revision) |\n  .cpu = "256"\' \\\n  td.json > out.json\necho "it\'s" | jq .\nsed -i s/X/Y/ a.json\n'
    )
    assert _script_lines(script, "script") == (
        "jq 'del(.revision) | .cpu = \"256\"'    td.json > out.json",
        'echo "it\'s" | jq .',
        "sed -i s/X/Y/ a.json",
    )


def test_a_jq_step_edits_describe_output_inside_its_task_definition(tmp_path: Path) -> None:
    """``.taskDefinition | del(...)`` deletes in the task definition of describe output;
    ``del(.pidMode)`` on that file deletes nothing (the member is one level down)."""
    described = {"taskDefinition": DESCRIBED}
    args = ("--target", "aws-cli", "--select", "ECS026", "described.json")
    for program, rules in (
        (".taskDefinition | del(.pidMode)", []),
        ("del(.taskDefinition.pidMode)", []),
        ("del(.pidMode)", ["ECS026"]),
    ):
        root = _repository(
            tmp_path / str(len(rules)) / program[:5], {"deploy.sh": f"jq '{program}' described.json > td.json\n"}
        )
        _write(root / "described.json", described)
        assert [f["rule"] for f in _findings(root, *args)] == rules, program


def test_register_task_definition_options_give_members_over_the_input_file(tmp_path: Path) -> None:
    """``--family "$NAME" --cli-input-json file://td.json``: the AWS CLI registers td.json with that
    family; what the file lacks there is given (an unknown value), not missing."""
    from ecslint.readers.evidence import _cli_options

    line = 'aws ecs register-task-definition --family "$SERVICE" --execution-role-arn=$ROLE --cli-input-json file://ecs/td.json'
    assert _cli_options(line) == [(("ecs", "td.json"), frozenset({"/family", "/executionRoleArn"}))]
    assert _cli_options("aws ecs register-task-definition --cli-input-json file://td.json") == []
    root = _repository(
        tmp_path,
        {"deploy.sh": 'aws ecs register-task-definition --family "$SERVICE" \\\n  --cli-input-json file://td.json\n'},
    )
    _write(root / "td.json", {"containerDefinitions": [{"name": "a", "image": "a:1.2", "memory": 512}]})
    assert _findings(root, "--select", "ECS023", "td.json") == []
    (root / "deploy.sh").write_text("aws ecs register-task-definition --cli-input-json file://td.json\n")
    assert [f["rule"] for f in _findings(root, "--select", "ECS023", "td.json")] == ["ECS023"]


def test_a_command_folded_over_lines_in_a_ci_file_is_one_command(tmp_path: Path) -> None:
    pipeline = (
        "pipelines:\n  default:\n    - step:\n        script:\n          - >\n"
        "            aws ecs register-task-definition\n            --family ${SERVICE_NAME}\n"
        "            --cli-input-json file://task-definition.json\n          - echo done\n"
    )
    root = _repository(tmp_path, {"bitbucket-pipelines.yml": pipeline})
    _write(root / "task-definition.json", {"containerDefinitions": [{"name": "a", "image": "a:1.2", "memory": 512}]})
    found = evidence(str(root / "task-definition.json"))
    assert found.consumer == "aws-cli" and found.assigned == {"/family"}
