"""Build hook: compile the rule catalogue (rules/**/*.yaml) into one JSON file in the wheel.

Parsing some eighty YAML files costs an installed ecslint about 100 ms at every start; the
wheel ships ``ecslint/_data/catalogue.json`` instead, read in a few milliseconds, and the Rule
records built from it, pickled (``catalogue.pickle``), so a start builds none; and the manifest
of the Python checks (``checks.json``: which module registers each), so a start imports only the
check modules it needs.  Source checkouts
and editable installs read the YAML files directly.
"""

from __future__ import annotations

import json
import sys
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
        text = json.dumps(compile_catalogue(root / "rules"), ensure_ascii=False, sort_keys=True)
        output.write_text(text, "utf-8")
        build_data["force_include"][str(output)] = "ecslint/_data/catalogue.json"
        # Both are for speed only: an ecslint without them reads catalogue.json and imports every
        # check module, so a failure here (a check module that needs a package the build lacks)
        # costs start-up time, not the build.
        try:
            pickled = root / "build" / "catalogue.pickle"
            pickled.write_bytes(compile_rules(root, json.loads(text)))
            build_data["force_include"][str(pickled)] = "ecslint/_data/catalogue.pickle"
        except Exception as error:
            self.app.display_warning(f"catalogue.pickle not built ({type(error).__name__}: {error})")
        try:
            checks = root / "build" / "checks.json"
            checks.write_text(json.dumps(check_manifest(root), sort_keys=True), "utf-8")
            build_data["force_include"][str(checks)] = "ecslint/_data/checks.json"
        except Exception as error:
            self.app.display_warning(f"checks.json not built ({type(error).__name__}: {error})")


def compile_rules(root: Path, entries: list[dict[str, Any]]) -> bytes:
    """The Rule records of the JSON catalogue, pickled by the source tree's own ecslint (built from
    the JSON text, so they equal what an installed ecslint builds from ``catalogue.json``)."""
    sys.path.insert(0, str(root))
    try:
        from ecslint.catalogue.entries import compile_rules as pickle_rules

        return pickle_rules((str(entry["source"]), entry["rule"]) for entry in entries)
    finally:
        sys.path.remove(str(root))


def check_manifest(root: Path) -> dict[str, Any]:
    """Which module registers each built-in check, its kind and trigger (``ecslint.checks.manifest``):
    an installed ecslint imports only the check modules a run needs."""
    sys.path.insert(0, str(root))
    try:
        from ecslint.checks import manifest

        return manifest()
    finally:
        sys.path.remove(str(root))
