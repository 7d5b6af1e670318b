"""Inline suppressions: a comment in YAML, a tag where comments are impossible (JSON).

- YAML and CloudFormation YAML: ``# ecslint: ignore[ECS210, latest-image-tag]`` at the end
  of the line a finding starts on, or on a line of its own directly above it (blank lines
  and other comment lines in between are skipped).  Terraform: the same, with ``#`` or ``//``.
- Any source, JSON included: a task-definition tag ``{"key": "ecslint:ignore", "value":
  "ECS210 ECS304"}`` (``Key``/``Value`` in CloudFormation ``Tags``; ``"ecslint:ignore" =
  "ECS210"`` in a Terraform resource's ``tags``) suppresses those rules for the whole task
  definition.

Rules are named by id or name.  A suppression that suppresses nothing is reported as
``unused-suppression`` when that rule is enabled (``--report-unused-ignores``).
"""

from __future__ import annotations

import re

from ecslint.core.model import JSON
from ecslint.core.pointer import join

TAG_KEY = "ecslint:ignore"
_COMMENT = re.compile(r"(?:^|[ \t])(?P<comment>#[ \t]*ecslint:[ \t]*ignore\[(?P<rules>[^\]\n]*)\])")
# HCL has two line comments, ``#`` and ``//``
_HCL_COMMENT = re.compile(r"(?:^|[ \t])(?P<comment>(?:#|//)[ \t]*ecslint:[ \t]*ignore\[(?P<rules>[^\]\n]*)\])")
_LIST = re.compile(r"[\s,]+")


class Suppression:
    """``rules``: ids or names, as written; ``line``: the line it covers (a comment), or None
    (a tag: the whole ``scope``, a pointer prefix, "" the whole file).  Where the suppression
    itself is written: ``comment_at`` (line, column, length) or a tag's ``tag_pointer``.
    ``used``: the entries of ``rules`` that suppressed a finding."""

    __slots__ = ("comment_at", "line", "rules", "scope", "tag_pointer", "used")

    def __init__(
        self,
        rules: tuple[str, ...],
        line: int | None,
        scope: str,
        comment_at: tuple[int, int, int] | None = None,
        tag_pointer: str | None = None,
    ) -> None:
        self.rules = rules
        self.line = line
        self.scope = scope
        self.comment_at = comment_at
        self.tag_pointer = tag_pointer
        self.used: set[str] = set()

    def covers(self, line: int | None, pointer: str) -> bool:
        if self.line is not None:
            return line == self.line
        return pointer == self.scope or pointer.startswith(self.scope + "/") or self.scope == ""


def split_rules(text: str) -> tuple[str, ...]:
    return tuple(part for part in _LIST.split(text.strip()) if part)


def from_comments(text: str, *, hcl: bool = False) -> list[Suppression]:
    """Every ``# ecslint: ignore[...]`` comment in a YAML text (or, ``hcl``, a ``#`` or ``//``
    comment in a Terraform file), with the line it covers.

    One pass: a comment on a line of its own waits for the next line with content, which
    settles every comment waiting (a thousand comments above one line are not each followed
    down to it)."""
    if "ecslint" not in text:
        return []
    pattern = _HCL_COMMENT if hcl else _COMMENT
    comment_starts = ("#", "//") if hcl else ("#",)
    found: list[Suppression] = []
    waiting: list[Suppression] = []
    for number, line in enumerate(text.splitlines(), 1):
        if waiting:
            content = line.strip()
            if content and not content.startswith(comment_starts):
                for suppression in waiting:
                    suppression.line = number
                waiting.clear()
        if "ecslint" not in line:
            continue
        # a match ends with "]": searching no further than the last one keeps a line of many
        # unclosed "# ecslint: ignore[" from reading the rest of the line once for each
        match = pattern.search(line, 0, line.rfind("]") + 1)
        if match is None:
            continue
        column = match.start("comment") + 1
        own_line = not line[: match.start("comment")].strip()
        at = (number, column, len(match.group("comment")))
        suppression = Suppression(split_rules(match["rules"]), None if own_line else number, "", comment_at=at)
        found.append(suppression)
        if own_line:
            waiting.append(suppression)
    return found


def from_tags(data: JSON) -> list[Suppression]:
    """``ecslint:ignore`` tags of the task definition(s) in ``data``."""
    if not isinstance(data, dict):
        return []
    found: list[Suppression] = []
    found += _tags(data.get("tags"), "/tags", "", "key", "value")
    inner = data.get("taskDefinition")
    if isinstance(inner, dict):
        found += _tags(inner.get("tags"), "/taskDefinition/tags", "", "key", "value")
    resources = data.get("Resources")
    if isinstance(resources, dict):
        for logical_id, resource in resources.items():
            properties = resource.get("Properties") if isinstance(resource, dict) else None
            if isinstance(properties, dict):
                base = join("/Resources", logical_id)
                found += _tags(properties.get("Tags"), base + "/Properties/Tags", base, "Key", "Value")
    return found


def from_terraform_tags(data: JSON, base: str) -> list[Suppression]:
    """The ``ecslint:ignore`` tag of one Terraform task definition resource at ``base``: the
    reader gives its ``tags`` map as the API's list, the file has it as a map key."""
    if not isinstance(data, dict):
        return []
    return [
        Suppression(found.rules, None, base, tag_pointer=join(base + "/tags", TAG_KEY))
        for found in _tags(data.get("tags"), "", base, "key", "value")
    ]


def _tags(tags: JSON, pointer: str, scope: str, key: str, value: str) -> list[Suppression]:
    if not isinstance(tags, list):
        return []
    found: list[Suppression] = []
    for index, tag in enumerate(tags):
        if isinstance(tag, dict) and tag.get(key) == TAG_KEY and isinstance(tag.get(value), str):
            text = tag[value]
            assert isinstance(text, str)
            found.append(Suppression(split_rules(text), None, scope, tag_pointer=f"{pointer}/{index}/{value}"))
    return found
