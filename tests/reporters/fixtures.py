"""The one rule the reporter tests render findings of."""

from __future__ import annotations

from ecslint.catalogue.entries import Catalogue, rule_from_mapping

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
