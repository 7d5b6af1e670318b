"""A Pulumi policy pack: ``pulumi preview --policy-pack examples/api/pulumi-policy``.

Mandatory: an ecslint error in an ``aws.ecs.TaskDefinition`` stops the preview and the update.
"""

from ecslint_policy import validate_task_definition
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

PolicyPack(
    name="ecslint",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="ecslint-task-definition",
            description="ECS task definitions pass ecslint without errors.",
            validate=validate_task_definition,
        )
    ],
)
