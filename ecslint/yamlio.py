"""Safe YAML loading with ruamel.yaml; never constructs arbitrary Python objects."""

from __future__ import annotations

from typing import Any

from ecslint.errors import RuleFileError


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
