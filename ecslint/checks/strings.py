"""Every string a task definition's author wrote, walked once for the checks that read them all.

Four checks look at every string: placeholders (ECS304), template variables (ECS305),
account ids (ECS306) and hard-coded credentials (ECS610).  Each used to walk the document
and run its own regular expressions on every string; now one walk gives each string its
pointer, the kind of field it sits in and its template variables, and two searches over
all the strings joined together tell whether any string holds a template variable or
anything shaped like a credential at all (in a clean definition, none does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecslint.checks.identifiers import Span, template_spans
from ecslint.core.pointer import escape
from ecslint.core.taskdef import READ_ONLY_FIELDS, TEMPLATE_VARIABLE, TaskDef, is_intrinsic

# The kinds of field that change what a string must look like.
IMAGE = "image"
AWSLOGS_REGION = "awslogs-region"
REFERENCE = "reference"  # an ARN or a name AWS resolves, even when it does not start with "arn:"
SHELL = "shell"  # run through a shell, which expands $VAR and ${VAR} itself
SIZE = "size"  # task cpu and memory: a number of units, or "1 vCPU" / "2 GB"
# a name or an enum RegisterTaskDefinition checks ("Family contains invalid characters.", an enum's values)
CHECKED = "checked"
OTHER = "other"

_FIELD = re.compile(
    r"^/(?:(?P<reference>taskRoleArn|executionRoleArn)|(?P<size>cpu|memory)"
    r"|(?P<checked>family|networkMode|pidMode|ipcMode|requiresCompatibilities/\d+"
    r"|runtimePlatform/(?:cpuArchitecture|operatingSystemFamily))"
    r"|containerDefinitions/\d+/(?:(?P<image>image)"
    r"|(?P<checked_c>name|portMappings/\d+/(?:name|protocol|appProtocol)|logConfiguration/logDriver"
    r"|logConfiguration/options/awslogs-group)"
    r"|(?P<region>logConfiguration/options/awslogs-region)"
    r"|(?P<reference_c>secrets/\d+/valueFrom|logConfiguration/secretOptions/\d+/valueFrom"
    r"|repositoryCredentials/credentialsParameter|environmentFiles/\d+/value)"
    r"|(?P<shell>(?:command|entryPoint|healthCheck/command)/\d+)))$"
)
_KINDS = {
    "reference": REFERENCE,
    "reference_c": REFERENCE,
    "image": IMAGE,
    "region": AWSLOGS_REGION,
    "shell": SHELL,
    "size": SIZE,
    "checked": CHECKED,
    "checked_c": CHECKED,
}
_FIELD_PREFIXES = (
    "/containerDefinitions/",
    "/taskRole",
    "/execution",
    "/cpu",
    "/memory",
    "/family",
    "/networkMode",
    "/pidMode",
    "/ipcMode",
    "/requiresCompatibilities/",
    "/runtimePlatform/",
)

# Every credential pattern of ECS610 contains one of these literals.
CREDENTIAL_HINT = re.compile(r"AKIA|ASIA|PRIVATE KEY|gh[pousr]_|github_pat_|xox[abposr]-")
# Joins the strings for the document-wide searches: neither pattern matches across it, and it
# ends a word as the end of a string does.
_SEPARATOR = "\x00"
# A tuple, not ``str | dict | list``: isinstance builds that union at every call (3 times slower).
_NODES = (str, dict, list)


class UserString:
    """One string of the task definition, with what the string-reading checks ask of it."""

    __slots__ = ("field", "pointer", "template", "value")

    def __init__(self, pointer: str, value: str, template: list[Span]) -> None:
        self.pointer = pointer
        self.value = value
        self.template = template  # spans of template variables ($VAR, {{ var }}, ...)
        match = _FIELD.match(pointer) if pointer.startswith(_FIELD_PREFIXES) else None
        self.field = _KINDS[match.lastgroup] if match is not None and match.lastgroup else OTHER

    @property
    def unknown(self) -> bool:
        """Only known at deploy time (it holds a template variable): no rule judges it."""
        return bool(self.template)


class UserStrings:
    """The strings of one task definition and what holds for all of them."""

    __slots__ = ("items", "may_hold_credentials")

    def __init__(self, td: TaskDef) -> None:
        found = _walk(td)
        joined = _SEPARATOR.join(value for _, value in found)
        any_template = TEMPLATE_VARIABLE.search(joined) is not None
        self.items = [UserString(p, v, template_spans(v) if any_template else []) for p, v in found]
        self.may_hold_credentials = CREDENTIAL_HINT.search(joined) is not None

    def __iter__(self) -> Iterator[UserString]:
        return iter(self.items)


def user_strings(td: TaskDef) -> UserStrings:
    """Every string the user wrote: all but the read-only fields of describe output (walked once per task)."""
    return td.memo("user_strings", lambda: UserStrings(td))


def _walk(td: TaskDef) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for key, value in td.data.items():
        if key not in READ_ONLY_FIELDS:
            _collect(value, "/" + escape(key), found)
    return found


def _collect(value: object, pointer: str, found: list[tuple[str, str]]) -> None:
    """(pointer, string) for every string under ``value``, in document order (CloudFormation
    intrinsics skipped); appends rather than yields: a generator per node costs twice as much."""
    if isinstance(value, str):
        found.append((pointer, value))
    elif isinstance(value, dict):
        if is_intrinsic(value):
            return
        for key, item in value.items():
            if isinstance(item, _NODES) and isinstance(key, str):
                _collect(item, pointer + "/" + (escape(key) if "~" in key or "/" in key else key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, _NODES):
                _collect(item, f"{pointer}/{index}", found)
