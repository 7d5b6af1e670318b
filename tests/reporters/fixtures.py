"""The one rule the reporter tests render findings of."""

from __future__ import annotations

from ecslint.catalogue.entries import Catalogue, Rule, rule_from_mapping
from ecslint.core.model import Finding, Position, Span

RULE = rule_from_mapping(
    {
        "id": "ECS101",
        "name": "unsupported-fargate-size",
        "severity": "error",
        "consequence": "rejected",
        "summary": "Checks that a Fargate task's cpu and memory are a size Fargate offers.",
        "rationale": "Fargate sells fixed cpu/memory pairs.",
        "references": ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html"],
        "message": "memory {memory} is not offered with cpu {cpu} on Fargate",
        "check": "unsupported_fargate_size",
    },
    "test",
)
CATALOGUE = Catalogue([RULE])

# A rule whose severity and message depend on who registers the file (docs/consumers.md), and
# findings of it and of RULE in two files, the consumer and its basis set as the engine sets them.
BY_CONSUMER = rule_from_mapping(
    {
        "id": "ECS025",
        "name": "read-only-field",
        "severity": "error",
        "consequence": "rejected",
        "summary": "Checks that a register-task-definition input has no read-only field.",
        "rationale": "describe output is not register input.",
        "references": ["https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"],
        "message": "'{key}' is a read-only field",
        "check": "read_only_field",
        "consumers": {"deploy-action": {"severity": "info", "message": "'{key}' is removed by the action"}},
    },
    "test",
)
BOTH = Catalogue([RULE, BY_CONSUMER])
DEPLOY_BASIS = ".github/workflows/deploy.yml hands it to amazon-ecs-deploy-task-definition"


def consumer_findings() -> list[Finding]:
    """a.json: a finding its consumer does not change, then two it does; b.json: one it does (unknown)."""

    def one(rule: Rule, path: str, line: int, consumer: str, basis: str) -> Finding:
        severity = rule.severity_for("default", consumer)
        message = rule.message("default", {"key": "revision", "memory": 4096, "cpu": 256}, consumer)
        span = Span(Position(line, 3), Position(line, 13))
        return Finding(
            rule.id, rule.name, severity, message, path, "/revision", span, consumer=consumer, consumer_basis=basis
        )

    unknown = "nothing names who registers it (--target or target = ... in the configuration says)"
    return [
        one(RULE, "a.json", 2, "deploy-action", DEPLOY_BASIS),
        one(BY_CONSUMER, "a.json", 3, "deploy-action", DEPLOY_BASIS),
        one(BY_CONSUMER, "a.json", 4, "deploy-action", DEPLOY_BASIS),
        one(BY_CONSUMER, "b.json", 3, "unknown", unknown),
    ]
