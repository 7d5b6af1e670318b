"""hatch_build.py, run here without hatchling (a stub stands in for its base class): what it puts
in the wheel, and a build that goes on, slower to start, when the compiled extras cannot be made."""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


class _App:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def display_warning(self, message: str) -> None:
        self.warnings.append(message)


def _hook_class(monkeypatch: pytest.MonkeyPatch) -> Any:
    interface = types.ModuleType("hatchling.builders.hooks.plugin.interface")

    class BuildHookInterface:
        def __init__(self, root: str, target_name: str) -> None:
            self.root, self.target_name, self.app = root, target_name, _App()

    interface.BuildHookInterface = BuildHookInterface  # type: ignore[attr-defined]
    for name in ("hatchling", "hatchling.builders", "hatchling.builders.hooks", "hatchling.builders.hooks.plugin"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, interface.__name__, interface)
    spec = importlib.util.spec_from_file_location("hatch_build_under_test", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(tmp_path: Path) -> str:
    """A source tree whose build/ folder is a scratch one: the checkout's rules and package."""
    for name in ("rules", "ecslint"):
        (tmp_path / name).symlink_to(ROOT / name)
    return str(tmp_path)


def test_the_wheel_gets_the_json_catalogue_the_pickled_rules_and_the_check_manifest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ecslint import checks
    from ecslint.catalogue.entries import builtin, load_compiled_rules

    module = _hook_class(monkeypatch)
    hook = module.CatalogueBuildHook(_tree(tmp_path), "wheel")
    build_data: dict[str, Any] = {"force_include": {}}
    hook.initialize("standard", build_data)
    included = {target: Path(source) for source, target in build_data["force_include"].items()}
    assert set(included) == {f"ecslint/_data/{name}" for name in ("catalogue.json", "catalogue.pickle", "checks.json")}
    assert hook.app.warnings == []
    rules = load_compiled_rules(included["ecslint/_data/catalogue.pickle"])
    assert rules is not None and sorted(rule.id for rule in rules) == [rule.id for rule in builtin()]
    assert json.loads(included["ecslint/_data/checks.json"].read_text()) == checks.manifest()


def test_a_build_goes_on_without_the_compiled_extras(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    module = _hook_class(monkeypatch)

    def broken(*args: object) -> object:
        raise ImportError("No module named 'needed_by_a_check'")

    monkeypatch.setattr(module, "compile_rules", broken)
    monkeypatch.setattr(module, "check_manifest", broken)
    hook = module.CatalogueBuildHook(_tree(tmp_path), "wheel")
    build_data: dict[str, Any] = {"force_include": {}}
    hook.initialize("standard", build_data)
    assert list(build_data["force_include"].values()) == ["ecslint/_data/catalogue.json"]
    assert [warning.split(" (")[0] for warning in hook.app.warnings] == [
        "catalogue.pickle not built",
        "checks.json not built",
    ]
