"""Safe YAML loading with ruamel.yaml; never constructs arbitrary Python objects."""

from __future__ import annotations

import re
from typing import Any

from ecslint.core.errors import RuleFileError

# ruamel.yaml reads YAML 1.1 and 1.2; another ``%YAML`` version escapes its parser as an
# AssertionError or a KeyError instead of a YAML error (ruamel.yaml 0.19).
LIBRARY_FAILURES = (AssertionError, KeyError)
# How many values a YAML file may hold once its aliases are expanded ("billion laughs").
NODE_BUDGET = 500_000
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
        data = safe_yaml().load(text)
    except RecursionError:
        raise RuleFileError(f"{source}: invalid YAML: nested too deeply to read") from None
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
    except (ValueError, TypeError, OverflowError, AttributeError):  # a tagged value ruamel cannot build: !!int 0x
        line, column, value = _unbuildable(text)
        raise RuleFileError(f"{source}:{line}:{column}: invalid YAML: cannot read the value {value}") from None
    size = expanded_size(data)
    if size is None or size > NODE_BUDGET:
        line, column = _bomb_position(text)
        reason = f"aliases expand to more than {NODE_BUDGET:,} nodes" if size else "an alias refers to its own parent"
        raise RuleFileError(f"{source}:{line}:{column}: invalid YAML: {reason}") from None
    return data


def _unbuildable(text: str) -> tuple[int, int, str]:
    """(line, column, the value as written) of the first scalar the safe constructor fails on."""
    yaml = safe_yaml()
    try:
        stack = [yaml.compose(text)]
        while stack:
            node = stack.pop()
            if node is None:
                continue
            if node.id == "scalar":
                try:
                    yaml.constructor.construct_object(node, deep=True)
                except Exception:
                    mark = node.start_mark
                    return mark.line + 1, mark.column + 1, repr(str(node.value)[:40])
            elif node.id == "sequence":
                stack.extend(reversed(node.value))
            else:
                stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
    except Exception:  # only looking for a position: the error itself is already known
        pass
    return 1, 1, "(the reader failed)"


def expanded_size(data: Any) -> int | None:
    """How many values ``data`` holds once every alias is expanded (a shared list counts at each
    use), or None when an alias refers to a node that contains it (the data would be infinite).

    Linear in the distinct objects: each list or mapping is sized once, then its size is reused.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    if not isinstance(data, (list, dict)):
        return 1
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        item, children_done = stack.pop()
        children = list(item.values()) if isinstance(item, dict) else item
        if children_done:
            open_.discard(id(item))
            sizes[id(item)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            continue
        if id(item) in sizes:
            continue
        if id(item) in open_:
            return None
        open_.add(id(item))
        stack.append((item, True))
        stack.extend((child, False) for child in children if isinstance(child, (list, dict)))
    return sizes.get(id(data), 1)


def _bomb_position(text: str) -> tuple[int, int]:
    """Where the expansion passes the budget: the first node whose own size does, though no child's does."""
    from ruamel.yaml.error import YAMLError

    try:
        node = safe_yaml().compose(text)
    except (YAMLError, RecursionError, *LIBRARY_FAILURES):
        return (1, 1)
    sizes: dict[int, int] = {}

    def size(current: Any) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        sizes[id(current)] = 1
        if current.id == "sequence":
            total = 1 + sum(size(child) for child in current.value)
        elif current.id == "mapping":
            total = 1 + sum(size(key) + size(value) for key, value in current.value)
        else:
            total = 1
        sizes[id(current)] = total
        return total

    try:
        return _over_budget(node, size)
    except RecursionError:
        return (1, 1)


def _over_budget(node: Any, size: Any) -> tuple[int, int]:
    while node is not None and node.id in ("sequence", "mapping"):
        children = node.value if node.id == "sequence" else [part for pair in node.value for part in pair]
        over = next((child for child in children if size(child) > NODE_BUDGET), None)
        if over is None:
            break
        node = over
    mark = node.start_mark if node is not None else None
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


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
