"""What a start of ``ecslint check`` loads, counted rather than timed (docs/benchmarks.md has the times).

An installed wheel carries data compiled at build time (hatch_build.py): the Rule records
pickled (``catalogue.pickle``) and the manifest of the Python checks (``checks.json``: which
module registers each check, its kind and trigger).  A source checkout has neither, so these
tests write both into a temporary folder and point ``ecslint.core.data.compiled_file`` at it,
in a fresh interpreter, as a wheel would find them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from ecslint import checks
from ecslint.catalogue.entries import COMPILED_RULES, compile_rules
from tests.test_rulecache import _wheel_entries

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "examples" / "fargate-web.json"
# ecslint modules a check of one clean task definition imports, as a wheel: 60 on main before
# this count was pinned (42 at 845455a, before the layout's packages and the new readers).
MAX_MODULES = 57

# Run ``main(argv)`` as a wheel would (its compiled data in argv[1]); print the ecslint modules loaded.
_AS_A_WHEEL = """
import json, sys
from collections.abc import Mapping
from pathlib import Path
import ecslint.core.data as data
compiled = Path(sys.argv[1])
data.compiled_file = lambda name: (compiled / name) if (compiled / name).is_file() else None
from ecslint.cli.main import main
code = main(sys.argv[2:])
modules = sorted(m for m in sys.modules if m.split(".")[0] == "ecslint")
toml = sys.modules["ecslint.config.files"]._toml_keys.cache_info().currsize if "ecslint.config.files" in modules else 0
print(json.dumps({"code": code, "modules": modules, "toml_patterns_compiled": toml}))
"""


def _python(code: str, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What hatch_build.py puts in the wheel's ecslint/_data, made from this checkout."""
    folder = tmp_path_factory.mktemp("data")
    (folder / COMPILED_RULES).write_bytes(compile_rules(_wheel_entries()))
    (folder / checks.MANIFEST).write_text(_python("import json, ecslint.checks as c; print(json.dumps(c.manifest()))"))
    return folder


def _as_a_wheel(compiled: Path, *argv: str) -> tuple[int, list[str]]:
    answer = json.loads(_python(_AS_A_WHEEL, str(compiled), *argv).splitlines()[-1])
    assert answer["toml_patterns_compiled"] == 0  # compiled only to read a TOML configuration
    return answer["code"], answer["modules"]


def test_checking_one_clean_task_definition_imports_few_modules(compiled: Path, tmp_path: Path) -> None:
    lone = tmp_path / CLEAN.name  # outside a repository: no workflow or other evidence to read
    lone.write_bytes(CLEAN.read_bytes())
    out = str(tmp_path / "r")
    code, modules = _as_a_wheel(compiled, "check", "--no-config", "--format", "json", "-o", out, str(lone))
    assert code == 0 and json.loads((tmp_path / "r").read_text())["findings"] == []
    assert len(modules) <= MAX_MODULES, modules
    # nothing a lone task definition does not need: no usage or account check, no language
    # server, no reporter but the one selected, no YAML, Terraform or CloudFormation template reader
    unneeded = {
        "ecslint.checks.services",
        "ecslint.checks.runtasks",
        "ecslint.checks.account",
        "ecslint.account",
        "ecslint.account.aws",
        "ecslint.lsp",
        "ecslint.api",
        "ecslint.reporters.text",
        "ecslint.reporters.sarif",
        "ecslint.catalogue.cache",
        "ecslint.readers.yamlsource",
        "ecslint.readers.terraform",
        "ecslint.readers.evidence",
    }
    assert unneeded.isdisjoint(modules), unneeded & set(modules)


def test_a_run_that_selects_one_rule_imports_the_check_modules_of_that_rule(compiled: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "r")
    code, modules = _as_a_wheel(compiled, "check", "--no-config", "--select", "ECS101", "-o", out, str(CLEAN))
    assert code == 0
    # the check of ECS101 is in fargate (which imports network): no other area's module
    assert "ecslint.checks.fargate" in modules
    others = {"compute", "containers", "references", "secrets", "logging", "health", "security", "services"}
    assert not {f"ecslint.checks.{name}" for name in others} & set(modules)


def test_without_compiled_data_every_built_in_check_module_is_imported(tmp_path: Path) -> None:
    """A source checkout (no manifest) imports every check module at the first lookup, as before."""
    code, modules = _as_a_wheel(
        tmp_path, "check", "--no-config", "--format", "json", "-o", str(tmp_path / "r"), str(CLEAN)
    )
    assert code == 0
    assert {"ecslint.checks.services", "ecslint.checks.account"} <= set(modules)


def test_the_manifest_matches_the_sources() -> None:
    """Each module the manifest names registers, imported alone, the checks it lists, of the kind
    and with the trigger it says; every built-in check is listed."""
    manifest = checks.manifest()
    registries: dict[str, Mapping[str, object]] = {
        "task": checks.registered(),
        "usage": checks.registered_usages(),
        "account": checks.registered_accounts(),
    }
    assert set(manifest) == {name for registry in registries.values() for name in registry}
    for name, entry in manifest.items():
        assert name in registries[entry["kind"]]
        trigger = checks.trigger(name)
        assert (entry["task"], entry["container"]) == (
            (sorted(trigger.task), sorted(trigger.container)) if trigger is not None else ([], [])
        )
        assert entry["needs_task"] == (entry["kind"] != "usage" or checks.usage_needs_task(name))
    alone = (
        "import json, sys, importlib, ecslint.checks.registry as r; importlib.import_module(sys.argv[1]); "
        "print(json.dumps(sorted([*r._REGISTRY, *r._USAGE_REGISTRY, *r._ACCOUNT_REGISTRY])))"
    )
    for module in sorted({entry["module"] for entry in manifest.values()}):
        registered_alone = set(json.loads(_python(alone, module)))
        assert {name for name, entry in manifest.items() if entry["module"] == module} <= registered_alone, module


_LOOKUPS = """
import json, sys
from collections.abc import Mapping
from pathlib import Path
import ecslint.core.data as data
compiled = Path(sys.argv[1])
data.compiled_file = lambda name: (compiled / name) if (compiled / name).is_file() else None
from ecslint import checks
def describe(name):
    found = [checks.get(name), checks.get_usage(name), checks.get_account(name)]
    trigger = checks.trigger(name)
    return [
        checks.kind(name),
        [f"{f.__module__}.{f.__qualname__}" if f is not None else None for f in found],
        [sorted(trigger.task), sorted(trigger.container)] if trigger is not None else None,
        checks.usage_needs_task(name),
    ]
names = sys.argv[2:]
first = describe(names[0])
loaded = sorted(m for m in sys.modules if m.startswith("ecslint.checks."))
print(json.dumps({"first": first, "loaded": loaded, "all": {name: describe(name) for name in names}}))
"""


def test_lookups_through_the_manifest_give_what_the_full_registry_gives(compiled: Path, tmp_path: Path) -> None:
    names = sorted(checks.manifest())
    first = next(name for name in names if checks.kind(name) == "task")
    names.remove(first)
    full = json.loads(_python(_LOOKUPS, str(tmp_path), first, *names, "no-such-check"))  # no manifest
    lazy = json.loads(_python(_LOOKUPS, str(compiled), first, *names, "no-such-check"))
    assert lazy["all"] == full["all"]
    assert full["all"]["no-such-check"] == [None, [None, None, None], None, True]
    assert lazy["first"] == full["first"]
    function = checks.get(first)
    assert function is not None
    module = function.__module__
    assert module in lazy["loaded"] and "ecslint.checks.services" not in lazy["loaded"]
    assert "ecslint.checks.services" in full["loaded"]


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        '{"missing_fargate_task_size": {"module": "os", "kind": "task", "needs_task": true, '
        '"task": [], "container": []}}',
        '{"missing_fargate_task_size": {"module": "ecslint.checks.health", "kind": "task", "needs_task": true, '
        '"task": [], "container": []}}',
    ],
    ids=["broken", "foreign-module", "wrong-module"],
)
def test_a_broken_or_wrong_manifest_costs_time_not_findings(manifest: str, tmp_path: Path) -> None:
    (tmp_path / checks.MANIFEST).write_text(manifest)
    answer = json.loads(_python(_LOOKUPS, str(tmp_path), "missing_fargate_task_size", "service_container_missing"))
    expected = json.loads(
        _python(_LOOKUPS, str(tmp_path / "none"), "missing_fargate_task_size", "service_container_missing")
    )
    assert answer["all"] == expected["all"]
    assert answer["all"]["missing_fargate_task_size"][1][0] is not None


_COLLECTOR = """
import gc, json, sys
from ecslint.cli.main import main
in_process = sys.argv[1] == "argv"
sys.argv = ["ecslint", *sys.argv[2:]]
code = main(sys.argv[1:]) if in_process else main()
print(json.dumps([code, gc.isenabled(), gc.get_freeze_count() > 0]))
"""


@pytest.mark.parametrize(
    ("how", "args", "expected"),
    [
        ("console", ["check", "--no-config", "--format", "json", str(CLEAN)], [0, True, True]),
        ("console", ["check", "--no-config", "--fix", "--diff", str(CLEAN)], [2, True, True]),  # ends start-up
        ("console", ["rules"], [0, True, False]),  # not a check: the collector is left alone
        ("argv", ["check", "--no-config", "--format", "json", str(CLEAN)], [0, True, False]),  # a caller's process
    ],
    ids=["check", "usage-error", "other-command", "in-process"],
)
def test_the_collector_paused_for_start_up_runs_again_for_the_files(
    how: str, args: list[str], expected: list[object]
) -> None:
    """The console script pauses the cyclic collector while ``ecslint check`` starts, then freezes what
    start-up made and resumes it before the first file; a caller's ``main(argv)`` keeps its collector."""
    assert json.loads(_python(_COLLECTOR, how, *args).splitlines()[-1]) == expected
