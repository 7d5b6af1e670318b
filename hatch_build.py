"""Build hook: compile the rule catalogue (rules/**/*.yaml) into one JSON file in the wheel.

Parsing some eighty YAML files costs an installed ecslint about 100 ms at every start; the
wheel ships ``ecslint/_data/catalogue.json`` instead, read in a few milliseconds.  Source
checkouts and editable installs read the YAML files directly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogue(rules: Path) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    entries = []
    for path in sorted(rules.rglob("*.yaml")):
        entries.append(
            {"source": path.relative_to(rules.parent).as_posix(), "rule": yaml.load(path.read_text("utf-8"))}
        )
    return entries


class CatalogueBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        output = root / "build" / "catalogue.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(compile_catalogue(root / "rules"), ensure_ascii=False, sort_keys=True), "utf-8")
        build_data["force_include"][str(output)] = "ecslint/_data/catalogue.json"
