"""Run-task requests sent by Step Functions task states and EventBridge / Scheduler ECS targets
(readers/scheduled.py, readers/tfscheduled.py): read into run-task usages, checked by ECS711-713."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import builtin
from ecslint.engine.pairing import Pairing
from ecslint.engine.pipeline import Engine
from ecslint.readers.scheduled import TYPES as SCHEDULED_TYPES
from ecslint.readers.scheduled import cloudformation_run_tasks, run_task_states
from ecslint.readers.sources import documents, parse

ECSLINT = Path(sys.executable).parent / "ecslint"
ENGINE = Engine(builtin())

TASK = {
    "family": "migrate",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "256",
    "memory": "512",
    "containerDefinitions": [{"name": "app", "image": "example/app:1.4.2", "essential": True}],
}
NETWORK = {"AwsvpcConfiguration": {"Subnets": ["subnet-0123456789abcdef0"]}}


def _state(parameters: dict[str, Any], resource: str = "arn:aws:states:::ecs:runTask.sync") -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True}


def _machine(states: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": next(iter(states)), "States": states}


def _findings(name: str, text: str, others: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(rule, pointer) of the ECS7 findings of ``name``, checked in one run with ``others``."""
    pairing: Pairing[str] = Pairing(ENGINE)
    found: list[tuple[str, str]] = []
    for other, other_text in (others or {}).items():
        raw = other_text.encode()
        pairing.note(other, other, None, ENGINE.check_bytes(other, raw), raw, True)
    raw = text.encode()
    result = ENGINE.check_bytes(name, raw)
    found += [(f.rule_id, f.pointer) for f in result.findings if f.rule_id.startswith("ECS7")]
    pairing.note(name, name, None, result, raw, True)
    for _, paired, _ in pairing.results():
        found += [(f.rule_id, f.pointer) for f in paired.findings]
    return sorted(found)


# -- Amazon States Language ----------------------------------------------------------------------


def test_run_task_states_are_found_in_branches_and_map_iterators() -> None:
    run = _state({"TaskDefinition": "migrate", "Overrides": {"ContainerOverrides": [{"Name": "x"}]}})
    definition = _machine(
        {
            "Top": run,
            "Fan": {"Type": "Parallel", "Branches": [_machine({"InBranch": run})], "End": True},
            "Old": {"Type": "Map", "Iterator": _machine({"InIterator": run}), "End": True},
            "New": {"Type": "Map", "ItemProcessor": _machine({"InProcessor": run}), "End": True},
            "Other": _state({"FunctionName": "f"}, "arn:aws:states:::lambda:invoke"),
        }
    )
    found = run_task_states(definition, "")
    assert [(state.label, state.base) for state in found] == [
        ('state "Top"', "/States/Top/Parameters"),
        ('state "InBranch"', "/States/Fan/Branches/0/States/InBranch/Parameters"),
        ('state "InIterator"', "/States/Old/Iterator/States/InIterator/Parameters"),
        ('state "InProcessor"', "/States/New/ItemProcessor/States/InProcessor/Parameters"),
    ]
    assert found[0].data == {"taskDefinition": "migrate", "overrides": {"containerOverrides": [{"name": "x"}]}}
    assert found[0].renamed["/overrides/containerOverrides/0/name"] == "/Overrides/ContainerOverrides/0/Name"


def test_jsonpath_and_jsonata_values_are_unknown_and_never_judged() -> None:
    definition = _machine(
        {
            "Path": _state(
                {
                    "TaskDefinition.$": "$.task",
                    "Overrides": {"ContainerOverrides": [{"Name.$": "$.name", "Command.$": "$.command"}]},
                }
            ),
            "Whole": _state({"TaskDefinition": "migrate", "Overrides.$": "$.overrides"}),
            "Jsonata": {
                "Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask",
                "Arguments": {"TaskDefinition": "migrate", "Overrides": "{% $states.input.overrides %}"},
                "End": True,
            },
        }
    )
    path, whole, jsonata = run_task_states(definition, "")
    assert path.reference is not None and path.reference.startswith("${")
    assert path.renamed["/overrides/containerOverrides/0/name"] == "/Overrides/ContainerOverrides/0/Name.$"
    assert isinstance(whole.data["overrides"], str) and whole.data["overrides"].startswith("${")
    assert jsonata.base == "/States/Jsonata/Arguments" and str(jsonata.data["overrides"]).startswith("${")
    task = json.dumps(TASK)
    assert _findings("jobs.asl.json", json.dumps(definition, indent=2), {"td.json": task}) == [
        ("ECS704", "/States/Jsonata/Arguments/TaskDefinition"),  # awsvpc and no network configuration: refused
        ("ECS704", "/States/Whole/Parameters/TaskDefinition"),
    ]


def test_an_asl_file_is_paired_by_family_and_points_into_the_state() -> None:
    definition = _machine(
        {
            "Migrate": _state(
                {
                    "TaskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/migrate:7",
                    "NetworkConfiguration": NETWORK,
                    "Overrides": {"Memory": "4096", "ContainerOverrides": [{"Name": "django"}]},
                }
            )
        }
    )
    assert _findings("jobs.asl.json", json.dumps(definition, indent=2), {"td.json": json.dumps(TASK)}) == [
        ("ECS711", "/States/Migrate/Parameters/Overrides/ContainerOverrides/0/Name"),
        ("ECS713", "/States/Migrate/Parameters/Overrides/Memory"),
    ]
    assert _findings("jobs.asl.json", json.dumps(definition)) == []  # its task definition is not in the run


def test_a_state_machine_without_ecs_states_is_not_a_usage() -> None:
    definition = _machine({"Invoke": _state({"FunctionName": "f"}, "arn:aws:states:::lambda:invoke")})
    assert documents(parse("flow.asl.json", json.dumps(definition).encode())) is None


# -- CloudFormation -------------------------------------------------------------------------------

TASK_RESOURCE = {
    "Type": "AWS::ECS::TaskDefinition",
    "Properties": {
        "Family": "report",
        "ContainerDefinitions": [{"Name": "app", "Image": "example/app:1.4.2", "Memory": 512}],
    },
}


def _template(**resources: Any) -> str:
    return yaml.safe_dump({"Resources": {"TaskDefinition": TASK_RESOURCE, **resources}}, sort_keys=False)


def _rule(ecs: dict[str, Any], **target: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Events::Rule",
        "Properties": {"Targets": [{"Id": "report", "Arn": "cluster", "EcsParameters": ecs, **target}]},
    }


def test_an_event_rule_input_is_decoded_and_findings_point_at_the_input_string() -> None:
    overrides = json.dumps({"containerOverrides": [{"name": "worker"}]})
    text = _template(Rule=_rule({"TaskDefinitionArn": {"Ref": "TaskDefinition"}}, Input=overrides))
    assert _findings("stack.yaml", text) == [("ECS711", "/Resources/Rule/Properties/Targets/0/Input")]
    result = ENGINE.check_bytes("stack.yaml", text.encode())
    (finding,) = [f for f in result.findings if f.rule_id == "ECS711"]
    assert finding.message.startswith("Rule target \"report\": container override names 'worker'")
    assert finding.span is not None and text.splitlines()[finding.span.start.line - 1].strip().startswith("Input:")


def test_event_input_made_at_run_time_is_not_judged() -> None:
    ecs = {"TaskDefinitionArn": {"Ref": "TaskDefinition"}}
    transformer = {"InputPathsMap": {"n": "$.detail.name"}, "InputTemplate": '{"containerOverrides": [{"name": <n>}]}'}
    assert _findings("a.yaml", _template(Rule=_rule(ecs, InputTransformer=transformer))) == []
    substituted = {"Fn::Sub": '{"containerOverrides": [{"name": "${Name}"}]}'}
    assert _findings("b.yaml", _template(Rule=_rule(ecs, Input=substituted))) == []
    literal = {"Fn::Join": ["", ['{"containerOverrides": ', '[{"name": "nope"}]}']]}
    assert _findings("c.yaml", _template(Rule=_rule(ecs, Input=literal))) == [
        ("ECS711", "/Resources/Rule/Properties/Targets/0/Input")
    ]


def test_unresolvable_task_references_are_not_paired() -> None:
    overrides = json.dumps({"containerOverrides": [{"name": "worker"}]})
    for reference in ({"Ref": "TaskDefinitionParameter"}, {"Fn::ImportValue": "task"}, "${Arn}"):
        text = _template(Rule=_rule({"TaskDefinitionArn": reference}, Input=overrides))
        assert _findings("stack.yaml", text, {"td.json": json.dumps(TASK)}) == [], reference
    template = yaml.safe_load(_template(Rule=_rule({"TaskDefinitionArn": {"Ref": "Nope"}}, Input=overrides)))
    ((run, task_id),) = cloudformation_run_tasks(template)
    assert task_id is None and run.data["overrides"] == {"containerOverrides": [{"name": "worker"}]}


def test_a_scheduler_schedule_target_is_a_run_task_request() -> None:
    target = {
        "Arn": "cluster",
        "EcsParameters": {"TaskDefinitionArn": {"Fn::GetAtt": ["TaskDefinition", "TaskDefinitionArn"]}},
        "Input": json.dumps({"containerOverrides": [{"name": "nightly"}]}),
    }
    text = _template(Schedule={"Type": "AWS::Scheduler::Schedule", "Properties": {"Target": target}})
    assert _findings("stack.yaml", text) == [("ECS711", "/Resources/Schedule/Properties/Target/Input")]


def test_state_machines_in_templates_definition_substitutions_and_definition_strings() -> None:
    state = _state({"TaskDefinition": "${TaskArn}", "Overrides": {"ContainerOverrides": [{"Name": "x"}]}})
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "Definition": _machine({"Run": state}),
            "DefinitionSubstitutions": {"TaskArn": {"Ref": "TaskDefinition"}},
        },
    }
    sam = {"Type": "AWS::Serverless::StateMachine", "Properties": {"Definition": _machine({"Run": state})}}
    literal = _machine(
        {
            "Run": _state(
                {"TaskDefinition": {"Ref": "TaskDefinition"}, "Overrides": {"ContainerOverrides": [{"Name": "y"}]}}
            )
        }
    )
    stringly = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"DefinitionString": json.dumps(literal)},
    }
    subbed = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"DefinitionString": {"Fn::Sub": json.dumps(literal).replace("TaskDefinition", "${X}")}},
    }
    found = _findings("stack.yaml", _template(Machine=machine, Sam=sam, Stringly=stringly, Subbed=subbed))
    assert found == [
        (
            "ECS711",
            "/Resources/Machine/Properties/Definition/States/Run/Parameters/Overrides/ContainerOverrides/0/Name",
        ),
        # the string holds {"Ref": ...}, which CloudFormation does not resolve inside a string: not paired
    ]
    by_name = {f"{doc.label}": doc for doc in documents(parse("s.yaml", _template(Stringly=stringly).encode())) or []}
    assert by_name['Stringly state "Run"'].source_pointer("/overrides/containerOverrides/0/name") == (
        "/Resources/Stringly/Properties/DefinitionString"
    )


# -- Terraform ---------------------------------------------------------------------------------------

TF_TASK = """
resource "aws_ecs_task_definition" "report" {
  family                   = "report"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions    = jsonencode([{ name = "app", image = "example/app:1.4.2" }])
}
"""


def test_terraform_event_targets_with_jsonencode_and_literal_inputs() -> None:
    text = (
        TF_TASK
        + """
resource "aws_cloudwatch_event_target" "encoded" {
  rule  = "nightly"
  arn   = "cluster"
  input = jsonencode({ containerOverrides = [{ name = "worker" }] })
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.report.arn
    network_configuration { subnets = ["subnet-0123456789abcdef0"] }
  }
}

resource "aws_cloudwatch_event_target" "literal" {
  rule  = "nightly"
  arn   = "cluster"
  input = "{\\"containerOverrides\\": [{\\"name\\": \\"other\\"}]}"
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.report.arn
    network_configuration { subnets = ["subnet-0123456789abcdef0"] }
  }
}

resource "aws_cloudwatch_event_target" "dynamic" {
  rule  = "nightly"
  arn   = "cluster"
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.report.arn
    dynamic "network_configuration" {
      for_each = var.subnets == null ? [] : [1]
      content { subnets = var.subnets }
    }
  }
}

resource "aws_cloudwatch_event_target" "elsewhere" {
  rule  = "nightly"
  arn   = "cluster"
  input = jsonencode({ containerOverrides = [{ name = "worker" }] })
  ecs_target {
    task_definition_arn = var.task_definition_arn
  }
}
"""
    )
    assert _findings("main.tf", text) == [
        ("ECS711", "/resource/aws_cloudwatch_event_target/encoded/input/containerOverrides/0/name"),
        ("ECS711", "/resource/aws_cloudwatch_event_target/literal/input"),
    ]


def test_terraform_state_machine_and_schedule() -> None:
    text = (
        TF_TASK
        + """
resource "aws_sfn_state_machine" "jobs" {
  name     = "jobs"
  role_arn = "role"
  definition = jsonencode({
    StartAt = "Run"
    States = {
      Run = {
        Type     = "Task"
        Resource = "arn:aws:states:::ecs:runTask.sync"
        Parameters = {
          TaskDefinition       = aws_ecs_task_definition.report.arn
          NetworkConfiguration = { AwsvpcConfiguration = { Subnets = ["subnet-0123456789abcdef0"] } }
          Overrides            = { ContainerOverrides = [{ Name = "nope", "Command.$" = "$.command" }] }
        }
        End = true
      }
    }
  })
}

resource "aws_sfn_state_machine" "heredoc" {
  name       = "heredoc"
  role_arn   = "role"
  definition = <<EOF
{"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask",
  "Parameters": {"TaskDefinition": "${aws_ecs_task_definition.report.arn}", "Overrides": {"Memory": "4096"}},
  "End": true}}}
EOF
}

resource "aws_scheduler_schedule" "weekly" {
  name                = "weekly"
  schedule_expression = "rate(7 days)"
  flexible_time_window { mode = "OFF" }
  target {
    arn      = "cluster"
    role_arn = "role"
    input    = jsonencode({ containerOverrides = [{ name = "weekly" }] })
    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.report.arn
    }
  }
}
"""
    )
    assert _findings("main.tf", text) == [
        ("ECS704", "/resource/aws_scheduler_schedule/weekly/target/ecs_parameters/task_definition_arn"),
        ("ECS704", "/resource/aws_sfn_state_machine/heredoc/definition/States/Run/Parameters/TaskDefinition"),
        ("ECS711", "/resource/aws_scheduler_schedule/weekly/target/input/containerOverrides/0/name"),
        (
            "ECS711",
            "/resource/aws_sfn_state_machine/jobs/definition/States/Run/Parameters/Overrides/ContainerOverrides/0/Name",
        ),
        ("ECS713", "/resource/aws_sfn_state_machine/heredoc/definition/States/Run/Parameters/Overrides/Memory"),
    ]


def test_a_tf_file_with_only_an_event_target_pairs_by_family() -> None:
    text = """
resource "aws_cloudwatch_event_target" "migrate" {
  rule  = "nightly"
  arn   = "cluster"
  input = jsonencode({ containerOverrides = [{ name = "django" }] })
  ecs_target {
    task_definition_arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/migrate:7"
    network_configuration { subnets = ["subnet-0123456789abcdef0"] }
  }
}
"""
    assert _findings("events.tf", text, {"td.json": json.dumps(TASK)}) == [
        ("ECS711", "/resource/aws_cloudwatch_event_target/migrate/input/containerOverrides/0/name")
    ]


# -- what it costs and what it never does ------------------------------------------------------------


def test_a_plain_task_definition_never_imports_the_scheduler_readers(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(TASK), "utf-8")
    (tmp_path / "main.tf").write_text(TF_TASK, "utf-8")
    (tmp_path / "stack.yaml").write_text(_template(), "utf-8")
    code = (
        "import sys; from ecslint.cli.main import main; code = main(['check', '-q', '.']); "
        "print(sorted(m for m in sys.modules if 'scheduled' in m))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.stdout.strip().endswith("[]"), (result.stdout, result.stderr)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)
KEYS = st.sampled_from(
    [
        *("States", "StartAt", "Type", "Resource", "Parameters", "Arguments", "Branches", "Iterator", "ItemProcessor"),
        *("TaskDefinition", "Overrides", "ContainerOverrides", "Name", "Cpu", "Memory", "Overrides.$", "Name.$", "x"),
    ]
)
ASL_SHAPES = st.recursive(
    st.sampled_from(["Task", "arn:aws:states:::ecs:runTask.sync", "{% $x %}", "migrate", "256", None, 1, True]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS | st.text(max_size=4), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definition=ASL_SHAPES | JSON_VALUES)
def test_the_asl_reader_never_crashes_on_any_json_shape(definition: Any) -> None:
    shaped = {"StartAt": "A", "States": {"A": definition}} if not isinstance(definition, dict) else definition
    for candidate in (definition, shaped, {"StartAt": "A", "States": shaped}):
        run_task_states(candidate, "")
        result = ENGINE.check_bytes("x.asl.json", json.dumps(candidate).encode())
        assert not result.internal_errors


# -- the console script ---------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ECSLINT), "check", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_cli_checks_an_asl_file_with_the_task_definition_beside_it(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(TASK, indent=2), "utf-8")
    parameters = {"TaskDefinition": "migrate:7", "NetworkConfiguration": NETWORK}
    parameters["Overrides"] = {"ContainerOverrides": [{"Name": "django"}]}
    (tmp_path / "jobs.asl.json").write_text(json.dumps(_machine({"Run": _state(parameters)}), indent=2), "utf-8")
    result = _cli("--select", "ECS7", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert (
        "jobs.asl.json:19:23:" in result.stdout
        and "ECS711 error state \"Run\": container override names 'django'" in result.stdout
    )


def test_cli_checks_an_eventbridge_rule_in_a_template(tmp_path: Path) -> None:
    overrides = json.dumps({"containerOverrides": [{"name": "worker"}]})
    (tmp_path / "stack.yaml").write_text(
        _template(Rule=_rule({"TaskDefinitionArn": {"Ref": "TaskDefinition"}}, Input=overrides))
    )
    result = _cli("--select", "ECS711", "--format", "json", "stack.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["pointer"]) == ("ECS711", "/Resources/Rule/Properties/Targets/0/Input")


def test_cli_checks_a_terraform_event_target(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        TF_TASK
        + """
resource "aws_cloudwatch_event_target" "nightly" {
  rule  = "nightly"
  arn   = "cluster"
  input = jsonencode({ containerOverrides = [{ name = "worker" }] })
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.report.arn
    network_configuration { subnets = ["subnet-0123456789abcdef0"] }
  }
}
""",
        "utf-8",
    )
    result = _cli("--select", "ECS7", "main.tf", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert (
        "main.tf:14:" in result.stdout
        and "aws_cloudwatch_event_target.nightly: container override names 'worker'" in result.stdout
    )


def test_an_input_that_is_not_an_overrides_object_is_not_read() -> None:
    ecs = {"TaskDefinitionArn": {"Ref": "TaskDefinition"}}
    for value in ("not json", "[1, 2]", '"text"', json.dumps({"containerOverrides": "${names}"})):
        template = yaml.safe_load(_template(Rule=_rule(ecs, Input=value)))
        ((run, task_id),) = cloudformation_run_tasks(template)
        assert task_id == "TaskDefinition"
        assert not isinstance(run.data.get("overrides"), dict) or value.endswith('"${names}"}'), value
        assert _findings("stack.yaml", _template(Rule=_rule(ecs, Input=value))) == [], value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(properties=JSON_VALUES | ASL_SHAPES, kind=st.sampled_from(sorted(SCHEDULED_TYPES)))
def test_the_template_reader_never_crashes_on_any_properties(properties: Any, kind: str) -> None:
    for shaped in (properties, {"Targets": [properties]}, {"Target": properties}, {"Definition": properties}):
        template = {"Resources": {"TaskDefinition": TASK_RESOURCE, "X": {"Type": kind, "Properties": shaped}}}
        cloudformation_run_tasks(template)  # type: ignore[arg-type]
        result = ENGINE.check_bytes("t.json", json.dumps(template).encode())
        assert not result.internal_errors
