"""Sources: one file's bytes -> parsed text -> the task definitions in it.

Known shapes: register-task-definition input (JSON, or YAML as ``--cli-input-yaml``
takes it), describe-task-definition output (``{"taskDefinition": {...}}``), CloudFormation
templates, bare container-definition arrays and Terraform ``.tf`` files (``terraform.py``).
Anything else is "not a task definition": skipped during a folder walk, a finding when the
file was named on the command line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import PLACEHOLDER_TOKEN, is_unknown, placeholder_token
from ecslint.readers.cloudformation import is_template, services, task_definitions, to_api
from ecslint.readers.document import Document, ParsedFile
from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.syntax import BYTE_ORDER_MARK, INVALID_UTF8, Located, decode, parse_json, without_fixes

if TYPE_CHECKING:
    from ecslint.readers.scheduled import RunTask

# ECS accepts 64 KiB; a file over 8 MiB is not parsed at all (bounded time and memory).
MAX_FILE_BYTES = 8 * 2**20
FILE_TOO_LARGE = "ECS015"
YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
TERRAFORM_SUFFIXES = (".tf",)
TASK_KEYS = frozenset({"family", "containerDefinitions"})
# Words that make an unparsable file worth reporting during a folder walk.
_TASK_WORDS = ("containerDefinitions", "taskDefinition", "requiresCompatibilities")
_TERRAFORM_RESOURCE = re.compile(r'resource\s+"?aws_ecs_task_definition\b')


def parse(path: str, raw: bytes, size: int | None = None) -> ParsedFile:
    """Decode and parse one file; problems are syntax findings at text offsets.

    ``size``: the file's size when ``raw`` holds only part of it (``inputs.read`` stops at the
    limit); -1 when that size is unknown (a pipe that held more than the limit).
    """
    size = len(raw) if size is None else size
    if size > MAX_FILE_BYTES or size < 0:
        shown = f"{size / 2**20:.1f}" if size > MAX_FILE_BYTES else f"more than {MAX_FILE_BYTES // 2**20}"
        params = {"size_mib": shown, "limit_mib": MAX_FILE_BYTES // 2**20}
        return ParsedFile(path, None, None, False, [Located(FILE_TOO_LARGE, Violation("", params), 0, 0)])
    decoded = decode(raw)
    if decoded.text is None:
        return ParsedFile(path, None, None, False, decoded.problems)
    text = decoded.text
    index = TextIndex(text)
    lossless = decoded.encoding == "utf-8" and not any(p.rule_id == INVALID_UTF8 for p in decoded.problems)
    if path.lower().endswith(TERRAFORM_SUFFIXES):
        return _parse_terraform(path, text, index, decoded.problems)
    if _looks_like_yaml(path, text):
        from ecslint.readers.yamlsource import parse_yaml

        # a byte order mark (blanked by the decoder) is not part of the YAML stream
        skip = next((problem.end for problem in decoded.problems if problem.rule_id == BYTE_ORDER_MARK), 0)
        result = parse_yaml(text, skip)
        if not result.ok and _HANDLEBARS_ESCAPE in text:
            # "\{{" is Handlebars' escape for a literal "{{" (Takomo renders CloudFormation templates
            # with Handlebars): no YAML escape starts "\{", so the file is a template.  Read with the
            # backslash blanked, the same length, so that every position stays the file's own.
            rendered = parse_yaml(text.replace(_HANDLEBARS_ESCAPE, " {{"), skip)
            if rendered.ok:
                result = rendered
        locator = Locator(index, yaml_root=result.root)
        # a BOM before nothing: removing it would leave an empty file, which parses no better
        problems = [*_kept(decoded.problems, result.ok and bool(text.strip())), *result.problems]
        return ParsedFile(path, text, result.data, result.ok, problems, locator, index, "yaml", lossless)
    parsed = parse_json(text)
    syntax = "json"
    if not parsed.ok and "${" in text:
        masked = mask_interpolations(text)
        templated = parse_json(masked) if masked is not None else None
        if templated is not None and templated.ok:
            parsed, syntax = templated, TEMPLATE
    if not parsed.ok:
        found = mask_placeholders(text)
        if found is not None:
            templated = parse_json(found.text)
            if templated.ok:
                templated.data = _with_tokens(templated.data, found.tokens)
                parsed, syntax = templated, PLACEHOLDERS
            elif min((p.start for p in parsed.problems), default=found.first) >= found.first:
                # invalid for another reason after a token as well: ECS001 where that is, not at the
                # token (a defect before the first token is where the plain reading stopped already)
                parsed = templated
                parsed.problems = without_fixes(parsed.problems)
    if syntax == "json" and path.endswith(TERRAFORM_TEMPLATE_SUFFIX):
        syntax = TEMPLATE  # valid JSON, but what templatefile() renders: its ${...} are Terraform's
    elif not parsed.ok and "${" in text:
        directive = _TEMPLATE_DIRECTIVE.search(text)
        if directive is not None:  # %{ if }...%{ endif }: JSON only once rendered, so not "invalid JSON"
            violation = Violation("", {"expression": "a Terraform template with %{ } directives"}, "directives")
            parsed.problems = [Located(UNREAD_CONTAINERS, violation, directive.start(), directive.end())]
            syntax = TEMPLATE
    locator = Locator(index, json_text=parsed.repaired_text)
    problems = [*_kept(decoded.problems, parsed.ok), *parsed.problems]
    return ParsedFile(path, text, parsed.data, parsed.ok, problems, locator, index, syntax, lossless)


# A JSON file with Terraform interpolations outside its strings ("cpu": ${cpu}) is a template
# that templatefile() renders: read as one, each interpolation is a value known only then.
TEMPLATE = "json-template"
# The name Terraform's documentation gives the files templatefile() reads ("*.tftpl"): such a file
# is a Terraform template even when it is valid JSON as written (docs/facts.md 17).
TERRAFORM_TEMPLATE_SUFFIX = ".tftpl"
# A Terraform template directive (``%{ if x }``, ``%{~ endfor }``); ``%%{`` is a literal "%{".
_TEMPLATE_DIRECTIVE = re.compile(r"(?<!%)%\{~?\s*(?:if|for|else|endif|endfor)\b")
UNREAD_CONTAINERS = "ECS222"  # unread-container-definitions
_HANDLEBARS_ESCAPE = "\\{{"


def mask_interpolations(text: str) -> str | None:
    """``text`` with each ``${...}`` outside a JSON string made a string of the same length.

    ``"cpu": ${cpu}`` becomes ``"cpu": "${c}"``: every offset stays where it was, so positions
    stay in the user's file, and the value holds ``${`` so that rules treat it as unknown.
    None when the text has template directives (``%{ for }``), whose output cannot be known,
    or an interpolation too short to mask with no white space before it.
    """
    out: list[str] = []
    position, length = 0, len(text)
    in_string = False
    while position < length:
        char = text[position]
        if in_string:
            if char == "\\":
                out.append(text[position : position + 2])
                position += 2
                continue
            in_string = char != '"'
        elif char == '"':
            in_string = True
        elif char == "%" and text.startswith("%{", position):
            return None
        elif char == "$" and text.startswith("${", position):
            end = text.find("}", position)
            if end < 0 or "\n" in text[position:end]:
                return None
            expression = text[position + 2 : end]
            width = end + 1 - position
            if width < 5:
                if not out or out[-1] not in (" ", "\t"):
                    return None
                out.pop()
                width += 1
            inner = re.sub(r'["\\{}\s]', "_", expression)[: width - 5]
            out.append('"${' + inner.ljust(width - 5, "_") + '}"')
            position = end + 1
            continue
        out.append(char)
        position += 1
    return "".join(out)


# A JSON file with placeholder tokens where values belong ("cpu": <CPU>) is a template that a
# deploy step (sed, envsubst) fills in: read as one, each token is a value known only then.
PLACEHOLDERS = "json-placeholders"

# A token where a value belongs: followed by the end of the value (what comes next, a comma or
# not, is for the JSON reader to judge).
_TOKEN = re.compile(rf"(?:{PLACEHOLDER_TOKEN.pattern})(?=[ \t\r\n,}}\]]|$)")
_MARK = 0xF0000  # a token's mask: a private-use character that numbers it, then fillers
_FILL = "\ue000"
_MAX_TOKENS = 0xFFFE


class Masked(NamedTuple):
    text: str
    tokens: list[str]  # as written, in the order of the text
    first: int  # the offset of the first


def mask_placeholders(text: str) -> Masked | None:
    """``text`` with each placeholder token where a JSON value belongs made a string of its length.

    ``"cpu": <CPU>`` becomes ``"cpu": "..."`` (five characters, as ``<CPU>`` is): every offset stays
    where it was, so positions stay in the user's file, and the string's first character (a
    private-use one) numbers the token for ``_with_tokens`` to put back.  Tokens are ``<NAME>``,
    ``${NAME}``, ``{{ NAME }}``, ``#{NAME}`` and ``__NAME__``.  None when no token stands where a
    value belongs.
    """
    out: list[str] = []
    tokens: list[str] = []
    stack: list[str] = []  # "{" or "["
    value_next = True  # at the top level, and after ":", "[" or "," in an array
    position, length, start, first = 0, len(text), 0, 0
    while position < length:
        char = text[position]
        if char == '"':
            end = _string_end(text, position)
            position, value_next = end, False
            continue
        if char in "{[":
            if char == "{" and value_next and text.startswith("{{", position):
                pass  # a {{ NAME }} token, handled below
            else:
                stack.append(char)
                value_next = char == "["
                position += 1
                continue
        elif char in "}]":
            if stack:
                stack.pop()
            value_next = False
            position += 1
            continue
        elif char == ":":
            value_next = True
            position += 1
            continue
        elif char == ",":
            value_next = bool(stack) and stack[-1] == "["
            position += 1
            continue
        if value_next and char in "<${#_":
            match = _TOKEN.match(text, position)
            if match is not None and len(tokens) < _MAX_TOKENS:
                out.append(text[start:position])
                width = match.end() - position
                out.append('"' + chr(_MARK + len(tokens)) + _FILL * (width - 3) + '"')
                if not tokens:
                    first = position
                tokens.append(match.group())
                position = start = match.end()
                value_next = False
                continue
        if not char.isspace():
            value_next = False
        position += 1
    if not tokens:
        return None
    out.append(text[start:])
    return Masked("".join(out), tokens, first)


def _string_end(text: str, position: int) -> int:
    """The offset after the JSON string that starts at ``position`` (or the end of its line)."""
    index = position + 1
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        if char == "\n":
            return index
        index += 1
    return length


def _with_tokens(data: JSON, tokens: list[str]) -> JSON:
    """``data`` with each masked string made the ``Token`` it stands for."""
    if isinstance(data, str):
        if data and _MARK <= ord(data[0]) < _MARK + len(tokens) and data[1:] == _FILL * (len(data) - 1):
            return placeholder_token(tokens[ord(data[0]) - _MARK])
        return data
    if isinstance(data, dict):
        return {key: _with_tokens(value, tokens) for key, value in data.items()}
    if isinstance(data, list):
        return [_with_tokens(value, tokens) for value in data]
    return data


def _kept(decoded: list[Located], parses: bool) -> list[Located]:
    """The decoding problems (a BOM), whose fixes stand only when the repaired text parses."""
    return decoded if parses else without_fixes(decoded)


def _parse_terraform(path: str, text: str, index: TextIndex, problems: list[Located]) -> ParsedFile:
    """A ``.tf`` file: its task definition resources, or why there are none (ECS013, ECS014).

    A file without resources is not "ok", so the engine reports the Terraform-specific ECS013
    that ``read_terraform`` built when the file was named, and skips it during a folder walk.
    """
    from ecslint.readers.terraform import INVALID_HCL, read_terraform

    found = read_terraform(path, text, index, _terraform_run_tasks)
    if any(problem.rule_id == INVALID_HCL for problem in found.problems):
        problems = without_fixes(problems)
    locator = found.documents[0].locator if found.documents else Locator(index, nodes={})
    parsed = ParsedFile(path, text, None, found.ok, [*problems, *found.problems], locator, index, "hcl")
    parsed.documents = found.documents if found.ok else None
    return parsed


def _terraform_run_tasks(*arguments: Any) -> list[Document]:
    """``tfscheduled.run_task_documents``, imported only for a ``.tf`` file that needs it."""
    from ecslint.readers.tfscheduled import run_task_documents

    return run_task_documents(*arguments)


def _looks_like_yaml(path: str, text: str) -> bool:
    lowered = path.lower()
    if lowered.endswith(YAML_SUFFIXES):
        return True
    if lowered.endswith(JSON_SUFFIXES):
        return False
    stripped = text.lstrip(" \t\r\n\ufeff")
    return not stripped.startswith(("{", "[", "\u201c", "\u201d"))


def documents(parsed: ParsedFile, *, fragment: bool = False) -> list[Document] | None:
    """The task definitions in a parsed file, or None when it holds none.

    ``fragment``: take any object as a (partial) register-task-definition input.
    """
    data = parsed.data
    if not parsed.ok or parsed.locator is None or parsed.index is None:
        return None
    if parsed.syntax == "hcl":
        return parsed.documents
    if isinstance(data, list):
        return _container_array(parsed, data)
    if not isinstance(data, dict):
        return None
    if not fragment and is_template(data):
        return _cloudformation(parsed, data)
    if not fragment and isinstance(data.get("States"), dict) and "StartAt" in data:
        return _state_machine(parsed, data)
    inner = data.get("taskDefinition")
    if isinstance(inner, dict) and not (TASK_KEYS & data.keys()):
        return [Document(parsed.path, inner, "describe", "/taskDefinition", parsed.locator, parsed.index)]
    if fragment or TASK_KEYS & data.keys():
        return [Document(parsed.path, data, "register", "", parsed.locator, parsed.index)]
    kind = usage_kind(data)
    if kind is not None:
        uses = data["taskDefinition"]
        return [Document(parsed.path, data, kind, "", parsed.locator, parsed.index, uses=str(uses))]
    if is_container_definition(data):
        return _container_array(parsed, [data], single=True)
    return None


# Members only an ECS container definition has (a Kubernetes or Compose container spells them
# otherwise): with "name" and "image", they make an object one container definition.
_CONTAINER_ONLY_KEYS = frozenset(
    {
        "essential",
        "portMappings",
        "memory",
        "memoryReservation",
        "logConfiguration",
        "environment",
        "secrets",
        "mountPoints",
        "healthCheck",
        "dependsOn",
        "firelensConfiguration",
        "repositoryCredentials",
        "readonlyRootFilesystem",
        "dockerLabels",
        "linuxParameters",
        "ulimits",
        "volumesFrom",
    }
)


# Members of the YAML lists other tools keep (Ansible's tasks and plays): a list whose items have
# them is not a list of container definitions, though its items have a "name".
_NOT_CONTAINER_KEYS = frozenset(
    {
        "hosts",
        "tasks",
        "roles",
        "become",
        "when",
        "register",
        "loop",
        "with_items",
        "notify",
        "handlers",
        "gather_facts",
        "import_playbook",
        "import_tasks",
        "include_tasks",
        "include_role",
        "import_role",
        "block",
        "ansible.builtin.shell",
        "ansible.builtin.command",
        "shell",
        "apt",
        "yum",
        "copy",
        "template",
        "service",
        "systemd",
        "debug",
    }
)


def is_container_definition(data: dict[str, JSON]) -> bool:
    """One container definition on its own, as Terraform users keep one per file and splice it into
    ``container_definitions`` with ``templatefile()``: "name", "image" and a member only ECS has."""
    return "name" in data and "image" in data and not _CONTAINER_ONLY_KEYS.isdisjoint(data)


# create-service / update-service input: the service's name; run-task / start-task input: what
# only a request that starts tasks has.
_SERVICE_KEYS = frozenset({"serviceName", "service"})
_RUN_TASK_KEYS = frozenset({"overrides", "containerInstances", "count", "startedBy"})
# Members of any such request, its task definition aside: a file holding them and no task
# definition is the input of another ECS request (update-service input without a new revision).
REQUEST_KEYS = _SERVICE_KEYS | {
    "overrides",
    "startedBy",
    "cluster",
    "desiredCount",
    "deploymentConfiguration",
    "forceNewDeployment",
    "healthCheckGracePeriodSeconds",
    "loadBalancers",
    "networkConfiguration",
    "capacityProviderStrategy",
    "launchType",
    "platformVersion",
    "serviceRegistries",
}


def usage_kind(data: dict[str, JSON]) -> str | None:
    """ "service" or "run-task" for the input of ``aws ecs create-service``/``update-service`` or
    ``run-task``/``start-task`` (``--cli-input-json``/``--cli-input-yaml``), recognised by content."""
    if not isinstance(data.get("taskDefinition"), str) or TASK_KEYS & data.keys():
        return None
    if _SERVICE_KEYS & data.keys():
        return "service"
    if _RUN_TASK_KEYS & data.keys():
        return "run-task"
    return None


def _container_array(parsed: ParsedFile, data: list[JSON], *, single: bool = False) -> list[Document] | None:
    """A bare list of container definitions, as Terraform's ``container_definitions`` reads it
    (``single``: the file holds the one container of ``data`` as an object, not in a list)."""
    if not data or not all(isinstance(item, dict) and ("image" in item or "name" in item) for item in data):
        return None
    items = [item for item in data if isinstance(item, dict)]
    if not any("image" in item or not _CONTAINER_ONLY_KEYS.isdisjoint(item) for item in items) or any(
        not _NOT_CONTAINER_KEYS.isdisjoint(item) for item in items
    ):
        return None  # a list of named things that are not containers: Ansible tasks and plays, say
    assert parsed.locator is not None and parsed.index is not None
    wrapped: dict[str, JSON] = {"containerDefinitions": data}
    renamed = {"": "", "/containerDefinitions": ""}
    if single:
        renamed["/containerDefinitions/0"] = ""
    return [Document(parsed.path, wrapped, "containers", "", parsed.locator, parsed.index, None, renamed)]


def _cloudformation(parsed: ParsedFile, template: dict[str, JSON]) -> list[Document] | None:
    assert parsed.locator is not None and parsed.index is not None
    found: list[Document] = []
    by_id: dict[str, Document] = {}
    for logical_id, base, properties in task_definitions(template):
        data, renamed = to_api(properties if properties is not None else {})
        if not isinstance(data, dict):
            data, renamed = {}, {"": ""}  # an intrinsic (Fn::If ...) for the whole Properties: nothing to check
        doc = Document(parsed.path, data, "cloudformation", base, parsed.locator, parsed.index, logical_id, renamed)
        found.append(doc)
        by_id[logical_id] = doc
    for logical_id, base, properties, task_id in services(template):
        data, renamed = to_api(properties)
        if isinstance(data, dict) and task_id in by_id:
            found.append(
                Document(
                    parsed.path,
                    data,
                    "service",
                    base,
                    parsed.locator,
                    parsed.index,
                    logical_id,
                    renamed,
                    by_id[task_id],
                )
            )
    if parsed.text is not None and any(kind in parsed.text for kind in _SCHEDULED_TYPES):
        from ecslint.readers.scheduled import cloudformation_run_tasks

        for run, run_task_id in cloudformation_run_tasks(template):
            found.append(_run_task(parsed, run, by_id.get(run_task_id) if run_task_id is not None else None))
    return found or None


# Resources that run tasks for the user (readers/scheduled.py, read only when a template has one).
_SCHEDULED_TYPES = (
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
    "AWS::Events::Rule",
    "AWS::Scheduler::Schedule",
)


def _state_machine(parsed: ParsedFile, data: dict[str, JSON]) -> list[Document] | None:
    """An Amazon States Language definition: its ECS run-task states."""
    if parsed.text is None or "ecs:runTask" not in parsed.text:
        return None
    from ecslint.readers.scheduled import run_task_states

    return [_run_task(parsed, run, None) for run in run_task_states(data, "")] or None


def _run_task(parsed: ParsedFile, run: RunTask, task: Document | None) -> Document:
    assert parsed.locator is not None and parsed.index is not None
    reference = run.reference
    uses = reference if task is None and isinstance(reference, str) and not is_unknown(reference) else None
    return Document(
        parsed.path, run.data, "run-task", run.base, parsed.locator, parsed.index, run.label, run.renamed, task, uses
    )


def mentions_task_definition(parsed: ParsedFile) -> bool:
    """Whether a file that failed to parse looks like it was meant to be a task definition."""
    if parsed.text is None:
        return False
    text = parsed.text
    if parsed.syntax == "hcl":
        return _TERRAFORM_RESOURCE.search(text) is not None and not _not_a_task_definition(parsed)
    return any(word in text for word in _TASK_WORDS) or ("family" in text and "image" in text)


def _not_a_task_definition(parsed: ParsedFile) -> bool:
    return any(problem.rule_id == "ECS013" for problem in parsed.problems)
