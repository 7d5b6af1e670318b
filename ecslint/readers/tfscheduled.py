"""Terraform's run-task requests: ``aws_sfn_state_machine``, ``aws_cloudwatch_event_target`` and
``aws_scheduler_schedule`` (docs/services.md), as run-task usages with positions in the ``.tf`` file.

- ``aws_sfn_state_machine``: ``definition = jsonencode({...})`` or a literal JSON heredoc or
  string, read as Amazon States Language (``readers/scheduled.py``).
- ``aws_cloudwatch_event_target``: ``ecs_target { task_definition_arn ... }`` and its overrides in
  ``input`` (``jsonencode({containerOverrides = [...]})`` or literal JSON); ``input_transformer``
  and ``input_path`` make the input at run time.
- ``aws_scheduler_schedule``: ``target { input ... ecs_parameters { task_definition_arn ... } }``.

The task definition is paired when the reference names an ``aws_ecs_task_definition`` of the same
file; a literal ARN or family is paired by family with the run's other files; anything else
(a variable, a data source, another module) is not paired.  Imported only when the file names
one of these resource types.
"""

from __future__ import annotations

from ecslint.core.model import JSON
from ecslint.core.pointer import escape
from ecslint.core.taskdef import is_unknown
from ecslint.readers.document import Document
from ecslint.readers.jsonscan import NodeOffsets
from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.scheduled import RunTask, deploy_time, flattened, run_task_states
from ecslint.readers.terraform import _TASK_REFERENCE, RESOURCE_TYPE, Attribute, Block, literal_json, to_json

STATE_MACHINE = "aws_sfn_state_machine"
EVENT_TARGET = "aws_cloudwatch_event_target"
SCHEDULE = "aws_scheduler_schedule"
TYPES = (STATE_MACHINE, EVENT_TARGET, SCHEDULE)
# ecs_target / ecs_parameters arguments a RunTask request shares
_TARGET_ARGUMENTS = {"launch_type": "launchType", "platform_version": "platformVersion"}
_TARGET_FLAGS = {"enable_execute_command": "enableExecuteCommand"}


def run_task_documents(
    path: str,
    text: str,
    blocks: list[Block],
    tasks: list[Document],
    nodes: dict[str, NodeOffsets],
    locator: Locator,
    index: TextIndex,
) -> list[Document]:
    """The run-task usages of the file's state machines, event targets and schedules."""
    by_label = {task.label: task for task in tasks}
    reader = _Reader(path, text, nodes)
    found: list[Document] = []
    for block in blocks:
        if len(block.labels) != 2 or block.labels[0] not in TYPES:
            continue
        kind, name = block.labels
        base = f"/resource/{kind}/{escape(name)}"
        nodes[base] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        label = f"{kind}.{name}"
        runs: list[RunTask] = []
        if kind == STATE_MACHINE:
            runs = reader.state_machine(block, base, label)
        elif kind == EVENT_TARGET:
            run = reader.target(block, base, label, "ecs_target")
            runs = [run] if run is not None else []
        else:
            inner = _child_block(block, "target")
            if inner is not None:
                target_base = f"{base}/target"
                nodes[target_base] = NodeOffsets(inner.open, inner.close, inner.start, inner.header_end)
                run = reader.target(inner, target_base, label, "ecs_parameters")
                runs = [run] if run is not None else []
        for run in runs:
            task, uses = _task(run.reference, by_label)
            found.append(
                Document(path, run.data, "run-task", run.base, locator, index, run.label, run.renamed, task, uses)
            )
    return found


def _task(reference: JSON, by_label: dict[str | None, Document]) -> tuple[Document | None, str | None]:
    """The file's task definition a reference names, or the literal reference to pair by family."""
    if not isinstance(reference, str):
        return None, None
    if not is_unknown(reference):
        return None, reference
    match = _TASK_REFERENCE.match(reference)
    return (by_label.get(f"{RESOURCE_TYPE}.{match.group(1)}") if match else None), None


def _attribute(block: Block, name: str) -> Attribute | None:
    return next((item for item in block.body if isinstance(item, Attribute) and item.name == name), None)


def _child_block(block: Block, kind: str) -> Block | None:
    return next((item for item in block.body if isinstance(item, Block) and item.type == kind), None)


class _Reader:
    def __init__(self, path: str, text: str, nodes: dict[str, NodeOffsets]) -> None:
        self.path = path
        self.text = text
        self.nodes = nodes

    def literal_json(self, attribute: Attribute, pointer: str) -> tuple[JSON, bool] | None:
        """The JSON an argument holds (jsonencode, a heredoc or a quoted string) and whether its
        nodes have positions of their own; None when it is known only at plan time."""
        expr = attribute.value
        self.nodes[pointer] = NodeOffsets(expr.start, expr.end, attribute.start, attribute.end)
        value = literal_json(self.path, self.text, expr, pointer, self.nodes, (attribute.start, attribute.end))
        if value is None:
            return None
        positioned = not (expr.kind == "string" and not self.text.startswith("<<", expr.start))
        return value, positioned

    def state_machine(self, block: Block, base: str, label: str) -> list[RunTask]:
        attribute = _attribute(block, "definition")
        if attribute is None:
            return []
        literal = self.literal_json(attribute, f"{base}/definition")
        if literal is None:
            return []
        definition, positioned = literal
        runs = run_task_states(definition, "/definition", f"{label} ")
        if positioned:
            return [run._replace(base=base + run.base) for run in runs]
        flat = []
        for run in runs:
            renamed: dict[str, str] = {}
            flattened(run.data, "", "/definition", renamed)
            flat.append(run._replace(base=base, renamed=renamed))
        return flat

    def target(self, block: Block, base: str, label: str, parameters_type: str) -> RunTask | None:
        parameters = _child_block(block, parameters_type)
        if parameters is None:
            return None
        file_parameters = f"/{parameters_type}"
        self.nodes[base + file_parameters] = NodeOffsets(
            parameters.open, parameters.close, parameters.start, parameters.header_end
        )
        data: dict[str, JSON] = {}
        renamed: dict[str, str] = {"": ""}
        reference: JSON = None
        for item in parameters.body:
            if isinstance(item, Block):
                dynamic = item.type == "dynamic" and item.labels[:1] == ["network_configuration"]
                if item.type == "network_configuration" or dynamic:
                    pointer = f"{base}{file_parameters}/network_configuration"
                    self.nodes[pointer] = NodeOffsets(item.open, item.close, item.start, item.header_end)
                    data["networkConfiguration"] = (
                        deploy_time("dynamic network_configuration")  # zero or one block: known at plan time
                        if dynamic
                        else {"awsvpcConfiguration": deploy_time("network_configuration")}
                    )
                    renamed["/networkConfiguration"] = f"{file_parameters}/network_configuration"
                continue
            if item.value.kind == "null":
                continue
            name = _TARGET_ARGUMENTS.get(item.name) or _TARGET_FLAGS.get(item.name)
            if item.name == "task_definition_arn":
                name = "taskDefinition"
            if name is None:
                continue
            file_pointer = f"{file_parameters}/{escape(item.name)}"
            value = to_json(item.value, base + file_pointer, self.nodes, (item.start, item.end))
            data[name] = value
            renamed[f"/{name}"] = file_pointer
            if name == "taskDefinition":
                reference = value
        if "taskDefinition" not in data:
            return None
        overrides = self._overrides(block, base, renamed)
        if overrides is not None:
            data["overrides"] = overrides
        return RunTask(label, base, data, renamed, reference)

    def _overrides(self, block: Block, base: str, renamed: dict[str, str]) -> JSON | None:
        if any(isinstance(item, Block) and item.type == "input_transformer" for item in block.body) or _attribute(
            block, "input_path"
        ):
            return deploy_time("input made from the event")
        attribute = _attribute(block, "input")
        if attribute is None or attribute.value.kind == "null":
            return None
        literal = self.literal_json(attribute, f"{base}/input")
        if literal is None:
            return deploy_time("input")
        value, positioned = literal
        if not isinstance(value, dict):
            return None
        if positioned:
            renamed["/overrides"] = "/input"
        else:
            flattened(value, "/overrides", "/input", renamed)
        return value if not is_unknown(value) else None
