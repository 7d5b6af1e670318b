"""``ecslint config --show``: the effective configuration, as TOML (a valid ``.ecslint.toml``) or JSON."""

from __future__ import annotations

import json
import re

from ecslint.config.settings import Config, RuleRef

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def as_data(config: Config) -> dict[str, object]:
    """Setting name -> effective value, in the file's own spelling."""
    layer = config.layers[-1] if config.layers else None

    def keys(refs: tuple[RuleRef, ...]) -> list[str]:
        return [ref.key for ref in refs]

    data: dict[str, object] = {}
    if layer is not None and layer.select is not None:
        data["select"] = keys(layer.select)
    data["extend-select"] = keys(layer.extend_select) if layer else []
    data["ignore"] = keys(layer.ignore) if layer else []
    data["fail-on"] = config.fail_on
    data["format"] = config.format
    data["include"] = list(config.include)
    data["exclude"] = list(config.exclude)
    data["force-exclude"] = config.force_exclude
    data["rules-dirs"] = [str(path) for path in config.rules_dirs]
    if config.baseline is not None:
        data["baseline"] = str(config.baseline)
    data["report-unused-ignores"] = config.report_unused_ignores
    data["per-file-ignores"] = {pattern: keys(refs) for pattern, refs in config.per_file_ignores}
    data["severity"] = {ref.key: severity.label for ref, severity in config.severity}
    options: dict[str, dict[str, object]] = {}
    for entry in config.rule_options:
        options.setdefault(entry.rule.key, {})[entry.option] = entry.value
    data["rules"] = options
    if config.target is not None:
        data["target"] = config.target
    if config.variables:
        data["variables"] = {name: True if value is None else value for name, value in config.variables}
    return data


def render(config: Config, output_format: str = "toml") -> str:
    data = as_data(config)
    source = str(config.path) if config.path is not None else None
    if output_format == "json":
        return json.dumps({"source": source, "settings": data}, indent=2, ensure_ascii=False) + "\n"
    lines = [f"# ecslint configuration from {source}" if source else "# no configuration file found: the defaults"]
    if "select" not in data:
        lines.append("# select: not set, so every rule except the opt-in ones")
    tables: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables += _table(key, value)
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    return "\n".join([*lines, *tables]) + "\n"


def _table(name: str, value: dict[str, object]) -> list[str]:
    if all(isinstance(item, dict) for item in value.values()) and value:
        lines: list[str] = []
        for key, inner in value.items():
            assert isinstance(inner, dict)
            lines += ["", f"[{name}.{_key(key)}]", *(f"{_key(k)} = {_value(v)}" for k, v in inner.items())]
        return lines
    return ["", f"[{name}]", *(f"{_key(key)} = {_value(item)}" for key, item in value.items())]


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + "}"
    return '""'
