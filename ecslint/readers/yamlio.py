"""Safe YAML loading with ruamel.yaml; never constructs arbitrary Python objects."""

from __future__ import annotations

import re
from typing import Any

from ecslint.core.errors import RuleFileError

# ruamel.yaml reads YAML 1.1 and 1.2; another ``%YAML`` version escapes its parser as an
# AssertionError or a KeyError instead of a YAML error (ruamel.yaml 0.19).
LIBRARY_FAILURES = (AssertionError, KeyError)
_VERSION_DIRECTIVE = re.compile(r"^%YAML[ \t]+([0-9]+)\.([0-9]+)", re.MULTILINE)


def library_failure(text: str, error: Exception) -> tuple[int, str]:
    """(offset, reason) for an exception in ``LIBRARY_FAILURES`` that ruamel.yaml raised on ``text``."""
    for match in _VERSION_DIRECTIVE.finditer(text):
        version = (int(match.group(1)), int(match.group(2)))
        if version not in ((1, 1), (1, 2)):
            number = f"{match.group(1)}.{match.group(2)}"
            return match.start(), f"unsupported YAML version %YAML {number} (YAML 1.1 and 1.2 can be read)"
    return 0, f"the YAML reader failed ({type(error).__name__}: {error})"


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def safe_yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    return yaml


def load_yaml_text(text: str, source: str) -> Any:
    """Parse trusted-shape YAML (rule files, config); errors become ``RuleFileError`` with a position."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return safe_yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise RuleFileError(f"{where}: invalid YAML: {error.problem or error.context}") from None
    except YAMLError as error:
        raise RuleFileError(f"{source}: invalid YAML: {error}") from None
    except LIBRARY_FAILURES as error:
        offset, reason = library_failure(text, error)
        line, column = _line_column(text, offset)
        raise RuleFileError(f"{source}:{line}:{column}: invalid YAML: {reason}") from None


def node_position(text: str, path: tuple[str | int, ...]) -> tuple[int, int]:
    """1-based (line, column) of the key at ``path`` (or the item, for a list index) in ``text``.

    Walks as far down ``path`` as the document goes; ``(1, 1)`` when nothing can be found.
    """
    from ruamel.yaml.error import YAMLError

    try:
        node = safe_yaml().compose(text)
    except (YAMLError, *LIBRARY_FAILURES):
        return (1, 1)
    return node_mark(node, path)


def node_mark(root: Any, path: tuple[str | int, ...], *, at_value: bool = False, last: bool = True) -> tuple[int, int]:
    """1-based (line, column) of the key (or, with ``at_value``, the value) at ``path`` below a
    composed ``root`` node; a repeated key is its ``last`` occurrence, or its first."""
    if root is None:
        return (1, 1)
    node, mark = root, root.start_mark
    for step in path:
        if node.id == "mapping":
            pairs = [(k, v) for k, v in node.value if k.id == "scalar" and str(k.value) == str(step)]
            if not pairs:
                break
            key_node, node = pairs[-1] if last else pairs[0]
            mark = node.start_mark if at_value else key_node.start_mark
        elif node.id == "sequence" and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1)
