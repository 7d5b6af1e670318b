"""Safe YAML loading with ruamel.yaml; never constructs arbitrary Python objects."""

from __future__ import annotations

from typing import Any

from ecslint.core.errors import RuleFileError


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


def node_position(text: str, path: tuple[str | int, ...]) -> tuple[int, int]:
    """1-based (line, column) of the key at ``path`` (or the item, for a list index) in ``text``.

    Walks as far down ``path`` as the document goes; ``(1, 1)`` when nothing can be found.
    """
    from ruamel.yaml.error import YAMLError

    try:
        node = safe_yaml().compose(text)
    except YAMLError:
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
