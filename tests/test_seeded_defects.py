"""Seeded defects: small mistakes AWS rejects at RegisterTaskDefinition, or that stop the task at launch.

Each defect below is one mutation of a valid, realistic base task definition, with the section of
docs/facts.md that shows AWS rejects it (or that the task fails), and the rule expected to report it
as an error. The test checks, for every defect, that the rule reports it as an error and that it is
the only error (one mistake, one finding), and that each base has no error. The table is the list of
what ecslint catches; docs/accuracy.md ("Seeded defects") gives the measure. DROPPED lists the
mistakes tried and left out for want of evidence that AWS refuses them: ecslint must not call them
errors.

A plain file outside a repository is registered by a tool nobody names: consumer `unknown`
(docs/consumers.md). A defect only some of those tools reject is checked with `target="aws-cli"`.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from ecslint.catalogue.entries import builtin
from ecslint.core.model import JSON, Finding, Severity
from ecslint.engine.pipeline import Engine

ECSLINT = Path(sys.executable).parent / "ecslint"
ACCOUNT = "402815519637"
ECR = f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com"


def _awslogs(group: str, prefix: str) -> dict[str, JSON]:
    options: dict[str, JSON] = {
        "awslogs-group": group,
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": prefix,
    }
    return {"logDriver": "awslogs", "options": options}


# A Fargate web service: an API container and a one-shot migration container it waits for.
FARGATE: dict[str, JSON] = {
    "family": "orders-api",
    "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/orders-api-task",
    "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/orders-api-execution",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "1024",
    "memory": "2048",
    "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
    "containerDefinitions": [
        {
            "name": "api",
            "image": f"{ECR}/orders-api:1.4.2",
            "essential": True,
            "cpu": 768,
            "memory": 1536,
            "portMappings": [{"name": "http", "containerPort": 8080, "protocol": "tcp", "appProtocol": "http"}],
            "environment": [{"name": "SPRING_PROFILES_ACTIVE", "value": "production"}],
            "secrets": [
                {
                    "name": "DB_PASSWORD",
                    "valueFrom": f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/db-AbCdEf",
                }
            ],
            "healthCheck": {
                "command": ["CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1"],
                "interval": 30,
                "timeout": 5,
                "retries": 3,
                "startPeriod": 60,
            },
            "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}],
            "readonlyRootFilesystem": True,
            "user": "1000:1000",
            "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
            "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}],
            "stopTimeout": 30,
            "logConfiguration": _awslogs("/ecs/orders-api", "api"),
        },
        {
            "name": "migrate",
            "image": f"{ECR}/orders-api:1.4.2",
            "essential": False,
            "cpu": 256,
            "memory": 512,
            "command": ["java", "-jar", "/app/migrate.jar"],
            "secrets": [
                {
                    "name": "DB_PASSWORD",
                    "valueFrom": f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/db-AbCdEf",
                }
            ],
            "readonlyRootFilesystem": True,
            "user": "1000:1000",
            "logConfiguration": _awslogs("/ecs/orders-api", "migrate"),
        },
    ],
    "volumes": [{"name": "tmp"}],
    "ephemeralStorage": {"sizeInGiB": 30},
    "tags": [{"key": "team", "value": "orders"}],
}

# An EC2 worker in bridge mode: a worker linked to a Redis container, with a host volume.
EC2: dict[str, JSON] = {
    "family": "billing-worker",
    "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/billing-worker-task",
    "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/billing-worker-execution",
    "networkMode": "bridge",
    "requiresCompatibilities": ["EC2"],
    "containerDefinitions": [
        {
            "name": "worker",
            "image": f"{ECR}/billing-worker:2.0.1",
            "essential": True,
            "cpu": 512,
            "memory": 1024,
            "memoryReservation": 512,
            "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}],
            "links": ["redis"],
            "environment": [{"name": "REDIS_URL", "value": "redis://redis:6379/0"}],
            "secrets": [
                {
                    "name": "STRIPE_KEY",
                    "valueFrom": f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/billing/stripe-key",
                }
            ],
            "dependsOn": [{"containerName": "redis", "condition": "HEALTHY"}],
            "mountPoints": [{"sourceVolume": "spool", "containerPath": "/var/spool/billing"}],
            "ulimits": [{"name": "nofile", "softLimit": 32768, "hardLimit": 65536}],
            "user": "1000",
            "readonlyRootFilesystem": True,
            "logConfiguration": _awslogs("/ecs/billing-worker", "worker"),
        },
        {
            "name": "redis",
            "image": "redis:7.2-alpine",
            "essential": True,
            "cpu": 128,
            "memory": 256,
            "healthCheck": {"command": ["CMD", "redis-cli", "ping"], "interval": 10, "timeout": 3, "retries": 5},
            "user": "999",
            "readonlyRootFilesystem": False,
            "logConfiguration": _awslogs("/ecs/billing-worker", "redis"),
        },
    ],
    "volumes": [{"name": "spool", "host": {"sourcePath": "/var/spool/billing"}}],
    "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}],
}

# A Windows container on Fargate.
WINDOWS: dict[str, JSON] = {
    "family": "legacy-portal",
    "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/legacy-portal-execution",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "1024",
    "memory": "2048",
    "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
    "containerDefinitions": [
        {
            "name": "portal",
            "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022",
            "essential": True,
            "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
            "logConfiguration": _awslogs("/ecs/legacy-portal", "portal"),
        }
    ],
}

BASES: dict[str, dict[str, JSON]] = {"fargate": FARGATE, "ec2": EC2, "windows": WINDOWS}

Mutation = Callable[[dict[str, JSON]], None]


# -- mutations ------------------------------------------------------------------------------------


def _parts(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def _parent(document: JSON, pointer: str) -> tuple[JSON, str]:
    *path, last = _parts(pointer)
    node = document
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index,call-overload]
    return node, last


def put(pointer: str, value: JSON) -> Mutation:
    """Set the member at `pointer` (a list index one past the end appends)."""

    def mutate(document: dict[str, JSON]) -> None:
        node, last = _parent(document, pointer)
        if isinstance(node, list):
            index = int(last)
            if index == len(node):
                node.append(copy.deepcopy(value))
            else:
                node[index] = copy.deepcopy(value)
        elif isinstance(node, dict):
            node[last] = copy.deepcopy(value)

    return mutate


def drop(pointer: str) -> Mutation:
    """Delete the member at `pointer`."""

    def mutate(document: dict[str, JSON]) -> None:
        node, last = _parent(document, pointer)
        if isinstance(node, list):
            del node[int(last)]
        elif isinstance(node, dict):
            del node[last]

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(document: dict[str, JSON]) -> None:
        for mutation in mutations:
            mutation(document)

    return mutate


def rename(pointer: str, new_key: str) -> Mutation:
    """Rename the member at `pointer`, keeping its value and its place."""

    def mutate(document: dict[str, JSON]) -> None:
        node, last = _parent(document, pointer)
        assert isinstance(node, dict)
        items = [(new_key if key == last else key, value) for key, value in node.items()]
        node.clear()
        node.update(items)

    return mutate


def _containers(count: int) -> Mutation:
    def mutate(document: dict[str, JSON]) -> None:
        containers = document["containerDefinitions"]
        assert isinstance(containers, list)
        for number in range(len(containers), count):
            containers.append(
                {"name": f"sidecar{number}", "image": "busybox:1.36", "essential": False, "cpu": 0, "memory": 16}
            )

    return mutate


API = "/containerDefinitions/0"  # the first container of each base
SIDE = "/containerDefinitions/1"
AWSLOGS = f"{API}/logConfiguration/options"
S3_ENV = "arn:aws:s3:::orders-config/api.env"


class Defect(NamedTuple):
    id: str
    base: str  # a key of BASES
    mutate: Mutation
    fact: str  # the docs/facts.md section showing AWS rejects it or the task fails
    rule: str  # the rule expected to report it, as an error
    target: str | None = None  # a consumer that rejects it, when not every tool does (docs/consumers.md)


# fmt: off
DEFECTS: list[Defect] = [
    # -- Fargate size (facts 1) --------------------------------------------------------------------
    Defect("fargate-memory-not-offered", "fargate", put("/memory", "16384"), "facts 1.1", "ECS102"),
    Defect("fargate-cpu-not-offered", "fargate", put("/cpu", "768"), "facts 1.1", "ECS102"),
    Defect("fargate-quarter-vcpu-too-much-memory", "fargate", both(put("/cpu", "256"), put("/memory", "4096"),
           put(f"{API}/cpu", 128), put(f"{API}/memory", 256), put(f"{SIDE}/cpu", 64), put(f"{SIDE}/memory", 128)),
           "facts 1.4", "ECS102"),
    Defect("fargate-8-vcpu-off-step", "fargate", both(put("/cpu", "8192"), put("/memory", "18432")),
           "facts 1.1", "ECS102"),
    Defect("fargate-16-vcpu-off-step", "fargate", both(put("/cpu", "16384"), put("/memory", "36864")),
           "facts 1.1", "ECS102"),
    Defect("fargate-32-vcpu-not-offered-memory", "fargate", both(put("/cpu", "32768"), put("/memory", "65536")),
           "facts 11", "ECS102"),
    Defect("fargate-vcpu-form-not-offered", "fargate", both(put("/cpu", "3 vCPU"), put("/memory", "8GB")),
           "facts 1.2", "ECS102"),
    Defect("fargate-missing-cpu", "fargate", drop("/cpu"), "facts 1.1", "ECS101"),
    Defect("fargate-missing-memory", "fargate", drop("/memory"), "facts 1.1", "ECS101"),
    Defect("fargate-cpu-as-number", "fargate", put("/cpu", 1024), "facts 1.2", "ECS021", "aws-cli"),
    Defect("windows-fargate-half-vcpu", "windows", both(put("/cpu", "512"), put("/memory", "1024")),
           "facts 1.1", "ECS102"),
    Defect("ephemeral-storage-below-21", "fargate", put("/ephemeralStorage/sizeInGiB", 20), "facts 1.3", "ECS024"),
    Defect("ephemeral-storage-above-200", "fargate", put("/ephemeralStorage/sizeInGiB", 250), "facts 1.3",
           "ECS024"),
    # -- EC2 size (facts 2) ------------------------------------------------------------------------
    Defect("ec2-cpu-in-cores", "ec2", put("/cpu", "2 cores"), "facts 11", "ECS114"),
    Defect("ec2-task-cpu-above-192-vcpu", "ec2", put("/cpu", "262144"), "facts 2.1", "ECS104"),
    Defect("ec2-container-without-memory", "ec2", both(drop(f"{SIDE}/memory")), "facts 2.2", "ECS108"),
    Defect("ec2-memory-below-reservation", "ec2", put(f"{API}/memoryReservation", 2048), "facts 2.2", "ECS105"),
    Defect("container-memory-above-task", "fargate", put(f"{API}/memory", 4096), "facts 1.4", "ECS106"),
    Defect("container-cpu-sum-above-task", "fargate", put(f"{API}/cpu", 1024), "facts 6.4", "ECS107"),
    Defect("ec2-container-memory-as-string", "ec2", put(f"{API}/memory", "1024"), "facts 1.2", "ECS021", "aws-cli"),
    Defect("too-many-containers", "ec2", _containers(11), "facts 2.3", "ECS203"),
    Defect("task-definition-too-large", "ec2",
           put(f"{API}/environment", [{"name": f"FEATURE_{n}", "value": "x" * 700} for n in range(100)]),
           "facts 2.3", "ECS206"),
    Defect("empty-container-list", "fargate", put("/containerDefinitions", []), "facts 6.4", "ECS205"),
    Defect("too-many-placement-constraints", "ec2",
           put("/placementConstraints",
               [{"type": "memberOf", "expression": f"attribute:rack != r{n}"} for n in range(11)]),
           "facts 2.3", "ECS115"),
    # -- network modes, ports (facts 3, 7.7) -------------------------------------------------------
    Defect("fargate-bridge-mode", "fargate", put("/networkMode", "bridge"), "facts 3.1", "ECS103"),
    Defect("fargate-no-network-mode", "fargate", drop("/networkMode"), "facts 3.1", "ECS103"),
    Defect("network-mode-unknown", "ec2", put("/networkMode", "nat"), "facts 7.6", "ECS022"),
    Defect("awsvpc-host-port-differs", "fargate", put(f"{API}/portMappings/0/hostPort", 80), "facts 3.2",
           "ECS120"),
    Defect("host-mode-host-port-differs", "ec2",
           both(put("/networkMode", "host"), drop(f"{API}/links"), put(f"{API}/portMappings/0/hostPort", 80)),
           "facts 3.2", "ECS120"),
    Defect("awsvpc-same-port-twice", "fargate", put(f"{SIDE}/portMappings", [{"containerPort": 8080}]),
           "facts 11", "ECS123"),
    Defect("container-port-above-65535", "fargate", put(f"{API}/portMappings/0/containerPort", 80800),
           "facts 7.7", "ECS124"),
    Defect("port-range-reversed", "fargate", put(f"{API}/portMappings", [{"containerPortRange": "9010-9000"}]),
           "facts 7.7", "ECS125"),
    Defect("port-protocol-unknown", "fargate", put(f"{API}/portMappings/0/protocol", "http"), "facts 7.6",
           "ECS022"),
    Defect("links-in-awsvpc", "ec2", both(put("/networkMode", "awsvpc"), drop(f"{API}/portMappings/0/hostPort")),
           "facts 3.3", "ECS127"),
    Defect("hostname-in-awsvpc", "fargate", put(f"{API}/hostname", "orders"), "facts 3.3", "ECS128"),
    Defect("extra-hosts-in-awsvpc", "fargate", put(f"{API}/extraHosts", [{"hostname": "db", "ipAddress": "10.0.0.5"}]),
           "facts 3.3", "ECS129"),
    # -- parameters Fargate does not take (facts 3.4) ----------------------------------------------
    Defect("fargate-privileged", "fargate", put(f"{API}/privileged", True), "facts 3.4", "ECS140"),
    Defect("fargate-ipc-mode", "fargate", put("/ipcMode", "task"), "facts 3.4", "ECS140"),
    Defect("fargate-pid-mode-host", "fargate", put("/pidMode", "host"), "facts 3.4", "ECS140"),
    Defect("fargate-placement-constraints", "fargate",
           put("/placementConstraints", [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]),
           "facts 3.4", "ECS140"),
    Defect("fargate-dns-servers", "fargate", put(f"{API}/dnsServers", ["10.0.0.2"]), "facts 3.4", "ECS140"),
    Defect("fargate-docker-security-options", "fargate", put(f"{API}/dockerSecurityOptions", ["no-new-privileges"]),
           "facts 3.4", "ECS140"),
    Defect("fargate-devices", "fargate", put(f"{API}/linuxParameters", {"devices": [{"hostPath": "/dev/fuse"}]}),
           "facts 3.4", "ECS140"),
    Defect("fargate-shared-memory-size", "fargate", put(f"{API}/linuxParameters", {"sharedMemorySize": 256}),
           "facts 3.4", "ECS140"),
    Defect("fargate-max-swap", "fargate", put(f"{API}/linuxParameters", {"maxSwap": 1024}),
           "facts 3.4", "ECS140"),
    Defect("fargate-capability-net-admin", "fargate",
           put(f"{API}/linuxParameters", {"capabilities": {"add": ["NET_ADMIN"]}}), "facts 3.4", "ECS140"),
    Defect("fargate-gpu", "fargate", put(f"{API}/resourceRequirements", [{"type": "GPU", "value": "1"}]),
           "facts 3.4", "ECS140"),
    Defect("fargate-docker-volume", "fargate",
           put("/volumes/0/dockerVolumeConfiguration", {"scope": "task", "driver": "local"}), "facts 3.4", "ECS140"),
    Defect("fargate-host-source-path", "fargate", put("/volumes/0/host", {"sourcePath": "/var/tmp"}), "facts 3.4",
           "ECS140"),
    # -- Windows and ARM (facts 3.5) ---------------------------------------------------------------
    Defect("windows-firelens", "windows",
           both(put(f"{API}/logConfiguration", {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}),
                put(f"{API}/firelensConfiguration", {"type": "fluentbit"})), "facts 5.3", "ECS146"),
    Defect("os-family-unknown", "windows", put("/runtimePlatform/operatingSystemFamily", "WINDOWS_SERVER_2012_FULL"),
           "facts 3.5", "ECS022"),
    # -- secrets and roles (facts 4, 23) -----------------------------------------------------------
    Defect("secrets-without-execution-role", "ec2", drop("/executionRoleArn"), "facts 4.4", "ECS303"),
    Defect("registry-credentials-without-execution-role", "ec2",
           both(drop("/executionRoleArn"), drop(f"{API}/secrets"), put(f"{SIDE}/image", "ghcr.io/acme/redis:7.2"),
                put(f"{SIDE}/repositoryCredentials",
                    {"credentialsParameter": f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:ghcr-AbCdEf"})),
           "facts 4.4", "ECS309"),
    Defect("fargate-awslogs-without-execution-role", "windows", drop("/executionRoleArn"), "facts 4.4", "ECS403"),
    Defect("fargate-ecr-image-without-execution-role", "windows",
           both(drop("/executionRoleArn"), put(f"{API}/image", f"{ECR}/legacy-portal:3.1"),
                put(f"{API}/logConfiguration", {"logDriver": "splunk", "options": {
                    "splunk-url": "https://splunk.example.com:8088", "splunk-token": "ab12cd34"}})),
           "facts 4.4", "ECS310"),
    Defect("fargate-no-execution-role", "fargate", drop("/executionRoleArn"), "facts 4.4", "ECS303"),
    Defect("fargate-empty-execution-role", "fargate", put("/executionRoleArn", ""), "facts 4.4", "ECS303"),
    Defect("ssm-arn-double-slash", "ec2",
           put(f"{API}/secrets/0/valueFrom", f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter//billing/stripe-key"),
           "facts 4.2", "ECS301"),
    Defect("secretsmanager-arn-bad-field-count", "fargate",
           put(f"{API}/secrets/0/valueFrom",
               f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/db-AbCdEf:password"),
           "facts 4.3", "ECS301"),
    Defect("execution-role-arn-account-short", "fargate",
           put("/executionRoleArn", "arn:aws:iam::12345678901:role/orders-api-execution"), "facts 23", "ECS306"),
    Defect("task-role-arn-malformed", "fargate", put("/taskRoleArn", "arn:aws:iam:eu-west-1:role/orders-api-task"),
           "facts 4.6", "ECS307"),
    Defect("execution-role-placeholder", "fargate", put("/executionRoleArn", "<EXECUTION_ROLE_ARN>"), "facts 23",
           "ECS304"),
    Defect("environment-file-type-unknown", "fargate",
           put(f"{API}/environmentFiles", [{"value": S3_ENV, "type": "S3"}]), "facts 7.6", "ECS022"),
    # -- logging (facts 5, 6.4, 11) ----------------------------------------------------------------
    Defect("awslogs-missing-group", "fargate", drop(f"{AWSLOGS}/awslogs-group"), "facts 6.4", "ECS401"),
    Defect("awslogs-missing-region", "fargate", drop(f"{AWSLOGS}/awslogs-region"), "facts 6.4", "ECS401"),
    Defect("awslogs-option-typo", "fargate", rename(f"{AWSLOGS}/awslogs-group", "awslogs-grup"), "facts 11",
           "ECS404"),
    Defect("awslogs-option-unknown", "ec2", put(f"{AWSLOGS}/awslogs-retention", "30"), "facts 11", "ECS404"),
    Defect("awslogs-create-group-boolean", "fargate", put(f"{AWSLOGS}/awslogs-create-group", True), "facts 5.2",
           "ECS021", "aws-cli"),
    Defect("ec2-awslogs-datetime-and-multiline", "ec2",
           both(put(f"{AWSLOGS}/awslogs-datetime-format", "%Y-%m-%d"),
                put(f"{AWSLOGS}/awslogs-multiline-pattern", "^INFO")), "facts 29", "ECS405"),
    Defect("ec2-awslogs-create-group-yes", "ec2", put(f"{AWSLOGS}/awslogs-create-group", "yes"), "facts 29",
           "ECS408"),
    Defect("ec2-log-mode-unknown", "ec2", put(f"{AWSLOGS}/mode", "async"), "facts 29", "ECS406"),
    Defect("ec2-max-buffer-size-invalid", "ec2",
           both(put(f"{AWSLOGS}/mode", "non-blocking"), put(f"{AWSLOGS}/max-buffer-size", "lots")), "facts 29",
           "ECS407"),
    Defect("ec2-max-buffer-size-with-blocking-mode", "ec2",
           both(put(f"{AWSLOGS}/mode", "blocking"), put(f"{AWSLOGS}/max-buffer-size", "25m")), "facts 29", "ECS407"),
    Defect("log-driver-unknown", "ec2", put(f"{API}/logConfiguration/logDriver", "cloudwatch"), "facts 7.6", "ECS022"),
    Defect("fargate-log-driver-json-file", "fargate",
           put(f"{API}/logConfiguration", {"logDriver": "json-file", "options": {"max-size": "10m"}}), "facts 5.1",
           "ECS402"),
    Defect("awsfirelens-without-router", "fargate",
           put(f"{API}/logConfiguration", {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs"}}),
           "facts 5.3", "ECS240"),
    Defect("firelens-router-without-awsfirelens", "fargate",
           put(f"{SIDE}/firelensConfiguration", {"type": "fluentbit"}), "facts 5.3", "ECS241"),
    Defect("firelens-type-unknown", "fargate",
           both(put(f"{API}/logConfiguration", {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs"}}),
                put(f"{SIDE}/firelensConfiguration", {"type": "fluent-bit"})), "facts 7.6", "ECS022"),
    Defect("fargate-firelens-config-from-s3", "fargate",
           both(put(f"{API}/logConfiguration", {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs"}}),
                put(f"{SIDE}/firelensConfiguration", {"type": "fluentbit", "options": {
                    "config-file-type": "s3", "config-file-value": "arn:aws:s3:::orders-config/fluent-bit.conf"}})),
           "facts 5.3", "ECS411"),
    Defect("splunk-without-url", "ec2",
           put(f"{API}/logConfiguration", {"logDriver": "splunk", "options": {"splunk-token": "x"}}), "facts 5.2",
           "ECS410"),
    Defect("awslogs-region-not-a-region", "fargate", put(f"{AWSLOGS}/awslogs-region", "europe"), "facts 23",
           "ECS413"),
    Defect("awslogs-group-invalid-name", "fargate", put(f"{AWSLOGS}/awslogs-group", "orders api logs!"), "facts 23",
           "ECS412"),
    # -- health checks, dependencies, essential (facts 6) ------------------------------------------
    Defect("health-check-interval-too-short", "fargate", put(f"{API}/healthCheck/interval", 2), "facts 6.1", "ECS501"),
    Defect("health-check-timeout-too-long", "ec2", put(f"{SIDE}/healthCheck/timeout", 90), "facts 6.1", "ECS501"),
    Defect("health-check-retries-too-many", "fargate", put(f"{API}/healthCheck/retries", 20), "facts 6.1", "ECS501"),
    Defect("health-check-start-period-too-long", "fargate", put(f"{API}/healthCheck/startPeriod", 600), "facts 6.1",
           "ECS501"),
    Defect("health-check-without-command", "ec2", drop(f"{SIDE}/healthCheck/command"), "facts 8.4", "ECS023"),
    Defect("healthy-dependency-without-health-check", "ec2", drop(f"{SIDE}/healthCheck"), "facts 11", "ECS233"),
    Defect("dependency-on-unknown-container", "fargate", put(f"{API}/dependsOn/0/containerName", "migrations"),
           "facts 6.2", "ECS231"),
    Defect("success-dependency-on-essential", "fargate", put(f"{SIDE}/essential", True), "facts 6.2", "ECS234"),
    Defect("dependency-condition-unknown", "fargate", put(f"{API}/dependsOn/0/condition", "STARTED"), "facts 7.6",
           "ECS022"),
    Defect("no-essential-container", "ec2", both(put(f"{API}/essential", False), put(f"{SIDE}/essential", False)),
           "facts 6.3", "ECS201"),
    # -- names, formats, limits (facts 7, 10) ------------------------------------------------------
    Defect("family-with-space", "fargate", put("/family", "orders api"), "facts 7.1", "ECS202"),
    Defect("family-too-long", "fargate", put("/family", "o" * 256), "facts 7.1", "ECS202"),
    Defect("container-name-with-dot", "ec2",
           both(put(f"{SIDE}/name", "redis.cache"), put(f"{API}/links", ["redis.cache"]),
                put(f"{API}/dependsOn/0/containerName", "redis.cache")), "facts 10", "ECS202"),
    Defect("duplicate-container-name", "fargate",
           put("/containerDefinitions/2", {"name": "migrate", "image": "busybox:1.36", "essential": False}),
           "facts 10", "ECS204"),
    Defect("image-with-space", "fargate", put(f"{API}/image", f"{ECR}/orders-api: 1.4.2"), "facts 23", "ECS208"),
    Defect("image-empty", "ec2", put(f"{SIDE}/image", ""), "facts 6.4", "ECS023", "aws-cli"),
    Defect("ecr-image-bad-registry-id", "fargate",
           put(f"{API}/image", "12345678901.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2"), "facts 7.2",
           "ECS306"),
    Defect("unknown-key-pascal-case", "fargate", rename(f"{API}/essential", "Essential"), "facts 8.3", "ECS020"),
    Defect("unknown-top-level-key", "fargate", put("/taskDefinitionName", "orders-api"), "facts 8.3", "ECS020"),
    Defect("describe-output-field", "fargate", put("/revision", 7), "facts 8.3", "ECS025", "aws-cli"),
    Defect("null-member", "fargate", put("/pidMode", None), "facts 8.3", "ECS026", "aws-cli"),
    Defect("empty-ipc-mode", "ec2", put("/ipcMode", ""), "facts 11", "ECS022", "aws-cli"),
    Defect("pid-mode-unknown", "ec2", put("/pidMode", "container"), "facts 11", "ECS022"),
    Defect("compatibility-unknown", "fargate", put("/requiresCompatibilities", ["FARGATE_SPOT"]), "facts 7.6",
           "ECS022"),
    Defect("placement-constraint-distinct-instance", "ec2",
           put("/placementConstraints/0", {"type": "distinctInstance"}), "facts 7.6", "ECS022"),
    Defect("too-many-tags", "fargate", put("/tags", [{"key": f"k{n}", "value": "v"} for n in range(51)]), "facts 7.4",
           "ECS024"),
    Defect("ulimit-soft-above-hard", "ec2", put(f"{API}/ulimits/0/softLimit", 131072), "facts 11", "ECS217"),
    Defect("ulimit-name-unknown", "ec2", put(f"{API}/ulimits/0/name", "nofiles"), "facts 7.6", "ECS022"),
    Defect("ulimit-without-hard-limit", "ec2", drop(f"{API}/ulimits/0/hardLimit"), "facts 8.4", "ECS023"),
    Defect("secret-without-value-from", "fargate", drop(f"{SIDE}/secrets/0/valueFrom"), "facts 4.1", "ECS023"),
    Defect("resource-requirement-type-lowercase", "ec2",
           put(f"{API}/resourceRequirements", [{"type": "gpu", "value": "1"}]), "facts 7.6", "ECS022"),
    Defect("device-permission-unknown", "ec2",
           put(f"{API}/linuxParameters", {"devices": [{"hostPath": "/dev/fuse", "permissions": ["rw"]}]}),
           "facts 7.6", "ECS022"),
    Defect("docker-volume-scope-unknown", "ec2",
           put("/volumes/0", {"name": "spool", "dockerVolumeConfiguration": {"scope": "global", "driver": "local"}}),
           "facts 7.6", "ECS022"),
    Defect("efs-transit-encryption-unknown", "fargate",
           put("/volumes/0/efsVolumeConfiguration", {"fileSystemId": "fs-0123456789abcdef0",
                                                     "transitEncryption": "YES"}), "facts 7.6", "ECS022"),
    Defect("proxy-type-unknown", "fargate",
           put("/proxyConfiguration", {"type": "ENVOY", "containerName": "api"}), "facts 7.6", "ECS022"),
    # -- more of facts 23 and 26 ----------------------------------------------------------------------
    Defect("credentials-parameter-with-space", "ec2",
           put(f"{SIDE}/repositoryCredentials", {"credentialsParameter": "ghcr credentials"}), "facts 26.6", "ECS313"),
    Defect("ssm-parameter-name-with-space", "ec2", put(f"{API}/secrets/0/valueFrom", "/billing/stripe key"),
           "facts 26.19", "ECS301"),
    Defect("cpu-placeholder", "fargate", put("/cpu", "<CPU>"), "facts 23", "ECS304"),
    Defect("ecr-image-bad-region", "fargate",
           put(f"{API}/image", f"{ACCOUNT}.dkr.ecr.eu-west.amazonaws.com/orders-api:1.4.2"), "facts 7.2", "ECS211"),
    Defect("image-with-scheme", "fargate", put(f"{API}/image", f"https://{ECR}/orders-api:1.4.2"), "facts 23",
           "ECS208"),
    Defect("environment-file-not-an-arn", "fargate",
           put(f"{API}/environmentFiles", [{"value": "s3://orders-config/api.env", "type": "s3"}]), "facts 7.3",
           "ECS216"),
    Defect("health-check-timeout-too-short", "fargate", put(f"{API}/healthCheck/timeout", 1), "facts 26.12",
           "ECS501"),
    Defect("health-check-retries-zero", "fargate", put(f"{API}/healthCheck/retries", 0), "facts 26.12", "ECS501"),
    Defect("windows-fargate-8-vcpu", "windows", both(put("/cpu", "8192"), put("/memory", "16384")), "facts 1.1",
           "ECS102"),
    Defect("efs-access-point-without-transit-encryption", "fargate",
           put("/volumes/0/efsVolumeConfiguration",
               {"fileSystemId": "fs-0123456789abcdef0", "authorizationConfig": {"accessPointId": "fsap-01234567"}}),
           "facts 26.16", "ECS613"),
    Defect("splunk-without-token", "ec2",
           put(f"{API}/logConfiguration", {"logDriver": "splunk", "options": {"splunk-url": "https://splunk.example.com:8088"}}),
           "facts 26.9", "ECS410"),
    # -- references between containers and volumes (facts 3.3, 6.2, 7.1) ---------------------------
    Defect("links-cycle", "ec2", put(f"{SIDE}/links", ["worker:billing"]), "facts 29", "ECS243"),
    Defect("link-to-unknown-container", "ec2", put(f"{API}/links", ["cache"]), "facts 7.1", "ECS238"),
    Defect("volumes-from-unknown-container", "fargate", put(f"{API}/volumesFrom", [{"sourceContainer": "assets"}]),
           "facts 7.1", "ECS235"),
    Defect("mount-of-unknown-volume", "fargate", put(f"{API}/mountPoints/0/sourceVolume", "temp"), "facts 7.1",
           "ECS236"),
    Defect("proxy-for-unknown-container", "fargate",
           put("/proxyConfiguration", {"type": "APPMESH", "containerName": "envoy"}), "facts 8.4", "ECS239"),
    # -- more of facts 3, 5, 6 and 7 ------------------------------------------------------------------
    Defect("fargate-links", "fargate", put(f"{API}/links", ["migrate"]), "facts 3.3", "ECS127"),
    Defect("windows-fargate-privileged", "windows", put(f"{API}/privileged", True), "facts 3.4", "ECS140"),
    Defect("fargate-awslogs-no-stream-prefix", "fargate", drop(f"{AWSLOGS}/awslogs-stream-prefix"), "facts 5.2",
           "ECS401"),
    Defect("fargate-memory-lowered", "fargate", put("/memory", "1000"), "facts 1.1", "ECS102"),
    Defect("dependency-on-itself", "fargate", put(f"{API}/dependsOn/0/containerName", "api"), "facts 26.1", "ECS232"),
    Defect("dependency-cycle", "ec2", put(f"{SIDE}/dependsOn", [{"containerName": "worker", "condition": "START"}]),
           "facts 26.1", "ECS232"),
    Defect("efs-iam-without-transit-encryption", "fargate",
           put("/volumes/0/efsVolumeConfiguration", {"fileSystemId": "fs-0123456789abcdef0",
                                                     "transitEncryption": "DISABLED",
                                                     "authorizationConfig": {"iam": "ENABLED"}}),
           "facts 7.6", "ECS613"),
]
# fmt: on


class Dropped(NamedTuple):
    """A seeded defect left out of DEFECTS: no evidence that AWS rejects it or that the task fails."""

    id: str
    base: str
    mutate: Mutation
    fact: str
    rule: str | None  # the rule that reports it, below error; None: no rule does
    why: str


# fmt: off
DROPPED: list[Dropped] = [
    Dropped("fargate-stop-timeout-above-120", "fargate", put(f"{API}/stopTimeout", 300), "facts 11", "ECS142",
            "Fargate's range is 2..120 s; whether a larger value is refused or capped is unverified"),
    Dropped("fargate-tmpfs", "fargate",
            put(f"{API}/linuxParameters", {"tmpfs": [{"containerPath": "/run", "size": 64}]}), "facts 3.4", "ECS141",
            "the Fargate page says tmpfs is not supported, the API text no longer does"),
    Dropped("two-firelens-routers", "fargate",
            both(put(f"{API}/logConfiguration", {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs"}}),
                 put(f"{API}/firelensConfiguration", {"type": "fluentbit"}),
                 put(f"{SIDE}/firelensConfiguration", {"type": "fluentbit"})), "facts 5.3", "ECS242",
            "one log router is the documented design; a second one refused: unverified"),
    Dropped("duplicate-ulimit", "ec2",
            put(f"{API}/ulimits/1", {"name": "nofile", "softLimit": 1024, "hardLimit": 4096}), "facts 7.6", "ECS218",
            "no AWS or Docker text found that refuses it"),
    Dropped("fargate-awslogs-datetime-and-multiline", "fargate",
            both(put(f"{AWSLOGS}/awslogs-datetime-format", "%Y-%m-%d"),
                 put(f"{AWSLOGS}/awslogs-multiline-pattern", "^INFO")), "facts 29", "ECS405",
            "Docker refuses it on EC2 (an error there, see DEFECTS); what Fargate does is undocumented"),
    Dropped("fargate-awslogs-create-group-yes", "fargate", put(f"{AWSLOGS}/awslogs-create-group", "yes"), "facts 29",
            "ECS408", "as above"),
    Dropped("fargate-log-mode-unknown", "fargate", put(f"{AWSLOGS}/mode", "async"), "facts 29", "ECS406",
            "as above"),
    Dropped("fargate-max-buffer-size-invalid", "fargate",
            both(put(f"{AWSLOGS}/mode", "non-blocking"), put(f"{AWSLOGS}/max-buffer-size", "lots")), "facts 29",
            "ECS407", "as above"),
    Dropped("image-uppercase-repository", "ec2", put(f"{SIDE}/image", "Redis:7.2-alpine"), "facts 7.2", "ECS209",
            "Docker's reference grammar refuses it at pull; no ECS thread with the error was found"),
    Dropped("environment-files-without-execution-role", "windows",
            both(drop("/executionRoleArn"), put(f"{API}/environmentFiles", [{"value": S3_ENV, "type": "s3"}]),
                 put(f"{API}/logConfiguration", {"logDriver": "splunk", "options": {
                     "splunk-url": "https://splunk.example.com:8088", "splunk-token": "ab12cd34"}})),
            "facts 4.4", "ECS311", "needed by the environment-file page; rejection or launch failure unverified"),
    Dropped("container-memory-below-6-mib", "ec2", put(f"{SIDE}/memory", 4), "facts 2.2", "ECS109",
            "Docker's minimum is advice in the API text; whether ECS refuses 4 MiB is unverified"),
    Dropped("health-check-without-cmd", "fargate",
            put(f"{API}/healthCheck/command", ["curl -fs http://localhost:8080/health || exit 1"]), "facts 26.13",
            "ECS502", "registered; Docker then runs no health check (the task runs, unmonitored)"),
    Dropped("restart-attempt-period-too-short", "fargate",
            put(f"{API}/restartPolicy", {"enabled": True, "restartAttemptPeriod": 30}), "facts 26.14", "ECS508",
            "no rejection found"),
    Dropped("restart-ignored-exit-codes-51", "fargate",
            put(f"{API}/restartPolicy", {"enabled": True, "ignoredExitCodes": list(range(51))}), "facts 26.14",
            "ECS508", "no rejection found"),
    Dropped("execution-role-name-not-arn", "fargate", put("/executionRoleArn", "orders-api-execution"), "facts 29",
            "ECS308", "an AWS maintainer says ECS fills in a role name; a CloudFormation user saw it refused"),
    Dropped("none-mode-with-port-mappings", "ec2", both(put("/networkMode", "none"), drop(f"{API}/links")),
            "facts 25.15", "ECS121",
            "documented restriction; no refusal found at registration or launch"),
    Dropped("port-range-overlaps", "fargate",
            put(f"{API}/portMappings", [{"containerPortRange": "9000-9010"}, {"containerPortRange": "9005-9020"}]),
            "facts 25.8", "ECS126",
            "what ECS does with overlapping ranges at registration is not verified"),
    Dropped("port-range-in-host-mode", "ec2",
            both(put("/networkMode", "host"), drop(f"{API}/links"),
                 put(f"{API}/portMappings", [{"containerPortRange": "9000-9010"}])), "facts 25.8", "ECS126",
            "ranges are documented for bridge and awsvpc; a refusal for host was not found"),
    Dropped("port-range-with-host-port", "fargate",
            put(f"{API}/portMappings", [{"containerPortRange": "9000-9010", "hostPort": 9000}]), "facts 25.8", "ECS126",
            "the agent picks the host ports whatever the mapping says; no refusal found"),
    Dropped("port-mapping-name-uppercase", "fargate", put(f"{API}/portMappings/0/name", "HTTP"),
            "facts 25.15", "ECS131",
            "refused at registration, or only unusable by Service Connect: not verified"),
    Dropped("port-mapping-name-leading-hyphen", "fargate", put(f"{API}/portMappings/0/name", "-http"),
            "facts 25.15", "ECS131",
            "as above"),
    Dropped("windows-arm64", "windows", put("/runtimePlatform/cpuArchitecture", "ARM64"), "facts 25.13", "ECS144",
            "no refusal at registration found; the task may only never find capacity"),
    Dropped("windows-ec2-bridge-mode", "windows",
            both(put("/requiresCompatibilities", ["EC2"]), put("/networkMode", "bridge")), "facts 25.13", "ECS145",
            "fails before agent 1.70.0, runs on nat from it"),
    Dropped("too-many-environment-files", "fargate",
            put(f"{API}/environmentFiles", [{"value": f"arn:aws:s3:::orders-config/{n}.env", "type": "s3"}
                                           for n in range(11)]), "facts 25.12", "ECS215",
            "the limit is documented; where ECS enforces it is not verified"),
    Dropped("environment-file-not-env", "fargate",
            put(f"{API}/environmentFiles", [{"value": "arn:aws:s3:::orders-config/api.json", "type": "s3"}]),
            "facts 25.12", "ECS216",
            "the .env extension is documented but the agent does not check it"),
    Dropped("tag-key-reserved", "fargate", put("/tags/0/key", "aws:team"), "facts 25.14", "ECS220",
            "refused at registration, or only later tag operations fail: not verified"),
    Dropped("tag-key-duplicate", "fargate", put("/tags/1", {"key": "team", "value": "billing"}),
            "facts 25.14", "ECS219",
            "ECS's answer to a repeated key is not verified"),
    Dropped("windows-user", "windows", put(f"{API}/user", "1000"), "facts 3.5", None,
            "'not supported for Windows containers'; no error text found"),
    Dropped("swappiness-above-100", "ec2", put(f"{API}/linuxParameters", {"maxSwap": 1024, "swappiness": 150}),
            "facts 7.8", None, "documented range 0..100; no error text found"),
    Dropped("credential-specs-two", "windows",
            put(f"{API}/credentialSpecs", ["credentialspecdomainless:arn:aws:s3:::bucket/a.json",
                                           "credentialspecdomainless:arn:aws:s3:::bucket/b.json"]),
            "facts 7.8", None, "documented maximum 1; no error text found"),
    Dropped("health-check-none", "ec2", put(f"{SIDE}/healthCheck/command", ["NONE"]), "facts 6.1", None,
            "Docker accepts NONE; whether ECS does is unverified"),
]
# fmt: on

ENGINE = Engine(builtin())
ENGINE.find_workflows = False  # a file of no repository: its consumer is `unknown`
ENGINES: dict[str | None, Engine] = {None: ENGINE}


def _engine(target: str | None) -> Engine:
    if target not in ENGINES:
        engine = Engine(builtin(), target=target)
        engine.find_workflows = False
        ENGINES[target] = engine
    return ENGINES[target]


def seeded(defect: Defect) -> dict[str, JSON]:
    document = copy.deepcopy(BASES[defect.base])
    defect.mutate(document)
    return document


def errors(document: dict[str, JSON], target: str | None = None) -> list[Finding]:
    result = _engine(target).check_bytes("seeded.json", json.dumps(document, indent=2).encode())
    assert not result.internal_errors, result.internal_errors[0].traceback
    return [finding for finding in result.findings if finding.severity is Severity.ERROR]


def test_defect_ids_are_unique_and_cite_facts() -> None:
    ids = [defect.id for defect in DEFECTS]
    assert len(ids) == len(set(ids))
    facts = (Path(__file__).resolve().parents[1] / "docs" / "facts.md").read_text("utf-8")
    for defect in [*DEFECTS, *DROPPED]:
        section = defect.fact.removeprefix("facts ")
        major = section.split(".")[0]
        assert f"\n## {major}. " in facts, defect
        assert "." not in section or f"\n### {section} " in facts, defect


@pytest.mark.parametrize("name", sorted(BASES))
def test_base_has_no_error(name: str) -> None:
    assert [(f.rule_id, f.pointer, f.message) for f in errors(BASES[name])] == []
    assert [(f.rule_id, f.pointer, f.message) for f in errors(BASES[name], "aws-cli")] == []


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda defect: defect.id)
def test_defect_is_one_error_of_its_rule(defect: Defect) -> None:
    found = errors(seeded(defect), defect.target)
    assert [(f.rule_id, f.pointer) for f in found] == [(defect.rule, found[0].pointer if found else "")], [
        (f.rule_id, f.pointer, f.message) for f in found
    ]


@pytest.mark.parametrize("dropped", DROPPED, ids=lambda dropped: dropped.id)
def test_dropped_defect_is_not_an_error(dropped: Dropped) -> None:
    """Without evidence ecslint does not call it an error (precision first): a warning, or nothing."""
    document = copy.deepcopy(BASES[dropped.base])
    dropped.mutate(document)
    result = ENGINE.check_bytes("seeded.json", json.dumps(document, indent=2).encode())
    assert [f.rule_id for f in result.findings if f.severity is Severity.ERROR] == []
    if dropped.rule is not None:  # the rule still says so, as a warning
        assert dropped.rule in [f.rule_id for f in result.findings if f.severity is Severity.WARNING]


@pytest.mark.slow
def test_console_script_reports_every_defect(tmp_path: Path) -> None:
    """The same through `ecslint check --format json` over a folder of all seeded files."""
    folders: dict[str | None, Path] = {}
    for defect in DEFECTS:
        folder = folders.setdefault(defect.target, tmp_path / (defect.target or "unknown"))
        folder.mkdir(exist_ok=True)
        (folder / f"{defect.id}.json").write_text(json.dumps(seeded(defect), indent=2), "utf-8")
    reported: dict[str, list[str]] = {}
    for target, folder in folders.items():
        args = [str(ECSLINT), "check", "--format", "json", *(["--target", target] if target else []), str(folder)]
        env = {**os.environ, "NO_COLOR": "1"}
        completed = subprocess.run(args, capture_output=True, cwd=tmp_path, env=env, timeout=300, check=False)
        assert completed.returncode == 1, completed.stderr
        for finding in json.loads(completed.stdout)["findings"]:
            if finding["severity"] == "error":
                reported.setdefault(Path(finding["path"]).stem, []).append(finding["rule"])
    assert reported == {defect.id: [defect.rule] for defect in DEFECTS}
