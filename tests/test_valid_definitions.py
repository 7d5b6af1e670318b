"""Property tests over valid task definitions (issue 4).

1. Every definition ``tests/strategies.py`` draws is valid per docs/facts.md, so ecslint reports
   no error-level finding on it (warnings and info are allowed).
2. Each entry of ``MUTATIONS`` plants one known defect in a drawn definition; the rule that
   owns that defect must fire, at the expected pointer where the pointer is stable.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ecslint.catalogue.entries import builtin
from ecslint.core.model import Severity
from ecslint.core.taskdef import parse_cpu_units
from ecslint.engine.pipeline import Engine, FileResult
from tests.strategies import FARGATE_SIZES, Doc, task_definitions

# a sweep: every planted defect and generated definitions (pytest -m "not slow" leaves it out)
pytestmark = pytest.mark.slow

ENGINE = Engine(builtin())
MISSING = "no-such-container"


def as_yaml(td: Doc) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    stream = io.StringIO()
    yaml.dump(td, stream)
    return stream.getvalue()


def lint(td: Doc, form: str = "json") -> FileResult:
    text = as_yaml(td) if form == "yaml" else json.dumps(td, indent=2, ensure_ascii=False)
    note(text)
    result = ENGINE.check_bytes(f"taskdef.{form}", text.encode(), explicit=True)
    assert result.is_task_definition
    assert not result.internal_errors, [(e.rule_id, e.message) for e in result.internal_errors]
    return result


# -- property 1: valid definitions draw no error -----------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_definitions(), st.sampled_from(("json", "yaml")))
def test_valid_definitions_have_no_errors(td: Doc, form: str) -> None:
    errors = [f for f in lint(td, form).findings if f.severity == Severity.ERROR]
    assert not errors, [(f.rule_id, f.pointer, f.message) for f in errors]


# -- property 2: one planted defect, the matching rule fires -------------------------------------

Expect = str | tuple[str, ...] | None  # the pointer, any of several pointers, or not stable


def containers(td: Doc) -> list[Doc]:
    result: list[Doc] = td["containerDefinitions"]
    return result


def first(td: Doc) -> Doc:
    return containers(td)[0]


def append(container: Doc, key: str, item: Any) -> int:
    """Append ``item`` to the container's list ``key``; its index."""
    items = container.setdefault(key, [])
    items.append(item)
    return len(items) - 1


def unused_name(td: Doc, base: str = MISSING) -> str:
    names = {c["name"] for c in containers(td)} | {v["name"] for v in td.get("volumes", [])}
    while base in names:
        base += "x"
    return base


def region_account(td: Doc) -> tuple[str, str]:
    """A Region and account the definition already uses (its execution role, else a default)."""
    role = td.get("executionRoleArn", "arn:aws:iam::210987654321:role/exec")
    return "eu-west-1", role.split(":")[4]


def _awslogs(td: Doc, **options: str) -> Doc:
    base = {"awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs"}
    base.update(options)
    return {"logDriver": "awslogs", "options": {k: v for k, v in base.items() if v}}


def _set_execution_role(td: Doc) -> None:
    td.setdefault("executionRoleArn", "arn:aws:iam::210987654321:role/ecsTaskExecutionRole")


# Each function plants the defect in ``td`` (a deep copy) and returns the expected pointer.


def fargate_memory_not_offered(td: Doc) -> Expect:
    cpu = parse_cpu_units(td["cpu"])
    assert cpu is not None
    td["memory"] = str(FARGATE_SIZES[cpu][-1] + 1024)
    return "/memory"


def fargate_without_network_mode(td: Doc) -> Expect:
    del td["networkMode"]
    return ""


def fargate_without_memory(td: Doc) -> Expect:
    del td["memory"]
    return ""


def fargate_memory_form(td: Doc) -> Expect:
    td["memory"] = "2 gigabytes"
    return "/memory"


def no_essential_container(td: Doc) -> Expect:
    for container in containers(td):
        container["essential"] = False
    return "/containerDefinitions"


def family_with_space(td: Doc) -> Expect:
    td["family"] += " v2"
    return "/family"


def container_name_with_dot(td: Doc) -> Expect:
    first(td)["name"] += ".svc"
    return "/containerDefinitions/0/name"


def host_port_differs_under_awsvpc(td: Doc) -> Expect:
    first(td)["portMappings"] = [{"containerPort": 8080, "hostPort": 8081}]
    return "/containerDefinitions/0/portMappings/0/hostPort"


def depends_on_missing_container(td: Doc) -> Expect:
    index = append(first(td), "dependsOn", {"containerName": unused_name(td), "condition": "START"})
    return f"/containerDefinitions/0/dependsOn/{index}/containerName"


def dependency_cycle(td: Doc) -> Expect:
    a, b = containers(td)[:2]
    append(a, "dependsOn", {"containerName": b["name"], "condition": "START"})
    if not any(d["containerName"] == a["name"] for d in b.get("dependsOn", [])):
        append(b, "dependsOn", {"containerName": a["name"], "condition": "START"})
    index = next(i for i, d in enumerate(b["dependsOn"]) if d["containerName"] == a["name"])
    return f"/containerDefinitions/1/dependsOn/{index}/containerName"


def depends_on_itself(td: Doc) -> Expect:
    container = first(td)
    index = append(container, "dependsOn", {"containerName": container["name"], "condition": "START"})
    return f"/containerDefinitions/0/dependsOn/{index}/containerName"


def success_on_essential_container(td: Doc) -> Expect:
    a, b = containers(td)[:2]
    a["essential"] = True
    index = append(b, "dependsOn", {"containerName": a["name"], "condition": "SUCCESS"})
    return f"/containerDefinitions/1/dependsOn/{index}/condition"


def healthy_without_health_check(td: Doc) -> Expect:
    a, b = containers(td)[:2]
    a.pop("healthCheck", None)
    index = append(b, "dependsOn", {"containerName": a["name"], "condition": "HEALTHY"})
    return f"/containerDefinitions/1/dependsOn/{index}/condition"


def mount_missing_volume(td: Doc) -> Expect:
    index = append(first(td), "mountPoints", {"sourceVolume": unused_name(td, "no-such-volume"), "containerPath": "/x"})
    return f"/containerDefinitions/0/mountPoints/{index}/sourceVolume"


def volumes_from_missing_container(td: Doc) -> Expect:
    index = append(first(td), "volumesFrom", {"sourceContainer": unused_name(td)})
    return f"/containerDefinitions/0/volumesFrom/{index}/sourceContainer"


def secrets_without_execution_role(td: Doc) -> Expect:
    td.pop("executionRoleArn", None)
    append(first(td), "secrets", {"name": "DB_PASSWORD", "valueFrom": "/prod/db/password"})
    return "/containerDefinitions/0/secrets"


def ssm_arn_double_slash(td: Doc) -> Expect:
    _set_execution_role(td)
    region, account = region_account(td)
    value = f"arn:aws:ssm:{region}:{account}:parameter//prod/db"
    first(td)["secrets"] = [{"name": "DB_PASSWORD", "valueFrom": value}]
    return "/containerDefinitions/0/secrets/0/valueFrom"


def awslogs_without_group(td: Doc) -> Expect:
    first(td)["logConfiguration"] = _awslogs(td, **{"awslogs-group": ""})
    return "/containerDefinitions/0/logConfiguration/options"


def awslogs_without_stream_prefix_on_fargate(td: Doc) -> Expect:
    _set_execution_role(td)
    first(td)["logConfiguration"] = _awslogs(td, **{"awslogs-stream-prefix": ""})
    return "/containerDefinitions/0/logConfiguration/options"


def _without_earlier_role_needs(td: Doc, *members: str) -> None:
    """Remove what an earlier rule of the execution-role family would report the missing role for
    (secrets before awslogs before ECR images): one finding reports the role (checks/secrets.py ROLE_CHECKS)."""
    for container in containers(td):
        for member in members:
            container.pop(member, None)
        log = container.get("logConfiguration")
        if isinstance(log, dict):
            log.pop("secretOptions", None)
            if "logConfiguration" in members and log.get("logDriver") == "awslogs":
                container.pop("logConfiguration")


def awslogs_without_execution_role(td: Doc) -> Expect:
    td.pop("executionRoleArn", None)
    _without_earlier_role_needs(td, "secrets", "repositoryCredentials")
    first(td)["logConfiguration"] = _awslogs(td)
    return "/containerDefinitions/0/logConfiguration/logDriver"


def invalid_log_group(td: Doc) -> Expect:
    first(td)["logConfiguration"] = _awslogs(td, **{"awslogs-group": "my app logs"})
    return "/containerDefinitions/0/logConfiguration/options/awslogs-group"


def json_file_on_fargate(td: Doc) -> Expect:
    first(td)["logConfiguration"] = {"logDriver": "json-file"}
    return "/containerDefinitions/0/logConfiguration/logDriver"


def awsfirelens_without_router(td: Doc) -> Expect:
    for container in containers(td):
        container.pop("firelensConfiguration", None)
    first(td)["logConfiguration"] = {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}
    return "/containerDefinitions/0/logConfiguration/logDriver"


def firelens_on_windows(td: Doc) -> Expect:
    first(td)["firelensConfiguration"] = {"type": "fluentbit"}
    return "/containerDefinitions/0/firelensConfiguration"


def duplicate_container_name(td: Doc) -> Expect:
    containers(td)[1]["name"] = first(td)["name"]
    return "/containerDefinitions/1/name"


def memory_below_reservation(td: Doc) -> Expect:
    first(td).update({"memory": 256, "memoryReservation": 512})
    return "/containerDefinitions/0/memory"


def eleven_containers(td: Doc) -> Expect:
    items = containers(td)
    while len(items) < 11:
        items.append({"name": unused_name(td, f"extra{len(items)}"), "image": "busybox:1.36", "memory": 64})
    return "/containerDefinitions"


def empty_container_list(td: Doc) -> Expect:
    td["containerDefinitions"] = []
    return "/containerDefinitions"


def task_cpu_as_number(td: Doc) -> Expect:
    td["cpu"] = 1024
    return "/cpu"


def unknown_key(td: Doc) -> Expect:
    first(td)["memorySize"] = 512
    return "/containerDefinitions/0/memorySize"


def invalid_network_mode(td: Doc) -> Expect:
    td["networkMode"] = "vpc"
    return "/networkMode"


def container_without_image(td: Doc) -> Expect:
    del first(td)["image"]
    return "/containerDefinitions/0"


def ephemeral_storage_too_small(td: Doc) -> Expect:
    td["ephemeralStorage"] = {"sizeInGiB": 10}
    return "/ephemeralStorage/sizeInGiB"


def read_only_field(td: Doc) -> Expect:
    td["revision"] = 3
    return "/revision"


def null_value(td: Doc) -> Expect:
    td["taskRoleArn"] = None
    return "/taskRoleArn"


def privileged_on_fargate(td: Doc) -> Expect:
    first(td)["privileged"] = True
    return "/containerDefinitions/0/privileged"


def capability_on_fargate(td: Doc) -> Expect:
    first(td)["linuxParameters"] = {"capabilities": {"add": ["NET_ADMIN"]}}
    return "/containerDefinitions/0/linuxParameters/capabilities/add/0"


def health_check_interval_one(td: Doc) -> Expect:
    first(td)["healthCheck"] = {"command": ["CMD-SHELL", "exit 0"], "interval": 1}
    return "/containerDefinitions/0/healthCheck/interval"


def health_check_without_cmd(td: Doc) -> Expect:
    first(td)["healthCheck"] = {"command": ["curl", "-f", "http://localhost/"]}
    return "/containerDefinitions/0/healthCheck/command/0"


def restart_period_too_short(td: Doc) -> Expect:
    first(td)["restartPolicy"] = {"enabled": True, "restartAttemptPeriod": 10}
    return "/containerDefinitions/0/restartPolicy/restartAttemptPeriod"


def ec2_task_cpu_too_high(td: Doc) -> Expect:
    td["cpu"] = "200000"
    return "/cpu"


def container_memory_above_task(td: Doc) -> Expect:
    td["memory"] = "512"
    first(td).pop("memoryReservation", None)
    first(td)["memory"] = 1024
    return "/containerDefinitions/0/memory"


def container_cpu_above_task(td: Doc) -> Expect:
    for container in containers(td):
        container.pop("cpu", None)
    td["cpu"] = td.get("cpu", "1024")
    cpu = parse_cpu_units(td["cpu"])
    assert cpu is not None
    first(td)["cpu"] = cpu + 1
    return "/containerDefinitions/0/cpu"


def no_container_memory_on_ec2(td: Doc) -> Expect:
    td.pop("memory", None)
    first(td).pop("memory", None)
    first(td).pop("memoryReservation", None)
    return "/containerDefinitions/0"


def port_mappings_with_network_none(td: Doc) -> Expect:
    td["networkMode"] = "none"
    first(td)["portMappings"] = [{"containerPort": 80}]
    return "/containerDefinitions/0/portMappings"


def host_port_conflict(td: Doc) -> Expect:
    td["networkMode"] = "bridge"
    a, b = containers(td)[:2]
    a["portMappings"] = [{"containerPort": 80, "hostPort": 45000}]
    b["portMappings"] = [{"containerPort": 81, "hostPort": 45000}]
    return "/containerDefinitions/1/portMappings/0/hostPort"


def container_port_out_of_range(td: Doc) -> Expect:
    first(td)["portMappings"] = [{"containerPort": 70000}]
    return "/containerDefinitions/0/portMappings/0/containerPort"


def port_range_reversed(td: Doc) -> Expect:
    first(td)["portMappings"] = [{"containerPortRange": "9000-8000"}]
    return "/containerDefinitions/0/portMappings/0/containerPortRange"


def port_mapping_name_upper_case(td: Doc) -> Expect:
    first(td)["portMappings"] = [{"containerPort": 80, "name": "Web"}]
    return "/containerDefinitions/0/portMappings/0/name"


def links_under_awsvpc(td: Doc) -> Expect:
    containers(td)[1]["links"] = [first(td)["name"]]
    return "/containerDefinitions/1/links"


def hostname_under_awsvpc(td: Doc) -> Expect:
    first(td)["hostname"] = "web"
    return "/containerDefinitions/0/hostname"


def extra_hosts_under_awsvpc(td: Doc) -> Expect:
    first(td)["extraHosts"] = [{"hostname": "db", "ipAddress": "10.0.0.5"}]
    return "/containerDefinitions/0/extraHosts"


def image_with_scheme(td: Doc) -> Expect:
    first(td)["image"] = "https://" + first(td)["image"]
    return "/containerDefinitions/0/image"


def ecr_image_bad_region(td: Doc) -> Expect:
    _, account = region_account(td)
    first(td)["image"] = f"{account}.dkr.ecr.us-east.amazonaws.com/app:1.0"
    return "/containerDefinitions/0/image"


def ecr_image_without_execution_role(td: Doc) -> Expect:
    td.pop("executionRoleArn", None)
    _without_earlier_role_needs(td, "secrets", "repositoryCredentials", "logConfiguration")
    first(td)["image"] = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/app:1.0"
    return "/containerDefinitions/0/image"


def environment_file_not_env(td: Doc) -> Expect:
    _set_execution_role(td)
    first(td)["environmentFiles"] = [{"value": "arn:aws:s3:::config-bucket/app.txt", "type": "s3"}]
    return "/containerDefinitions/0/environmentFiles/0/value"


def eleven_environment_files(td: Doc) -> Expect:
    _set_execution_role(td)
    files = [{"value": f"arn:aws:s3:::config-bucket/{i}.env", "type": "s3"} for i in range(11)]
    first(td)["environmentFiles"] = files
    return "/containerDefinitions/0/environmentFiles"


def duplicate_tag_key(td: Doc) -> Expect:
    td["tags"] = [{"key": "team", "value": "a"}, {"key": "team", "value": "b"}]
    return "/tags/1/key"


def reserved_tag_key(td: Doc) -> Expect:
    tags = td.setdefault("tags", [])
    tags.append({"key": "aws:cloudformation:stack-name", "value": "web"})
    return f"/tags/{len(tags) - 1}/key"


def execution_role_bad_account(td: Doc) -> Expect:
    td["executionRoleArn"] = "arn:aws:iam::12345:role/ecsTaskExecutionRole"
    return "/executionRoleArn"


def execution_role_example_account(td: Doc) -> Expect:
    td["executionRoleArn"] = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
    return "/executionRoleArn"


def task_role_not_iam(td: Doc) -> Expect:
    td["taskRoleArn"] = "arn:aws:s3:::config-bucket/role"
    return "/taskRoleArn"


def access_key_in_environment(td: Doc) -> Expect:
    index = append(first(td), "environment", {"name": "UPSTREAM_KEY_ID", "value": "AKIAQ7J2ZK4M5N6P3R8T"})
    return f"/containerDefinitions/0/environment/{index}/value"


def efs_iam_without_transit_encryption(td: Doc) -> Expect:
    volumes = td.setdefault("volumes", [])
    efs = {"fileSystemId": "fs-0123abcd", "transitEncryption": "DISABLED", "authorizationConfig": {"iam": "ENABLED"}}
    volumes.append({"name": unused_name(td, "efs-data"), "efsVolumeConfiguration": efs})
    return f"/volumes/{len(volumes) - 1}/efsVolumeConfiguration/transitEncryption"


def arm64_windows(td: Doc) -> Expect:
    td["runtimePlatform"]["cpuArchitecture"] = "ARM64"
    return "/runtimePlatform/cpuArchitecture"


def windows_bridge_mode(td: Doc) -> Expect:
    td["networkMode"] = "bridge"
    return "/networkMode"


def firelens_s3_config_on_fargate(td: Doc) -> Expect:
    options = {"config-file-type": "s3", "config-file-value": "arn:aws:s3:::logs-bucket/extra.conf"}
    first(td)["firelensConfiguration"] = {"type": "fluentbit", "options": options}
    containers(td)[1]["logConfiguration"] = {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}
    return "/containerDefinitions/0/firelensConfiguration/options/config-file-type"


def ulimit_soft_above_hard(td: Doc) -> Expect:
    first(td)["ulimits"] = [{"name": "nofile", "softLimit": 2048, "hardLimit": 1024}]
    return "/containerDefinitions/0/ulimits/0/softLimit"


def too_large(td: Doc) -> Expect:
    first(td)["environment"] = [{"name": f"VAR_{i}", "value": "x" * 1000} for i in range(70)]
    return ""


@dataclass(frozen=True, slots=True)
class Mutation:
    rule: str
    apply: Callable[[Doc], Expect]
    base: str = "any"  # a key of BASES


@cache
def base_strategy(name: str) -> st.SearchStrategy[Doc]:
    bases: dict[str, st.SearchStrategy[Doc]] = {
        "any": task_definitions(),
        "two": task_definitions(min_containers=2),
        "fargate": task_definitions(launch="FARGATE"),
        "fargate-two": task_definitions(launch="FARGATE", min_containers=2),
        "fargate-linux-two": task_definitions(launch="FARGATE", os="LINUX", min_containers=2),
        "ec2": task_definitions(launch="EC2"),
        "ec2-linux": task_definitions(launch="EC2", os="LINUX"),
        "ec2-linux-two": task_definitions(launch="EC2", os="LINUX", min_containers=2),
        "linux": task_definitions(os="LINUX"),
        "windows": task_definitions(os="WINDOWS"),
        "windows-ec2": task_definitions(launch="EC2", os="WINDOWS"),
        "small": task_definitions(max_containers=3),
    }
    return bases[name]


MUTATIONS: tuple[Mutation, ...] = (
    # schema (ECS02x)
    Mutation("ECS020", unknown_key),
    Mutation("ECS021", task_cpu_as_number),
    Mutation("ECS022", invalid_network_mode),
    Mutation("ECS023", container_without_image),
    Mutation("ECS024", ephemeral_storage_too_small, "fargate"),
    Mutation("ECS025", read_only_field),
    Mutation("ECS026", null_value),
    # compute and Fargate (ECS1xx)
    Mutation("ECS101", fargate_without_memory, "fargate"),
    Mutation("ECS102", fargate_memory_not_offered, "fargate"),
    Mutation("ECS102", fargate_memory_form, "fargate"),
    Mutation("ECS103", fargate_without_network_mode, "fargate"),
    Mutation("ECS104", ec2_task_cpu_too_high, "ec2"),
    Mutation("ECS105", memory_below_reservation),
    Mutation("ECS106", container_memory_above_task, "ec2"),
    Mutation("ECS107", container_cpu_above_task),
    Mutation("ECS108", no_container_memory_on_ec2, "ec2"),
    Mutation("ECS140", privileged_on_fargate, "fargate"),
    Mutation("ECS140", capability_on_fargate, "fargate"),
    Mutation("ECS144", arm64_windows, "windows"),
    Mutation("ECS145", windows_bridge_mode, "windows-ec2"),
    Mutation("ECS146", firelens_on_windows, "windows"),
    # network (ECS12x)
    Mutation("ECS120", host_port_differs_under_awsvpc, "fargate"),
    Mutation("ECS121", port_mappings_with_network_none, "ec2-linux"),
    Mutation("ECS123", host_port_conflict, "ec2-linux-two"),
    Mutation("ECS124", container_port_out_of_range),
    Mutation("ECS125", port_range_reversed, "fargate"),
    Mutation("ECS127", links_under_awsvpc, "fargate-two"),
    Mutation("ECS128", hostname_under_awsvpc, "fargate"),
    Mutation("ECS129", extra_hosts_under_awsvpc, "fargate"),
    Mutation("ECS131", port_mapping_name_upper_case),
    # containers and references (ECS2xx)
    Mutation("ECS201", no_essential_container),
    Mutation("ECS202", family_with_space),
    Mutation("ECS202", container_name_with_dot),
    Mutation("ECS203", eleven_containers),
    Mutation("ECS204", duplicate_container_name, "two"),
    Mutation("ECS205", empty_container_list),
    Mutation("ECS206", too_large, "small"),
    Mutation("ECS208", image_with_scheme),
    Mutation("ECS211", ecr_image_bad_region),
    Mutation("ECS215", eleven_environment_files),
    Mutation("ECS216", environment_file_not_env),
    Mutation("ECS217", ulimit_soft_above_hard, "linux"),
    Mutation("ECS219", duplicate_tag_key),
    Mutation("ECS220", reserved_tag_key),
    Mutation("ECS231", depends_on_missing_container),
    Mutation("ECS232", dependency_cycle, "two"),
    Mutation("ECS232", depends_on_itself),
    Mutation("ECS233", healthy_without_health_check, "two"),
    Mutation("ECS234", success_on_essential_container, "two"),
    Mutation("ECS235", volumes_from_missing_container),
    Mutation("ECS236", mount_missing_volume),
    Mutation("ECS240", awsfirelens_without_router, "linux"),
    # secrets and IAM (ECS3xx)
    Mutation("ECS301", ssm_arn_double_slash),
    Mutation("ECS303", secrets_without_execution_role),
    Mutation("ECS304", execution_role_example_account),
    Mutation("ECS306", execution_role_bad_account),
    Mutation("ECS307", task_role_not_iam),
    Mutation("ECS310", ecr_image_without_execution_role, "fargate"),
    # logging (ECS4xx)
    Mutation("ECS401", awslogs_without_group),
    Mutation("ECS401", awslogs_without_stream_prefix_on_fargate, "fargate"),
    Mutation("ECS402", json_file_on_fargate, "fargate"),
    Mutation("ECS403", awslogs_without_execution_role, "fargate"),
    Mutation("ECS411", firelens_s3_config_on_fargate, "fargate-linux-two"),
    Mutation("ECS412", invalid_log_group),
    # health (ECS5xx)
    Mutation("ECS501", health_check_interval_one),
    Mutation("ECS502", health_check_without_cmd),
    Mutation("ECS508", restart_period_too_short),
    # security (ECS6xx)
    Mutation("ECS610", access_key_in_environment),
    Mutation("ECS613", efs_iam_without_transit_encryption, "linux"),
)


def test_mutation_table_covers_every_area() -> None:
    assert len(MUTATIONS) >= 25
    areas = {m.rule[:4] for m in MUTATIONS}
    assert areas >= {"ECS0", "ECS1", "ECS2", "ECS3", "ECS4", "ECS5", "ECS6"}
    known = {rule.id for rule in builtin().rules}
    assert {m.rule for m in MUTATIONS} <= known


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: f"{m.rule}-{m.apply.__name__}")
def test_planted_defect_fires_its_rule(mutation: Mutation) -> None:
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(base_strategy(mutation.base))
    def run(td: Doc) -> None:
        mutated = copy.deepcopy(td)
        expect = mutation.apply(mutated)
        found = [f for f in lint(mutated).findings if f.rule_id == mutation.rule]
        assert found, f"{mutation.rule} did not fire after {mutation.apply.__name__}"
        if expect is not None:
            wanted = (expect,) if isinstance(expect, str) else expect
            pointers = [f.pointer for f in found]
            assert any(p in wanted for p in pointers), (wanted, pointers)

    run()
